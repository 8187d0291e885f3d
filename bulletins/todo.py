"""Work items of 简报 for the home page: write-ups waiting for the decision of a committee (or school) the user serves,
and returned write-ups of the units the user leads. One query whatever the number of write-ups."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from organizations.todo import TodoItem

from .selectors import briefs_for_home


def secretary_todo(grants, *, today: datetime.date) -> list[TodoItem]:
    to_decide, returned = briefs_for_home(grants)
    items = [
        TodoItem(
            kind="bulletins.decide",
            title=_("审核简报材料：%(title)s") % {"title": b.title[:40]},
            organization=b.organization.name,
            url=b.get_absolute_url(),
            action=_("去审核"),
        )
        for b in to_decide
    ]
    items += [
        TodoItem(
            kind="bulletins.returned",
            title=_("修改退回的简报材料：%(title)s") % {"title": b.title[:40]},
            detail=_("退回理由：%(reason)s") % {"reason": b.return_reason[:60]},
            url=b.get_absolute_url(),
            action=_("去修改"),
        )
        for b in returned
    ]
    return items
