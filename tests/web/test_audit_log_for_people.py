"""The audit log reads for people: names, role labels, the object's human name, filters kept in the URL
without piling up, and a bounded CSV export of the filtered log."""

from __future__ import annotations

import csv
import io
import re

import pytest

from homeward.core.models import OrganisationKind
from homeward.core.roles import Role
from homeward.people.selectors import get_person
from tests.factories import OrganisationFactory, PersonFactory, make_actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def log():
    trust = OrganisationFactory(kind=OrganisationKind.NHS_TRUST)
    lead = make_actor(Role.TEAM_LEAD, trust, first_name="Priya", last_name="Shah")
    ig = make_actor(Role.IG_OFFICER, trust)
    person = PersonFactory(organisation=trust, given_name="June", family_name="Ali")
    for _ in range(60):
        get_person(actor=lead, person_id=person.pk)
    return {"lead": lead, "ig": ig, "person": person}


def test_the_log_shows_names_role_labels_and_the_objects_name(client, log):
    client.force_login(log["ig"].user)
    page = client.get("/audit/", {"action": "view"}).content.decode()
    assert "Priya Shah" in page and "Team lead" in page and ">team_lead<" not in page
    assert "June Ali" in page and "core.person" not in page


def test_pagination_keeps_the_filters_without_piling_them_up(client, log):
    client.force_login(log["ig"].user)
    first = client.get("/audit/", {"action": "view"}).content.decode()
    older = re.search(r'href="\?([^"]*)">Older', first).group(1).replace("&amp;", "&")
    assert older == "action=view&page=2"
    second = client.get(f"/audit/?{older}").content.decode()
    newer = re.search(r'href="\?([^"]*)">Newer', second).group(1).replace("&amp;", "&")
    assert newer == "action=view&page=1"


def test_the_filtered_log_downloads_as_csv(client, log):
    client.force_login(log["ig"].user)
    response = client.get("/audit/", {"action": "view", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["When", "Who", "Username", "Role"]
    assert len(rows) == 61 and all(r[1] == "Priya Shah" and r[3] == "Team lead" for r in rows[1:])
    assert all(r[4] == "Viewed" and r[7] == "June Ali" for r in rows[1:])
