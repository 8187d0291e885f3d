"""One item of a person's work list (首页 待办): what to do, for which organization, by when, and the link that lands
on the form. Each domain app's `selectors/todo` (or `todo` selector module) returns these; the home page (reports)
gathers them, and the app's reminder rules pick "who has to do what" with the same selector functions, so a reminder
never names work the home page does not show."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


@dataclass(frozen=True)
class TodoItem:
    """`kind` names the rule (the reminder kind where one exists, e.g. "posts.approval"); `count` is how many records
    the item stands for (a period with 12 assessments missing is one item of count 12)."""

    kind: str
    title: str
    url: str
    organization: str = ""
    deadline: datetime.date | None = None
    detail: str = ""
    count: int = 1
    action: str = ""  # the button's words, e.g. “去审核”
    tags: tuple[str, ...] = field(default=())

    def days_left(self, today: datetime.date) -> int | None:
        return None if self.deadline is None else (self.deadline - today).days


def sort_key(today: datetime.date):
    """Overdue and nearest deadlines first; items without a deadline after those with one, by title."""

    def key(item: TodoItem):
        days = item.days_left(today)
        return (days is None, days if days is not None else 0, item.title)

    return key
