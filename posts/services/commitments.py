"""Writes of 亮岗履职. Every write validates, runs in a transaction and refuses with a Chinese message."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from machinery.locking import STALE_MESSAGE
from machinery.uploads import validate_upload
from notifications.services import notice_send
from organizations import access
from organizations.models import Member, Organization
from targets.models import TargetItem
from targets.services import PlanStart, plan_start_from_previous
from years.selectors import ensure_year_writable

from .. import selectors
from ..enums import TYPICAL_POSTS, ClaimHow, CommitmentState, Criterion, Decision, FulfilmentStatus, RevisionState
from ..models import (
    Commitment,
    CommitmentReview,
    CommitmentVersion,
    DutyEvidence,
    DutyLogEntry,
    DutyReport,
    ExplanationRevision,
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
    ensure_year_writable(year)
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
    ensure_year_writable(post.year)
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
    ensure_year_writable(post.year)
    if Commitment.objects.filter(claim__post=post).exclude(state=CommitmentState.DRAFT).exists():
        raise ValidationError(_("该岗位已有提交的承诺，不能删除"))
    post.delete()


@transaction.atomic
def posts_copy_typical(*, organization: Organization, by, year: int, names: list[str]) -> list[Post]:
    """Copy the chosen typical posts (典型岗位) into the organization's year; names it already has are skipped."""
    ensure_year_writable(year)
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


def _check_room(post: Post, *, full_message: str) -> None:
    """A full post takes nobody more. The post row is locked first, so two claims of the last place at the same
    moment cannot both pass; people who left the roster hold no place (Post.people_on)."""
    locked = Post.objects.select_for_update().get(pk=post.pk)
    taken = locked.people_on()
    if taken >= locked.capacity:
        raise ValidationError(full_message % {"n": taken, "capacity": locked.capacity}, code="full")


@transaction.atomic
def post_claim(*, post: Post, member: Member, by) -> PostClaim:
    """The member claims the post. One person may take several posts; a full post refuses (the secretary may raise
    its number of people first)."""
    ensure_year_writable(post.year)
    _check_member_fits(post, member)
    _check_room(post, full_message=_("该岗位已满（%(n)s/%(capacity)s），如需增加人数请联系书记调整岗位人数"))
    return _put_on_post(post, member, by, ClaimHow.CLAIMED)


@transaction.atomic
def post_assign(*, post: Post, member: Member, by) -> PostClaim:
    """The secretary puts a member of the organization on the post; a full post refuses until its number of people
    is raised."""
    ensure_year_writable(post.year)
    _check_member_fits(post, member)
    _check_room(post, full_message=_("该岗位已满（%(n)s/%(capacity)s），如需增加人数请先修改岗位的需要人数"))
    return _put_on_post(post, member, by, ClaimHow.ASSIGNED)


@transaction.atomic
def claim_remove(*, claim: PostClaim) -> None:
    """Take a person off a post while nothing but drafts was written on it."""
    ensure_year_writable(claim.post.year)
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
    return Commitment.objects.select_for_update().select_related(
        "claim__post", "claim__member__organization").get(pk=commitment.pk)


def _check_reviewer(commitment: Commitment, by, *, own_message: str) -> None:
    """Nobody judges their own work: the author (the member, through the linked login) never approves, returns or
    publishes her commitment, and a secretary's own commitment is judged by the organization above. `by` None is the
    system itself (demo data, imports)."""
    if by is None:
        return
    if selectors.is_author(by, commitment):
        raise ValidationError(own_message, code="own")
    if not selectors.can_review(by, commitment):
        member = commitment.claim.member
        if access.judging_organization(member.user_id, member.organization) != member.organization:
            raise ValidationError(_("这是书记本人的承诺，由上级党组织审核"), code="not_reviewer")
        raise ValidationError(_("只有本组织及上级党组织书记可以审核该承诺"), code="not_reviewer")


@transaction.atomic
def commitment_create(*, claim: PostClaim, aspect: str, content: str, measurable_result: str,
                      due_on: datetime.date) -> Commitment:
    """A draft commitment of the claim's member on the claim's post; the date lies within the post's year or later."""
    ensure_year_writable(claim.post.year)
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
    ensure_year_writable(commitment.claim.post.year)
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
    ensure_year_writable(commitment.claim.post.year)
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
    """Approve a submitted commitment (先进性、主动性、可行性 all judged satisfied). Never by its author: a
    secretary's own commitment is approved by the organization above."""
    ensure_year_writable(commitment.claim.post.year)
    current = _lock(commitment)
    _check_reviewer(current, by, own_message=_("不能审核本人的承诺，请由上级党组织审核"))
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
    """Return a submitted commitment for revision, with a reason naming which of 先进性/主动性/可行性 failed. Never by
    its author."""
    ensure_year_writable(commitment.claim.post.year)
    if by is not None and selectors.is_author(by, commitment):
        raise ValidationError(_("不能审核本人的承诺，请由上级党组织审核"), code="own")
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写退回理由")})
    failed = [c for c in failed or [] if c in Criterion.values]
    if not failed:
        raise ValidationError({"failed": _("请指出未通过的方面（先进性、主动性、可行性）")})
    current = _lock(commitment)
    _check_reviewer(current, by, own_message=_("不能审核本人的承诺，请由上级党组织审核"))
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
def commitment_publish(*, commitment: Commitment, audience: str, by=None) -> Commitment:
    """Publish an approved commitment to the chosen audience (社会公开 puts it on the public page); never by its
    author."""
    ensure_year_writable(commitment.claim.post.year)
    current = _lock(commitment)
    _check_reviewer(current, by, own_message=_("不能公开本人的承诺，请由上级党组织审核公开"))
    if current.state != CommitmentState.APPROVED:
        raise ValidationError(_("只有审核通过的承诺可以公开"))
    current.audience = audience
    current.published_at = current.published_at or timezone.now()
    current.version += 1
    current.full_clean()
    current.save()
    return current


@transaction.atomic
def commitment_unpublish(*, commitment: Commitment, by=None) -> Commitment:
    """Withdraw a commitment from publication; never by its author."""
    ensure_year_writable(commitment.claim.post.year)
    current = _lock(commitment)
    _check_reviewer(current, by, own_message=_("不能撤回本人承诺的公开，请由上级党组织决定"))
    if current.published_at is None:
        raise ValidationError(_("该承诺尚未公开"))
    current.published_at, current.audience = None, ""
    current.version += 1
    current.save()
    return current


@transaction.atomic
def commitment_status_set(*, commitment: Commitment, status: str, note: str, explanation: str = "",
                          publish_explanation: bool = False, version: int | None = None, by=None) -> Commitment:
    """Record fulfilment (履诺中/已兑现/未兑现) of an approved commitment. Not fulfilled needs a note; an objective
    reason can be explained and that explanation published to the masses — by a reviewer only.

    Once the explanation is published, a change by anyone but a reviewer (the member; a secretary on her own
    commitment) is not written over it: it becomes a pending ExplanationRevision that a reviewer approves or returns,
    and the published text stays on the public page meanwhile. `by` None is the system itself."""
    ensure_year_writable(commitment.claim.post.year)
    current = _lock(commitment)
    _check_version(current, version)
    if current.state != CommitmentState.APPROVED:
        raise ValidationError(_("承诺审核通过后才能登记兑现情况"))
    reviewer = by is None or selectors.can_review(by, current)
    if not reviewer and not selectors.is_author(by, current):
        raise ValidationError(_("只有承诺人本人和审核人可以登记兑现情况"))
    note, explanation = (note or "").strip(), (explanation or "").strip()
    published = current.explanation_published_at is not None
    if not reviewer:  # publishing the explanation to the masses is the organization's decision
        publish_explanation = published
    if status == FulfilmentStatus.NOT_FULFILLED and not (note or explanation):
        raise ValidationError({"note": _("未兑现的承诺请说明情况")})
    if publish_explanation and not explanation:
        raise ValidationError({"explanation": _("请填写向群众公开的客观原因说明")})
    pending = current.explanation_revisions.filter(state=RevisionState.PENDING).first()
    if not reviewer and published:
        if explanation != current.explanation and (pending is None or pending.text != explanation):
            _revision_supersede(pending)
            ExplanationRevision.objects.create(commitment=current, text=explanation,
                                               published_text=current.explanation, proposed_by=by)
        elif explanation == current.explanation:
            _revision_supersede(pending)  # back to the published text: the change is withdrawn
        explanation = current.explanation
    elif explanation != current.explanation:
        _revision_supersede(pending)  # a reviewer wrote the explanation herself
    current.status, current.status_note, current.explanation = status, note, explanation
    if publish_explanation:
        current.explanation_published_at = current.explanation_published_at or timezone.now()
    elif not current.explanation:
        current.explanation_published_at = None
    current.version += 1
    current.full_clean()
    current.save()
    return current


def _revision_supersede(revision: ExplanationRevision | None) -> None:
    if revision is not None:
        revision.state = RevisionState.SUPERSEDED
        revision.decided_at = timezone.now()
        revision.save(update_fields=["state", "decided_at"])


def _pending_revision(current: Commitment) -> ExplanationRevision:
    revision = current.explanation_revisions.select_for_update().filter(state=RevisionState.PENDING).first()
    if revision is None:
        raise ValidationError(_("没有待审核的说明修改"))
    return revision


@transaction.atomic
def explanation_revision_approve(*, commitment: Commitment, by) -> Commitment:
    """A reviewer (never the author) approves the pending change of a published explanation: the public page shows
    the new text from now on; the revision keeps the text it replaced."""
    ensure_year_writable(commitment.claim.post.year)
    current = _lock(commitment)
    _check_reviewer(current, by, own_message=_("不能审核本人的说明修改，请由上级党组织审核"))
    revision = _pending_revision(current)
    current.explanation = revision.text
    current.version += 1
    current.full_clean()
    current.save()
    revision.state, revision.decided_by, revision.decided_at = RevisionState.APPROVED, by, timezone.now()
    revision.save(update_fields=["state", "decided_by", "decided_at"])
    _tell_member(current, subject=_("你修改的未兑现说明已审核通过"), key=f"posts.explanation_approved|{revision.pk}",
                 body=_("你在“%(post)s”岗位上承诺的未兑现说明修改已审核通过，公开页面已更新。")
                 % {"post": current.claim.post.name})
    return current


@transaction.atomic
def explanation_revision_return(*, commitment: Commitment, by, reason: str) -> Commitment:
    """A reviewer (never the author) returns the pending change of a published explanation with a reason; the
    published text stays."""
    ensure_year_writable(commitment.claim.post.year)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写退回理由")})
    current = _lock(commitment)
    _check_reviewer(current, by, own_message=_("不能审核本人的说明修改，请由上级党组织审核"))
    revision = _pending_revision(current)
    revision.state, revision.decided_by, revision.decided_at = RevisionState.RETURNED, by, timezone.now()
    revision.reason = reason.strip()
    revision.save(update_fields=["state", "decided_by", "decided_at", "reason"])
    _tell_member(current, subject=_("你修改的未兑现说明被退回"), key=f"posts.explanation_returned|{revision.pk}",
                 body=_("公开页面仍显示原说明。退回理由：%(reason)s") % {"reason": revision.reason})
    return current


# ---- duty log and duty report (组织履岗) ----------------------------------------------------------------------------


@transaction.atomic
def duty_log_add(*, commitment: Commitment, by, happened_on: datetime.date, content: str, files=()) -> DutyLogEntry:
    """A dated duty-log entry on an approved commitment, with evidence files checked by type and size."""
    ensure_year_writable(commitment.claim.post.year)
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
    ensure_year_writable(entry.commitment.claim.post.year)
    for evidence in entry.evidence.all():
        evidence.file.delete(save=False)
    entry.delete()


@transaction.atomic
def duty_report_save(*, member: Member, year: int, period: str, text: str, file=None) -> DutyReport:
    """Write or rewrite the member's duty report (述职报告) for the period; the file is optional."""
    ensure_year_writable(year)
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


# ---- a new year from the last ------------------------------------------------------------------------------------


@dataclass
class PostsCopy:
    """What posts_copy_from_year made: the new posts, the people kept on them, the people left off (no longer active
    members of the subtree: name and post) and the names skipped because the new year already has them."""

    posts: list[Post] = field(default_factory=list)
    claims: list[PostClaim] = field(default_factory=list)
    left_off: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


@transaction.atomic
def posts_copy_from_year(*, organization: Organization, from_year: int, to_year: int, by) -> PostsCopy:
    """Copy the organization's own posts of `from_year` into `to_year`. Posts are per year (Post.year), so “copied as
    drafts” means: new posts of `to_year` with the same name, duties, role and capacity, where nothing is committed
    yet. Guarantees:
    - a person on last year's post is put on the new one (as arranged by the organization) only while still an active
      member of the organization's subtree; the others are listed in `left_off`;
    - commitments, reviews, duty logs and reports are NOT copied: each person writes this year's commitments anew
      (承诺亮岗 starts over for everyone);
    - a post that served last year's target items serves their copies in `to_year` (TargetItem.copied_from), when the
      plan was started from last year; links to rows that were not copied are dropped;
    - a name the new year already has is skipped (listed in `skipped`); last year's posts are not changed.
    Refuses, writing nothing, when `to_year` is archived or not after `from_year`, when `from_year` has no posts,
    or when every one of them already exists in `to_year`."""
    ensure_year_writable(to_year)
    if to_year <= from_year:
        raise ValidationError(_("只能把岗位复制到以后的年度"))
    old_posts = list(
        Post.objects.filter(organization=organization, year=from_year)
        .prefetch_related("target_items", Prefetch("claims", queryset=PostClaim.objects.select_related("member__organization")))
        .order_by("name", "pk")
    )
    if not old_posts:
        raise ValidationError(_("%(year)s年度没有设置岗位，无可复制") % {"year": from_year})
    have = set(Post.objects.filter(organization=organization, year=to_year).values_list("name", flat=True))
    result = PostsCopy(skipped=[p.name for p in old_posts if p.name in have])
    if len(result.skipped) == len(old_posts):
        raise ValidationError(_("%(from)s年度的岗位在%(to)s年度都已设置") % {"from": from_year, "to": to_year})
    old_item_ids = {item.pk for post in old_posts for item in post.target_items.all()}
    copies = dict(
        TargetItem.objects.filter(copied_from__in=old_item_ids, plan__year=to_year).values_list("copied_from", "pk")
    )
    for old in old_posts:
        if old.name in have:
            continue
        post = post_create(
            organization=organization, by=by, year=to_year, name=old.name, duties=old.duties, role=old.role,
            capacity=old.capacity,
            target_items=[copies[i.pk] for i in old.target_items.all() if i.pk in copies],
        )  # fmt: skip
        result.posts.append(post)
        for claim in old.claims.all():
            member = claim.member
            if member.is_active and member.organization.path.startswith(organization.path):
                result.claims.append(_put_on_post(post, member, by, ClaimHow.ASSIGNED))
            else:
                result.left_off.append((member.name, post.name))
    return result


@dataclass
class YearStart:
    """The plan started from last year's (targets.services.PlanStart) and the posts copied (None: none last year)."""

    plan: PlanStart
    posts: PostsCopy | None


@transaction.atomic
def year_start_from_previous(*, organization: Organization, year: int, by) -> YearStart:
    """以上一年度为基础新建本年度计划和岗位: targets' plan_start_from_previous, then posts_copy_from_year from the year
    before (skipped when that year has no post the new year lacks), in one transaction: a refusal of either writes nothing at all."""
    plan = plan_start_from_previous(organization=organization, year=year, by=by)
    posts = None
    if posts_to_copy(organization=organization, from_year=year - 1, to_year=year):
        posts = posts_copy_from_year(organization=organization, from_year=year - 1, to_year=year, by=by)
    return YearStart(plan=plan, posts=posts)


def posts_to_copy(*, organization: Organization, from_year: int, to_year: int) -> bool:
    """Whether `from_year` has a post of the organization whose name `to_year` does not have yet."""
    have = Post.objects.filter(organization=organization, year=to_year).values("name")
    return Post.objects.filter(organization=organization, year=from_year).exclude(name__in=have).exists()
