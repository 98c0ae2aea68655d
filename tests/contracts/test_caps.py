"""The cap arithmetic, tried on many random contracts: no claim run ever pays past a cap."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from homeward.contracts.caps import Candidate, Ledger, allocate

DAY = dt.date(2026, 6, 1)
pounds = st.integers(min_value=0, max_value=50_000).map(lambda p: Decimal(p) / 100)


@st.composite
def contracts(draw):
    lines = draw(
        st.lists(
            st.tuples(pounds, st.integers(1, 3), st.one_of(st.none(), st.integers(1, 6))),
            min_size=1,
            max_size=4,
        )
    )
    people = [f"p{i}" for i in range(draw(st.integers(1, 6)))]
    candidates = [
        Candidate(
            key=n,
            line=line,
            person=draw(st.sampled_from(people)),
            price=lines[line][0],
            per_person=lines[line][1],
            max_claims=lines[line][2],
            achieved_on=DAY + dt.timedelta(days=draw(st.integers(0, 30))),
            deadline=DAY + dt.timedelta(days=draw(st.integers(0, 60))),
        )
        for n in range(draw(st.integers(0, 25)))
        for line in [draw(st.integers(0, len(lines) - 1))]
    ]
    total_cap = draw(pounds)
    person_cap = draw(st.one_of(st.none(), pounds))
    today = DAY + dt.timedelta(days=draw(st.integers(0, 60)))
    return candidates, total_cap, person_cap, today


@given(contracts())
def test_no_run_pays_past_any_cap(contract):
    candidates, total_cap, person_cap, today = contract
    decisions = allocate(candidates, Ledger(), total_cap=total_cap, person_cap=person_cap, today=today)
    paid = [d for d in decisions if d.paid]
    assert sum((d.amount for d in paid), Decimal(0)) <= total_cap
    for d in decisions:
        assert Decimal(0) <= d.amount <= d.candidate.price
        assert d.paid or d.amount == 0
        if d.paid:
            assert today <= d.candidate.deadline
    people = {d.candidate.person for d in paid}
    if person_cap is not None:
        for person in people:
            assert sum((d.amount for d in paid if d.candidate.person == person), Decimal(0)) <= person_cap
    for line in {d.candidate.line for d in paid}:
        on_line = [d for d in paid if d.candidate.line == line]
        limit = on_line[0].candidate.max_claims
        assert limit is None or len(on_line) <= limit
        for person in people:
            assert sum(1 for d in on_line if d.candidate.person == person) <= on_line[0].candidate.per_person


@given(contracts())
def test_money_is_not_left_on_the_table(contract):
    """A claim is refused for money only when the cap it names is really used up."""
    candidates, total_cap, person_cap, today = contract
    ledger = Ledger()
    for d in allocate(candidates, ledger, total_cap=total_cap, person_cap=person_cap, today=today):
        if "total cap" in d.reason:
            assert ledger.total == total_cap
        if d.capped:
            assert d.amount > 0


def test_a_cap_hit_exactly_then_exceeded():
    def outcome(n, person="p"):
        return Candidate(
            n,
            1,
            f"{person}{n}",
            Decimal("100.00"),
            1,
            None,
            DAY + dt.timedelta(days=n),
            DAY + dt.timedelta(days=90),
        )

    exact = allocate(
        [outcome(n) for n in range(3)], Ledger(), total_cap=Decimal("300.00"), person_cap=None, today=DAY
    )
    assert [d.amount for d in exact] == [Decimal("100.00")] * 3 and not any(d.capped for d in exact)
    over = allocate(
        [outcome(n) for n in range(4)], Ledger(), total_cap=Decimal("250.00"), person_cap=None, today=DAY
    )
    assert [d.amount for d in over] == [
        Decimal("100.00"),
        Decimal("100.00"),
        Decimal("50.00"),
        Decimal("0.00"),
    ]
    assert over[2].capped and over[3].reason == "The contract's total cap is reached"
