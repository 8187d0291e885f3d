from tests.matrix import Case, entry


@entry("scorecards:index")
def _index(w):
    return Case(scan=True)


@entry("scorecards:table", "scorecards:table_xlsx")
def _table(w):
    return Case(kwargs={"org_pk": w.county_b.pk}, owner="county_b_staff")


@entry("scorecards:card", "scorecards:card_pdf")
def _card(w):
    return Case(kwargs={"org_pk": w.school_b.pk})


@entry("scorecards:scheme")
def _scheme(w):
    data = {"weight_posts": 100, "threshold_posts": 90}
    return [Case(kwargs={"org_pk": w.county_b.pk}, owner="county_b_staff"),
            Case(kwargs={"org_pk": w.county_b.pk}, owner="county_b_staff", method="post", data=data)]  # fmt: skip
