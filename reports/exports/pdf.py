"""Tables as PDF: WeasyPrint renders reports/pdf/tables.html (A4 landscape, CJK fonts embedded, the table header
repeated on every page, “第 N 页 共 M 页” in the page footer, the unit and date in the page header)."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string

from .table import Table, cell_text

# A PDF estimated longer than this (Table.estimated_pages) is made by a Celery job instead of in the request.
BACKGROUND_PAGES = 20


def html_for(tables: list[Table]) -> str:
    sections = [
        {
            "table": t,
            "rows": ([cell_text(v) for v in row] for row in t.rows),
            "n": len(t.columns),
            "cols": [f"{100 * w / sum(t.widths):.2f}%" for w in t.widths],
        }
        for t in tables
    ]
    return render_to_string("reports/pdf/tables.html", {"sections": sections, "title": tables[0].title if tables else ""})


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def pdf_bytes(tables: list[Table]) -> bytes:
    return render_pdf(html_for(tables))
