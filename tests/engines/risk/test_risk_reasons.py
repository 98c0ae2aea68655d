"""Features and reasons on hand-built tenancies: plant one pattern, expect it as the top reason."""

from __future__ import annotations

from datetime import timedelta

import polars as pl
import pytest
from risk_builders import AS_OF, Estate, at, day, usual_caller

from homeward.engines.risk import (
    SCHEMAS,
    Extracts,
    compute_features,
    rent_weeks_from_transactions,
    score_tenancies,
    train_model,
)
from homeward.engines.risk.rules import parse_rules


def _row(frame: pl.DataFrame, ref: str) -> dict:
    return frame.filter(pl.col("tenancy_ref") == ref).row(0, named=True)


def _scores(estate: Estate) -> pl.DataFrame:
    return score_tenancies(estate.extracts(), as_of=AS_OF)


def test_four_contacts_in_ten_days_against_a_usual_month_is_the_top_reason():
    estate = usual_caller(Estate().tenancy("T1").tenancy("T0"), "T1")
    for days_ago in (9, 6, 3, 0):
        estate.contact("T1", at(days_ago))
    row = _row(_scores(estate), "T1")
    assert row["rule_reasons"][0] == "4 contacts in 10 days, usually 1 a month"
    assert row["rule_score"] == 25
    assert _row(_scores(estate), "T0")["rule_score"] == 0


def test_first_arrears_in_three_years_is_the_top_reason():
    estate = Estate().tenancy("T1").tenancy("T0")
    monday = AS_OF - timedelta(days=AS_OF.weekday())
    for weeks_ago, balance in ((2, 110.0), (1, 220.0), (0, 330.0)):
        estate.rent_week("T1", monday - timedelta(weeks=weeks_ago), balance)
    row = _row(_scores(estate), "T1")
    assert row["rule_reasons"][0] == "first arrears in 3 years (£330 owed)"


def test_arrears_after_a_recent_spell_are_not_called_first_arrears():
    estate = Estate().tenancy("T1")
    monday = AS_OF - timedelta(days=AS_OF.weekday())
    estate.rent_week("T1", monday - timedelta(weeks=20), 90.0)
    estate.rent_week("T1", monday, 120.0)
    f = _row(compute_features(estate.extracts(), as_of=AS_OF), "T1")
    assert f["clean_days_before_arrears"] < 365
    assert not any("first arrears" in r for r in _row(_scores(estate), "T1")["rule_reasons"])


def test_a_frequent_contacter_who_stops_has_gone_quiet():
    estate = Estate().tenancy("T1")
    for k in range(30):  # three a month from a year ago until four months ago
        estate.contact("T1", at(120 + 8 * k))
    row = _row(_scores(estate), "T1")
    assert row["rule_reasons"][0].startswith("no contact for 120 days, usually 3 a month")


def test_repairs_with_no_access_and_call_notes_give_their_own_reasons():
    estate = Estate().tenancy("T1").tenancy("T2")
    estate.repair("T1", day(40), no_access=True).repair("T1", day(10), no_access=True)
    estate.contact("T2", at(5), note="Tenant had a FALL in the bathroom")
    assert _row(_scores(estate), "T1")["rule_reasons"] == ["2 repair visits with no access in 90 days"]
    assert _row(_scores(estate), "T2")["rule_reasons"] == ["call notes mention a fall (1 note)"]


def test_a_fall_pipe_is_a_known_lexicon_false_positive_but_fallen_is_matched_and_falling_is_not():
    estate = Estate().tenancy("T1").tenancy("T2")
    estate.contact("T1", at(5), note="has fallen twice")
    estate.contact("T2", at(5), note="falling behind with the gas bill")
    f = compute_features(estate.extracts(), as_of=AS_OF)
    assert _row(f, "T1")["note_fall_90d"] == 1
    assert _row(f, "T2")["note_fall_90d"] == 0


def test_windows_count_events_up_to_and_including_as_of_and_ignore_later_ones():
    estate = Estate().tenancy("T1")
    estate.contact("T1", at(0, hour=23))  # late on as_of: counts
    estate.contact("T1", at(-1))  # the day after: ignored
    estate.contact("T1", at(29, hour=1))  # inside 30 days
    estate.contact("T1", at(33))  # outside 30 days, inside 90 (a Friday)
    f = _row(compute_features(estate.extracts(), as_of=AS_OF), "T1")
    assert (f["contacts_30d"], f["contacts_90d"]) == (2, 3)
    assert f["out_of_hours_90d"] == 2  # 23:00 and 01:00


def test_repeat_contacts_within_48_hours_are_counted():
    estate = Estate().tenancy("T1")
    for hours in (0, 30, 70, 200):
        estate.contact("T1", at(20) + timedelta(hours=hours))
    f = _row(compute_features(estate.extracts(), as_of=AS_OF), "T1")
    assert f["repeat_contacts_48h_90d"] == 2  # 30 h and 40 h after the previous one; 130 h is not


def test_ended_tenancies_are_not_scored():
    estate = Estate().tenancy("T1")
    estate.rows["tenancies"][0]["end_date"] = day(10)
    assert compute_features(estate.extracts(), as_of=AS_OF).is_empty()


def test_an_organisation_can_change_points_and_thresholds():
    estate = Estate().tenancy("T1")
    estate.repair("T1", day(40), no_access=True)
    rules = parse_rules("- {id: one_no_access, signal: no_access, points: 7, when: {no_access_90d: '>= 1'}}")
    scored = score_tenancies(estate.extracts(), as_of=AS_OF, rules=rules)
    assert _row(scored, "T1")["rule_score"] == 7


@pytest.mark.parametrize(
    "text",
    [
        "- {id: x, signal: nonsense, points: 1, when: {asb_90d: '>= 1'}}",
        "- {id: x, signal: asb, points: 1, when: {age_band: '>= 1'}}",
        "- {id: x, signal: asb, points: 1, when: {asb_90d: 'lots'}}",
    ],
)
def test_bad_rules_are_refused_with_a_clear_message(text):
    with pytest.raises(ValueError, match="invalid rules"):
        parse_rules(text)


def test_the_learned_model_gives_the_planted_pattern_as_its_top_reason(planted_training):
    features, labels = planted_training
    model = train_model(features, labels, seed=1)
    estate = usual_caller(Estate().tenancy("T1"), "T1")
    for days_ago, hour in ((9, 10), (6, 10), (2, 9), (0, 15)):  # weekdays, office hours, > 48 h apart
        estate.contact("T1", at(days_ago, hour))
    estate.tenancy("T2").contact("T2", at(4), note="said they want to end it all")
    scored = score_tenancies(estate.extracts(), as_of=AS_OF, model=model)
    assert _row(scored, "T1")["model_reasons"][0] == "4 contacts in 10 days, usually 1 a month"
    assert _row(scored, "T2")["model_reasons"][0] == "call notes mention self-harm (1 note)"


def test_rent_transactions_give_the_same_weekly_balances_and_reasons_as_a_balance_extract():
    monday = AS_OF - timedelta(days=AS_OF.weekday())
    postings = []
    for weeks_ago in range(160, -1, -1):
        week = monday - timedelta(weeks=weeks_ago)
        postings.append(
            {"transaction_ref": f"C{weeks_ago}", "tenancy_ref": "T1", "posted_on": week, "amount": 110.0}
        )
        if weeks_ago > 2:  # payments stop three weeks ago
            paid = week + timedelta(days=3)
            postings.append(
                {"transaction_ref": f"P{weeks_ago}", "tenancy_ref": "T1", "posted_on": paid, "amount": -110.0}
            )
    weeks = rent_weeks_from_transactions(pl.DataFrame(postings)).collect()
    assert weeks["balance"].to_list() == [110.0, 220.0, 330.0]
    estate = Estate().tenancy("T1")
    extracts = Extracts.from_frames(
        tenancies=pl.DataFrame(estate.rows["tenancies"], schema=SCHEMAS["tenancies"].polars_schema()),
        rent_transactions=pl.DataFrame(postings),
    )
    scored = score_tenancies(extracts, as_of=AS_OF)
    assert _row(scored, "T1")["rule_reasons"][0] == "first arrears in 3 years (£330 owed)"
