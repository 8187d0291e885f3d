"""责任制 (五.一 “书记第一责任人、校长一岗双责、支部书记直接责任人、处室负责人具体责任人”): an organization's
responsibility list, derived from the roles held and the Annex 1 rows of the year's plan. Two queries.

- 第一责任人: the secretary (党组织书记) of the organization, or of the grassroots organization above a branch;
  the organization's recorded 书记 when nobody holds the role in the app;
- 一岗双责: the principal (校长) at the same organization;
- 直接责任人: each branch's secretary (支部书记), branch by branch;
- 具体责任人: for each 处室/年段/班级 named on the plan's Annex 1 rows, the people answering for its rows."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from organizations.enums import GRASSROOTS_KINDS, Role
from organizations.models import Organization, RoleAssignment

from .models import TargetItem

LABELS = {
    "first": "第一责任人（党组织书记）",
    "principal": "一岗双责（校长）",
    "direct": "直接责任人（支部书记）",
    "specific": "具体责任人（处室负责人）",
}


@dataclass
class Responsibility:
    lead: Organization | None = None  # where the 第一责任人 and the principal serve
    first: list[str] = field(default_factory=list)
    principal: list[str] = field(default_factory=list)
    direct: list[tuple[str, list[str]]] = field(default_factory=list)  # (branch, its secretaries)
    specific: list[tuple[str, list[str]]] = field(default_factory=list)  # (office, who answers for its rows)

    def text(self) -> str:
        """The list in one paragraph (Annex 1's header block): each part “label：names”, parts ending with “。”."""
        return "".join(f"{label}：{names}。" for label, names in self.lines())

    def lines(self) -> list[tuple[str, str]]:
        """The list as labelled lines (Annex 1's block under the table; the same words as the pages)."""
        none = "（未确定）"
        return [
            (LABELS["first"], "、".join(self.first) or none),
            (LABELS["principal"], "、".join(self.principal) or none),
            (LABELS["direct"], "；".join(f"{b}：{'、'.join(p) or none}" for b, p in self.direct) or none),
            (LABELS["specific"], "；".join(f"{o}：{'、'.join(p)}" for o, p in self.specific) or none),
        ]


def _person(assignment: RoleAssignment) -> str:
    user = assignment.user
    member = getattr(user, "member", None)
    name = member.name if member is not None else (user.get_full_name() or user.first_name or user.username)
    return f"{name}（{assignment.title}）" if assignment.title else name


def responsibility_list(org: Organization, year: int) -> Responsibility:
    steplen = Organization.steplen
    above = [org.path[:i] for i in range(steplen, len(org.path), steplen)]
    rows = list(
        RoleAssignment.objects.filter(
            Q(organization__path__startswith=org.path) | Q(organization__path__in=above),
            role__in=[Role.SECRETARY, Role.PRINCIPAL, Role.BRANCH_SECRETARY],
        )
        .select_related("user__member", "organization")
        .order_by("organization__path", "pk")
    )
    # the 第一责任人 serves at the organization itself, or (for a branch) at the nearest grassroots one above
    chain = [org.path] + above[::-1]
    leads = {r.organization.path: r.organization for r in rows if r.role in (Role.SECRETARY, Role.PRINCIPAL)}
    lead_path = next((p for p in chain if p in leads and leads[p].kind in GRASSROOTS_KINDS | {org.kind}), None)
    result = Responsibility(lead=leads.get(lead_path) if lead_path else org)
    for r in rows:
        path = r.organization.path
        if r.role == Role.SECRETARY and path == lead_path:
            result.first.append(_person(r))
        elif r.role == Role.PRINCIPAL and path == lead_path:
            result.principal.append(_person(r))
    if not result.first and org.secretary_name:
        result.first.append(org.secretary_name)
    branches: dict[str, tuple[str, list[str]]] = {}
    for r in rows:
        if r.role == Role.BRANCH_SECRETARY and r.organization.path.startswith(org.path):
            branches.setdefault(r.organization.path, (r.organization.name, []))[1].append(_person(r))
    result.direct = list(branches.values())
    offices: dict[str, list[str]] = {}
    items = TargetItem.objects.filter(plan__organization=org, plan__year=year).exclude(office="").order_by("office")
    for office, named, member_name in items.values_list("office", "responsible", "responsible_member__name"):
        people = offices.setdefault(office.strip(), [])
        person = (member_name or named or "").strip()
        if person and person not in people:
            people.append(person)
    result.specific = [(office, people) for office, people in offices.items() if people]
    return result
