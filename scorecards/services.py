"""Writes of the scorecard: a committee sets its scheme for a year (or takes the one of the committee above)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from machinery.locking import save_versioned
from organizations import access
from organizations.models import Organization
from years.selectors import current_year, ensure_year_writable

from .indicators import BY_CODE, CODES
from .models import Scheme

MAX_THRESHOLD = Decimal(1000)


def clean_items(items: dict) -> dict[str, dict]:
    """{code: {"weight", "threshold"}} for every indicator: weights 0–100 summing above 0, thresholds above 0."""
    if not isinstance(items, dict) or set(items) - set(CODES):
        raise ValidationError(_("指标不在考评指标之列"))
    out: dict[str, dict] = {}
    errors: dict[str, str] = {}
    for code in CODES:
        raw = items.get(code) or {}
        try:
            weight = int(raw.get("weight", 0))
            threshold = Decimal(str(raw.get("threshold", BY_CODE[code].threshold)))
        except (TypeError, ValueError, InvalidOperation, AttributeError):
            errors[f"weight_{code}"] = _("请填写整数权重和数字达标值")
            continue
        if not 0 <= weight <= 100:
            errors[f"weight_{code}"] = _("权重须在 0 到 100 之间")
        if not (threshold.is_finite() and 0 < threshold <= MAX_THRESHOLD):
            errors[f"threshold_{code}"] = _("达标值须大于 0 且不超过 1000")
        else:
            out[code] = {"weight": weight, "threshold": float(threshold) if threshold % 1 else int(threshold)}
    if errors:
        raise ValidationError(errors)
    if not any(v["weight"] for v in out.values()):
        raise ValidationError(_("至少要有一项指标计分（权重大于 0）"))
    return out


@transaction.atomic
def scheme_set(
    *, organization: Organization, year: int, items: dict, inherit: bool = False, by, expected_version=None
) -> Scheme:
    """The committee's scheme for `year`: this year or a later one only (a past year's scores never change), never in
    an archived year, only by the committee's own staff; an existing scheme only from the version the form showed."""
    if not organization.is_committee or not access.is_staff_of(by, organization):
        raise ValidationError(_("只有党委（工委）的工作人员可以设定考评计分方案"))
    ensure_year_writable(year)
    if int(year) < current_year():
        raise ValidationError({"year": _("往年的考评计分方案不能再修改，以免改变当年的得分")})
    if inherit and organization.is_root():
        raise ValidationError({"inherit": _("市委教育工委没有上级方案可以采用")})
    cleaned = items if inherit and not items else clean_items(items)
    scheme = Scheme.objects.select_for_update().filter(organization=organization, year=year).first()
    if scheme is None:
        scheme = Scheme(organization=organization, year=year, items=cleaned, inherit=inherit, set_by=by)
        scheme.full_clean()
        scheme.save()
        return scheme
    scheme.items, scheme.inherit, scheme.set_by = cleaned, inherit, by
    scheme.full_clean()
    return save_versioned(scheme, fields=["items", "inherit", "set_by", "set_at"], expected_version=expected_version)
