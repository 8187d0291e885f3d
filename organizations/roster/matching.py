"""Matching checked roster rows (名册导入) to the branch's roster: what applying would do. The keys are in
organizations.roster.rules (工号 without regard to case, else 姓名 + 联系电话); the roster's own values are normalized the
same way as the file's before they are compared, so a member stored with a full-width or zero-width character is still
found (and the import writes the normalized value)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ..models import Member, Organization
from .rules import ENUMS, Parsed, RowError
from .sheet import normalize


def plan(org: Organization, parsed: Parsed, *, lock: bool = False) -> dict:
    """What applying would do: {"new": [...], "updated": [(member, changes)], "unchanged": n, "missing": [members],
    "conflicts": [RowError]}.

    Matches against the roster as it is now (a member added since the check is matched, not added twice). With
    `lock`, the branch's members stay locked until the transaction ends, so no edit slips in between. A conflict is a
    row whose 联系电话 belongs to an active member of another 姓名 whom no row matches (see the rules' docstring): the
    caller refuses the file."""
    members = Member.objects.filter(organization=org)
    roster = list(members.select_for_update() if lock else members)
    by_no = {normalize(m.staff_no).casefold(): m for m in roster if m.staff_no}
    by_np = {(normalize(m.name), normalize(m.phone)): m for m in roster}
    new, updated, matched = [], [], set()
    for _number, data in parsed.rows:
        member = by_no.get(data["staff_no"].casefold()) if data.get("staff_no") else None
        if member is None:
            candidate = by_np.get((data.get("name"), data.get("phone")))
            if candidate is not None and (not data.get("staff_no") or not candidate.staff_no):
                member = candidate
        if member is None:
            new.append(data)
            continue
        matched.add(member.pk)
        changes = {
            k: v
            for k, v in data.items()
            if getattr(member, k) != v and not (k == "staff_no" and not v) and not (v is None and k in ENUMS)
        }
        if not member.is_active:
            changes["is_active"] = True
        if changes:
            updated.append((member, changes))
    missing = [m for m in roster if m.pk not in matched and m.is_active]
    return {
        "new": new,
        "updated": updated,
        "unchanged": len(parsed.rows) - len(new) - len(updated),
        "missing": missing,
        "conflicts": _phone_conflicts(parsed, missing),
    }


def _phone_conflicts(parsed: Parsed, unmatched: list[Member]) -> list[RowError]:
    """Rows whose 联系电话 stays another person's: an active member of another 姓名 whom no row of the file matches."""
    owners: dict[str, str] = {}
    for m in unmatched:
        if m.phone:
            owners.setdefault(normalize(m.phone), normalize(m.name))
    errors = []
    for number, data in parsed.rows:
        owner = owners.get(data.get("phone") or "")
        if owner is not None and owner != data.get("name"):
            message = _("与名册中的“%(name)s”联系电话相同：一个电话只能属于一个人，请核对姓名，或填写工号") % {
                "name": owner
            }
            errors.append(RowError(number, "联系电话", message))
    return errors
