"""Forms shown blank on busy pages are written without crispy's templates (targets/_blank_field.html, the widgets
by targets.widgets): the same markup as crispy's, but for whitespace."""

import re

import pytest
from django.template import engines

from evaluations.forms import AbsenceForm
from targets.forms import ReviewForm


def _as_before(form):
    """The form as crispy got it before: widgets without the classes crispy adds itself."""
    for field in form.fields.values():
        field.widget.attrs.pop("class", None)
    return form


def _squeeze(html: str) -> str:
    html = re.sub(r"<label\s+for", "<label for", html)
    return re.sub(r"\s+<", "<", re.sub(r">\s+", ">", html)).strip()


@pytest.mark.parametrize("make", [ReviewForm, lambda: AbsenceForm(initial={"member": 7, "part": "self"}, auto_id="id_a_7_%s")])
def test_a_blank_form_is_written_as_crispy_writes_it(make):
    django = engines["django"]
    crispy = django.from_string("{% load crispy_forms_filters %}{% for f in form.visible_fields %}{{ f|as_crispy_field }}{% endfor %}")
    blank = django.from_string('{% for f in form.visible_fields %}{% include "targets/_blank_field.html" %}{% endfor %}')
    assert _squeeze(blank.render({"form": make()})) == _squeeze(crispy.render({"form": _as_before(make())}))


def test_the_review_form_reads_as_with_crispy_whole():
    crispy = engines["django"].from_string("{% load crispy_forms_tags %}{{ form|crispy }}")
    blank = engines["django"].from_string('{% for f in form %}{% include "targets/_blank_field.html" %}{% endfor %}')
    assert _squeeze(blank.render({"form": ReviewForm()})) == _squeeze(crispy.render({"form": _as_before(ReviewForm())}))
