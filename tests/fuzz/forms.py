"""Finding the project's forms and generating hostile input for them.

Forms are found the way a user finds them: by signing in as the legitimate owner, opening every page of the access
matrix and reading its <form method="post"> (and hx-post) elements; URLs that take POST without a form on a page are
found by trying (a POST that is not answered 405). Values come from hypothesis strategies: plausible input (so that
forms validate and the services run) mixed with huge strings, control characters, wrong types, dates out of range,
ids of other organizations' records, empty values, repeated keys and disguised files.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import strategies as st


@dataclass
class Field:
    name: str
    kind: str = "text"  # input type, or "select", "textarea", "file"
    options: list[str] = field(default_factory=list)
    value: str = ""
    multiple: bool = False
    initial: list[str] = field(default_factory=list)  # what the browser would submit untouched


@dataclass
class Form:
    action: str
    fields: dict[str, Field] = field(default_factory=dict)
    multipart: bool = False

    def merge(self, other: Form) -> None:
        for name, f in other.fields.items():
            self.fields.setdefault(name, f)
        self.multipart = self.multipart or other.multipart


class _FormParser(HTMLParser):
    """Collects POST forms (and hx-post elements) with their fields from one page."""

    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None
        self._hx: list[Form] = []

    def _url(self, action: str | None) -> str:
        if not action:
            return self.page_url
        parts = urlsplit(action)
        if parts.scheme or parts.netloc:
            return ""  # another site: not ours to fuzz
        if not parts.path.startswith("/"):
            return self.page_url
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        hx = a.get("hx-post")
        if hx is not None:
            target = Form(self._url(hx) or self.page_url)
            if self._form is not None:
                self._hx.append(target)  # gets the enclosing form's fields at its end
            else:
                if a.get("name"):
                    target.fields[a["name"]] = Field(a["name"], value=a.get("value", ""))
                self.forms.append(target)
        if tag == "form":
            method = a.get("method", "get").lower()
            if method == "post" or hx is not None:
                url = self._url(a.get("action"))
                self._form = Form(url, multipart="multipart" in a.get("enctype", "")) if url else None
            return
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in {"submit", "button", "image", "reset"} and not a.get("value"):
                return
            checked = "checked" in a
            current = self._form.fields.get(name)
            if current is not None and kind in {"radio", "checkbox"}:
                current.options.append(a.get("value", "on"))
                current.multiple = current.multiple or kind == "checkbox"
                if checked:
                    current.initial.append(a.get("value", "on"))
                return
            options = [a.get("value", "on")] if kind in {"radio", "checkbox"} else []
            initial = [a.get("value", "on")] if checked else []
            if kind not in {"radio", "checkbox", "file", "submit", "button", "image", "reset"}:
                initial = [a.get("value", "")]
            self._form.fields[name] = Field(name, kind, options, a.get("value", ""), initial=initial)
            if kind == "file":
                self._form.multipart = True
        elif tag == "textarea" and name:
            self._textarea = Field(name, "textarea", initial=[""])
            self._form.fields[name] = self._textarea
        elif tag == "select" and name:
            self._select = Field(name, "select", multiple="multiple" in a)
            self._form.fields[name] = self._select
        elif tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))
            if "selected" in a:
                self._select.initial.append(a.get("value", ""))
        elif tag == "button" and name:
            self._form.fields.setdefault(name, Field(name, "submit", [], a.get("value", "")))
            self._form.fields[name].options.append(a.get("value", ""))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.initial[0] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            if self._textarea is not None and self._textarea.initial[0].startswith("\n"):
                self._textarea.initial[0] = self._textarea.initial[0][1:]  # HTML drops a leading newline
            self._textarea = None
        elif tag == "select":
            if self._select is not None and not self._select.initial and self._select.options and not self._select.multiple:
                self._select.initial.append(self._select.options[0])
            self._select = None
        elif tag == "form" and self._form is not None:
            self.forms.append(self._form)
            for hx in self._hx:
                hx.merge(self._form)
                self.forms.append(hx)
            self._form, self._hx = None, []


def initial_data(form: Form) -> dict[str, list[str]]:
    """What submitting the form untouched would send."""
    return {name: list(f.initial) for name, f in form.fields.items() if f.initial and f.kind != "submit"}


def forms_on(html: str, page_url: str) -> list[Form]:
    parser = _FormParser(page_url)
    try:
        parser.feed(html)
    except Exception:  # noqa: BLE001 - a malformed page still yields the forms seen so far
        pass
    return [f for f in parser.forms if f.action]


# ---- values -----------------------------------------------------------------------------------------------------

NASTY_TEXT = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x01\x02\x07\x08\x1b[31m\x7f",
    "\r\n\r\n",
    "\u202e乙校\u202c",
    "\ufeff",
    "\ud7ff\ue000\uffff",
    "💥" * 50,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "'; DROP TABLE organizations_member; --",
    "{{ 7*7 }}{% debug %}",
    "../../../../etc/passwd",
    "%s%s%s%n",
    "null",
    "None",
    "[]",
    "{}",
    "true",
    "NaN",
]
NASTY_NUMBERS = [
    "-1",
    "0",
    "1.5",
    "1e309",
    "-1e309",
    "nan",
    "inf",
    "99999999999999999999999999",
    str(2**31),
    str(2**63),
    str(2**64),
    "0x10",
    "１２",
    "12abc",
]
NASTY_DATES = [
    "0000-00-00",
    "0001-01-01",
    "1899-12-31",
    "9999-12-31",
    "10000-01-01",
    "2026-02-30",
    "2026-13-01",
    "2026-00-10",
    "-2026-01-01",
    "2026年11月25日",
    "25/11/2026",
    "2026-11-25T25:61:61",
    "2026-11-25 12:00:00+99:00",
]
PLAUSIBLE_TEXT = ["测试内容", "完成情况良好", "组织开展主题党日活动", "12", "2026", "甲校", "张三"]


def _huge() -> st.SearchStrategy[str]:
    return st.sampled_from([1_000, 10_000, 100_000, 1_000_000]).flatmap(
        lambda n: st.sampled_from(["A" * n, "乙" * n, "\x00" * min(n, 1000), "1" * n])
    )


def nasty_values(other_ids: list[int]) -> st.SearchStrategy[str]:
    control = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x1F), min_size=1, max_size=20)
    return st.one_of(
        st.sampled_from(NASTY_TEXT),
        st.sampled_from(NASTY_NUMBERS),
        st.sampled_from(NASTY_DATES),
        st.sampled_from([str(i) for i in other_ids] or ["1"]),
        _huge(),
        control,
        st.text(max_size=40),
        st.integers().map(str),
        st.dates().map(lambda d: d.isoformat()),
    )


def plausible_value(f: Field) -> st.SearchStrategy[str]:
    if f.options:
        return st.sampled_from(f.options)
    if f.kind == "date":
        return st.dates(min_value=__import__("datetime").date(2020, 1, 1)).map(lambda d: d.isoformat())
    if f.kind == "number":
        return st.integers(min_value=0, max_value=100).map(str)
    if f.kind == "email":
        return st.just("someone@example.edu.cn")
    if f.kind in {"hidden", "submit"}:
        return st.just(f.value)
    return st.sampled_from(PLAUSIBLE_TEXT + ([f.value] if f.value else []))


# ---- files ------------------------------------------------------------------------------------------------------

PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
PDF_SMALL = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\n" \
    b"trailer<</Root 1 0 R>>\n%%EOF\n"


def _template_xlsx(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def zip_bomb_xlsx(uncompressed_mb: int = 100, header: list | None = None) -> bytes:
    """A real workbook (a few hundred KB) whose first worksheet inflates to `uncompressed_mb` MB of XML."""
    source = zipfile.ZipFile(io.BytesIO(_template_xlsx([header or ["姓名"]])))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                zf.writestr(info.filename, source.read(info.filename))
                continue
            xml = source.read(info.filename).decode()
            head, tail = xml.split("</sheetData>", 1)
            with zf.open(info.filename, "w", force_zip64=True) as sheet:
                sheet.write(head.encode())
                chunk = b" " * (1024 * 1024)
                for _ in range(uncompressed_mb):
                    sheet.write(chunk)
                sheet.write(("</sheetData>" + tail).encode())
    return buf.getvalue()


def sheetless_xlsx() -> bytes:
    """An .xlsx that is a valid OOXML package but holds no worksheet."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sheet.main+xml"/></Types>',
        )
        zf.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook/>')
    return buf.getvalue()


def many_rows_xlsx(header: list, row: list, rows: int = 20_000) -> bytes:
    """A real workbook with far more rows than any import takes."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(header)
    for _ in range(rows):
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def corrupt_files() -> dict[str, tuple[str, bytes]]:
    """label → (file name, content): wrong types disguised by their extension, empty and broken files."""
    return {
        "exe as pdf": ("证明材料.pdf", b"MZ\x90\x00" + b"\x00" * 200),
        "html as png": ("photo.png", b"<html><script>alert(1)</script></html>"),
        "png as xlsx": ("名册.xlsx", PNG_1PX),
        "pdf as xlsx": ("名册.xlsx", PDF_SMALL),
        "text as docx": ("总结.docx", "这不是 Word 文件".encode()),
        "zip (not office) as xlsx": ("名册.xlsx", _plain_zip()),
        "truncated xlsx": ("名册.xlsx", _plain_zip()[:40]),
        "xlsx without a worksheet": ("名册.xlsx", sheetless_xlsx()),
        "svg with script as image": ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        "empty": ("空文件.pdf", b""),
        "double extension": ("材料.pdf.exe", PDF_SMALL),
        "no extension": ("材料", PDF_SMALL),
        "path in name": ("../../../etc/passwd.pdf", PDF_SMALL),
        "nul in name": ("a\x00.pdf", PDF_SMALL),
        "valid png": ("photo.png", PNG_1PX),
        "valid pdf": ("材料.pdf", PDF_SMALL),
    }


def _plain_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("readme.txt", "not a workbook")
    return buf.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def form_data(form: Form, other_ids: list[int]) -> st.SearchStrategy[dict]:
    """A strategy for one POST body of `form`: each field plausible, hostile, repeated or left out."""
    files = list(corrupt_files().values())
    nasty = nasty_values(other_ids)
    parts = {}
    for name, f in form.fields.items():
        if name == "csrfmiddlewaretoken":
            continue
        if f.kind == "file":
            value = st.sampled_from(files).map(lambda nc: upload(*nc))
        else:
            single = st.one_of(plausible_value(f), plausible_value(f), nasty)
            value = st.one_of(single, st.lists(single, min_size=2, max_size=3))
        parts[name] = st.one_of(st.none(), value, value, value)
    extra = st.dictionaries(st.sampled_from(["id", "pk", "organization", "member", "version", "state", "year"]), nasty,
                            max_size=2)
    return st.tuples(st.fixed_dictionaries(parts), extra).map(
        lambda pe: {**pe[1], **{k: v for k, v in pe[0].items() if v is not None}}
    )
