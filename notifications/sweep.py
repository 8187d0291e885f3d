"""What a reminder is, and how the sweep finds the rules that produce them.

Each app owns its reminder rules in `<app>/reminders.py` with `def due(*, today) -> Iterable[Reminder]` (and, if it
needs daily upkeep first, `def prepare(*, today)`). The sweep imports those modules by name for the installed apps, so
notifications (a low layer) never imports a higher app.
"""

from __future__ import annotations

import datetime
import importlib
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from types import ModuleType

from django.apps import apps
from django.conf import settings

logger = logging.getLogger(__name__)

OVERDUE_OFFSET = 1  # the one reminder after the deadline, on D+1
OVERDUE_GRACE_DAYS = 7  # a sweep that missed D+1 (server down) still sends it within this many days


@dataclass(frozen=True)
class Reminder:
    """One message due today, addressed to the holders of `roles` at an organization, or to one user.

    (kind, period, offset, addressee) is its identity: a reminder with the same key is sent at most once, ever.
    """

    kind: str  # what it is about, e.g. "reports.quarterly"
    period: str  # which occurrence, e.g. "2026Q1"
    offset: int  # days relative to the deadline: -7, -3, -1 before it, +1 after it
    subject: str
    body: str
    url: str = ""
    organization_id: int | None = None
    roles: tuple[str, ...] = ()
    recipient_id: int | None = None
    # the date the reminder is about: notices and emails name it, and count “还有N天” from it when shown or sent
    deadline: datetime.date | None = None

    def __post_init__(self):
        if (self.organization_id is None) == (self.recipient_id is None):
            raise ValueError("a reminder goes either to an organization's roles or to one user")
        if self.organization_id is not None and not self.roles:
            raise ValueError("a reminder to an organization names the roles that receive it")

    @property
    def key(self) -> str:
        return f"{self.kind}|{self.period}|{self.offset:+d}|{addressee(self.organization_id, self.recipient_id)}"

    @property
    def subject_key(self) -> str:
        """What the reminder is about and to whom, whatever the day: while the rules still produce it, it is wanted."""
        return subject_key(self.kind, self.period, self.organization_id, self.recipient_id)


def addressee(organization_id: int | None, recipient_id: int | None) -> str:
    return f"o{organization_id}" if organization_id is not None else f"u{recipient_id}"


def subject_key(kind: str, period: str, organization_id: int | None, recipient_id: int | None) -> str:
    return f"{kind}|{period}|{addressee(organization_id, recipient_id)}"


def reminder_offsets() -> list[int]:
    """Days before a deadline at which reminders go out (settings.REMINDER_OFFSETS), largest first."""
    return sorted({int(d) for d in getattr(settings, "REMINDER_OFFSETS", (7, 3, 1)) if int(d) > 0}, reverse=True)


def deadline_offset(today: datetime.date, deadline: datetime.date, *, after: bool = True) -> int | None:
    """Which reminder about `deadline` is due on `today`: -7, -3, -1 (with offsets 7,3,1), +1 after it, or None.

    Each offset owns the days from its own day up to the next offset's day, so a sweep that did not run on D-7
    (or was interrupted) still sends the D-7 reminder on D-6; the Dispatch key keeps it to one.
    """
    days_left = (deadline - today).days
    offsets = reminder_offsets()
    for i, offset in enumerate(offsets):
        next_offset = offsets[i + 1] if i + 1 < len(offsets) else 0
        if next_offset < days_left <= offset:
            return -offset
    if after and -OVERDUE_OFFSET - OVERDUE_GRACE_DAYS < days_left <= -OVERDUE_OFFSET:
        return OVERDUE_OFFSET
    return None


def rule_modules() -> Iterator[ModuleType]:
    """Every installed app's `reminders` module that defines `due` (imported by name, in INSTALLED_APPS order)."""
    for config in apps.get_app_configs():
        name = f"{config.name}.reminders"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        if callable(getattr(module, "due", None)):
            yield module


def rules_prepare(*, today: datetime.date, errors: list[str] | None = None) -> None:
    """Run each rule module's optional `prepare(*, today)` before the reminders are found: an app's daily upkeep that
    its reminders depend on (e.g. rating periods opening with the calendar). A failing one is logged and skipped."""
    for module in rule_modules():
        prepare = getattr(module, "prepare", None)
        if not callable(prepare):
            continue
        try:
            prepare(today=today)
        except Exception:
            logger.exception("daily upkeep %s failed", getattr(module, "__name__", module))
            if errors is not None:
                errors.append(f"{getattr(module, '__name__', module)}.prepare")


def reminders_due(*, today: datetime.date, errors: list[str] | None = None) -> list[Reminder]:
    """All reminders the rules say are due on `today`, one per key, in a stable order.

    A rule that fails is logged and left out (its name added to `errors`): one app's bug does not silence the others.
    """
    found: dict[str, Reminder] = {}
    for module in rule_modules():
        try:
            items: list[Reminder] = list(module.due(today=today))
        except Exception:
            logger.exception("reminder rules %s failed", getattr(module, "__name__", module))
            if errors is not None:
                errors.append(str(getattr(module, "__name__", module)))
            continue
        for reminder in items:
            found.setdefault(reminder.key, reminder)
    return [found[k] for k in sorted(found)]


def link(make) -> str:
    """A URL for a reminder, or "" while the page it points at does not exist (an app not wired up yet)."""
    from django.urls import NoReverseMatch

    try:
        return make()
    except NoReverseMatch:
        return ""


def days_phrase(today: datetime.date, deadline: datetime.date) -> str:
    """“还有7天截止”, “今天截止” or “已逾期2天”, for a reminder's subject."""
    days = (deadline - today).days
    if days > 0:
        return f"还有{days}天截止"
    if days == 0:
        return "今天截止"
    return f"已逾期{-days}天"


def cn_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


DAYS_PHRASE = re.compile(r"还有\d+天截止|今天截止|已逾期\d+天")


def days_refreshed(text: str, deadline: datetime.date | None, today: datetime.date) -> str:
    """`text` with each days_phrase in it counted again for `today` (a reminder written on D-7 and emailed or read
    on D-5 says “还有5天截止”). Text about no deadline is returned as it is."""
    if deadline is None or not text:
        return text
    return DAYS_PHRASE.sub(days_phrase(today, deadline), text)
