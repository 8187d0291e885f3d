"""承诺亮岗: write, submit, review (approve / return with reason), publish, fulfilment."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organizations import access

from .. import selectors, services
from ..enums import RevisionState
from ..forms import CommitmentForm, DutyLogForm, ExplanationReturnForm, PublishForm, ReturnForm, StatusForm
from ._common import add_errors, carry_current_version, org_crumbs


def _is_owner(user, commitment) -> bool:
    return commitment.claim.member.user_id == user.pk


def detail_context(request, commitment, **forms) -> dict:
    user = request.user
    owner = _is_owner(user, commitment)
    reviewer = selectors.can_review(user, commitment)
    org = commitment.claim.member.organization
    if reviewer or owner:  # they see every change of the explanation: the pending one (at most one) is among them
        revisions = list(commitment.explanation_revisions.order_by("-proposed_at", "-pk"))
        revision = next((r for r in revisions if r.state == RevisionState.PENDING), None)
    else:
        revisions, revision = [], selectors.pending_revision(commitment)
    versions = list(commitment.versions.all())
    reviews = list(commitment.reviews.all())
    by_pk = {v.pk: v for v in versions}
    for review in reviews:  # each review's version is one of the versions listed (no second read of them)
        if review.version_id in by_pk:
            review.version = by_pk[review.version_id]
    context = {
        "commitment": commitment,
        "claim": commitment.claim,
        "post": commitment.claim.post,
        "member": commitment.claim.member,
        "breadcrumbs": org_crumbs(user, org),
        "is_owner": owner,
        "is_reviewer": reviewer,
        "can_see_history": access.can_see_history(user, org),
        "versions": versions,
        "reviews": reviews,
        "log": selectors.commitment_log(commitment),
        "edit_form": CommitmentForm(instance=commitment, initial={"version": commitment.version})
        if owner and commitment.editable_by_member else None,
        "return_form": ReturnForm(initial={"version": commitment.version}) if reviewer else None,
        "publish_form": PublishForm(initial={"audience": commitment.audience or "society"}) if reviewer else None,
        "revision": revision,
        "revisions": revisions,
        "revision_return_form": ExplanationReturnForm() if reviewer and revision else None,
        "status_form": StatusForm(reviewer=reviewer, initial={
            "status": commitment.status, "note": commitment.status_note,
            # the member goes on from her own pending change; the reviewer sees what is published
            "explanation": revision.text if revision and not reviewer else commitment.explanation,
            "publish_explanation": commitment.explanation_published_at is not None, "version": commitment.version,
        }) if (reviewer or owner) else None,
        "log_form": DutyLogForm() if owner else None,
    }
    context.update({k: v for k, v in forms.items() if v is not None})
    return context


def _detail(request, commitment, status=200, **forms):
    return render(request, "posts/commitment_detail.html", detail_context(request, commitment, **forms), status=status)


def _refused_review(request, commitment, form) -> HttpResponse:
    """A refused review form. The page shows review forms to reviewers only, so anyone else who reached the service
    (the author, refused there) reads why in the message area."""
    if not selectors.can_review(request.user, commitment):
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return _detail(request, commitment, status=400, **{_form_key(form): form})


def _form_key(form) -> str:
    return {ReturnForm: "return_form", PublishForm: "publish_form", ExplanationReturnForm: "revision_return_form"}[
        type(form)]


@login_required
def commitment_create(request: HttpRequest, claim_pk: int) -> HttpResponse:
    claim = selectors.get_claim_for_user(request.user, claim_pk, own=True)
    form = CommitmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            commitment = services.commitment_create(claim=claim, **data)
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("承诺已保存为草稿，确认无误后请提交审核"))
            return redirect(commitment)
    return render(
        request,
        "posts/commitment_form.html",
        {"form": form, "claim": claim, "breadcrumbs": org_crumbs(request.user, claim.member.organization)},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def commitment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.get_commitment_for_user(request.user, pk))


@login_required
@require_POST
def commitment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """保存; with action=submit (the 提交审核 button of the same form) it saves and submits, as commitment_submit."""
    return _save(request, pk, submit=request.POST.get("action") == "submit")


@login_required
@require_POST
def commitment_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """提交审核 from the edit form: the text in the form is saved and submitted in one transaction, so what the member
    sees is what the reviewer gets. Invalid or stale input submits nothing and comes back beside the fields."""
    return _save(request, pk, submit=True)


def _save(request: HttpRequest, pk: int, *, submit: bool) -> HttpResponse:
    commitment = selectors.get_commitment_for_user(request.user, pk, own=True)
    form = CommitmentForm(request.POST, instance=commitment)
    # the instance must not take the user's input before the service has checked the version
    form.instance = type(commitment).objects.get(pk=commitment.pk)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            if submit:
                services.commitment_save_and_submit(commitment=commitment, by=request.user,
                                                    version=form.cleaned_data.get("version"), **data)
            else:
                services.commitment_update(commitment=commitment, version=form.cleaned_data.get("version"), **data)
        except ValidationError as e:
            add_errors(form, e)
            carry_current_version(form, e, form.instance.version)
        else:
            messages.success(request, _("已提交审核") if submit else _("承诺已保存"))
            return redirect(commitment)
    fresh = selectors.get_commitment_for_user(request.user, pk)
    return _detail(request, fresh, status=400, edit_form=form)


@login_required
@require_POST
def commitment_approve(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = selectors.get_commitment_for_user(request.user, pk, review=True)
    try:
        services.commitment_approve(commitment=commitment, by=request.user, version=request.POST.get("version"))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("承诺已审核通过"))
    return redirect(commitment)


@login_required
@require_POST
def commitment_return(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = selectors.get_commitment_for_user(request.user, pk, review=True)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.commitment_return(commitment=commitment, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("已退回修改"))
            return redirect(commitment)
    return _refused_review(request, commitment, form)


@login_required
@require_POST
def commitment_publish(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = selectors.get_commitment_for_user(request.user, pk, review=True)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            services.commitment_publish(commitment=commitment, audience=form.cleaned_data["audience"],
                                        by=request.user)
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("承诺已公开"))
            return redirect(commitment)
    return _refused_review(request, commitment, form)


@login_required
@require_POST
def commitment_unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = selectors.get_commitment_for_user(request.user, pk, review=True)
    try:
        services.commitment_unpublish(commitment=commitment, by=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("已撤回公开"))
    return redirect(commitment)


@login_required
@require_POST
def commitment_status(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = selectors.get_commitment_for_user(request.user, pk)
    reviewer = selectors.can_review(request.user, commitment)
    access.require(reviewer or _is_owner(request.user, commitment))
    form = StatusForm(request.POST, reviewer=reviewer)
    if form.is_valid():
        data = dict(form.cleaned_data)
        if not reviewer:
            data["publish_explanation"] = commitment.explanation_published_at is not None
        try:
            services.commitment_status_set(commitment=commitment, by=request.user, **data)
        except ValidationError as e:
            add_errors(form, e)
            carry_current_version(form, e, commitment.version)
        else:
            if not reviewer and selectors.pending_revision(commitment) is not None:
                messages.success(request, _("兑现情况已保存。说明的修改已交书记审核，审核通过前公开页面仍显示原说明"))
            else:
                messages.success(request, _("兑现情况已保存"))
            return redirect(commitment)
    fresh = selectors.get_commitment_for_user(request.user, pk)
    return _detail(request, fresh, status=400, status_form=form)


@login_required
@require_POST
def explanation_approve(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = selectors.get_commitment_for_user(request.user, pk, review=True)
    try:
        services.explanation_revision_approve(commitment=commitment, by=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("说明的修改已审核通过，公开页面已更新"))
    return redirect(commitment)


@login_required
@require_POST
def explanation_return(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = selectors.get_commitment_for_user(request.user, pk, review=True)
    form = ExplanationReturnForm(request.POST)
    if form.is_valid():
        try:
            services.explanation_revision_return(commitment=commitment, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("说明的修改已退回，公开页面仍显示原说明"))
            return redirect(commitment)
    return _refused_review(request, commitment, form)
