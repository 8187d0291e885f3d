"""Demo 亮岗履职: the demo branch's posts, its members' claims and commitments in every state, a duty log, a duty
report and a notice. Idempotent: a branch that already has posts for the year is left alone."""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from organizations.models import Member, Organization

from .enums import TYPICAL_POSTS, Aspect, Audience, ClaimHow, CommitmentState, Criterion, Decision, FulfilmentStatus
from .models import (
    Commitment,
    CommitmentReview,
    CommitmentVersion,
    DutyLogEntry,
    DutyReport,
    Notice,
    NoticeReceipt,
    Post,
    PostClaim,
)

BRANCHES = ["QZ-JJ-S01-B1", "QZ-NA-S01-B1"]
PLEDGES = [
    (Aspect.WORK, "每学期开设校级公开课", "公开课 2 节，评课等级良好以上"),
    (Aspect.SERVICE, "与学困生结对帮扶", "结对 3 名学生，期末成绩均有提升"),
    (Aspect.STUDY, "系统学习党的教育方针和新课标", "读书笔记 4 篇，参加专题学习 6 次"),
    (Aspect.DISCIPLINE, "严守师德规范，拒绝有偿家教", "全年无违规，家长满意度 95% 以上"),
    (Aspect.WORK, "指导青年教师备课上课", "听课指导 10 节，青年教师过关课达标"),
    (Aspect.SERVICE, "参与校园安全巡查", "每周巡查 1 次，隐患当周上报整改"),
]
# (state, status, published, explanation)
SHAPES = [
    (CommitmentState.APPROVED, FulfilmentStatus.IN_PROGRESS, True, ""),
    (CommitmentState.APPROVED, FulfilmentStatus.FULFILLED, True, ""),
    (CommitmentState.SUBMITTED, FulfilmentStatus.IN_PROGRESS, False, ""),
    (CommitmentState.RETURNED, FulfilmentStatus.IN_PROGRESS, False, ""),
    (CommitmentState.DRAFT, FulfilmentStatus.IN_PROGRESS, False, ""),
    (CommitmentState.APPROVED, FulfilmentStatus.NOT_FULFILLED, True, "因学校校舍改造停课两周，原定第二节公开课顺延至下学期。"),
]


def _secretary_user(username: str):
    return get_user_model().objects.filter(username=username).first()


def _commitments_for(claim, shapes, rng, year, reviewer):
    now = timezone.now()
    rows = []
    for k, (state, status, published, explanation) in enumerate(shapes):
        aspect, content, result = PLEDGES[(claim.pk + k) % len(PLEDGES)]
        rows.append(Commitment(
            claim=claim, aspect=aspect, content=content, measurable_result=result,
            due_on=datetime.date(year, rng.choice([6, 9, 12]), rng.choice([15, 30 if k else 20])),
            state=state, status=status if state == CommitmentState.APPROVED else FulfilmentStatus.IN_PROGRESS,
            status_note="已完成并通过验收" if status == FulfilmentStatus.FULFILLED else (
                "客观原因未能按期兑现" if explanation else ""),
            explanation=explanation, explanation_published_at=now if explanation else None,
            published_at=now if published else None, audience=Audience.SOCIETY if published else "",
        ))
    rows = Commitment.objects.bulk_create(rows)
    versions, reviews = [], []
    for c in rows:
        if c.state == CommitmentState.DRAFT:
            continue
        versions.append(CommitmentVersion(commitment=c, number=1, aspect=c.aspect, content=c.content,
                                          measurable_result=c.measurable_result, due_on=c.due_on))
    versions = CommitmentVersion.objects.bulk_create(versions)
    by_commitment = {v.commitment_id: v for v in versions}
    for c in rows:
        if c.state == CommitmentState.APPROVED:
            reviews.append(CommitmentReview(commitment=c, version=by_commitment[c.pk], by=reviewer,
                                            decision=Decision.APPROVED))
        elif c.state == CommitmentState.RETURNED:
            reviews.append(CommitmentReview(commitment=c, version=by_commitment[c.pk], by=reviewer,
                                            decision=Decision.RETURNED, failed_criteria=[Criterion.FEASIBLE],
                                            reason="成果不够具体，请写明可衡量的数量和完成时间"))
    CommitmentReview.objects.bulk_create(reviews)
    return rows


@transaction.atomic
def _load_branch(branch: Organization, rng: random.Random, year: int, reviewer, above=None) -> int:
    if Post.objects.filter(organization=branch, year=year).exists():
        return 0
    posts = Post.objects.bulk_create([
        Post(organization=branch, year=year, name=name, duties=duties, role=role, capacity=3, created_by=reviewer)
        for name, duties, role in TYPICAL_POSTS
    ])
    members = list(Member.objects.filter(organization=branch, is_active=True).order_by("pk"))
    own = [m for m in members if m.user_id and m.user.username == "member"]
    claims = []
    for i, m in enumerate(members):
        picks = [posts[0], posts[2]] if m in own else rng.sample(posts, rng.choice([1, 1, 2]))
        for p in picks:
            claims.append(PostClaim(post=p, member=m, how=ClaimHow.ASSIGNED if i % 3 == 0 else ClaimHow.CLAIMED))
    claims = PostClaim.objects.bulk_create(claims)
    # a post is never fuller than its number of people: the demo sets it to what was picked
    taken = {p.pk: sum(1 for c in claims if c.post_id == p.pk) for p in posts}
    for p in posts:
        p.capacity = max(p.capacity, taken[p.pk])
    Post.objects.bulk_update(posts, ["capacity"])
    made = []
    for i, claim in enumerate(claims):
        if claim.member in own:
            shapes = SHAPES[:3] if claim.post == posts[0] else SHAPES[3:]
        else:
            shapes = [SHAPES[i % len(SHAPES)]]
        # nobody approves her own commitment: the branch secretary's goes to the school's secretary
        own_work = reviewer is not None and claim.member.user_id == reviewer.pk
        made.extend(_commitments_for(claim, shapes, rng, year, above if own_work else reviewer))
    today = timezone.localdate()
    logs = [
        DutyLogEntry(commitment=c, happened_on=today - datetime.timedelta(days=rng.randint(1, 60)),
                     content=rng.choice(["开设校级公开课一节，教研组评课", "与结对学生谈心并辅导作业", "参加支部专题学习",
                                         "巡查教学楼消防通道，发现问题已上报"]))
        for c in made if c.state == CommitmentState.APPROVED
    ]
    DutyLogEntry.objects.bulk_create(logs)
    for m in own:
        DutyReport.objects.get_or_create(member=m, year=year, period="h1", defaults={
            "text": "上半年我在党员示范岗上开设公开课两节，结对帮扶学生三名，按时参加支部学习。"})
    notice = Notice.objects.create(organization=branch, by=reviewer, title=f"{year}年上半年亮岗履职情况通报",
                                   body="支部全体党员均已认岗并作出承诺，大部分承诺正在按期推进。请尚未提交承诺的同志抓紧提交。")
    NoticeReceipt.objects.bulk_create([
        NoticeReceipt(notice=notice, member=m, read_at=timezone.now() if k % 2 else None)
        for k, m in enumerate(members)
    ])
    return len(made)


def load(*, stdout, rng: random.Random, with_logins: bool = True, year: int | None = None) -> None:
    year = year or timezone.localdate().year
    reviewers = {"QZ-JJ-S01-B1": _secretary_user("branch"), "QZ-NA-S01-B1": _secretary_user("other")}
    total = 0
    for code in BRANCHES:
        branch = Organization.objects.filter(code=code).first()
        if branch is not None:
            above = _secretary_user("school") if code == "QZ-JJ-S01-B1" else None
            total += _load_branch(branch, rng, year, reviewers.get(code), above)
    stdout.write(f"    亮岗履职：新增承诺 {total} 项")
