"""Posts, claims and commitments for the test world (used by the posts tests and the access matrix)."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from posts import services
from posts.enums import Aspect, Audience, Criterion
from posts.models import Post, PostClaim
from posts.selectors import this_year

# the smallest valid PDF the upload checks accept
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def pdf(name: str = "evidence.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def make_post(org, name: str = "党员示范岗", *, by=None, capacity: int = 2, year: int | None = None) -> Post:
    return services.post_create(organization=org, by=by, year=year or this_year(), name=name,
                                duties="在教育教学中发挥先锋模范作用", role="party_member", capacity=capacity)


def make_commitment(claim: PostClaim, content: str = "开设公开课两节", *, due_on=None):
    return services.commitment_create(
        claim=claim, aspect=Aspect.WORK, content=content, measurable_result="公开课 2 节",
        due_on=due_on or datetime.date(this_year(), 12, 31),
    )


def approved(claim: PostClaim, reviewer, content: str = "开设公开课两节"):
    c = make_commitment(claim, content)
    c = services.commitment_submit(commitment=c, by=claim.member.user)
    return services.commitment_approve(commitment=c, by=reviewer)


def returned(claim: PostClaim, reviewer, content: str = "多读书"):
    c = make_commitment(claim, content)
    c = services.commitment_submit(commitment=c, by=claim.member.user)
    return services.commitment_return(commitment=c, by=reviewer, reason="不够具体", failed=[Criterion.FEASIBLE])


def build_posts(w) -> dict:
    """Subtree B gets a post held by member_b with an approved, published commitment (with duty log, evidence,
    report and a notice) and a draft one; subtree A the same shape for member_a. Stored in w.extra."""
    out = {}
    for side in ("a", "b"):
        branch = getattr(w, f"branch_{side}")
        member = getattr(w, f"member_{side}")
        secretary = w.user(f"branch_{side}_secretary")
        post = make_post(branch, by=secretary)
        claim = services.post_claim(post=post, member=member, by=member.user)
        c1 = approved(claim, secretary, content=f"{side} 开设公开课两节")
        c1 = services.commitment_publish(commitment=c1, audience=Audience.SOCIETY)
        c2 = make_commitment(claim, f"{side} 草稿承诺")
        entry = services.duty_log_add(commitment=c1, by=member.user, happened_on=datetime.date.today(),
                                      content="上了一节公开课", files=[pdf()])
        spare = services.duty_log_add(commitment=c1, by=member.user, happened_on=datetime.date.today(),
                                      content="备课", files=[])
        report = services.duty_report_save(member=member, year=this_year(), period="year", text="本年度述职",
                                           file=pdf("report.pdf"))
        notice = services.notice_issue(organization=branch, by=secretary, title="岗位履职情况通报", body="大家做得很好")
        out[side] = dict(post=post, claim=claim, commitment=c1, draft=c2, entry=entry, spare_entry=spare,
                         evidence=entry.evidence.get(), report=report, notice=notice)
    w.extra["posts"] = out
    return out
