from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "organizations"
    verbose_name = _("组织")

    def nav_items(self, request) -> list[dict]:
        """Navigation entries this app offers the signed-in user (see organizations.context_processors)."""
        from .access import sees_organizations

        user = request.user
        items = [{"label": _("首页"), "url": reverse("home"), "icon": "house", "order": 0}]
        if sees_organizations(user):
            items.append({"label": _("组织"), "url": reverse("organizations:tree"), "icon": "diagram-3", "order": 10})
        top = _top_staff_grant(user)
        if top is not None:
            items.append(
                {
                    "label": _("推广面"),
                    "url": reverse("organizations:coverage", args=[top.organization_id]),
                    "icon": "pie-chart",
                    "order": 12,
                }
            )
            items.append(
                {
                    "label": _("典型示范"),
                    "url": reverse("organizations:demonstrations", args=[top.organization_id]),
                    "icon": "award",
                    "order": 13,
                }
            )
        return items

    def org_links(self, request, org) -> list[dict]:
        """Links on the organization page: honours, typical units, contact points, coverage, roster import."""
        from . import access

        user = request.user
        links = [
            {"label": _("荣誉"), "url": reverse("organizations:honours", args=[org.pk]), "icon": "trophy", "order": 1}
        ]
        if org.numchild:
            links.append(
                {
                    "label": _("典型示范单位"),
                    "url": reverse("organizations:demonstrations", args=[org.pk]),
                    "icon": "award",
                    "order": 2,
                }
            )
            links.append(
                {
                    "label": _("推广面"),
                    "url": reverse("organizations:coverage", args=[org.pk]),
                    "icon": "pie-chart",
                    "order": 3,
                }
            )
        if org.is_committee:
            links.append(
                {
                    "label": _("班子成员联系点"),
                    "url": reverse("organizations:contacts", args=[org.pk]),
                    "icon": "people",
                    "order": 4,
                }
            )
        if org.is_branch and access.is_secretary_of(user, org):
            links.append(
                {
                    "label": _("导入名册"),
                    "url": reverse("organizations:roster_import", args=[org.pk]),
                    "icon": "upload",
                    "order": 5,
                }
            )
        return links


def _top_staff_grant(user):
    """The user's top-most staff or secretary grant (from the per-request cache; no extra query)."""
    from .access import grants
    from .enums import MANAGING_ROLES, Role

    # branch secretaries have no subtree to survey; the coverage and typical-unit menus are for committees and schools
    managing = [g for g in grants(user) if g.role in MANAGING_ROLES and g.role != Role.BRANCH_SECRETARY]
    return min(managing, key=lambda g: (g.depth, g.path)) if managing else None
