"""Tables as PDF: WeasyPrint renders reports/pdf/tables.html (A4 landscape, CJK fonts embedded, the table header
repeated on every page, “第 N 页 共 M 页” in the page footer): 附件N top left, the title, the unit and date once,
the table, then the signature block (填报人、审核人、联系电话、填报日期, 单位（盖章）) to fill by hand."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.template.loader import render_to_string

from .table import PrintLayout, Table, cell_kinds

# A PDF longer than this many pages (paging.estimate_pages) is made by a Celery job instead of in the request.
BACKGROUND_PAGES = 2


def _body(table: Table) -> Iterator[list[list[tuple[str, str, int]]]]:
    """The rows in runs of one person, each cell as (text, kind, rowspan): the person's cells span the run's rows in
    its first row and are left out of the others (rowspan 0)."""
    person = table.person_columns
    for run in table.runs(table.rows):
        span = len(run)
        out = []
        for k, row in enumerate(run):
            cells = cell_kinds(row, table.columns, table.long_columns)
            if span == 1:
                out.append([(text, kind, 1) for text, kind in cells])
            else:
                out.append(
                    [
                        (text, kind, (span if k == 0 else 0) if i in person else 1)
                        for i, (text, kind) in enumerate(cells)
                    ]
                )
        yield out


def header_kind(table: Table, label: str, colspan: int, level: int) -> str:
    """Every header label stays whole on one line (Table makes each column at least as wide as its label)."""
    return "nowrap"


def html_for(tables: list[Table]) -> str:
    sections = [
        {
            "table": t,
            "runs": _body(t),
            "n": len(t.columns),
            "heads": [
                [(h.label, header_kind(t, h.label, h.colspan, level), h.colspan, h.rowspan) for h in cells]
                for level, cells in enumerate(t.header_cells())
            ],
            "cols": [f"{100 * w / sum(t.widths):.2f}%" for w in t.widths],
        }
        for t in tables
    ]
    layouts = {t.layout.name: t.layout for t in tables}.values()
    return render_to_string(
        "reports/pdf/tables.html",
        {"sections": sections, "layouts": [_css(x) for x in layouts], "title": tables[0].title if tables else ""},
    )


def _css(layout: PrintLayout) -> dict[str, str]:
    """A layout's sizes as CSS values (a section of the layout goes on its named page)."""
    return {
        "name": layout.name,
        "margins": " ".join(f"{m:g}mm" for m in layout.margins_mm),
        "footer": f"{layout.footer_pt:g}pt",
        "type": f"{layout.type_pt:g}pt",
        "line_height": f"{layout.line_height:g}",
        "padding": f"{layout.padding_mm:g}mm",
    }


class _Steps(logging.Handler):
    """WeasyPrint's progress messages of this thread: 'Step 5 - Creating layout - Page N', then 'Step 6 - Creating
    PDF'. Reported as on_step(page) while pages are laid out and on_step(None) when the PDF is written."""

    def __init__(self, on_step: Callable[[int | None], None]):
        super().__init__(logging.INFO)
        self.on_step, self.thread = on_step, threading.get_ident()

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread != self.thread:
            return
        if record.msg.startswith("Step 5") and record.args:
            self.on_step(int(record.args[0]))
        elif record.msg.startswith("Step 6"):
            self.on_step(None)


@contextmanager
def _steps(on_step: Callable[[int | None], None] | None) -> Iterator[None]:
    if on_step is None:
        yield
        return
    log = logging.getLogger("weasyprint.progress")
    handler, level, propagate = _Steps(on_step), log.level, log.propagate
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False  # the steps go to on_step, not to the console
    try:
        yield
    finally:
        log.removeHandler(handler)
        log.setLevel(level)
        log.propagate = propagate


def render_pdf(html: str, *, on_step: Callable[[int | None], None] | None = None) -> bytes:
    from weasyprint import HTML

    with _steps(on_step):
        return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def pdf_bytes(tables: list[Table], *, on_step: Callable[[int | None], None] | None = None) -> bytes:
    return render_pdf(html_for(tables), on_step=on_step)
