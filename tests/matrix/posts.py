from tests.matrix import OUTSIDERS, Case, entry
from tests.posts_fixtures import build_posts


def _b(w) -> dict:
    if "posts" not in w.extra:
        build_posts(w)
    return w.extra["posts"]["b"]


@entry("posts:mine", "posts:report_edit")
def _own_pages(w):
    _b(w)
    return Case(scan=True, owner=None)


@entry("posts:org_posts", "posts:annex2", "posts:notices", "posts:reports")
def _org_pages(w):
    _b(w)
    return [Case(kwargs={"org_pk": w.branch_b.pk}), Case(kwargs={"org_pk": w.branch_b.pk}, owner="branch_b_secretary")]


@entry("posts:review_queue")
def _review_queue(w):
    b = _b(w)
    return [
        Case(kwargs={"org_pk": w.branch_b.pk}, owner="branch_b_secretary"),
        Case(kwargs={"org_pk": w.branch_b.pk}, owner="branch_b_secretary", method="post",
             data={"action": "approve", "pick": [str(b["commitment"].pk)], f"version_{b['commitment'].pk}": "0"}),
    ]


@entry("posts:public")
def _public(w):
    _b(w)
    return Case(kwargs={"org_pk": w.branch_b.pk}, public=True, owner=None)


@entry("posts:post_create")
def _post_create(w):
    _b(w)
    data = {"name": "乙岗", "duties": "职责", "role": "party_member", "capacity": 1}
    return Case(kwargs={"org_pk": w.branch_b.pk}, method="post", data=data)


@entry("posts:post_copy")
def _post_copy(w):
    _b(w)
    return Case(kwargs={"org_pk": w.branch_b.pk}, method="post", data={"names": ["师德标兵岗"]})


@entry("posts:post_detail")
def _post_detail(w):
    b = _b(w)
    return [Case(kwargs={"pk": b["post"].pk}), Case(kwargs={"pk": b["post"].pk}, owner="member_b")]


@entry("posts:post_edit")
def _post_edit(w):
    b = _b(w)
    data = {"name": "党员示范岗", "duties": "职责", "role": "party_member", "capacity": 3}
    return Case(kwargs={"pk": b["post"].pk}, method="post", data=data)


@entry("posts:post_delete", "posts:post_assign")
def _post_post(w):
    b = _b(w)
    return Case(kwargs={"pk": b["post"].pk}, method="post", data={"member": w.member_b.pk})


@entry("posts:post_claim")
def _post_claim(w):
    b = _b(w)
    return Case(kwargs={"pk": b["post"].pk}, method="post", data={}, owner="member_b")


@entry("posts:claim_remove")
def _claim_remove(w):
    b = _b(w)
    return Case(kwargs={"pk": b["claim"].pk}, method="post", data={})


@entry("posts:commitment_create")
def _commitment_create(w):
    b = _b(w)
    return Case(kwargs={"claim_pk": b["claim"].pk}, owner="member_b")


@entry("posts:commitment_detail")
def _commitment_detail(w):
    b = _b(w)
    pk = b["commitment"].pk
    return [Case(kwargs={"pk": pk}), Case(kwargs={"pk": pk}, owner="member_b")]


@entry("posts:commitment_edit", "posts:commitment_submit")
def _commitment_own(w):
    b = _b(w)
    data = {"aspect": "work", "content": "改", "measurable_result": "1", "due_on": "2099-12-31", "version": 1}
    return Case(kwargs={"pk": b["draft"].pk}, method="post", data=data, owner="member_b")


@entry("posts:commitment_approve", "posts:commitment_return", "posts:commitment_publish", "posts:commitment_status")
def _commitment_review(w):
    b = _b(w)
    data = {"reason": "x", "failed": ["feasible"], "audience": "society", "status": "in_progress", "note": ""}
    return Case(kwargs={"pk": b["commitment"].pk}, method="post", data=data)


@entry("posts:explanation_approve", "posts:explanation_return")
def _explanation_review(w):
    from posts.enums import RevisionState
    from posts.models import ExplanationRevision

    b = _b(w)
    c = b["commitment"]
    if not c.explanation_revisions.filter(state=RevisionState.PENDING).exists():
        ExplanationRevision.objects.create(commitment=c, text="客观原因（修改）", published_text=c.explanation)
    return Case(kwargs={"pk": c.pk}, method="post", data={"reason": "x"})


@entry("posts:commitment_unpublish")
def _commitment_unpublish(w):
    b = _b(w)
    return Case(kwargs={"pk": b["draft"].pk}, method="post", data={})


@entry("posts:duty_log_add")
def _duty_log_add(w):
    b = _b(w)
    data = {"happened_on": "2020-01-01", "content": "乙登记"}
    return Case(kwargs={"pk": b["commitment"].pk}, method="post", data=data, owner="member_b")


@entry("posts:duty_log_delete")
def _duty_log_delete(w):
    b = _b(w)
    return Case(kwargs={"pk": b["spare_entry"].pk}, method="post", data={}, owner="member_b")


@entry("posts:evidence_download")
def _evidence(w):
    b = _b(w)
    pk = b["evidence"].pk
    return [Case(kwargs={"pk": pk}), Case(kwargs={"pk": pk}, owner="member_b")]


@entry("posts:report_detail", "posts:report_download")
def _report(w):
    b = _b(w)
    pk = b["report"].pk
    return [Case(kwargs={"pk": pk}), Case(kwargs={"pk": pk}, owner="member_b")]


@entry("posts:notice_detail")
def _notice(w):
    b = _b(w)
    pk = b["notice"].pk
    return [Case(kwargs={"pk": pk}), Case(kwargs={"pk": pk}, owner="member_b")]


@entry("posts:pledge", "posts:flow")
def _member_pages(w):
    _b(w)
    return [Case(kwargs={"member_pk": w.member_b.pk}), Case(kwargs={"member_pk": w.member_b.pk}, owner="member_b")]


@entry("posts:post_history")
def _post_history(w):
    b = _b(w)
    return [Case(kwargs={"pk": b["post"].pk}), Case(kwargs={"pk": b["post"].pk}, owner="branch_b_secretary")]


@entry("posts:commitment_history")
def _commitment_history(w):
    b = _b(w)
    pk = b["commitment"].pk
    return [Case(kwargs={"pk": pk}), Case(kwargs={"pk": pk}, owner="county_b_staff")]


@entry("posts:year_start", "posts:posts_copy_year")
def _year_start(w):
    _b(w)  # school B's 2026 plan / branch B's 2026 posts exist or 2025 has none: the owner is refused, nothing written
    from tests.matrix.targets import _b as targets_b

    targets_b(w)
    return [Case(kwargs={"org_pk": w.school_b.pk}, method="post", data={"year": "2026"}),
            Case(kwargs={"org_pk": w.branch_b.pk}, method="post", data={"year": "2026"}, owner="branch_b_secretary")]


@entry("posts:notice_receipts_xlsx")
def _notice_receipts(w):
    # the receipts are for those who manage the branch: B's member reads the notice but gets no receipts (404)
    return Case(kwargs={"pk": _b(w)["notice"].pk}, outsiders=(*OUTSIDERS, "member_b"))


# ---- 四争 and 党员联系群众 ----------------------------------------------------------------------------------------------


@entry("posts:mass_contacts")
def _mass_contacts(w):
    _b(w)
    return Case(scan=True, owner=None)


@entry("posts:aim_choose")
def _aim_choose(w):
    return Case(scan=True, owner=None, method="post", data={"aim": "backbone"})


@entry("posts:mass_contact_delete")
def _mass_contact_delete(w):
    import datetime

    from posts.models import MassContact

    contact = MassContact.objects.create(member=w.member_b, contacted_on=datetime.date(2026, 3, 1), whom="parent",
                                         subject="乙成员家访")  # fmt: skip
    return Case(kwargs={"pk": contact.pk}, owner="member_b", method="post", data={})


@entry("posts:mass_counts")
def _mass_counts(w):
    _b(w)
    return [Case(kwargs={"org_pk": w.branch_b.pk}), Case(kwargs={"org_pk": w.branch_b.pk}, owner="branch_b_secretary")]
