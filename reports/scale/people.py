"""The logins the benchmarks use, one per kind of user, placed in the generated tree."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from organizations.enums import Role
from organizations.models import Member, RoleAssignment

from .tree import Tree

BENCH_PASSWORD = "bench-168-pass"
# username → (role, how to find the organization in the tree)
BENCH_USERS = {
    "bench_city": Role.CITY_STAFF,
    "bench_county": Role.COUNTY_STAFF,
    "bench_unit": Role.UNIT_STAFF,
    "bench_school": Role.SECRETARY,
    "bench_branch": Role.BRANCH_SECRETARY,
    "bench_member": Role.MEMBER,
}


def _places(tree: Tree) -> dict:
    county = tree.counties[0]
    school = next((s for s in tree.schools if s.path.startswith(county.path) and s.numchild), None)
    school = school or (tree.schools[0] if tree.schools else tree.units[0])
    branch = next((b for b in tree.branches if b.path.startswith(school.path)), tree.branches[0])
    return {
        "bench_city": tree.root,
        "bench_county": county,
        "bench_unit": tree.units[0],
        "bench_school": school,
        "bench_branch": branch,
        "bench_member": branch,
    }


def build_logins(tree: Tree) -> dict[str, int]:
    """Create (or move) the bench logins to this tree; return username → organization pk."""
    User = get_user_model()
    password = make_password(BENCH_PASSWORD)
    placed: dict[str, int] = {}
    for username, org in _places(tree).items():
        user, _created = User.objects.get_or_create(username=username, defaults={"first_name": username})
        user.password = password
        user.save(update_fields=["password"])
        RoleAssignment.objects.filter(user=user).delete()
        RoleAssignment.objects.create(user=user, organization=org, role=BENCH_USERS[username])
        placed[username] = org.pk
    member_user = User.objects.get(username="bench_member")
    Member.objects.filter(user=member_user).update(user=None)
    first = Member.objects.filter(organization_id=placed["bench_member"]).order_by("pk").first()
    if first is not None:
        first.user = member_user
        first.save(update_fields=["user"])
    return placed
