import datetime

from django.core.management.base import BaseCommand, CommandError

from notifications.services import emails_retry, reminders_send


class Command(BaseCommand):
    help = "发送当天到期的提醒（与 Celery beat 每日任务相同，也可由 cron 调用）。每条提醒只发一次，重复执行不会重复发送。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按哪一天计算到期提醒（YYYY-MM-DD，默认今天）")
        parser.add_argument("--dry-run", action="store_true", help="只列出将要发送的提醒，不发送、不记录")
        parser.add_argument(
            "--emails-only", action="store_true",
            help="只重试发送失败的邮件（与 beat 每隔几分钟的任务相同；没有 Redis 时可放进 cron）",
        )

    def handle(self, *args, **options):
        day = None
        if options["date"]:
            try:
                day = datetime.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError("日期格式应为 YYYY-MM-DD") from exc
        if options["emails_only"]:
            retry = emails_retry(today=day)
            line = f"邮件：发出 {retry.sent} 封，失败 {retry.failed} 封，作废 {retry.obsolete} 封，待发 {retry.pending} 封"
            if retry.failed:
                raise CommandError(line)
            self.stdout.write(line)
            return
        report = reminders_send(today=day, dry_run=options["dry_run"])
        for name in report.failed_rules:
            self.stderr.write(self.style.ERROR(f"提醒规则 {name} 出错，已跳过（详见日志）"))
        if options["dry_run"]:
            self.stdout.write(f"{report.today}：到期提醒 {report.due} 条，已发过 {report.already_sent} 条，将发送 {len(report.planned)} 条")
            for item in report.planned:
                self.stdout.write(f"  {item.subject}  →  {'、'.join(item.recipients)}  [{item.key}]")
            return
        line = (
            f"{report.today}：到期提醒 {report.due} 条，已发过 {report.already_sent} 条，"
            f"本次发出 {report.dispatched} 条（站内通知 {report.notices} 条，邮件 {report.emails} 封）"
        )
        if report.emails_failed:
            # not a success: the failed emails stay pending and are retried, but whoever runs this must know
            raise CommandError(
                f"{line}；邮件发送失败 {report.emails_failed} 封（将按间隔重试），作废 {report.emails_obsolete} 封，"
                f"待发 {report.emails_pending} 封"
            )
        self.stdout.write(self.style.SUCCESS(line))
