"""Why a pair scored what it did: each comparison's contribution to the match weight, in words and
as Splink's waterfall chart (a Vega-Lite spec), with or without the records' values.

The contributions come from Splink's waterfall data for the pair (prior, then each comparison and
its term-frequency adjustment); they add up to the pair's match weight.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from splink import SettingsCreator
from splink.internals.charts import WaterfallChart
from splink.internals.waterfall_chart import records_to_waterfall_data

from homeward.engines.linkage.cleaning import clean_records
from homeward.engines.linkage.comparisons import COMPARISON_OF_FIELD, comparisons_for
from homeward.engines.linkage.fields import LinkageRecord, records_frame
from homeward.engines.linkage.model import LinkageModel
from homeward.engines.linkage.scoring import PairScorer, TermFrequencies

# What each comparison shows of the two records (cleaned values of these columns).
_SHOWN: dict[str, tuple[str, ...]] = {
    "given_name": ("given_name",),
    "family_name": ("family_name", "previous_family_name"),
    "date_of_birth": ("date_of_birth",),
    "sex": ("sex",),
    "address": ("address_line", "postcode", "uprn"),
    "nhs_number": ("nhs_number",),
    "other_identifier": ("other_identifier",),
    "phone": ("phone",),
    "email": ("email",),
}


@dataclass(frozen=True, slots=True)
class FieldContribution:
    """One comparison's part of the match weight (base level weight plus any frequency adjustment)."""

    comparison: str
    label: str
    level: str
    match_weight: float
    frequency_adjustment: float
    m_probability: float | None
    u_probability: float | None
    fields: tuple[str, ...]
    left: str | None = None
    right: str | None = None

    @property
    def is_missing(self) -> bool:
        """One record or both lacked the field: no evidence either way (weight 0)."""
        return self.m_probability is None and self.match_weight == 0.0

    @property
    def sentence(self) -> str:
        """Plain English, e.g. "Date of birth: day and month swapped, +10.2 (about 1,200 times
        more likely if they are the same person)"."""
        if self.is_missing:
            return f"{self.label}: missing on one or both records, no effect"
        times = 2 ** abs(self.match_weight)
        direction = "more" if self.match_weight >= 0 else "less"
        text = f"{self.label}: {self.level[0].lower()}{self.level[1:]}, {self.match_weight:+.1f}"
        text += f" (about {times:,.0f} times {direction} likely if they are the same person)"
        if self.frequency_adjustment:
            common = "less common" if self.frequency_adjustment > 0 else "more common"
            text += f"; includes {self.frequency_adjustment:+.1f} because this value is {common} than most"
        return text


@dataclass(frozen=True, slots=True)
class PairExplanation:
    prior_weight: float
    match_weight: float
    match_probability: float
    contributions: tuple[FieldContribution, ...]
    waterfall: tuple[dict[str, Any], ...]
    values_shown: bool = True

    def with_visible_fields(self, visible: Collection[str]) -> PairExplanation:
        """The same explanation showing values only for comparisons whose fields are all visible."""
        keep = {c.comparison for c in self.contributions if set(c.fields) <= set(visible)}
        contributions = tuple(
            c if c.comparison in keep else replace(c, left=None, right=None) for c in self.contributions
        )
        waterfall = tuple(
            row if _comparison_of_row(row) in keep else {**row, "value_l": "", "value_r": ""}
            for row in self.waterfall
        )
        return replace(
            self,
            contributions=contributions,
            waterfall=waterfall,
            values_shown=self.values_shown and bool(keep),
        )

    def without_values(self) -> PairExplanation:
        """Weights only: what the other party may be shown."""
        return self.with_visible_fields(())

    def vega_lite(self, *, include_missing: bool = False) -> dict[str, Any]:
        """Splink's waterfall chart of this pair as a Vega-Lite spec (data inline)."""
        return dict(WaterfallChart(list(self.waterfall), filter_nulls=not include_missing).chart_dict)

    def sentences(self) -> list[str]:
        return [c.sentence for c in self.contributions]


def _comparison_of_row(row: Mapping[str, Any]) -> str:
    name = str(row.get("column_name", ""))
    return name[3:] if name.startswith("tf_") else name


def _shown(record: Mapping[str, Any], comparison: str, suffix: str) -> str | None:
    parts = [
        str(record[f"{c}_{suffix}"]) for c in _SHOWN[comparison] if record.get(f"{c}_{suffix}") is not None
    ]
    return ", ".join(parts) if parts else None


def _explanation(
    model: LinkageModel, scored_row: dict[str, Any], settings: Any, raw: dict[str, Any]
) -> PairExplanation:
    waterfall: list[dict[str, Any]] = records_to_waterfall_data(  # type: ignore[no-untyped-call]
        [scored_row], settings, False
    )
    by_column = {str(row["column_name"]): row for row in waterfall}
    used = set(model.fields)
    contributions = []
    for spec in comparisons_for(model.fields):
        base = by_column[spec.name]
        tf = by_column.get(f"tf_{spec.name}")
        adjustment = float(tf["log2_bayes_factor"]) if tf else 0.0
        contributions.append(
            FieldContribution(
                comparison=spec.name,
                label=spec.label,
                level=str(base["label_for_charts"]),
                match_weight=float(base["log2_bayes_factor"]) + adjustment,
                frequency_adjustment=adjustment,
                m_probability=base.get("m_probability"),
                u_probability=base.get("u_probability"),
                fields=tuple(f for f, c in COMPARISON_OF_FIELD.items() if c == spec.name and f in used),
                left=_shown(raw, spec.name, "l"),
                right=_shown(raw, spec.name, "r"),
            )
        )
    for row in waterfall:  # Splink shows derived columns too; show the standard fields instead
        name = str(row["column_name"])
        if name in _SHOWN:
            row["value_l"], row["value_r"] = _shown(raw, name, "l") or "", _shown(raw, name, "r") or ""
        elif name.startswith("tf_"):
            row["value_l"] = row["value_r"] = ""
    return PairExplanation(
        prior_weight=float(by_column["Prior"]["log2_bayes_factor"]),
        match_weight=float(scored_row["match_weight"]),
        match_probability=float(scored_row["match_probability"]),
        contributions=tuple(contributions),
        waterfall=tuple(waterfall),
    )


class PairExplainer:
    """Explains pairs with one model (and the term frequencies of the run that scored them)."""

    def __init__(
        self,
        model: LinkageModel,
        frequencies: TermFrequencies | None = None,
        scorer: PairScorer | None = None,
    ) -> None:
        self.model = model
        self.frequencies = frequencies
        self.scorer = scorer or PairScorer(model)
        self._settings = SettingsCreator.from_path_or_dict(self.scorer.settings).get_settings("duckdb")

    def explain(
        self, left: LinkageRecord | Mapping[str, object], right: LinkageRecord | Mapping[str, object]
    ) -> PairExplanation:
        return self.explain_many([(left, right)])[0]

    def explain_many(
        self,
        pairs: Iterable[tuple[LinkageRecord | Mapping[str, object], LinkageRecord | Mapping[str, object]]],
    ) -> list[PairExplanation]:
        out = []
        for left, right in pairs:
            frames = [
                self.scorer.prepare(clean_records(records_frame([r])), self.frequencies)
                for r in (left, right)
            ]
            scored = self.scorer.score(frames[0], frames[1])
            row = scored.row(0, named=True)
            raw = {f"{k}_l": v for k, v in frames[0].row(0, named=True).items()}
            raw |= {f"{k}_r": v for k, v in frames[1].row(0, named=True).items()}
            out.append(_explanation(self.model, row, self._settings, raw))
        return out


def explain_pair(
    model: LinkageModel,
    left: LinkageRecord | Mapping[str, object],
    right: LinkageRecord | Mapping[str, object],
    *,
    frequencies: TermFrequencies | None = None,
) -> PairExplanation:
    """One pair's explanation (builds a scorer: for many pairs keep a `PairExplainer`)."""
    return PairExplainer(model, frequencies).explain(left, right)
