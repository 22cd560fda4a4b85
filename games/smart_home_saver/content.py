"""What the flat is made of, read from ``assets/games/smart_home_saver.toml``, and the rules
of waste: what each appliance wastes in each mode, what an ideal player would set, what a
tap switches it to. No pygame here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from games.base import level_for, rgb

RGB = tuple[int, int, int]

MODES_AC = ("cold", "eco", "off")  # the tap cycle of an air-con


@dataclass(frozen=True)
class RoomSpec:
    id: str
    name: dict[str, str]
    phrase: dict[str, str]
    wall: RGB
    decor: str


@dataclass(frozen=True)
class ApplianceSpec:
    id: str
    room: str
    kind: str
    need: str  # "room" | "always"
    power_w: float
    eco_power_w: float
    use: float
    levels: tuple[str, ...]

    @property
    def is_ac(self) -> bool:
        return self.kind == "ac"

    def power(self, mode: str) -> float:
        if mode == "off":
            return 0.0
        return self.eco_power_w if mode == "eco" else self.power_w


@dataclass(frozen=True)
class PersonSpec:
    id: str
    build: str
    shirt: RGB
    trousers: RGB
    hair: RGB
    skin: RGB
    long_hair: bool


@dataclass(frozen=True)
class Level:
    duration_s: float = 60.0
    rooms: tuple[str, ...] = ("bedroom", "bathroom", "living", "kitchen")
    people: tuple[str, ...] = ("dad", "mum", "kid")
    dwell_min_s: float = 3.5
    dwell_max_s: float = 7.0
    out_chance: float = 0.2
    out_min_s: float = 3.0
    out_max_s: float = 6.0
    min_gap_s: float = 0.8
    initial_waste: int = 3
    grace_s: float = 1.5
    card: int = 124
    label_size: int = 24
    figure_scale: float = 1.0
    hint_waste: bool = False


def load_level(content: dict[str, Any], difficulty: str) -> Level:
    return level_for(Level, content, difficulty)


def load_rooms(content: dict[str, Any]) -> dict[str, RoomSpec]:
    return {
        str(r["id"]): RoomSpec(
            str(r["id"]),
            dict(r.get("name", {})),
            dict(r.get("phrase", {})),
            rgb(r.get("wall"), (230, 230, 230)),
            str(r.get("decor", "")),
        )
        for r in content.get("rooms", [])
    }


def load_appliances(content: dict[str, Any]) -> list[ApplianceSpec]:
    kinds = content.get("kinds", {})
    out = []
    for raw in content.get("appliances", []):
        if raw.get("kind") not in kinds:
            continue  # a content typo must not crash a visitor's game (a test catches it)
        power = float(raw.get("power_w", 0))
        out.append(
            ApplianceSpec(
                id=str(raw["id"]),
                room=str(raw["room"]),
                kind=str(raw["kind"]),
                need=str(raw.get("need", "room")),
                power_w=power,
                eco_power_w=float(raw.get("eco_power_w", power)),
                use=float(raw.get("use", 0.0)),
                levels=tuple(str(v) for v in raw.get("levels", ())),
            )
        )
    return out


def load_people(content: dict[str, Any]) -> dict[str, PersonSpec]:
    return {
        str(p["id"]): PersonSpec(
            str(p["id"]),
            str(p.get("build", "adult")),
            rgb(p.get("shirt")),
            rgb(p.get("trousers")),
            rgb(p.get("hair")),
            rgb(p.get("skin")),
            bool(p.get("long_hair", False)),
        )
        for p in content.get("people", [])
    }


def waste_w(spec: ApplianceSpec, mode: str, occupied: bool) -> float:
    """Watts wasted by an appliance in ``mode`` (what it draws beyond what people need)."""
    if mode == "off" or spec.need == "always":
        return 0.0
    if not occupied:
        return spec.power(mode)
    if spec.is_ac and mode == "cold":
        return spec.power_w - spec.eco_power_w  # 20 °C where 25.5 °C would do
    return 0.0


def best_mode(spec: ApplianceSpec, mode: str, occupied: bool) -> str:
    """What an ideal player would set."""
    if spec.need == "always" or mode == "off":
        return mode
    if not occupied:
        return "off"
    return "eco" if spec.is_ac else mode


def next_mode(spec: ApplianceSpec, mode: str) -> str:
    if spec.is_ac:
        return MODES_AC[(MODES_AC.index(mode) + 1) % len(MODES_AC)] if mode in MODES_AC else "off"
    return "off" if mode == "on" else "on"


def on_mode(spec: ApplianceSpec) -> str:
    """The mode a person switches it on to (air-con: straight to 20 °C)."""
    return "cold" if spec.is_ac else "on"
