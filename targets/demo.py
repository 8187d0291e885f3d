"""Demo plans: the demo `school` mid-way through the year (steps 1–4 done, implementing), its finished plan of last
year, the demo branches and a few other schools at different steps, long-term targets and public-page opinions.

Idempotent: an organization that already has the year's plan is left as it is.
"""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from organizations.enums import GRASSROOTS_KINDS, EightRole
from organizations.models import Organization

from . import selectors, services
from .enums import STEP_ORDER, Audience, PlanTheme, ReviewKind, Step

EVIDENCE_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
OPINIONS = [
    ("希望学校多组织青年教师教学基本功比赛", "teachers", "adopted", "已列入本年度目标，由教务处组织"),
    ("建议党员教师每学期上一节公开示范课", "party_building", "adopted", "采纳，列为党员示范岗任务"),
    ("食堂午餐品种偏少", "service", "adopted", "总务处已调整菜谱，每周公示"),
    ("建议延长图书馆开放时间到晚上九点", "campus", "not_adopted", "受安保人员所限，先延长到晚上八点"),
    ("希望加强家校沟通，定期开放课堂", "students", "adopted", "每学期举办一次家长开放日"),
]
ITEMS = [
    ("party", "党员示范课每人每学期不少于1节", "党员示范课≥60节", "教研组统筹安排，党员带头", EightRole.PARTY_MEMBER, "各教研组", "李秀英"),
    ("party", "开展“党员奉献年”主题党日活动", "主题党日12次", "每月一个主题，支部轮流承办", EightRole.PARTY_CORE, "党委办公室", "陈建华"),
    ("school", "青年教师教学基本功比赛", "参赛率100%，获市级奖项≥2项", "教务处组织，专家评委指导", EightRole.EXPERT, "教务处", "黄振华"),
    ("school", "家长开放日与家访", "家访覆盖率100%", "班主任每学期家访，年段长督导", EightRole.COUNSELLOR, "高二年段", "蔡明辉"),
    ("school", "教代会提案办理", "提案答复率100%", "工会跟踪督办，期末通报", EightRole.UNION, "工会", "郑美玲"),
    ("school", "学生志愿服务活动", "每生年均志愿服务≥10小时", "团委组织，社区共建", EightRole.YOUTH, "团委", "吴俊杰"),
    ("school", "创建省级文明学校", "通过省级评估", "党政班子分工负责，逐项落实", EightRole.LEADERSHIP, "校长室", "林国强"),
    ("school", "后勤服务满意度提升", "满意度≥90%", "每学期满意度测评", EightRole.STAFF, "总务处", "许淑贞"),
]


def _secretary():
    User = get_user_model()
    return User.objects.filter(username="school").first() or User.objects.filter(is_superuser=True).first()


def _records(plan, step: str, by, rng: random.Random) -> None:
    day = datetime.date(plan.year, 1 + STEP_ORDER.index(step) * 2, 10)
    if step == Step.OPINIONS:
        event = services.opinion_event_create(
            plan=plan, by=by, kind="symposium", held_on=day, participants="党员、教师代表、家长代表", participant_count=26,
            notes="围绕年度目标广泛征求意见建议",
        )  # fmt: skip
        for content, category, decision, reply in OPINIONS:
            opinion = services.opinion_add(plan=plan, event=event, content=content, author="")
            services.opinion_sort(opinion=opinion, category=category, decision=decision, reply=reply, by=by)
    elif step == Step.DECISION:
        services.meeting_create(
            plan=plan, by=by, kind="committee", held_on=day, attendees="党委委员、校长、工会主席", attendee_count=9,
            resolution="研究确定年度工作目标和争创主题，采纳意见建议4条。",
            adopted_opinions=list(plan.opinions.filter(decision="adopted")),
        )  # fmt: skip
    elif step == Step.DECOMPOSITION:
        for category, content, indicator, measures, role, office, who in ITEMS[: rng.randint(5, len(ITEMS))]:
            services.item_create(
                plan=plan, by=by, category=category, content=content, indicator=indicator, measures=measures,
                role=role, office=office, responsible=who, deadline=datetime.date(plan.year, 12, 20),
            )  # fmt: skip
    elif step == Step.PUBLIC_COMMITMENT:
        services.plan_publish(plan=plan, audience=Audience.SOCIETY, published_on=day, by=by, channel="校务公开栏、学校网站")
    elif step == Step.IMPLEMENTATION:
        for i, item in enumerate(plan.items.all()):
            percent = rng.choice([30, 50, 60, 80, 100])
            services.progress_record(
                item=item, by=by, recorded_on=day, status="done" if percent == 100 else "in_progress", percent=percent,
                note="按计划推进，阶段任务已完成", evidence=SimpleUploadedFile("进展材料.pdf", EVIDENCE_PDF) if i == 0 else None,
            )  # fmt: skip
        services.joint_activity_create(
            plan=plan, by=by, held_on=day, partners="党委、工会、团委、高二年段", content="“联帮带”结对帮扶青年教师和学困生"
        )
    elif step == Step.EVALUATION:
        for kind, who in [(ReviewKind.LEADERSHIP, "县委教育工委领导"), (ReviewKind.MEMBERS, "全体党员"), (ReviewKind.MASSES, "教职工和家长代表")]:
            services.review_create(plan=plan, by=by, kind=kind, reviewer=who, reviewed_on=day, rating="good", comments="履诺践诺情况良好")


def _plan(org, year: int, through: int, by, rng: random.Random, theme: str = PlanTheme.DEDICATION) -> bool:
    """Create the plan and walk it: `through` steps done, and the records of the next one started."""
    if org.annual_plans.filter(year=year).exists():
        return False
    plan = services.plan_create(
        organization=org, year=year, theme=theme, by=by,
        featured_work="“书香校园·党员领读”特色品牌", theory_research="“双减”背景下课后服务质量提升调研",
        school_targets="争创省级文明学校；教学质量稳居全县前列；师生满意度≥90%",
    )  # fmt: skip
    for k, step in enumerate(STEP_ORDER):
        if k > through:
            break
        _records(plan, step, by, rng)
        if k < through:
            services.step_complete(plan=plan, step=step, by=by)
    if through >= len(STEP_ORDER):
        services.plan_update(plan=plan, expected_version=plan.version, by=by, summary="六步工作法全面落实，年度目标基本完成。")
    return True


def _public_supervision(school: Organization, by) -> None:
    """接受群众监督: a parent's opinion on a published target item, answered by the secretary and the answer
    published under it on the public page (the other public opinion above stays unanswered, on the home page)."""
    publication = selectors.public_publication(school)
    rows = publication.snapshot.get("items", []) if publication else []
    if not rows or not rows[0].get("id"):
        return
    opinion = services.opinion_submit_public(
        organization=school, content="示范课能否请家长代表旁听，让家长也看到党员教师的示范作用？", author="初二家长",
        about=f"item:{rows[0]['id']}",
    )
    services.opinion_answer(
        opinion=opinion, by=by, publish=True,
        reply="感谢建议。自下学期起，每月第一周的党员示范课向家长代表开放，报名请联系年段长。",
    )


@transaction.atomic
def load(*, stdout, rng: random.Random, with_logins: bool = True) -> None:
    year = timezone.localdate().year
    by = _secretary()
    if by is None:
        stdout.write("目标管理：没有演示账号 school，跳过")
        return
    by_code = {o.code: o for o in Organization.objects.filter(code__in=["QZ-JJ-S01", "QZ-JJ-S01-B1", "QZ-NA-S01-B1"])}
    made = 0
    school = by_code.get("QZ-JJ-S01")
    if school is not None:
        made += _plan(school, year - 1, 6, by, rng, theme=PlanTheme.ORGANIZATION_BUILDING)
        made += _plan(school, year, 4, by, rng)
        if made:
            services.opinion_submit_public(organization=school, content="希望学校公开课后服务收费和安排", author="家长")
            _public_supervision(school, by)
        for row in selectors.long_term_proposals(school)[:2]:
            services.long_term_target_set(
                organization=school, track=row["track"], title=row["title"], level=row["proposed"],
                due_year=year + 3, by=by, start_year=year,
            )  # fmt: skip
    if "QZ-JJ-S01-B1" in by_code:
        made += _plan(by_code["QZ-JJ-S01-B1"], year, 2, by, rng, theme=PlanTheme.CHARACTERISTIC)
    if "QZ-NA-S01-B1" in by_code:
        made += _plan(by_code["QZ-NA-S01-B1"], year, 1, by, rng)
    others = Organization.objects.filter(kind__in=GRASSROOTS_KINDS, depth=3).exclude(code__in=list(by_code)).order_by("path")
    for org in others[:12]:
        made += _plan(org, year, rng.randint(0, 6), by, rng)
    stdout.write(f"目标管理：新建年度计划 {made} 份")
