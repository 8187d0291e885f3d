"""Annex 2 of the demo (`manage.py load_demo`, the realistic city) as PDF, its pages counted from the file: at least 14
of the demo's rows to an A4 landscape page.

The demo's duties run to about 38 characters and the 备注 holds the 四争 aim; Annex 2 is set in the dense layout
(7.5 pt type, tight cells, 8 mm side margins) with its width given to 岗位职责, 履岗承诺 and 备注, so that such a row
takes two lines: the largest school's 60 rows fill 4 pages."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from django.core.management import call_command
from django.db.models import Count

from organizations.models import Organization
from posts.models import PostClaim
from reports.exports import tables
from reports.exports.pdf import pdf_bytes
from reports.exports.table import cell_text

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("pdfinfo"), reason="poppler-utils missing"),
]
YEAR = 2026


def test_the_demo_annex2_holds_at_least_14_rows_a_page(tmp_path):
    call_command("load_demo", "--with-demo-logins", stdout=io.StringIO())
    # the school with the most members on posts: its whole Annex 2 runs over several pages
    top = (
        PostClaim.objects.filter(post__year=YEAR).values("post__organization__school_name")
        .annotate(n=Count("pk")).order_by("-n").first()
    )  # fmt: skip
    school = Organization.objects.filter(school_name=top["post__organization__school_name"]).order_by("depth").first()
    table = tables.annex2(school, YEAR)
    table.rows = list(table.rows)  # printed, then looked for in the file
    rows = table.row_count
    path = tmp_path / "annex2.pdf"
    path.write_bytes(pdf_bytes([table]))
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                                                            check=True).stdout).group(1))  # fmt: skip
    assert pages >= 2, (school.name, rows, pages)
    # every page but the last is full: they hold at least 14 rows each on average
    assert rows - 1 >= 14 * (pages - 1), (school.name, rows, pages)
    # nothing is cut to fit: every cell's text is in the file (pdftotext -raw keeps the lines of a cell together)
    text = re.sub(r"\s", "", subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True,
                                             check=True).stdout)  # fmt: skip
    for row in table.rows:
        for value in row:
            assert re.sub(r"\s", "", cell_text(value)) in text, (row, value)
    print(f"\n{school.name}: {rows} rows of the demo on {pages} pages ({rows / pages:.1f} a page)")
