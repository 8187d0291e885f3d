"""The reminder sweep's rules, day by day: which reminder is due on which day before and after a deadline, that each
reminder has one identity (so it is sent once), and that one failing app does not silence the others."""

from __future__ import annotations

import datetime
import logging
import types

import pytest

from notifications.sweep import (
    OVERDUE_GRACE_DAYS,
    OVERDUE_OFFSET,
    Reminder,
    cn_date,
    days_phrase,
    deadline_offset,
    link,
    reminder_offsets,
    reminders_due,
    rule_modules,
    rules_prepare,
)

D = datetime.date
DEADLINE = D(2026, 3, 20)


def day(days_left: int) -> datetime.date:
    return DEADLINE - datetime.timedelta(days=days_left)


def to_org(**kw) -> Reminder:
    fields = dict(kind="reports.quarterly", period="2026Q1", offset=-7, subject="s", body="b", organization_id=5,
                  roles=("unit_staff",))
    fields.update(kw)
    return Reminder(**fields)


def install(monkeypatch, *modules) -> None:
    monkeypatch.setattr("notifications.sweep.rule_modules", lambda: iter(modules))


# ---- who a reminder goes to, and its identity ---------------------------------------------------------------------


def test_a_reminder_goes_to_an_organizations_roles_or_to_one_user_never_both_or_neither():
    with pytest.raises(ValueError) as neither:
        Reminder(kind="k", period="p", offset=1, subject="s", body="b")
    with pytest.raises(ValueError) as both:
        Reminder(kind="k", period="p", offset=1, subject="s", body="b", organization_id=1, roles=("x",), recipient_id=2)
    assert str(neither.value) == str(both.value) == "a reminder goes either to an organization's roles or to one user"
    with pytest.raises(ValueError) as no_roles:
        Reminder(kind="k", period="p", offset=1, subject="s", body="b", organization_id=1)
    assert str(no_roles.value) == "a reminder to an organization names the roles that receive it"
    assert Reminder(kind="k", period="p", offset=1, subject="s", body="b", recipient_id=2).recipient_id == 2
    assert to_org().roles == ("unit_staff",)
    # organization 0 / user 0 are real ids, not "nobody"
    assert to_org(organization_id=0).key.endswith("|o0")
    assert Reminder(kind="k", period="p", offset=1, subject="s", body="b", recipient_id=0).key == "k|p|+1|u0"


def test_a_reminders_identity_is_kind_period_signed_offset_and_addressee():
    assert to_org().key == "reports.quarterly|2026Q1|-7|o5"
    assert to_org(offset=1).key == "reports.quarterly|2026Q1|+1|o5"
    one_user = Reminder(kind="posts.commitment", period="2026", offset=-3, subject="s", body="b", recipient_id=9)
    assert one_user.key == "posts.commitment|2026|-3|u9"
    # the wording is not part of the identity: a reworded reminder is still the same one
    assert to_org(subject="另一标题", body="另一正文").key == to_org().key


# ---- which reminder is due on which day ---------------------------------------------------------------------------


def test_the_offsets_come_from_the_settings_largest_first_without_duplicates_or_non_positive(settings):
    settings.REMINDER_OFFSETS = [1, 7, 3, 3, 0, -2, "14"]
    assert reminder_offsets() == [14, 7, 3, 1]
    del settings.REMINDER_OFFSETS
    assert reminder_offsets() == [7, 3, 1]


@pytest.mark.parametrize(
    "days_left, expected",
    [(15, None), (14, -14), (8, -14), (7, -7), (1, -7), (0, None), (-1, 1), (-7, 1), (-8, None)],
)
def test_with_other_offsets_each_still_owns_its_days(settings, days_left, expected):
    # offsets 14 and 7: D-14 … D-8 → the D-14 reminder, D-7 … D-1 → the D-7 one, the deadline itself → nothing
    settings.REMINDER_OFFSETS = [14, 7]
    assert deadline_offset(day(days_left), DEADLINE) == expected


@pytest.mark.parametrize("days_left", [1, 2, 3, 4, 5, 6, 7])
def test_the_smallest_offset_reaches_down_to_the_day_before_the_deadline(settings, days_left):
    settings.REMINDER_OFFSETS = [7]
    assert deadline_offset(day(days_left), DEADLINE) == -7


def test_on_the_deadline_itself_nothing_is_due(settings):
    settings.REMINDER_OFFSETS = [7, 3, 1]
    assert deadline_offset(DEADLINE, DEADLINE) is None


def test_the_overdue_reminder_is_due_from_the_day_after_for_a_week_of_grace(settings):
    settings.REMINDER_OFFSETS = [7, 3, 1]
    assert (OVERDUE_OFFSET, OVERDUE_GRACE_DAYS) == (1, 7)
    assert deadline_offset(DEADLINE + datetime.timedelta(days=1), DEADLINE) == 1
    assert deadline_offset(DEADLINE + datetime.timedelta(days=7), DEADLINE) == 1
    assert deadline_offset(DEADLINE + datetime.timedelta(days=8), DEADLINE) is None


def test_a_rule_without_an_overdue_reminder_gets_none_after_the_deadline(settings):
    settings.REMINDER_OFFSETS = [7, 3, 1]
    assert deadline_offset(DEADLINE + datetime.timedelta(days=1), DEADLINE, after=False) is None
    assert deadline_offset(day(1), DEADLINE, after=False) == -1
    assert deadline_offset(day(7), DEADLINE, after=False) == -7


def test_a_reminder_is_found_once_on_each_offset_day_over_a_whole_run_up(settings):
    """Walking day by day from D-10 to D+10 with offsets 7, 3, 1: each reminder first becomes due on its own day and
    the set of distinct reminders is exactly -7, -3, -1, +1 (the dispatch key keeps each to one message)."""
    settings.REMINDER_OFFSETS = [7, 3, 1]
    first_day = {}
    for n in range(-10, 11):
        today = DEADLINE + datetime.timedelta(days=n)
        offset = deadline_offset(today, DEADLINE)
        if offset is not None:
            first_day.setdefault(offset, (today - DEADLINE).days)
    assert first_day == {-7: -7, -3: -3, -1: -1, 1: 1}


# ---- the rules of every app ---------------------------------------------------------------------------------------


def test_the_installed_apps_rules_are_found_and_only_modules_with_due():
    names = [m.__name__ for m in rule_modules()]
    assert "reports.reminders" in names and "posts.reminders" in names
    assert len(names) == len(set(names))
    assert all(callable(m.due) for m in rule_modules())
    assert "notifications.reminders" not in names  # notifications has none


def test_a_missing_reminders_module_is_skipped_but_a_broken_import_inside_one_is_not(monkeypatch):
    import importlib

    from django.apps import apps

    real_import = importlib.import_module

    def fake_import(name, *args, **kwargs):
        if name == "posts.reminders":
            raise ModuleNotFoundError("No module named 'somelib'", name="somelib")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr("notifications.sweep.importlib.import_module", fake_import)
    with pytest.raises(ModuleNotFoundError):
        list(rule_modules())

    def no_posts_rules(name, *args, **kwargs):
        if name == "posts.reminders":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr("notifications.sweep.importlib.import_module", no_posts_rules)
    names = [m.__name__ for m in rule_modules()]
    assert "posts.reminders" not in names and "reports.reminders" in names
    assert apps.is_installed("posts")


def test_a_module_whose_due_is_not_callable_is_not_a_rule_module(monkeypatch):
    import importlib

    real_import = importlib.import_module
    fake = types.ModuleType("reports.reminders")
    fake.due = "not a function"

    monkeypatch.setattr(
        "notifications.sweep.importlib.import_module",
        lambda name, *a, **k: fake if name == "reports.reminders" else real_import(name, *a, **k),
    )
    assert fake not in list(rule_modules())
    del fake.due  # a reminders module without any rule is skipped too
    assert fake not in list(rule_modules())


def test_the_daily_upkeep_runs_before_each_apps_rules_and_a_failing_one_is_named(monkeypatch, caplog):
    seen = []

    def good_prepare(*, today):
        seen.append(("good", today))

    def bad_prepare(*, today):
        raise RuntimeError("boom")

    good = types.SimpleNamespace(__name__="good.reminders", due=lambda *, today: [], prepare=good_prepare)
    bad = types.SimpleNamespace(__name__="bad.reminders", due=lambda *, today: [], prepare=bad_prepare)
    without = types.SimpleNamespace(__name__="plain.reminders", due=lambda *, today: [])
    not_callable = types.SimpleNamespace(__name__="odd.reminders", due=lambda *, today: [], prepare="x")
    install(monkeypatch, bad, without, not_callable, good)
    errors: list[str] = []
    with caplog.at_level(logging.ERROR, logger="notifications.sweep"):
        rules_prepare(today=DEADLINE, errors=errors)
    assert seen == [("good", DEADLINE)]  # the failing one did not stop the next
    assert errors == ["bad.reminders.prepare"]
    assert [r.getMessage() for r in caplog.records] == ["daily upkeep bad.reminders failed"]
    install(monkeypatch, bad, good)
    rules_prepare(today=DEADLINE)  # without an error list: still logged, still no exception
    assert seen[-1] == ("good", DEADLINE)


def test_reminders_are_collected_one_per_identity_in_a_stable_order(monkeypatch):
    a = to_org(organization_id=2, subject="第一条")
    a_again = to_org(organization_id=2, subject="重复的")
    b = to_org(organization_id=1)
    c = to_org(offset=-3, organization_id=1)

    def rules_one(*, today):
        assert today == DEADLINE
        return iter([a, b])

    install(monkeypatch, types.SimpleNamespace(due=rules_one), types.SimpleNamespace(due=lambda *, today: [a_again, c]))
    found = reminders_due(today=DEADLINE)
    assert [r.key for r in found] == sorted({a.key, b.key, c.key})
    assert found[[r.key for r in found].index(a.key)].subject == "第一条"  # the first one found is kept


def test_a_failing_rule_is_named_and_the_others_still_count(monkeypatch, caplog):
    def broken(*, today):
        raise RuntimeError("boom")

    good = to_org()
    install(
        monkeypatch,
        types.SimpleNamespace(__name__="broken.reminders", due=broken),
        types.SimpleNamespace(__name__="good.reminders", due=lambda *, today: [good]),
    )
    errors: list[str] = []
    with caplog.at_level(logging.ERROR, logger="notifications.sweep"):
        assert reminders_due(today=DEADLINE, errors=errors) == [good]
    assert errors == ["broken.reminders"]
    assert [r.getMessage() for r in caplog.records] == ["reminder rules broken.reminders failed"]
    assert reminders_due(today=DEADLINE) == [good]


class Nameless:
    """A rule object without a module name (e.g. a rule registered as an instance): named by its repr."""

    def __init__(self, fail_in):
        self.fail_in = fail_in

    def __repr__(self):
        return "<规则对象>"

    def due(self, *, today):
        if self.fail_in == "due":
            raise RuntimeError("boom")
        return []

    def prepare(self, *, today):
        if self.fail_in == "prepare":
            raise RuntimeError("boom")


def test_a_failing_rule_without_a_module_name_is_named_by_what_it_is(monkeypatch, caplog):
    install(monkeypatch, Nameless("prepare"), Nameless("due"))
    errors: list[str] = []
    with caplog.at_level(logging.ERROR, logger="notifications.sweep"):
        rules_prepare(today=DEADLINE, errors=errors)
        assert reminders_due(today=DEADLINE, errors=errors) == []
    assert errors == ["<规则对象>.prepare", "<规则对象>"]
    assert [r.getMessage() for r in caplog.records] == ["daily upkeep <规则对象> failed", "reminder rules <规则对象> failed"]


# ---- the words of a reminder --------------------------------------------------------------------------------------


def test_the_subject_says_how_many_days_are_left_or_overdue():
    assert days_phrase(day(7), DEADLINE) == "还有7天截止"
    assert days_phrase(day(1), DEADLINE) == "还有1天截止"
    assert days_phrase(DEADLINE, DEADLINE) == "今天截止"
    assert days_phrase(day(-1), DEADLINE) == "已逾期1天"
    assert days_phrase(day(-2), DEADLINE) == "已逾期2天"
    assert cn_date(D(2026, 3, 5)) == "2026年3月5日"


def test_a_link_to_a_page_not_wired_up_is_empty_not_an_error():
    from django.urls import reverse

    assert link(lambda: reverse("no-such-page")) == ""
    assert link(lambda: "/reports/") == "/reports/"
    with pytest.raises(ZeroDivisionError):
        link(lambda: 1 / 0)
