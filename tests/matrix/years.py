"""The year's calendar: subtree B's calendar pages (its committee, school and branch) and the rating progress page.
Outsiders get 404 for B's organizations; the years list and the city-only opening of a year show nothing of B."""

from tests.matrix import Case, entry


@entry("years:index")
def _index(w):
    return Case(scan=True, owner=None)


@entry("years:open")
def _open(w):
    # city staff only: everyone else gets 403 and nothing of B (the year in the POST is never opened by an outsider)
    return Case(scan=True, owner=None, method="post", data={"year": 2027})


@entry("years:calendar")
def _calendar(w):
    return [
        Case(kwargs={"pk": w.county_b.pk}, owner="county_b_staff", query="year=2026"),
        Case(kwargs={"pk": w.school_b.pk}, query="year=2026"),
        Case(kwargs={"pk": w.branch_b.pk}, owner="branch_b_secretary"),
        Case(kwargs={"pk": w.branch_b.pk}, owner="member_b"),
        Case(kwargs={"pk": w.school_b.pk}, method="post", query="year=2026",
             data={"kind": "q1", "action": "set", "q1-opens_on": "2026-03-10", "q1-closes_on": "2026-03-20"}),
    ]


@entry("reports:calendar_progress")
def _progress(w):
    return [
        Case(kwargs={"pk": w.county_b.pk}, owner="county_b_staff", query="year=2026"),
        Case(kwargs={"pk": w.school_b.pk}),
    ]
