"""Demo evaluations for the demo branch (晋江 school S01, branch B1): a closed 一季一评 with published results and an
anonymous poll, a 较差 result under rectification, and the current period open for self-evaluation and voting (when
the year's calendar has its window open today: periods open by themselves with their windows)."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from organizations.models import Organization

from . import services
from .enums import AwardLevel, AwardTitle, PeriodKind
from .models import Assessment, AwardRound, EvaluationPeriod, PollCode, SelfEvaluation
from .services.polls import poll_tally_add

BRANCH_CODE = "QZ-JJ-S01-B1"
SCHOOL_CODE = "QZ-JJ-S01"
KIND_BY_QUARTER = {1: PeriodKind.Q1, 2: PeriodKind.H1, 3: PeriodKind.Q3, 4: PeriodKind.YEAR}
SUMMARIES = [
    "对照岗位承诺，按时完成教学任务，积极参加支部组织生活。",
    "带头开展课堂教学改革，承担公开课两节，辅导青年教师。",
    "认真履行岗位职责，服务师生，承诺事项基本完成。",
]


def _closed_period(branch, year: int, kind: str, secretary, rng: random.Random) -> EvaluationPeriod:
    period = services.period_create(organization=branch, year=year, kind=kind)
    members = list(services.period_members(period))
    # the one who missed the self-evaluation is not the secretary (nobody marks a part of their own rating)
    missed = next((m for m in reversed(members) if m.user_id != secretary.pk), members[-1])
    SelfEvaluation.objects.bulk_create(
        [
            SelfEvaluation(period=period, member=m, summary=rng.choice(SUMMARIES), score=Decimal(rng.randint(80, 96)))
            for m in members
            if m != missed  # one member missed the self-evaluation
        ]
    )
    poll = period.poll
    poll.minimum_ballots = 10
    poll.save(update_fields=["minimum_ballots"])
    # the ballots of a window that is over: seeded as cast then (the services refuse votes outside the window)
    scale = services.settings_for(branch).poll_scale
    codes = PollCode.objects.bulk_create([PollCode(poll=poll) for _ in range(14)])
    for code in codes[:12]:
        picks = [scale[min(len(scale) - 1, max(0, int(rng.gauss(0.6, 0.8))))] for _m in members]
        poll_tally_add(poll=poll, members=members, picks={m.pk: str(o["label"]) for m, o in zip(members, picks, strict=True)})
        code.used = True
    PollCode.objects.bulk_update(codes, ["used"])
    scores = {m.pk: Decimal(rng.randint(78, 98)) for m in members}
    scores[missed.pk] = Decimal("35")  # the one who missed everything: 较差, under rectification
    Assessment.objects.bulk_create(
        [
            Assessment(period=period, member=m, score=scores[m.pk], comment="履职认真，承诺兑现较好。", by=secretary)
            for m in members
        ]
    )
    # the member who missed the self-evaluation was away: marked 未参加 (nothing missing is a zero; the grade says 缺自评)
    services.absence_mark(period=period, member=missed, part="self", reason="away", by=secretary)
    services.period_close(period=period, by=secretary)
    period.refresh_from_db()
    return period


@transaction.atomic
def load(*, stdout, rng: random.Random, with_logins: bool = True, year: int | None = None) -> None:
    today = timezone.localdate()
    year = year or today.year
    branch = Organization.objects.filter(code=BRANCH_CODE).first()
    school = Organization.objects.filter(code=SCHOOL_CODE).first()
    secretary = get_user_model().objects.filter(username="branch").first()
    if branch is None or secretary is None:
        stdout.write("考评：未找到演示支部，跳过")
        return
    current = KIND_BY_QUARTER[(today.month - 1) // 3 + 1] if year == today.year else PeriodKind.YEAR
    closed_year, closed_kind = (year, PeriodKind.Q1) if current != PeriodKind.Q1 else (year - 1, PeriodKind.YEAR)
    if not EvaluationPeriod.objects.filter(organization=branch, year=closed_year, kind=closed_kind).exists():
        period = _closed_period(branch, closed_year, closed_kind, secretary, rng)
        poor = period.ratings.filter(grade="poor").first()
        if poor is not None:
            opened = period.closes_on + datetime.timedelta(days=10)
            rect = services.rectification_open(
                rating=poor, meeting_on=opened, meeting_text="在支部党员大会上说明了未按时完成承诺的原因，表示限期改正。",
                deadline=opened + datetime.timedelta(days=60), by=secretary,
            )
            services.rectification_follow_up(
                rectification=rect, on=opened + datetime.timedelta(days=20), text="已补写述岗报告，正在落实辅导承诺。",
                by=secretary,
            )
    # the periods whose window is open today open by themselves, as the daily sweep opens them
    services.periods_sweep(today=today, within=branch)
    period = EvaluationPeriod.objects.filter(organization=branch, year=year, kind=current, state="open").first()
    if period is not None and services.window_refusal(period, action=services.Action.POLL, today=today) is None:
        if not period.poll.codes.exists():
            services.poll_codes_generate(poll=period.poll, count=20)
    if school is not None and not AwardRound.objects.filter(organization=school, year=year).exists():
        school_secretary = get_user_model().objects.filter(username="school").first() or secretary
        services.award_round_create(
            organization=school, by=school_secretary, year=year, title=AwardTitle.EXCELLENT_MEMBER,
            level=AwardLevel.SCHOOL, submit_from=today, submit_until=today + datetime.timedelta(days=14),
            review_until=today + datetime.timedelta(days=30), quota=3,
        )
    stdout.write(
        f"考评：演示支部 {EvaluationPeriod.objects.filter(organization=branch).count()} 个考评期"
    )
