"""NHS number: Modulus 11 (NHS Data Dictionary), checked in the validator, the service and the page."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from homeward.core.errors import ValidationFailed
from homeward.core.models import Person
from homeward.core.validators import nhs_number_problem
from homeward.people.services import register_person
from tests.factories import make_actor

WEIGHTS = range(10, 1, -1)


def modulus11_check(nine_digits: str) -> int:
    """Our own statement of the rule: 11 - (sum of digit × weight 10..2) mod 11; 11 -> 0; 10 -> invalid."""
    check = 11 - sum(int(d) * w for d, w in zip(nine_digits, WEIGHTS, strict=True)) % 11
    return 0 if check == 11 else check


# NHS numbers in England, Wales and Isle of Man start 4, 6 or 7; 999 is the test range. Numbers starting
# 0-3 are Scottish CHI numbers, which also encode a date of birth (tested separately below).
nine_digits = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from("456789"),
    st.text(alphabet="0123456789", min_size=8, max_size=8),
)


@given(nine_digits)
def test_a_number_with_the_right_check_digit_is_valid_and_every_other_check_digit_is_not(body):
    check = modulus11_check(body)
    for digit in range(10):
        problem = nhs_number_problem(body + str(digit))
        if check != 10 and digit == check:
            assert problem is None
        else:
            assert problem is not None and "check digit" in problem


@given(nine_digits, st.sampled_from([" ", "-"]))
def test_spaces_and_hyphens_in_the_usual_3_3_4_format_are_accepted(body, sep):
    check = modulus11_check(body)
    if check == 10:
        return
    number = body + str(check)
    assert nhs_number_problem(f"{number[:3]}{sep}{number[3:6]}{sep}{number[6:]}") is None


@given(
    st.text(min_size=0, max_size=14).filter(
        lambda s: (
            not (
                s.replace(" ", "").replace("-", "").isdigit()
                and len(s.replace(" ", "").replace("-", "")) == 10
            )
        )
    )
)
def test_anything_that_is_not_10_digits_is_refused_with_a_clear_message(text):
    assert nhs_number_problem(text) == "NHS number must be 10 digits"


def test_a_scottish_chi_number_must_start_with_a_real_date():
    def with_check(prefix: str) -> str:
        body = next(b for b in (f"{prefix}{i:03d}" for i in range(1000)) if modulus11_check(b) != 10)
        return body + str(modulus11_check(body))

    assert nhs_number_problem(with_check("010150")) is None  # 01/01/50
    assert nhs_number_problem(with_check("300250")) is not None  # 30/02/50 is not a date


@given(st.integers(min_value=0, max_value=9), st.integers(min_value=0, max_value=8))
def test_changing_any_single_digit_of_a_valid_number_makes_it_invalid(new_digit, position):
    valid = "9434765919"
    if valid[position] == str(new_digit):
        return
    changed = valid[:position] + str(new_digit) + valid[position + 1 :]
    assert nhs_number_problem(changed) is not None


@pytest.mark.django_db
def test_the_service_refuses_a_bad_nhs_number_and_writes_nothing():
    actor = make_actor()
    with pytest.raises(ValidationFailed) as exc:
        register_person(
            actor=actor,
            given_name="Ann",
            family_name="Lee",
            date_of_birth=dt.date(1960, 1, 1),
            nhs_number="943 476 5918",
        )
    assert "Modulus 11" in exc.value.errors["nhs_number"]
    assert Person.objects.count() == 0


@pytest.mark.django_db
def test_the_register_page_shows_the_nhs_number_error_in_the_error_summary(client):
    actor = make_actor()
    client.force_login(actor.user)
    response = client.post(
        "/people/new/",
        {
            "given_name": "Ann",
            "family_name": "Lee",
            "date_of_birth": "01/01/1960",
            "nhs_number": "9434765918",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and 'href="#id_nhs_number"' in page and "Modulus 11" in page
    assert Person.objects.count() == 0
