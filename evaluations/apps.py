from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "evaluations"
    verbose_name = _("考评")

    def nav_items(self, request) -> list[dict]:
        """“我的考评” for anyone on a roster (members self-evaluate and see their results there)."""
        from organizations.access import own_member

        if own_member(request.user) is None:
            return []
        return [{"label": _("我的考评"), "url": reverse("evaluations:my_results"), "icon": "award", "order": 60}]

    def org_links(self, request, org) -> list[dict]:
        """On a grassroots organization's page: its evaluations (periods, year-end, awards, rectifications)."""
        if not org.is_grassroots and not org.is_committee:
            return []
        links = [{"label": _("考评"), "url": reverse("evaluations:org_periods", args=[org.pk]), "icon": "clipboard-check",
                  "order": 60}]
        if not org.is_grassroots:
            links = [{"label": _("评选表彰"), "url": reverse("evaluations:awards", args=[org.pk]), "icon": "trophy",
                      "order": 61}]
        return links
