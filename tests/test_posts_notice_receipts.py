"""The read receipts on a 情况通报's page come a page at a time, with the number read of the whole: a county's circular
holds a receipt per member of the county, and the page costs the same for 10 members as for 200."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from organizations.models import Member
from posts.models import Notice, NoticeReceipt
from posts.views.notices import RECEIPTS_PER_PAGE
from tests.budget import assert_flat_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def circular(world):
    return Notice.objects.create(organization=world.county_a, title="一季度考评情况通报", body="各校按时完成",
                                 by=world.user("county_a_staff"))  # fmt: skip


def _receipts(world, notice, n, *, read_every=0):
    have = NoticeReceipt.objects.filter(notice=notice).count()
    members = Member.objects.bulk_create(
        [Member(organization=world.branch_a, name=f"成员{i:03d}", gender="male") for i in range(have, n)]
    )
    now = timezone.now()
    NoticeReceipt.objects.bulk_create([
        NoticeReceipt(notice=notice, member=m, read_at=now if read_every and i % read_every == 0 else None)
        for i, m in enumerate(members, start=have)
    ])  # fmt: skip


def test_the_receipts_come_a_page_at_a_time_with_the_tally_of_the_whole(world, login, circular):
    _receipts(world, circular, 120, read_every=4)
    client = login(world.user("county_a_staff"))
    url = reverse("posts:notice_detail", args=[circular.pk])
    first = client.get(url).content.decode()
    assert "已读 30 人，共 120 人" in first
    table = first.split('id="receipts"', 1)[1].split("</table>", 1)[0]
    assert table.count("<tr>") == RECEIPTS_PER_PAGE
    assert "第 1 / 3 页" in first and "?page=2" in first
    last = client.get(url + "?page=3").content.decode()
    rows = last.split('id="receipts"', 1)[1].split("</table>", 1)[0]
    assert rows.count("<tr>") == 120 - 2 * RECEIPTS_PER_PAGE and "未读" in rows  # read first, the unread last
    assert "已读 30 人，共 120 人" in last


def test_a_member_sees_the_notice_but_no_receipts(world, login, circular):
    _receipts(world, circular, 3)
    NoticeReceipt.objects.create(notice=circular, member=world.member_a)
    body = login(world.user("member_a")).get(reverse("posts:notice_detail", args=[circular.pk])).content.decode()
    assert "各校按时完成" in body and 'id="receipts"' not in body and "成员001" not in body


def test_the_page_keeps_its_query_count_flat(world, login, circular):
    client = login(world.user("county_a_staff"))
    url = reverse("posts:notice_detail", args=[circular.pk])
    assert_flat_queries(client, url, grow_to=lambda n: _receipts(world, circular, n, read_every=3), budget=14)
