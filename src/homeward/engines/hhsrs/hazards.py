"""The 29 HHSRS hazards in their four groups, read from `data/hazards.csv` (source in `data/SOURCE.md`)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources


class HazardGroup(StrEnum):
    """The four groups of Schedule 1 to the HHSRS (England) Regulations 2005."""

    PHYSIOLOGICAL = "Physiological"
    PSYCHOLOGICAL = "Psychological"
    PROTECTION_AGAINST_INFECTION = "Protection against infection"
    PROTECTION_AGAINST_ACCIDENTS = "Protection against accidents"


@dataclass(frozen=True)
class Hazard:
    """One hazard: its number in the published order, Homeward's code, its name and group."""

    number: int
    code: str
    name: str
    group: HazardGroup


def _load() -> dict[str, Hazard]:
    text = resources.files("homeward.engines.hhsrs").joinpath("data/hazards.csv").read_text(encoding="utf-8")
    hazards = {}
    for row in csv.DictReader(io.StringIO(text)):
        hazard = Hazard(int(row["number"]), row["code"], row["hazard"], HazardGroup(row["group"]))
        hazards[hazard.code] = hazard
    if len(hazards) != 29:  # pragma: no cover - guards the shipped file
        raise RuntimeError(f"hazards.csv lists {len(hazards)} hazards, not 29")
    return hazards


#: Every hazard by code, in the published order.
HAZARDS: dict[str, Hazard] = _load()
#: The codes in the published order (1–29).
HAZARD_CODES: tuple[str, ...] = tuple(HAZARDS)
