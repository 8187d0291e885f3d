"""Finding the places where a record is submitted (提交审核, 报送, 提交, 上报, 送审) beside the form that edits it.

The templates are read as written: every button whose label says submit is found with the <form> around it. A submit
button of an edit form that sends the form somewhere else (formaction) or as `action=submit` is a *save and submit*
action, named by its URL; the registry in tests/test_save_and_submit.py must know each one. A submit button in a
form with no fields of its own, on a page that has an edit form, is the shape that lost edits (the stored text went in,
not the text on the screen): the test fails on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from django.urls import get_resolver

ROOT = Path(settings.BASE_DIR)
SUBMIT_WORDS = re.compile(r"提交审核|报送|提交|上报|送审")
# URL names of views that submit a record for review or to the level above
SUBMIT_URL_NAME = re.compile(r"submit|send_up|report_up")

_URL = re.compile(r"""\{%\s*url\s+['"]([\w:-]+)['"]""")
_FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S)
_BUTTON = re.compile(r"<button\b([^>]*)>(.*?)</button>|<input\b([^>]*type=\"submit\"[^>]*)>", re.S)
_EDIT_FIELD = re.compile(
    r"\{\{\s*\w*form\b|\|crispy|as_crispy_field|<textarea\b|<select\b|<input\b(?![^>]*type=\"(?:hidden|submit)\")", re.S
)


@dataclass
class SubmitButton:
    template: str
    label: str
    url_name: str  # where the button sends the form: its formaction, else the form's action ("" = the page itself)
    combined: bool  # formaction or action=submit inside a form
    form_has_fields: bool
    page_has_edit_form: bool
    warns_unsaved: bool  # the form is marked data-warn-unsaved (static/js/unsaved.js)


def project_templates() -> list[Path]:
    found = []
    for path in ROOT.rglob("templates/**/*.html"):
        parts = path.relative_to(ROOT).parts
        if parts[0].startswith(".") or parts[0] in {"node_modules", "staticfiles"}:
            continue
        found.append(path)
    return sorted(found)


def _text(markup: str) -> str:
    markup = re.sub(r"\{%\s*(?:translate|trans)\s+['\"](.*?)['\"][^%]*%\}", r"\1", markup)
    markup = re.sub(r"\{%.*?%\}|\{\{.*?\}\}|<[^>]+>", "", markup, flags=re.S)
    return " ".join(markup.split())


def submit_buttons() -> list[SubmitButton]:
    """Every submit-labelled button of every template, with the form it belongs to."""
    found = []
    for path in project_templates():
        found += buttons_in(str(path.relative_to(ROOT)), path.read_text(encoding="utf-8"))
    return found


def buttons_in(template: str, source: str) -> list[SubmitButton]:
    found = []
    forms = list(_FORM.finditer(source))
    page_has_edit_form = any(_EDIT_FIELD.search(m.group(2)) for m in forms)
    for form in forms:
        attrs, body = form.group(1), form.group(2)
        if "post" not in attrs.lower():
            continue
        action = _URL.search(attrs)
        for button in _BUTTON.finditer(body):
            b_attrs = button.group(1) or button.group(3) or ""
            label = _text(button.group(2) or "") or _text(re.sub(r'.*value="([^"]*)".*', r"\1", b_attrs))
            if not SUBMIT_WORDS.search(label):
                continue
            formaction = re.search(r'formaction="([^"]*)"', b_attrs)
            target = _URL.search(formaction.group(1)) if formaction else action
            as_submit = re.search(r'name="action"', b_attrs) and re.search(r'value="submit"', b_attrs)
            found.append(SubmitButton(
                template=template, label=label, url_name=target.group(1) if target else "",
                combined=bool(formaction or as_submit), form_has_fields=bool(_EDIT_FIELD.search(body)),
                page_has_edit_form=page_has_edit_form, warns_unsaved="data-warn-unsaved" in attrs,
            ))
    return found


def submit_url_names() -> set[str]:
    """URL names of the project whose name says they submit."""
    names = set()

    def walk(patterns, namespace):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif p.name and SUBMIT_URL_NAME.search(p.name):
                names.add(f"{namespace}{p.name}")

    walk(get_resolver().url_patterns, "")
    return names


# ---- reading a rendered page's form the way a browser sends it ---------------------------------------------------


@dataclass
class PageForm:
    action: str
    data: dict[str, str] = field(default_factory=dict)
    buttons: list[dict[str, str]] = field(default_factory=list)


class _PageForms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[PageForm] = []
        self._form: PageForm | None = None
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self._form = PageForm(a.get("action", ""))
        if self._form is None:
            return
        name = a.get("name", "")
        if tag == "button" or (tag == "input" and a.get("type") == "submit"):
            self._form.buttons.append(a)
        elif tag == "input" and name and a.get("type") not in {"checkbox", "radio", "file"}:
            self._form.data[name] = a.get("value", "")
        elif tag == "input" and name and "checked" in a:
            self._form.data[name] = a.get("value", "on")
        elif tag == "textarea" and name:
            self._textarea = name
            self._form.data[name] = ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and ("selected" in a or self._select not in self._form.data):
            self._form.data[self._select] = a.get("value", "")

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form.data[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._form is not None and self._textarea:
            self._form.data[self._textarea] = self._form.data[self._textarea].removeprefix("\n")
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None


def page_forms(html: str) -> list[PageForm]:
    parser = _PageForms()
    parser.feed(html)
    return parser.forms


def submit_form(html: str, url: str) -> tuple[PageForm, dict[str, str]]:
    """The POST form of the page holding a submit button that sends to `url` (by formaction), and that button."""
    for form in page_forms(html):
        for button in form.buttons:
            if button.get("formaction") == url:
                return form, button
    raise AssertionError(f"no form on the page has a submit button sending to {url}")
