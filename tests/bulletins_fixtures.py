"""简报 and 情况通报 in subtree B: 乙校 is a typical unit of 乙县委教育工委, with one write-up waiting, one returned and
one published as 简报 (also on the public page); 乙县 issued one 情况通报."""

from __future__ import annotations

from bulletins.services import brief_publish, brief_return, brief_submit, circular_issue
from tests.organizations_fixtures import org_extras


def build_bulletins(w) -> dict:
    if "bulletins" in w.extra:
        return w.extra["bulletins"]
    from django.utils import timezone

    year = timezone.localdate().year
    staff, secretary = w.user("county_b_staff"), w.user("school_b_secretary")
    demo = org_extras(w)["demo_b"]  # 乙校, designated by 乙县
    waiting = brief_submit(demonstration=demo, by=secretary, year=year, title="乙校党员先锋岗做法",
                           body="乙校党员示范岗经验")  # fmt: skip
    returned = brief_submit(demonstration=demo, by=secretary, year=year, title="乙校初稿", body="乙校初稿内容")
    brief_return(brief=returned, by=staff, reason="乙县：请补充成效", expected_version=returned.version)
    published = brief_submit(demonstration=demo, by=secretary, year=year, title="乙校联帮带经验", body="乙校联帮带")
    brief_publish(brief=published, by=staff, public=True, expected_version=published.version)
    circular = circular_issue(committee=w.county_b, by=staff, title="乙县情况通报", body="乙县一季一评情况")
    for b in (waiting, returned, published):
        b.refresh_from_db()
    w.extra["bulletins"] = {"demonstration": demo, "waiting": waiting, "returned": returned,
                            "published": published, "circular": circular}  # fmt: skip
    return w.extra["bulletins"]
