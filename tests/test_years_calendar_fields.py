"""The calendar page writes its date inputs out itself (years/templatetags/years_fields.py) instead of through
crispy-forms' field templates: the HTML must stay byte for byte crispy's, unbound, bound and valid, and with errors;
and windows_and_bounds() must give what windows_for() and parent_windows() give."""

import datetime

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

from years.forms import CalendarForm, WindowForm
from years.selectors import parent_windows, windows_and_bounds, windows_for
from years.services import window_set
from years.templatetags.years_fields import date_field

D = datetime.date


def _window_forms():
    yield WindowForm(prefix="q1", initial={"opens_on": D(2026, 1, 1), "closes_on": D(2026, 3, 20)})
    yield WindowForm(prefix="h1")
    bad = WindowForm({"q1-opens_on": "x<b>&", "q1-closes_on": ""}, prefix="q1")
    bad.is_valid()
    bad.add_error("opens_on", "a & <b>")
    yield bad
    good = WindowForm({"q1-opens_on": "2026-01-02", "q1-closes_on": "2026-02-03"}, prefix="q1")
    good.is_valid()
    yield good


def _calendar_forms(windows):
    yield CalendarForm(windows=windows)
    bad = CalendarForm({"q1-opens_on": "2026-13-01", "q1-closes_on": "<i>"}, windows=windows)
    bad.is_valid()
    bad.add_error(None, "nf")
    yield bad


def _pairs(make):
    """Two forms made alike: crispy changes the widget's classes as it renders, so each rendering gets its own."""
    return zip(make(), make(), strict=True)


@pytest.mark.parametrize("kind", ["window", "calendar"])
def test_date_field_writes_what_crispy_writes(world, kind):
    windows = windows_for(world.city, 2026)
    make = _window_forms if kind == "window" else (lambda: _calendar_forms(windows))
    checked = 0
    for crispy_form, own_form in _pairs(make):
        for name in crispy_form.fields:
            assert str(date_field(own_form[name])) == str(as_crispy_field(crispy_form[name])), name
            checked += 1
    assert checked >= 8


def test_date_field_leaves_other_fields_to_crispy(world):
    from organizations.forms import AuditFilterForm

    form, twin = AuditFilterForm(), AuditFilterForm()
    assert str(date_field(form["person"])) == str(as_crispy_field(twin["person"]))


def test_windows_and_bounds_is_windows_for_and_parent_windows(world):
    city = world.user("city_staff")
    window_set(organization=world.city, year=2026, kind="q1", opens_on=D(2026, 3, 5), closes_on=D(2026, 4, 10), by=city)
    window_set(organization=world.school_a, year=2026, kind="q1", opens_on=D(2026, 3, 10), closes_on=D(2026, 4, 1),
               by=world.user("school_a_secretary"))
    for org in (world.city, world.county_a, world.school_a, world.branch_a):
        windows, bounds = windows_and_bounds(org, 2026)
        assert windows == windows_for(org, 2026)
        assert bounds == parent_windows(org, 2026)
