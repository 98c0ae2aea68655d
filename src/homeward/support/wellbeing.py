"""Wellbeing measures recorded before and after support: their questions, how answers are checked, and
how each is scored. Plain Python (no Django), so the dashboard, the claims and the tests share one scorer.

* ONS4 personal wellbeing (Office for National Statistics): four questions, each 0-10. Reported question
  by question; for anxiety a fall is an improvement.
* SWEMWBS, the short Warwick-Edinburgh Mental Wellbeing Scale: seven items, each 1-5; the raw total (7-35)
  is converted to a metric score with the published Rasch conversion table. SWEMWBS is (c) University of
  Warwick; an organisation using it registers for a licence (free for the NHS and non-commercial use).
* The Homeward outcome scale: a "journey of change" in eight areas, each 1-10 (in the style of an outcome
  star; the Wellbeing Star itself is licensed by Triangle and is not shipped).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Item:
    key: str
    text: str


@dataclass(frozen=True)
class Tool:
    key: str
    name: str
    short_name: str
    items: tuple[Item, ...]
    low: int
    high: int
    scale: str  # what the answers mean, shown on the form
    score_label: str
    meaningful_change: float  # a change at least this large counts as "improved"
    source: str

    def check(self, answers: dict[str, Any]) -> tuple[dict[str, int], dict[str, str]]:
        """The answers as whole numbers, and an error per item that is missing or out of range."""
        clean: dict[str, int] = {}
        errors: dict[str, str] = {}
        for item in self.items:
            value = answers.get(item.key)
            if value is None or value == "":
                errors[item.key] = f"Answer '{item.text}'"
                continue
            try:
                number = int(str(value))
            except ValueError:
                errors[item.key] = f"'{value}' is not a whole number from {self.low} to {self.high}"
                continue
            if not self.low <= number <= self.high:
                errors[item.key] = f"Answer from {self.low} to {self.high} (got {number})"
                continue
            clean[item.key] = number
        unknown = sorted(set(answers) - {item.key for item in self.items})
        if unknown:
            errors["answers"] = f"{self.name} has no question {', '.join(unknown)}"
        return clean, errors


ONS4 = Tool(
    key="ons4",
    name="ONS4 personal wellbeing",
    short_name="ONS4",
    items=(
        Item("life_satisfaction", "Overall, how satisfied are you with your life nowadays?"),
        Item(
            "worthwhile", "Overall, to what extent do you feel the things you do in your life are worthwhile?"
        ),
        Item("happy", "Overall, how happy did you feel yesterday?"),
        Item("anxious", "Overall, how anxious did you feel yesterday?"),
    ),
    low=0,
    high=10,
    scale="0 = not at all, 10 = completely",
    score_label="Life satisfaction (0-10)",
    meaningful_change=1.0,
    source="Office for National Statistics, personal wellbeing questions (ONS4)",
)

SWEMWBS = Tool(
    key="swemwbs",
    name="Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS)",
    short_name="SWEMWBS",
    items=(
        Item("optimistic", "I've been feeling optimistic about the future"),
        Item("useful", "I've been feeling useful"),
        Item("relaxed", "I've been feeling relaxed"),
        Item("problems", "I've been dealing with problems well"),
        Item("thinking", "I've been thinking clearly"),
        Item("close", "I've been feeling close to other people"),
        Item("own_mind", "I've been able to make up my own mind about things"),
    ),
    low=1,
    high=5,
    scale="Over the last two weeks: 1 = none of the time, 2 = rarely, 3 = some of the time, 4 = often, "
    "5 = all of the time",
    score_label="SWEMWBS metric score (7-35)",
    # Warwick's guidance: a change of 1 to 3 points is meaningful for an individual; count the top of it.
    meaningful_change=3.0,
    source="SWEMWBS (c) University of Warwick 2006; metric scores from Warwick's Rasch conversion table",
)

OUTCOME_SCALE = Tool(
    key="outcome_scale",
    name="Homeward outcome scale (journey of change)",
    short_name="outcome scale",
    items=(
        Item("physical_health", "Physical health"),
        Item("mental_wellbeing", "Feeling positive"),
        Item("money", "Money"),
        Item("home", "Where you live"),
        Item("relationships", "Family, friends and company"),
        Item("activity", "Things to do: work, learning, volunteering, hobbies"),
        Item("day_to_day", "Managing day to day"),
        Item("confidence", "Confidence to ask for help"),
    ),
    low=1,
    high=10,
    scale="1-2 stuck, 3-4 accepting help, 5-6 trying, 7-8 finding what works, 9-10 self-reliant",
    score_label="Outcome scale total (8-80)",
    meaningful_change=8.0,  # one step on average in each area
    source="Homeward (an open scale in the style of an outcome star)",
)

TOOLS: dict[str, Tool] = {tool.key: tool for tool in (ONS4, SWEMWBS, OUTCOME_SCALE)}
TOOL_CHOICES = [(tool.key, tool.name) for tool in TOOLS.values()]

# Warwick's SWEMWBS raw total (7-35) to metric score conversion table, indexed by raw - 7.
SWEMWBS_METRIC = (
    7.00, 9.51, 11.25, 12.40, 13.33, 14.08, 14.75, 15.32, 15.84, 16.36, 16.88, 17.43, 17.98, 18.59, 19.25,
    19.98, 20.73, 21.54, 22.35, 23.21, 24.11, 25.03, 26.02, 27.03, 28.13, 29.31, 30.70, 32.55, 35.00,
)  # fmt: skip


def swemwbs_metric(raw_total: int) -> float:
    if not 7 <= raw_total <= 35:
        raise ValueError(f"A SWEMWBS raw total is 7 to 35, not {raw_total}")
    return SWEMWBS_METRIC[raw_total - 7]


def score(tool_key: str, answers: dict[str, int]) -> float:
    """The measure's headline score: ONS4 life satisfaction, the SWEMWBS metric score, the scale's total."""
    if tool_key == ONS4.key:
        return float(answers["life_satisfaction"])
    if tool_key == SWEMWBS.key:
        return swemwbs_metric(sum(answers[item.key] for item in SWEMWBS.items))
    if tool_key == OUTCOME_SCALE.key:
        return float(sum(answers[item.key] for item in OUTCOME_SCALE.items))
    raise KeyError(tool_key)


@dataclass(frozen=True)
class Series:
    """One line on the dashboard: a score or an ONS4 question, and whether a rise is better."""

    key: str
    label: str
    tool: str
    item: str | None  # None: the tool's headline score
    higher_is_better: bool
    meaningful_change: float


SERIES: tuple[Series, ...] = (
    Series("swemwbs", "SWEMWBS metric score", "swemwbs", None, True, SWEMWBS.meaningful_change),
    Series("ons4_life", "ONS4: life satisfaction", "ons4", "life_satisfaction", True, 1.0),
    Series("ons4_worthwhile", "ONS4: things done are worthwhile", "ons4", "worthwhile", True, 1.0),
    Series("ons4_happy", "ONS4: happiness yesterday", "ons4", "happy", True, 1.0),
    Series("ons4_anxious", "ONS4: anxiety yesterday (lower is better)", "ons4", "anxious", False, 1.0),
    Series(
        "outcome_scale", "Outcome scale total", "outcome_scale", None, True, OUTCOME_SCALE.meaningful_change
    ),
)


def value_of(series: Series, answers: dict[str, int], headline: float) -> float:
    return float(answers[series.item]) if series.item else headline


def improvement(series: Series, before: float, after: float) -> float:
    """The change, signed so that positive is better (anxiety falling is an improvement)."""
    return (after - before) if series.higher_is_better else (before - after)
