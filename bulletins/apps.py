from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class BulletinsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "bulletins"
    verbose_name = _("情况通报与简报")

    def ready(self) -> None:
        from . import tasks  # noqa: F401  (registers the Celery task the services queue by name)

    def org_links(self, request, org) -> list[dict]:
        """On a committee's page: its 情况通报 and 简报; on a typical unit's page: its write-ups for the 简报."""
        from organizations import access
        from organizations.enums import COMMITTEE_KINDS

        links = []
        if org.kind in COMMITTEE_KINDS:
            links.append({"label": _("情况通报（工委）"), "url": reverse("bulletins:circulars", args=[org.pk]),
                          "icon": "megaphone", "order": 85})  # fmt: skip
        if org.kind in COMMITTEE_KINDS or org.demonstrations.exists() or access.is_staff_of(request.user, org):
            links.append({"label": _("简报"), "url": reverse("bulletins:briefs", args=[org.pk]),
                          "icon": "journal-richtext", "order": 86})  # fmt: skip
        return links

    def public_sections(self, org) -> list[dict]:
        """On the public page: the 简报 published to the public that the organization wrote or edited."""
        from .selectors import public_briefs

        briefs = list(public_briefs(org))
        if not briefs:
            return []
        return [{"template": "bulletins/_public_section.html", "context": {"briefs": briefs}, "order": 60}]
