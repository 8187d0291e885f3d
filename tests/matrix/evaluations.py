from tests.evaluations_fixtures import b_objects
from tests.matrix import Case, entry

BRANCH = "branch_b_secretary"


@entry("evaluations:my_results")
def _mine(w):
    return Case(scan=True, owner=None)


@entry("evaluations:org_periods", "evaluations:settings", "evaluations:awards", "evaluations:reserve",
       "evaluations:rectifications")
def _org(w):
    return [Case(kwargs={"org_pk": w.branch_b.pk}, owner=BRANCH), Case(kwargs={"org_pk": w.school_b.pk})]


@entry("evaluations:year_end", "evaluations:year_end_xlsx")
def _year(w):
    return Case(kwargs={"org_pk": w.branch_b.pk, "year": 2026}, owner=BRANCH)


@entry("evaluations:appraisals")
def _appraisals(w):
    return Case(kwargs={"org_pk": w.branch_b.pk, "year": 2026}, owner=BRANCH, method="post",
                data={"member": [str(w.member_b.pk)], f"conclusion_{w.member_b.pk}": "qualified"})


@entry("evaluations:appraisal")
def _appraisal(w):
    return Case(kwargs={"org_pk": w.branch_b.pk, "year": 2026, "member_pk": w.member_b.pk}, owner=BRANCH,
                method="post", data={"conclusion": "qualified", "notes": ""})


@entry("evaluations:period_detail", "evaluations:poll", "evaluations:poll_sheet",
       "evaluations:assess_batch")
def _period(w):
    return Case(kwargs={"pk": b_objects(w)["period"].pk}, owner=BRANCH)


@entry("evaluations:period_close", "evaluations:period_reopen")
def _period_post(w):
    # a closed period: closing again and reopening without a reason are both refused, so nothing changes
    return Case(kwargs={"pk": b_objects(w)["closed"].pk}, owner=BRANCH, method="post", data={})


@entry("evaluations:period_closing")
def _closing(w):
    return Case(kwargs={"pk": b_objects(w)["period"].pk}, owner=BRANCH)


@entry("evaluations:absence_mark", "evaluations:absence_clear")
def _absence(w):
    # empty forms: the owner is told what is missing (400 / back to the close page), nothing is marked or cleared
    return Case(kwargs={"pk": b_objects(w)["period"].pk}, owner=BRANCH, method="post", data={})


@entry("evaluations:self_evaluation")
def _self(w):
    return Case(kwargs={"pk": b_objects(w)["period"].pk}, owner="member_b")


@entry("evaluations:assessment")
def _assess(w):
    return Case(kwargs={"pk": b_objects(w)["period"].pk, "member_pk": w.member_b.pk}, owner=BRANCH)


@entry("evaluations:vote")
def _vote(w):
    o = b_objects(w)
    # public by design: the voting page works without an account (its URL carries the poll's key only; the one-time
    # code travels in the POST body)
    return [
        Case(kwargs={"key": o["period"].poll.public_key}, owner=None, public=True),
        # a poll key that does not exist is not found for anyone: 404
        Case(kwargs={"key": "no-such-poll-key"}, owner=None),
    ]


@entry("evaluations:award_round")
def _round(w):
    return [Case(kwargs={"pk": b_objects(w)["round"].pk}), Case(kwargs={"pk": b_objects(w)["round"].pk}, owner=BRANCH)]


@entry("evaluations:nomination_decide")
def _nomination(w):
    return Case(kwargs={"pk": b_objects(w)["nomination"].pk}, method="post", data={})


@entry("evaluations:reserve_decide")
def _reserve(w):
    return Case(kwargs={"pk": b_objects(w)["proposal"].pk}, owner=BRANCH, method="post", data={})


@entry("evaluations:rectification_open")
def _rectify(w):
    return Case(kwargs={"pk": b_objects(w)["rating"].pk}, owner=BRANCH)


@entry("evaluations:rectification")
def _rect(w):
    return [Case(kwargs={"pk": b_objects(w)["rect"].pk}, owner=BRANCH),
            Case(kwargs={"pk": b_objects(w)["rect"].pk}, owner="member_b")]


@entry("evaluations:results_publication")
def _publication(w):
    return Case(kwargs={"pk": b_objects(w)["closed"].pk}, owner=BRANCH)


@entry("evaluations:period_results", "evaluations:period_results_xlsx")
def _published_results(w):
    # B's closed period published to 全校: B's member sees the list; nobody of subtree A or the public does
    from evaluations.enums import PublicationScope
    from evaluations.models import PeriodPublication

    closed = b_objects(w)["closed"]
    PeriodPublication.objects.get_or_create(
        period=closed, defaults={"scope": PublicationScope.SCHOOL, "set_by": w.user(BRANCH)}
    )
    return Case(kwargs={"pk": closed.pk}, owner="member_b")
