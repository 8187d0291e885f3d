"""推行“四争”: a member's aim of the year is in the 备注 of Annex 2's xlsx and PDF, on the person's first line, beside
the fulfilled commitments; a member without an aim has none."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from posts.enums import FourStrive
from posts.models import AnnualAim, Post, PostClaim
from reports.exports import tables
from reports.exports.pdf import pdf_bytes
from reports.exports.xlsx import xlsx_bytes
from tests.reports_fixtures import YEAR, posts_with_claims
from tests.test_reports_exports import body, header_row, needs_poppler, pdf_text, sheet

REMARK = tables.ANNEX2_COLUMNS.index("备注")


@needs_poppler
@pytest.mark.django_db
def test_the_four_strive_aim_is_in_annex2_xlsx_and_pdf(world, tmp_path):
    claims = posts_with_claims(world.branch_a, 2)
    first = claims[0].member
    AnnualAim.objects.create(member=first, year=YEAR, aim=FourStrive.MODEL_TEACHER)
    AnnualAim.objects.create(member=world.member_a, year=YEAR, aim=FourStrive.GROWTH)  # on no post yet
    AnnualAim.objects.create(member=claims[1].member, year=YEAR - 1, aim=FourStrive.BACKBONE)  # last year's
    second_post = Post.objects.create(organization=world.branch_a, year=YEAR, name="第二个岗位", duties="职责")
    PostClaim.objects.create(post=second_post, member=first)
    xlsx = sheet(xlsx_bytes([tables.annex2(world.school_a, YEAR)]))
    head = header_row(xlsx, tables.ANNEX2_COLUMNS)
    rows = body(xlsx, head + 1, 4)
    remarks = {r[6]: r[REMARK] or "" for r in rows}  # by post (a person's name is merged down their lines)
    assert remarks[claims[0].post.name] == "四争：争当教书育人模范；已兑现1项"
    assert remarks["第二个岗位"] == ""  # on the person's first line only
    assert remarks["尚未认岗"] == "四争：争当成长成才表率"
    assert "四争" not in remarks[claims[1].post.name]
    text = pdf_text(pdf_bytes([tables.annex2(world.school_a, YEAR)]), tmp_path)
    assert "四争：争当教书育人模范" in text and "争当成长成才表率" in text and "争做办学治校骨干" not in text


@pytest.mark.django_db
def test_the_aim_costs_no_query_of_its_own(world):
    posts_with_claims(world.branch_a, 3)
    with CaptureQueriesContext(connection) as ctx:
        list(tables.annex2(world.school_a, YEAR).rows)
    few = len(ctx)
    posts_with_claims(world.branch_a, 30)
    AnnualAim.objects.bulk_create([AnnualAim(member=c.member, year=YEAR, aim=FourStrive.DEDICATION)
                                   for c in PostClaim.objects.select_related("member")])  # fmt: skip
    with CaptureQueriesContext(connection) as ctx:
        rows = list(tables.annex2(world.school_a, YEAR).rows)
    assert len(ctx) == few and sum("四争：争树敬业奉献标杆" in (r[REMARK] or "") for r in rows) == 30
