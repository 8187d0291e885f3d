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
        from organizations import access

        links = [{"label": _("报表（附件1、2）"), "url": reverse("reports:annexes", args=[org.pk]), "icon": "table", "order": 80}]
        if access.is_visible(request.user, org):  # the overview is the organization's, not a member's
            links.append({"label": _("八个方面的作用"), "url": reverse("reports:roles", args=[org.pk]), "icon": "diagram-3",
                          "order": 81})  # fmt: skip
        return links

    def plan_documents(self, request, plan) -> list[dict]:
        """On the plan page: the Annex 3 flow as an A4 PDF."""
        url = reverse("reports:annex3_pdf", args=[plan.pk])
        return [{"label": _("附件3 流程图 PDF"), "url": url, "icon": "file-earmark-pdf", "order": 80}]

    def member_documents(self, request, member, year) -> list[dict]:
        """On the member's flow and letter pages: Annex 4 and the 公开承诺书 as A4 PDF, and the public letter's
        address when something of the year is published to society."""
        from posts.enums import Audience, CommitmentState
        from posts.models import Commitment

        query = f"?year={year}"
        links = [
            {
                "label": _("附件4 流程图 PDF"),
                "url": reverse("reports:annex4_pdf", args=[member.pk]) + query,
                "icon": "file-earmark-pdf",
                "order": 80,
            },
            {
                "label": _("公开承诺书 PDF"),
                "url": reverse("reports:pledge_pdf", args=[member.pk]) + query,
                "icon": "file-earmark-pdf",
                "order": 81,
            },
        ]
        def to_society(c) -> bool:
            return c.state == CommitmentState.APPROVED and c.published_at is not None and c.audience == Audience.SOCIETY

        known = getattr(member, "year_commitments", {}).get(year)  # read already by the page (posts.flows)
        if known is not None:
            published = any(to_society(c) for c in known)
        else:
            published = Commitment.objects.filter(
                claim__member=member,
                claim__post__year=year,
                state=CommitmentState.APPROVED,
                published_at__isnull=False,
                audience=Audience.SOCIETY,
            ).exists()
        if published:
            links.append(
                {
                    "label": _("公开承诺书 PDF（社会公开版）"),
                    "icon": "globe",
                    "order": 82,
                    "url": reverse("reports:pledge_public_pdf", args=[member.pk]) + query,
                }
            )
        return links

    def background_export(self, request, org, kind: str, params: dict) -> list[str]:
        """A list too long to write in the request (organizations' member list) made by a background export job: the
        job's page, which shows the download when the file is ready."""
        from . import jobs

        if kind != jobs.MEMBERS:
            return []
        job = jobs.export_job_create(
            requested_by=request.user, organization=org, kind=kind, params={**params, "format": "xlsx"}
        )
        return [reverse("reports:export_job", args=[job.pk])]
