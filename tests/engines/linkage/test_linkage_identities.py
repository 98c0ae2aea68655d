"""Stable identities: ids survive re-runs and new records; a merge then a split restores both."""

from __future__ import annotations

import json

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from homeward.engines.linkage import (
    IdentityState,
    combine_sources,
    generate_uk,
    link_records,
    update_identities,
)


def _keys(frame: pl.DataFrame) -> list[tuple[str, str]]:
    return list(frame.select("source", "record_id").iter_rows())


def _links(pairs: pl.DataFrame) -> set[tuple[tuple[str, str], tuple[str, str]]]:
    linked = pairs.filter(pl.col("decision") == "linked")
    return {
        ((a, b), (c, d))
        for a, b, c, d in linked.select("source_l", "record_id_l", "source_r", "record_id_r").iter_rows()
    }


def test_rerunning_the_model_and_adding_ten_percent_new_records_keeps_every_confirmed_identity(test_options):
    data = generate_uk(1_100, 1_100, overlap=0.5, seed=77)
    everyone = combine_sources({"housing": data.left, "hospital": data.right})
    later = everyone.sample(fraction=1 / 11, seed=5)["record_id"]  # the 10% that arrive later
    first = everyone.filter(~pl.col("record_id").is_in(later.implode()))

    run1 = link_records(first, options=test_options)
    confirmed = _links(run1.pairs)
    state1 = update_identities(IdentityState(), records=_keys(first), links=confirmed).state
    assert sum(1 for members in state1.identities().values() if len(members) > 1) > 400

    run2 = link_records(everyone, options=test_options)  # retrained on more records
    update = update_identities(state1, records=_keys(everyone), links=confirmed | _links(run2.pairs))
    confirmed_identities = {i: m for i, m in state1.identities().items() if len(m) > 1}
    for identity, members in confirmed_identities.items():
        assert {update.state.assignments[r] for r in members} == {identity}
    # Nothing confirmed was split or closed; new records made new identities or joined old ones.
    assert not [e for e in update.events if e.kind in ("split", "restored", "closed")]
    assert not [e for e in update.events if e.kind == "merged" and e.other in confirmed_identities]
    assert any(e.kind == "created" for e in update.events)


def test_a_merge_then_a_split_restores_both_identities_with_their_records():
    tenant = [("housing", "T1"), ("housing", "T2")]
    patient = [("hospital", "P1"), ("hospital", "P2")]
    everyone = tenant + patient
    base = [(tenant[0], tenant[1]), (patient[0], patient[1])]
    before = update_identities(IdentityState(), records=everyone, links=base)
    ids = {before.state.assignments[tenant[0]], before.state.assignments[patient[0]]}
    assert len(ids) == 2 and [e.kind for e in before.events] == ["created", "created"]

    merged = update_identities(before.state, records=everyone, links=[*base, (tenant[1], patient[0])])
    assert len(set(merged.state.assignments.values())) == 1
    assert [e.kind for e in merged.events] == ["merged"]
    # A record arrives and joins the merged identity before the link is undone.
    newcomer = ("hospital", "P3")
    grown = update_identities(
        merged.state,
        records=[*everyone, newcomer],
        links=[*base, (tenant[1], patient[0]), (patient[1], newcomer)],
    )
    split = update_identities(
        grown.state, records=[*everyone, newcomer], links=[*base, (patient[1], newcomer)]
    )
    assert [e.kind for e in split.events] == ["restored"]
    for record in everyone:
        assert split.state.assignments[record] == before.state.assignments[record]
    assert split.state.assignments[newcomer] == before.state.assignments[patient[0]]
    assert not split.state.retired


def test_state_survives_json_and_the_same_inputs_give_the_same_ids():
    records = [("a", str(i)) for i in range(6)]
    links = [(records[0], records[1]), (records[2], records[3]), (records[1], records[2])]
    one = update_identities(IdentityState(), records=records, links=links)
    two = update_identities(IdentityState(), records=list(reversed(records)), links=list(reversed(links)))
    assert one.state.assignments == two.state.assignments
    restored = IdentityState.from_dict(json.loads(json.dumps(one.state.as_dict())))
    assert restored == one.state
    again = update_identities(restored, records=records, links=links)
    assert again.events == () and again.state.assignments == one.state.assignments


edges = st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11)), max_size=14)


@settings(max_examples=20, deadline=None)
@given(base=edges, extra=edges)
def test_adding_links_then_taking_them_away_gives_back_the_original_ids(base, extra):
    records = [("s", str(i)) for i in range(12)]
    as_links = lambda pairs: [(records[a], records[b]) for a, b in pairs if a != b]  # noqa: E731
    start = update_identities(IdentityState(), records=records, links=as_links(base))
    joined = update_identities(start.state, records=records, links=as_links(base + extra))
    back = update_identities(joined.state, records=records, links=as_links(base))
    assert back.state.assignments == start.state.assignments
    # Re-running with the same links changes nothing.
    assert update_identities(back.state, records=records, links=as_links(base)).events == ()
