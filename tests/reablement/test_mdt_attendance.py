"""MDT attendees by discipline and organisation: each attending discipline with the organisation it came
from (none for the person or their family); a missing organisation names the field and writes nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from homeward.core.errors import ValidationFailed
from homeward.reablement import plans
from homeward.reablement.models import MdtReview


def review(world, stay, **overrides):
    fields = {
        "held_on": timezone.localdate(),
        "attendees": ["nurse", "physiotherapist", "person_or_family"],
        "medically_stable": True,
        "decisions": "Home next week with a package",
        "organisations": {"nurse": world.trust.pk, "physiotherapist": world.provider.pk},
    } | overrides
    return plans.record_review(actor=world.unit_worker, stay_id=stay.pk, **fields)


def test_attendees_are_recorded_by_discipline_and_organisation(world):
    stay = world.admitted()
    made = review(world, stay)
    assert made.attendance == [
        {"discipline": "nurse", "organisation_id": world.trust.pk, "organisation": world.trust.name},
        {"discipline": "person_or_family", "organisation_id": None, "organisation": ""},
        {
            "discipline": "physiotherapist",
            "organisation_id": world.provider.pk,
            "organisation": world.provider.name,
        },
    ]
    assert made.attendance_label == (
        f"Nurse ({world.trust.name}), The person or their family, Physiotherapist ({world.provider.name})"
    )
    # Without organisations at all, every attendee is of the recording organisation.
    plain = review(world, stay, attendees=["care_lead"], organisations=None)
    assert plain.attendance == [
        {"discipline": "care_lead", "organisation_id": world.provider.pk, "organisation": world.provider.name}
    ]


@pytest.mark.parametrize(
    ("organisations", "field"),
    [
        ({"physiotherapist": 1}, "organisations.nurse"),  # the nurse's organisation is missing
        ({"nurse": 0, "physiotherapist": 0}, "organisations.nurse"),  # no such organisation
        ({"nurse": 1, "physiotherapist": 1, "gp": 1}, "organisations.gp"),  # the GP did not attend
    ],
)
def test_an_attendee_without_a_known_organisation_is_refused(world, organisations, field):
    stay = world.admitted()
    known = {k: (world.trust.pk if v == 1 else 999_999) for k, v in organisations.items()}
    with pytest.raises(ValidationFailed) as refused:
        review(world, stay, organisations=known)
    assert field in refused.value.errors
    assert not MdtReview.objects.exists()


def test_the_review_page_records_and_shows_each_attendees_organisation(world):
    stay = world.admitted()
    client = Client()
    client.force_login(world.unit_worker.user)
    url = f"/reablement/stays/{stay.pk}/reviews/"
    page = client.get(url).content.decode()
    assert 'id="id_organisation_nurse"' in page
    data = {
        "held_on": timezone.localdate().strftime("%d/%m/%Y"),
        "attendees": ["nurse", "physiotherapist"],
        "organisation_nurse": "",
        "organisation_physiotherapist": world.provider.pk,
        "decisions": "Stairs practice daily",
    }
    refused = client.post(url, data)
    text = refused.content.decode()
    assert refused.status_code == 400 and 'href="#id_organisation_nurse"' in text
    assert "Stairs practice daily" in text and not MdtReview.objects.exists()
    saved = client.post(url, data | {"organisation_nurse": world.trust.pk})
    assert saved.status_code == 302
    shown = client.get(f"/reablement/stays/{stay.pk}/").content.decode()
    assert f"Nurse ({world.trust.name}), Physiotherapist ({world.provider.name})" in shown
