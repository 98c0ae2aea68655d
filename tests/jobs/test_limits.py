"""The documented limits: each is in settings, overridable, listed in docs/limits.md, and enforced."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile

from homeward.core.errors import ValidationFailed
from homeward.core.roles import Role
from homeward.engines.risk import generate
from homeward.jobs.limits import LIMITS
from homeward.prevention.importer import import_directory
from homeward.prevention.models import HousingEvent
from tests.factories import MembershipFactory, OrganisationFactory

DOC = (Path(__file__).parents[2] / "docs" / "limits.md").read_text()


def test_every_limit_is_a_setting_with_its_variable_in_the_docs():
    assert {limit.key for limit in LIMITS} == set(django_settings.HOMEWARD_LIMITS)
    for limit in LIMITS:
        assert f"`{limit.variable}`" in DOC, f"{limit.variable} is not documented in docs/limits.md"


@pytest.mark.django_db
def test_an_import_over_the_row_limit_is_refused_naming_the_directory_and_writes_nothing(tmp_path, settings):
    settings.HOMEWARD_LIMITS = {**settings.HOMEWARD_LIMITS, "import_rows": 1000}
    generate(50, 2000, seed=3).write(tmp_path / "x", fmt="csv")
    (tmp_path / "x" / "planted.csv").unlink()
    with pytest.raises(ValidationFailed) as caught:
        import_directory(OrganisationFactory(), tmp_path / "x")
    message = caught.value.errors["directory"]
    assert "the limit is 1,000 (setting HOMEWARD_IMPORT_MAX_ROWS)" in message
    assert not HousingEvent.objects.exists()


@pytest.mark.django_db
def test_an_import_over_the_size_limit_is_refused_before_reading(tmp_path, settings):
    settings.HOMEWARD_LIMITS = {**settings.HOMEWARD_LIMITS, "import_megabytes": 1}
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "tenancies.csv").write_bytes(b"x" * (2 * 1024 * 1024))
    with pytest.raises(ValidationFailed) as caught:
        import_directory(OrganisationFactory(), tmp_path / "x")
    assert caught.value.errors["directory"] == (
        "The extracts' size in MB is 2; the limit is 1 (setting HOMEWARD_IMPORT_MAX_MB)"
    )


@pytest.mark.django_db
def test_an_upload_over_the_limit_is_refused_naming_the_field(client, settings):
    settings.HOMEWARD_LIMITS = {**settings.HOMEWARD_LIMITS, "upload_megabytes": 1}
    admin = MembershipFactory(role=Role.ADMIN)
    client.force_login(admin.user)
    upload = SimpleUploadedFile("dir.json", b"[" + b" " * (2 * 1024 * 1024) + b"]")
    response = client.post("/referrals/directory/import/", {"file": upload})
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [
        "The file's size in MB is 3; the limit is 1 (setting HOMEWARD_UPLOAD_MAX_MB)"
    ]
