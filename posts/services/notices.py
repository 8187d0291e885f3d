"""情况通报: a notice to every active member of the subtree, with a receipt each, and marking it read."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import notice_send
from organizations.models import Member, Organization

from ..models import Notice, NoticeReceipt


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
