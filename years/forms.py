"""Forms of the year's calendar: the city's whole calendar at once, a narrowed window below, a new year."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .enums import WindowKind
from .selectors import Window

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"required": _("请填写日期"), "invalid": _("日期格式不正确，例如 2026-03-31")}


def _date_field(label, aria: str = "") -> forms.DateField:
    """A date input; in the calendar table the column names it, so the label goes to screen readers only."""
    if aria:
        widget = forms.DateInput(attrs={"type": "date", "aria-label": aria}, format="%Y-%m-%d")
        return forms.DateField(label="", widget=widget, error_messages=DATE_ERRORS)
    return forms.DateField(label=label, widget=DATE, error_messages=DATE_ERRORS)


class CalendarForm(forms.Form):
    """The eight windows of the year, each an open and a close date (fields ``<kind>-opens_on``/``<kind>-closes_on``,
    the names calendar_set_up reports its errors under)."""

    def __init__(self, *args, windows: dict[str, Window], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in WindowKind:
            w = windows[kind.value]
            self.fields[f"{kind.value}-opens_on"] = _date_field(_("开始日期"), f"{kind.label}{_('开始日期')}")
            self.fields[f"{kind.value}-closes_on"] = _date_field(_("截止日期"), f"{kind.label}{_('截止日期')}")
            self.initial.setdefault(f"{kind.value}-opens_on", w.opens_on)
            self.initial.setdefault(f"{kind.value}-closes_on", w.closes_on)

    def rows(self) -> list[dict]:
        return [
            {
                "kind": kind.value,
                "label": kind.label,
                "opens": self[f"{kind.value}-opens_on"],
                "closes": self[f"{kind.value}-closes_on"],
            }
            for kind in WindowKind
        ]

    def dates(self) -> dict:
        data = self.cleaned_data
        return {kind.value: (data[f"{kind.value}-opens_on"], data[f"{kind.value}-closes_on"]) for kind in WindowKind}


class WindowForm(forms.Form):
    """One window narrowed by an organization below the city (prefix = the window's kind)."""

    opens_on = _date_field(_("开始日期"))
    closes_on = _date_field(_("截止日期"))


class YearOpenForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2012, max_value=2100, widget=forms.HiddenInput)
