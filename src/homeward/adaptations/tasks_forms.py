"""Forms for the team's tasks and the case's complexity: they parse; `tasks` decides."""

from __future__ import annotations

from typing import Any

from django import forms

from homeward.adaptations.codes import TaskKind, TeamRole
from homeward.adaptations.forms import SELECT, TEXT, _date
from homeward.core.models import Organisation
from homeward.core.validators import CleanForm

CHECK = forms.CheckboxInput(attrs={"class": "nhsuk-checkboxes__input"})


class TaskForm(CleanForm):
    kind = forms.ChoiceField(label="Task", choices=TaskKind.choices, widget=SELECT)
    owner_role = forms.ChoiceField(label="Who does it (role)", choices=TeamRole.choices, widget=SELECT)
    organisation = forms.ModelChoiceField(
        label="Organisation doing it", queryset=Organisation.objects.none(), widget=SELECT
    )
    working_days = forms.IntegerField(
        label="Due in (working days)",
        min_value=1,
        max_value=260,
        initial=10,
        help_text="Counted in England and Wales working days from today (weekends and bank holidays skipped)",
        widget=forms.TextInput(attrs={"class": "nhsuk-input nhsuk-input--width-4", "inputmode": "numeric"}),
    )
    note = forms.CharField(label="Note", required=False, max_length=500, widget=TEXT)

    def __init__(self, *args: Any, organisation_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organisation.objects.filter(pk__in=organisation_ids).order_by("name")


class TaskDoneForm(CleanForm):
    task_id = forms.IntegerField(min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)
    done_on = _date("Date done")


class ComplexityForm(CleanForm):
    structural_works = forms.BooleanField(
        label="Structural works (an extension, a through-floor lift, works needing building regulations)",
        required=False,
        widget=CHECK,
    )
    progressive_condition = forms.BooleanField(
        label="A progressive or fluctuating condition: the need is expected to change",
        required=False,
        widget=CHECK,
    )
