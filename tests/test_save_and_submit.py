"""What is on the screen is what is submitted: 提交审核 / 报送 beside an edit form save and submit the form's text in
one version-checked transaction.

The submit actions are enumerated, not listed: every submit-labelled button of every template is found with its form
(tests/submit_forms.py), and every URL whose name says it submits. A save-and-submit button must be known to
SUBMISSIONS below, which says how to make its record and read it back; a submit button in a form without the edited
fields, on a page with an edit form, fails (that shape sent the stored text and dropped the edits). Each known one is
then driven as a user does: open the page, change the text in the form, press the submit button (its formaction, with
the form's fields as the browser sends them), and read what was submitted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from posts import services as posts_services
from posts.enums import CommitmentState
from posts.models import Commitment
from reports import services as reports_services
from reports.models import QuarterlyReport
from tests.posts_fixtures import make_post, returned
from tests.reports_fixtures import YEAR
from tests.submit_forms import buttons_in, submit_buttons, submit_form, submit_url_names

NEW_TEXT = "按退回意见修改后的新内容：本学期开设校级公开课两节"


@dataclass
class Stored:
    text: str  # the edited field as stored
    state: str
    version: int
    submissions: int  # how many times it was submitted
    submitted_text: str | None  # the edited field as last submitted


@dataclass
class Submission:
    owner: str
    pk: int
    page: str
    field: str  # the text the user changes
    read: Callable[[], Stored]
    colleague_saves: Callable[[str], None]  # someone saves the record meanwhile (another tab, a colleague)
    submitted: str  # the state after a submit
    required: str  # a field that must not be blank when submitting
    required_message: str


def _commitment(world) -> Submission:
    """A member's commitment returned for revision: she fixes the text and presses 提交审核 (第2稿)."""
    claim = posts_services.post_claim(post=make_post(world.branch_a), member=world.member_a, by=None)
    c = returned(claim, world.user("branch_a_secretary"), content="旧的承诺内容")

    def read() -> Stored:
        row = Commitment.objects.get(pk=c.pk)
        last = row.versions.order_by("number").last()
        return Stored(row.content, row.state, row.version, row.versions.count(), last.content if last else None)

    def colleague_saves(text: str) -> None:
        row = Commitment.objects.get(pk=c.pk)
        posts_services.commitment_update(commitment=row, version=row.version, aspect=row.aspect, content=text,
                                         measurable_result=row.measurable_result, due_on=row.due_on)

    return Submission("member_a", c.pk, c.get_absolute_url(), "content", read, colleague_saves,
                      CommitmentState.SUBMITTED, "measurable_result", "这个字段是必填项")


NARRATIVE = {"practices": "全面推行亮岗履职", "problems": "旧的存在问题", "next_steps": "年底前推广面达到100%",
             "filled_by": "王志明", "contact_phone": "0595-22000000"}


def _quarterly(world) -> Submission:
    """Annex 5 returned by the city: the unit edits 存在问题 and presses 报送."""
    unit, city = world.user("unit_staff"), world.user("city_staff")
    r = reports_services.quarterly_report_open(organization=world.unit, year=YEAR, quarter=4, by=unit)
    r = reports_services.quarterly_report_update(report=r, by=unit, expected_version=r.version, **NARRATIVE)
    r = reports_services.quarterly_report_submit(report=r, by=unit, expected_version=r.version)
    r = reports_services.quarterly_report_return(report=r, by=city, reason="请写具体", expected_version=r.version)

    def read() -> Stored:
        row = QuarterlyReport.objects.get(pk=r.pk)
        sent = row.history.filter(state=QuarterlyReport.State.SUBMITTED).order_by("-history_date", "-history_id")
        times = row.events.filter(action="submitted").count()
        return Stored(row.problems, row.state, row.version, times, sent[0].problems if sent else None)

    def colleague_saves(text: str) -> None:
        row = QuarterlyReport.objects.get(pk=r.pk)
        reports_services.quarterly_report_update(report=row, by=unit, expected_version=row.version, problems=text)

    return Submission("unit_staff", r.pk, r.get_absolute_url(), "problems", read, colleague_saves,
                      QuarterlyReport.State.SUBMITTED, "next_steps", "报送前请填写“下一步打算”")


# URL name of the save-and-submit action → how to make its record. A new submit button fails the enumeration below
# until it is added here, and is then held to the same tests.
SUBMISSIONS: dict[str, Callable] = {
    "posts:commitment_submit": _commitment,
    "reports:quarterly_submit": _quarterly,
}


# ---- the enumeration ------------------------------------------------------------------------------------------------


def test_every_submit_beside_an_edit_form_is_part_of_that_form():
    buttons = submit_buttons()
    apart = [b for b in buttons if not b.combined and not b.form_has_fields and b.page_has_edit_form]
    assert not apart, f"submit buttons in a form of their own beside an edit form (the edits would be lost): {apart}"
    unknown = [b for b in buttons if b.combined and b.url_name not in SUBMISSIONS]
    assert not unknown, f"save-and-submit buttons not in SUBMISSIONS (add how to test them): {unknown}"
    quiet = [b for b in buttons if b.combined and not b.warns_unsaved]
    assert not quiet, f"save-and-submit forms that do not warn before unsaved edits are left: {quiet}"
    found = {b.url_name for b in buttons if b.combined}
    assert found == set(SUBMISSIONS), "every entry of SUBMISSIONS is a button of some template"
    assert submit_url_names() <= set(SUBMISSIONS), "every URL that submits is reached from its edit form"


OLD_SHAPE = """
<form method="post" action="{% url 'posts:commitment_edit' commitment.pk %}">{% csrf_token %}{{ edit_form|crispy }}
  <button class="btn" type="submit">{% translate "保存" %}</button>
</form>
<form method="post" action="{% url 'posts:commitment_submit' commitment.pk %}">{% csrf_token %}
  <input type="hidden" name="version" value="{{ commitment.version }}">
  <button class="btn" type="submit">{% translate "提交审核" %}</button>
</form>
"""


def test_the_enumeration_finds_a_submit_form_apart_from_the_edit_form():
    (button,) = buttons_in("old.html", OLD_SHAPE)
    assert button.label == "提交审核" and button.url_name == "posts:commitment_submit"
    assert not button.combined and not button.form_has_fields and button.page_has_edit_form


# ---- each one, as a user does it --------------------------------------------------------------------------------


def _open(client, case: Submission, url_name: str) -> tuple[str, dict[str, str]]:
    page = client.get(case.page)
    assert page.status_code == 200
    url = reverse(url_name, args=[case.pk])
    form, button = submit_form(page.content.decode(), url)
    data = dict(form.data)
    assert case.field in data and case.required in data, "the edited fields travel with the submit button"
    if button.get("name"):
        data[button["name"]] = button.get("value", "")
    return url, data


@pytest.fixture(params=sorted(SUBMISSIONS))
def submission(request, world, login):
    case = SUBMISSIONS[request.param](world)
    return request.param, case, login(world.user(case.owner))


@pytest.mark.django_db
def test_the_edited_text_is_what_is_submitted(submission):
    url_name, case, client = submission
    before = case.read()
    url, data = _open(client, case, url_name)
    data[case.field] = NEW_TEXT
    r = client.post(url, data)
    assert r.status_code == 302, r.content.decode()[:2000]
    after = case.read()
    assert after.text == NEW_TEXT and after.submitted_text == NEW_TEXT
    assert after.state == case.submitted and after.version > before.version
    assert after.submissions == before.submissions + 1
    assert NEW_TEXT in client.get(case.page).content.decode()


@pytest.mark.django_db
def test_a_stale_version_submits_nothing(submission):
    url_name, case, client = submission
    url, data = _open(client, case, url_name)
    case.colleague_saves("同事刚保存的内容")
    before = case.read()
    data[case.field] = NEW_TEXT
    r = client.post(url, data)
    body = r.content.decode()
    assert r.status_code in (400, 409) and "已被他人修改" in body and NEW_TEXT in body
    assert case.read() == before  # nothing saved, nothing submitted


@pytest.mark.django_db
def test_a_blank_required_field_submits_nothing_and_keeps_the_text(submission):
    url_name, case, client = submission
    before = case.read()
    url, data = _open(client, case, url_name)
    data[case.field], data[case.required] = NEW_TEXT, "  "
    r = client.post(url, data)
    body = r.content.decode()
    assert r.status_code == 400 and case.required_message in body and NEW_TEXT in body
    assert case.read() == before


@pytest.mark.django_db
def test_a_submit_without_the_form_submits_nothing(submission):
    """A page opened before the change posts the version alone: the stored text is not submitted behind the user's
    back."""
    url_name, case, client = submission
    before = case.read()
    r = client.post(reverse(url_name, args=[case.pk]), {"version": before.version, "action": "submit"})
    assert r.status_code == 400
    assert case.read() == before


@pytest.mark.django_db
def test_the_save_button_of_the_same_form_only_saves(submission):
    url_name, case, client = submission
    before = case.read()
    url, data = _open(client, case, url_name)
    data.pop("action", None)
    data[case.field] = NEW_TEXT
    page = client.get(case.page).content.decode()
    form, _button = submit_form(page, url)
    r = client.post(form.action, data)
    assert r.status_code == 302
    after = case.read()
    assert after.text == NEW_TEXT and after.state == before.state and after.submissions == before.submissions


# ---- crafted requests refused in the service -------------------------------------------------------------------


@pytest.mark.django_db
def test_only_the_author_saves_and_submits_a_commitment(world):
    case = _commitment(world)
    before = case.read()
    row = Commitment.objects.get(pk=case.pk)
    with pytest.raises(ValidationError, match="只有承诺人本人"):
        posts_services.commitment_save_and_submit(
            commitment=row, by=world.user("branch_a_secretary"), version=row.version, aspect=row.aspect,
            content=NEW_TEXT, measurable_result=row.measurable_result, due_on=row.due_on)
    with pytest.raises(ValidationError, match="已被他人修改"):
        posts_services.commitment_save_and_submit(
            commitment=row, by=world.user("member_a"), version=None, aspect=row.aspect,
            content=NEW_TEXT, measurable_result=row.measurable_result, due_on=row.due_on)
    assert case.read() == before


@pytest.mark.django_db
def test_a_submitted_report_is_not_saved_and_submitted_again(world):
    case = _quarterly(world)
    row = QuarterlyReport.objects.get(pk=case.pk)
    unit = world.user("unit_staff")
    row = reports_services.quarterly_report_save_and_submit(report=row, by=unit, expected_version=row.version,
                                                            problems=NEW_TEXT)
    before = case.read()
    with pytest.raises(ValidationError, match="已报送"):
        reports_services.quarterly_report_save_and_submit(report=row, by=unit, expected_version=row.version,
                                                          problems="报送后又改")
    assert case.read() == before


@pytest.mark.django_db
@pytest.mark.parametrize("hostile", [
    {"version": "99999999999999999999999"}, {"version": "-1"}, {"version": "abc"},
    {"due_on": "9999-99-99", "contact_phone": "1" * 5000}, {"aspect": "x" * 300}, {"action": "submit" * 1000},
])
def test_crafted_submits_write_nothing_and_never_fail_with_500(submission, hostile):
    url_name, case, client = submission
    before = case.read()
    url, data = _open(client, case, url_name)
    data.update(hostile)
    data[case.field] = NEW_TEXT
    r = client.post(url, data)
    if r.status_code == 302:  # harmless extra input the form ignores: the edited text is what was submitted
        assert case.read().submitted_text == NEW_TEXT and "version" not in hostile
    else:
        assert r.status_code in (400, 409) and case.read() == before
