"""The falls-prevention home hazard check: questions about the home (Homeward's own wording, in
`data/falls_checklist.yaml`), each "yes" a hazard with the action it calls for (handyperson job,
adaptation, landlord repair, falls or warm-homes referral, advice). It is a check of the home, not a
falls-risk prediction score; the source note is in the checklist file.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from functools import lru_cache
from importlib import resources
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from homeward.engines.healthyhomes.errors import HealthyHomesInputError, Issue, issues_from


class ActionKind(StrEnum):
    HANDYPERSON_JOB = "handyperson_job"
    ADAPTATION = "adaptation"
    LANDLORD_REPAIR = "landlord_repair"
    FALLS_REFERRAL = "falls_referral"
    WARM_HOMES_REFERRAL = "warm_homes_referral"
    ADVICE = "advice"


class Answer(StrEnum):
    YES = "yes"
    NO = "no"
    NOT_APPLICABLE = "not_applicable"


Code = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}$")]


class ChecklistItem(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: Code
    area: str = Field(min_length=1, max_length=100)
    question: str = Field(min_length=1, max_length=300)
    action_kind: ActionKind
    action: str = Field(min_length=1, max_length=300)
    #: The HHSRS hazard the question is about, when there is one (a code of `homeward.engines.hhsrs`).
    hhsrs_hazard: Code | None = None


class Checklist(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Literal["homeward-falls-checklist/1"]
    name: str = Field(min_length=1, max_length=200)
    source: str = Field(min_length=1, max_length=2000)
    items: list[ChecklistItem] = Field(min_length=1, max_length=200)

    @model_validator(mode="after")
    def _unique(self) -> Checklist:
        codes = [item.code for item in self.items]
        if len(codes) != len(set(codes)):
            raise ValueError("items: two questions share a code")
        return self


class Finding(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    area: str
    question: str
    action_kind: ActionKind
    action: str
    hhsrs_hazard: str | None
    note: str


class FallsCheckResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    checklist: str
    #: Every hazard found ("yes"), in checklist order.
    findings: list[Finding]
    #: The findings grouped by what they call for (each kind becomes a task or a referral).
    actions: dict[ActionKind, list[str]]
    unanswered: list[str]
    complete: bool
    summary: str


def parse_checklist(raw: Any) -> Checklist:
    if not isinstance(raw, Mapping):
        raise HealthyHomesInputError([Issue("", "a checklist must be a mapping")])
    try:
        return Checklist.model_validate(raw)
    except ValidationError as exc:
        raise HealthyHomesInputError(issues_from(exc)) from None


@lru_cache(maxsize=1)
def default_checklist() -> Checklist:
    """Homeward's home hazard check (`data/falls_checklist.yaml`)."""
    text = resources.files("homeward.engines.healthyhomes").joinpath("data/falls_checklist.yaml").read_text()
    return parse_checklist(yaml.safe_load(text))


class _Answers(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answers: dict[Code, Answer] = Field(max_length=200)
    notes: dict[Code, Annotated[str, StringConstraints(max_length=1000)]] = Field(default_factory=dict)


def falls_check(
    answers: Mapping[str, str],
    *,
    notes: Mapping[str, str] | None = None,
    checklist: Checklist | None = None,
) -> FallsCheckResult:
    """The hazards found and the actions they call for. `answers` maps question codes to "yes", "no" or
    "not_applicable"; unknown codes or answers are refused by path, unanswered questions are listed."""
    checklist = checklist or default_checklist()
    try:
        given = _Answers.model_validate({"answers": dict(answers), "notes": dict(notes or {})})
    except ValidationError as exc:
        raise HealthyHomesInputError(issues_from(exc)) from None
    known = {item.code for item in checklist.items}
    unknown = [
        Issue(f"{field}.{code}", "is not a question of the checklist")
        for field, codes in (("answers", given.answers), ("notes", given.notes))
        for code in codes
        if code not in known
    ]
    if unknown:
        raise HealthyHomesInputError(unknown)
    findings = [
        Finding(
            code=item.code,
            area=item.area,
            question=item.question,
            action_kind=item.action_kind,
            action=item.action,
            hhsrs_hazard=item.hhsrs_hazard,
            note=given.notes.get(item.code, ""),
        )
        for item in checklist.items
        if given.answers.get(item.code) is Answer.YES
    ]
    actions: dict[ActionKind, list[str]] = {}
    for finding in findings:
        actions.setdefault(finding.action_kind, []).append(finding.action)
    unanswered = [item.code for item in checklist.items if item.code not in given.answers]
    asked = len(checklist.items) - len(unanswered)
    summary = f"{len(findings)} hazard{'s' if len(findings) != 1 else ''} found in {asked} questions answered"
    if unanswered:
        summary += f"; {len(unanswered)} not answered"
    return FallsCheckResult(
        checklist=checklist.name,
        findings=findings,
        actions=actions,
        unanswered=unanswered,
        complete=not unanswered,
        summary=summary + ".",
    )
