"""The Annex 1 table edited on one page: one form a row (a Django formset), each row carrying the version it was
read at; the order number and the delete box say where a row goes and whether it stays."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from machinery.forms import IntegerField
from machinery.locking import MAX_VERSION, STALE_MESSAGE

from .forms import DateInput
from .models import TargetItem
from .services import ITEM_FIELDS, GridRow
from .widgets import RENDERER

MAX_ROWS = 500
MAX_ORDER = 10_000


def _row_fields() -> dict:
    """The row's fields, built once (each row's form copies them, as a declared form's are)."""
    fields = forms.fields_for_model(
        TargetItem, fields=ITEM_FIELDS,
        widgets={"deadline": DateInput(), "measures": forms.Textarea(attrs={"rows": 2})},
    )  # fmt: skip
    fields["responsible"].widget.attrs.update({"list": "responsible-members", "autocomplete": "off"})
    fields["item"] = IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    fields["version"] = IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0, max_value=MAX_VERSION,
        error_messages={"invalid": STALE_MESSAGE, "min_value": STALE_MESSAGE, "max_value": STALE_MESSAGE},
    )  # fmt: skip
    fields["order"] = IntegerField(
        label=_("序号"), required=False, min_value=1, max_value=MAX_ORDER,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )  # fmt: skip
    for name, f in fields.items():
        if not isinstance(f.widget, forms.HiddenInput):
            css = "form-select" if isinstance(f.widget, forms.Select) else "form-control"
            f.widget.attrs["class"] = f"{css} form-control-sm" if css == "form-control" else f"{css} form-select-sm"
            f.widget.attrs.setdefault("data-field", name)
    return fields


class ItemRowForm(forms.Form):
    """One Annex 1 row: the item it edits (none for a new row), the version read, its order number. A page shows a
    dozen widgets a row: they are written out without the template engine (targets.widgets)."""

    default_renderer = RENDERER

    def has_changed(self) -> bool:
        """A new row whose only entry is the order number the page filled in is a blank row: skipped, not refused."""
        return any(name not in ("order", "DELETE") for name in self.changed_data)

    def clean(self):
        data = super().clean()
        if data.get("item") and data.get("version") is None:
            raise forms.ValidationError(STALE_MESSAGE)
        return data


ItemRowForm.base_fields = _row_fields()


class BaseItemGridFormSet(forms.BaseFormSet):
    deletion_widget = forms.CheckboxInput
    default_renderer = RENDERER  # passed on to the rows

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].label = _("删除")
        form.fields["DELETE"].widget.attrs.update({"class": "form-check-input", "data-field": "DELETE"})

    def rows(self) -> list[tuple[int, GridRow]]:
        """(form index, row) of every form that says something, in the order its number puts it: rows with a number
        first by number, then the others as they came; new rows left blank are skipped."""
        picked = []
        for index, form in enumerate(self.forms):
            data = form.cleaned_data
            if not data or (not data.get("item") and not form.has_changed()):
                continue
            if not data.get("item") and data.get("DELETE"):
                continue
            row = GridRow(
                item_id=data.get("item"), version=data.get("version"), delete=bool(data.get("DELETE")),
                fields={name: data[name] for name in ITEM_FIELDS if name in data},
            )  # fmt: skip
            picked.append((data.get("order") or MAX_ORDER + index, index, row))
        picked.sort(key=lambda t: (t[0], t[1]))
        return [(index, row) for _order, index, row in picked]


ItemGridFormSet = forms.formset_factory(
    ItemRowForm, formset=BaseItemGridFormSet, extra=1, can_delete=True, max_num=MAX_ROWS, validate_max=True,
    absolute_max=MAX_ROWS,
)  # fmt: skip


def grid_initial(items) -> list[dict]:
    return [
        {"item": i.pk, "version": i.version, "order": n, **{name: getattr(i, name) for name in ITEM_FIELDS}}
        for n, i in enumerate(items, start=1)
    ]
