import datetime

from django.core.management.base import BaseCommand, CommandError

from evaluations.services.windows import periods_sweep


class Command(BaseCommand):
    help = (
        "按年度日历开启考评期并同步日期（与 Celery beat 每日任务相同；send_reminders 也会先做这一步）。"
        "重复执行不会重复创建。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按哪一天计算（YYYY-MM-DD，默认今天）")

    def handle(self, *args, **options):
        day = None
        if options["date"]:
            try:
                day = datetime.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError("日期格式应为 YYYY-MM-DD") from exc
        report = periods_sweep(today=day)
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.today}：基层党组织 {report.organizations} 个，新开启考评期 {report.created} 个，"
                f"日期随日历调整 {report.moved} 个，逾期未结束 {report.late} 个"
            )
        )
