from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
    verbose_name = _("通知")

    def nav_items(self, request) -> list[dict]:
        """The inbox, with the number of unread notices as its badge (one COUNT query per page)."""
        from .selectors import unread_count

        return [
            {
                "label": _("通知"),
                "url": reverse("notifications:inbox"),
                "icon": "bell",
                "order": 90,
                "badge": unread_count(request.user) or None,
            }
        ]
