"""World-building helpers for the organizations tests: honours, typical units, leaders, contact points, rosters."""

from __future__ import annotations

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from organizations import roster, services
from organizations.enums import DemoKind, WorkStep
from organizations.models import HonourTitle
from organizations.roster import book as roster_book


def org_extras(w) -> dict:
    """Objects of subtree B (and one of A) for the access matrix and page tests; built once per world."""
    if "org" in w.extra:
        return w.extra["org"]
    services.honour_titles_ensure()
    title = HonourTitle.objects.get(name="先进基层党组织")
    # on the branch, at county level: other apps' fixtures plan targets for school_b above its held honour
    honour_b = services.honour_create(
        organization=w.branch_b, title=title, level="county", year=2024, conferred_by="乙县委教育工委"
    )
    leader_b = services.leader_create(organization=w.county_b, name="乙领导", title="副书记")
    leader_a = services.leader_create(organization=w.county_a, name="甲领导", title="副书记")
    demo_b = services.demonstration_create(
        designated_by=w.county_b,
        organization=w.school_b,
        kind=DemoKind.SINGLE,
        step=WorkStep.PUBLIC_COMMITMENT,
        year=2026,
        leader=leader_b,
        notes="乙校公开承诺做法",
    )
    point_b = services.contact_point_create(leader=leader_b, organization=w.school_b, since=datetime.date(2026, 3, 1))
    services.contact_visit_log(
        contact_point=point_b, visited_on=datetime.date(2026, 4, 1), guidance="乙校指导", problems_solved="乙校问题"
    )
    import_b = services.roster_import_check(
        organization=w.branch_b, uploaded_by=w.user("branch_b_secretary"), upload=xlsx_upload([good_row("B1", "乙新人")])
    )
    extras = {
        "honour_b": honour_b,
        "leader_b": leader_b,
        "leader_a": leader_a,
        "demo_b": demo_b,
        "point_b": point_b,
        "import_b": import_b,
    }
    w.extra["org"] = extras
    return extras


def good_row(staff_no: str, name: str, phone: str = "13812345678", **over) -> list:
    row = dict(zip(roster.HEADERS, roster.EXAMPLE, strict=True))
    row.update({"工号": staff_no, "姓名": name, "联系电话": phone})
    row.update(over)
    return [row[h] for h in roster.HEADERS]


def xlsx_bytes(rows: list[list], *, headers: list[str] | None = None) -> bytes:
    if headers is None:
        return roster_book.workbook_bytes(roster_book.build_workbook(rows))
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(headers)
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def xlsx_upload(rows: list[list], name: str = "roster.xlsx", **kw) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, xlsx_bytes(rows, **kw), content_type=roster.XLSX_MIME)


def check(world, rows, **kw):
    """A roster import of `rows` checked for branch A by its secretary."""
    return services.roster_import_check(
        organization=world.branch_a, uploaded_by=world.user("branch_a_secretary"), upload=xlsx_upload(rows, **kw)
    )


def five_rows() -> list[list]:
    return [good_row(f"A{i}", f"新成员{i}", phone=f"1381234567{i}") for i in range(5)]
