"""The annual plan: its creation (grassroots organizations only, one a year), its text and research report, and
step 4 公开承诺, which publishes a snapshot of its target items to an audience."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from machinery.locking import save_versioned
from machinery.uploads import validate_upload
from organizations.models import Organization
from organizations.signals import rows_changed
from years.selectors import ensure_year_writable

from .. import selectors
from ..enums import PUBLIC_AUDIENCES, PlanTheme, Step
from ..models import AnnualPlan, Publication, TargetItem

PLAN_FIELDS = ["theme", "theme_custom", "featured_work", "theory_research", "school_targets", "summary"]


def _clean_theme(plan: AnnualPlan) -> None:
    if plan.theme == PlanTheme.CUSTOM and not plan.theme_custom.strip():
        raise ValidationError({"theme_custom": _("选择自定主题时请填写主题名称")})


# ---- the plan ----------------------------------------------------------------------------------------------------


@transaction.atomic
def plan_create(*, organization: Organization, year: int, theme: str, by, **fields) -> AnnualPlan:
    """The organization's plan for the year. Guarantees one plan per organization and year, for grassroots
    organizations only."""
    ensure_year_writable(year)
    if not selectors.can_plan(organization):
        raise ValidationError(_("只有基层党组织（学校党委、党总支、党支部）制定年度计划"))
    if AnnualPlan.objects.filter(organization=organization, year=year).exists():
        raise ValidationError({"year": _("%(year)s年度计划已经存在") % {"year": year}})
    plan = AnnualPlan(organization=organization, year=year, theme=theme, created_by=by, **fields)
    _clean_theme(plan)
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def plan_update(*, plan: AnnualPlan, expected_version, by, **fields) -> AnnualPlan:
    """Change the plan's text. Refuses a stale version (someone saved in between) and writes nothing."""
    ensure_year_writable(plan.year)
    for name, value in fields.items():
        if name not in PLAN_FIELDS:
            raise ValueError(name)
        setattr(plan, name, value)
    _clean_theme(plan)
    plan.full_clean()
    return save_versioned(plan, fields=list(fields), expected_version=expected_version)


@transaction.atomic
def plan_attach_research_report(*, plan: AnnualPlan, file, by) -> AnnualPlan:
    """Attach the theory research report (pdf or office file, ≤ 20 MB, sniffed by content)."""
    ensure_year_writable(plan.year)
    validate_upload(file, kinds=("pdf", "office"))
    plan.research_report_name = file.name[:200]
    plan.research_report.save(file.name, file, save=False)
    plan.save(update_fields=["research_report", "research_report_name", "updated_at"])
    return plan


# ---- step 4: publication -----------------------------------------------------------------------------------------


def _snapshot(plan: AnnualPlan, items: list[TargetItem]) -> dict:
    return {
        "year": plan.year,
        "theme": plan.theme_label,
        "featured_work": plan.featured_work,
        "theory_research": plan.theory_research,
        "school_targets": plan.school_targets,
        "items": [
            {
                "id": i.pk,
                "category": i.get_category_display(),
                "content": i.content,
                "indicator": i.indicator,
                "measures": i.measures,
                "role": i.get_role_display(),
                "office": i.office,
                "responsible": i.responsible,
                "deadline": i.deadline.isoformat(),
            }
            for i in items
        ],
    }


@transaction.atomic
def plan_publish(*, plan: AnnualPlan, audience: str, published_on: datetime.date, by, channel: str = "") -> Publication:
    """公开承诺: publish the plan's target items to an audience. Needs step 3 done. The publication keeps a snapshot
    of exactly what was published; the public page (audiences 群众、社会) shows that snapshot and nothing else."""
    ensure_year_writable(plan.year)
    if not selectors.is_done(plan, Step.DECOMPOSITION):
        raise ValidationError(_("请先完成第3步“任务分解”，再公开目标任务"))
    items = list(plan.items.order_by("category", "deadline", "pk"))
    if not items:
        raise ValidationError(_("没有可公开的目标任务"))
    publication = Publication(
        plan=plan,
        audience=audience,
        published_on=published_on,
        channel=channel,
        published_by=by,
        snapshot=_snapshot(plan, items),
        item_count=len(items),
    )
    publication.full_clean()
    publication.save()
    plan.items.filter(published_at__isnull=True).update(published_at=timezone.now())
    rows_changed.send(sender=TargetItem)  # a queryset update sends no post_save
    return publication


def is_public(publication: Publication) -> bool:
    return publication.audience in PUBLIC_AUDIENCES

