"""`date_field`: a required date input laid out exactly as crispy-forms' bootstrap5 `as_crispy_field` lays it out,
byte for byte, written out here instead of through crispy's field templates and Django's widget templates (the
calendar page shows up to sixteen of them, and those templates cost more than the rest of the page). Any other field
goes to crispy itself. tests/test_years_calendar_fields.py holds the two renderings equal."""

from __future__ import annotations

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

register = template.Library()

_OPEN = '\n\n\n    \n    <div id="div_{id}" class="mb-3">\n        \n'
_LABEL = (
    '            \n            <label\n                for="{for_}" class="form-label requiredField">\n'
    '                {label}<span class="asteriskField">*</span>\n            </label>\n        \n'
)
_WIDGET = '\n        \n\n        \n            \n                \n                    \n                        {widget}'
_AFTER_WIDGET = "\n                    \n                    \n                        \n\n\n    \n"
_ERRORS = '    <div id="{id}_error" class="invalid-feedback">\n    \n{errors}    </div>\n\n'
_ERROR = '        <p id="error_{n}_{id}"><strong>{error}</strong></p>\n    \n'
_CLOSE = "\n\n\n\n    \n\n\n\n                    \n                \n            \n        \n        \n    </div>\n    \n\n"


def _plain_date_input(field) -> bool:
    return (
        type(field.field.widget) is forms.DateInput
        and field.field.widget.template_name == "django/forms/widgets/date.html"
        and type(field.form.renderer) is DjangoTemplates
        and not field.field.localize
        and not field.field.disabled
        and field.field.required
        and not field.help_text
        and getattr(field.form, "helper", None) is None
        and not field.field.show_hidden_initial
        and not field.css_classes()
        and bool(field.auto_id)
    )


def _s(value) -> str:
    """`{{ value|stringformat:'s' }}` under autoescape."""
    return str(value) if isinstance(value, SafeData) else conditional_escape(str(value))


def _input(field) -> str:
    """str(field): Django's date.html (input.html and attrs.html) written out, for the plain input checked above."""
    widget = field.field.widget
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    w = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    value = "" if w["value"] is None else f' value="{_s(w["value"])}"'
    rest = "".join(
        f" {conditional_escape(name)}" if v is True else f' {conditional_escape(name)}="{_s(v)}"'
        for name, v in w["attrs"].items()
        if v is not False
    )
    return f'<input type="{conditional_escape(w["type"])}" name="{conditional_escape(w["name"])}"{value}{rest}>'


@register.filter
def date_field(field):
    """`{{ form.day|date_field }}`: the same HTML as `{{ form.day|as_crispy_field }}`."""
    if not _plain_date_input(field):
        return as_crispy_field(field)
    widget = field.field.widget
    # the classes crispy's {% crispy_field %} gives the input: the widget's own, its class name, then bootstrap's
    converters = getattr(settings, "CRISPY_CLASS_CONVERTERS", {})
    name = converters.get("dateinput", "dateinput")
    css = widget.attrs.get("class", "")
    css = (css + f" {name}" if css.find(name) == -1 else css) if css else name
    for extra in ("form-control", "is-invalid") if field.errors else ("form-control",):
        if extra not in css.split():
            css += " " + extra
    widget.attrs["class"] = css
    auto_id = conditional_escape(field.auto_id)
    out = [_OPEN.format(id=auto_id)]
    if field.label:
        out.append(_LABEL.format(for_=conditional_escape(field.id_for_label), label=conditional_escape(field.label)))
    out.append(_WIDGET.format(widget=_input(field)))
    out.append(_AFTER_WIDGET)
    if field.errors:
        errors = "".join(
            _ERROR.format(n=n, id=auto_id, error=conditional_escape(error)) for n, error in enumerate(field.errors, 1)
        )
        out.append(_ERRORS.format(id=conditional_escape(field.errors.field_id), errors=errors))
    out.append(_CLOSE)
    return mark_safe("".join(out))
