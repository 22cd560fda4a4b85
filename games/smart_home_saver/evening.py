"""The family's evening: who walks into which room when, and what they switch on there.

The schedule is drawn once from the round's seed before play starts; people never react to
the visitor, so the same seed always plays the same evening. No pygame here.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from games.smart_home_saver.content import ApplianceSpec, Level


@dataclass(order=True)
class Event:
    """One moment of the evening: a person enters a room or leaves, or an appliance is used."""

    t: float
    seq: int
    kind: str = field(compare=False)  # enter | leave | use
    person: int = field(compare=False, default=-1)
    room: str = field(compare=False, default="")
    appliance: int = field(compare=False, default=-1)


@dataclass(frozen=True)
class Walks:
    """The pace of the family's moves, from the content's ``[play]`` table."""

    transit_s: float  # from one room to the next
    use_delay_s: float  # from walking in to switching the first thing on
    use_stagger_s: float  # between switching on one thing and the next
    first_out_s: tuple[float, float]  # when someone who starts out comes home


class Switchable(Protocol):
    """What the planner needs of an appliance."""

    uid: int
    room: str
    spec: ApplianceSpec


def plan_evening(
    level: Level,
    rng: random.Random,
    rooms: list[str],
    people: int,
    appliances: Sequence[Switchable],
    walks: Walks,
) -> list[Event]:
    """Every enter, leave and switch-on of the round, in time order, drawn from ``rng``.

    Time 0 finds most of the family already in a room (the first person always); then each
    person in turn, the one due soonest first, leaves at least ``min_gap_s`` after the last
    one left, and goes to another room or out for a while. Nobody leaves in the round's
    last second or arrives in its last half second.
    """
    lv = level
    events: list[Event] = []
    seq = iter(range(1_000_000))
    if not rooms or not people:
        return events

    def arrive(i: int, room: str, t: float) -> None:
        events.append(Event(t, next(seq), "enter", person=i, room=room))
        k = 0
        for a in appliances:
            if a.room == room and a.spec.need == "room" and rng.random() < a.spec.use:
                delay = 0.0 if t == 0 else walks.use_delay_s + k * walks.use_stagger_s
                events.append(Event(t + delay, next(seq), "use", appliance=a.uid))
                k += 1

    where: list[str] = []
    next_t: list[float] = []
    for i in range(people):
        room = rng.choice(rooms)
        if i == 0 or rng.random() < 0.6:
            arrive(i, room, 0.0)
            next_t.append(rng.uniform(lv.dwell_min_s * 0.5, lv.dwell_max_s))
        else:
            t = rng.uniform(*walks.first_out_s)
            arrive(i, room, t)
            next_t.append(t + rng.uniform(lv.dwell_min_s, lv.dwell_max_s))
        where.append(room)
    last_leave = -math.inf
    end = lv.duration_s
    while True:
        i = min(range(len(next_t)), key=lambda k: next_t[k])
        if next_t[i] == math.inf:
            break
        leave = max(next_t[i], last_leave + lv.min_gap_s)
        if leave > end - 1.0:
            next_t[i] = math.inf
            continue
        last_leave = leave
        events.append(Event(leave, next(seq), "leave", person=i))
        others = [r for r in rooms if r != where[i]] or rooms
        if rng.random() < lv.out_chance:
            t = leave + rng.uniform(lv.out_min_s, lv.out_max_s)
            dest = rng.choice(rooms)
        else:
            t = leave + walks.transit_s
            dest = rng.choice(others)
        if t > end - 0.5:
            next_t[i] = math.inf
            continue
        arrive(i, dest, t)
        where[i] = dest
        next_t[i] = t + rng.uniform(lv.dwell_min_s, lv.dwell_max_s)
    events.sort()
    return events
