from tests.bulletins_fixtures import build_bulletins
from tests.matrix import Case, entry


@entry("bulletins:circulars")
def _circulars(w):
    build_bulletins(w)
    return [Case(kwargs={"org_pk": w.county_b.pk}, owner="county_b_staff"),
            Case(kwargs={"org_pk": w.county_b.pk}, owner="county_b_staff", query="year=2026&kind=h1"),
            Case(kwargs={"org_pk": w.county_b.pk}, owner="county_b_staff", method="post",
                 data={"title": "乙县通报", "body": "乙县内容"})]  # fmt: skip


@entry("bulletins:briefs")
def _briefs(w):
    build_bulletins(w)
    return [Case(kwargs={"org_pk": w.county_b.pk}, owner="county_b_staff"),
            Case(kwargs={"org_pk": w.county_b.pk}, owner="member_b"),
            Case(kwargs={"org_pk": w.school_b.pk}, owner="school_b_secretary")]  # fmt: skip


@entry("bulletins:brief_create")
def _create(w):
    b = build_bulletins(w)
    data = {"demonstration": b["demonstration"].pk, "title": "乙校新材料", "body": "乙校做法"}
    return [Case(kwargs={"org_pk": w.school_b.pk}, owner="school_b_secretary"),
            Case(kwargs={"org_pk": w.school_b.pk}, owner="school_b_secretary", method="post", data=data)]  # fmt: skip


@entry("bulletins:brief_detail")
def _detail(w):
    b = build_bulletins(w)
    return [Case(kwargs={"pk": b["waiting"].pk}, owner="county_b_staff"),
            Case(kwargs={"pk": b["published"].pk}, owner="member_b")]  # fmt: skip


@entry("bulletins:brief_edit")
def _edit(w):
    b = build_bulletins(w)["returned"]
    return [Case(kwargs={"pk": b.pk}, owner="school_b_secretary"),
            Case(kwargs={"pk": b.pk}, owner="school_b_secretary", method="post",
                 data={"title": "乙校修改稿", "body": "乙校补充成效", "version": b.version})]  # fmt: skip


@entry("bulletins:brief_publish")
def _publish(w):
    b = build_bulletins(w)["waiting"]
    return Case(kwargs={"pk": b.pk}, owner="county_b_staff", method="post", data={"version": b.version})


@entry("bulletins:brief_return")
def _return(w):
    b = build_bulletins(w)["waiting"]
    return Case(kwargs={"pk": b.pk}, owner="county_b_staff", method="post",
                data={"version": b.version, "reason": "乙县退回"})  # fmt: skip
