from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class TargetsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "targets"
    verbose_name = _("目标管理")

    def nav_items(self, request) -> list[dict]:
        from organizations.access import sees_organizations

        if not sees_organizations(request.user):
            return []
        return [{"label": _("目标管理"), "url": reverse("targets:index"), "icon": "bullseye", "order": 20}]

    def org_links(self, request, org) -> list[dict]:
        from .selectors import can_plan

        if not can_plan(org):
            return []
        return [
            {"label": _("年度计划"), "url": reverse("targets:org_plans", args=[org.pk]), "icon": "calendar-check", "order": 20},
            {"label": _("长远目标"), "url": reverse("targets:longterm", args=[org.pk]), "icon": "flag", "order": 21},
            {"label": _("公开页"), "url": reverse("targets:public", args=[org.pk]), "icon": "globe", "order": 22},
        ]
