"""企业微信 application messages (自建应用): gettoken, then message/send with msgtype text.

The access token lives 7200 s; it is cached (Django's cache, shared by the workers) and fetched again when the API
answers 40014/42001 (invalid or expired token)."""

from __future__ import annotations

import requests
from django.conf import settings
from django.core.cache import cache

from .base import Backend, ChannelError, Message

TOKEN_ERRORS = {40014, 42001, 40001}


class TokenApp(Backend):
    """The pattern both 企业微信 and 钉钉 share: a cached access token and a JSON answer with errcode/errmsg."""

    cache_prefix = ""

    def __init__(self, *, base_url: str, timeout: float = 10):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def _json(self, response: requests.Response) -> dict:
        try:
            data = response.json()
        except ValueError as exc:
            raise ChannelError(f"HTTP {response.status_code}: not JSON", str(response.status_code)) from exc
        return data

    def _get_token(self) -> str:
        raise NotImplementedError

    def token(self, *, fresh: bool = False) -> str:
        key = f"{self.cache_prefix}:{self.base_url}:{self.cache_id}"
        if not fresh:
            cached = cache.get(key)
            if cached:
                return cached
        data = self._get_token()
        if data.get("errcode", 0) != 0 or not data.get("access_token"):
            raise ChannelError(data.get("errmsg", "no access_token"), str(data.get("errcode", "")))
        cache.set(key, data["access_token"], max(int(data.get("expires_in", 7200)) - 300, 60))
        return data["access_token"]

    def _post(self, payload: dict, token: str) -> dict:
        raise NotImplementedError

    def send(self, message: Message) -> str:
        try:
            data = self._post(self.payload(message), self.token())
            if data.get("errcode") in TOKEN_ERRORS:
                data = self._post(self.payload(message), self.token(fresh=True))
        except requests.RequestException as exc:
            raise ChannelError(str(exc), "network") from exc
        if data.get("errcode", -1) != 0:
            raise ChannelError(data.get("errmsg", ""), str(data.get("errcode", "")))
        return self.message_id(data)


class WeCom(TokenApp):
    name = "wecom"
    cache_prefix = "wecom-token"

    def __init__(self, *, corp_id: str, secret: str, agent_id: str, base_url="https://qyapi.weixin.qq.com", **kw):
        super().__init__(base_url=base_url, **kw)
        self.corp_id, self.secret, self.agent_id = corp_id, secret, agent_id
        self.cache_id = f"{corp_id}:{agent_id}"

    @classmethod
    def from_settings(cls) -> WeCom:
        return cls(corp_id=settings.WECOM_CORP_ID, secret=settings.WECOM_SECRET, agent_id=settings.WECOM_AGENT_ID,
                   base_url=settings.WECOM_API_URL)  # fmt: skip

    def _get_token(self) -> dict:
        params = {"corpid": self.corp_id, "corpsecret": self.secret}
        try:
            return self._json(requests.get(f"{self.base_url}/cgi-bin/gettoken", params=params, timeout=self.timeout))
        except requests.RequestException as exc:
            raise ChannelError(str(exc), "network") from exc

    def payload(self, message: Message) -> dict:
        return {"touser": message.address, "msgtype": "text", "agentid": int(self.agent_id),
                "text": {"content": message.text}, "safe": 0}  # fmt: skip

    def _post(self, payload: dict, token: str) -> dict:
        url = f"{self.base_url}/cgi-bin/message/send"
        return self._json(requests.post(url, params={"access_token": token}, json=payload, timeout=self.timeout))

    def message_id(self, data: dict) -> str:
        if data.get("invaliduser"):
            raise ChannelError(f"invaliduser {data['invaliduser']}", "invaliduser")
        return str(data.get("msgid", ""))
