"""Small words that matter: an empty sign-in says what is missing; date pickers carry no typed-date hint
and show their value in the format the browser's picker reads."""

from __future__ import annotations

import datetime as dt

import pytest

from homeward.outcomes.forms import BusinessCaseForm

pytestmark = pytest.mark.django_db


def test_an_empty_sign_in_asks_for_the_username_and_password(client):
    page = client.post("/account/sign-in/", {"username": "", "password": ""}).content.decode()
    assert "Enter your username" in page and "Enter your password" in page
    assert "is not right" not in page


def test_a_wrong_password_still_says_not_right(client):
    page = client.post("/account/sign-in/", {"username": "nobody", "password": "wrong"}).content.decode()
    assert "The username or password is not right" in page


def test_date_pickers_have_no_typed_date_hint_and_an_iso_value():
    form = BusinessCaseForm(
        initial={"period_start": dt.date(2026, 4, 1)}, services=[("x", "X")], years=[2024]
    )
    html = str(form["period_start"])
    assert 'type="date"' in html and 'value="2026-04-01"' in html
    assert not form.fields["period_start"].help_text
