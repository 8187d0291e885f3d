"""Reading an uploaded roster sheet (名册导入), bounded to the template's columns. The rules that check the values are
in organizations.roster.rules; this module only gets the cells out of an untrusted workbook, at a cost that depends on
the template's width and the rows, never on how wide the sheet claims or pretends to be.

- The archive's declared sizes are checked before anything is inflated (zip bomb).
- The sheet's declared size (its <dimension>) is checked before any row is read: more rows than allowed, or a width
  far beyond the template (past MAX_COLUMNS), is refused with the column named. Then the declaration is dropped, so a
  sheet that lies about its size is read as its cells go.
- The header row is read as it stands; a non-empty header cell past the template's columns is refused with the column
  named (the error file's own “错误说明” column right after the template's is allowed: it is handed back to be fixed).
- Data rows are read up to the template's width only (openpyxl would otherwise pad every row to the widest column);
  a value past it, in a data row, is never read.
- The workbook is opened with formulas (not their cached values): a formula cell is reported, so the caller can refuse
  it by row and column. A cell whose text only looks like a formula (“=1+1” typed as text) is a string and stays one.
"""

from __future__ import annotations

import contextlib
import gc
import unicodedata
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

MAX_COLUMNS = 52  # a declared width past column AZ is not a filled-in template (a note or two beside it is ignored)
# zero-width space, non-joiner, joiner, byte-order mark, word joiner: invisible, yet they make two names differ
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff\u2060"))


def normalize(text: str) -> str:
    """Text as it is compared and stored: NFKC (full-width letters, digits and punctuation become half-width), zero-width
    characters removed, surrounding white space trimmed."""
    if text.isascii():  # NFKC leaves ASCII unchanged
        return text.strip()
    return unicodedata.normalize("NFKC", text).translate(_ZERO_WIDTH).strip()


@dataclass
class Sheet:
    header: tuple = ()
    numbers: list[int] = field(default_factory=list)  # the sheet's row number of each non-blank data row
    rows: list[tuple] = field(default_factory=list)  # its values, exactly `width` of them
    formulas: list[tuple[int, int]] = field(default_factory=list)  # (index in rows, column index) of formula cells


def check_inflated_size(f, max_mb: int) -> None:
    """Refuse, from the archive's directory alone, a workbook that would inflate beyond `max_mb` (zip bomb).

    Python's zipfile never reads past a member's declared size, so the declared sizes bound what openpyxl reads."""
    f.seek(0)
    try:
        with zipfile.ZipFile(f) as zf:
            inflated = sum(info.file_size for info in zf.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ValidationError(_("无法读取这个 Excel 文件，请用模板重新保存后上传")) from exc
    if inflated > max_mb * 1024 * 1024:
        raise ValidationError(_("文件解压后过大，不像是正常的名册，请用模板重新填写后上传"))


@contextlib.contextmanager
def collector_paused():
    """Reading a sheet makes hundreds of thousands of small objects and keeps every row: Python's cycle collector
    would walk the growing heap again and again (about a tenth of the read in a fresh process, more in a long-lived
    one with a larger heap). The rows hold no reference cycles, so the collector is paused for the read and resumed
    after; whatever cycles openpyxl leaves are collected then."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _too_wide(column: int, width: int) -> dict:
    return {"col": get_column_letter(column), "last": get_column_letter(width)}


def _blank(value) -> bool:
    return value is None or (type(value) is str and not normalize(value))


def read_sheet(ws, *, width: int, max_rows: int, extra_header: str) -> Sheet:
    """The header and the non-blank data rows of a read-only worksheet opened with data_only=False."""
    too_many = _("行数过多：一次最多导入 %(n)s 行") % {"n": max_rows}
    if ws.max_row is not None and ws.max_row > max_rows + 1:
        raise ValidationError(too_many)
    if ws.max_column is not None and ws.max_column > MAX_COLUMNS:
        raise ValidationError(
            _("表格的范围一直到 %(col)s 列，远超模板的 A–%(last)s 列：请删除模板以外的列后重新上传")
            % _too_wide(ws.max_column, width)
        )
    ws.reset_dimensions()  # from here on the cells themselves tell the size
    sheet = Sheet()
    header = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), None)
    if header is None:
        raise ValidationError(_("文件是空的，请使用模板填写"))
    for column, value in enumerate(header[width:], start=width + 1):
        text = normalize(value) if type(value) is str else "" if value is None else str(value)
        if text and not (column == width + 1 and text == extra_header):
            raise ValidationError(
                _("第 1 行 %(col)s 列“%(text)s”超出了模板的列（A–%(last)s）：请删除模板以外的列后重新上传")
                % {**_too_wide(column, width), "text": text[:20]}
            )
    sheet.header = header[:width]
    for number, cells in enumerate(ws.iter_rows(min_row=2, max_col=width), start=2):
        if number > max_rows + 1:
            raise ValidationError(too_many)
        values = tuple(cell.value for cell in cells)
        if all(_blank(v) for v in values):
            continue
        for column, cell in enumerate(cells):
            if cell.data_type == "f":
                sheet.formulas.append((len(sheet.rows), column))
        sheet.numbers.append(number)
        sheet.rows.append(values)
    return sheet
