import importlib
import random

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "载入演示数据（泉州市教育系统组织架构、虚构人员、各模块示例数据）。可重复执行。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--with-demo-logins",
            action="store_true",
            help="DEBUG 关闭时也创建演示账号（密码 demo168）。生产环境切勿使用。",
        )
        parser.add_argument("--seed", type=int, default=168)

    def handle(self, *args, **options):
        with_logins = settings.DEBUG or options["with_demo_logins"]
        if not settings.DEBUG and not options["with_demo_logins"]:
            raise CommandError("DEBUG 已关闭：演示账号默认不创建。确需创建请加 --with-demo-logins。")
        rng = random.Random(options["seed"])
        # each app may offer demo data in <app>/demo.py; called in INSTALLED_APPS (layer) order
        for config in apps.get_app_configs():
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            module.load(stdout=self.stdout, rng=rng, with_logins=with_logins)
            self.stdout.write(f"  [{config.verbose_name}] 演示数据就绪")
        self.stdout.write(self.style.SUCCESS("演示数据已载入。"))
