from django.core.management.base import BaseCommand

from organizations.demo import DEMO_LOGINS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "列出演示账号及密码。"

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/", help="服务地址")

    def handle(self, *args, **options):
        self.stdout.write("")
        self.stdout.write(f"168 演示账号（密码均为 {DEMO_PASSWORD}）：")
        for username, who, where in DEMO_LOGINS:
            self.stdout.write(f"  {username:<8} {who} —— {where}")
        self.stdout.write(f"打开 {options['url']} 登录。")
        self.stdout.write("")
