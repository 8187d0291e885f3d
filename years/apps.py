from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class YearsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "years"
    verbose_name = _("工作年度与日历")

    def nav_items(self, request) -> list[dict]:
        """“年度日历” for committee staff and secretaries (members read their organization's from its page)."""
        from organizations.access import has_role
        from organizations.enums import MANAGING_ROLES

        if not has_role(request.user, *MANAGING_ROLES):
            return []
        return [{"label": _("年度日历"), "url": reverse("years:index"), "icon": "calendar3", "order": 15}]

    def org_links(self, request, org) -> list[dict]:
        return [
            {"label": _("年度日历"), "url": reverse("years:calendar", args=[org.pk]), "icon": "calendar3", "order": 15}
        ]
