"""Form widgets written out in Python, for pages that show many of them (the Annex 1 grid: a dozen widgets a row).

Django renders each widget through its template engine (input.html including attrs.html, select.html including one
select_option.html per choice): most of a grid row's cost. `FastWidgetRenderer` writes the same markup, byte for
byte, for the plain widgets whose templates are Django's own (no app overrides them); any other template (forms,
formsets, option groups, non-text values) is rendered by the templates as before. tests/test_targets_grid.py holds
the two renderings equal.
"""

from __future__ import annotations

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.safestring import SafeData

_INPUTS = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in ("input", "text", "number", "email", "url", "password", "hidden", "date", "time", "datetime",
                 "checkbox", "search", "tel", "color")
)  # fmt: skip
_SELECT = "django/forms/widgets/select.html"
_OPTION = "django/forms/widgets/select_option.html"
_TEXTAREA = "django/forms/widgets/textarea.html"


_CRISPY_PLAIN = (forms.TextInput, forms.NumberInput, forms.EmailInput, forms.URLInput, forms.Textarea, forms.DateInput,
                 forms.Select)


class _Fallback(Exception):
    """A value the templates would render otherwise than plain text (localized numbers, dates, option groups)."""


def _s(value) -> str:
    """`{{ value|stringformat:'s' }}` under autoescape."""
    text = str(value)
    return text if isinstance(value, SafeData) else escape(text)


def _text(value) -> str:
    """`{{ value }}` for a text value under autoescape (anything else goes to the templates)."""
    if isinstance(value, SafeData):
        return str(value)
    if isinstance(value, (str, Promise)):
        return escape(str(value))
    raise _Fallback


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html"""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {_text(name)}" if value is True else f' {_text(name)}="{_s(value)}"')
    return "".join(out)


def _input(w: dict) -> str:
    value = "" if w["value"] is None else f' value="{_s(w["value"])}"'
    return f'<input type="{_text(w["type"])}" name="{_text(w["name"])}"{value}{_attrs(w["attrs"])}>'


def _select(w: dict) -> str:
    options = []
    for group_name, group_choices, _index in w["optgroups"]:
        if group_name:
            raise _Fallback
        for option in group_choices:
            if option["template_name"] != _OPTION:
                raise _Fallback
            options.append(
                f'\n  <option value="{_s(option["value"])}"{_attrs(option["attrs"])}>{_text(option["label"])}</option>\n'
            )
    return f'<select name="{_text(w["name"])}"{_attrs(w["attrs"])}>{"".join(options)}\n</select>'


def _textarea(w: dict) -> str:
    value = _text(w["value"]) if w["value"] else ""
    return f'<textarea name="{_text(w["name"])}"{_attrs(w["attrs"])}>\n{value}</textarea>'


class FastWidgetRenderer(DjangoTemplates):
    """The default renderer, with the plain widgets' markup written directly."""

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if widget is not None:
            try:
                if template_name in _INPUTS:
                    return _input(widget)
                if template_name == _SELECT:
                    return _select(widget)
                if template_name == _TEXTAREA:
                    return _textarea(widget)
            except _Fallback:
                pass
        return super().render(template_name, context, request=request)


RENDERER = FastWidgetRenderer()


def crispy_classes(form) -> None:
    """Give a form's text, date and select widgets that have no class yet the classes crispy's bootstrap5 field
    template adds (the widget's class name, then form-control or form-select): an unbound form is then written by
    targets/_blank_field.html without crispy's templates, and a bound one, which may carry errors, still through
    crispy, which keeps classes already there."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, _CRISPY_PLAIN) and "class" not in widget.attrs:
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = f"{type(widget).__name__.lower()} {css}"
