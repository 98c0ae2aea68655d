"""Every page form refuses control characters: each form class Homeward defines builds on CleanTextMixin
(core.validators.CleanForm), so a new form cannot forget the rule (#26)."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django import forms

import homeward
from homeward.core.validators import CleanTextMixin


def _homeward_forms() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(homeward.__path__, "homeward."):
        name = module.name
        if ".migrations" in name or ".engines" in name or name.startswith(("homeward.cli", "homeward.demo")):
            continue
        if name.rsplit(".", 1)[-1].startswith(("forms", "views", "staff", "case_views", "views_")):
            importlib.import_module(name)
    found: list[type[forms.BaseForm]] = []
    pending: list[type] = [forms.Form, forms.ModelForm]
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            pending.append(sub)
            if sub.__module__.startswith("homeward.") and sub is not homeward.core.validators.CleanForm:
                found.append(sub)
    return sorted(set(found), key=lambda c: f"{c.__module__}.{c.__qualname__}")


def test_forms_are_found():
    names = {c.__name__ for c in _homeward_forms()}
    assert {"PersonForm", "TransitionForm", "SitrepForm"} <= names


@pytest.mark.parametrize("form_class", _homeward_forms(), ids=lambda c: f"{c.__module__}.{c.__qualname__}")
def test_form_refuses_control_characters(form_class):
    assert issubclass(form_class, CleanTextMixin), f"{form_class.__qualname__} should build on CleanForm"
