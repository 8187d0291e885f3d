"""Demo data: the current work year, open (the city committee opens the next one from the years page)."""

from __future__ import annotations

import random

from .models import WorkYear
from .selectors import current_year


def load(*, stdout, rng: random.Random, with_logins: bool = True, year: int | None = None) -> None:
    year = year or current_year()
    _work, created = WorkYear.objects.get_or_create(year=year)
    stdout.write(f"工作年度：{year}年度{'已开启' if created else '已存在'}（日历按政策默认时间，可在“年度日历”中调整）")
