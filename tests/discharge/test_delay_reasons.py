"""NHS delay-reason lists as versioned data: the shipped lists verbatim, the reviewable mapping, and a loader
that refuses a bad list (clear error naming the file, nothing written)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from homeward.core.errors import ValidationFailed
from homeward.discharge.codes import HOUSING_CATEGORIES, BlockerCategory
from homeward.discharge.delay_reasons import SHIPPED, load_reason_list, read_reason_list
from homeward.discharge.models import DelayReason, DelayReasonList, DelayReasonMapping

STANDARDS = Path(__file__).resolve().parents[3] / "shared" / "standards" / "nhs-discharge"
HOMELESS = "Homeless/no right of recourse to public funds/no place to discharge to"
EQUIPMENT = "Awaiting community equipment and adaptations to housing"


def standard_reasons(name: str) -> list[str]:
    return [row["reason"] for row in csv.DictReader((STANDARDS / name).read_text().splitlines())]


@pytest.mark.skipif(not STANDARDS.is_dir(), reason="the shared standards are not beside this checkout")
@pytest.mark.parametrize(
    ("key", "standard"),
    [
        ("acute-2024-01", "acute-sitrep-table5-2024-01.csv"),
        ("community-2024-01", "community-sitrep-table5-2024-01.csv"),
    ],
)
def test_shipped_lists_are_the_standard_files_verbatim(key, standard):
    shipped = [text for _, text in read_reason_list(SHIPPED / key).reasons]
    assert shipped == standard_reasons(standard)


def test_the_acute_list_of_january_2024_has_18_reasons_and_the_community_list_20(db):
    acute = DelayReasonList.objects.get(key="acute-2024-01")
    community = DelayReasonList.objects.get(key="community-2024-01")
    assert (acute.collection, acute.in_use_from.isoformat(), acute.reasons.count()) == (
        "acute",
        "2024-01-01",
        18,
    )
    assert (community.collection, community.reasons.count()) == ("community", 20)
    assert "NHS England" in acute.source and "Table 5" in acute.source
    assert acute.reasons.filter(text=HOMELESS).exists() and acute.reasons.filter(text=EQUIPMENT).exists()


def test_every_category_maps_to_one_reason_in_each_list_and_housing_to_homeless_or_equipment(db):
    for reason_list in DelayReasonList.objects.all():
        mapped = dict(reason_list.mappings.values_list("category", "reason__text"))
        assert sorted(mapped) == sorted(BlockerCategory.values)
        for category in HOUSING_CATEGORIES:
            assert mapped[category].startswith(
                ("Homeless/", "Awaiting community equipment", "Awaiting equipment")
            )
    acute = dict(
        DelayReasonList.objects.get(key="acute-2024-01").mappings.values_list("category", "reason__text")
    )
    assert acute["homeless"] == HOMELESS and acute["home_unsuitable"] == EQUIPMENT


def copy_list(tmp_path: Path, key: str = "acute-2024-01") -> Path:
    target = tmp_path / key
    shutil.copytree(SHIPPED / key, target)
    for file in target.iterdir():
        file.chmod(0o644)
    return target


def test_a_mapping_that_leaves_a_category_unmapped_is_refused_and_nothing_is_written(db, tmp_path):
    target = copy_list(tmp_path)
    (target / "list.json").write_text(
        (target / "list.json")
        .read_text()
        .replace('"acute-2024-01"', '"acute-2024-07"')
        .replace("2024-01-01", "2024-07-01")
    )
    mapping = (target / "mapping.csv").read_text().splitlines()
    (target / "mapping.csv").write_text(
        "\n".join(line for line in mapping if not line.startswith("finance,"))
    )
    before = (
        DelayReasonList.objects.count(),
        DelayReason.objects.count(),
        DelayReasonMapping.objects.count(),
    )
    with pytest.raises(ValidationFailed) as error:
        load_reason_list(path=target)
    assert error.value.errors == {"mapping.csv": "Every blocker category needs a reason; unmapped: finance"}
    after = (DelayReasonList.objects.count(), DelayReason.objects.count(), DelayReasonMapping.objects.count())
    assert after == before


def test_a_mapping_naming_the_wrong_text_for_an_order_is_refused(db, tmp_path):
    target = copy_list(tmp_path)
    text = (target / "mapping.csv").read_text().replace("homeless,10,Homeless", "homeless,9,Homeless")
    (target / "mapping.csv").write_text(text)
    with pytest.raises(ValidationFailed) as error:
        read_reason_list(target)
    assert "reason 9 of this list is not 'Homeless/" in error.value.errors["mapping.csv"]


def test_reloading_the_same_list_changes_nothing_and_a_changed_list_under_its_key_is_refused(db, tmp_path):
    target = copy_list(tmp_path)
    reason_list, new = load_reason_list(path=target)
    assert not new and reason_list.key == "acute-2024-01"
    (target / "reasons.csv").write_text(
        (target / "reasons.csv").read_text().replace("Awaiting transport", "Transport")
    )
    (target / "mapping.csv").write_text(
        (target / "mapping.csv").read_text().replace("Awaiting transport", "Transport")
    )
    with pytest.raises(ValidationFailed) as error:
        load_reason_list(path=target)
    assert "a revised list needs a new key" in error.value.errors["list.json: key"]
    assert DelayReason.objects.filter(reason_list__key="acute-2024-01", text="Awaiting transport").exists()
    assert not DelayReason.objects.filter(text="Transport").exists()


def test_bad_list_files_name_the_file(tmp_path):
    target = copy_list(tmp_path)
    (target / "list.json").write_text('{"key": "x"')
    with pytest.raises(ValidationFailed) as error:
        read_reason_list(target)
    assert "list.json" in error.value.errors
    target = copy_list(tmp_path / "b")
    (target / "reasons.csv").unlink()
    with pytest.raises(ValidationFailed) as error:
        read_reason_list(target)
    assert "reasons.csv" in error.value.errors
