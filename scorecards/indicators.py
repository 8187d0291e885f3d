"""The indicators of the 168 scorecard (五.三: 把“168”模式实施情况作为……“先进基层党组织”考评的重要内容) and the
default scheme the city committee starts from.

Each indicator is measured from the records of an organization's subtree for one year, up to a day (to date within
the year, or at a quarter's end for the trend). Its value is a share in per cent, or for 履岗纪实 the entries per member
on a post; the scheme's threshold (达标值) is the value that earns the indicator's whole weight, and below it the
indicator earns weight × value / threshold. An indicator with nothing to measure (no rectification due, no public
opinion received …) does not count, and the weights of the others are scaled to 100 (nothing missing is a zero);
one an organization has simply not begun (no plan, no post) counts, at 0.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# 六步工作法: 年初有布置 — the first four steps by the end of March; 组织实施 by the end of September (年中有巡查);
# 考评奖惩 by the end of the year (年终有讲评表彰).
EARLY_STEPS = ("opinions", "decision", "decomposition", "public_commitment")
STEP_DUE = {
    **dict.fromkeys(EARLY_STEPS, (3, 31)),
    "implementation": (9, 30),
    "evaluation": (12, 31),
}


def step_due(year: int, step: str) -> datetime.date:
    month, day = STEP_DUE[step]
    return datetime.date(year, month, day)


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    how: str  # how it is computed, shown beside the figure
    unit: str  # "%" or a count per member
    weight: int  # the default scheme's weight
    threshold: int  # the default scheme's 达标值
    url_name: str  # the records behind it: a page of the organization
    url_takes_org: bool = True


INDICATORS: list[Indicator] = [
    Indicator(
        "steps",
        _("六步工作法完成及时"),
        _(
            "年度计划六个步骤中已完成的比例：按时完成的计 1 步，逾期完成的计半步。前四步（征求意见、议事决策、任务分解、"
            "公开承诺）应在 3 月 31 日前完成，组织实施在 9 月 30 日前，考评奖惩在 12 月 31 日前。每个应制定计划的基层党组织"
            "（学校党委、独立的党总支或党支部）计 6 步。"
        ),
        "%",
        15,
        100,
        "targets:org_plans",
    ),
    Indicator(
        "items",
        _("附件1目标任务按期推进"),
        _("附件1（年度工作目标分解表）各项中，已完成的，或未到完成时限且未标记“滞后”的所占比例（按当前进度状态）。"),
        "%",
        15,
        90,
        "targets:org_plans",
    ),
    Indicator(
        "posts",
        _("党员亮岗"),
        _("在册党员（含预备党员）中认领或被安排到本年度岗位的比例。"),
        "%",
        12,
        90,
        "posts:org_posts",
    ),
    Indicator(
        "commitments",
        _("承诺审核、公开、兑现"),
        _(
            "本年度岗位上的承诺：每项审核通过计 1、公开计 1、兑现计 1；已到完成时限（或已兑现）的承诺才计兑现。"
            "得分 = 合计 ÷ 应得。"
        ),
        "%",
        13,
        90,
        "posts:org_posts",
    ),
    Indicator(
        "duty_logs",
        _("履岗纪实"),
        _("本年度履岗纪实条数 ÷ 在岗人数（每人平均条数）。"),
        _("条/人"),
        10,
        4,
        "posts:org_posts",
    ),
    Indicator(
        "ratings",
        _("评岗按期完成"),
        _(
            "已到截止日期的考评期（一季一评、半年初评、三季一评、年终总评）：按期结束的比例、民意测评达到最低票数的比例、"
            "考评结果中有述岗自评的比例、有综合评定的比例，四项平均。"
        ),
        "%",
        10,
        100,
        "evaluations:org_periods",
    ),
    Indicator(
        "annex5",
        _("季报表按时报送"),
        _(
            "报送单位（市属高校党委、市教育局机关党委）已到截止日期（每季度第三个月 20 日）的附件5季报表中按时报送的比例。"
            "不是报送单位的不计此项。"
        ),
        "%",
        5,
        100,
        "reports:quarterly_list",
        False,
    ),
    Indicator(
        "rectifications",
        _("限期整改按期完成"),
        _("已到整改期限的限期整改中，在期限内完成整改的比例。没有到期的整改时不计此项。"),
        "%",
        5,
        100,
        "evaluations:rectifications",
    ),
    Indicator(
        "opinions",
        _("群众意见答复"),
        _("本年度公开页收到的群众意见中已答复的比例。没有收到意见时不计此项。"),
        "%",
        5,
        100,
        "targets:public_opinions",
    ),
    Indicator(
        "contact_visits",
        _("联系点指导"),
        _("本单位领导班子成员的联系点中，本年度已有联系指导记录的比例。没有联系点（学校、支部）时不计此项。"),
        "%",
        5,
        100,
        "organizations:contacts",
    ),
    Indicator(
        "inspections",
        _("巡查整改销号"),
        _("巡查发现的整改事项中已到整改期限的，在期限内销号的比例。没有到期的整改事项时不计此项。"),
        "%",
        5,
        100,
        "inspections:year",
    ),
]

BY_CODE = {i.code: i for i in INDICATORS}
CODES = [i.code for i in INDICATORS]


# The default scheme by the first year it applies to: the policy's emphasis on the six steps (二、四) and 亮岗履职 (三)
# first. A changed default is added under the year it starts from, so that earlier years keep their scores.
DEFAULTS: dict[int, dict[str, dict]] = {
    2012: {i.code: {"weight": i.weight, "threshold": i.threshold} for i in INDICATORS},
}


def default_items(year: int) -> dict[str, dict]:
    """The default scheme in force in `year` (a copy)."""
    first = max((y for y in DEFAULTS if y <= year), default=min(DEFAULTS))
    return {code: dict(item) for code, item in DEFAULTS[first].items()}
