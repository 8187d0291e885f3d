"""The one-page PDFs: Annex 3 of school B's plan, Annex 4 and the 公开承诺书 of member B (access rule), and the
public letter of member B (published to society, open to everyone)."""

from tests.matrix import Case, entry
from tests.matrix.posts import _b as _posts_b
from tests.matrix.targets import _b as _targets_b


@entry("reports:annex3_pdf")
def _annex3(w):
    return Case(kwargs={"pk": _targets_b(w)["plan"].pk})


@entry("reports:annex4_pdf", "reports:pledge_pdf")
def _member_documents(w):
    _posts_b(w)
    return [Case(kwargs={"member_pk": w.member_b.pk}), Case(kwargs={"member_pk": w.member_b.pk}, owner="member_b")]


@entry("reports:pledge_public_pdf")
def _public_pledge(w):
    _posts_b(w)
    return Case(kwargs={"member_pk": w.member_b.pk}, public=True, owner=None)
