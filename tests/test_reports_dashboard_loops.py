"""The dashboard's card of the policy's working systems: this year's inspections, their items and the closure rate;
contacts with the masses; the 四争 aims counted per school — each for the subtree shown only."""

from __future__ import annotations

import datetime
import re

from django.urls import reverse

from inspections.enums import CheckArea
from inspections.services import fix_item_add, fix_item_close, inspection_record
from posts.enums import FourStrive, MassGroup
from posts.services.masses import aim_choose, mass_contact_add

TODAY = datetime.date.today()
QUARTER = (TODAY.month - 1) // 3 + 1


def _dashboard(client, org):
    url = reverse("reports:dashboard") + f"?org={org.pk}&year={TODAY.year}&quarter={QUARTER}"
    return client.get(url).content.decode()


def _cell(body, label):
    match = re.search(rf"<th>{label}</th><td[^>]*>([^<]*)</td>", body)
    assert match, label
    return match.group(1).strip()


def test_it_shows_inspections_closure_contacts_and_aims_of_the_subtree(world, login):
    staff = world.user("county_a_staff")
    inspection = inspection_record(committee=world.county_a, organization=world.school_a, by=staff, inspected_on=TODAY,
                                   inspectors="甲县巡查组", checked=[CheckArea.POSTS], findings="承诺笼统")  # fmt: skip
    done = fix_item_add(inspection=inspection, by=staff, content="修改承诺", responsible="组织委员", due_on=TODAY)
    fix_item_add(inspection=inspection, by=staff, content="更新公开栏", responsible="办公室主任", due_on=TODAY)
    fix_item_close(item=done, by=staff, closing_note="已核实")
    aim_choose(member=world.member_a, year=TODAY.year, aim=FourStrive.BACKBONE, by=world.user("member_a"))
    aim_choose(member=world.member_b, year=TODAY.year, aim=FourStrive.GROWTH, by=world.user("member_b"))
    mass_contact_add(member=world.member_a, by=world.user("member_a"), contacted_on=TODAY, whom=MassGroup.PARENT,
                     subject="家访")  # fmt: skip

    county = _dashboard(login(staff), world.county_a)
    assert _cell(county, "本年巡查次数") == "1" and _cell(county, "巡查整改事项 / 已销号") == "2 / 1"
    assert _cell(county, "整改销号率") == "50.0%" and _cell(county, "本年党员联系群众次数") == "1"
    aims = county.split('id="aims-table"', 1)[1].split("</table>", 1)[0]
    assert re.search(r"<td>甲校</td><td class=\"text-end\">1</td>(<td class=\"text-end\">0</td>){3}"
                     r"<td class=\"text-end\">1</td>", aims), aims  # fmt: skip
    assert "乙校" not in aims

    other = _dashboard(login(world.user("county_b_staff")), world.county_b)
    assert _cell(other, "本年巡查次数") == "0" and _cell(other, "整改销号率") == "—"
    assert "乙校" in other.split('id="aims-table"', 1)[1].split("</table>", 1)[0]
