"""Work items of 年中巡查 and of the contact points for the home page: the open items to fix of the units a secretary
leads; for a committee's staff, the items of its inspections that are overdue or wait to be verified and closed, and,
in the quarter's last month, its leaders who have not yet visited a contact point this quarter. The reminder rules
(inspections/reminders.py) name the same work with the same links."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from organizations.enums import STAFF_ROLES
from organizations.selectors import quarter_bounds
from organizations.todo import TodoItem

from .selectors import committee_work, open_items_for_secretary

LEADERS_NAMED = 5


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


def committee_todo(grants, *, today: datetime.date) -> list[TodoItem]:
    """For a committee's staff: each open item of its inspections that is overdue (chase it) or whose unit reported
    progress (verify and close it); and, in a quarter's last month, its leaders without a contact-point visit this
    quarter. One query."""
    staff_of = [g.organization_id for g in grants if g.role in STAFF_ROLES]
    if not staff_of:
        return []
    start, end = quarter_bounds(today)
    fixes, leaders = committee_work(staff_of, today=today, leaders_since=start if today.month == end.month else None)
    items = []
    for item in fixes:
        overdue = item["due_on"] < today
        items.append(TodoItem(
            kind="inspections.fix" if overdue else "inspections.verify",
            title=(_("巡查整改逾期：%(content)s") if overdue else _("核实整改销号：%(content)s"))
            % {"content": item["content"][:40]},
            organization=item["organization"],
            deadline=item["due_on"],
            detail=_("责任人：%(name)s") % {"name": item["responsible"]}
            + (_("；已登记整改进展") if item["has_progress"] else ""),
            url=reverse("inspections:detail", args=[item["inspection_id"]]) + f"#item-{item['id']}",
            action=_("核实销号") if item["has_progress"] else _("督促整改"),
        ))
    by_committee: dict[int, list[dict]] = {}
    for leader in leaders:
        by_committee.setdefault(leader["committee_id"], []).append(leader)
    for committee_id, group in by_committee.items():
        names = "、".join(x["name"] for x in group[:LEADERS_NAMED]) + ("等" if len(group) > LEADERS_NAMED else "")
        items.append(TodoItem(
            kind="inspections.contact_visit",
            title=_("本季度尚有%(n)s位班子成员未到联系点") % {"n": len(group)},
            organization=group[0]["committee"],
            deadline=end,
            detail=names,
            count=len(group),
            url=reverse("organizations:contacts", args=[committee_id]),
            action=_("记录联系指导"),
        ))
    return items
