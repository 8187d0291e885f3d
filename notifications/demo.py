"""Demo inbox: a few notices for the demo logins, so the bell in the navigation shows something real.

Idempotent: a login that already has notices gets none. No email is sent (the demo users have no address).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse

from .models import Notice
from .sweep import link

DEMO_NOTICES = {
    "city": [("季报表：尚有单位未报送", "本季度季报表截止前仍有报送单位未报送，请到季报表汇总页查看。", "reports:quarterly_list")],
    "unit": [
        ("本季度季报表还有7天截止", "泉州师范学院党委：本季度季报表应于本季度第三个月20日前报送，请及时填报并报送。", "reports:quarterly_list"),
    ],
    "school": [("有承诺等待审核", "支部党员提交的岗位承诺已等待审核超过3天，请审核通过或退回修改。", "posts:mine")],
    "branch": [("有承诺等待审核", "本支部党员提交的岗位承诺已等待审核超过3天，请审核通过或退回修改。", "posts:mine")],
    "member": [
        ("述岗自评还有3天截止", "本期考评即将截止，您还没有填写述岗自评，请及时填写。", "evaluations:my_results"),
        ("欢迎使用168机制管理平台", "在这里认岗、写承诺、记履职，并查看考评结果。", ""),
    ],
}


def load(*, stdout, rng, with_logins: bool) -> None:
    users = get_user_model().objects.filter(username__in=DEMO_NOTICES).in_bulk(field_name="username")
    has_notices = set(Notice.objects.filter(recipient__in=users.values()).values_list("recipient_id", flat=True))
    notices = [
        Notice(recipient=user, subject=subject, body=body, url=link(lambda n=url_name: reverse(n)) if url_name else "")
        for name, user in users.items()
        if user.pk not in has_notices
        for subject, body, url_name in DEMO_NOTICES[name]
    ]
    Notice.objects.bulk_create(notices)
    stdout.write(f"通知：新增 {len(notices)} 条")
