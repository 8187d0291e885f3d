"""Work items of 年中巡查 for the home page: the open items to fix of the units a secretary leads."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from organizations.todo import TodoItem

from .selectors import open_items_for_secretary


def secretary_todo(grants, *, today: datetime.date) -> list[TodoItem]:
    """One item per open item to fix, with its deadline (one query)."""
    return [
        TodoItem(
            kind="inspections.fix",
            title=_("巡查整改：%(content)s") % {"content": item.content[:40]},
            organization=item.inspection.organization.name,
            deadline=item.due_on,
            detail=_("责任人：%(name)s") % {"name": item.responsible},
            url=reverse("inspections:detail", args=[item.inspection_id]) + f"#item-{item.pk}",
            action=_("登记整改进展"),
        )
        for item in open_items_for_secretary(grants, today=today)
    ]
