"""A number beyond 64 bits in a choice or number field is refused by the form (a 400 with a Chinese message), never
an OverflowError in the database lookup (a 500). The project's forms are enumerated: every model choice field is one
of machinery.forms' range-checked ones, and every plain integer field has bounds. (The fuzzing in
tests/test_hardening_fuzz.py posts huge numbers into every such field of every page's forms.)"""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from machinery.forms import OUT_OF_RANGE, IdRangeMixin, ModelMultipleChoiceField, check_in_range
from tests.test_hardening_edit_forms import project_apps

HUGE = "99999999999999999999"
MESSAGE = str(OUT_OF_RANGE).split("“")[-1].split("”")[-1]  # the words after the value


def forms_modules() -> dict[str, object]:
    found = {}
    for app in project_apps():
        try:
            found[app] = importlib.import_module(f"{app}.forms")
        except ModuleNotFoundError:
            continue
    return found


def form_classes() -> dict[str, type[forms.BaseForm]]:
    return {
        f"{app}.forms.{name}": cls
        for app, module in forms_modules().items()
        for name, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, forms.BaseForm) and cls.__module__.startswith(f"{app}.forms")
    }


def test_every_model_choice_field_checks_the_range_of_its_ids():
    unchecked = [f"{name}.{field}" for name, cls in form_classes().items() for field, f in cls.base_fields.items()
                 if isinstance(f, forms.ModelChoiceField) and not isinstance(f, IdRangeMixin)]
    assert not unchecked, f"use machinery.forms.ModelChoiceField / ModelMultipleChoiceField: {unchecked}"
    # fields made in __init__ (not in base_fields) are found in the source
    made_later = []
    for app, module in forms_modules().items():
        text = Path(module.__file__).read_text(encoding="utf-8")
        made_later += [f"{app}: {m}" for m in re.findall(r"forms\.Model(?:Multiple)?ChoiceField\(", text)]
    assert not made_later, f"use machinery.forms' model choice fields: {made_later}"


def test_every_plain_integer_field_has_bounds():
    """A ModelForm's own integer fields are bounded by the model field (Django gives every model IntegerField the
    database's range as validators); every other integer field carries min and max."""
    unbounded = []
    for name, cls in form_classes().items():
        model_fields = set()
        if issubclass(cls, forms.ModelForm) and cls._meta.model is not None:
            model_fields = {f.name for f in cls._meta.model._meta.get_fields()}
        for field, f in cls.base_fields.items():
            if isinstance(f, forms.IntegerField) and field not in model_fields:
                if f.max_value is None or f.min_value is None:
                    unbounded.append(f"{name}.{field}")
    assert not unbounded, f"integer fields without bounds (use machinery.forms.IntegerField): {unbounded}"


@pytest.mark.parametrize("value", [HUGE, str(2**63), f"-{HUGE}", [HUGE, "1"], " 18446744073709551617 "])
def test_it_refuses_a_number_beyond_64_bits(value):
    with pytest.raises(ValidationError) as caught:
        check_in_range(value)
    assert caught.value.code == "out_of_range" and MESSAGE in caught.value.messages[0]
    check_in_range([str(2**63 - 1), str(-(2**63)), "abc", "", None])  # what the database holds passes


@pytest.mark.django_db
def test_a_multiple_choice_of_ids_refuses_a_huge_one_before_the_query(world):
    from organizations.models import Organization

    field = ModelMultipleChoiceField(queryset=Organization.objects.all())
    with pytest.raises(ValidationError, match=MESSAGE):
        field.clean([str(world.school_b.pk), HUGE])
    assert list(field.clean([str(world.school_b.pk)])) == [world.school_b]


# ---- the pages that used to answer 500 ---------------------------------------------------------------------------


@pytest.fixture
def items(world):
    from posts.selectors import this_year
    from tests.targets_fixtures import make_item, make_plan

    plan = make_plan(world.school_b, world.user("school_b_secretary"), year=this_year())
    return plan, make_item(plan, world.user("school_b_secretary"))


@pytest.mark.django_db
def test_the_post_and_meeting_forms_refuse_a_huge_target_item(world, items):
    from posts.models import Post
    from targets import services as targets
    from targets.models import DecisionMeeting
    from tests.posts_fixtures import make_post

    plan, item = items
    opinion = targets.opinion_add(plan=plan, content="多开展示范课")  # an adopted opinion: the meeting form lists it
    targets.opinion_sort(opinion=opinion, category="teachers", decision="adopted", reply="采纳",
                         by=world.user("school_b_secretary"))
    client = Client()
    client.force_login(world.user("school_b_secretary"))
    post = make_post(world.school_b, by=world.user("school_b_secretary"), year=plan.year)
    base = {"name": "示范岗", "duties": "上示范课", "role": "party_member", "capacity": "2",
            "target_items": [str(item.pk), HUGE]}
    posts_before = Post.objects.count()
    for url, data in [
        (reverse("posts:post_create", args=[world.school_b.pk]) + f"?year={plan.year}", base),
        (reverse("posts:post_edit", args=[post.pk]), {**base, "version": str(post.version)}),
        (reverse("targets:meeting_create", args=[plan.pk]),
         {"kind": "committee", "held_on": f"{plan.year}-03-01", "attendees": "班子成员", "attendee_count": "5",
          "resolution": "通过计划", "adopted_opinions": [HUGE]}),
    ]:
        r = client.post(url, data)
        assert r.status_code == 400, (url, r.status_code)
        assert MESSAGE in r.content.decode(), url
    assert Post.objects.count() == posts_before and not DecisionMeeting.objects.filter(plan=plan).exists()
    assert Post.objects.get(pk=post.pk).name == "党员示范岗"
