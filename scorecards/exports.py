"""The ranked table as an Excel workbook (through the project's table writer, reports.exports.xlsx, whose cells go
through machinery.xlsx) and one organization's scorecard as an A4 PDF for the 考评 file (WeasyPrint, Noto CJK)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from reports.exports.pdf import render_pdf
from reports.exports.table import Table
from reports.exports.xlsx import xlsx_bytes

from .indicators import INDICATORS
from .selectors import Ranking


def ranking_table(ranking: Ranking) -> Table:
    """排名 · 单位 · 得分 · the score at each quarter's end · each indicator's value (a counting indicator below its
    达标值 marked ▼) — the same rows as the page."""
    labels = [f"{ind.label}（{ind.unit}）" for ind in INDICATORS]
    trend = ranking.cutoff_labels[:-1] if len(ranking.cutoff_labels) > 1 else []
    columns = ["排名", "单位", "得分", *trend, *labels]
    rows = []
    for row in [*ranking.rows]:
        cells = [row.rank, row.org.name, row.card.score, *row.trend[: len(trend)]]
        for r in row.card.results:
            if r.value is None:
                cells.append("不计")
            elif r.counts and r.weak:
                cells.append(f"{r.value}▼")
            else:
                cells.append(r.value)
        rows.append(cells)
    rows.append(["", f"{ranking.root.org.name}（合计）", ranking.root.card.score,
                 *ranking.root.trend[: len(trend)], *[r.value if r.value is not None else "不计"
                                                       for r in ranking.root.card.results]])  # fmt: skip
    return Table(
        title=f"{ranking.year}年“168”机制实施情况考评计分排名",
        unit=ranking.root.org.name,
        date=ranking.day,
        columns=columns,
        widths=[5, 22, 7, *[7] * len(trend), *[9] * len(labels)],
        rows=rows,
        sheet_name="考评计分",
        row_count=len(rows),
        after=[
            ("计分方案", ranking.scheme.source),
            ("说明", "▼ 低于达标值；“不计”为没有可计的记录，该项权重按其余指标折算。"),
        ],
    )


def ranking_xlsx(ranking: Ranking) -> bytes:
    return xlsx_bytes([ranking_table(ranking)])


def card_pdf(scored, scheme, labels: list[str], year: int) -> bytes:
    today = timezone.localdate()
    html = render_to_string("scorecards/card_pdf.html", {
        "org": scored.org, "card": scored.card, "scheme": scheme, "year": year,
        "trend": list(zip(labels, scored.trend, strict=True)),
        "today": f"{today.year}年{today.month}月{today.day}日",
        "raise_list": sorted((r for r in scored.card.results if r.raise_text), key=lambda r: -r.lost),
    })  # fmt: skip
    return render_pdf(html)
