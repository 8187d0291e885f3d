from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = _("报表")

    def ready(self) -> None:
        from . import dashboard_cache, tasks  # noqa: F401  (tasks: registers the Celery tasks services queue by name)

        dashboard_cache.connect()

    def nav_items(self, request) -> list[dict]:
        """看板 and 季报表 for those who manage organizations (committee and unit staff, secretaries)."""
        from organizations import access

        if not access.has_role(request.user, *access.MANAGING_ROLES):
            return []
        items = [{"label": _("看板"), "url": reverse("reports:dashboard"), "icon": "bar-chart", "order": 80}]
        if access.has_role(request.user, *access.STAFF_ROLES):
            items.append(
                {"label": _("季报表"), "url": reverse("reports:quarterly_list"), "icon": "clipboard-data", "order": 81}
            )
        return items

    def calendar_links(self, request, org, year) -> list[dict]:
        """On the years calendar page of a committee or school: the rating progress along the calendar."""
        from organizations import access

        if org.is_branch or not access.is_visible(request.user, org):
            return []
        url = reverse("reports:calendar_progress", args=[org.pk]) + f"?year={year}"
        return [{"label": _("考评进度"), "url": url, "icon": "list-check", "order": 80}]

    def org_links(self, request, org) -> list[dict]:
        return [{"label": _("报表（附件1、2）"), "url": reverse("reports:annexes", args=[org.pk]), "icon": "table", "order": 80}]
