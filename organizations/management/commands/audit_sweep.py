from django.conf import settings
from django.core.management.base import BaseCommand

from organizations.services.audit import audit_sweep


class Command(BaseCommand):
    help = "删除超过保存期限（AUDIT_RETENTION_DAYS）的登录、登录失败和导出记录"

    def handle(self, *args, **options):
        deleted = audit_sweep()
        self.stdout.write(f"{deleted} audit events older than {settings.AUDIT_RETENTION_DAYS} days deleted")
