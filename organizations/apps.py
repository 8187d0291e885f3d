from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "organizations"
    verbose_name = _("组织")

    def nav_items(self, request) -> list[dict]:
        """Navigation entries this app offers the signed-in user (see organizations.context_processors)."""
        from .access import visible_organizations

        user = request.user
        items = [{"label": _("首页"), "url": reverse("home"), "icon": "house", "order": 0}]
        if visible_organizations(user).exists():
            items.append({"label": _("组织"), "url": reverse("organizations:tree"), "icon": "diagram-3", "order": 10})
        return items
