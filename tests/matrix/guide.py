from tests.matrix import Case, entry


@entry("guide:index")
def _index(w):
    return Case(scan=True, owner=None)


@entry("guide:role")
def _role(w):
    return [Case(kwargs={"slug": slug}, scan=True, owner=None) for slug in ("city", "unit", "school", "branch", "member")]
