"""承诺亮岗: the member writes and submits commitments; reviewers approve, return and publish them; fulfilment is
recorded, and a change of a published explanation waits for a reviewer (ExplanationRevision)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from machinery.locking import STALE_MESSAGE
from notifications.services import notice_send
from organizations import access
from years.selectors import ensure_year_writable

from .. import selectors
from ..enums import CommitmentState, Criterion, Decision, FulfilmentStatus, RevisionState
from ..models import Commitment, CommitmentReview, CommitmentVersion, ExplanationRevision, PostClaim

COMMITMENT_FIELDS = ("aspect", "content", "measurable_result", "due_on")


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
    _take_edits(current, aspect=aspect, content=content, measurable_result=measurable_result, due_on=due_on)
    current.version += 1
    current.full_clean()
    current.save()
    return current


def _take_edits(current: Commitment, *, aspect: str, content: str, measurable_result: str,
                due_on: datetime.date) -> None:
    current.aspect, current.content, current.measurable_result, current.due_on = (
        aspect, (content or "").strip(), (measurable_result or "").strip(), due_on)


@transaction.atomic
def commitment_save_and_submit(*, commitment: Commitment, by, version: int | str | None, aspect: str, content: str,
                               measurable_result: str, due_on: datetime.date) -> Commitment:
    """Save the text the member has in front of her and send exactly that text for review, in one transaction: the
    new CommitmentVersion holds the edited text. The version the form was opened with is required; a stale or missing
    one, a state other than draft or returned, or text that fails validation writes nothing and submits nothing."""
    ensure_year_writable(commitment.claim.post.year)
    current = _lock(commitment)
    if by is not None and not selectors.is_author(by, current):
        raise ValidationError(_("只有承诺人本人可以修改并提交承诺"), code="not_author")
    _check_version(current, "" if version is None else version)
    if not current.editable_by_member:
        raise ValidationError(_("只有草稿或退回修改的承诺可以提交"))
    _take_edits(current, aspect=aspect, content=content, measurable_result=measurable_result, due_on=due_on)
    current.full_clean()
    return _submit_locked(current, by=by)


@transaction.atomic
def commitment_submit(*, commitment: Commitment, by, version: int | None = None) -> Commitment:
    """Send a draft or returned commitment for review; the submitted text is kept as a new CommitmentVersion."""
    ensure_year_writable(commitment.claim.post.year)
    current = _lock(commitment)
    _check_version(current, version)
    if not current.editable_by_member:
        raise ValidationError(_("只有草稿或退回修改的承诺可以提交"))
    return _submit_locked(current, by=by)


def _submit_locked(current: Commitment, *, by) -> Commitment:
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
