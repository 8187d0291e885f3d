from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "evaluations"
    verbose_name = _("考评")

    def annex2_results(self, org, year: int, member_ids: list[int]) -> dict:
        """附件2 (posts:annex2): the four periods' published grades of each member, flagged when a part was absent."""
        from .annex2 import annex2_results

        return annex2_results(org, year, member_ids)

    def nav_items(self, request) -> list[dict]:
        """“考评” for secretaries (their top organization's periods); “我的考评” for anyone on a roster (members
        self-evaluate and see their results there)."""
        from organizations.access import grants, own_member
        from organizations.enums import SECRETARY_ROLES

        items = []
        mine = sorted((g for g in grants(request.user) if g.role in SECRETARY_ROLES), key=lambda g: g.depth)
        if mine:
            url = reverse("evaluations:org_periods", args=[mine[0].organization_id])
            items.append({"label": _("考评"), "url": url, "icon": "clipboard-check", "order": 59})
        if own_member(request.user) is not None:
            items.append({"label": _("我的考评"), "url": reverse("evaluations:my_results"), "icon": "award", "order": 60})
        return items

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

    def member_flow_facts(self, member, year: int) -> dict:
        """附件4 (posts:flow): the facts of 科学评岗 and 奖惩促岗 for the member's year (evaluations.flows)."""
        from .flows import member_flow_facts

        return member_flow_facts(member, year)

    def plan_step_sections(self, plan, step: str, compact: bool = False) -> list[dict]:
        """附件3, step 6 考评奖惩 of an annual plan: the year's member ratings, honours and rectifications of the
        plan organization's subtree (the step page lists them; `compact` is the summary under the plan's diagram)."""
        from targets.enums import Step

        from .flows import plan_results

        if step != Step.EVALUATION:
            return []
        context = plan_results(plan.organization, plan.year, compact=compact) | {"plan": plan, "compact": compact}
        return [{"template": "evaluations/_plan_results.html", "context": context, "order": 60}]

    def public_sections(self, org) -> list[dict]:
        """On the public page (targets:public): the year's approved awards (党员示范（先锋）岗、优秀共产党员) in the
        organization's subtree, and the grades of periods whose results it published to society (三.六)."""
        from .selectors import public_results_context

        context = public_results_context(org)
        if not (context["awards"] or context["results"]):
            return []
        return [{"template": "evaluations/_public_section.html", "context": context, "order": 50}]
