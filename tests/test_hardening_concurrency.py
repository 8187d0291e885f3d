"""Two people editing the same record: the stale save writes nothing, and its page shows the newer data with the
user's input kept. Pages are found, not listed: every access-matrix page whose form carries a hidden `version`."""

from __future__ import annotations

import contextlib
import re
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import resolve, reverse

from machinery.locking import (
    STALE_MESSAGE,
    VersionedFormMixin,
    check_version,
    is_stale_error,
    save_versioned,
)
from tests.evaluations_fixtures import FROZEN_TODAY, on_day
from tests.fuzz.cases import all_cases
from tests.fuzz.forms import Field, Form, forms_on, initial_data

STALE_TEXT = str(STALE_MESSAGE)
# pages that must be among the versioned ones once their app has them
EXPECTED = {
    "targets:plan_edit",
    "targets:item_edit",
    "posts:commitment_edit",
    "reports:quarterly_detail",
    "evaluations:assessment",
    "organizations:member_edit",
    "organizations:demonstration_edit",
    "posts:post_edit",
    "evaluations:settings",
    "targets:opinion_sort",
    "targets:longterm_outcome",
}
# a free-text field whose value must keep a shape (the poll scale: one "name=score" a line) gets the text in that shape
SHAPED = {"scale_text": "{}=100\n差=0"}
TOKENS = ("version", "fingerprint")  # the hidden field that carries what the user started from


def _is_token(name: str) -> bool:
    """`version`, `fingerprint`, or one of them under a form prefix (`o12-fingerprint` on a list of records)."""
    return name.rsplit("-", 1)[-1] in TOKENS
# state transitions carry the version too, but a second submit/accept is refused by state, not by version
TRANSITIONS = ("create", "new", "submit", "accept", "return", "approve", "publish", "status", "delete", "reopen", "close")


# ---- the helper, at the service level ----------------------------------------------------------------------------


@pytest.fixture
def plan(world):
    from targets.enums import PlanTheme
    from targets.models import AnnualPlan

    return AnnualPlan.objects.create(
        organization=world.school_b, year=2026, theme=PlanTheme.DEDICATION, featured_work="原有特色工作"
    )


@pytest.mark.django_db
def test_it_saves_with_the_expected_version_and_counts_up(plan, world):
    plan.featured_work = "甲的修改"
    plan._history_user = world.user("school_b_secretary")
    save_versioned(plan, fields=["featured_work"], expected_version=1)
    plan.refresh_from_db()
    assert (plan.version, plan.featured_work) == (2, "甲的修改")
    latest = plan.history.latest()
    assert latest.featured_work == "甲的修改" and latest.history_user == world.user("school_b_secretary")


@pytest.mark.django_db
def test_it_refuses_a_stale_save_and_writes_nothing(plan):
    from targets.models import AnnualPlan

    first, second = AnnualPlan.objects.get(pk=plan.pk), AnnualPlan.objects.get(pk=plan.pk)
    first.featured_work = "甲的修改"
    save_versioned(first, fields=["featured_work"], expected_version=1)
    second.featured_work, second.theory_research = "乙的修改", "乙的调研"
    history_before = plan.history.count()
    with pytest.raises(ValidationError) as caught:
        save_versioned(second, fields=["featured_work", "theory_research"], expected_version=1)
    assert caught.value.messages == [STALE_TEXT] and is_stale_error(caught.value)
    plan.refresh_from_db()
    assert (plan.version, plan.featured_work, plan.theory_research) == (2, "甲的修改", "")
    assert plan.history.count() == history_before


@pytest.mark.django_db
@pytest.mark.parametrize("submitted", [None, "", "abc", "1.5", "\x00", "9" * 40, -1, 2])
def test_it_treats_a_missing_or_garbled_version_as_stale(plan, submitted):
    with pytest.raises(ValidationError, match="此记录已被他人修改"):
        check_version(plan, submitted)
    plan.featured_work = "不应保存"
    with pytest.raises(ValidationError):
        save_versioned(plan, fields=["featured_work"], expected_version=submitted)
    plan.refresh_from_db()
    assert plan.featured_work == "原有特色工作" and plan.version == 1


@pytest.mark.django_db
def test_it_carries_the_version_in_a_hidden_field(plan):
    from django import forms

    from targets.models import AnnualPlan

    class PlanForm(VersionedFormMixin, forms.ModelForm):
        class Meta:
            model = AnnualPlan
            fields = ["featured_work"]

    html = str(PlanForm(instance=plan))
    assert 'type="hidden" name="version" value="1"' in html
    bound = PlanForm({"featured_work": "乙的修改", "version": "1"}, instance=plan)
    assert bound.is_valid()
    plan.version = 5
    bound.refresh_version(plan)
    assert bound.data["version"] == 5 and bound.data["featured_work"] == "乙的修改"
    assert not PlanForm({"featured_work": "x"}, instance=plan).is_valid()


# ---- two clients on every versioned edit page --------------------------------------------------------------------


def _text_field(form: Form) -> Field | None:
    coded = ("phone", "tel", "staff_no", "code", "username", "email", "year")
    texts = [f for f in form.fields.values() if f.kind == "text" and not _is_token(f.name)
             and not any(c in f.name for c in coded)]
    candidates = [f for f in form.fields.values() if f.kind == "textarea"]
    candidates += [f for f in texts if CJK.search(" ".join(f.initial))]  # free text, not a code or a number
    candidates += texts
    return candidates[0] if candidates else None


CJK = re.compile(r"[\u4e00-\u9fff]")


def versioned_pages(world) -> list[dict]:
    """Every edit that carries a version: POST forms with a hidden version on matrix pages, and POST-only matrix
    entries whose data holds a version (their form lives on a page the matrix does not open)."""
    found: dict[str, dict] = {}
    client = Client()
    for name, case in all_cases(world):
        if not case.owner or case.public:
            continue
        url = reverse(name, kwargs=case.kwargs)
        if any(word in name.split(":")[-1] for word in TRANSITIONS):
            continue
        if case.method == "post":
            data = {k: [str(x) for x in v] if isinstance(v, list) else [str(v)] for k, v in (case.data or {}).items()}
            text = [k for k, v in data.items() if k != "version" and CJK.search(" ".join(v))]
            if "version" in data and text:
                found.setdefault(name, dict(name=name, page=None, action=url, owner=case.owner, data=data,
                                            field=text[0]))
            continue
        client.force_login(world.user(case.owner))
        r = client.get(url)
        if r.status_code != 200 or "html" not in r.get("Content-Type", ""):
            continue
        for form in forms_on(r.content.decode(), url):
            token = next((f for n, f in form.fields.items() if _is_token(n)), None)
            field = _text_field(form)
            if token is None or token.kind != "hidden" or field is None:
                continue
            action_name = resolve(form.action.split("?")[0]).view_name
            if any(word in action_name.split(":")[-1] for word in TRANSITIONS):
                continue
            found.setdefault(action_name, dict(name=action_name, page=url, action=form.action, owner=case.owner,
                                               data=None, field=field.name))
    return sorted(found.values(), key=lambda p: p["name"])


def _form_data(client, page: dict, fill: bool = True) -> dict:
    if page["page"] is None:
        return {k: list(v) for k, v in page["data"].items()}
    form = next(f for f in forms_on(client.get(page["page"]).content.decode(), page["page"])
                if f.action == page["action"] and any(_is_token(n) for n in f.fields))
    data = initial_data(form)
    # fill what a user must type before a first save (a score, a date) with something valid
    for name, f in form.fields.items():
        if fill and data.get(name, [""]) in ([], [""]):
            if f.kind == "number":
                data[name] = ["80"]
            elif f.kind == "date":
                data[name] = ["2026-06-30"]
            elif f.options and f.kind not in {"checkbox", "radio"}:
                data[name] = [next((o for o in f.options if o), f.options[0])]
    return data


@pytest.mark.django_db
def test_it_loses_no_update_on_any_versioned_page(world):
    from tests.test_access_matrix import project_urls

    pages = versioned_pages(world)
    names = {p["name"] for p in pages}
    missing = sorted(n for n in EXPECTED if n in project_urls() and n not in names)
    assert not missing, f"edit pages without a hidden version field: {missing}"
    lost = []
    for page in pages:
        name = page["name"]
        # rating records accept writes only inside their window: the evaluations fixtures are built on FROZEN_TODAY
        with on_day(FROZEN_TODAY) if name.startswith("evaluations:") else contextlib.nullcontext():
            lost.extend(_concurrent_edit(world, page))
    print(f"\nconcurrent edits: {len(pages)} versioned edits ({', '.join(sorted(names))}), {len(lost)} problems")
    assert not lost, "\n".join(lost)


def _mark(name: str) -> str:
    return "·" + "".join("零一二三四五六七八九"[int(d)] for d in str(zlib.crc32(name.encode()) % 1000))


def _concurrent_edit(world, page: dict) -> list[str]:
    """Two people open the same edit; the first saves, the second's stale save is refused with both texts shown."""
    lost: list[str] = []
    name, action = page["name"], page["action"]
    first, second = Client(), Client()
    first.force_login(world.user(page["owner"]))
    second.force_login(world.user(page["owner"]))
    shape = SHAPED.get(page["field"].rsplit("-", 1)[-1], "{}")
    # the form as opened (empty choices left empty, e.g. one of two exclusive ones), else with the blanks filled
    for fill in (False, True):
        data_a, data_b = _form_data(first, page, fill), _form_data(second, page, fill)
        # marked with the page, so a save that meets the text an earlier page already stored still changes the record
        data_a[page["field"]] = [shape.format(f"甲先保存的内容{_mark(name)}")]
        data_b[page["field"]] = [shape.format(f"乙后保存的内容{_mark(name)}")]
        r = first.post(action, data_a)
        if r.status_code == 302:
            break
    if r.status_code != 302:
        errors = re.findall(r'(?:invalid-feedback|alert-danger)[^>]*>\s*(?:<[^>]+>\s*)*([^<]+)', r.content.decode())
        lost.append(f"{name}: the first save as {page['owner']} changing {page['field']} was not accepted "
                    f"({r.status_code}): {errors[:3]}")
        return lost
    page_url = page["page"] or r["Location"]
    r = second.post(action, data_b)
    body = r.content.decode()
    if r.status_code == 302:
        lost.append(f"{name}: the stale save was accepted (lost update)")
        return lost
    if STALE_TEXT not in body:
        lost.append(f"{name}: no stale message")
    if "乙后保存的内容" not in body:
        lost.append(f"{name}: the user's input was not kept")
    if "甲先保存的内容" not in body:
        lost.append(f"{name}: the newer data is not shown")
    fresh = first.get(page_url).content.decode()
    if "甲先保存的内容" not in fresh or "乙后保存的内容" in fresh:
        lost.append(f"{name}: the stored record is not the first save")
    return lost


# ---- records without a version column (members): a fingerprint of the edited fields -------------------------------


@pytest.mark.django_db
def test_it_refuses_a_stale_fingerprint_and_accepts_a_fresh_one(world):
    from machinery.locking import check_fingerprint, fingerprint
    from organizations.models import Member

    member = world.member_b
    fields = ["job", "office"]
    opened = fingerprint(member, fields)
    check_fingerprint(member, fields, opened)  # nothing changed: passes
    Member.objects.filter(pk=member.pk).update(job="数学教师")
    with pytest.raises(ValidationError, match="此记录已被他人修改"):
        check_fingerprint(member, fields, opened)
    for garbled in [None, "", "abc", ["x"], "\x00"]:
        with pytest.raises(ValidationError):
            check_fingerprint(member, fields, garbled)
    Member.objects.filter(pk=member.pk).update(birth_year=1970)  # a field the form does not edit
    check_fingerprint(member, fields, fingerprint(member, fields))


@pytest.mark.django_db
def test_it_carries_the_fingerprint_in_a_hidden_field(world):
    from django import forms

    from machinery.locking import FingerprintFormMixin
    from organizations.models import Member

    class JobForm(FingerprintFormMixin, forms.ModelForm):
        class Meta:
            model = Member
            fields = ["job"]

    opened = JobForm(instance=world.member_b)
    token = opened["fingerprint"].value()
    assert f'name="fingerprint" value="{token}"' in str(opened)
    bound = JobForm({"job": "乙的修改", "fingerprint": token}, instance=Member.objects.get(pk=world.member_b.pk))
    assert bound.is_valid()
    bound.check_stale()
    Member.objects.filter(pk=world.member_b.pk).update(job="甲的修改")
    with pytest.raises(ValidationError):
        bound.check_stale()
    bound.refresh_fingerprint()
    assert bound.data["job"] == "乙的修改" and bound.data["fingerprint"] != token


@pytest.mark.django_db
def test_it_keeps_the_first_of_two_secretaries_editing_the_same_member(world):
    from organizations.models import Member

    url = reverse("organizations:member_edit", args=[world.member_b.pk])
    school, branch = Client(), Client()
    school.force_login(world.user("school_b_secretary"))
    branch.force_login(world.user("branch_b_secretary"))
    form_school = next(f for f in forms_on(school.get(url).content.decode(), url) if "fingerprint" in f.fields)
    form_branch = next(f for f in forms_on(branch.get(url).content.decode(), url) if "fingerprint" in f.fields)
    first = {**initial_data(form_school), "job": ["数学教研组长"]}
    second = {**initial_data(form_branch), "job": ["语文教研组长"], "office": ["高二年段"]}
    assert school.post(url, first).status_code == 302
    r = branch.post(url, second)
    body = r.content.decode()
    assert r.status_code == 200
    assert STALE_TEXT in body and "数学教研组长" in body  # the newer data
    assert "语文教研组长" in body and "高二年段" in body  # the user's input, kept
    stored = Member.objects.get(pk=world.member_b.pk)
    assert (stored.job, stored.office) == ("数学教研组长", "")
    # a deliberate second submit (with the refreshed fingerprint on the page) saves
    again = next(f for f in forms_on(body, url) if "fingerprint" in f.fields)
    assert branch.post(url, initial_data(again)).status_code == 302
    assert Member.objects.get(pk=world.member_b.pk).job == "语文教研组长"
