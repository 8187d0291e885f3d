"""Form helpers: a service's refusal (ValidationError) shown on the form, next to the field it names, else above the
form; and the project's choice and number fields, which refuse a number the database cannot hold (a 400 with a clear
message instead of an OverflowError)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's refusal next to the field it names (or above the form)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(name if name in form.fields else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


# ---- numbers and ids the database can hold -----------------------------------------------------------------------

# A 64-bit signed integer: the widest column of any backend (SQLite stores ids as one). A larger number sent in a
# form would raise OverflowError in the query that looks it up (a 500), so the form refuses it first (a 400).
BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1
OUT_OF_RANGE = _("“%(value)s”超出了允许的范围，请重新选择或填写")


def check_in_range(values) -> None:
    """ValidationError(OUT_OF_RANGE) when one of `values` is an integer beyond 64 bits (non-numbers pass through:
    the field says they are not a valid choice, in its own words)."""
    for value in values if isinstance(values, (list, tuple)) else [values]:
        try:
            number = int(str(value).strip())
        except (TypeError, ValueError):
            continue
        if not BIGINT_MIN <= number <= BIGINT_MAX:
            raise ValidationError(OUT_OF_RANGE, code="out_of_range", params={"value": str(value)[:30]})


def _integer_key(field: forms.ModelChoiceField) -> bool:
    """Whether the field's choices are looked up by an integer column (the primary key, usually)."""
    meta = field.queryset.model._meta
    key = meta.get_field(field.to_field_name) if field.to_field_name else meta.pk
    return isinstance(key, models.IntegerField) or isinstance(getattr(key, "target_field", None), models.IntegerField)


class IdRangeMixin:
    """For model choice fields: an integer id beyond 64 bits is refused with OUT_OF_RANGE before any query."""

    def check_ids(self, value) -> None:
        if value not in self.empty_values and _integer_key(self):
            check_in_range(list(value) if isinstance(value, (list, tuple, set, frozenset)) else value)


class ModelChoiceField(IdRangeMixin, forms.ModelChoiceField):
    """forms.ModelChoiceField that refuses an id too large for the database with a clear message."""

    def to_python(self, value):
        self.check_ids(value)
        return super().to_python(value)


class ModelMultipleChoiceField(IdRangeMixin, forms.ModelMultipleChoiceField):
    """forms.ModelMultipleChoiceField that refuses ids too large for the database (Django's own lookup of several
    ids raises OverflowError on SQLite)."""

    def _check_values(self, value):
        self.check_ids(value)
        return super()._check_values(value)


class IntegerField(forms.IntegerField):
    """forms.IntegerField bounded to what the database holds unless narrower bounds are given."""

    def __init__(self, *, min_value=BIGINT_MIN, max_value=BIGINT_MAX, **kwargs):
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)
