"""The models of the ground layer, one module a subject: the tree and roles, members and rosters, honours, typical
units, leaders and contact points. Imported from here (``from organizations.models import Member``)."""

from .contacts import ContactPoint, ContactVisit, Leader
from .honours import Honour, HonourTitle
from .members import Member, RosterImport, phone_validator
from .tree import Organization, RoleAssignment, search_keys
from .typical import DemonstrationUnit, Publicity

__all__ = [
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
    "phone_validator",
    "search_keys",
]
