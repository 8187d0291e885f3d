"""推行“四争” and 党员联系群众: a member's own aim and contacts; what the secretary, the self-evaluation and the
dashboard show of them; crafted requests for someone else write nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from posts.enums import FourStrive, MassGroup
from posts.models import AnnualAim, MassContact
from posts.selectors.masses import aims_by_school, member_contact_summary
from posts.services.masses import aim_choose, mass_contact_add
from tests.budget import assert_flat_queries

TODAY = datetime.date.today()
YEAR = TODAY.year


def _contact(w, member, user, **extra):
    fields = dict(contacted_on=TODAY, whom=MassGroup.PARENT, subject="家访：学习习惯", outcome="家长配合")
    fields.update(extra)
    return mass_contact_add(member=member, by=user, **fields)


def test_a_member_chooses_and_changes_the_years_aim(world):
    aim_choose(member=world.member_a, year=YEAR, aim=FourStrive.MODEL_TEACHER, by=world.user("member_a"))
    aim_choose(member=world.member_a, year=YEAR, aim=FourStrive.GROWTH, by=world.user("member_a"))
    assert list(AnnualAim.objects.values_list("aim", flat=True)) == ["growth"]


def test_nobody_else_chooses_a_members_aim_and_only_the_four_are_accepted(world):
    with pytest.raises(PermissionDenied):
        aim_choose(member=world.member_a, year=YEAR, aim=FourStrive.BACKBONE, by=world.user("branch_a_secretary"))
    with pytest.raises(ValidationError):
        aim_choose(member=world.member_a, year=YEAR, aim="争当第五", by=world.user("member_a"))
    assert not AnnualAim.objects.exists()


def test_the_aim_shows_on_my_posts_and_the_pledge(world, login):
    aim_choose(member=world.member_a, year=YEAR, aim=FourStrive.DEDICATION, by=world.user("member_a"))
    client = login(world.user("member_a"))
    assert "争树敬业奉献标杆" in client.get(reverse("posts:mine")).content.decode()
    pledge = client.get(reverse("posts:pledge", args=[world.member_a.pk]) + f"?year={YEAR}").content.decode()
    assert "争树敬业奉献标杆" in pledge


def test_a_crafted_aim_post_without_a_member_record_is_refused(world, login):
    r = login(world.user("school_a_secretary")).post(reverse("posts:aim_choose"), {"aim": "backbone"})
    assert r.status_code == 403 and not AnnualAim.objects.exists()


def test_aims_are_counted_per_school(world):
    aim_choose(member=world.member_a, year=YEAR, aim=FourStrive.BACKBONE, by=world.user("member_a"))
    aim_choose(member=world.member_b, year=YEAR, aim=FourStrive.GROWTH, by=world.user("member_b"))
    rows = {r["school"]: r for r in aims_by_school(world.city, YEAR)}
    assert rows["甲校"]["backbone"] == 1 and rows["乙校"]["growth"] == 1 and rows["甲校"]["total"] == 1
    assert [r["school"] for r in aims_by_school(world.school_a, YEAR)] == ["甲校"]


def test_a_member_logs_contacts_and_not_for_others_nor_in_the_future(world):
    _contact(world, world.member_a, world.user("member_a"))
    with pytest.raises(PermissionDenied):
        _contact(world, world.member_a, world.user("member_b"))
    with pytest.raises(ValidationError) as e:
        _contact(world, world.member_a, world.user("member_a"), contacted_on=TODAY + datetime.timedelta(days=1))
    assert "contacted_on" in e.value.error_dict
    with pytest.raises(ValidationError):
        _contact(world, world.member_a, world.user("member_a"), whom="stranger")
    assert MassContact.objects.count() == 1


def test_a_crafted_delete_of_someone_elses_contact_is_not_found(world, login):
    contact = _contact(world, world.member_b, world.user("member_b"))
    for who in ("member_a", "branch_b_secretary"):
        r = login(world.user(who)).post(reverse("posts:mass_contact_delete", args=[contact.pk]))
        assert r.status_code == 404
    assert MassContact.objects.filter(pk=contact.pk).exists()


def test_the_form_shows_a_clear_message_next_to_a_missing_subject(world, login):
    client = login(world.user("member_a"))
    r = client.post(reverse("posts:mass_contacts"), {"contacted_on": TODAY.isoformat(), "whom": "student"})
    assert r.status_code == 400 and "这个字段是必填项" in r.content.decode()
    assert not MassContact.objects.exists()


def test_the_secretary_sees_counts_per_member(world, login):
    _contact(world, world.member_a, world.user("member_a"), whom=MassGroup.STUDENT)
    _contact(world, world.member_a, world.user("member_a"), whom=MassGroup.STUDENT)
    _contact(world, world.member_a, world.user("member_a"), whom=MassGroup.COLLEAGUE)
    page = login(world.user("branch_a_secretary")).get(reverse("posts:mass_counts", args=[world.branch_a.pk]))
    row = page.content.decode().split("甲成员", 1)[1].split("</tr>", 1)[0]
    cells = [c.rsplit(">", 1)[-1] for c in row.split("</td>")[:-1]]
    assert cells[2:] == ["2", "0", "1", "0", "3"]  # 学生, 家长, 同事, 群众, 合计


def test_the_self_evaluation_counts_the_years_contacts(world):
    _contact(world, world.member_a, world.user("member_a"), whom=MassGroup.STUDENT)
    _contact(world, world.member_a, world.user("member_a"), whom=MassGroup.RESIDENT, subject="社区宣讲")
    summary = member_contact_summary(world.member_a, datetime.date(YEAR, 1, 1), TODAY)
    assert summary["total"] == 2 and ("群众", 1) in summary["groups"]
    assert summary["latest"][0].subject in {"社区宣讲", "家访：学习习惯"}


def test_the_counts_page_keeps_its_query_count_flat(world, login):
    from tests.world import make_member

    client = login(world.user("branch_a_secretary"))

    def grow_to(n):
        have = world.branch_a.members.count()
        for i in range(have, n):
            m = make_member(world.branch_a, f"成员{i}", phone=f"1380000{i:04d}")
            MassContact.objects.create(member=m, contacted_on=TODAY, whom="student", subject="谈心")

    assert_flat_queries(client, reverse("posts:mass_counts", args=[world.branch_a.pk]), grow_to=grow_to, budget=12)


def test_the_aim_shows_on_the_annex2_page(world, login):
    aim_choose(member=world.member_a, year=YEAR, aim=FourStrive.BACKBONE, by=world.user("member_a"))
    page = login(world.user("branch_a_secretary")).get(reverse("posts:annex2", args=[world.branch_a.pk]) + f"?year={YEAR}")
    row = page.content.decode().split("甲成员", 1)[1].split("</td>", 1)[0]
    assert "争做办学治校骨干" in row
