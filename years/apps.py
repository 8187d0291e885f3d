from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class YearsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "years"
    verbose_name = _("工作年度与日历")
