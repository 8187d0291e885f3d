"""The year's calendar holds the evaluations: periods open by themselves with their windows, and every write outside a
window is refused in the service (whatever page or crafted request it comes through), with the window named."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluations import services
from evaluations.enums import PeriodKind
from evaluations.models import (
    Assessment,
    EvaluationPeriod,
    PeriodReopening,
    Poll,
    PollCode,
    PollTally,
    Rating,
    SelfEvaluation,
)
from organizations.enums import OrgKind
from organizations.services import organization_create
from tests.evaluations_fixtures import excuse_missing, on_day
from years.services import window_set

pytestmark = pytest.mark.django_db

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)
POLICY = {  # the policy's default windows (no calendar set): the last month of each quarter
    PeriodKind.Q1: (D(2026, 3, 1), D(2026, 3, 31)),
    PeriodKind.H1: (D(2026, 6, 1), D(2026, 6, 30)),
    PeriodKind.Q3: (D(2026, 9, 1), D(2026, 9, 30)),
    PeriodKind.YEAR: (D(2026, 12, 1), D(2026, 12, 31)),
}


def _period(org, kind):
    return EvaluationPeriod.objects.filter(organization=org, year=2026, kind=kind).first()


def _self_evaluate(world, period, day, text="按承诺完成"):
    with on_day(day):
        return services.self_evaluation_save(period=period, member=world.member_a, summary=text, score=Decimal("90"))


def _sweep(day):
    with on_day(day):
        return services.periods_sweep(today=day)


def test_it_walks_a_branch_through_the_year_day_by_day(world):
    """Every day of 2026 the sweep runs; the branch never opens anything. Each window's period appears on its
    opening day, takes a self-evaluation inside the window, refuses one the day after it closes (naming the window),
    and stays 逾期未结束 until the secretary closes it."""
    seen: dict[str, D] = {}
    day = D(2026, 1, 1)
    while day <= D(2026, 12, 31):
        _sweep(day)
        for kind, (opens, _closes) in POLICY.items():
            exists = _period(world.branch_a, kind) is not None
            assert exists == (day >= opens), (day, kind)
            if exists and kind not in seen:
                seen[kind] = day
        day += ONE_DAY
    assert seen == {kind: opens for kind, (opens, _closes) in POLICY.items()}
    # only the branches hold periods (the schools' members are rated in their branches), each with its poll
    assert set(EvaluationPeriod.objects.values_list("organization__name", flat=True)) == {
        world.branch_a.name, world.branch_b.name, "丙高校教工支部",
    }
    assert Poll.objects.count() == EvaluationPeriod.objects.count() == 12

    for kind, (opens, closes) in POLICY.items():
        period = _period(world.branch_a, kind)
        assert (period.opens_on, period.closes_on) == (opens, closes)
        assert _self_evaluate(world, period, opens).pk and _self_evaluate(world, period, closes).pk
        with pytest.raises(ValidationError) as refused:
            _self_evaluate(world, period, closes + ONE_DAY, text="迟交")
        label = PeriodKind(kind).label
        assert refused.value.messages == [
            f"不在2026年{label}时间内（{opens.year}年{opens.month}月{opens.day}日至"
            f"{closes.year}年{closes.month}月{closes.day}日），不能提交述岗自评"
        ]
        assert SelfEvaluation.objects.get(period=period).summary == "按承诺完成"  # the late one wrote nothing
        assert period.phase_on(closes) == "open" and period.phase_on(closes + ONE_DAY) == "late"


def test_it_follows_a_window_the_school_narrowed_and_refuses_before_it_opens(world):
    """H1 opened on 1 June by the city's default; the school then narrows it to 10–20 June: writes before the 10th
    are refused (the window named), the period's dates follow at the next sweep, and it cannot be closed yet."""
    _sweep(D(2026, 6, 1))
    period = _period(world.branch_a, PeriodKind.H1)
    assert period is not None
    window_set(organization=world.school_a, year=2026, kind="h1", opens_on=D(2026, 6, 10), closes_on=D(2026, 6, 20),
               by=world.user("school_a_secretary"))
    with pytest.raises(ValidationError, match=r"不在2026年半年初评时间内（2026年6月10日至2026年6月20日），不能提交述岗自评"):
        _self_evaluate(world, period, D(2026, 6, 5))
    with on_day(D(2026, 6, 5)), pytest.raises(ValidationError, match="考评期尚未开始，不能结束"):
        services.period_close(period=period, by=world.user("branch_a_secretary"))
    period.refresh_from_db()
    assert period.is_open and not Rating.objects.exists() and not period.poll.closed
    assert not SelfEvaluation.objects.exists()
    report = _sweep(D(2026, 6, 5))
    period.refresh_from_db()
    assert report.moved >= 1 and (period.opens_on, period.closes_on) == (D(2026, 6, 10), D(2026, 6, 20))
    assert _self_evaluate(world, period, D(2026, 6, 10)).pk
    with pytest.raises(ValidationError, match="2026年6月20日"):
        _self_evaluate(world, period, D(2026, 6, 21))


def test_it_refuses_crafted_posts_outside_the_window_and_writes_nothing(world, client):
    _sweep(D(2026, 3, 2))
    period = _period(world.branch_a, PeriodKind.Q1)
    with on_day(D(2026, 3, 2)):
        code = services.poll_codes_generate(poll=period.poll, count=1)[0]
    message = "不在2026年一季一评时间内（2026年3月1日至2026年3月31日），不能"
    with on_day(D(2026, 4, 1)):
        client.force_login(world.user("member_a"))
        r = client.post(reverse("evaluations:self_evaluation", args=[period.pk]), {"summary": "迟交", "score": "90"})
        assert r.status_code == 400 and message + "提交述岗自评" in r.content.decode()
        client.force_login(world.user("branch_a_secretary"))
        url = reverse("evaluations:assessment", args=[period.pk, world.member_a.pk])
        r = client.post(url, {"score": "90", "comment": "补评", "version": ""})
        assert r.status_code == 400 and message + "进行党组织综合评定" in r.content.decode()
        r = client.post(reverse("evaluations:assess_batch", args=[period.pk]),
                        {f"score_{world.member_a.pk}": "90", f"comment_{world.member_a.pk}": "补评"})
        assert r.status_code == 400 and message + "进行党组织综合评定" in r.content.decode()
        r = client.post(reverse("evaluations:poll", args=[period.pk]), {"count": "5"})
        assert r.status_code == 400 and message + "修改民意测评" in r.content.decode()
        client.logout()
        vote = reverse("evaluations:vote", args=[period.poll.public_key])
        r = client.post(vote, {"code": code.code, f"m_{world.member_a.pk}": "0"})
        assert r.status_code == 410 and message + "参加民意测评投票" in r.content.decode()
        with pytest.raises(ValidationError, match=message + "参加民意测评投票"):
            services.ballot_cast(poll=period.poll, code=code.code, choices={world.member_a.pk: 0},
                                 members=[world.member_a])
    assert not SelfEvaluation.objects.exists() and not Assessment.objects.exists() and not PollTally.objects.exists()
    assert PollCode.objects.filter(poll=period.poll).count() == 1 and not PollCode.objects.get().used


def test_it_lists_a_period_left_open_as_late_and_still_lets_the_secretary_close_it(world, client):
    _sweep(D(2026, 3, 10))
    period = _period(world.branch_a, PeriodKind.Q1)
    with on_day(D(2026, 3, 10)):
        services.assessment_save(period=period, member=world.member_a, score=Decimal("90"), comment="好",
                                 by=world.user("branch_a_secretary"))
        _self_evaluate(world, period, D(2026, 3, 10))
    with on_day(D(2026, 4, 3)):
        client.force_login(world.user("branch_a_secretary"))
        body = client.get(reverse("evaluations:org_periods", args=[world.branch_a.pk])).content.decode()
        assert "逾期未结束" in body
        excuse_missing(period, world.user("branch_a_secretary"))
        services.period_close(period=period, by=world.user("branch_a_secretary"))
    period.refresh_from_db()
    assert not period.is_open and Rating.objects.filter(period=period).count() == 1


def _closed_q1(world):
    sec = world.user("branch_a_secretary")
    _sweep(D(2026, 3, 10))
    period = _period(world.branch_a, PeriodKind.Q1)
    with on_day(D(2026, 3, 10)):
        services.assessment_save(period=period, member=world.member_a, score=Decimal("90"), comment="好", by=sec)
        _self_evaluate(world, period, D(2026, 3, 10))
        excuse_missing(period, sec)
        services.period_close(period=period, by=sec)
    period.refresh_from_db()
    return period


def test_it_reopens_only_with_a_reason_and_a_day_and_accepts_late_writes_until_then(world, client):
    period = _closed_q1(world)
    sec = world.user("branch_a_secretary")
    with on_day(D(2026, 4, 10)):
        for kwargs, field in [
            ({"reason": "", "until": D(2026, 4, 15)}, "reason"),
            ({"reason": "补录自评"}, "until"),
            ({"reason": "补录自评", "until": D(2026, 4, 9)}, "until"),  # in the past
            ({"reason": "补录自评", "until": D(2026, 5, 11)}, "until"),  # more than 30 days
        ]:
            with pytest.raises(ValidationError) as refused:
                services.period_reopen(period=period, by=sec, **kwargs)
            assert field in refused.value.message_dict
        # and through the page: a crafted POST without the day
        client.force_login(sec)
        client.post(reverse("evaluations:period_reopen", args=[period.pk]), {"reason": "补录自评"})
        period.refresh_from_db()
        assert not period.is_open and not PeriodReopening.objects.exists()
        r = client.post(reverse("evaluations:period_reopen", args=[period.pk]),
                        {"reason": "补录自评", "until": "2026-04-15"})
        assert r.status_code == 302
    period.refresh_from_db()
    record = PeriodReopening.objects.get()
    assert period.is_open and (record.by, record.reason, record.until) == (sec, "补录自评", D(2026, 4, 15))
    with on_day(D(2026, 4, 12)):
        assert period.phase_on(D(2026, 4, 12)) == "reopened"
        client.force_login(sec)  # a new day, a new sign-in (sessions are short)
        r = client.get(period.get_absolute_url())
        body = r.content.decode()
        assert r.status_code == 200, r
        assert "补录自评（开放至2026年4月15日）" in body
    assert _self_evaluate(world, period, D(2026, 4, 15), text="补录").summary == "补录"
    with pytest.raises(ValidationError, match="重新开放的期限（至2026年4月15日）也已过"):
        _self_evaluate(world, period, D(2026, 4, 16), text="再改")
    assert SelfEvaluation.objects.get(period=period).summary == "补录"


def test_it_sweeps_idempotently_with_as_many_queries_for_10_as_for_200_branches(world):
    def branches(n, school):
        for i in range(n):
            organization_create(parent=school, name=f"{school.name}支部{i:03d}", kind=OrgKind.BRANCH)

    def counted(day):
        with on_day(day), CaptureQueriesContext(connection) as ctx:
            report = services.periods_sweep(today=day)
        inserts = sum(q["sql"].startswith("INSERT") for q in ctx.captured_queries)
        return {"insert": inserts, "other": len(ctx.captured_queries) - inserts}, report

    small = organization_create(parent=world.school_a, name="小校党委", kind=OrgKind.SCHOOL_COMMITTEE)
    branches(10, small)
    first_small, report = counted(D(2026, 3, 5))
    assert report.created == 13  # 10 new branches and the world's three
    again_small, report = counted(D(2026, 3, 6))
    assert report.created == 0 and EvaluationPeriod.objects.count() == 13 == Poll.objects.count()

    big = organization_create(parent=world.school_b, name="大校党委", kind=OrgKind.SCHOOL_COMMITTEE)
    branches(190, big)
    first_big, report = counted(D(2026, 6, 5))  # H1 for all 203; Q1 periods stay as they are
    assert report.created == 203
    again_big, report = counted(D(2026, 6, 6))
    assert report.created == 0 and EvaluationPeriod.objects.count() == 13 + 203 == Poll.objects.count()
    # no query per organization: the same statements for 13 as for 203, apart from SQLite cutting a long INSERT into
    # batches of ~100 rows (at most 999 parameters a statement; PostgreSQL takes one)
    assert again_small == again_big
    assert first_small["other"] == first_big["other"]
    assert first_big["insert"] <= first_small["insert"] + 2 * (203 // 90)


def test_it_opens_periods_from_the_daily_reminder_sweep_the_command_and_the_task(world):
    from notifications.services import reminders_send

    with on_day(D(2026, 3, 1)):
        reminders_send(today=D(2026, 3, 1))
    assert _period(world.branch_a, PeriodKind.Q1) is not None
    out = StringIO()
    call_command("sync_periods", "--date", "2026-06-01", stdout=out)
    assert _period(world.branch_a, PeriodKind.H1) is not None and "新开启考评期 3 个" in out.getvalue()
    from evaluations.tasks import sync_periods

    assert sync_periods.delay("2026-09-01").get()["created"] == 3
    assert _period(world.branch_b, PeriodKind.Q3) is not None
    from django.conf import settings

    assert any(e["task"] == "evaluations.tasks.sync_periods" for e in settings.CELERY_BEAT_SCHEDULE.values())


def test_it_reminds_by_the_windows_close_date_and_tells_the_secretary_what_is_left_after_it(world):
    from evaluations import reminders

    _sweep(D(2026, 6, 1))
    window_set(organization=world.school_a, year=2026, kind="h1", opens_on=D(2026, 6, 1), closes_on=D(2026, 6, 20),
               by=world.user("school_a_secretary"))  # narrowed after the period opened: reminders follow at once
    before = [r for r in reminders.due(today=D(2026, 6, 17)) if r.recipient_id == world.user("member_a").pk]
    assert [r.offset for r in before] == [-3] and "2026年6月20日" in before[0].body
    after = [r for r in reminders.due(today=D(2026, 6, 21)) if r.organization_id == world.branch_a.pk]
    assert [r.offset for r in after] == [1] and "考评时间已过，不能再评定" in after[0].body
