"""The roster import's writes: check a file (writes nothing but the import record), then apply it in one transaction.
The rules are in organizations.roster."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import roster
from ..models import (
    Organization,
    RosterImport,
)
from ..roster import kept
from ..roster.writer import MemberWriter


@transaction.atomic
def roster_import_check(*, organization: Organization, uploaded_by, upload) -> RosterImport:
    """Store the upload and check every row; writes no member. File-level problems raise ValidationError (nothing
    stored); row problems give a REJECTED import listing each row, column and message; a clean file gives READY,
    with its checked rows kept on the record for the preview and the apply step."""
    if not organization.is_branch:
        raise ValidationError(_("名册只能导入到党支部"))
    parsed = roster.read_file(upload)
    upload.seek(0)
    p = None if parsed.errors else roster.plan(organization, parsed)
    if p and p["conflicts"]:  # a phone that stays another roster member's (see organizations.roster.rules)
        parsed.errors.extend(p["conflicts"])
    record = RosterImport(
        organization=organization,
        uploaded_by=uploaded_by,
        original_name=getattr(upload, "name", "roster.xlsx")[:200],
        state=RosterImport.State.REJECTED if parsed.errors else RosterImport.State.READY,
        errors=[{"row": e.row, "column": e.column, "message": e.message} for e in parsed.errors],
    )
    if not parsed.errors:
        record.summary = {
            "new": len(p["new"]),
            "updated": len(p["updated"]),
            "unchanged": p["unchanged"],
            "missing": len(p["missing"]),
            "rows": len(parsed.rows),
        }
        record.rows = kept.checked_rows(parsed)
    record.file.save(f"roster-{organization.pk}.xlsx", upload, save=False)
    record.full_clean(exclude=["rows"])  # built above from the checked values; its only rule is to be JSON
    record.save()
    return record


@transaction.atomic
def roster_import_apply(*, record: RosterImport, mark_missing_left: bool = False) -> dict:
    """Apply a READY import in one transaction: create new members, update changed ones, optionally mark roster
    members missing from the file as left; each written member gets its history row. Works from the rows kept by
    the check (validated again against the model's rules) and matches them against the roster as it is now, so a
    member added since the check is updated, not added twice. Any problem writes nothing."""
    record = RosterImport.objects.select_for_update().get(pk=record.pk)
    if record.state != RosterImport.State.READY:
        raise ValidationError(_("这个文件已经导入或有错误，不能再次导入；请重新上传"))
    org = record.organization
    if not org.is_branch:
        raise ValidationError(_("名册只能导入到党支部"))
    parsed = kept.parse_checked(record)
    p = roster.plan(org, parsed, lock=True)
    if p["conflicts"]:  # the roster changed since the check: a member now holds one of the file's phones
        raise ValidationError(_("导入期间本支部名册被他人修改，未导入任何数据；请重新上传文件"))
    writer = MemberWriter(user=record.uploaded_by, organization=org)
    try:
        with transaction.atomic():
            writer.create(p["new"])
            changed, fields = [], set()
            for member, changes in p["updated"]:
                for k, v in changes.items():
                    setattr(member, k, v)
                fields.update(changes)
                changed.append(member)
            writer.update(changed, fields)
            left = 0
            if mark_missing_left and p["missing"]:
                for member in p["missing"]:
                    member.is_active = False
                writer.update(p["missing"], {"is_active"})
                left = len(p["missing"])
    except IntegrityError as exc:
        if "unique_staff_no_per_branch" not in str(exc) and "staff_no" not in str(exc):
            raise  # not the race below: a real fault, not to be explained away
        # a member with one of the file's 工号 was added while this import ran
        raise ValidationError(_("导入期间本支部名册被他人修改，未导入任何数据；请重新上传文件")) from exc
    record.state = RosterImport.State.APPLIED
    record.applied_at = timezone.now()
    record.summary = {**record.summary, "created": len(p["new"]), "changed": len(p["updated"]), "left": left}
    record.rows = None  # the file stays; the working copy of its rows is no longer needed
    record.save(update_fields=["state", "applied_at", "summary", "rows"])
    return record.summary
