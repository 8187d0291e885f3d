"""Committee staff manage the tree of their subtree (add, rename, move, merge, close) and its secretary and staff
roles. Every change is checked again in the service (organizations.services.tree / roles) and kept in the history."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import access, selectors, services
from ..forms import CloseForm, OrganizationForm, RoleForm, UnitChoiceForm, add_service_errors
from ..history import history_page
from ..models import Organization, RoleAssignment
from ..services.roles import assignable_roles
from ..services.tree import CHILD_KINDS, EDITABLE_FIELDS


def _staff_org(request: HttpRequest, pk: int, *, of_parent: bool = False) -> Organization:
    """The organization if the user is committee staff over it (over its parent, to move, merge or close it):
    404 outside the subtree, 403 inside it without the right."""
    org = access.get_organization_for_user(request.user, pk)
    target = Organization.objects.get_parent(org) if of_parent else org
    access.require(target is not None and access.is_staff_of(request.user, target))
    return org


def _scope_root(request: HttpRequest, org: Organization) -> Organization:
    """The top-most organization where the user is staff above `org` (where the choosers search)."""
    paths = [
        g.path for g in access.grants(request.user) if g.role in access.STAFF_ROLES and org.path.startswith(g.path)
    ]
    if not paths:
        return org.get_root()
    return Organization.objects.get(path=min(paths, key=len))


def _page(request, template: str, org: Organization, **extra) -> HttpResponse:
    status = 400 if request.method == "POST" else 200
    context = {"org": org, "breadcrumbs": selectors.breadcrumbs(request.user, org), **extra}
    return render(request, template, context, status=status)


@login_required
def organization_add(request: HttpRequest, pk: int) -> HttpResponse:
    parent = _staff_org(request, pk)
    form = OrganizationForm(request.POST or None, kinds=CHILD_KINDS.get(parent.kind, set()))
    if request.method == "POST" and form.is_valid():
        try:
            fields = {k: v for k, v in form.cleaned_data.items() if k != form.fingerprint_field}
            node = services.organization_add(by=request.user, parent=parent, **fields)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已设立“%(name)s”") % {"name": node.name})
            return redirect(node.get_absolute_url())
    return _page(request, "organizations/manage_form.html", parent, form=form, title=_("设立下级组织"))


@login_required
def organization_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = _staff_org(request, pk)
    form = OrganizationForm(request.POST or None, instance=Organization.objects.get(pk=org.pk))
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in EDITABLE_FIELDS}
        if form.save_unless_stale(lambda: services.organization_update(by=request.user, organization=org, **fields)):
            messages.success(request, _("已保存"))
            return redirect(org.get_absolute_url())
    return _page(request, "organizations/manage_form.html", org, form=form, title=_("修改组织信息"))


def _unit_form(request, org: Organization, field: str, label: str) -> UnitChoiceForm:
    root = _scope_root(request, org)
    units = access.visible_organizations(request.user).filter(path__startswith=root.path, closed_on__isnull=True)
    search_url = reverse("organizations:organization_search", args=[root.pk])
    return UnitChoiceForm(request.POST or None, field=field, label=label, units=units, search_url=search_url)


@login_required
def organization_move(request: HttpRequest, pk: int) -> HttpResponse:
    org = _staff_org(request, pk, of_parent=True)
    form = _unit_form(request, org, "new_parent", _("移至哪个上级组织之下"))
    if request.method == "POST" and form.is_valid():
        try:
            services.organization_move(by=request.user, organization=org, new_parent=form.cleaned_data["new_parent"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已移动"))
            return redirect(org.get_absolute_url())
    return _page(request, "organizations/manage_form.html", org, form=form, title=_("移动组织"))


@login_required
def organization_merge(request: HttpRequest, pk: int) -> HttpResponse:
    org = _staff_org(request, pk, of_parent=True)
    form = _unit_form(request, org, "into", _("并入哪个组织"))
    if request.method == "POST" and form.is_valid():
        try:
            moved = services.organization_merge(by=request.user, organization=org, into=form.cleaned_data["into"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("已并入“%(name)s”：转入党员/教师 %(members)s 人、下级组织 %(children)s 个、岗位 %(posts)s 个")
                % {"name": form.cleaned_data["into"].name, "posts": moved.get("posts", 0), **moved},
            )
            return redirect(form.cleaned_data["into"].get_absolute_url())
    return _page(request, "organizations/manage_form.html", org, form=form, title=_("合并组织"), merge=True)


@login_required
def organization_close(request: HttpRequest, pk: int) -> HttpResponse:
    org = _staff_org(request, pk, of_parent=True)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.organization_close(by=request.user, organization=org, closed_on=form.cleaned_data["closed_on"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已撤销“%(name)s”，记录保留") % {"name": org.name})
            return redirect(org.get_absolute_url())
    return _page(request, "organizations/manage_form.html", org, form=form, title=_("撤销组织"), close=True)


@login_required
def organization_history(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.get_organization_for_user(request.user, pk)
    access.require(access.can_see_history(request.user, org))
    return history_page(
        request, org, title=_("%(name)s 的修改记录") % {"name": org.name}, back_url=org.get_absolute_url(), org=org
    )


@login_required
def roles(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretary and staff roles held at an organization; its committee staff appoint and remove them."""
    org = _staff_org(request, pk)
    form = RoleForm(request.POST or None, roles=assignable_roles(org))
    if request.method == "POST" and form.is_valid():
        try:
            services.role_assign(by=request.user, organization=org, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已任命"))
            return redirect("organizations:roles", pk=org.pk)
    return _page(request, "organizations/roles.html", org, form=form, holders=selectors.roles_at(org))


@login_required
@require_POST
def role_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    grant = get_object_or_404(
        access.scope(RoleAssignment.objects.select_related("organization", "user"), request.user), pk=pk
    )
    access.require(access.is_staff_of(request.user, grant.organization))
    try:
        services.role_revoke(by=request.user, assignment=grant)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已免去 %(who)s 的角色") % {"who": grant.user.get_full_name() or grant.user})
    return redirect("organizations:roles", pk=grant.organization_id)
