"""Which trips a round offers, and which rides each board shows. No pygame here.

A board always shows the best ride from where the visitor stands (by its countdown now).
The first other card is often a close rival: one that would win with other countdowns but
loses with these (read the board!). The rest are plainly worse: a taxi, a slow walk, a
train the wrong way.
"""

from __future__ import annotations

import random

from games.smart_commute.network import Network, Pace, Ride, TripSpec


def plan_trips(net: Network, pace: Pace, rng: random.Random) -> list[TripSpec]:
    """``pace.trips`` trips, shuffled, each short enough for the level; one trip rarely
    starts where the last one ended (the scenery varies)."""
    pool = [
        t for t in net.trips if 1 <= len(net.best_route(t.start, t.dest)) <= pace.max_best_rides
    ] or list(net.trips)
    plan: list[TripSpec] = []
    while len(plan) < pace.trips and pool:
        batch = pool[:]
        rng.shuffle(batch)
        for spec in batch:
            if len(plan) >= pace.trips:
                break
            if plan and spec.start == plan[-1].dest and len(pool) > 2:
                continue  # vary the scenery a little
            plan.append(spec)
    return plan


def pick_rides(
    net: Network,
    dest: str,
    rides: list[Ride],
    value: dict[int, float],
    rng: random.Random,
    pace: Pace,
    rival_gap: tuple[float, float],
    distractor_min: float,
    came_from: str,
) -> list[Ride]:
    """Up to ``pace.options`` of ``rides`` in the order the cards show them: the best by
    ``value`` (its cost with the countdown now), maybe a rival ``rival_gap`` minutes behind,
    then rides at least ``distractor_min`` worse, varied in mode and line."""
    g = net.to_go(dest)
    # A ride's value at its luckiest and unluckiest countdown.
    usual = {r.idx: net.usual_cost(r) + g[r.to] for r in rides}
    luck = {r.idx: net.cost(r, net.wait_range(r)[0]) + g[r.to] for r in rides}
    worst = {r.idx: net.cost(r, net.wait_range(r)[1]) + g[r.to] for r in rides}
    ranked = sorted(rides, key=lambda r: (value[r.idx], r.idx))
    best = ranked[0]
    chosen = [best]
    pool = ranked[1:]
    rng.shuffle(pool)
    want_rival = rng.random() < pace.rival_share
    lo, hi = rival_gap
    while len(chosen) < pace.options and pool:
        modes = {c.mode.id for c in chosen}
        lines = {c.line for c in chosen}
        ends = {(c.to, c.mode.id) for c in chosen}
        rival_slot = want_rival and len(chosen) == 1

        def rank(
            r: Ride,
            modes: set[str] = modes,
            lines: set[str] = lines,
            ends: set[tuple[str, str]] = ends,
            rival_slot: bool = rival_slot,
        ) -> tuple[bool | float, ...]:
            gap = value[r.idx] - value[best.idx]
            could_win = luck[r.idx] < worst[best.idx]
            return (
                (r.to, r.mode.id) in ends,  # the same ride in other words
                rival_slot and not usual[r.idx] < usual[best.idx],  # usually best, not now
                rival_slot and not (could_win and gap >= lo),
                rival_slot and not could_win,
                rival_slot and not (lo <= gap <= hi),
                not rival_slot and gap < distractor_min,  # plainly worse, or skip
                r.line in lines,
                r.mode.id in modes,  # variety of modes first
                r.to == came_from,  # straight back
                -gap if not rival_slot else 0.0,  # short of plain ones: the worst
            )

        pool.sort(key=rank)
        chosen.append(pool.pop(0))
    rng.shuffle(chosen)
    return chosen
