"""JSON API for person linkage: the review queue, one pair, decisions and undoing them."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import ConfigDict, Field

from homeward.api.base import InputSchema, Offset, PathId
from homeward.api.context import actor_of
from homeward.core.roles import Permission
from homeward.governance.routes import personal_data
from homeward.linkage import selectors, services
from homeward.linkage.codes import PairStatus, ReviewDecision

router = Router(tags=["person linkage"])


class LinkPairSummary(Schema):
    id: int
    agreement_id: int
    status: PairStatus
    match_probability: float
    match_weight: float
    your_person_id: int
    other_organisation: str


class LinkFieldValue(Schema):
    field: str
    value: str


class LinkContribution(Schema):
    label: str
    level: str
    weight: float
    sentence: str


class LinkPairOut(Schema):
    id: int
    agreement_id: int
    status: PairStatus
    match_probability: float
    match_weight: float
    your_person_id: int
    your_record: list[LinkFieldValue]
    other_organisation: str
    other_record: list[LinkFieldValue]
    contributions: list[LinkContribution]


class LinkQueueQuery(InputSchema):
    model_config = ConfigDict(extra="forbid")
    limit: int = Field(default=25, ge=1, le=100)
    offset: Offset = 0


class LinkDecisionIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    multiline = frozenset({"note"})
    decision: ReviewDecision
    note: str = Field(default="", max_length=2000)


def _summary(actor: Any, pair: Any) -> dict[str, Any]:
    own, other = pair.side_of(actor.organisation_id)
    return {
        "id": pair.pk,
        "agreement_id": pair.agreement_id,
        "status": pair.status,
        "match_probability": pair.match_probability,
        "match_weight": pair.match_weight,
        "your_person_id": own.pk,
        "other_organisation": other.organisation.name,
    }


def _detail(actor: Any, pair_id: int) -> dict[str, Any]:
    view = selectors.get_pair(actor=actor, pair_id=pair_id)
    return _summary(actor, view.pair) | {
        "your_record": [{"field": k, "value": v} for k, v in view.own.values],
        "other_record": [{"field": k, "value": v} for k, v in view.other.values],
        "contributions": [
            {"label": c["label"], "level": c["level"], "weight": c["weight"], "sentence": c["sentence"]}
            for c in view.contributions
        ],
    }


@router.get("/linkage/review", response=list[LinkPairSummary], summary="Pairs waiting for review (audited)")
@personal_data("search", Permission.REVIEW_LINKS)
def linkage_review_queue(request: HttpRequest, filters: Query[LinkQueueQuery]) -> list[dict[str, Any]]:
    actor = actor_of(request)
    pairs = list(selectors.review_queue(actor)[filters.offset : filters.offset + filters.limit])
    selectors.record_queue_view(actor=actor, pairs=pairs)
    return [_summary(actor, p) for p in pairs]


@router.get("/linkage/pairs/{pair_id}", response=LinkPairOut, summary="One pair, fields the agreement allows")
@personal_data("pair_id", Permission.REVIEW_LINKS)
def get_link_pair(request: HttpRequest, pair_id: PathId) -> dict[str, Any]:
    return _detail(actor_of(request), pair_id)


@router.post("/linkage/pairs/{pair_id}/decision", response=LinkPairOut, summary="Decide a pair")
@personal_data("pair_id", Permission.REVIEW_LINKS)
def decide_link_pair(request: HttpRequest, pair_id: PathId, payload: LinkDecisionIn) -> dict[str, Any]:
    actor = actor_of(request)
    services.decide_pair(actor=actor, pair_id=pair_id, **payload.model_dump())
    return _detail(actor, pair_id)


@router.post("/linkage/pairs/{pair_id}/undo", response=LinkPairOut, summary="Undo a pair's last decision")
@personal_data("pair_id", Permission.REVIEW_LINKS)
def undo_link_pair(request: HttpRequest, pair_id: PathId) -> dict[str, Any]:
    actor = actor_of(request)
    services.undo_decision(actor=actor, pair_id=pair_id)
    return _detail(actor, pair_id)
