"""Healthy Steps' content: the stretches and the numbers per difficulty, read from its
TOML. Plain data: no pygame."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from games.base import RGB, level_for, rgb


@dataclass(frozen=True)
class PoseSpec:
    id: str
    figure: str
    color: RGB  # lit: bright, name in dark ink
    deep: RGB  # resting: deep, name in white
    name: dict[str, str]
    tip: dict[str, str]


@dataclass(frozen=True)
class Level:
    duration_s: float = 65.0
    poses: tuple[str, ...] = ("arms_up", "shoulders", "march", "twist", "breathe", "wave")
    start_len: int = 3
    lead_in_s: float = 0.7
    show_on_s: float = 0.65
    show_gap_s: float = 0.25
    reply_s: float = 3.0
    rest_s: float = 1.1
    fail_s: float = 1.6
    retry_same: int = 0
    fail_drop: int = 2
    reminder_every: int = 2
    remind_wait_min_s: float = 1.0
    remind_wait_max_s: float = 3.0
    remind_window_s: float = 2.2
    early_forgive: int = 0
    label_size: int = 42


def load_poses(content: dict[str, Any]) -> dict[str, PoseSpec]:
    poses = {}
    for raw in content.get("poses", []):
        poses[str(raw["id"])] = PoseSpec(
            id=str(raw["id"]),
            figure=str(raw.get("figure", raw["id"])),
            color=rgb(raw.get("color")),
            deep=rgb(raw.get("deep"), (60, 60, 80)),
            name=dict(raw.get("name", {})),
            tip=dict(raw.get("tip", {})),
        )
    return poses


def load_level(content: dict[str, Any], difficulty: str) -> Level:
    return level_for(Level, content, difficulty)
