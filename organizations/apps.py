from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "organizations"
    verbose_name = _("组织")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from .services import audit

        # the staff audit page lists every login and failed login (axes keeps its own lock-out records beside)
        user_logged_in.connect(audit.on_logged_in, dispatch_uid="organizations.audit.login")
        user_login_failed.connect(audit.on_login_failed, dispatch_uid="organizations.audit.login_failed")

    def nav_items(self, request) -> list[dict]:
        """Navigation entries this app offers the signed-in user (see organizations.context_processors)."""
        from .access import sees_organizations

        user = request.user
        # the badge (number of to-do items) is fetched after the page loads, so no page pays for the list
        items = [
            {
                "label": _("首页"),
                "url": reverse("home"),
                "icon": "house",
                "order": 0,
                "badge_url": reverse("home_badge"),
            }
        ]
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
        links += _manage_links(user, org)
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


def _manage_links(user, org) -> list[dict]:
    """Committee staff over an organization: its roles, sub-units, audit log; over its parent: move, merge, close."""
    from . import access
    from .models import Organization

    links: list[dict] = []
    if access.can_see_history(user, org):
        url = reverse("organizations:organization_history", args=[org.pk])
        links.append({"label": _("修改记录"), "url": url, "icon": "clock-history", "order": 20})
    if not access.is_staff_of(user, org):
        return links
    pk = [org.pk]
    links.append(
        {"label": _("审计日志"), "url": reverse("organizations:audit", args=pk), "icon": "journal-text", "order": 21}
    )
    if org.is_closed:
        return links
    links += [
        {
            "label": _("书记与工作人员"),
            "url": reverse("organizations:roles", args=pk),
            "icon": "person-gear",
            "order": 22,
        },
        {
            "label": _("修改组织信息"),
            "url": reverse("organizations:organization_edit", args=pk),
            "icon": "pencil",
            "order": 23,
        },
    ]
    if not org.is_branch:
        url = reverse("organizations:organization_add", args=pk)
        links.append({"label": _("设立下级组织"), "url": url, "icon": "plus-lg", "order": 24})
    # the parent's path is enough for the access rule (no query)
    parent = Organization(path=org.path[: -Organization.steplen]) if org.depth > 1 else None
    if parent is not None and access.is_staff_of(user, parent):
        for name, label, icon in [
            ("organization_move", _("移动"), "arrows-move"),
            ("organization_merge", _("合并"), "union"),
            ("organization_close", _("撤销"), "x-circle"),
        ]:
            links.append({"label": label, "url": reverse(f"organizations:{name}", args=pk), "icon": icon, "order": 25})
    return links
