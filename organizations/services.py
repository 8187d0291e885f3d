"""Writes to the organization tree. Every write validates (full_clean) and runs in a transaction."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import roster, roster_kept
from .enums import BUILTIN_HONOUR_TITLES, COMMITTEE_KINDS, DemoKind, OrgKind, Role
from .member_writer import MemberWriter
from .models import (
    ContactPoint,
    ContactVisit,
    DemonstrationUnit,
    Honour,
    HonourTitle,
    Leader,
    Member,
    Organization,
    Publicity,
    RoleAssignment,
    RosterImport,
)


@transaction.atomic
def organization_create(*, parent: Organization | None, **fields) -> Organization:
    """Add an organization under `parent` (or as a root). Guarantees a valid row and a consistent tree path."""
    node = Organization(**fields)
    node.full_clean(exclude=["path", "depth", "numchild"])
    if parent is None:
        return Organization.objects.add_root(instance=node)
    created = Organization.objects.add_child(parent, instance=node)
    parent.refresh_from_db(fields=["numchild"])
    return created


# ---- honours ------------------------------------------------------------------------------------------------------


@transaction.atomic
def honour_titles_ensure() -> None:
    """Make sure the policy's built-in titles exist (the migration adds them; a flushed test database may not)."""
    for name, track in BUILTIN_HONOUR_TITLES:
        HonourTitle.objects.update_or_create(name=name, defaults={"track": track, "is_builtin": True})


@transaction.atomic
def honour_title_create(*, name: str, track: str) -> HonourTitle:
    """Add a title committee staff award beyond the built-in ones. Guarantees a unique, non-empty name."""
    name = (name or "").strip()
    if HonourTitle.objects.filter(name=name).exists():
        raise ValidationError({"name": _("已有同名的荣誉称号")})
    title = HonourTitle(name=name, track=track, is_builtin=False)
    title.full_clean()
    title.save()
    return title


@transaction.atomic
def honour_create(
    *, organization: Organization, title: HonourTitle, level: str, year: int, conferred_by: str
) -> Honour:
    """Record an honour of the organization (or its school). Refuses a duplicate and a year in the future."""
    if year and year > timezone.localdate().year:
        raise ValidationError({"year": _("年度不能晚于今年")})
    if Honour.objects.filter(organization=organization, title=title, level=level, year=year).exists():
        raise ValidationError(_("该组织已登记同一年度、同一级别的这项荣誉"))
    honour = Honour(organization=organization, title=title, level=level, year=year, conferred_by=conferred_by.strip())
    honour.full_clean()
    honour.save()
    return honour


@transaction.atomic
def honour_delete(*, honour: Honour) -> None:
    """Remove a wrongly entered honour (its history stays)."""
    honour.delete()


def _in_subtree(org: Organization, top: Organization) -> bool:
    return org.path.startswith(top.path)


# ---- typical demonstration units (典型示范单位) ------------------------------------------------------------------------


def _check_demonstration(d: DemonstrationUnit) -> None:
    errors: dict[str, str] = {}
    if not d.designated_by.is_committee and not d.designated_by.is_grassroots:
        errors["designated_by"] = _("确定单位必须是党组织")
    if d.organization_id == d.designated_by_id or not _in_subtree(d.organization, d.designated_by):
        errors["organization"] = _("示范单位必须是确定单位所辖的党组织")
    elif not d.organization.is_grassroots:
        errors["organization"] = _("示范单位必须是基层党组织（学校党委、党总支或党支部）")
    if d.kind == DemoKind.SINGLE:
        if bool(d.step) == bool(d.role):
            errors["step"] = _("单项典型须写明突出的是“六步工作法”中的一步，或“八个方面的作用”中的一个（只选一项）")
    else:
        d.step, d.role = "", ""
    if d.leader_id and d.leader.organization_id != d.designated_by_id:
        errors["leader"] = _("培育联系领导须是确定单位的班子成员")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def demonstration_create(
    *,
    designated_by: Organization,
    organization: Organization,
    kind: str,
    year: int,
    step: str = "",
    role: str = "",
    leader: Leader | None = None,
    notes: str = "",
) -> DemonstrationUnit:
    """Designate a typical unit. Guarantees: the unit is a grassroots organization under the designating committee;
    a single-aspect unit names exactly one step or role; the leader belongs to the designating committee."""
    d = DemonstrationUnit(
        designated_by=designated_by,
        organization=organization,
        kind=kind,
        year=year,
        step=step,
        role=role,
        leader=leader,
        notes=notes,
    )
    _check_demonstration(d)
    if DemonstrationUnit.objects.filter(organization=organization, designated_by=designated_by, year=year).exists():
        raise ValidationError(_("该单位在这一年度已被确定为示范单位"))
    d.full_clean()
    d.save()
    return d


@transaction.atomic
def demonstration_update(*, demonstration: DemonstrationUnit, **fields) -> DemonstrationUnit:
    """Change a typical unit's kind, aspect, leader or notes, with the same guarantees as on creation."""
    for name, value in fields.items():
        setattr(demonstration, name, value)
    _check_demonstration(demonstration)
    demonstration.full_clean()
    demonstration.save()
    return demonstration


@transaction.atomic
def publicity_add(*, demonstration: DemonstrationUnit, published_on, channel: str, title: str) -> Publicity:
    """Record a 宣传报道 (meeting, bulletin or media) of a typical unit."""
    item = Publicity(demonstration=demonstration, published_on=published_on, channel=channel, title=title.strip())
    item.full_clean()
    item.save()
    return item


# ---- leaders and contact points (班子成员、联系点) ---------------------------------------------------------------------


@transaction.atomic
def leader_create(*, organization: Organization, name: str, title: str, user=None) -> Leader:
    """Add a leadership member to a committee. Refuses an organization that is not a committee."""
    if organization.kind not in COMMITTEE_KINDS:
        raise ValidationError(_("只有教育工委、高校党委和机关党委登记班子成员"))
    leader = Leader(organization=organization, name=name.strip(), title=title.strip(), user=user)
    leader.full_clean()
    leader.save()
    return leader


@transaction.atomic
def leader_update(*, leader: Leader, name: str, title: str, is_active: bool) -> Leader:
    """Correct a leadership member's name or title, or record that they left office (离任): their contact points
    stay on record, but they no longer count among the leaders who still need one."""
    leader.name, leader.title, leader.is_active = name.strip(), title.strip(), is_active
    leader.full_clean()
    leader.save(update_fields=["name", "title", "is_active"])
    return leader


@transaction.atomic
def contact_point_create(*, leader: Leader, organization: Organization, since, note: str = "") -> ContactPoint:
    """Link a leader to a unit under the leader's committee. Refuses the committee itself and a duplicate link."""
    committee = leader.organization
    if organization.pk == committee.pk or not _in_subtree(organization, committee):
        raise ValidationError({"organization": _("联系点须是本单位所辖的党组织")})
    if ContactPoint.objects.filter(leader=leader, organization=organization).exists():
        raise ValidationError({"organization": _("该班子成员已联系这个单位")})
    point = ContactPoint(leader=leader, organization=organization, since=since, note=note.strip())
    point.full_clean()
    point.save()
    return point


@transaction.atomic
def contact_visit_log(
    *, contact_point: ContactPoint, visited_on, guidance: str, problems_solved: str = "", recorded_by=None
) -> ContactVisit:
    """Log a visit to a contact point. Refuses a date in the future."""
    if visited_on and visited_on > timezone.localdate():
        raise ValidationError({"visited_on": _("日期不能晚于今天")})
    visit = ContactVisit(
        contact_point=contact_point,
        visited_on=visited_on,
        guidance=guidance.strip(),
        problems_solved=problems_solved.strip(),
        recorded_by=recorded_by,
    )
    visit.full_clean()
    visit.save()
    return visit


# ---- members --------------------------------------------------------------------------------------------------------

MEMBER_FIELDS = [
    "staff_no",
    "name",
    "gender",
    "political_status",
    "job",
    "role_group",
    "office",
    "phone",
    "email",
    "joined_party_on",
    "birth_year",
    "is_reserve_cadre",
    "reserve_reason",
    "is_active",
]


def _check_member(member: Member) -> None:
    if member.organization.kind != OrgKind.BRANCH and Organization.objects.get_children_count(member.organization):
        raise ValidationError({"organization": _("党员/教师应登记在党支部（或没有下设支部的基层党组织）")})
    if member.is_reserve_cadre and not member.reserve_reason.strip():
        raise ValidationError({"reserve_reason": _("列为后备干部时请写明理由")})
    if member.staff_no:
        clash = Member.objects.filter(organization=member.organization, staff_no=member.staff_no)
        if clash.exclude(pk=member.pk).exists():
            raise ValidationError({"staff_no": _("本支部已有人使用这个工号")})


@transaction.atomic
def member_create(*, organization: Organization, **fields) -> Member:
    """Add a member, teacher or backbone to a branch. Guarantees a valid, unique-by-工号 row."""
    member = Member(organization=organization, **{k: v for k, v in fields.items() if k in MEMBER_FIELDS})
    _check_member(member)
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def member_update(*, member: Member, **fields) -> Member:
    """Change a member's record (only the fields given). Same guarantees as member_create."""
    for name, value in fields.items():
        if name in MEMBER_FIELDS:
            setattr(member, name, value)
    _check_member(member)
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def member_invite(*, member: Member, username: str):
    """Give the member a login with no usable password; the caller shows a one-time set-password link.

    Refuses a member who already has a login and a username already taken."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    if member.user_id:
        raise ValidationError(_("该成员已有登录账号"))
    username = (username or "").strip()
    if not username:
        raise ValidationError({"username": _("请填写登录名")})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("这个登录名已被使用")})
    user = User(username=username, first_name=member.name, email=member.email)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    member.user = user
    member.save(update_fields=["user"])
    RoleAssignment.objects.get_or_create(
        user=user, organization=member.organization, role=Role.MEMBER, defaults={"title": member.job[:50]}
    )
    return user


@transaction.atomic
def organization_launch(*, organization: Organization, launched_on) -> Organization:
    """Record when a grassroots organization launched the “168” mechanism (推广面)."""
    if not organization.is_grassroots:
        raise ValidationError(_("只有基层党组织登记推行“168”机制的日期"))
    if launched_on and launched_on > timezone.localdate():
        raise ValidationError({"launched_on": _("日期不能晚于今天")})
    organization.launched_on = launched_on
    organization.save(update_fields=["launched_on"])
    return organization


# ---- roster import (名册导入; rules in organizations.roster) -----------------------------------------------------------------------------------------------------


@transaction.atomic
def roster_import_check(*, organization: Organization, uploaded_by, upload) -> RosterImport:
    """Store the upload and check every row; writes no member. File-level problems raise ValidationError (nothing
    stored); row problems give a REJECTED import listing each row, column and message; a clean file gives READY,
    with its checked rows kept on the record for the preview and the apply step."""
    if not organization.is_branch:
        raise ValidationError(_("名册只能导入到党支部"))
    parsed = roster.read_file(upload)
    upload.seek(0)
    record = RosterImport(
        organization=organization,
        uploaded_by=uploaded_by,
        original_name=getattr(upload, "name", "roster.xlsx")[:200],
        state=RosterImport.State.REJECTED if parsed.errors else RosterImport.State.READY,
        errors=[{"row": e.row, "column": e.column, "message": e.message} for e in parsed.errors],
    )
    if not parsed.errors:
        p = roster.plan(organization, parsed)
        record.summary = {
            "new": len(p["new"]),
            "updated": len(p["updated"]),
            "unchanged": p["unchanged"],
            "missing": len(p["missing"]),
            "rows": len(parsed.rows),
        }
        record.rows = roster_kept.checked_rows(parsed)
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
    parsed = roster_kept.parse_checked(record)
    p = roster.plan(org, parsed, lock=True)
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
