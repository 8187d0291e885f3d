from tests.matrix import Case, entry


@entry("home", "home_badge", "reports:home_summary")
def _home(w):
    return Case(scan=True, owner=None)


@entry("login", "logout", "password_change", "password_change_done")
def _auth(w):
    return Case(scan=True, owner=None, public=True)


@entry("organizations:tree")
def _tree(w):
    return [Case(scan=True, owner=None), Case(scan=True, owner=None, query="q=乙")]


@entry("organizations:detail", "organizations:children", "organizations:members", "organizations:members_xlsx")
def _org(w):
    return [Case(kwargs={"pk": w.school_b.pk}), Case(kwargs={"pk": w.branch_b.pk}, owner="branch_b_secretary")]


@entry("organizations:member_detail")
def _member(w):
    return [Case(kwargs={"pk": w.member_b.pk}), Case(kwargs={"pk": w.member_b.pk}, owner="member_b")]


# ---- honours, typical units, contact points, coverage, members, roster import ------------------------


def _x(w):
    from tests.organizations_fixtures import org_extras

    return org_extras(w)


@entry("organizations:honours", "organizations:coverage", "organizations:coverage_xlsx", "organizations:demonstrations")
def _org_pages(w):
    _x(w)
    return [
        Case(kwargs={"pk": w.school_b.pk}),
        Case(kwargs={"pk": w.branch_b.pk}, owner="branch_b_secretary"),
        Case(kwargs={"pk": w.county_b.pk}, owner="county_b_staff"),
        Case(kwargs={"pk": w.county_b.pk}, owner="county_b_staff", query=f"county={w.school_b.pk}"),
    ]


@entry("organizations:contacts", "organizations:contacts_missing", "organizations:demonstration_create")
def _committee_pages(w):
    _x(w)
    return Case(kwargs={"pk": w.county_b.pk}, owner="county_b_staff")


@entry("organizations:organization_search")
def _organization_search(w):
    return Case(kwargs={"pk": w.county_b.pk}, owner="county_b_staff", query=f"organization_q={w.school_b.name}")


@entry("organizations:launch")
def _launch(w):
    return Case(kwargs={"pk": w.branch_b.pk}, method="post", data={"launched_on": "2026-03-01"})


@entry("organizations:honour_delete")
def _honour_delete(w):
    return Case(kwargs={"pk": _x(w)["honour_b"].pk}, method="post", owner=None)


@entry("organizations:honour_titles", "organizations:roster_template")
def _no_object(w):
    return Case(scan=True, owner=None)


@entry("organizations:demonstration_detail", "organizations:demonstration_edit")
def _demo(w):
    return Case(kwargs={"pk": _x(w)["demo_b"].pk}, owner="county_b_staff")


@entry("organizations:leader_detail", "organizations:leader_edit")
def _leader(w):
    return Case(kwargs={"pk": _x(w)["leader_b"].pk}, owner="county_b_staff")


@entry("organizations:contact_point")
def _point(w):
    return Case(kwargs={"pk": _x(w)["point_b"].pk}, owner="county_b_staff")


@entry("organizations:member_create")
def _member_create(w):
    return Case(kwargs={"pk": w.branch_b.pk})


@entry("organizations:member_edit")
def _member_edit(w):
    return [Case(kwargs={"pk": w.member_b.pk}), Case(kwargs={"pk": w.member_b.pk}, owner="member_b")]


@entry("organizations:member_invite")
def _member_invite(w):
    return Case(kwargs={"pk": w.member_b.pk}, owner="branch_b_secretary")


@entry("organizations:invite_accept")
def _invite_accept(w):
    return Case(kwargs={"uidb64": "MQ", "token": "set-password"}, public=True, owner=None)


@entry("organizations:roster_demo", "organizations:roster_import")
def _roster_branch(w):
    return Case(kwargs={"pk": w.branch_b.pk}, owner="branch_b_secretary")


@entry("organizations:roster_import_detail", "organizations:roster_import_errors")
def _roster_record(w):
    return Case(kwargs={"pk": _x(w)["import_b"].pk}, owner="branch_b_secretary")


# ---- the tree and its roles, leaving and transfers, the audit log ----------------------------------------------------


@entry(
    "organizations:organization_add",
    "organizations:organization_edit",
    "organizations:organization_move",
    "organizations:organization_merge",
    "organizations:organization_close",
    "organizations:roles",
    "organizations:audit",
    "organizations:audit_xlsx",
)
def _tree_admin(w):
    return Case(kwargs={"pk": w.school_b.pk}, owner="county_b_staff")


@entry("organizations:organization_history")
def _org_history(w):
    return [Case(kwargs={"pk": w.branch_b.pk}), Case(kwargs={"pk": w.county_b.pk}, owner="county_b_staff")]


@entry("organizations:role_revoke")
def _role_revoke(w):
    from organizations.models import RoleAssignment
    from tests.world import make_user

    grant = RoleAssignment.objects.create(user=make_user("revoked_b"), organization=w.branch_b, role="branch_secretary")
    return Case(kwargs={"pk": grant.pk}, method="post", owner="county_b_staff")


@entry("organizations:member_leave", "organizations:member_transfer")
def _member_leaving(w):
    return Case(kwargs={"pk": w.member_b.pk}, owner="branch_b_secretary")
