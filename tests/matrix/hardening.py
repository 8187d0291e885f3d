"""Access-matrix entries for the audit-trail pages (修改记录)."""

from tests.matrix import Case, entry


@entry("organizations:member_history")
def _member_history(w):
    # the member sees their own record but not its audit trail (403, which the matrix treats as “not reached”)
    return [Case(kwargs={"pk": w.member_b.pk}), Case(kwargs={"pk": w.member_b.pk}, owner="branch_b_secretary")]


@entry("reports:quarterly_history")
def _quarterly_history(w):
    from tests.matrix.reports import _report_b

    pk = _report_b(w).pk
    return [Case(kwargs={"pk": pk}, owner="county_b_staff"), Case(kwargs={"pk": pk}, owner="city_staff")]


@entry("evaluations:assessment_history")
def _assessment_history(w):
    from evaluations.models import Assessment
    from tests.evaluations_fixtures import b_objects

    closed = b_objects(w)["closed"]
    assessment = Assessment.objects.get(period=closed, member=w.member_b)
    return [Case(kwargs={"pk": assessment.pk}, owner="branch_b_secretary"), Case(kwargs={"pk": assessment.pk})]


@entry("evaluations:rating_history")
def _rating_history(w):
    from tests.evaluations_fixtures import b_objects

    pk = b_objects(w)["rating"].pk
    return [Case(kwargs={"pk": pk}, owner="branch_b_secretary"), Case(kwargs={"pk": pk})]
