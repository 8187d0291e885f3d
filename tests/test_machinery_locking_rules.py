"""Two people editing one record: the later save from a stale form is refused, nothing of it is written, and the page
can show the newer data. Both kinds: a `version` column (save_versioned) and a fingerprint of the edited fields."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import ValidationError

from machinery.locking import (
    STALE_CODE,
    STALE_MESSAGE,
    FingerprintFormMixin,
    VersionedFormMixin,
    check_fingerprint,
    check_version,
    fingerprint,
    is_stale_error,
    save_versioned,
    stale_context,
)
from organizations.models import Member
from targets.enums import PlanTheme
from targets.models import AnnualPlan

STALE = str(STALE_MESSAGE)


@pytest.fixture
def plan(world):
    return AnnualPlan.objects.create(
        organization=world.school_a, year=2026, theme=PlanTheme.DEDICATION, featured_work="原有特色工作",
        summary="原有总结",
    )


def fresh(plan) -> AnnualPlan:
    return AnnualPlan.objects.get(pk=plan.pk)


class PlanForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = AnnualPlan
        fields = ["featured_work"]


class PlanFingerprintForm(FingerprintFormMixin, forms.ModelForm):
    note = forms.CharField(required=False)  # a form-only field: not part of the fingerprint

    class Meta:
        model = AnnualPlan
        fields = ["featured_work", "theme"]


# ---- check_version ------------------------------------------------------------------------------------------------


def test_the_version_the_row_holds_passes_in_any_spelling(plan):
    check_version(plan, 1)
    check_version(plan, "1")
    check_version(plan, " 1 ")


def test_a_version_checked_against_the_database_not_the_loaded_object(plan):
    stale_copy = fresh(plan)
    save_versioned(plan, fields=["featured_work"], expected_version=1)  # someone else saved: row is at 2
    assert stale_copy.version == 1
    with pytest.raises(ValidationError) as exc:
        check_version(stale_copy, stale_copy.version)
    assert exc.value.messages == [STALE] and is_stale_error(exc.value)
    check_version(stale_copy, 2)


def test_a_deleted_record_is_stale(plan):
    ghost = fresh(plan)
    AnnualPlan.objects.filter(pk=plan.pk).delete()
    with pytest.raises(ValidationError, match="此记录已被他人修改"):
        check_version(ghost, 1)


def test_the_version_column_may_have_another_name(plan):
    # `field` names the column; here the plan's year plays that part
    check_version(plan, 2026, field="year")
    with pytest.raises(ValidationError):
        check_version(plan, 1, field="year")


# ---- save_versioned ------------------------------------------------------------------------------------------------


def test_a_save_with_the_current_version_writes_the_fields_and_counts_up(plan):
    before = fresh(plan).updated_at
    plan.featured_work = "新的特色工作"
    saved = save_versioned(plan, fields=["featured_work"], expected_version="1")
    assert saved is plan and plan.version == 2
    row = fresh(plan)
    assert (row.version, row.featured_work) == (2, "新的特色工作")
    assert row.updated_at >= before  # auto_now fields are written too
    plan.featured_work = "第三次"
    save_versioned(plan, fields=["featured_work", "version"], expected_version=2)
    assert fresh(plan).version == 3 and plan.version == 3


def test_only_the_named_fields_are_written(plan):
    plan.featured_work = "改了这个"
    plan.summary = "没说要改这个"
    save_versioned(plan, fields=["featured_work"], expected_version=1)
    row = fresh(plan)
    assert (row.featured_work, row.summary) == ("改了这个", "原有总结")


def test_a_stale_save_is_refused_and_writes_nothing(plan):
    first, second = fresh(plan), fresh(plan)
    first.featured_work = "甲的修改"
    save_versioned(first, fields=["featured_work"], expected_version=1)
    history_before = plan.history.count()
    second.featured_work, second.summary = "乙的修改", "乙的总结"
    with pytest.raises(ValidationError) as exc:
        save_versioned(second, fields=["featured_work", "summary"], expected_version=1)
    assert exc.value.messages == [STALE] and exc.value.code == STALE_CODE
    row = fresh(plan)
    assert (row.version, row.featured_work, row.summary) == (2, "甲的修改", "原有总结")
    assert plan.history.count() == history_before
    assert second.version == 1  # the refused object is not moved on either


@pytest.mark.parametrize("submitted", [None, "", "v2", 0, 3])
def test_a_missing_or_wrong_version_writes_nothing(plan, submitted):
    plan.featured_work = "不应保存"
    with pytest.raises(ValidationError) as exc:
        save_versioned(plan, fields=["featured_work"], expected_version=submitted)
    assert exc.value.messages == [STALE] and is_stale_error(exc.value)
    row = fresh(plan)
    assert (row.version, row.featured_work) == (1, "原有特色工作")


def test_a_new_record_is_simply_saved(world):
    new = AnnualPlan(organization=world.school_b, year=2026, theme=PlanTheme.DEDICATION, featured_work="新计划")
    save_versioned(new, fields=["featured_work"], expected_version=None)
    assert new.pk is not None and fresh(new).version == 1


# ---- telling a stale refusal apart ---------------------------------------------------------------------------------


def test_a_stale_refusal_is_told_apart_from_other_refusals():
    assert is_stale_error(ValidationError(STALE_MESSAGE, code=STALE_CODE))
    assert is_stale_error(ValidationError({"featured_work": ValidationError(STALE_MESSAGE, code=STALE_CODE)}))
    assert is_stale_error(ValidationError([ValidationError("别的问题", code="x"), ValidationError("旧", code=STALE_CODE)]))
    assert not is_stale_error(ValidationError("别的问题"))
    assert not is_stale_error(ValidationError(STALE_MESSAGE))  # same words, no code: not a version conflict
    assert not is_stale_error(ValidationError({"featured_work": ValidationError("必填", code="required")}))


def test_the_page_after_a_stale_save_shows_the_row_as_stored_and_the_users_input(plan):
    mine = fresh(plan)
    other = fresh(plan)
    other.featured_work = "别人先保存的"
    save_versioned(other, fields=["featured_work"], expected_version=1)
    form = PlanForm({"featured_work": "我的输入", "version": "1"}, instance=mine)
    ctx = stale_context(mine, form)
    assert ctx["stale"] is True and ctx["form"] is form
    assert (ctx["current"].featured_work, ctx["current"].version) == ("别人先保存的", 2)


# ---- the hidden version field --------------------------------------------------------------------------------------


def test_the_form_carries_the_records_version_hidden(plan):
    plan.version = 4
    form = PlanForm(instance=plan)
    assert form.fields["version"].initial == 4
    assert isinstance(form.fields["version"].widget, forms.HiddenInput)
    assert PlanForm().fields["version"].initial is None  # a new record has no version yet


@pytest.mark.parametrize("version", [None, "", "abc", "-1"])
def test_a_form_without_a_usable_version_says_the_record_changed(plan, version):
    data = {"featured_work": "x"}
    if version is not None:
        data["version"] = version
    form = PlanForm(data, instance=plan)
    assert not form.is_valid()
    assert form.errors["version"] == [STALE]


def test_the_hidden_version_works_on_a_plain_form_and_on_a_record_without_a_version(world):
    class ConfirmForm(VersionedFormMixin, forms.Form):
        note = forms.CharField(required=False)

    assert ConfirmForm().fields["version"].initial is None
    assert ConfirmForm({"version": "3"}).is_valid()

    class MemberForm(VersionedFormMixin, forms.ModelForm):
        class Meta:
            model = Member
            fields = ["name"]

    assert MemberForm(instance=world.member_a).fields["version"].initial is None


def test_a_version_beyond_what_the_database_holds_says_the_record_changed(plan):
    from machinery.locking import MAX_VERSION

    assert PlanForm({"featured_work": "x", "version": str(MAX_VERSION)}, instance=plan).is_valid()
    form = PlanForm({"featured_work": "x", "version": str(MAX_VERSION + 1)}, instance=plan)
    assert not form.is_valid() and form.errors["version"] == [STALE]
    assert PlanForm({"featured_work": "x", "version": "9" * 40}, instance=plan).errors["version"] == [STALE]


def test_a_form_for_a_new_record_needs_no_version(plan):
    assert PlanForm({"featured_work": "新记录"}).is_valid()
    assert not PlanForm({"featured_work": "旧记录"}, instance=plan).is_valid()


def test_a_version_of_zero_is_accepted_by_the_form(plan):
    assert PlanForm({"featured_work": "x", "version": "0"}, instance=plan).is_valid()


def test_after_a_stale_save_the_form_keeps_the_input_and_carries_the_newer_version(plan):
    form = PlanForm({"p-featured_work": "我的输入", "p-version": "1"}, instance=plan, prefix="p")
    newer = fresh(plan)
    newer.version = 7
    form.refresh_version(newer)
    assert form.data["p-version"] == 7 and form.data["p-featured_work"] == "我的输入"
    unbound = PlanForm(instance=plan)
    unbound.refresh_version(newer)
    assert not unbound.is_bound and dict(unbound.data) == {}


# ---- fingerprints (records without a version column) ---------------------------------------------------------------


def test_a_fingerprint_changes_with_the_stored_values_only(plan):
    fp = fingerprint(plan, ["featured_work", "summary"])
    assert len(fp) == 20 and fp == fingerprint(plan, ["summary", "featured_work"])  # order does not matter
    plan.featured_work = "只改了内存里的"
    assert fingerprint(plan, ["featured_work", "summary"]) == fp  # read from the database
    AnnualPlan.objects.filter(pk=plan.pk).update(summary="别人改了总结")
    assert fingerprint(plan, ["featured_work", "summary"]) != fp
    assert fingerprint(plan, ["featured_work"]) != fingerprint(plan, ["summary"])


def test_a_fingerprint_tells_apart_values_that_only_differ_in_where_a_field_ends(plan):
    AnnualPlan.objects.filter(pk=plan.pk).update(featured_work="ab", summary="c")
    first = fingerprint(plan, ["featured_work", "summary"])
    AnnualPlan.objects.filter(pk=plan.pk).update(featured_work="a", summary="bc")
    assert fingerprint(plan, ["featured_work", "summary"]) != first


def test_a_matching_fingerprint_passes_and_a_changed_or_missing_one_is_refused(plan):
    fp = fingerprint(plan, ["featured_work"])
    check_fingerprint(plan, ["featured_work"], fp)
    for submitted in [None, "", fp[:-1], fp.upper() if fp != fp.upper() else fp + "x", 12345]:
        with pytest.raises(ValidationError) as exc:
            check_fingerprint(plan, ["featured_work"], submitted)
        assert exc.value.messages == [STALE] and is_stale_error(exc.value)
    AnnualPlan.objects.filter(pk=plan.pk).update(featured_work="别人改了")
    with pytest.raises(ValidationError):
        check_fingerprint(plan, ["featured_work"], fp)


def test_the_fingerprint_form_covers_the_edited_model_fields_only(plan):
    form = PlanFingerprintForm(instance=plan)
    assert form.edited_fields() == ["featured_work", "theme"]
    field = form.fields["fingerprint"]
    assert isinstance(field.widget, forms.HiddenInput) and not field.required
    assert field.initial() == fingerprint(plan, ["featured_work", "theme"])
    assert 'name="fingerprint"' in str(form) and fingerprint(plan, ["featured_work", "theme"]) in str(form)
    assert PlanFingerprintForm().fields["fingerprint"].initial is None


def test_a_garbled_fingerprint_longer_than_any_digest_is_refused_by_the_form(plan):
    fp = fingerprint(plan, ["featured_work", "theme"])
    assert _post(plan, fp + "0" * (64 - len(fp))).is_valid()  # the field takes up to 64 characters
    form = _post(plan, fp + "0" * (65 - len(fp)))
    assert not form.is_valid() and "fingerprint" in form.errors
    assert _post(plan, "").is_valid()  # empty passes the form; the stale check then refuses it


def _post(plan, fp, **data):
    base = {"featured_work": "我的输入", "theme": PlanTheme.DEDICATION, "fingerprint": fp}
    base.update(data)
    return PlanFingerprintForm(base, instance=plan)


def test_an_unchanged_record_is_saved(plan):
    fp = fingerprint(plan, ["featured_work", "theme"])
    form = _post(plan, fp)
    assert form.is_valid()
    calls = []
    assert form.save_unless_stale(lambda: calls.append(form.save())) is True
    assert calls and fresh(plan).featured_work == "我的输入" and form.stale is None


def test_a_record_changed_since_the_form_opened_is_not_saved_and_the_page_shows_what_is_stored(plan):
    fp = fingerprint(plan, ["featured_work", "theme"])
    AnnualPlan.objects.filter(pk=plan.pk).update(featured_work="别人先保存的")
    form = _post(plan, fp)
    assert form.is_valid()
    called = []
    assert form.save_unless_stale(lambda: called.append(1)) is False
    assert called == []
    assert fresh(plan).featured_work == "别人先保存的"
    assert form.stale == [("一项特色工作", "别人先保存的"), ("争创主题", str(PlanTheme.DEDICATION.label))]
    assert form.non_field_errors() == [STALE]
    # the input is kept and the newer fingerprint is carried: a second submit is a deliberate overwrite
    assert form.data["featured_work"] == "我的输入"
    assert form.data["fingerprint"] == fingerprint(plan, ["featured_work", "theme"]) != fp
    again = _post(plan, form.data["fingerprint"])
    assert again.is_valid() and again.save_unless_stale(again.save) is True
    assert fresh(plan).featured_work == "我的输入"


def test_a_refusal_from_the_save_itself_is_shown_and_nothing_is_written(plan):
    fp = fingerprint(plan, ["featured_work", "theme"])
    form = _post(plan, fp)
    assert form.is_valid()

    def save():
        AnnualPlan.objects.filter(pk=plan.pk).update(summary="写了一半")
        raise ValidationError({"featured_work": "特色工作不能这样写"})

    assert form.save_unless_stale(save) is False
    assert form.stale is None and form.errors["featured_work"] == ["特色工作不能这样写"]
    assert form.data["fingerprint"] == fp  # not a stale refusal: nothing to refresh
    assert fresh(plan).summary == "原有总结"  # rolled back


def test_a_prefixed_fingerprint_form_reads_and_refreshes_its_own_field(plan):
    fp = fingerprint(plan, ["featured_work", "theme"])
    data = {"x-featured_work": "我的输入", "x-theme": PlanTheme.DEDICATION, "x-fingerprint": fp, "fingerprint": "junk"}
    form = PlanFingerprintForm(data, instance=plan, prefix="x")
    assert form.is_valid()
    form.check_stale()
    AnnualPlan.objects.filter(pk=plan.pk).update(featured_work="别人改了")
    with pytest.raises(ValidationError):
        form.check_stale()
    form.refresh_fingerprint()
    assert form.data["x-fingerprint"] == fingerprint(plan, ["featured_work", "theme"])
    assert form.data["fingerprint"] == "junk"
    form.check_stale()
