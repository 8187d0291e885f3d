from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ScorecardsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "scorecards"
    verbose_name = _("“168”考评计分")

    def ready(self) -> None:
        """The scorecard's counts are cached with the dashboard's figures (reports.dashboard_cache): the records it
        counts beyond the dashboard's drop them too when saved or deleted."""
        from django.db.models.signals import post_delete, post_save

        from reports.dashboard_cache import invalidate

        for label in ("targets.StepCompletion", "posts.DutyLogEntry", "evaluations.Poll"):
            model = self.apps.get_model(label)
            post_save.connect(invalidate, sender=model, weak=False, dispatch_uid=f"scorecard-save-{label}")
            post_delete.connect(invalidate, sender=model, weak=False, dispatch_uid=f"scorecard-delete-{label}")

    def nav_items(self, request) -> list[dict]:
        """考评计分 for those who manage organizations (committee and unit staff, secretaries)."""
        from organizations import access

        if not access.has_role(request.user, *access.MANAGING_ROLES):
            return []
        return [{"label": _("考评计分"), "url": reverse("scorecards:index"), "icon": "trophy", "order": 82}]

    def org_links(self, request, org) -> list[dict]:
        """On the organization page: its scorecard (a committee's also ranks its subtree)."""
        url = reverse("scorecards:table" if org.is_committee else "scorecards:card", args=[org.pk])
        return [{"label": _("考评计分"), "url": url, "icon": "trophy", "order": 81}]
