"""按需设岗、因人择岗: the organization's posts, typical posts to copy, claims and assignments."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organizations import access
from organizations.selectors import breadcrumbs
from targets.models import TargetItem

from .. import selectors, services
from ..enums import TYPICAL_POSTS
from ..forms import AssignForm, CopyTypicalForm, PostForm
from ._common import add_errors, carry_current_version, org_crumbs


def _target_items(org, year):
    return TargetItem.objects.filter(plan__organization=org, plan__year=year).order_by("category", "deadline", "pk")


def public_url(org) -> str:
    """The organization's public page (targets:public, where posts offers its section), else posts' own."""
    try:
        return reverse("targets:public", args=[org.pk])
    except NoReverseMatch:
        return reverse("posts:public", args=[org.pk])


def _org_page(request, org, year, *, form=None, copy_form=None, status=200):
    return render(
        request,
        "posts/org_posts.html",
        {
            "org": org,
            "breadcrumbs": breadcrumbs(request.user, org),
            "year": year,
            "posts": list(selectors.posts_of(org, year)),
            "pending": selectors.pending_reviews(org, request.user)[:50],
            "pending_revisions": selectors.pending_explanation_revisions(org, request.user)[:50],
            "summary": selectors.fulfilment_summary(org, year),
            "can_edit": access.can_edit(request.user, org),
            "form": form or PostForm(target_items=_target_items(org, year)),
            "copy_form": copy_form or CopyTypicalForm(),
            "typical": TYPICAL_POSTS,
            "public_url": public_url(org),
        },
        status=status,
    )


@login_required
def org_posts(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = access.get_organization_for_user(request.user, org_pk)
    return _org_page(request, org, selectors.year_from(request))


@login_required
@require_POST
def post_create(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = access.get_organization_for_user(request.user, org_pk, to_edit=True)
    year = selectors.year_from(request)
    form = PostForm(request.POST, target_items=_target_items(org, year))
    if form.is_valid():
        try:
            fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            post = services.post_create(organization=org, by=request.user, year=year, **fields)
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("已设置岗位：%(name)s") % {"name": post.name})
            return redirect(f"{reverse('posts:org_posts', args=[org.pk])}?year={year}")
    return _org_page(request, org, year, form=form, status=400)


@login_required
@require_POST
def post_copy(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = access.get_organization_for_user(request.user, org_pk, to_edit=True)
    year = selectors.year_from(request)
    form = CopyTypicalForm(request.POST)
    if form.is_valid():
        try:
            created = services.posts_copy_typical(organization=org, by=request.user, year=year,
                                                  names=form.cleaned_data["names"])
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("已复制 %(n)s 个典型岗位") % {"n": len(created)})
            return redirect(f"{reverse('posts:org_posts', args=[org.pk])}?year={year}")
    return _org_page(request, org, year, copy_form=form, status=400)


def _post_page(request, post, *, form=None, assign_form=None, status=200):
    org = post.organization
    can_edit = access.can_edit(request.user, org)
    members = access.visible_members(request.user).filter(
        organization__path__startswith=org.path, is_active=True
    ).exclude(post_claims__post=post).only("name").order_by("name", "pk")  # the choices show the name only
    claims = post.claims.select_related("member").prefetch_related("commitments").order_by("member__name", "pk")
    me = access.own_member(request.user)
    if can_edit:  # an editor sees every claim of the post: the people on it are counted from them
        claims = list(claims)
        n_claims = sum(1 for claim in claims if claim.member.is_active)  # as Post.people_on
    else:
        claims = claims.filter(member__user=request.user)
        n_claims = post.people_on()
    target_items = list(post.target_items.all())
    return render(
        request,
        "posts/post_detail.html",
        {
            "post": post,
            "org": org,
            "breadcrumbs": org_crumbs(request.user, org),
            "claims": claims,
            "n_claims": n_claims,
            "is_full": n_claims >= post.capacity,
            "can_edit": can_edit,
            "can_see_history": access.can_see_history(request.user, org),
            "form": form or (PostForm(initial={"name": post.name, "duties": post.duties, "role": post.role,
                                               "capacity": post.capacity, "version": post.version,
                                               "target_items": [item.pk for item in target_items]},
                                      target_items=_target_items(org, post.year)) if can_edit else None),
            "assign_form": assign_form or (AssignForm(members=members) if can_edit and n_claims < post.capacity
                                           else None),
            "target_items": target_items,
            "can_claim": me is not None and me.organization.path.startswith(org.path) and not (
                any(claim.member_id == me.pk for claim in claims) if can_edit
                else post.claims.filter(member=me).exists()),
        },
        status=status,
    )


@login_required
def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_page(request, selectors.get_post_for_user(request.user, pk))


@login_required
@require_POST
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.get_post_for_user(request.user, pk, to_manage=True)
    form = PostForm(request.POST, target_items=_target_items(post.organization, post.year), editing=True)
    if form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.post_update(post=post, expected_version=form.cleaned_data["version"], **fields)
        except ValidationError as e:
            add_errors(form, e)
            carry_current_version(form, e, type(post).objects.get(pk=post.pk).version)
        else:
            messages.success(request, _("岗位已保存"))
            return redirect(post)
    # the page shows the post as stored now (someone may have saved it meanwhile) next to the user's input
    return _post_page(request, type(post).objects.get(pk=post.pk), form=form, status=400)


@login_required
@require_POST
def post_delete(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.get_post_for_user(request.user, pk, to_manage=True)
    org, year = post.organization, post.year
    try:
        services.post_delete(post=post)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect(post)
    messages.success(request, _("岗位已删除"))
    return redirect(f"{reverse('posts:org_posts', args=[org.pk])}?year={year}")


@login_required
@require_POST
def post_claim(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.get_post_for_user(request.user, pk)
    member = selectors.own_member_or_403(request.user)
    try:
        services.post_claim(post=post, member=member, by=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("已认领岗位：%(name)s。请写下你的承诺。") % {"name": post.name})
    return redirect("posts:mine")


@login_required
@require_POST
def post_assign(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.get_post_for_user(request.user, pk, to_manage=True)
    members = access.visible_members(request.user).filter(organization__path__startswith=post.organization.path)
    form = AssignForm(request.POST, members=members)
    if form.is_valid():
        try:
            services.post_assign(post=post, member=form.cleaned_data["member"], by=request.user)
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("已安排 %(name)s 上岗") % {"name": form.cleaned_data["member"].name})
            return redirect(post)
    return _post_page(request, post, assign_form=form, status=400)


@login_required
@require_POST
def claim_remove(request: HttpRequest, pk: int) -> HttpResponse:
    claim = selectors.get_claim_for_user(request.user, pk)
    access.require(claim.member.user_id == request.user.pk or access.can_edit(request.user, claim.member.organization))
    post = claim.post
    try:
        services.claim_remove(claim=claim)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("已撤销认岗"))
    if access.can_edit(request.user, post.organization):
        return redirect(post)
    return redirect("posts:mine")
