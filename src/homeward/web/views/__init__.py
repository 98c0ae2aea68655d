"""Page views: thin wrappers that parse input, call a service or selector, and render."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from homeward.core.errors import NotAllowed, NotFound, ValidationFailed
from homeward.core.roles import Permission
from homeward.governance.access import Actor


class ActorRequest(HttpRequest):
    """A request after ActorMiddleware and @actor_required: `actor` is always set (for type checking)."""

    actor: Actor


def actor_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in, with an active membership; otherwise to the sign-in page or a clear 'no access' page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if getattr(request, "actor", None) is None:
            # A superuser without a membership runs the site from /admin/: a landing page, not a refusal.
            superuser = getattr(request.user, "is_superuser", False)
            return render(request, "web/no_membership.html", status=200 if superuser else 403)
        return view(request, *args, **kwargs)

    return wrapper


def need(request: ActorRequest, permission: Permission, refusal: str, *, hide: bool = True) -> None:
    """Refuse a role without `permission`: 404 with `refusal` (pages about people, where a refusal must
    look like absence), or with `hide=False` 403 (pages about the organisation itself)."""
    if not request.actor.can(permission):
        if hide:
            raise Http404(refusal)
        raise PermissionDenied(refusal)


def add_errors(form: forms.Form, error: ValidationFailed, rename: dict[str, str] | None = None) -> None:
    """Put a service's field errors on the form (unknown fields become form-level errors). `rename` maps a
    service's argument names to the form's field names (e.g. "hospital_id" -> "hospital")."""
    rename = rename or {}
    for field, message in error.errors.items():
        field = rename.get(field, field)
        form.add_error(field if field in form.fields else None, message)


T = TypeVar("T")
M = TypeVar("M", bound=Model)


def counted_page(queryset: QuerySet[M], number: str | None, per_page: int = 50) -> Page:
    """A page of a filtered, ordered list in two cheap queries: the ordered ids of every match (its length
    is the total), then the page's full rows by id. The database sorts bare ids instead of joined rows, and
    works out per-row figures (subquery annotations) for the page only. Out-of-range pages show the last."""
    ids = list(queryset.values_list("pk", flat=True))
    paginator = Paginator(ids, per_page)
    page = paginator.get_page(number)
    wanted = list(page.object_list)
    rows = {obj.pk: obj for obj in queryset.filter(pk__in=wanted)} if wanted else {}
    page.object_list = [rows[pk] for pk in wanted if pk in rows]
    return page


def save_form(
    request: HttpRequest,
    form: forms.Form,
    save: Callable[[dict[str, Any]], T],
    rename: dict[str, str] | None = None,
) -> T | None:
    """On a valid POST run `save(cleaned_data)` (a service call) and return its result. A service's field
    errors go onto the form (see `add_errors` for `rename`) and the result is None, so the page shows again
    with the error summary and what was typed."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return save(dict(form.cleaned_data))
    except ValidationFailed as exc:
        add_errors(form, exc, rename)
        return None


def submit_form(
    request: HttpRequest,
    form: forms.Form,
    save: Callable[[dict[str, Any]], T],
    *,
    done: Callable[[T], str],
    back: str,
    again: Callable[[], HttpResponse],
    rename: dict[str, str] | None = None,
) -> HttpResponse:
    """A form POSTed from a page the user goes back to (a case page's inline forms). Saved: `done(result)`
    is the message shown on `back` (a URL). Refused, by the form's checks or a service's field errors:
    `again()` shows the page once more with the bound form, so what was typed stays and the error summary
    names the field, with status 400. No such record is a 404; a refusal (NotAllowed) is a message on
    `back`. Nothing is written unless `save` succeeds (it must return something other than None)."""
    try:
        result = save_form(request, form, save, rename)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    except NotAllowed as exc:
        messages.error(request, str(exc))
        return redirect(back)
    if result is None:
        response = again()
        response.status_code = 400
        return response
    messages.info(request, done(result))
    return redirect(back)


FormT = TypeVar("FormT", bound=forms.Form)


def row_form(form_class: type[FormT], row_id: int | str, data: Any = None, **kwargs: Any) -> FormT:
    """An inline form on one row of a page (a blocker, a claim, an alert): its fields' ids end with the
    row's id ("resolution-12"), so that each row's form, and the error summary's link to it, is unique."""
    return form_class(data, auto_id=f"%s-{row_id}", **kwargs)


def attach_row_forms(
    rows: Any, form_class: type[forms.Form], attr: str, refused: forms.Form | None = None, **kwargs: Any
) -> None:
    """Give every row its own inline form as `row.<attr>`; the row whose form was refused gets that bound
    form back (what was typed and its errors). `refused` must come from `row_form` (its id is in auto_id)."""
    refused_id = str(refused.auto_id).rsplit("-", 1)[-1] if refused is not None else None
    for row in rows:
        chosen = refused if refused is not None and str(row.pk) == refused_id else None
        setattr(row, attr, chosen or row_form(form_class, row.pk, **kwargs))


def form_errors(form: forms.Form) -> ValidationFailed:
    """A bound form's errors as the services' error type, one message per field."""
    return ValidationFailed(
        {field: " ".join(str(e) for e in errors) for field, errors in form.errors.items()}
    )


def flash_errors(request: HttpRequest, error: ValidationFailed) -> None:
    """Show a refused action's field errors at the top of the page it returns to."""
    for field, message in error.errors.items():
        messages.error(request, f"{field.replace('_', ' ').capitalize()}: {message}")


def run_action(request: HttpRequest, action: Callable[[], str]) -> None:
    """Run one POSTed action (a service call returning what to tell the user) for a page that redirects
    back: no such record is a 404; a refusal or bad input is shown as a message and nothing is written."""
    try:
        messages.info(request, action())
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    except NotAllowed as exc:
        messages.error(request, str(exc))
    except ValidationFailed as exc:
        flash_errors(request, exc)


def render_form(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """A form page: 400 when it is shown again with errors, so clients and tests can tell."""
    return render(request, template, context, status=400 if context["form"].errors else 200)
