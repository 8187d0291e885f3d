"""The policy's words for 年初有布置、年中有巡查、年终有讲评表彰 (policy 四.3)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CheckArea(models.TextChoices):
    """What an inspection looked at."""

    SIX_STEPS = "six_steps", _("六步工作法")
    COVERAGE = "coverage", _("推广面")
    POSTS = "posts", _("亮岗履职")
    RATINGS = "ratings", _("考评")
