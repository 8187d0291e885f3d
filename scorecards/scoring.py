"""From counts to a scorecard: each indicator's value, what it earns under a scheme, the weighted score, the weakest
indicators and what would raise the score. Pure functions of the counts (scorecards.counting): the same records give
the same figures whenever they are computed."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N

from years.enums import REPORT_DUE_DAY

from .indicators import INDICATORS

ONE = Decimal("0.1")
HUNDRED = Decimal(100)


def q1(value) -> Decimal:
    return Decimal(value).quantize(ONE, rounding=ROUND_HALF_UP)


@dataclass
class Measure:
    value: Decimal | None  # None: nothing to measure, the indicator does not count
    detail: str  # the counts, in words
    part: float = 0  # numerator and denominator, for what would raise it
    whole: float = 0
    step: str = ""  # what one more of `part` is, in words ("名党员认领岗位")


@dataclass
class Result:
    code: str
    label: str
    how: str
    unit: str
    value: Decimal | None
    detail: str
    weight: int
    threshold: Decimal
    achieved: Decimal = Decimal(0)  # 0 … 1 of the weight
    points: Decimal = Decimal(0)  # out of 100, after scaling the counting weights to 100
    lost: Decimal = Decimal(0)
    weak: bool = False
    raise_text: str = ""
    url: str = ""

    @property
    def counts(self) -> bool:
        return self.value is not None and self.weight > 0


@dataclass
class Card:
    results: list[Result]
    score: Decimal
    weakest: list[str] = field(default_factory=list)
    note: str = ""


class _Blank(str):
    """The words of a figure nobody reads (the trend's earlier quarters): formatting it costs nothing."""

    def __mod__(self, _values) -> str:
        return ""


BLANK = _Blank("")


def _skip(_text: str) -> str:
    return BLANK


def _share(part: float, whole: float) -> Decimal:
    return q1(HUNDRED * Decimal(str(part)) / Decimal(str(whole))) if whole else Decimal(0)


def _reports_due(year: int, day: datetime.date) -> int:
    return sum(1 for q in range(1, 5) if datetime.date(year, q * 3, REPORT_DUE_DAY) <= day)


def measure(code: str, c: dict, *, year: int, day: datetime.date, explain: bool = True) -> Measure:
    """One indicator's value from the counts of one subtree at one day (without its words when not `explain`: the
    quarterly trend needs only the score)."""
    t = _ if explain else _skip
    g = lambda name: c.get(name, 0)  # noqa: E731
    if code == "steps":
        plans = max(g("planners"), g("plans"))
        if not plans:
            return Measure(None, t("没有应制定年度计划的基层党组织（计划由上级党组织制定）"))
        late = g("steps_done") - g("steps_on_time")
        part = g("steps_on_time") + late / 2
        detail = t("应完成 %(n)s 步，按时完成 %(ok)s 步，逾期完成 %(late)s 步") % {
            "n": 6 * plans,
            "ok": g("steps_on_time"),
            "late": late,
        }
        return Measure(_share(part, 6 * plans), detail, part, 6 * plans, t("个步骤按时完成"))
    if code == "items":
        if not max(g("planners"), g("plans")):
            return Measure(None, t("没有应制定年度计划的基层党组织"))
        detail = t("附件1共 %(n)s 项，已完成或按期推进 %(ok)s 项") % {"n": g("items"), "ok": g("items_good")}
        if not g("plans"):
            detail = t("尚未制定本年度计划")
        return Measure(
            _share(g("items_good"), g("items")), detail, g("items_good"), g("items"), t("项目标任务完成或按期推进")
        )
    if code == "posts":
        if not g("members"):
            return Measure(None, t("名册中没有在册党员"))
        detail = t("在册党员 %(m)s 名，在岗 %(p)s 名；设岗 %(posts)s 个") % {
            "m": g("members"),
            "p": g("on_post"),
            "posts": g("posts"),
        }
        return Measure(_share(g("on_post"), g("members")), detail, g("on_post"), g("members"), t("名党员认领岗位"))
    if code == "commitments":
        if not g("members") and not g("commitments"):
            return Measure(None, t("名册中没有在册党员"))
        whole = 2 * g("commitments") + g("fulfil_due")
        part = g("approved") + g("published") + g("fulfilled")
        detail = t("承诺 %(n)s 项：审核通过 %(a)s、已公开 %(p)s、已兑现 %(f)s（应兑现 %(d)s）") % {
            "n": g("commitments"),
            "a": g("approved"),
            "p": g("published"),
            "f": g("fulfilled"),
            "d": g("fulfil_due"),
        }
        if not g("commitments"):
            detail = t("尚无承诺")
        return Measure(_share(part, whole), detail, part, whole, t("项承诺审核、公开或兑现"))
    if code == "duty_logs":
        if not g("members") and not g("people"):
            return Measure(None, t("名册中没有在册党员"))
        people = g("people")
        value = q1(Decimal(g("logs")) / Decimal(people)) if people else Decimal(0)
        detail = t("履岗纪实 %(n)s 条，在岗 %(p)s 人") % {"n": g("logs"), "p": people}
        return Measure(value, detail, g("logs"), people, t("条履岗纪实"))
    if code == "ratings":
        due, rated = g("periods_due"), g("rated_people")
        if not due:
            if g("rated") and day >= datetime.date(year, 3, 31):
                return Measure(Decimal(0), t("没有已到截止日期的考评期记录"), 0, 4, t("项考评工作"))
            return Measure(None, t("还没有到截止日期的考评期"))
        shares = [g("periods_on_time") / due, g("polls_met") / due,
                  g("self_done") / rated if rated else 0, g("org_done") / rated if rated else 0]  # fmt: skip
        detail = t(
            "到期考评期 %(d)s 个：按期结束 %(c)s、民意测评达到最低票数 %(p)s；考评 %(r)s 人次：有自评 %(s)s、有综合评定 %(o)s"
        ) % {
            "d": due,
            "c": g("periods_on_time"),
            "p": g("polls_met"),
            "r": rated,
            "s": g("self_done"),
            "o": g("org_done"),
        }
        return Measure(q1(HUNDRED * Decimal(str(sum(shares))) / 4), detail, sum(shares), 4, t("项考评工作全部完成"))
    if code == "annex5":
        due = g("reporting") * _reports_due(year, day)
        if not due:
            return Measure(None, t("不是季报表报送单位，或还没有到截止日期的季报表"))
        detail = t("应报 %(d)s 份，按时报送 %(ok)s 份") % {"d": due, "ok": g("reports_on_time")}
        return Measure(_share(g("reports_on_time"), due), detail, g("reports_on_time"), due, t("份季报表按时报送"))
    pairs = {
        "rectifications": ("rect_on_time", "rect_due", N("没有已到期限的限期整改"),
                           N("到期的限期整改 %(d)s 项，按期完成 %(ok)s 项"), N("项整改按期完成")),
        "opinions": ("answered", "opinions", N("本年度没有收到群众意见"),
                     N("收到群众意见 %(d)s 条，已答复 %(ok)s 条"), N("条意见答复")),
        "contact_visits": ("visited", "contact_points", N("没有联系点"),
                           N("联系点 %(d)s 个，本年度有指导记录 %(ok)s 个"), N("个联系点有指导记录")),
        "inspections": ("fix_on_time", "fix_due", N("没有已到期限的巡查整改事项"),
                        N("到期的整改事项 %(d)s 项，按期销号 %(ok)s 项"), N("项整改事项按期销号")),
    }  # fmt: skip
    ok, due, none, words, step = pairs[code]
    if not g(due):
        return Measure(None, t(none))
    return Measure(_share(g(ok), g(due)), t(words) % {"d": g(due), "ok": g(ok)}, g(ok), g(due), t(step))


def _raise_text(m: Measure, r: Result, scale: Decimal) -> str:
    """What would bring the indicator to its threshold, and the points that would add."""
    if r.weak is False or r.lost <= 0:
        return ""
    gain = q1(r.lost)
    if r.unit == "%":
        need = math.ceil(float(r.threshold) / 100 * m.whole - m.part - 1e-9) if m.whole else 0
    else:
        need = math.ceil(float(r.threshold) * m.whole - m.part - 1e-9) if m.whole else 0
    if need > 0:
        return _("再有 %(n)s %(step)s即可达标，可加 %(gain)s 分") % {"n": need, "step": m.step, "gain": gain}
    return _("达到达标值可加 %(gain)s 分") % {"gain": gain}


def score_card(counts: dict, scheme: dict[str, dict], *, year: int, day: datetime.date, explain: bool = True) -> Card:
    """The scorecard of one subtree at one day under a scheme ({code: {"weight", "threshold"}}); without the words
    (labels, details, what would raise it) when not `explain`."""
    results: list[Result] = []
    measures: dict[str, Measure] = {}
    for ind in INDICATORS:
        item = scheme.get(ind.code) or {"weight": 0, "threshold": ind.threshold}
        m = measure(ind.code, counts, year=year, day=day, explain=explain)
        measures[ind.code] = m
        threshold = Decimal(str(item.get("threshold") or ind.threshold))
        words = (str(ind.label), str(ind.how), str(ind.unit)) if explain else (ind.code, "", ind.unit)
        results.append(Result(ind.code, *words, m.value, m.detail, int(item.get("weight") or 0), threshold))
    total = sum(r.weight for r in results if r.counts)
    if not total:
        return Card(results, Decimal(0), note=_("没有可计分的指标：得 0 分"))
    scale = HUNDRED / Decimal(total)
    for r in results:
        if not r.counts:
            continue
        r.achieved = min(Decimal(1), r.value / r.threshold) if r.threshold > 0 else Decimal(1)
        r.points = q1(r.weight * scale * r.achieved)
        r.lost = r.weight * scale * (1 - r.achieved)
        r.weak = r.value < r.threshold
        r.raise_text = _raise_text(measures[r.code], r, scale) if explain else ""
    score = q1(sum(r.weight * scale * r.achieved for r in results if r.counts))
    weak = sorted((r for r in results if r.counts and r.weak), key=lambda r: (-r.lost, r.code))
    return Card(results, score, [r.code for r in weak[:3]])
