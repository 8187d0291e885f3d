"""Optimistic locking for records that several people edit (plans, target items, commitments, ratings, reports).

A model that takes part has an integer `version` field (``version = models.PositiveIntegerField(default=1)``).
The edit form carries the version the user started from (VersionedFormMixin adds it as a hidden field); the service
saves with `save_versioned`, which writes only if the row still holds that version and raises
ValidationError(STALE_MESSAGE) otherwise, writing nothing. The view then shows the newer data next to the user's
input (see `stale_context`).

    @transaction.atomic
    def plan_update(*, plan: AnnualPlan, expected_version: int, **fields) -> AnnualPlan:
        for name, value in fields.items():
            setattr(plan, name, value)
        plan.full_clean()
        return save_versioned(plan, fields=list(fields), expected_version=expected_version)
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from .forms import add_service_errors
from .history import display_value

STALE_MESSAGE = _("此记录已被他人修改，请核对最新内容后再保存")
STALE_CODE = "stale"
VERSION_FIELD = "version"
MAX_VERSION = 2**31 - 1  # a version never gets near this; a larger number would overflow the database


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def check_version(obj: models.Model, submitted: Any, *, field: str = VERSION_FIELD) -> None:
    """Refuse (ValidationError) when `submitted` is not the version the row holds in the database right now.

    Reads the database, not the instance, so an object loaded before another user's save is still caught.
    """
    expected = _as_int(submitted)
    current = type(obj)._default_manager.filter(pk=obj.pk).values_list(field, flat=True).first()
    if expected is None or current is None or current != expected:
        raise ValidationError(STALE_MESSAGE, code=STALE_CODE)


@transaction.atomic
def save_versioned(
    obj: models.Model,
    *,
    fields: list[str] | tuple[str, ...],
    expected_version: Any,
    field: str = VERSION_FIELD,
) -> models.Model:
    """Write `fields` of `obj` only if its row still holds `expected_version`; the version goes up by one.

    Guarantees: a conditional UPDATE … SET version = version + 1 WHERE pk = … AND version = expected claims the row
    first (on PostgreSQL it also holds the row lock until the transaction ends, so two saves cannot both pass);
    when another save came first nothing is written and ValidationError(STALE_MESSAGE) is raised. The fields are then
    saved with an ordinary save(update_fields=…), so signals and simple-history record who changed what.
    `obj.<field>` holds the new version afterwards. A new object (no pk) is simply saved.
    """
    if obj.pk is None:
        obj.save()
        return obj
    expected = _as_int(expected_version)
    if expected is None:
        raise ValidationError(STALE_MESSAGE, code=STALE_CODE)
    model = type(obj)
    claimed = model._default_manager.filter(pk=obj.pk, **{field: expected}).update(**{field: F(field) + 1})
    if claimed == 0:
        raise ValidationError(STALE_MESSAGE, code=STALE_CODE)
    setattr(obj, field, expected + 1)
    update_fields = {f for f in fields if f != field} | {field}
    update_fields |= {f.name for f in model._meta.concrete_fields if getattr(f, "auto_now", False)}
    obj.save(update_fields=sorted(update_fields))
    return obj


def is_stale_error(error: ValidationError) -> bool:
    """True when the ValidationError came from a stale version (so the view can show the newer data)."""
    if hasattr(error, "error_dict"):
        items = [e for errors in error.error_dict.values() for e in errors]
    else:
        items = error.error_list
    return any(getattr(e, "code", None) == STALE_CODE for e in items)


def stale_context(obj: models.Model, form: forms.BaseForm) -> dict:
    """What a page needs after a stale save: the newer row as stored (`current`) and the user's bound form."""
    current = type(obj)._default_manager.get(pk=obj.pk)
    return {"stale": True, "current": current, "form": form}


class VersionedFormMixin(forms.BaseForm):
    """Carries the record's `version` as a hidden field; the view passes it to save_versioned.

    Use with a ModelForm: ``class PlanForm(VersionedFormMixin, forms.ModelForm)``. The initial value is the
    instance's version; after a stale save, `refresh_version(current)` lets the user submit again knowingly.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        editing = instance is not None and getattr(instance, "pk", None) is not None
        self.fields["version"] = forms.IntegerField(
            widget=forms.HiddenInput,
            min_value=0,
            max_value=MAX_VERSION,
            required=editing,  # a new record has no version yet: save_versioned simply saves it
            error_messages={
                "required": STALE_MESSAGE, "invalid": STALE_MESSAGE, "min_value": STALE_MESSAGE,
                "max_value": STALE_MESSAGE,
            },
        )
        if editing:
            self.fields["version"].initial = getattr(instance, VERSION_FIELD, None)

    def refresh_version(self, current: models.Model) -> None:
        """After a stale save: keep the user's input but carry the newer version, so a second submit is deliberate."""
        if self.is_bound:
            data = self.data.copy()
            data[self.add_prefix("version")] = getattr(current, VERSION_FIELD)
            self.data = data


# ---- records without a version column: a fingerprint of the fields the form edits ---------------------------------


def _digest(row: dict, names: list[str]) -> str:
    text = json.dumps([str(row.get(name)) for name in names], ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def fingerprint(obj: models.Model, fields: list[str] | tuple[str, ...]) -> str:
    """A short digest of the stored values of `fields` (read from the database, not from the instance)."""
    names = sorted(fields)
    return _digest(type(obj)._default_manager.filter(pk=obj.pk).values(*names).first() or {}, names)


def loaded_fingerprint(obj: models.Model, fields: list[str] | tuple[str, ...]) -> str:
    """The same digest from the values the instance was loaded with (no query): for a form opened on a record just
    read, e.g. one row form per record on a list page."""
    names = sorted(fields)
    return _digest({name: getattr(obj, obj._meta.get_field(name).attname) for name in names}, names)


def check_fingerprint(obj: models.Model, fields: list[str] | tuple[str, ...], submitted: Any) -> None:
    """Refuse (ValidationError(STALE_MESSAGE)) when the stored `fields` changed since the form was opened.

    Call inside the saving transaction: the row is locked (SELECT … FOR UPDATE on PostgreSQL) so that two saves
    cannot both pass the check."""
    type(obj)._default_manager.select_for_update().filter(pk=obj.pk).exists()
    if not isinstance(submitted, str) or submitted != fingerprint(obj, fields):
        raise ValidationError(STALE_MESSAGE, code=STALE_CODE)


class FingerprintFormMixin(forms.BaseForm):
    """For a ModelForm of a model with no `version` column: carries a hidden fingerprint of the edited fields as
    stored when the form was opened. The view calls `check_stale()` inside its transaction before saving."""

    fingerprint_field = "fingerprint"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[self.fingerprint_field] = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk is not None:
            # computed when rendered, so fields a subclass removes after this __init__ are left out; an unbound form
            # shows the record as it was just read, so its own loaded values serve (no query per form on a list page)
            digest = fingerprint if self.is_bound else loaded_fingerprint
            self.fields[self.fingerprint_field].initial = lambda: digest(instance, self.edited_fields())

    def edited_fields(self) -> list[str]:
        model_fields = {f.name for f in self.instance._meta.concrete_fields}
        return [name for name in self.fields if name in model_fields]

    def check_stale(self) -> None:
        if self.instance.pk is None:
            return  # a form that creates its record: nothing stored to have changed
        check_fingerprint(self.instance, self.edited_fields(), self.data.get(self.add_prefix(self.fingerprint_field)))

    def current_values(self) -> list[tuple[str, str]]:
        """(label, value as stored now) of each edited field: what the page shows after a stale save."""
        current = type(self.instance)._default_manager.get(pk=self.instance.pk)
        return [
            (str(self.fields[name].label), display_value(current._meta.get_field(name), getattr(current, name)))
            for name in self.edited_fields()
        ]

    def save_unless_stale(self, save) -> bool:
        """Run save() in one transaction after check_stale(). True when saved. Otherwise the service's refusal is
        shown on the form, and after a stale check `self.stale` holds the values stored now for the page to show
        (the fingerprint is refreshed, so a second submit is a deliberate overwrite)."""
        self.stale = None
        try:
            with transaction.atomic():
                self.check_stale()  # someone saved this record since the form was opened: write nothing
                save()
        except ValidationError as exc:
            if is_stale_error(exc):
                self.stale = self.current_values()
                self.refresh_fingerprint()
            add_service_errors(self, exc)
            return False
        return True

    def refresh_fingerprint(self) -> None:
        """After a stale save: keep the user's input, carry the newer fingerprint (a second submit is deliberate)."""
        data = self.data.copy()
        data[self.add_prefix(self.fingerprint_field)] = fingerprint(self.instance, self.edited_fields())
        self.data = data
