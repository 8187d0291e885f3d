"""The words of 情况通报 and 简报 (五.三 建立完善情况通报制度；五.二 通过会议、简报等形式宣传介绍好做法、好经验)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BriefState(models.TextChoices):
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("已退回修改")
    PUBLISHED = "published", _("已编发简报")
