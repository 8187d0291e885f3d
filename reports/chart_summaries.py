"""Each dashboard chart said in words: the aria-label a screen reader reads for the picture, with the figures the
chart draws (the table beside the chart has them all)."""

from __future__ import annotations

from django.utils.translation import gettext as _

SEP = "，"


def _pct(value: float) -> str:
    return f"{value:g}%"


def coverage(data: dict, *, more: int = 0) -> str:
    pairs = list(zip(data["labels"], data["values"], strict=True))
    if not pairs:
        return _("推广面图表：没有下级单位")
    full = sum(1 for _name, v in pairs if v >= 100)
    low_name, low = min(pairs, key=lambda p: p[1])
    high_name, high = max(pairs, key=lambda p: p[1])
    head = _("推广面图表（目标 100%%），%(n)d 个下级单位") % {"n": len(pairs)}
    if more:
        head += _("（推广面最低的 %(n)d 个，另有 %(more)d 个未画出）") % {"n": len(pairs), "more": more}
    parts = [head, _("%(n)d 个达到 100%%") % {"n": full},
             _("最低 %(name)s %(v)s") % {"name": low_name, "v": _pct(low)},
             _("最高 %(name)s %(v)s") % {"name": high_name, "v": _pct(high)}]
    if len(pairs) <= 8:
        parts.append(_("各单位：") + "、".join(f"{name} {_pct(v)}" for name, v in pairs))
    return SEP.join(parts) + "。"


def counts(title: str, data: dict, unit: str) -> str:
    """A bar or pie chart of counts: every label with its count, and the total."""
    pairs = list(zip(data["labels"], data["values"], strict=True))
    body = "、".join(f"{label} {value} {unit}" for label, value in pairs)
    return f"{title}：{body}{SEP}" + _("合计 %(n)d %(unit)s") % {"n": sum(data["values"]), "unit": unit} + "。"


def demos(data: dict) -> str:
    pairs = list(zip(data["labels"], data["values"], strict=True))
    return _("示范单位与联系点图表：") + "、".join(f"{label} {value} " + _("个") for label, value in pairs) + "。"


def grades(data: dict) -> str:
    """The stacked bars of ratings: for each period, the number of members at each grade."""
    parts = []
    for i, period in enumerate(data["periods"]):
        row = [data["series"][g][i] for g in range(len(data["grades"]))]
        if sum(row):
            parts.append(f"{period} " + "、".join(f"{g} {n} 人" for g, n in zip(data["grades"], row, strict=True)))
        else:
            parts.append(_("%(period)s 尚无评定") % {"period": period})
    return _("评岗等次图表：") + "；".join(parts) + "。"


def summaries(charts: dict, *, coverage_more: int = 0) -> dict[str, str]:
    return {
        "coverage": coverage(charts["coverage"], more=coverage_more),
        "status": counts(_("季报表报送情况图表"), charts["status"], _("个单位")),
        "progress": counts(_("目标任务进度图表"), charts["progress"], _("项")),
        "grades": grades(charts["grades"]),
        "demos": demos(charts["demos"]),
    }
