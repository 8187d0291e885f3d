from accounts.models import IssueBatch
from organizations.enums import OrgKind
from organizations.models import Member, Organization
from organizations.services import organization_create
from tests.matrix import Case, entry
from tests.world import make_member, make_user


def _spare_branch(w) -> Organization:
    """A second branch of school B, so that a case that changes a login (issues one, stops one) leaves member_b, whom
    later cases sign in as, and branch B's roll, which other cases rate, as they were."""
    found = Organization.objects.filter(code="T-B-S-B2").first()
    return found or organization_create(
        parent=w.school_b, name="乙校第二支部", kind=OrgKind.BRANCH, code="T-B-S-B2", school_name="乙校"
    )


def _spare_member(w, name: str, *, with_login: bool) -> Member:
    branch = _spare_branch(w)
    found = Member.objects.filter(organization=branch, name=name).first()
    if found:
        return found
    user = make_user(f"matrix_spare_{Member.objects.count()}") if with_login else None
    return make_member(branch, name, phone=f"1370000{Member.objects.count():04d}", user=user)


@entry(
    "accounts:activate", "accounts:password_reset", "accounts:password_reset_done", "accounts:password_reset_complete",
    "accounts:sms_request", "accounts:sms_reset",
)  # fmt: skip
def _public(w):
    return Case(scan=True, owner=None, public=True)


@entry("accounts:password_reset_confirm")
def _reset_confirm(w):
    return Case(kwargs={"uidb64": "MQ", "token": "set-password"}, public=True, owner=None)


@entry("accounts:profile")
def _profile(w):
    return Case(scan=True, owner=None)


@entry("accounts:logins")
def _logins(w):
    return [Case(kwargs={"pk": w.school_b.pk}), Case(kwargs={"pk": w.branch_b.pk}, owner="branch_b_secretary")]


@entry("accounts:logins_issue")
def _logins_issue(w):
    member = _spare_member(w, "乙待发账号", with_login=False)
    return Case(kwargs={"pk": member.organization_id}, method="post", data={"member": [member.pk]})


@entry("accounts:sheet")
def _sheet(w):
    batch = IssueBatch.objects.create(organization=w.branch_b, issued_by=w.user("school_b_secretary"))
    return Case(kwargs={"pk": batch.pk})


@entry("accounts:login_state")
def _login_state(w):
    member = _spare_member(w, "乙停用账号", with_login=True)
    return Case(kwargs={"pk": member.pk}, method="post", data={"action": "deactivate"}, owner="county_b_staff")


@entry("accounts:oidc_login", "accounts:oidc_callback", "accounts:cas_login")
def _single_sign_on(w):
    # public entry points of single sign-on; 404 unless the deployment configures a provider (tests/test_accounts_sso.py
    # walks them against a real one). They show nobody's data.
    return Case(scan=True, owner=None, public=True)
