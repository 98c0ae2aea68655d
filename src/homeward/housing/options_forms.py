"""Forms for the "stay or move?" conversation: they parse; `options` validates and decides."""

from __future__ import annotations

from typing import Any

from django import forms

from homeward.adaptations.codes import Tenure
from homeward.core.models import Organisation
from homeward.core.validators import CleanForm
from homeward.governance.access import partners_in_force
from homeward.housing.codes import (
    RANKED_TOPICS,
    TOPIC_SCALE,
    HomeTopic,
    HousingOption,
    NeighbourhoodAction,
    OptionsOutcome,
    PeoplePlaceHelp,
    PeoplePlaceOutcome,
)
from homeward.housing.forms import AREA, DATE, HINT, SELECT

SCALE = [("", "Choose"), *((str(k), f"{k}: {v}") for k, v in TOPIC_SCALE.items())]
TOPICS = [("", "Choose"), *HomeTopic.choices]
PLACES = {1: "first", 2: "second", 3: "third"}


def add_ranking(form: forms.Form, whose: str = "the person") -> None:
    """rank_1..rank_3: the topics that matter most to the person, in order (the service validates)."""
    for place in range(1, RANKED_TOPICS + 1):
        form.fields[f"rank_{place}"] = forms.ChoiceField(
            label=f"What matters most to {whose}: {PLACES.get(place, str(place))}",
            choices=TOPICS,
            widget=SELECT,
            required=place == 1,
            error_messages={"required": f"Choose the topic that matters most to {whose}"},
            help_text="Choose from the topics above",
        )


def pop_ranking(data: dict[str, Any]) -> list[str]:
    return [data.pop(f"rank_{p}", "") or "" for p in range(1, RANKED_TOPICS + 1)]


class ConversationForm(CleanForm):
    held_on = forms.DateField(label="Date of the conversation", widget=DATE, help_text=HINT)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for topic in HomeTopic:
            self.fields[topic.value] = forms.ChoiceField(
                label=topic.label, choices=SCALE, widget=SELECT, help_text="0 works well, 4 a real problem"
            )
        self.fields["home_notes"] = forms.CharField(
            label="What drives these answers, and what information would help",
            max_length=2000,
            required=False,
            widget=AREA,
        )
        add_ranking(self)
        self.fields["what_matters"] = forms.CharField(
            label="What matters most to the person, in their words", max_length=2000, widget=AREA
        )
        self.fields["options"] = forms.MultipleChoiceField(
            label="Options talked through",
            choices=HousingOption.choices,
            widget=forms.CheckboxSelectMultiple(attrs={"class": "nhsuk-checkboxes__input"}),
        )


class SelfServiceForm(CleanForm):
    """The topics, in the person's own words, for the self-service link."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for topic in HomeTopic:
            self.fields[topic.value] = forms.ChoiceField(
                label=topic.label, choices=SCALE, widget=SELECT, help_text="0 works well, 4 a real problem"
            )
        add_ranking(self, whose="you")
        self.fields["home_notes"] = forms.CharField(
            label="What makes these easy or hard, and what would help you to know",
            max_length=2000,
            required=False,
            widget=AREA,
        )


class DecisionForm(CleanForm):
    decision = forms.ChoiceField(
        label="What did the person decide?", choices=HousingOption.choices, widget=SELECT
    )
    on = forms.DateField(label="Date of the decision", widget=DATE, help_text=HINT)
    actions = forms.MultipleChoiceField(
        label="Help from the people and place team",
        choices=NeighbourhoodAction.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "nhsuk-checkboxes__input"}),
    )
    tenure = forms.ChoiceField(
        label="Tenure (to adapt the home)",
        choices=[("", "Choose"), *Tenure.choices],
        widget=SELECT,
        required=False,
    )
    needs = forms.CharField(
        label="What adaptation does the person need?",
        max_length=2000,
        required=False,
        widget=AREA,
        help_text="For example, a level-access shower",
    )
    address = forms.CharField(
        label="Address of the home to adapt",
        max_length=300,
        required=False,
        help_text="Leave blank to use the person's address",
        widget=forms.TextInput(attrs={"class": "nhsuk-input"}),
    )


class OutcomeForm(CleanForm):
    outcome = forms.ChoiceField(
        label="What had happened at the six-month follow-up?",
        choices=[("", "Choose"), *OptionsOutcome.choices],
        widget=SELECT,
    )
    on = forms.DateField(label="Date of the follow-up", widget=DATE, help_text=HINT)


class ReferOnForm(CleanForm):
    to_organisation = forms.ChoiceField(label="Service", widget=SELECT)
    service_kind = forms.ChoiceField(
        label="Kind of help",
        widget=SELECT,
        choices=[
            ("money_advice", "Money and debt advice"),
            ("handyperson", "Handyperson or home safety"),
            ("social_prescribing", "Social prescribing link worker"),
            ("other", "Other"),
        ],
    )
    reason = forms.CharField(label="What the person needs from the service", max_length=2000, widget=AREA)

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partners = Organisation.objects.filter(pk__in=partners_in_force(organisation_id)).exclude(
            pk=organisation_id
        )
        self.fields["to_organisation"].choices = [(str(o.pk), o.name) for o in partners.order_by("name")]  # type: ignore[attr-defined]


class PeoplePlaceForm(CleanForm):
    """Open a people and place case by hand."""

    help = forms.MultipleChoiceField(
        label="What help does the tenant need?",
        choices=PeoplePlaceHelp.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "nhsuk-checkboxes__input"}),
        error_messages={"required": "Choose what help the tenant needs"},
    )
    note = forms.CharField(
        label="Note",
        max_length=500,
        required=False,
        widget=AREA,
        help_text="For example, who asked for help and what the tenant said",
    )
    on = forms.DateField(
        label="Date opened", widget=DATE, required=False, help_text="Leave it empty for today"
    )


class PeoplePlaceCloseForm(CleanForm):
    outcome = forms.ChoiceField(
        label="Outcome", choices=[("", "Choose"), *PeoplePlaceOutcome.choices], widget=SELECT
    )
    on = forms.DateField(label="Date closed", widget=DATE, help_text=HINT)
    note = forms.CharField(
        label="What was done",
        max_length=500,
        required=False,
        widget=AREA,
        help_text="For example, went with them to the GP on Tuesday; money advice booked",
    )
