"""Contract tests of the SMS, 企业微信 and 钉钉 channels against local servers that speak the providers' documented
APIs (tests/channel_servers.py), and the sweep sending by each person's preferred channel."""

import datetime

import pytest

from notifications.channels import ChannelError, Message
from notifications.channels.dingtalk import DingTalk
from notifications.channels.sms import TencentSms
from notifications.channels.wecom import WeCom
from notifications.models import ChannelDelivery, ChannelPreference, Notice
from notifications.outbox import channel_preference_set
from notifications.services import notice_send
from notifications.sweep import Reminder
from organizations.enums import Role
from tests.channel_servers import TEMPLATES, DingTalkFake, TencentSmsFake, WeComFake, sms_settings
from tests.notifications_fixtures import install_rules, sweep

DAY = datetime.date(2026, 3, 13)


@pytest.fixture
def sms(settings):
    with TencentSmsFake(blacklist={"+8613900000099"}) as fake:
        sms_settings(settings, fake)
        yield fake


# ---- SMS (Tencent Cloud SMS SendSms, TC3-HMAC-SHA256) ---------------------------------------------------------


def test_it_sends_a_signed_sms_with_the_template_of_its_kind(sms):
    serial = TencentSms.from_settings().send(Message(address="13900000002", kind="activation", text="x",
                                                     params=["ABCD-EFGH-JK", "14"]))  # fmt: skip
    assert sms.requests == [{"phone": "+8613900000002", "template": "1002", "params": ["ABCD-EFGH-JK", "14"],
                             "serial": serial}]  # fmt: skip


def test_it_reports_a_wrong_secret_as_the_providers_error(sms, settings):
    settings.SMS_SECRET_KEY = "not-the-key"
    with pytest.raises(ChannelError) as exc:
        TencentSms.from_settings().send(Message(address="13900000002", kind="reminder", text="x", params=["x"]))
    assert exc.value.code == "AuthFailure.SignatureFailure" and not sms.requests


def test_it_reports_an_unapproved_template_and_a_refused_number(sms, settings):
    settings.SMS_TEMPLATES = "reminder=9999"
    with pytest.raises(ChannelError) as exc:
        TencentSms.from_settings().send(Message(address="13900000002", kind="reminder", text="x", params=["x"]))
    assert exc.value.code == "FailedOperation.TemplateIncorrectOrUnapproved"
    settings.SMS_TEMPLATES = TEMPLATES
    with pytest.raises(ChannelError) as exc:
        TencentSms.from_settings().send(Message(address="13900000099", kind="reminder", text="x", params=["x"]))
    assert exc.value.code == "FailedOperation.PhoneNumberInBlacklist" and not sms.requests


# ---- 企业微信 ----------------------------------------------------------------------------------------------------


def wecom_settings(settings, fake):
    settings.WECOM_CORP_ID, settings.WECOM_SECRET, settings.WECOM_AGENT_ID = (
        fake.app_id,
        fake.secret,
        str(fake.agent_id),
    )
    settings.WECOM_API_URL = fake.url


def test_it_sends_a_wecom_text_message_and_renews_an_expired_token(settings):
    with WeComFake(app_id="ww1234", secret="s3cret", agent_id=1000002, users={"ZhangSan"}) as fake:
        wecom_settings(settings, fake)
        backend = WeCom.from_settings()
        first = backend.send(Message(address="ZhangSan", kind="reminder", text="季报表还有3天截止"))
        fake.expire_tokens()
        second = backend.send(Message(address="ZhangSan", kind="reminder", text="再次提醒"))
    assert [r["content"] for r in fake.requests] == ["季报表还有3天截止", "再次提醒"]
    assert first and second and fake.tokens_issued == 2 and fake.failures == [{"code": 42001}]


def test_it_reports_wecom_errors(settings):
    with WeComFake(app_id="ww1234", secret="s3cret", agent_id=1000002, users={"ZhangSan"}) as fake:
        wecom_settings(settings, fake)
        with pytest.raises(ChannelError) as exc:
            WeCom.from_settings().send(Message(address="Nobody", kind="reminder", text="x"))
        assert exc.value.code == "81013"
        settings.WECOM_SECRET = "wrong"
        from django.core.cache import cache

        cache.clear()
        with pytest.raises(ChannelError) as exc:
            WeCom.from_settings().send(Message(address="ZhangSan", kind="reminder", text="x"))
        assert exc.value.code == "40001" and not fake.requests


# ---- 钉钉 --------------------------------------------------------------------------------------------------------


def dingtalk_settings(settings, fake):
    settings.DINGTALK_APP_KEY, settings.DINGTALK_APP_SECRET = fake.app_id, fake.secret
    settings.DINGTALK_AGENT_ID, settings.DINGTALK_API_URL = str(fake.agent_id), fake.url


def test_it_sends_a_dingtalk_work_notification(settings):
    with DingTalkFake(app_id="dingabc", secret="s3cret", agent_id=2890001, users={"manager7"}) as fake:
        dingtalk_settings(settings, fake)
        task = DingTalk.from_settings().send(Message(address="manager7", kind="reminder", text="请审核承诺"))
        with pytest.raises(ChannelError) as exc:
            DingTalk.from_settings().send(Message(address="ghost", kind="reminder", text="x"))
    assert fake.requests == [{"userid_list": "manager7", "content": "请审核承诺", "task": int(task)}]
    assert exc.value.code == "33012"


# ---- routing: the preferred channel instead of email, exactly once -------------------------------------------


@pytest.fixture
def unit_rule(world, monkeypatch):
    def due(*, today):
        yield Reminder(
            kind="test.unit",
            period="2026Q1",
            offset=-7,
            subject="季报表还有7天截止",
            body="请报送",
            url="/reports/",
            organization_id=world.unit.pk,
            roles=(Role.UNIT_STAFF,),
        )

    install_rules(monkeypatch, due)
    staff = world.user("unit_staff")
    staff.email = "unit@example.edu.cn"
    staff.save()
    from tests.world import make_member

    make_member(world.unit_branch, "丙联络员", phone="13900000031", user=staff)
    return staff


def test_a_sweep_sends_one_sms_and_no_email_to_who_prefers_sms(unit_rule, sms, mailoutbox):
    channel_preference_set(user=unit_rule, channel="sms")
    report = sweep(DAY)
    again = sweep(DAY)
    assert report.notices == 1 and again.dispatched == 0
    assert [r["phone"] for r in sms.requests] == ["+8613900000031"]
    assert sms.requests[0]["template"] == "1001" and sms.requests[0]["params"] == ["季报表还有7天截止"]
    assert mailoutbox == []
    notice = Notice.objects.get(recipient=unit_rule)
    delivery = ChannelDelivery.objects.get(notice=notice)
    assert notice.email == "" and delivery.sent_at is not None and delivery.provider_id == sms.requests[0]["serial"]


def test_a_failed_sms_stays_pending_and_goes_once_later(unit_rule, sms, settings, mailoutbox):
    channel_preference_set(user=unit_rule, channel="sms")
    settings.SMS_SECRET_KEY = "wrong"
    sweep(DAY)
    delivery = ChannelDelivery.objects.get()
    assert delivery.sent_at is None and delivery.attempts == 1 and "SignatureFailure" in delivery.error
    settings.SMS_SECRET_KEY = sms.secret_key
    ChannelDelivery.objects.update(next_at=None)
    sweep(DAY)
    sweep(DAY)
    assert len(sms.requests) == 1 and mailoutbox == []


def test_email_stays_the_channel_when_the_deployment_has_no_sms(unit_rule, mailoutbox):
    ChannelPreference.objects.create(user=unit_rule, channel="sms")  # chosen while SMS was offered
    sweep(DAY)
    assert len(mailoutbox) == 1 and not ChannelDelivery.objects.exists()


def test_a_single_notice_goes_by_wecom(world, settings, mailoutbox):
    user = world.user("member_b")
    user.email = "b@example.edu.cn"
    user.save()
    with WeComFake(app_id="ww1234", secret="s3cret", agent_id=1000002, users={"YiMember"}) as fake:
        wecom_settings(settings, fake)
        channel_preference_set(user=user, channel="wecom", wecom_userid="YiMember")
        notice = notice_send(recipient=user, subject="承诺已退回", body="请修改", key="test|1")
        from notifications.outbox import channel_deliver

        channel_deliver()  # in the test's transaction, on_commit does not run
        channel_deliver()
    assert [r["touser"] for r in fake.requests] == ["YiMember"] and "承诺已退回" in fake.requests[0]["content"]
    assert notice.email == "" and mailoutbox == []


def test_a_preference_needs_what_the_channel_needs(world, sms):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        channel_preference_set(user=world.user("city_staff"), channel="sms")  # no member record with a phone
    assert "手机号" in str(exc.value)
    with pytest.raises(ValidationError):
        channel_preference_set(user=world.user("member_b"), channel="wecom")  # not offered here
    assert not ChannelPreference.objects.exists()
