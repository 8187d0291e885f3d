"""Reports: subtree B gets a quarterly report of its own (乙县 reports here, as a county committee may) and an export."""

from django.core.files.base import ContentFile

from reports.models import ExportJob, QuarterlyReport
from reports.selectors import quarter_due_date
from tests.matrix import Case, entry

YEAR, QUARTER = 2026, 4


def _report_b(w) -> QuarterlyReport:
    w.county_b.reports_quarterly = True
    w.county_b.save(update_fields=["reports_quarterly"])
    report, _ = QuarterlyReport.objects.get_or_create(
        organization=w.county_b,
        year=YEAR,
        quarter=QUARTER,
        defaults={"due_on": quarter_due_date(YEAR, QUARTER), "practices": "乙县的做法"},
    )
    return report


def _job_b(w) -> ExportJob:
    job = ExportJob.objects.filter(organization=w.school_b).first()
    if job is None:
        job = ExportJob(
            requested_by=w.user("school_b_secretary"),
            organization=w.school_b,
            kind="annex2",
            params={"year": YEAR},
            state=ExportJob.State.DONE,
            filename="乙校.pdf",
        )
        job.file.save("b.pdf", ContentFile("%PDF-1.4 乙校".encode()), save=False)
        job.save()
    return job


@entry("reports:dashboard")
def _dashboard(w):
    return [
        Case(scan=True, owner=None),
        Case(owner="county_b_staff", query=f"org={w.county_b.pk}"),
        Case(owner="school_b_secretary", query=f"org={w.school_b.pk}&year=2026&quarter=4"),
    ]


@entry("reports:quarterly_list")
def _quarterly_list(w):
    _report_b(w)
    return [Case(scan=True, owner=None), Case(scan=True, owner="county_b_staff", query="year=2026&quarter=4")]


@entry("reports:quarterly_open")
def _open(w):
    _report_b(w)
    return Case(
        kwargs={"pk": w.county_b.pk}, method="post", data={"year": YEAR, "quarter": QUARTER}, owner="county_b_staff"
    )


@entry("reports:quarterly_detail", "reports:quarterly_xlsx", "reports:quarterly_pdf")
def _detail(w):
    pk = _report_b(w).pk
    return [Case(kwargs={"pk": pk}, owner="county_b_staff"), Case(kwargs={"pk": pk}, owner="city_staff")]


@entry("reports:quarterly_refresh", "reports:quarterly_submit")
def _unit_actions(w):
    report = _report_b(w)
    return Case(kwargs={"pk": report.pk}, method="post", data={"version": report.version}, owner="county_b_staff")


@entry("reports:quarterly_return", "reports:quarterly_accept")
def _review(w):
    report = _report_b(w)
    return Case(
        kwargs={"pk": report.pk}, method="post", data={"version": report.version, "reason": "乙县退回"}, owner="city_staff"
    )


@entry("reports:consolidation_xlsx", "reports:consolidation_pdf")
def _consolidation(w):
    _report_b(w)
    return Case(scan=True, owner="city_staff", query=f"year={YEAR}&quarter={QUARTER}")


@entry(
    "reports:annexes", "reports:annex1_xlsx", "reports:annex1_pdf", "reports:annex2_xlsx", "reports:annex2_pdf"
)
def _annexes(w):
    return [
        Case(kwargs={"pk": w.school_b.pk}, query="year=2026"),
        Case(kwargs={"pk": w.branch_b.pk}, owner="branch_b_secretary"),
    ]


@entry("reports:export_job", "reports:export_download")
def _jobs(w):
    return Case(kwargs={"pk": _job_b(w).pk})


@entry("reports:roles")
def _roles(w):
    return [Case(kwargs={"pk": w.school_b.pk}), Case(kwargs={"pk": w.county_b.pk}, owner="county_b_staff")]
