"""The falls-prevention home hazard check: hazards found, the actions they call for, and bad answers."""

from __future__ import annotations

import pytest

from homeward.engines.healthyhomes import (
    ActionKind,
    HealthyHomesInputError,
    default_checklist,
    falls_check,
    parse_checklist,
)
from homeward.engines.hhsrs import HAZARDS


def test_the_checklist_names_real_hhsrs_hazards_and_cites_nice_for_the_idea_only():
    checklist = default_checklist()
    assert {item.hhsrs_hazard for item in checklist.items} - {None} <= set(HAZARDS)
    assert "NG249" in checklist.source and "No NICE text is reproduced" in checklist.source
    assert all(item.question.endswith("?") for item in checklist.items)


def test_each_yes_is_a_finding_grouped_by_the_action_it_calls_for():
    answers = {item.code: "no" for item in default_checklist().items}
    answers |= {
        "stair_rail_missing": "yes",
        "bath_a_struggle": "yes",
        "home_cold": "yes",
        "path_uneven": "yes",
        "fallen_at_home": "yes",
        "outside_dark": "not_applicable",
    }
    result = falls_check(answers, notes={"home_cold": "Keeps the heating off to save money"})
    assert [f.code for f in result.findings] == [
        "path_uneven",
        "stair_rail_missing",
        "bath_a_struggle",
        "home_cold",
        "fallen_at_home",
    ]
    assert result.actions[ActionKind.HANDYPERSON_JOB] == [
        "Level or repair the path and make it non-slip (landlord repair if rented).",
        "Fit a second handrail so there is a rail on each side.",
    ]
    assert result.actions[ActionKind.ADAPTATION] == [
        "Occupational therapy assessment for bathing equipment or a level-access shower."
    ]
    assert set(result.actions) == {
        ActionKind.HANDYPERSON_JOB,
        ActionKind.ADAPTATION,
        ActionKind.WARM_HOMES_REFERRAL,
        ActionKind.FALLS_REFERRAL,
    }
    assert result.findings[3].note == "Keeps the heating off to save money"
    assert result.findings[3].hhsrs_hazard == "excess_cold"
    assert result.complete and result.summary == "5 hazards found in 23 questions answered."


def test_a_partial_check_lists_what_was_not_asked():
    result = falls_check({"loose_rugs": "no"})
    assert not result.complete and "loose_rugs" not in result.unanswered and len(result.unanswered) == 22
    assert result.findings == [] and result.actions == {}


def test_unknown_questions_and_answers_are_refused_by_path():
    with pytest.raises(HealthyHomesInputError) as caught:
        falls_check({"stair_rail_missing": "maybe"})
    assert [str(i) for i in caught.value.issues] == [
        "answers.stair_rail_missing: Input should be 'yes', 'no' or 'not_applicable'"
    ]
    with pytest.raises(HealthyHomesInputError) as caught:
        falls_check({"trampoline": "yes"}, notes={"pond": "deep"})
    assert [str(i) for i in caught.value.issues] == [
        "answers.trampoline: is not a question of the checklist",
        "notes.pond: is not a question of the checklist",
    ]


def test_a_checklist_with_duplicate_codes_is_refused():
    item = {"code": "a", "area": "Hall", "question": "Dark?", "action_kind": "advice", "action": "Light it."}
    with pytest.raises(HealthyHomesInputError, match="items: two questions share a code"):
        parse_checklist(
            {"format": "homeward-falls-checklist/1", "name": "X", "source": "Y", "items": [item, item]}
        )
