from django.core.files.uploadedfile import SimpleUploadedFile

from tests.matrix import Case, entry

PDF = b"%PDF-1.4\n%%EOF\n"


def _b(w) -> dict:
    """A plan of school B walked through all six steps, with an evidence file and a long-term target (made once)."""
    if "targets_b" not in w.extra:
        from targets import services
        from targets.enums import Step
        from targets.models import ProgressEntry
        from tests.targets_fixtures import DAY, make_plan, walk

        by = w.user("school_b_secretary")
        plan = make_plan(w.school_b, by, featured_work="乙校特色")
        walk(plan, by, through=Step.EVALUATION)
        item = plan.items.first()
        services.progress_record(
            item=item, by=by, recorded_on=DAY, status="done", percent=100, note="乙校完成",
            evidence=SimpleUploadedFile("乙校证明.pdf", PDF),
        )  # fmt: skip
        services.plan_attach_research_report(plan=plan, file=SimpleUploadedFile("乙校调研.pdf", PDF), by=by)
        from targets.selectors import long_term_proposals

        # one level above whatever honour other fixtures may already have given school B
        level = next(p["proposed"] for p in long_term_proposals(w.school_b) if p["title"] == "先进基层党组织")
        target = services.long_term_target_set(
            organization=w.school_b, track="party", title="先进基层党组织", level=level, due_year=DAY.year + 3, by=by
        )
        w.extra["targets_b"] = {
            "plan": plan,
            "item": item,
            "event": plan.opinion_events.first(),
            "opinion": plan.opinions.first(),
            "entry": ProgressEntry.objects.filter(item=item).exclude(evidence="").first(),
            "target": target,
        }
    return w.extra["targets_b"]


@entry("targets:index")
def _index(w):
    _b(w)
    return [Case(scan=True, owner=None), Case(scan=True, owner=None, query="year=2026")]


@entry("targets:org_plans", "targets:longterm")
def _org(w):
    _b(w)
    return Case(kwargs={"org_pk": w.school_b.pk})


@entry("targets:plan_create")
def _plan_create(w):
    return Case(kwargs={"org_pk": w.school_b.pk})


@entry("targets:longterm_set")
def _longterm_set(w):
    data = {"track": "party", "title": "先进基层党组织", "party-先进基层党组织-level": "city",
            "party-先进基层党组织-due_year": "2030"}  # fmt: skip
    return Case(kwargs={"org_pk": w.school_b.pk}, method="post", data=data)


@entry("targets:longterm_outcome")
def _outcome(w):
    t = _b(w)["target"]
    return Case(kwargs={"pk": t.pk}, method="post", data={f"t{t.pk}-outcome": "achieved"})


@entry("targets:plan_detail", "targets:plan_edit", "targets:plan_report", "targets:plan_history")
def _plan(w):
    return Case(kwargs={"pk": _b(w)["plan"].pk})


@entry("targets:step")
def _step(w):
    plan = _b(w)["plan"]
    return [Case(kwargs={"pk": plan.pk, "step": s}) for s in ["opinions", "decision", "decomposition",
            "public_commitment", "implementation", "evaluation"]]  # fmt: skip


@entry("targets:step_complete", "targets:step_reopen")
def _step_post(w):
    return Case(kwargs={"pk": _b(w)["plan"].pk, "step": "evaluation"}, method="post", data={})


@entry("targets:event_create", "targets:meeting_create", "targets:item_create", "targets:publish",
       "targets:joint_create", "targets:review_create")  # fmt: skip
def _plan_post(w):
    return Case(kwargs={"pk": _b(w)["plan"].pk}, method="post", data={})


@entry("targets:opinion_add")
def _opinion_add(w):
    return Case(kwargs={"pk": _b(w)["event"].pk}, method="post", data={})


@entry("targets:opinion_sort")
def _opinion_sort(w):
    return Case(kwargs={"pk": _b(w)["opinion"].pk}, method="post", data={})


@entry("targets:my_items")
def _my_items(w):
    _b(w)
    return Case(scan=True, owner=None)


@entry("targets:public_opinions")
def _public_opinions(w):
    _b(w)
    return Case(kwargs={"org_pk": w.school_b.pk})


@entry("targets:opinion_answer")
def _opinion_answer(w):
    return Case(kwargs={"pk": _b(w)["opinion"].pk}, method="post", data={})


@entry("targets:items_grid")
def _grid(w):
    return Case(kwargs={"pk": _b(w)["plan"].pk})


@entry("targets:items_copy")
def _grid_copy(w):
    # plan B has no plan the year before: the owner is told so (back to the table), nothing is copied
    return Case(kwargs={"pk": _b(w)["plan"].pk}, method="post", data={})


@entry("targets:item_detail", "targets:item_edit", "targets:item_history")
def _item(w):
    return Case(kwargs={"pk": _b(w)["item"].pk})


@entry("targets:item_delete", "targets:progress_create")
def _item_post(w):
    return Case(kwargs={"pk": _b(w)["item"].pk}, method="post", data={})


@entry("targets:evidence")
def _evidence(w):
    return Case(kwargs={"pk": _b(w)["entry"].pk})


@entry("targets:public", "targets:public_qr")
def _public(w):
    _b(w)
    return Case(kwargs={"org_pk": w.school_b.pk}, public=True, owner=None)


@entry("targets:plan_start")
def _plan_start(w):
    _b(w)  # the 2026 plan exists: the owner's request is refused without writing, outsiders must get 404
    return Case(kwargs={"org_pk": w.school_b.pk}, method="post", data={"year": "2026"})
