"""The models of the ground layer, one module a subject: the tree and roles, members and rosters, honours, typical
units, leaders and contact points. Imported from here (``from organizations.models import Member``)."""

from .audit import AuditEvent, AuditKind
from .contacts import ContactPoint, ContactVisit, Leader
from .honours import Honour, HonourTitle
from .members import LeaveKind, Member, MemberTransfer, RosterImport, phone_validator
from .tree import SEARCH_FIELDS, Organization, RoleAssignment, fill_search_keys, search_keys
from .typical import DemonstrationUnit, Publicity

__all__ = [
    "SEARCH_FIELDS",
    "AuditEvent",
    "AuditKind",
    "LeaveKind",
    "MemberTransfer",
    "ContactPoint",
    "ContactVisit",
    "DemonstrationUnit",
    "Honour",
    "HonourTitle",
    "Leader",
    "Member",
    "Organization",
    "Publicity",
    "RoleAssignment",
    "RosterImport",
    "fill_search_keys",
    "phone_validator",
    "search_keys",
]
