"""SMS through Tencent Cloud SMS (API 2021-01-11, SendSms), with the official SDK (tencentcloud-sdk-python-sms).

SMS templates are approved by the provider in advance and take numbered parameters only, so each message kind has
its own template id (SMS_TEMPLATES, "kind=template_id" pairs): `reminder` (parameter 1: the subject), `activation`
(1: the code, 2: minutes valid), `password_reset` (1: the code, 2: minutes valid).
"""

from __future__ import annotations

from django.conf import settings
from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.sms.v20210111 import models, sms_client

from .base import Backend, ChannelError, Message


def parse_templates(text: str) -> dict[str, str]:
    pairs = (p.split("=", 1) for p in (text or "").split(",") if "=" in p)
    return {k.strip(): v.strip() for k, v in pairs if k.strip() and v.strip()}


def e164(phone: str) -> str:
    phone = phone.strip().replace(" ", "").replace("-", "")
    return phone if phone.startswith("+") else "+86" + phone


class TencentSms(Backend):
    name = "sms"

    def __init__(self, *, secret_id, secret_key, app_id, sign_name, templates, region="ap-guangzhou",
                 endpoint="sms.tencentcloudapi.com", protocol="https", timeout=10):  # fmt: skip
        self.app_id, self.sign_name, self.templates = app_id, sign_name, templates
        http = HttpProfile(protocol=protocol, endpoint=endpoint, reqTimeout=timeout)
        self.client = sms_client.SmsClient(
            credential.Credential(secret_id, secret_key), region, ClientProfile(httpProfile=http)
        )

    @classmethod
    def from_settings(cls) -> TencentSms:
        return cls(
            secret_id=settings.SMS_SECRET_ID,
            secret_key=settings.SMS_SECRET_KEY,
            app_id=settings.SMS_SDK_APP_ID,
            sign_name=settings.SMS_SIGN_NAME,
            templates=parse_templates(settings.SMS_TEMPLATES),
            region=settings.SMS_REGION,
            endpoint=settings.SMS_ENDPOINT,
            protocol=settings.SMS_PROTOCOL,
        )

    def send(self, message: Message) -> str:
        template = self.templates.get(message.kind) or self.templates.get("reminder")
        if not template:
            raise ChannelError(f"no SMS template for {message.kind!r} (SMS_TEMPLATES)", "NoTemplate")
        request = models.SendSmsRequest()
        request.PhoneNumberSet = [e164(message.address)]
        request.SmsSdkAppId = self.app_id
        request.SignName = self.sign_name
        request.TemplateId = template
        request.TemplateParamSet = [p[:20] for p in (message.params or [message.text])]  # 20 chars per variable
        try:
            response = self.client.SendSms(request)
        except TencentCloudSDKException as exc:
            raise ChannelError(exc.get_message(), exc.get_code()) from exc
        status = (response.SendStatusSet or [None])[0]
        if status is None or status.Code != "Ok":
            raise ChannelError(status.Message if status else "empty SendStatusSet", status.Code if status else "")
        return status.SerialNo or response.RequestId
