from tests.matrix import Case, entry


@entry("home")
def _home(w):
    return Case(scan=True, owner=None)


@entry("login", "logout", "password_change", "password_change_done")
def _auth(w):
    return Case(scan=True, owner=None, public=True)


@entry("organizations:tree")
def _tree(w):
    return [Case(scan=True, owner=None), Case(scan=True, owner=None, query="q=乙")]


@entry("organizations:detail", "organizations:children", "organizations:members")
def _org(w):
    return [Case(kwargs={"pk": w.school_b.pk}), Case(kwargs={"pk": w.branch_b.pk}, owner="branch_b_secretary")]


@entry("organizations:member_detail")
def _member(w):
    return [Case(kwargs={"pk": w.member_b.pk}), Case(kwargs={"pk": w.member_b.pk}, owner="member_b")]
