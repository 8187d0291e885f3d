"""Writes of 情况通报 and 简报. Every rule is held here; the views' checks only decide what the pages offer."""

from __future__ import annotations

from itertools import islice

from celery import current_app
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from machinery.locking import check_version, save_versioned
from notifications.services import notice_send
from organizations.enums import PublicityChannel
from organizations.models import DemonstrationUnit, Member, Organization
from organizations.services import publicity_add
from posts.models import Notice, NoticeReceipt
from years.selectors import ensure_year_writable

from .enums import BriefState
from .models import Brief
from .selectors import may_decide, may_issue_circular, may_submit

NOTIFY_CIRCULAR = "bulletins.tasks.notify_circular"  # the Celery task that runs circular_notify after commit
RECEIPT_BATCH = 5000


@transaction.atomic
def circular_issue(*, committee: Organization, by, title: str, body: str) -> Notice:
    """A committee's 情况通报 to its subtree: every active member of it gets a read receipt now, and an inbox notice
    from a background task after commit (a county or the city holds thousands). Only the committee's own staff
    issue it; what it says is the staff's edited text (drafted from the records)."""
    if not may_issue_circular(by, committee):
        raise PermissionDenied(_("只有教育工委、高校党委和机关党委的工作人员可以向所辖单位发布情况通报"))
    notice = Notice(organization=committee, by=by, title=(title or "").strip(), body=(body or "").strip())
    if not notice.body:
        raise ValidationError({"body": _("请填写通报内容")})
    notice.full_clean()
    members = Member.objects.filter(organization__path__startswith=committee.path, is_active=True).order_by("pk")
    if not members.exists():
        raise ValidationError(_("所辖范围内还没有在册党员，无法发布通报"))
    notice.save()
    ids = members.values_list("pk", flat=True).iterator(chunk_size=RECEIPT_BATCH)
    while batch := list(islice(ids, RECEIPT_BATCH)):
        NoticeReceipt.objects.bulk_create([NoticeReceipt(notice=notice, member_id=pk) for pk in batch])
    transaction.on_commit(lambda: current_app.tasks[NOTIFY_CIRCULAR].delay(notice.pk))
    return notice


def circular_notify(*, notice_id: int) -> int:
    """The inbox notice of a 情况通报 for each member holding a receipt and a login, each at most once (the same key
    as a branch's notices: a task run twice sends nothing twice). Returns how many were written."""
    notice = Notice.objects.filter(pk=notice_id).first()
    if notice is None:
        return 0
    subject = _("情况通报：%(title)s") % {"title": notice.title}
    sent = 0
    receipts = (
        NoticeReceipt.objects.filter(notice=notice, member__user__isnull=False)
        .select_related("member__user")
        .order_by("pk")
    )
    for receipt in receipts.iterator(chunk_size=2000):
        with transaction.atomic():
            made = notice_send(recipient=receipt.member.user, subject=subject, body=notice.body[:500],
                               url=notice.get_absolute_url(), key=f"posts.notice|{notice.pk}|{receipt.member_id}",
                               email=False)  # fmt: skip
        sent += made is not None
    return sent


def _clean_text(title: str, body: str) -> tuple[str, str]:
    title, body = (title or "").strip(), (body or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("请填写标题")
    if not body:
        errors["body"] = _("请写明好做法、好经验")
    if errors:
        raise ValidationError(errors)
    return title, body


@transaction.atomic
def brief_submit(*, demonstration: DemonstrationUnit, by, year: int, title: str, body: str) -> Brief:
    """A typical unit's write-up of good practice, sent to the organization that designated it. Only the unit's
    secretaries write it, for a designation in force in the year (made that year or before)."""
    if not may_submit(by, demonstration):
        raise PermissionDenied(_("只有典型示范单位的书记可以报送好做法、好经验"))
    if demonstration.year > year:
        raise ValidationError(_("该单位在%(year)s年还不是典型示范单位") % {"year": year})
    ensure_year_writable(year)
    title, body = _clean_text(title, body)
    brief = Brief(
        demonstration=demonstration,
        organization=demonstration.organization,
        committee=demonstration.designated_by,
        year=year,
        title=title,
        body=body,
        submitted_by=by,
        submitted_at=timezone.now(),
    )
    brief.full_clean()
    brief.save()
    return brief


@transaction.atomic
def brief_revise(*, brief: Brief, by, title: str, body: str, expected_version) -> Brief:
    """The unit revises a returned write-up and sends it again (a stale version writes nothing)."""
    if not may_submit(by, brief.demonstration):
        raise PermissionDenied(_("只有典型示范单位的书记可以修改报送的材料"))
    check_version(brief, expected_version)  # someone saved it meanwhile: say so, before whatever that changed
    if brief.state != BriefState.RETURNED:
        raise ValidationError(_("只有已退回的材料可以修改后重新报送"))
    ensure_year_writable(brief.year)
    brief.title, brief.body = _clean_text(title, body)
    brief.state, brief.submitted_by, brief.submitted_at = BriefState.SUBMITTED, by, timezone.now()
    brief.full_clean()
    save_versioned(brief, fields=["title", "body", "state", "submitted_by", "submitted_at"],
                   expected_version=expected_version)  # fmt: skip
    return brief


def _decidable(brief: Brief, by, expected_version) -> Brief:
    if not may_decide(by, brief):
        raise PermissionDenied(_("只有确定该典型的单位可以审核（本人报送的材料由他人审核）"))
    check_version(brief, expected_version)
    brief = Brief.objects.select_for_update().select_related("committee", "organization").get(pk=brief.pk)
    if brief.state != BriefState.SUBMITTED:
        raise ValidationError(_("这份材料不在待审核状态"))
    return brief


@transaction.atomic
def brief_publish(*, brief: Brief, by, public: bool, expected_version) -> Brief:
    """Approve a write-up and publish it as the next issue (第N期) of the committee's 简报 of the year, in the app
    and, if chosen, on the public pages; the unit's publicity record (宣传报道：简报) is written with it."""
    brief = _decidable(brief, by, expected_version)
    last = Brief.objects.filter(committee=brief.committee, year=brief.year).aggregate(n=Max("issue_no"))["n"] or 0
    brief.state, brief.issue_no, brief.public = BriefState.PUBLISHED, last + 1, bool(public)
    brief.decided_by, brief.decided_at, brief.return_reason = by, timezone.now(), ""
    brief.full_clean()
    save_versioned(brief, fields=["state", "issue_no", "public", "decided_by", "decided_at", "return_reason"],
                   expected_version=expected_version)  # fmt: skip
    publicity_add(demonstration=brief.demonstration, published_on=timezone.localdate(),
                  channel=PublicityChannel.BULLETIN, title=brief.title)  # fmt: skip
    if brief.submitted_by_id:
        notice_send(recipient=brief.submitted_by, subject=_("简报已编发：%(title)s") % {"title": brief.title},
                    body=_("第%(n)s期") % {"n": brief.issue_no}, url=brief.get_absolute_url(), email=False)
    return brief


@transaction.atomic
def brief_return(*, brief: Brief, by, reason: str, expected_version) -> Brief:
    """Return a write-up to its unit with a reason; the unit revises and sends it again."""
    brief = _decidable(brief, by, expected_version)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写退回理由")})
    brief.state, brief.return_reason = BriefState.RETURNED, reason.strip()
    brief.decided_by, brief.decided_at = by, timezone.now()
    brief.full_clean()
    save_versioned(brief, fields=["state", "return_reason", "decided_by", "decided_at"],
                   expected_version=expected_version)  # fmt: skip
    if brief.submitted_by_id:
        notice_send(recipient=brief.submitted_by, subject=_("简报材料已退回：%(title)s") % {"title": brief.title},
                    body=brief.return_reason, url=brief.get_absolute_url(), email=False)
    return brief
