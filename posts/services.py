"""Writes of 亮岗履职. Every write validates, runs in a transaction and refuses with a Chinese message."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from machinery.locking import STALE_MESSAGE
from machinery.uploads import validate_upload
from notifications.services import notice_send
from organizations.models import Member, Organization

from .enums import TYPICAL_POSTS, ClaimHow, CommitmentState, Criterion, Decision, FulfilmentStatus
from .models import (
    Commitment,
    CommitmentReview,
    CommitmentVersion,
    DutyEvidence,
    DutyLogEntry,
    DutyReport,
    Notice,
    NoticeReceipt,
    Post,
    PostClaim,
)

COMMITMENT_FIELDS = ("aspect", "content", "measurable_result", "due_on")


# ---- posts (按需设岗) -----------------------------------------------------------------------------------------------


@transaction.atomic
def post_create(*, organization: Organization, by, year: int, name: str, duties: str, role: str, capacity: int,
                target_items=()) -> Post:
    """A new post of the organization for the year; the name is unique per organization and year."""
    name = (name or "").strip()
    if Post.objects.filter(organization=organization, year=year, name=name).exists():
        raise ValidationError({"name": _("本年度已有同名岗位")})
    post = Post(organization=organization, created_by=by, year=year, name=name, duties=duties.strip(), role=role,
                capacity=capacity)
    post.full_clean()
    post.save()
    if target_items:
        post.target_items.set(target_items)
    return post


@transaction.atomic
def post_update(*, post: Post, name: str, duties: str, role: str, capacity: int, target_items=None) -> Post:
    """Change a post; refuses a name another post of the same year already has."""
    name = (name or "").strip()
    if Post.objects.filter(organization=post.organization_id, year=post.year, name=name).exclude(pk=post.pk).exists():
        raise ValidationError({"name": _("本年度已有同名岗位")})
    post.name, post.duties, post.role, post.capacity = name, duties.strip(), role, capacity
    post.full_clean()
    post.save()
    if target_items is not None:
        post.target_items.set(target_items)
    return post


@transaction.atomic
def post_delete(*, post: Post) -> None:
    """Remove a post nobody has committed on yet."""
    if Commitment.objects.filter(claim__post=post).exclude(state=CommitmentState.DRAFT).exists():
        raise ValidationError(_("该岗位已有提交的承诺，不能删除"))
    post.delete()


@transaction.atomic
def posts_copy_typical(*, organization: Organization, by, year: int, names: list[str]) -> list[Post]:
    """Copy the chosen typical posts (典型岗位) into the organization's year; names it already has are skipped."""
    if not names:
        raise ValidationError(_("请至少选择一个典型岗位"))
    have = set(Post.objects.filter(organization=organization, year=year).values_list("name", flat=True))
    created = []
    for name, duties, role in TYPICAL_POSTS:
        if name in names and name not in have:
            created.append(post_create(organization=organization, by=by, year=year, name=name, duties=duties,
                                       role=role, capacity=2))
    if not created:
        raise ValidationError(_("所选典型岗位本年度都已设置"))
    return created


# ---- claims (因人择岗) ----------------------------------------------------------------------------------------------


def _check_member_fits(post: Post, member: Member) -> None:
    if not member.is_active:
        raise ValidationError(_("该成员已不在册"))
    if not member.organization.path.startswith(post.organization.path):
        raise ValidationError(_("只能认领本组织设置的岗位"))
    if PostClaim.objects.filter(post=post, member=member).exists():
        raise ValidationError(_("%(name)s 已在该岗位上") % {"name": member.name})


def _put_on_post(post: Post, member: Member, by, how: str) -> PostClaim:
    _check_member_fits(post, member)
    claim = PostClaim(post=post, member=member, how=how, by=by)
    claim.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            claim.save()
    except IntegrityError as exc:  # the same person put on the same post twice at the same moment
        raise ValidationError(_("%(name)s 已在该岗位上") % {"name": member.name}) from exc
    return claim


@transaction.atomic
def post_claim(*, post: Post, member: Member, by) -> PostClaim:
    """The member claims the post. One person may take several posts; a full post still accepts (and is flagged)."""
    return _put_on_post(post, member, by, ClaimHow.CLAIMED)


@transaction.atomic
def post_assign(*, post: Post, member: Member, by) -> PostClaim:
    """The secretary puts a member of the organization on the post."""
    return _put_on_post(post, member, by, ClaimHow.ASSIGNED)


@transaction.atomic
def claim_remove(*, claim: PostClaim) -> None:
    """Take a person off a post while nothing but drafts was written on it."""
    if claim.commitments.exclude(state=CommitmentState.DRAFT).exists():
        raise ValidationError(_("该岗位已有提交的承诺，不能撤销认岗"))
    claim.delete()


# ---- commitments (承诺亮岗) -----------------------------------------------------------------------------------------


def _tell_member(commitment: Commitment, *, subject: str, body: str, key: str) -> None:
    """An in-app notice (and email) to the commitment's member, exactly once per key."""
    user = commitment.claim.member.user
    if user is not None:
        notice_send(recipient=user, subject=subject, body=body, url=commitment.get_absolute_url(), key=key)


def _check_version(commitment: Commitment, version: int | str | None) -> None:
    if version is None:
        return
    try:
        stale = int(version) != commitment.version
    except (TypeError, ValueError):
        stale = True  # a garbled version cannot prove the form saw the current text
    if stale:
        raise ValidationError(STALE_MESSAGE, code="stale")


def _lock(commitment: Commitment) -> Commitment:
    return Commitment.objects.select_for_update().select_related("claim__post", "claim__member").get(pk=commitment.pk)


@transaction.atomic
def commitment_create(*, claim: PostClaim, aspect: str, content: str, measurable_result: str,
                      due_on: datetime.date) -> Commitment:
    """A draft commitment of the claim's member on the claim's post; the date lies within the post's year or later."""
    commitment = Commitment(claim=claim, aspect=aspect, content=content.strip(),
                            measurable_result=measurable_result.strip(), due_on=due_on)
    if due_on and due_on.year < claim.post.year:
        raise ValidationError({"due_on": _("完成时限不能早于岗位所在年度")})
    commitment.full_clean()
    commitment.save()
    return commitment


@transaction.atomic
def commitment_update(*, commitment: Commitment, version: int | None, aspect: str, content: str,
                      measurable_result: str, due_on: datetime.date) -> Commitment:
    """Revise a draft or returned commitment. Refuses a stale version (nothing written) and any other state."""
    current = _lock(commitment)
    _check_version(current, version)
    if not current.editable_by_member:
        raise ValidationError(_("已提交或已审核的承诺不能修改"))
    current.aspect, current.content, current.measurable_result, current.due_on = (
        aspect, content.strip(), measurable_result.strip(), due_on)
    current.version += 1
    current.full_clean()
    current.save()
    return current


@transaction.atomic
def commitment_submit(*, commitment: Commitment, by, version: int | None = None) -> Commitment:
    """Send a draft or returned commitment for review; the submitted text is kept as a new CommitmentVersion."""
    current = _lock(commitment)
    _check_version(current, version)
    if not current.editable_by_member:
        raise ValidationError(_("只有草稿或退回修改的承诺可以提交"))
    number = current.versions.count() + 1
    CommitmentVersion.objects.create(commitment=current, number=number, submitted_by=by,
                                     **{f: getattr(current, f) for f in COMMITMENT_FIELDS})
    current.state = CommitmentState.SUBMITTED
    current.version += 1
    current.full_clean()
    current.save()
    return current


@transaction.atomic
def commitment_approve(*, commitment: Commitment, by, version: int | None = None) -> Commitment:
    """Approve a submitted commitment (先进性、主动性、可行性 all judged satisfied)."""
    current = _lock(commitment)
    _check_version(current, version)
    if current.state != CommitmentState.SUBMITTED:
        raise ValidationError(_("只有待审核的承诺可以审核通过"))
    current.state = CommitmentState.APPROVED
    current.version += 1
    current.full_clean()
    current.save()
    review = CommitmentReview.objects.create(commitment=current, version=current.versions.last(), by=by,
                                             decision=Decision.APPROVED)
    _tell_member(current, subject=_("你的承诺已审核通过"), key=f"posts.approved|{review.pk}",
                 body=_("你在“%(post)s”岗位上的承诺已审核通过，请按承诺履岗并登记。") % {"post": current.claim.post.name})
    return current


@transaction.atomic
def commitment_return(*, commitment: Commitment, by, reason: str, failed: list[str],
                      version: int | None = None) -> Commitment:
    """Return a submitted commitment for revision, with a reason naming which of 先进性/主动性/可行性 failed."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写退回理由")})
    failed = [c for c in failed or [] if c in Criterion.values]
    if not failed:
        raise ValidationError({"failed": _("请指出未通过的方面（先进性、主动性、可行性）")})
    current = _lock(commitment)
    _check_version(current, version)
    if current.state != CommitmentState.SUBMITTED:
        raise ValidationError(_("只有待审核的承诺可以退回"))
    current.state = CommitmentState.RETURNED
    current.version += 1
    current.full_clean()
    current.save()
    review = CommitmentReview.objects.create(commitment=current, version=current.versions.last(), by=by,
                                             decision=Decision.RETURNED, reason=reason.strip(), failed_criteria=failed)
    labels = "、".join(str(Criterion(c).label) for c in failed)
    _tell_member(current, subject=_("你的承诺被退回修改"), key=f"posts.returned|{review.pk}",
                 body=_("未通过：%(labels)s。退回理由：%(reason)s") % {"labels": labels, "reason": review.reason})
    return current


@transaction.atomic
def commitment_publish(*, commitment: Commitment, audience: str) -> Commitment:
    """Publish an approved commitment to the chosen audience (社会公开 puts it on the public page)."""
    current = _lock(commitment)
    if current.state != CommitmentState.APPROVED:
        raise ValidationError(_("只有审核通过的承诺可以公开"))
    current.audience = audience
    current.published_at = current.published_at or timezone.now()
    current.version += 1
    current.full_clean()
    current.save()
    return current


@transaction.atomic
def commitment_unpublish(*, commitment: Commitment) -> Commitment:
    """Withdraw a commitment from publication."""
    current = _lock(commitment)
    if current.published_at is None:
        raise ValidationError(_("该承诺尚未公开"))
    current.published_at, current.audience = None, ""
    current.version += 1
    current.save()
    return current


@transaction.atomic
def commitment_status_set(*, commitment: Commitment, status: str, note: str, explanation: str = "",
                          publish_explanation: bool = False, version: int | None = None) -> Commitment:
    """Record fulfilment (履诺中/已兑现/未兑现) of an approved commitment. Not fulfilled needs a note; an objective
    reason can be explained and that explanation published to the masses."""
    current = _lock(commitment)
    _check_version(current, version)
    if current.state != CommitmentState.APPROVED:
        raise ValidationError(_("承诺审核通过后才能登记兑现情况"))
    if status == FulfilmentStatus.NOT_FULFILLED and not (note or explanation or "").strip():
        raise ValidationError({"note": _("未兑现的承诺请说明情况")})
    if publish_explanation and not (explanation or "").strip():
        raise ValidationError({"explanation": _("请填写向群众公开的客观原因说明")})
    current.status, current.status_note, current.explanation = status, (note or "").strip(), (explanation or "").strip()
    if publish_explanation:
        current.explanation_published_at = current.explanation_published_at or timezone.now()
    elif not current.explanation:
        current.explanation_published_at = None
    current.version += 1
    current.full_clean()
    current.save()
    return current


# ---- duty log and duty report (组织履岗) ----------------------------------------------------------------------------


@transaction.atomic
def duty_log_add(*, commitment: Commitment, by, happened_on: datetime.date, content: str, files=()) -> DutyLogEntry:
    """A dated duty-log entry on an approved commitment, with evidence files checked by type and size."""
    if commitment.state != CommitmentState.APPROVED:
        raise ValidationError(_("承诺审核通过后才能登记履岗情况"))
    if happened_on and happened_on > timezone.localdate():
        raise ValidationError({"happened_on": _("日期不能晚于今天")})
    for f in files:
        validate_upload(f)
    entry = DutyLogEntry(commitment=commitment, by=by, happened_on=happened_on, content=(content or "").strip())
    entry.full_clean()
    entry.save()
    for f in files:
        evidence = DutyEvidence(entry=entry, name=f.name[:200])
        evidence.file.save(f.name, f, save=False)
        evidence.save()
    return entry


@transaction.atomic
def duty_log_delete(*, entry: DutyLogEntry) -> None:
    """Remove one's own duty-log entry with its files."""
    for evidence in entry.evidence.all():
        evidence.file.delete(save=False)
    entry.delete()


@transaction.atomic
def duty_report_save(*, member: Member, year: int, period: str, text: str, file=None) -> DutyReport:
    """Write or rewrite the member's duty report (述职报告) for the period; the file is optional."""
    if not (text or "").strip():
        raise ValidationError({"text": _("请填写述职内容")})
    if file:
        validate_upload(file)
    report = DutyReport.objects.filter(member=member, year=year, period=period).first() or DutyReport(
        member=member, year=year, period=period)
    report.text = text.strip()
    report.full_clean(exclude=["file"])
    if file:
        report.file_name = file.name[:200]
        report.file.save(file.name, file, save=False)
    report.save()
    return report


# ---- notices (情况通报) ---------------------------------------------------------------------------------------------


@transaction.atomic
def notice_issue(*, organization: Organization, by, title: str, body: str) -> Notice:
    """A notice to every active member of the organization's subtree, each with an unread receipt."""
    notice = Notice(organization=organization, by=by, title=(title or "").strip(), body=(body or "").strip())
    notice.full_clean()
    members = Member.objects.filter(organization__path__startswith=organization.path, is_active=True)
    if not members.exists():
        raise ValidationError(_("本组织还没有在册成员，无法发布通报"))
    notice.save()
    NoticeReceipt.objects.bulk_create([NoticeReceipt(notice=notice, member=m) for m in members])
    for m in members.exclude(user=None).select_related("user"):
        notice_send(recipient=m.user, subject=_("情况通报：%(title)s") % {"title": notice.title}, body=notice.body[:500],
                    url=notice.get_absolute_url(), key=f"posts.notice|{notice.pk}|{m.pk}", email=False)
    return notice


@transaction.atomic
def notice_read(*, notice: Notice, member: Member) -> None:
    """Mark the member's receipt read (once; the first reading time is kept)."""
    NoticeReceipt.objects.filter(notice=notice, member=member, read_at=None).update(read_at=timezone.now())

