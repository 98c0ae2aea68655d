import pytest

from homeward.casework.statemachine import StateMachine
from homeward.core.errors import IllegalTransition

MACHINE = StateMachine.build(
    "example",
    {"open": ["active", "cancelled"], "active": ["closed", "cancelled"], "closed": [], "cancelled": []},
    stamps={"closed": "closed_at"},
)


def test_every_listed_move_is_allowed_and_every_other_move_is_refused_naming_the_allowed_ones():
    for current in MACHINE.statuses:
        for target in MACHINE.statuses:
            if target in MACHINE.allowed_from(current):
                MACHINE.check(current, target)
            else:
                with pytest.raises(IllegalTransition) as exc:
                    MACHINE.check(current, target)
                assert f"cannot move from '{current}' to '{target}'" in exc.value.errors["status"]


def test_final_statuses_are_those_with_no_way_out():
    assert MACHINE.final_statuses == {"closed", "cancelled"}
    with pytest.raises(IllegalTransition, match="final status"):
        MACHINE.check("closed", "open")


def test_an_unknown_status_is_refused():
    with pytest.raises(IllegalTransition):
        MACHINE.check("open", "teleported")
