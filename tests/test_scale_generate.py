"""generate_scale writes a valid tree of the asked size, with members, logins and the other apps' data."""

import json
from io import StringIO

from django.apps import apps
from django.core.management import call_command

from organizations.enums import OrgKind, Role
from organizations.models import Member, Organization, RoleAssignment


def generate(**sizes) -> dict:
    out = StringIO()
    call_command("generate_scale", json=True, stdout=out, **sizes)
    return json.loads(out.getvalue())


def test_it_builds_a_valid_tree_of_the_asked_size(db):
    summary = generate(orgs=60, members=300, units=4)

    assert Organization.objects.count() == 60
    assert Member.objects.count() == 300
    assert all(problem == [] for problem in Organization.objects.find_problems())
    root = Organization.objects.get(pk=summary["root"])
    assert root.is_root() and Organization.objects.get_descendant_count(root) == 59
    assert Organization.objects.filter(reports_quarterly=True).count() == 4
    assert Organization.objects.filter(kind=OrgKind.COUNTY_COMMITTEE).exists()
    # members sit in branches only
    assert not Member.objects.exclude(organization__kind=OrgKind.BRANCH).exists()


def test_it_adds_a_second_tree_beside_existing_data(world):
    before = Organization.objects.count()
    generate(orgs=30, members=100)

    assert Organization.objects.count() == before + 30
    assert all(problem == [] for problem in Organization.objects.find_problems())
    assert Organization.objects.get_root_nodes().count() == 2


def test_it_places_the_bench_logins_in_the_new_tree(db):
    summary = generate(orgs=40, members=120)

    city = RoleAssignment.objects.get(user__username="bench_city")
    assert city.role == Role.CITY_STAFF and city.organization_id == summary["root"]
    branch = RoleAssignment.objects.get(user__username="bench_branch").organization
    assert branch.kind == OrgKind.BRANCH
    assert Member.objects.filter(user__username="bench_member", organization=branch).exists()


def test_it_copes_with_the_smallest_size(db):
    generate(orgs=6, members=5)

    assert Organization.objects.count() == 6
    assert all(problem == [] for problem in Organization.objects.find_problems())


OTHER_APPS = [
    ("targets.AnnualPlan", "plans"),
    ("targets.TargetItem", "target_items"),
    ("posts.Post", "posts"),
    ("posts.PostClaim", "post_claims"),
    ("posts.Commitment", "commitments"),
    ("evaluations.EvaluationPeriod", "evaluation_periods"),
    ("evaluations.Rating", "ratings"),
    ("reports.QuarterlyReport", "quarterly_reports"),
]


def test_it_fills_the_other_apps_with_valid_rows(db):
    summary = generate(orgs=40, members=200, units=6)

    for label, key in OTHER_APPS:
        try:
            model = apps.get_model(label)
        except LookupError:  # that app's models are not there yet: the generator skips it too
            continue
        assert summary["counts"][key] == model.objects.count() > 0, label
        for row in model.objects.all()[:10]:
            row.full_clean(validate_unique=False)
