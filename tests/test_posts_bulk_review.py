"""待审核的承诺 reviewed in bulk: tick several, approve or return each with its own reason; outcomes per row."""

import pytest
from django.urls import reverse

from posts import services
from posts.enums import CommitmentState
from posts.models import Commitment, CommitmentReview
from tests.budget import assert_flat_queries
from tests.posts_fixtures import make_commitment, make_post
from tests.world import make_member

pytestmark = pytest.mark.django_db

SEC = "branch_a_secretary"


def _submitted(world, n, *, org=None, prefix="承诺"):
    org = org or world.branch_a
    post = make_post(org, f"{prefix}岗", capacity=500)
    out = []
    for i in range(n):
        member = make_member(org, f"{prefix}{i}", phone=f"139{abs(hash(prefix)) % 1000:03d}{i:05d}")
        claim = services.post_claim(post=post, member=member, by=None)
        out.append(services.commitment_submit(commitment=make_commitment(claim, f"{prefix}{i}的承诺"), by=None))
    return out


def _url(world, org=None):
    return reverse("posts:review_queue", args=[(org or world.branch_a).pk])


def _data(action, rows):
    data = {"action": action, "pick": []}
    for c, reason, failed in rows:
        data["pick"].append(str(c.pk))
        data[f"version_{c.pk}"] = str(c.version)
        data[f"reason_{c.pk}"] = reason
        data[f"failed_{c.pk}"] = failed
    return data


def _states(items):
    return [Commitment.objects.get(pk=c.pk).state for c in items]


def test_it_approves_the_ticked_rows_only(world, login):
    a, b, c = _submitted(world, 3)
    client = login(world.user(SEC))
    page = client.get(_url(world)).content.decode()
    assert page.count('name="pick"') == 3
    r = client.post(_url(world), _data("approve", [(a, "", []), (c, "", [])]))
    assert r.status_code == 302
    assert _states([a, b, c]) == [CommitmentState.APPROVED, CommitmentState.SUBMITTED, CommitmentState.APPROVED]
    body = client.get(_url(world)).content.decode()
    assert "已通过 2 项承诺" in body and body.count('name="pick"') == 1


def test_each_return_needs_its_own_reason_and_the_others_proceed(world, login):
    a, b, c = _submitted(world, 3)
    client = login(world.user(SEC))
    rows = [(a, "目标不够具体", ["feasible"]), (b, "", ["advanced"]), (c, "与岗位无关", ["initiative"])]
    r = client.post(_url(world), _data("return", rows))
    assert r.status_code == 200
    body = r.content.decode()
    assert _states([a, b, c]) == [CommitmentState.RETURNED, CommitmentState.SUBMITTED, CommitmentState.RETURNED]
    assert "已退回 2 项承诺；1 项未处理" in body
    row = body[body.index(f'data-commitment="{b.pk}"'):]
    assert "请填写退回理由" in row[: row.index("</tr>")]
    # the failed row keeps what was ticked for it
    assert f'id="failed_{b.pk}_advanced" checked' in body
    reasons = dict(CommitmentReview.objects.filter(decision="returned").values_list("commitment_id", "reason"))
    assert reasons == {a.pk: "目标不够具体", c.pk: "与岗位无关"}


def test_a_stale_or_no_longer_pending_row_is_reported_and_the_others_proceed(world, login):
    a, b, c = _submitted(world, 3)
    sec = world.user(SEC)
    page_versions = _data("approve", [(a, "", []), (b, "", []), (c, "", [])])
    # meanwhile: b approved by the school's secretary, c changed by someone (a newer version)
    services.commitment_approve(commitment=b, by=world.user("school_a_secretary"))
    Commitment.objects.filter(pk=c.pk).update(version=c.version + 1, content="改过的承诺")
    r = login(sec).post(_url(world), page_versions)
    body = r.content.decode()
    assert _states([a, b, c])[0] == CommitmentState.APPROVED
    assert Commitment.objects.get(pk=c.pk).state == CommitmentState.SUBMITTED
    assert "已通过 1 项承诺；2 项未处理" in body
    # b is no longer in the queue: named in the summary; c still waits, its message on its row
    gone = body[body.index(f'data-gone-row="{b.pk}"'):]
    assert "此记录已被他人修改" in gone[: gone.index("</li>")]
    row = body[body.index(f'data-commitment="{c.pk}"'):]
    assert "此记录已被他人修改" in row[: row.index("</tr>")]
    assert CommitmentReview.objects.filter(commitment=c).count() == 0


def test_a_crafted_id_from_another_subtree_refuses_everything(world, login):
    (a,) = _submitted(world, 1)
    (foreign,) = _submitted(world, 1, org=world.branch_b, prefix="乙")
    r = login(world.user(SEC)).post(_url(world), _data("approve", [(a, "", []), (foreign, "", [])]))
    assert r.status_code == 404
    assert _states([a, foreign]) == [CommitmentState.SUBMITTED, CommitmentState.SUBMITTED]
    # the service refuses it whatever the view lets through
    decision = services.ReviewDecision(commitment_id=foreign.pk, version=foreign.version)
    with pytest.raises(Commitment.DoesNotExist):
        services.commitments_review(organization=world.branch_a, decisions=[decision], by=world.user(SEC))
    assert not CommitmentReview.objects.filter(commitment=foreign).exists()


def test_ones_own_commitment_is_not_approved_in_bulk(world, login):
    sec = world.user(SEC)
    own_member = make_member(world.branch_a, "书记本人", phone="13900000099", user=sec)
    post = make_post(world.branch_a, "书记岗")
    claim = services.post_claim(post=post, member=own_member, by=None)
    own = services.commitment_submit(commitment=make_commitment(claim, "书记的承诺"), by=None)
    (other,) = _submitted(world, 1)
    r = login(sec).post(_url(world), _data("approve", [(own, "", []), (other, "", [])]))
    assert "不能审核本人的承诺" in r.content.decode() or "由上级党组织审核" in r.content.decode()
    assert _states([own, other]) == [CommitmentState.SUBMITTED, CommitmentState.APPROVED]


def test_the_queue_keeps_its_query_count_flat(world, login):
    client = login(world.user(SEC))
    made = []

    def grow_to(n):
        made.extend(_submitted(world, n - len(made), prefix=f"批{n}-"))

    n = assert_flat_queries(client, _url(world), grow_to=grow_to, budget=15)
    print("review_queue queries:", n)


def test_a_draft_is_not_approved_and_the_others_proceed(world, login):
    (a,) = _submitted(world, 1)
    post = make_post(world.branch_a, "草稿岗")
    claim = services.post_claim(post=post, member=world.member_a, by=None)
    draft = make_commitment(claim, "还没提交的承诺")
    r = login(world.user(SEC)).post(_url(world), _data("approve", [(draft, "", []), (a, "", [])]))
    assert "只有待审核的承诺可以审核通过" in r.content.decode()
    assert _states([draft, a]) == [CommitmentState.DRAFT, CommitmentState.APPROVED]
