"""Every ModelForm that edits an existing record refuses a stale save.

The forms are enumerated, not listed: each app's forms module is imported and every ModelForm defined in it must
carry what the user started from (VersionedFormMixin: the record's version; FingerprintFormMixin: a fingerprint of the
stored fields, for models without a version column). The only exceptions are forms that create a new record and are
never bound to an existing one; each is named below with why, and the test checks that no view binds it to an
`instance=`."""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings

from machinery.locking import FingerprintFormMixin, VersionedFormMixin

ROOT = Path(settings.BASE_DIR)

# Forms that only ever create a record (a new row each time: nothing another person could be editing at once).
CREATE_ONLY = {
    "targets.forms.PlanCreateForm",  # a new annual plan; edited afterwards with PlanForm (versioned)
    "targets.forms.OpinionEventForm",  # records a 征求意见 event
    "targets.forms.OpinionForm",  # adds one opinion to an event; sorting it is OpinionSortForm (fingerprint)
    "targets.forms.MeetingForm",  # records a decision meeting
    "targets.forms.PublishForm",  # records one publication of the plan
    "targets.forms.ProgressForm",  # adds one progress entry to a target item
    "targets.forms.JointActivityForm",  # records a joint activity
    "targets.forms.ReviewForm",  # records a review of the organization
    "evaluations.forms.AwardRoundForm",  # opens a new award round
    "organizations.forms.HonourForm",  # records an honour conferred
    "organizations.forms.HonourTitleForm",  # adds a title to the list of honours
    "organizations.forms.PublicityForm",  # records a publicity item of a typical unit
    "organizations.forms.LeaderForm",  # adds a leader; edited with LeaderEditForm (fingerprint)
    "organizations.forms.ContactVisitForm",  # records a visit to a contact point
}


def project_apps() -> list[str]:
    return [c.name for c in apps.get_app_configs() if Path(c.path).is_relative_to(ROOT) and ".venv" not in c.path]


def model_forms() -> dict[str, type[forms.ModelForm]]:
    """Every ModelForm class defined in a project app's forms module (or forms package)."""
    found = {}
    for app in project_apps():
        try:
            module = importlib.import_module(f"{app}.forms")
        except ModuleNotFoundError:
            continue
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.ModelForm) and cls.__module__.startswith(f"{app}.forms"):
                found[f"{app}.forms.{name}"] = cls
    return found


def view_sources() -> dict[str, str]:
    files = [p for app in project_apps() for p in (ROOT / app.replace(".", "/")).rglob("*.py") if "views" in p.parts
             or p.name == "views.py"]
    return {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in files}


def _protected(cls: type) -> bool:
    return issubclass(cls, (VersionedFormMixin, FingerprintFormMixin))


def test_it_finds_the_project_model_forms():
    found = model_forms()
    # a sanity floor: the enumeration sees the forms of every app that has them
    assert {"targets.forms.PlanForm", "posts.forms.CommitmentForm", "evaluations.forms.SettingsForm",
            "organizations.forms.MemberForm", "reports.forms.NarrativeForm"} <= set(found)


def test_every_edit_model_form_refuses_a_stale_save():
    unprotected = sorted(name for name, cls in model_forms().items() if not _protected(cls) and name not in CREATE_ONLY)
    assert not unprotected, (
        "ModelForms without VersionedFormMixin or FingerprintFormMixin (add one, or, if the form only ever creates "
        f"a record, name it in CREATE_ONLY with why): {unprotected}"
    )


def test_the_create_only_forms_exist_and_are_never_bound_to_a_record():
    found = model_forms()
    assert not sorted(CREATE_ONLY - set(found)), "CREATE_ONLY names a form that no longer exists"
    bound = []
    for path, text in view_sources().items():
        for name in CREATE_ONLY:
            short = name.rsplit(".", 1)[-1]
            # a call of the form with instance=… (the call may span lines: up to its closing parenthesis)
            for match in re.finditer(rf"\b{short}\((?:[^()]|\([^()]*\))*\)", text):
                if "instance=" in match.group(0):
                    bound.append(f"{path}: {match.group(0)[:80]}")
    assert not bound, f"a create-only form is bound to an existing record: {bound}"


@pytest.mark.parametrize("name", sorted(n for n, c in model_forms().items() if issubclass(c, VersionedFormMixin)))
def test_a_versioned_form_belongs_to_a_model_with_a_version(name):
    model = model_forms()[name]._meta.model
    assert "version" in {f.name for f in model._meta.concrete_fields}, f"{name}: {model.__name__} has no version"
