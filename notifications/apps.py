from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
    verbose_name = _("通知")

    def nav_items(self, request) -> list[dict]:
        """The inbox, with the number of unread notices as its badge (fetched after the page loads, so that no page
        pays for the count)."""
        return [
            {
                "label": _("通知"),
                "url": reverse("notifications:inbox"),
                "icon": "bell",
                "order": 90,
                "badge_url": reverse("notifications:badge"),
            }
        ]
