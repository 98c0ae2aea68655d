"""Forms more than one app's pages use."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from homeward.core.models import User
from homeward.core.validators import CleanForm


class AssignForm(CleanForm):
    """Assign a case to one of the staff of `organisation_id` (the team holding it), or to nobody (the
    team). Only the staff offered can be chosen; the service still checks that the person chosen works
    for the team."""

    user_id = forms.TypedChoiceField(
        label="Assign to",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Choose someone from the list"},
        widget=forms.Select(attrs={"class": "nhsuk-select"}),
    )

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "assign-%s")
        super().__init__(*args, **kwargs)
        staff = (
            User.objects.filter(
                memberships__organisation_id=organisation_id, memberships__is_active=True, is_active=True
            )
            .distinct()
            .order_by("first_name", "last_name")
        )
        field = cast(forms.TypedChoiceField, self.fields["user_id"])
        # A callable: the staff are read only when the form is drawn or checked, not for every case page
        # whose viewer is not offered it.
        field.choices = lambda: [("", "Nobody (the team)"), *((user.pk, user.display_name) for user in staff)]
