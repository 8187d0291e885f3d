"""Nothing missing is a zero: closing a period lists who lacks a part; the secretary waits or marks it 未参加 with a
reason; the grade is computed from the parts present (weights renormalized) and says so wherever it appears."""

import datetime
import io
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from evaluations import services
from evaluations.models import PartAbsence, Poll, Rating
from tests.evaluations_fixtures import add_members, cast, open_period

pytestmark = pytest.mark.django_db

D = Decimal
# inside the 2026 一季一评 window (1–31 March), so self-evaluations and assessments are accepted
INSIDE_Q1 = timezone.make_aware(datetime.datetime(2026, 3, 20, 10, 0))


@pytest.fixture(autouse=True)
def _in_march():
    with mock.patch("django.utils.timezone.now", return_value=INSIDE_Q1):
        yield


def assess(period, member, by, score="82"):
    return services.assessment_save(period=period, member=member, score=D(score), comment="履职认真", by=by)


def _closing(period):
    return reverse("evaluations:period_closing", args=[period.pk])


def test_it_refuses_to_close_while_a_part_is_missing_and_writes_nothing(world, login):
    period = open_period(world.branch_a)
    sec = world.user("branch_a_secretary")
    assess(period, world.member_a, sec)
    client = login(sec)
    # a crafted POST straight to the close URL, the close page's button being disabled
    r = client.post(reverse("evaluations:period_close", args=[period.pk]), follow=True)
    body = r.content.decode()
    assert "甲成员（述岗自评）" in body and "未标记为未参加" in body
    period.refresh_from_db()
    assert period.is_open and period.closed_at is None
    assert not Rating.objects.filter(period=period).exists()
    assert not Poll.objects.get(period=period).closed  # closing the poll was undone too
    with pytest.raises(ValidationError, match="甲成员"):
        services.period_close(period=period, by=sec)
    assert not Rating.objects.exists()


def test_it_needs_a_note_when_the_reason_is_other(world, login):
    period = open_period(world.branch_a)
    client = login(world.user("branch_a_secretary"))
    r = client.post(
        reverse("evaluations:absence_mark", args=[period.pk]),
        {"member": world.member_a.pk, "part": "self", "reason": "other", "note": "  "},
    )
    body = r.content.decode()
    assert r.status_code == 400
    # the message sits under the note field of that member's row, not somewhere on the page
    field_id = f"id_absence_{world.member_a.pk}_self_note"
    assert f'id="{field_id}"' in body
    after_field = body.split(f'id="{field_id}"', 1)[1]
    assert "原因为“其他”时，请填写说明" in after_field.split("</form>", 1)[0]
    assert not PartAbsence.objects.exists()
    with pytest.raises(ValidationError) as e:
        services.absence_mark(period=period, member=world.member_a, part="self", reason="other", note="",
                              by=world.user("branch_a_secretary"))
    assert "note" in e.value.message_dict
    assert not PartAbsence.objects.exists()


def test_it_grades_from_the_parts_present_never_a_zero(world):
    period = open_period(world.branch_a)
    sec = world.user("branch_a_secretary")
    colleague = add_members(world.branch_a, 1, prefix="同事")[0]
    poll = period.poll
    poll.minimum_ballots = 2
    poll.save()
    cast(poll, [colleague], 0, 2)  # the poll counts, but nobody rated 甲成员 (she was on sick leave)
    services.self_evaluation_save(period=period, member=colleague, summary="完成承诺", score=D("90"))
    assess(period, world.member_a, sec, "82")
    assess(period, colleague, sec, "90")
    states = {s.member.pk: s for s in services.period_parts(period)}
    assert states[world.member_a.pk].missing == ["self", "poll"]
    services.absence_mark(period=period, member=world.member_a, part="poll", reason="sick", by=sec)
    services.absence_mark(period=period, member=world.member_a, part="self", reason="other", note="外派支教", by=sec)
    services.period_close(period=period, by=sec)
    rating = Rating.objects.get(period=period, member=world.member_a)
    # the organization's 82 alone: 良好 with the lines 90/80/60 (the old rule, self = 0, made it 58.57 较差)
    assert rating.weighted_score == D("82.00") and rating.grade == "good"
    assert rating.self_score is None and rating.poll_score is None and rating.org_score == D("82")
    assert rating.missing_labels == ["缺自评", "缺测评"]
    absent = rating.snapshot["absent"]
    assert (absent["self"]["reason"], absent["self"]["note"]) == ("other", "外派支教")
    assert absent["poll"]["reason"] == "sick" and "病假" in absent["poll"]["text"]
    other = Rating.objects.get(period=period, member=colleague)
    assert other.missing_labels == [] and "absent" not in other.snapshot


def test_it_lets_the_organizations_part_be_marked_but_needs_one_part_present(world):
    period = open_period(world.branch_a)
    sec = world.user("branch_a_secretary")
    services.absence_mark(period=period, member=world.member_a, part="self", reason="sick", by=sec)
    services.absence_mark(period=period, member=world.member_a, part="org", reason="sick", note="全期病休", by=sec)
    with pytest.raises(ValidationError, match="没有任何计分的考评项目.*甲成员"):
        services.period_close(period=period, by=sec)
    assert not Rating.objects.exists()
    period.refresh_from_db()
    assert period.is_open
    # a self-evaluation handed in later is counted: a part present wins over a mark
    services.self_evaluation_save(period=period, member=world.member_a, summary="病休前完成承诺", score=D("75"))
    services.period_close(period=period, by=sec)
    rating = Rating.objects.get(member=world.member_a)
    assert rating.weighted_score == D("75.00") and rating.grade == "fair"
    assert rating.missing_labels == ["缺测评", "缺评定"]  # no poll counted (no ballots); the assessment marked


def test_it_refuses_marks_that_make_no_sense(world):
    period = open_period(world.branch_a)
    sec = world.user("branch_a_secretary")
    assess(period, world.member_a, sec)
    with pytest.raises(ValidationError, match="已有结果"):
        services.absence_mark(period=period, member=world.member_a, part="org", reason="sick", by=sec)
    with pytest.raises(ValidationError, match="不在本考评期"):
        services.absence_mark(period=period, member=world.member_b, part="self", reason="sick", by=sec)
    assert not PartAbsence.objects.exists()
    services.absence_mark(period=period, member=world.member_a, part="self", reason="away", by=sec)
    services.period_close(period=period, by=sec)
    period.refresh_from_db()
    mark = PartAbsence.objects.get()
    with pytest.raises(ValidationError, match="已结束"):
        services.absence_clear(absence=mark, by=sec)
    with pytest.raises(ValidationError, match="已结束"):
        services.absence_mark(period=period, member=world.member_a, part="poll", reason="away", by=sec)
    assert PartAbsence.objects.count() == 1


def test_it_counts_complete_marked_and_missing_on_the_close_page(world, login):
    period = open_period(world.branch_a)
    sec = world.user("branch_a_secretary")
    done, excused, waiting = add_members(world.branch_a, 3, prefix="同事")
    for m in (done, excused, waiting, world.member_a):
        assess(period, m, sec)
    services.self_evaluation_save(period=period, member=done, summary="完成", score=D("88"))
    services.absence_mark(period=period, member=excused, part="self", reason="away", by=sec)
    client = login(sec)
    body = client.get(_closing(period)).content.decode()
    assert 'data-count="complete">1<' in body and 'data-count="marked">1<' in body
    assert 'data-count="missing">2<' in body
    assert "各项齐全 1 人，已标记未参加 1 人，仍有缺项 2 人" in body
    assert f'data-member="{waiting.pk}" data-part="self"' in body and f'data-member="{done.pk}"' not in body
    assert "外出" in body and " disabled" in body  # the confirm button waits for the missing ones
    # withdrawing the mark puts the member back among the missing
    mark = PartAbsence.objects.get()
    client.post(reverse("evaluations:absence_clear", args=[period.pk]), {"absence": mark.pk})
    assert not PartAbsence.objects.exists()
    assert 'data-count="missing">3<' in client.get(_closing(period)).content.decode()


def test_it_shows_the_flag_wherever_the_grade_appears(world, login):
    period = open_period(world.branch_a)
    sec = world.user("branch_a_secretary")
    poll = period.poll
    poll.minimum_ballots = 1
    poll.save()
    cast(poll, [world.member_a], 1)  # 较好 = 85
    assess(period, world.member_a, sec, "82")
    r = login(sec).post(
        reverse("evaluations:absence_mark", args=[period.pk]),
        {"member": world.member_a.pk, "part": "self", "reason": "sick", "note": ""},
    )
    assert r.status_code == 302
    r = login(sec).post(reverse("evaluations:period_close", args=[period.pk]))
    assert r.status_code == 302 and r["Location"] == period.get_absolute_url()
    assert "缺自评" in login(sec).get(period.get_absolute_url()).content.decode()
    assert "缺自评" in login(sec).get(reverse("evaluations:year_end", args=[world.branch_a.pk, 2026])).content.decode()
    rating = Rating.objects.get()
    assert rating.weighted_score == D("83.13") and rating.missing_labels == ["缺自评"]  # (85×30 + 82×50) / 80
    mine = login(world.user("member_a")).get(reverse("evaluations:my_results")).content.decode()
    assert "缺自评" in mine and "良好" in mine and "病假" in mine and "缺测评" not in mine
    page = login(sec).get(reverse("posts:annex2", args=[world.branch_a.pk]) + "?year=2026").content.decode()
    assert "良好（缺自评）" in page
    data = login(sec).get(reverse("reports:annex2_xlsx", args=[world.branch_a.pk]) + "?year=2026").content
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    cells = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert "良好（缺自评）" in cells


def test_it_hides_the_close_page_and_marks_from_a_sibling_subtree(world, login):
    period = open_period(world.branch_b)
    services.absence_mark(period=period, member=world.member_b, part="self", reason="sick",
                          by=world.user("branch_b_secretary"))
    mark = PartAbsence.objects.get()
    client = login(world.user("school_a_secretary"))
    assert client.get(_closing(period)).status_code == 404
    data = {"member": world.member_b.pk, "part": "org", "reason": "sick"}
    assert client.post(reverse("evaluations:absence_mark", args=[period.pk]), data).status_code == 404
    assert client.post(reverse("evaluations:absence_clear", args=[period.pk]), {"absence": mark.pk}).status_code == 404
    assert list(PartAbsence.objects.values_list("part", flat=True)) == ["self"]
    # the county above may look at the period but does not close it or mark anything
    staff = login(world.user("county_b_staff"))
    assert staff.post(reverse("evaluations:absence_mark", args=[period.pk]), data).status_code == 403


def test_the_close_page_keeps_its_query_count_flat(world, login):
    """Missing rows (each with its blank form), marks and a poll's count: the same queries at 10 members as at 60."""
    from tests.budget import assert_flat_queries

    period = open_period(world.branch_a)
    sec = world.user("branch_a_secretary")
    assert Poll.objects.filter(period=period).exists()  # its used codes are counted with it

    def grow(n):
        have = services.period_members(period).count()
        for m in add_members(world.branch_a, max(0, n - have), prefix=f"成员{have}_"):
            services.absence_mark(period=period, member=m, part="org", reason="sick", by=sec)

    assert_flat_queries(login(sec), _closing(period), grow_to=grow, budget=10, small=10, large=60)


def test_the_close_page_counts_the_poll_once_it_reached_its_minimum(world, login):
    """The close page reads the poll with the period: below its minimum it does not count; once reached, a member
    nobody rated lacks the poll part."""
    period = open_period(world.branch_a)
    sec = world.user("branch_a_secretary")
    colleague = add_members(world.branch_a, 1, prefix="同事")[0]
    poll = period.poll
    poll.minimum_ballots = 2
    poll.save()
    client = login(sec)
    body = client.get(_closing(period)).content.decode()
    assert "尚未达到最少 2 张有效票" in body and 'data-part="poll"' not in body
    cast(poll, [colleague], 0, 2)
    body = client.get(_closing(period)).content.decode()
    assert "民意测评已达到最少票数" in body
    assert f'data-member="{world.member_a.pk}" data-part="poll"' in body
    assert f'data-member="{colleague.pk}" data-part="poll"' not in body
