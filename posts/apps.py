from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class PostsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "posts"
    verbose_name = _("亮岗履职")

    def nav_items(self, request) -> list[dict]:
        """“我的岗位” for a member; “亮岗履职” (the first organization they manage) for a secretary."""
        from organizations import access
        from organizations.enums import SECRETARY_ROLES

        user = request.user
        items = []
        if access.own_member(user) is not None:
            items.append({"label": _("我的岗位"), "url": reverse("posts:mine"), "icon": "person-badge", "order": 30})
        managed = sorted((g for g in access.grants(user) if g.role in SECRETARY_ROLES), key=lambda g: g.depth)
        if managed:
            url = reverse("posts:org_posts", args=[managed[0].organization_id])
            items.append({"label": _("亮岗履职"), "url": url, "icon": "flag", "order": 31})
        return items

    def member_transferred(self, member, old, new, by) -> list[int]:
        """组织关系转接 (organizations.services.member_transfer): open commitments follow the member."""
        from .services.transfers import commitments_follow_member

        return [commitments_follow_member(member=member, old=old, new=new, by=by)]

    def organization_merged(self, source, target, by) -> list[dict]:
        """A merge (organizations.services.organization_merge): the posts move to the organization merged into."""
        from .services.transfers import posts_follow_merge

        return [posts_follow_merge(source=source, target=target)]

    def org_links(self, request, org) -> list[dict]:
        """Links on the organization page: its posts, Annex 2, notices."""
        if not org.is_grassroots:
            return []
        return [
            {"label": _("亮岗履职"), "url": reverse("posts:org_posts", args=[org.pk]), "icon": "flag", "order": 30},
            {"label": _("附件2 岗位承诺一览"), "url": reverse("posts:annex2", args=[org.pk]), "icon": "table",
             "order": 31},
            {"label": _("情况通报"), "url": reverse("posts:notices", args=[org.pk]), "icon": "megaphone", "order": 32},
        ]

    def public_sections(self, org) -> list[dict]:
        """The organization's commitments published to society, for the public page (targets:public)."""
        from .views.pages import public_context

        return [{"template": "posts/_public_section.html", "context": public_context(org), "order": 40}]

    def public_opinion_subject(self, org, commitment_pk: int) -> list[dict]:
        """For an opinion left on org's public page about a commitment: the commitment must be one the page shows;
        the member's organization answers it (targets.services.opinion_submit_public)."""
        from .models import Commitment
        from .selectors.pages import public_commitments

        if not public_commitments(org).filter(pk=commitment_pk).exists():
            return []
        found = Commitment.objects.select_related("claim__member__organization").get(pk=commitment_pk)
        subject = _("%(name)s的承诺：%(content)s") % {"name": found.claim.member.name, "content": found.content}
        return [{"organization": found.claim.member.organization, "subject": str(subject)}]

    def plan_start_actions(self, org, year: int) -> list[dict]:
        """On targets' offer to start the year's plan from last year's: plan and posts at once, when last year has
        posts to carry over (otherwise targets offers the plan alone)."""
        from .services import posts_to_copy

        if not posts_to_copy(organization=org, from_year=year - 1, to_year=year):
            return []
        return [{"label": _("以上一年度为基础新建本年度计划和岗位"), "url": reverse("posts:year_start", args=[org.pk]),
                 "order": 30}]
