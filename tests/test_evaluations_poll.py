from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.urls import reverse

from evaluations import services
from evaluations.enums import PeriodKind
from evaluations.models import Poll, PollCode, PollTally, Rating
from tests.evaluations_fixtures import assess_all, cast, evaluation_today, excuse_missing, open_period  # noqa: F401 (evaluation_today: autouse)

pytestmark = pytest.mark.django_db


def vote_url(poll):
    return reverse("evaluations:vote", args=[poll.public_key])


def votes_for(member) -> int:
    return sum(PollTally.objects.filter(member=member).values_list("count", flat=True))


def test_it_keeps_no_link_from_a_ballot_to_its_code_or_voter(world, client):
    period = open_period(world.branch_a)
    code = services.poll_codes_generate(poll=period.poll, count=1)[0]
    r = client.post(vote_url(period.poll), {"code": code.code, f"m{world.member_a.pk}": "0"})
    assert r.status_code == 200 and "投票成功" in r.content.decode()
    # the model: no foreign key but the poll (and the member rated), no time, no code
    for model in (PollTally,):
        for f in model._meta.get_fields():
            assert not isinstance(f, (models.DateField, models.DateTimeField)), f"{model.__name__}.{f.name} is a time"
            if f.is_relation and f.many_to_one:
                assert f.related_model not in (PollCode, world.user("member_a").__class__), f"{model.__name__}.{f.name}"
        names = {f.name for f in model._meta.get_fields()}
        assert not names & {"code", "user", "voter", "created_at", "cast_at", "poll_code"}
    assert {f.name for f in PollCode._meta.get_fields()} == {"id", "poll", "code", "used", "signed_name"}
    # the rows: nothing in the tally table holds the code or a user id
    with connection.cursor() as cur:
        cur.execute(f"SELECT * FROM {PollTally._meta.db_table}")
        for row in cur.fetchall():
            assert code.code not in " ".join(str(v) for v in row)
    first = period.poll.scale[0]["label"]
    assert {(t.label, t.count) for t in PollTally.objects.filter(member=world.member_a)} == {
        (o["label"], 1 if o["label"] == first else 0) for o in period.poll.scale
    }
    code = PollCode.objects.get(pk=code.pk)
    assert code.used and code.signed_name == ""


def test_it_refuses_a_used_code_with_a_clear_page(world, client):
    period = open_period(world.branch_a)
    code = services.poll_codes_generate(poll=period.poll, count=1)[0]
    client.post(vote_url(period.poll), {"code": code.code, f"m{world.member_a.pk}": "1"})
    again = client.post(vote_url(period.poll), {"code": code.code.lower()})  # the code alone: refused at once
    assert again.status_code == 410
    assert "此投票码已使用" in again.content.decode()
    post_again = client.post(vote_url(period.poll), {"code": code.code, f"m{world.member_a.pk}": "1"})
    assert post_again.status_code == 410
    assert votes_for(world.member_a) == 1


def test_it_refuses_a_code_of_another_poll(world, client):
    mine = open_period(world.branch_a)
    other = open_period(world.branch_b)
    foreign = services.poll_codes_generate(poll=other.poll, count=1)[0]
    services.poll_codes_generate(poll=mine.poll, count=1)
    for code in (foreign.code, "NOSUCHCODE"):
        r = client.post(vote_url(mine.poll), {"code": code, f"m{world.member_a.pk}": "0"})
        assert r.status_code == 400 and "投票码无效，请核对投票单上的投票码" in r.content.decode()
    assert not PollTally.objects.exists() and not PollCode.objects.filter(used=True).exists()
    assert client.get(reverse("evaluations:vote", args=["no-such-key"])).status_code == 404
    assert client.get(vote_url(other.poll)).status_code == 200


def test_it_asks_for_every_member_and_keeps_the_code_unused(world, client):
    period = open_period(world.branch_a)
    code = services.poll_codes_generate(poll=period.poll, count=1)[0]
    r = client.post(vote_url(period.poll), {"code": code.code})
    assert r.status_code == 400
    assert "请为甲成员选择评价" in r.content.decode()
    assert not PollCode.objects.get(pk=code.pk).used and not PollTally.objects.exists()
    r = client.post(vote_url(period.poll), {f"m{world.member_a.pk}": "0"})  # no code
    assert r.status_code == 400 and "请填写投票单上的投票码" in r.content.decode()
    assert not PollCode.objects.get(pk=code.pk).used and not PollTally.objects.exists()


def test_it_hides_results_below_the_minimum(world):
    period = open_period(world.branch_a)
    poll = period.poll
    poll.minimum_ballots = 5
    poll.save()
    cast(poll, [world.member_a], 0, 4)
    assert services.poll_results(poll) is None  # still open
    assess_all(period, world.user("branch_a_secretary"), score="80")
    excuse_missing(period, world.user("branch_a_secretary"))
    services.period_close(period=period, by=world.user("branch_a_secretary"))
    poll.refresh_from_db()
    assert poll.closed and poll.ballot_count == 4
    assert services.poll_results(poll) is None
    rating = Rating.objects.get(period=period, member=world.member_a)
    assert rating.poll_score is None
    assert any("未达最少" in n for n in rating.snapshot["notes"])
    # the poll below its minimum and the self-evaluation marked 未参加 are left out, not zeros: 80 alone
    assert rating.weighted_score == Decimal("80.00") and rating.missing_labels == ["缺自评", "缺测评"]


def test_it_counts_only_after_close(world):
    period = open_period(world.branch_a)
    poll = period.poll
    poll.minimum_ballots = 2
    poll.save()
    cast(poll, [world.member_a], 3, 2)
    assert services.poll_results(poll) is None
    services.poll_close(poll=poll)
    assert services.poll_results(Poll.objects.get(pk=poll.pk)) == {world.member_a.pk: Decimal("50.00")}


def test_it_locks_anonymity_once_a_ballot_exists(world):
    period = open_period(world.branch_a)
    poll = period.poll
    services.poll_update(poll=poll, minimum_ballots=3, anonymous=False)
    services.poll_update(poll=poll, minimum_ballots=3, anonymous=True)
    cast(Poll.objects.get(pk=poll.pk), [world.member_a], 0, 1)
    with pytest.raises(ValidationError, match="不能再更改"):
        services.poll_update(poll=poll, minimum_ballots=3, anonymous=False)
    assert Poll.objects.get(pk=poll.pk).anonymous


def test_it_refuses_votes_after_the_period_closes(world, client):
    period = open_period(world.branch_a, kind=PeriodKind.H1)
    code = services.poll_codes_generate(poll=period.poll, count=1)[0]
    assess_all(period, world.user("branch_a_secretary"))
    excuse_missing(period, world.user("branch_a_secretary"))
    services.period_close(period=period, by=world.user("branch_a_secretary"))
    r = client.get(vote_url(period.poll))
    assert r.status_code == 410 and "不在投票时间内" in r.content.decode()
    r = client.post(vote_url(period.poll), {"code": code.code, f"m{world.member_a.pk}": "0"})
    assert r.status_code == 410 and not PollCode.objects.get(pk=code.pk).used


def test_it_prints_a_sheet_of_qr_codes(world, login):
    period = open_period(world.branch_a)
    services.poll_codes_generate(poll=period.poll, count=3)
    r = login(world.user("branch_a_secretary")).get(reverse("evaluations:poll_sheet", args=[period.pk]))
    body = r.content.decode()
    assert r.status_code == 200
    assert body.count("data:image/svg+xml") == 3
    for c in PollCode.objects.all():
        assert c.code in body
    # the page's address is printed apart from the code: no URL path with a code in it
    page = "http://testserver" + vote_url(period.poll)
    assert body.count(page) == 3
    for c in PollCode.objects.all():
        assert f"{vote_url(period.poll)}{c.code}" not in body


def test_it_lets_the_secretary_generate_codes_but_not_staff(world, login):
    period = open_period(world.branch_a)
    url = reverse("evaluations:poll", args=[period.pk])
    r = login(world.user("branch_a_secretary")).post(url, {"count": "5"})
    assert r.status_code == 302 and PollCode.objects.filter(poll=period.poll).count() == 5
    assert login(world.user("county_a_staff")).post(url, {"count": "5"}).status_code == 403
    assert PollCode.objects.count() == 5


def test_it_asks_a_signed_poll_for_the_voters_name(world, client):
    period = open_period(world.branch_a)
    services.poll_update(poll=period.poll, minimum_ballots=1, anonymous=False)
    code = services.poll_codes_generate(poll=period.poll, count=1)[0]
    r = client.post(vote_url(period.poll), {"code": code.code, f"m{world.member_a.pk}": "0"})
    assert r.status_code == 400 and "姓名" in r.content.decode()
    r = client.post(vote_url(period.poll), {"code": code.code, f"m{world.member_a.pk}": "0", "signed_name": "王老师"})
    assert r.status_code == 200 and PollCode.objects.get(pk=code.pk).signed_name == "王老师"
    assert votes_for(world.member_a) == 1


def test_it_shows_the_secretary_votes_cast_against_the_minimum(world, login):
    period = open_period(world.branch_a)
    cast(period.poll, [world.member_a], 0, 3)
    body = login(world.user("branch_a_secretary")).get(period.get_absolute_url()).content.decode()
    assert "3/10" in body and "未达最少票数" in body
