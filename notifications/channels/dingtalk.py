"""钉钉 work notifications (工作通知): gettoken with the app's key and secret, then
topapi/message/corpconversation/asyncsend_v2 with msgtype text; the answer carries a task_id."""

from __future__ import annotations

import requests
from django.conf import settings

from .base import ChannelError, Message
from .wecom import TokenApp


class DingTalk(TokenApp):
    name = "dingtalk"
    cache_prefix = "dingtalk-token"

    def __init__(self, *, app_key: str, app_secret: str, agent_id: str, base_url="https://oapi.dingtalk.com", **kw):
        super().__init__(base_url=base_url, **kw)
        self.app_key, self.app_secret, self.agent_id = app_key, app_secret, agent_id
        self.cache_id = f"{app_key}:{agent_id}"

    @classmethod
    def from_settings(cls) -> DingTalk:
        return cls(app_key=settings.DINGTALK_APP_KEY, app_secret=settings.DINGTALK_APP_SECRET,
                   agent_id=settings.DINGTALK_AGENT_ID, base_url=settings.DINGTALK_API_URL)  # fmt: skip

    def _get_token(self) -> dict:
        params = {"appkey": self.app_key, "appsecret": self.app_secret}
        try:
            return self._json(requests.get(f"{self.base_url}/gettoken", params=params, timeout=self.timeout))
        except requests.RequestException as exc:
            raise ChannelError(str(exc), "network") from exc

    def payload(self, message: Message) -> dict:
        return {"agent_id": int(self.agent_id), "userid_list": message.address,
                "msg": {"msgtype": "text", "text": {"content": message.text}}}  # fmt: skip

    def _post(self, payload: dict, token: str) -> dict:
        url = f"{self.base_url}/topapi/message/corpconversation/asyncsend_v2"
        return self._json(requests.post(url, params={"access_token": token}, json=payload, timeout=self.timeout))

    def message_id(self, data: dict) -> str:
        if "task_id" not in data:
            raise ChannelError("no task_id", "no_task")
        return str(data["task_id"])
