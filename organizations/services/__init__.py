"""Every write to the ground layer, one module a subject; each write validates (full_clean) and runs in a
transaction. Callers import from here (``from organizations.services import member_create``)."""

from .audit import audit_record, audit_sweep
from .contacts import contact_point_create, contact_visit_log, leader_create, leader_update
from .honours import honour_create, honour_delete, honour_title_create, honour_titles_ensure
from .leaving import member_leave, member_transfer
from .members import MEMBER_FIELDS, member_create, member_invite, member_update
from .roles import role_assign, role_revoke
from .roster import roster_import_apply, roster_import_check
from .tree import (
    organization_add,
    organization_close,
    organization_create,
    organization_launch,
    organization_merge,
    organization_move,
    organization_update,
)
from .typical import demonstration_create, demonstration_update, publicity_add

__all__ = [
    "MEMBER_FIELDS",
    "audit_record",
    "audit_sweep",
    "member_leave",
    "member_transfer",
    "organization_add",
    "organization_close",
    "organization_merge",
    "organization_move",
    "organization_update",
    "role_assign",
    "role_revoke",
    "contact_point_create",
    "contact_visit_log",
    "demonstration_create",
    "demonstration_update",
    "honour_create",
    "honour_delete",
    "honour_title_create",
    "honour_titles_ensure",
    "leader_create",
    "leader_update",
    "member_create",
    "member_invite",
    "member_update",
    "organization_create",
    "organization_launch",
    "publicity_add",
    "roster_import_apply",
    "roster_import_check",
]
