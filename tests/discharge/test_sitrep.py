"""The weekly discharge situation report: one reason per delayed patient per day, averaged over the week, in
the list in force, with hand-computed figures for a small trust; exports, access and bad input."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
import typer
from django.utils import timezone
from typer.testing import CliRunner

from homeward.cli import discharge as discharge_cli
from homeward.core.errors import NotFound, ValidationFailed
from homeward.core.models import OrganisationKind
from homeward.core.roles import Role
from homeward.discharge import services
from homeward.discharge.delay_reasons import SHIPPED, load_reason_list
from homeward.discharge.models import Blocker, CaseEvent, DelayReason, DelayReasonOverride, DischargeCase
from homeward.discharge.sitrep import case_reasons, sitrep_csv, sitrep_xlsx, weekly_sitrep
from tests.factories import AgreementFactory, OrganisationFactory, PersonFactory, make_actor, share_case

pytestmark = pytest.mark.django_db

ACUTE = [
    line.split(",", 1)[1] for line in (SHIPPED / "acute-2024-01" / "reasons.csv").read_text().splitlines()[1:]
]
WEEK = dt.date(2024, 1, 8)


def D(month: int, day: int, year: int = 2024) -> dt.date:  # noqa: N802
    return dt.date(year, month, day)


def make_case(world, admitted, ready=None, discharged=None, pathway="", housing=None):
    housing = housing or world.housing
    person = PersonFactory(organisation=world.trust)
    case = DischargeCase.objects.create(
        person=person,
        organisation=world.trust,
        housing_organisation=housing,
        referred_by=world.clinician.user,
        hospital=world.hospital,
        referral_reason="Stairs",
        admitted_on=admitted,
        referred_at=timezone.now(),
        discharge_ready_on=ready,
        discharged_on=discharged,
        pathway=pathway,
        status="discharged" if discharged else "ready",
    )
    share_case(person, housing, case_type="discharge.case", case_id=case.pk)
    return case


def block(case, category, raised, resolved=None):
    return Blocker.objects.create(
        case=case,
        category=category,
        description="x",
        owner_organisation=case.organisation,
        raised_on=raised,
        due_on=raised,
        resolved_on=resolved,
        resolution="done" if resolved else "",
    )


@pytest.fixture
def small_trust(world):
    """Five patients delayed in the week of Monday 8 January 2024, and one discharged on its ready date."""
    a = make_case(world, D(12, 1, 2023), D(1, 1))  # 21+ all week, homeless
    block(a, "homeless", D(1, 1))
    b = make_case(world, D(12, 27, 2023), D(1, 5), D(1, 12), pathway="1")  # reaches 14 days on Wed 10th
    block(b, "care_package", D(1, 5))
    c = make_case(world, D(12, 20, 2023), D(1, 2))  # 19 days on Monday, 21 on Wednesday
    block(c, "equipment", D(1, 2), D(1, 10))  # two blockers overlapping on the 9th: the oldest counts
    block(c, "transport", D(1, 9))
    d = make_case(world, D(12, 1, 2023), D(1, 3))  # no blocker: no reason recorded
    e = make_case(world, D(12, 1, 2023), D(1, 3))
    block(e, "medication", D(1, 3), D(1, 9))
    block(e, "choice", D(1, 9), D(1, 9))  # opened and closed the same day: holds no day
    make_case(world, D(1, 5), D(1, 9), D(1, 9), pathway="0")  # discharged on its discharge-ready date
    return {"a": a, "b": b, "c": c, "d": d, "e": e}


def figures(report, attr="los_14"):
    return {r.reason: getattr(r, attr) for r in report.reasons if getattr(r, attr)}


def test_reasons_and_headers_are_the_shipped_list_verbatim_and_averages_are_hand_computed(world, small_trust):
    report = weekly_sitrep(actor=world.clinician, organisation_id=world.trust.pk, week=WEEK)
    assert [r.reason for r in report.reasons] == ACUTE and len(ACUTE) == 18
    assert report.table5_header()[4:] == ACUTE
    # Patient-days with a stay of 14+ days: a 7 (homeless), b 2 (care package, 10th-11th), c 2 (equipment,
    # 8th-9th) + 5 (transport, 10th-14th), d 7 (none), e 1 (medication, 8th) + 6 (none, 9th-14th) = 30.
    assert figures(report) == {
        "Homeless/no right of recourse to public funds/no place to discharge to": 1.0,
        "Pathway 1: awaiting availability of resource for assessment and start of care at home": 0.29,
        "Awaiting community equipment and adaptations to housing": 0.29,
        "Awaiting transport": 0.71,
        "Awaiting medicines to take home": 0.14,
    }
    assert report.not_recorded_14 == 1.86 and report.los_14_plus == 4.29  # 13/7 and 30/7
    # 21+: a 7, c 5 (from the 10th), d 7, e 7 = 26; b never reaches 21 days.
    assert figures(report, "los_21") == {
        "Homeless/no right of recourse to public funds/no place to discharge to": 1.0,
        "Awaiting transport": 0.71,
        "Awaiting medicines to take home": 0.14,
    }
    assert report.not_recorded_21 == 1.86 and report.los_21_plus == 3.71
    assert report.discharged == 2 and report.discharged_on_ready_date == 1
    assert report.discharges_by_pathway == {"0": 1, "1": 1, "2": 0, "3": 0, "": 0}
    by_day = {d.day: (d.delayed_14, d.delayed_21, d.discharged) for d in report.days}
    assert by_day[D(1, 8)] == (4, 3, 0) and by_day[D(1, 10)] == (5, 4, 0) and by_day[D(1, 12)] == (4, 4, 1)
    assert [r.housing for r in report.reasons if r.reason.startswith(("Homeless", "Awaiting community"))] == [
        True,
        True,
    ]


def test_an_override_replaces_the_blockers_reason_from_its_day_and_is_on_the_timeline(world, small_trust):
    d = small_trust["d"]
    transport = DelayReason.objects.get(reason_list__key="acute-2024-01", text="Awaiting transport")
    services.set_delay_reason(
        actor=world.officer,
        case_id=d.pk,
        reason_id=transport.pk,
        starts_on=D(1, 10),
        note="Booked for Monday",
    )
    report = weekly_sitrep(actor=world.clinician, organisation_id=world.trust.pk, week=WEEK)
    assert figures(report)["Awaiting transport"] == 1.43  # (5 + 5) / 7
    assert (
        report.not_recorded_14 == 1.14 and report.los_14_plus == 4.29
    )  # (2 + 6) / 7; the total is unchanged
    event = CaseEvent.objects.get(case=d, title__startswith="NHS delay reason set")
    assert "Awaiting transport" in event.title and event.note == "Booked for Monday"
    services.set_delay_reason(actor=world.clinician, case_id=d.pk, reason_id=None, starts_on=D(1, 12))
    report = weekly_sitrep(actor=world.clinician, organisation_id=world.trust.pk, week=WEEK)
    assert figures(report)["Awaiting transport"] == 1.0  # (5 + 2) / 7: the override held the 10th and 11th
    assert DelayReasonOverride.objects.get(case=d).ends_on == D(1, 12)
    assert CaseEvent.objects.filter(case=d, title__startswith="NHS delay reason override removed").exists()


def test_an_override_is_refused_with_a_clear_error_and_nothing_written(world, small_trust):
    d = small_trust["d"]
    transport = DelayReason.objects.get(reason_list__key="acute-2024-01", text="Awaiting transport")
    with pytest.raises(ValidationFailed) as error:
        services.set_delay_reason(
            actor=world.officer, case_id=d.pk, reason_id=transport.pk, starts_on=D(1, 1)
        )
    assert error.value.errors == {"starts_on": "The override cannot start before the discharge-ready date"}
    with pytest.raises(ValidationFailed) as error:
        services.set_delay_reason(actor=world.officer, case_id=d.pk, reason_id=999_999)
    assert error.value.errors == {"reason_id": "No delay reason with that id"}
    assert not DelayReasonOverride.objects.exists() and not CaseEvent.objects.filter(case=d).exists()


def test_a_week_spanning_a_month_end(world):
    case = make_case(world, D(1, 10), D(1, 20), D(2, 2), pathway="2")
    block(case, "home_unsuitable", D(1, 20))
    report = weekly_sitrep(actor=world.clinician, organisation_id=world.trust.pk, week=D(1, 29))
    # Delayed 29 Jan - 1 Feb (4 days, all 19+ days' stay); 21+ on 31 Jan and 1 Feb.
    assert figures(report) == {"Awaiting community equipment and adaptations to housing": 0.57}
    assert figures(report, "los_21") == {"Awaiting community equipment and adaptations to housing": 0.29}
    assert [d.day for d in report.days][2:5] == [D(1, 31), D(2, 1), D(2, 2)]
    assert report.discharges_by_pathway["2"] == 1 and report.discharged_on_ready_date == 0


def test_a_list_change_mid_year_leaves_old_weeks_in_the_old_list(world, tmp_path):
    """A revised list (here the January 2024 reasons in reverse order, as test data) comes into use on
    Monday 1 July 2024: the week before still reports in the January list."""
    target = tmp_path / "test-acute-2024-07"
    shutil.copytree(SHIPPED / "acute-2024-01", target)
    reasons = list(reversed(ACUTE))
    order = {text: n for n, text in enumerate(reasons, start=1)}
    (target / "reasons.csv").chmod(0o644)
    (target / "mapping.csv").chmod(0o644)
    (target / "list.json").chmod(0o644)
    import csv

    with (target / "reasons.csv").open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["order", "reason"])
        writer.writerows((order[text], text) for text in reasons)
    rows = list(csv.DictReader((SHIPPED / "acute-2024-01" / "mapping.csv").read_text().splitlines()))
    with (target / "mapping.csv").open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["category", "order", "reason"])
        writer.writerows((row["category"], order[row["reason"]], row["reason"]) for row in rows)
    meta = json.loads((target / "list.json").read_text()) | {
        "key": "test-acute-2024-07",
        "in_use_from": "2024-07-01",
        "title": "Test list",
    }
    (target / "list.json").write_text(json.dumps(meta))
    load_reason_list(path=target)

    case = make_case(world, D(5, 1), D(6, 1))
    block(case, "transport", D(6, 1))
    old = weekly_sitrep(actor=world.clinician, organisation_id=world.trust.pk, week=D(6, 24))
    new = weekly_sitrep(actor=world.clinician, organisation_id=world.trust.pk, week=D(7, 1))
    assert old.reason_list.key == "acute-2024-01" and [r.reason for r in old.reasons] == ACUTE
    assert new.reason_list.key == "test-acute-2024-07" and [r.reason for r in new.reasons] == reasons
    assert figures(old) == figures(new) == {"Awaiting transport": 1.0}
    # The old week asked again after the change still answers in the old list.
    again = weekly_sitrep(actor=world.clinician, organisation_id=world.trust.pk, week=D(6, 24))
    assert again.table5_header() == old.table5_header()


@pytest.mark.parametrize(
    ("week", "organisation", "field", "message"),
    [
        (D(1, 10), None, "week", "week starts on a Monday; 10 January 2024 is a Wednesday"),
        (D(1, 8), 999_999, "organisation", "No organisation with id 999999"),
        (D(12, 25, 2023), None, "week", "No acute delay-reason list was in force on 25 December 2023"),
        (D(12, 28, 2099), None, "week", "has not ended"),
    ],
)
def test_bad_input_is_refused_with_the_field_named(world, week, organisation, field, message):
    with pytest.raises(ValidationFailed) as error:
        weekly_sitrep(actor=world.clinician, organisation_id=organisation or world.trust.pk, week=week)
    assert message in error.value.errors[field]


def test_a_housing_provider_sees_only_its_own_cases_and_small_numbers_hidden(world, small_trust):
    other = OrganisationFactory(name="Other Homes", kind=OrganisationKind.HOUSING_PROVIDER)
    AgreementFactory(parties=[world.trust, other])
    for _ in range(5):  # five more patients, delayed all week with another housing provider
        block(make_case(world, D(12, 1, 2023), D(1, 1), housing=other), "homeless", D(1, 1))
    trust = weekly_sitrep(actor=world.clinician, organisation_id=world.trust.pk, week=WEEK)
    assert figures(trust)[ACUTE[9]] == 6.0 and trust.los_14_plus == 9.29 and not trust.shared
    theirs = weekly_sitrep(
        actor=make_actor(Role.CASEWORKER, other), organisation_id=world.trust.pk, week=WEEK
    )
    assert theirs.shared and theirs.los_14_plus == 5.0 and figures(theirs) == {ACUTE[9]: 5.0}
    ours = weekly_sitrep(actor=world.officer, organisation_id=world.trust.pk, week=WEEK)
    assert ours.shared and ours.scope.startswith("Only the cases Riverside Homes")
    # Riverside's own figures are all below 5: hidden, and the total with them.
    assert ours.los_14_plus is None and all(r.los_14 in (None, 0) for r in ours.reasons)
    assert sitrep_csv(ours).count("*") >= 6
    stranger = make_actor(Role.CASEWORKER, OrganisationFactory(name="Unrelated Homes"))
    with pytest.raises(NotFound):
        weekly_sitrep(actor=stranger, organisation_id=world.trust.pk, week=WEEK)


def test_small_number_rule_hides_a_second_figure_when_only_one_would_be_hidden(world):
    for _ in range(5):
        block(make_case(world, D(12, 1, 2023), D(1, 1)), "homeless", D(1, 1))
    block(make_case(world, D(12, 1, 2023), D(1, 1)), "transport", D(1, 1))
    for _ in range(6):
        block(make_case(world, D(12, 1, 2023), D(1, 1)), "medication", D(1, 1))
    shared = weekly_sitrep(actor=world.clinician, organisation_id=world.trust.pk, week=WEEK, shared=True)
    cells = {r.reason: r.los_14 for r in shared.reasons}
    assert cells["Awaiting transport"] is None  # 1.0: small
    assert cells[ACUTE[9]] is None  # 5.0 is not small, but hidden so that 1.0 cannot be worked out
    assert cells["Awaiting medicines to take home"] == 6.0 and shared.los_14_plus == 12.0


def test_the_page_shows_the_report_and_the_xlsx_cells_equal_its_figures(client, world, small_trust):
    client.force_login(world.clinician.user)
    response = client.get("/discharge/sitrep/", {"organisation": world.trust.pk, "week": "2024-01-08"})
    assert response.status_code == 200
    page = response.content.decode()
    report = response.context["report"]
    assert 'id="los-14">4.29' in page and 'id="not-recorded">1.86' in page
    for reason in ACUTE:
        assert reason in page
    xlsx = client.get("/discharge/sitrep.xlsx", {"organisation": world.trust.pk, "week": "2024-01-08"})
    assert xlsx.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    table5 = [list(row) for row in book["Table 5"].iter_rows(values_only=True)]
    assert table5[0][4:] == ACUTE
    assert table5[1][3] == "14 days or over" and table5[1][4:] == [r.los_14 for r in report.reasons]
    assert table5[2][4:] == [r.los_21 for r in report.reasons]
    for reason in report.reasons:
        if reason.los_14:
            assert f'{reason.reason}</th><td class="nhsuk-table__cell">{reason.los_14}</td>' in page.replace(
                ' <strong class="nhsuk-tag nhsuk-tag--orange">Housing</strong>', ""
            )
    discharges = [list(row) for row in book["Discharges"].iter_rows(values_only=True)]
    assert discharges[-1][0] == "Week" and discharges[-1][-2:] == [2, 1]
    csv_response = client.get("/discharge/sitrep.csv", {"organisation": world.trust.pk, "week": "2024-01-08"})
    assert csv_response.content.decode() == sitrep_csv(report)
    assert (
        openpyxl.load_workbook(io.BytesIO(sitrep_xlsx(report)))["Table 5"]["E2"].value
        == report.reasons[0].los_14
    )


def test_the_page_and_exports_refuse_bad_input_naming_the_field(client, world):
    client.force_login(world.clinician.user)
    response = client.get("/discharge/sitrep/", {"organisation": world.trust.pk, "week": "2024-01-09"})
    assert response.status_code == 400 and "is a Tuesday" in response.content.decode()
    response = client.get("/discharge/sitrep.xlsx", {"organisation": world.trust.pk, "week": "2024-01-09"})
    assert response.status_code == 400 and response.content.decode().startswith("week:")
    response = client.get("/discharge/sitrep.csv", {"organisation": "999999", "week": "2024-01-08"})
    assert response.status_code == 400 and "organisation" in response.content.decode()


def test_the_case_page_shows_the_reason_and_the_override_route_sets_it(client, world):
    case = world.refer(discharge_ready_on=timezone.localdate() - dt.timedelta(days=2))
    services.raise_blocker(
        actor=world.officer,
        case_id=case.pk,
        category="homeless",
        description="No home",
        due_on=timezone.localdate(),
    )
    reasons = case_reasons(case)
    assert reasons is not None and reasons.current == ACUTE[9] and reasons.current_source == "blocker"
    client.force_login(world.officer.user)
    page = client.get(f"/discharge/cases/{case.pk}/").content.decode()
    assert "NHS delay reason" in page and ACUTE[9] in page
    transport = DelayReason.objects.get(reason_list__key="acute-2024-01", text="Awaiting transport")
    response = client.post(
        f"/discharge/cases/{case.pk}/delay-reason/", {"reason": transport.pk, "note": "Taxi"}
    )
    assert response.status_code == 302
    reasons = case_reasons(case)
    assert (
        reasons is not None
        and reasons.current == "Awaiting transport"
        and reasons.current_source == "override"
    )


def test_cli_writes_the_workbook_and_prints_json_and_bad_input_writes_nothing(world, small_trust, tmp_path):
    app = typer.Typer()
    discharge_cli.register(app)
    out = tmp_path / "sitrep.xlsx"
    args = ["discharge", "sitrep", "--organisation", str(world.trust.pk), "--week", "2024-01-08"]
    result = CliRunner().invoke(app, [*args, "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert (
        printed["week"] == "2024-01-08" and printed["los_14_plus"] == 4.29 and printed["los_21_plus"] == 3.71
    )
    assert list(printed["reasons"]) == ACUTE and printed["reasons"]["Awaiting transport"] == 0.71
    assert openpyxl.load_workbook(out)["Table 5"]["D2"].value == "14 days or over"
    bad = tmp_path / "bad.xlsx"
    for wrong in (["--week", "2024-01-07"], ["--organisation", "999999"]):
        argv = [*args, "--out", str(bad)]
        argv[argv.index(wrong[0]) + 1] = wrong[1]
        result = CliRunner().invoke(app, argv)
        assert result.exit_code == 2
        assert f"{wrong[0].lstrip('-')}: " in result.output
        assert not bad.exists()


def test_stays_counts_an_ended_case_only_until_it_ended(world):
    case = make_case(world, D(12, 1, 2023), D(1, 1))
    case.status = "cancelled"
    case.save()
    CaseEvent.objects.create(
        case=case,
        occurred_at=timezone.make_aware(dt.datetime(2024, 1, 10, 12)),
        organisation=world.trust,
        title="Moved to Cancelled",
        to_status="cancelled",
    )
    report = weekly_sitrep(actor=world.clinician, organisation_id=world.trust.pk, week=WEEK)
    assert report.los_14_plus == 0.29 and report.not_recorded_14 == 0.29  # the 8th and 9th only
    assert Path(SHIPPED).is_dir()


def test_a_patient_who_meets_the_criteria_to_reside_again_is_not_counted_until_ready_again(world):
    case = make_case(world, D(12, 1, 2023), D(1, 1))
    block(case, "transport", D(1, 1))
    for day, old, new in ((D(1, 9), "ready", "active"), (D(1, 12), "active", "ready")):
        CaseEvent.objects.create(
            case=case,
            occurred_at=timezone.make_aware(dt.datetime.combine(day, dt.time(11))),
            organisation=world.trust,
            title="Moved",
            from_status=old,
            to_status=new,
        )
    report = weekly_sitrep(actor=world.clinician, organisation_id=world.trust.pk, week=WEEK)
    # Delayed on the 8th, then unwell on the 9th-11th, delayed again from the 12th: 4 of 7 days.
    assert figures(report) == {"Awaiting transport": 0.57}


def test_the_page_for_a_housing_provider_hides_small_numbers_and_a_stranger_gets_404(
    client, world, small_trust
):
    params = {"organisation": world.trust.pk, "week": "2024-01-08"}
    client.force_login(world.officer.user)
    response = client.get("/discharge/sitrep/", params)
    page = response.content.decode()
    assert response.status_code == 200 and "Only the cases Riverside Homes is the housing team for" in page
    assert "Figures above 0 and below 5 are shown as *" in page and 'id="los-14">*' in page
    stranger = make_actor(Role.CASEWORKER, OrganisationFactory(name="Unrelated Homes"))
    client.force_login(stranger.user)
    assert client.get("/discharge/sitrep/", params).status_code == 404
    assert client.get("/discharge/sitrep.xlsx", params).status_code == 404


def test_the_community_collection_reports_in_its_own_list_of_20(world, small_trust):
    report = weekly_sitrep(
        actor=world.clinician, organisation_id=world.trust.pk, week=WEEK, collection="community"
    )
    community = (SHIPPED / "community-2024-01" / "reasons.csv").read_text().splitlines()
    assert len(report.reasons) == 20 and report.reason_list.key == "community-2024-01"
    assert report.reasons[13].reason.startswith(
        "Homeless/no right of recourse to public funds/no place to discharge to/"
    )
    assert report.los_14_plus == 4.29 and len(community) == 21
    homeless = report.reasons[13].reason
    assert figures(report)[homeless] == 1.0


def test_backfill_stores_delayed_days_for_cases_discharged_before_and_can_run_again(world):
    from homeward.discharge.models import DelayedDays

    case = make_case(world, D(1, 1), D(1, 10), D(1, 15))
    block(case, "homeless", D(1, 10))
    app = typer.Typer()
    discharge_cli.register(app)
    for _ in range(2):
        result = CliRunner().invoke(app, ["discharge", "backfill-delayed-days", "--json"])
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout) == {"cases": 1}
    acute = DelayedDays.objects.get(case=case, collection="acute")
    assert (acute.reason.text, acute.days, acute.housing) == (ACUTE[9], 5, True)
    assert DelayedDays.objects.filter(case=case).count() == 2  # one per collection
