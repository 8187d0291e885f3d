"""Local stand-ins for the SMS, 企业微信 and 钉钉 APIs, each on a loopback port started by the test.

They speak the providers' documented protocols, written from the documentation (not from the SDK):
- Tencent Cloud SMS, API 2021-01-11 SendSms: POST / with a JSON body, X-TC-Action/X-TC-Version/X-TC-Timestamp
  headers and an Authorization header signed with TC3-HMAC-SHA256 (canonical request → string to sign → key derived
  from "TC3"+SecretKey, date, service, "tc3_request"). Answers {"Response": {"SendStatusSet": [...], "RequestId"}} or
  {"Response": {"Error": {"Code", "Message"}, "RequestId"}}.
- 企业微信: GET /cgi-bin/gettoken?corpid&corpsecret → access_token (7200 s); POST /cgi-bin/message/send?access_token
  with {"touser","msgtype":"text","agentid","text":{"content"}} → {"errcode":0,"errmsg":"ok","msgid"}; 40014 for a bad
  token, 42001 for an expired one, invaliduser for an unknown user.
- 钉钉: GET /gettoken?appkey&appsecret; POST /topapi/message/corpconversation/asyncsend_v2?access_token with
  {"agent_id","userid_list","msg":{"msgtype":"text","text":{"content"}}} → {"errcode":0,"task_id","request_id"}.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class Fake:
    def __init__(self):
        self.requests: list[dict] = []  # every accepted message
        self.failures: list[dict] = []  # what was refused, with the code returned
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.server.server_address[1]}"

    @property
    def url(self) -> str:
        return f"http://{self.address}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _reply(self, status: int, data: dict):
                body = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")  # as the providers answer
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                split = urlsplit(self.path)
                self._reply(*fake.get(split.path, {k: v[0] for k, v in parse_qs(split.query).items()}, self.headers))

            def do_POST(self):
                split = urlsplit(self.path)
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                query = {k: v[0] for k, v in parse_qs(split.query).items()}
                self._reply(*fake.post(split.path, query, self.headers, raw))

        return Handler

    def get(self, path, query, headers):
        return 404, {"errcode": 404, "errmsg": "not found"}

    def post(self, path, query, headers, raw):
        return 404, {"errcode": 404, "errmsg": "not found"}


# ---- Tencent Cloud SMS -------------------------------------------------------------------------------------------


TEMPLATES = "reminder=1001,activation=1002,password_reset=1003"


def sms_settings(settings, fake: TencentSmsFake) -> None:
    """Point the SMS channel at `fake` (pytest-django's settings fixture)."""
    settings.SMS_SECRET_ID, settings.SMS_SECRET_KEY = fake.secret_id, fake.secret_key
    settings.SMS_SDK_APP_ID, settings.SMS_SIGN_NAME, settings.SMS_TEMPLATES = fake.app_id, fake.sign, TEMPLATES
    settings.SMS_ENDPOINT, settings.SMS_PROTOCOL = fake.address, "http"


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


class TencentSmsFake(Fake):
    """Accepts SendSms signed with this SecretId/SecretKey for this SdkAppId and sign name; `blacklist` numbers get
    FailedOperation.PhoneNumberInBlacklist in their SendStatus."""

    def __init__(self, *, secret_id="AKIDtest", secret_key="test-secret-key", app_id="1400000001", sign="泉州教育",
                 templates=("1001", "1002", "1003"), blacklist=()):  # fmt: skip
        super().__init__()
        self.secret_id, self.secret_key, self.app_id, self.sign = secret_id, secret_key, app_id, sign
        self.templates, self.blacklist = set(templates), set(blacklist)

    def _error(self, code, message):
        self.failures.append({"code": code})
        return 200, {"Response": {"Error": {"Code": code, "Message": message}, "RequestId": secrets.token_hex(8)}}

    def _signature_ok(self, headers, raw: bytes) -> bool:
        auth = headers.get("Authorization", "")
        m = re.fullmatch(
            r"TC3-HMAC-SHA256 Credential=([^/]+)/(\d{4}-\d{2}-\d{2})/(\w+)/tc3_request, "
            r"SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})",
            auth,
        )
        if not m or m.group(1) != self.secret_id or m.group(3) != "sms":
            return False
        date, service, signed, signature = m.group(2), m.group(3), m.group(4), m.group(5)
        names = signed.split(";")
        canonical_headers = "".join(f"{n}:{headers.get(n, '').strip().lower()}\n" for n in names)
        canonical = "\n".join(["POST", "/", "", canonical_headers, signed, hashlib.sha256(raw).hexdigest()])
        timestamp = headers.get("X-TC-Timestamp", "")
        to_sign = "\n".join(
            ["TC3-HMAC-SHA256", timestamp, f"{date}/{service}/tc3_request",
             hashlib.sha256(canonical.encode()).hexdigest()]
        )  # fmt: skip
        key = _hmac(_hmac(_hmac(("TC3" + self.secret_key).encode(), date), service), "tc3_request")
        expected = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, signature)

    def post(self, path, query, headers, raw):
        if path != "/" or headers.get("X-TC-Action") != "SendSms" or headers.get("X-TC-Version") != "2021-01-11":
            return self._error("InvalidAction", "action or version not found")
        if not self._signature_ok(headers, raw):
            return self._error("AuthFailure.SignatureFailure", "The provided credentials could not be validated.")
        body = json.loads(raw)
        if body.get("SmsSdkAppId") != self.app_id:
            return self._error("FailedOperation.SmsSdkAppIdVerifyFail", "SmsSdkAppId verify fail")
        if body.get("SignName") != self.sign:
            return self._error("FailedOperation.SignatureIncorrectOrUnapproved", "signature incorrect or unapproved")
        if body.get("TemplateId") not in self.templates:
            return self._error("FailedOperation.TemplateIncorrectOrUnapproved", "template incorrect or unapproved")
        statuses = []
        for number in body.get("PhoneNumberSet", []):
            if number in self.blacklist:
                statuses.append({"SerialNo": "", "PhoneNumber": number, "Fee": 0, "SessionContext": "",
                                 "Code": "FailedOperation.PhoneNumberInBlacklist",
                                 "Message": "phone number in blacklist", "IsoCode": "CN"})  # fmt: skip
                self.failures.append({"code": "FailedOperation.PhoneNumberInBlacklist", "phone": number})
                continue
            serial = f"2640:{secrets.token_hex(6)}"
            statuses.append({"SerialNo": serial, "PhoneNumber": number, "Fee": 1, "SessionContext": "", "Code": "Ok",
                             "Message": "send success", "IsoCode": "CN"})  # fmt: skip
            self.requests.append({"phone": number, "template": body["TemplateId"],
                                  "params": body.get("TemplateParamSet", []), "serial": serial})  # fmt: skip
        return 200, {"Response": {"SendStatusSet": statuses, "RequestId": secrets.token_hex(8)}}


# ---- 企业微信 / 钉钉 ---------------------------------------------------------------------------------------------


class TokenFake(Fake):
    token_path = ""
    send_path = ""
    id_param, secret_param = "", ""

    def __init__(self, *, app_id: str, secret: str, agent_id: int, users=()):
        super().__init__()
        self.app_id, self.secret, self.agent_id, self.users = app_id, secret, agent_id, set(users)
        self.tokens: set[str] = set()
        self.expired: set[str] = set()
        self.tokens_issued = 0

    def expire_tokens(self):
        self.expired |= self.tokens
        self.tokens = set()

    def get(self, path, query, headers):
        if path != self.token_path:
            return 404, {"errcode": 404, "errmsg": "not found"}
        if query.get(self.id_param) != self.app_id or query.get(self.secret_param) != self.secret:
            self.failures.append({"code": 40001})
            return 200, {"errcode": 40001, "errmsg": "invalid credential"}
        token = secrets.token_hex(16)
        self.tokens.add(token)
        self.tokens_issued += 1
        return 200, {"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": 7200}

    def check_token(self, query):
        token = query.get("access_token", "")
        if token in self.expired:
            self.failures.append({"code": 42001})
            return {"errcode": 42001, "errmsg": "access_token expired"}
        if token not in self.tokens:
            self.failures.append({"code": 40014})
            return {"errcode": 40014, "errmsg": "invalid access_token"}
        return None


class WeComFake(TokenFake):
    token_path, send_path, id_param, secret_param = "/cgi-bin/gettoken", "/cgi-bin/message/send", "corpid", "corpsecret"

    def post(self, path, query, headers, raw):
        if path != self.send_path:
            return 404, {"errcode": 404, "errmsg": "not found"}
        refused = self.check_token(query)
        if refused:
            return 200, refused
        body = json.loads(raw)
        if body.get("agentid") != self.agent_id:
            self.failures.append({"code": 40056})
            return 200, {"errcode": 40056, "errmsg": "invalid agentid"}
        if body.get("msgtype") != "text" or not body.get("text", {}).get("content"):
            self.failures.append({"code": 44004})
            return 200, {"errcode": 44004, "errmsg": "empty content"}
        users = body.get("touser", "").split("|")
        unknown = [u for u in users if u not in self.users]
        if unknown and len(unknown) == len(users):
            self.failures.append({"code": 81013})
            return 200, {"errcode": 81013, "errmsg": "user & party & tag all invalid", "invaliduser": "|".join(unknown)}
        msgid = secrets.token_hex(8)
        self.requests.append({"touser": body["touser"], "content": body["text"]["content"], "msgid": msgid})
        return 200, {"errcode": 0, "errmsg": "ok", "invaliduser": "", "invalidparty": "", "invalidtag": "",
                     "unlicenseduser": "", "msgid": msgid, "response_code": ""}  # fmt: skip


class DingTalkFake(TokenFake):
    token_path, send_path, id_param, secret_param = (
        "/gettoken", "/topapi/message/corpconversation/asyncsend_v2", "appkey", "appsecret",
    )  # fmt: skip

    def post(self, path, query, headers, raw):
        if path != self.send_path:
            return 404, {"errcode": 404, "errmsg": "not found"}
        refused = self.check_token(query)
        if refused:
            return 200, refused
        body = json.loads(raw)
        if body.get("agent_id") != self.agent_id:
            self.failures.append({"code": 400002})
            return 200, {"errcode": 400002, "errmsg": "agent_id invalid", "request_id": secrets.token_hex(6)}
        msg = body.get("msg", {})
        if msg.get("msgtype") != "text" or not msg.get("text", {}).get("content"):
            self.failures.append({"code": 400004})
            return 200, {"errcode": 400004, "errmsg": "msg invalid", "request_id": secrets.token_hex(6)}
        users = [u for u in body.get("userid_list", "").split(",") if u]
        if not users or any(u not in self.users for u in users):
            self.failures.append({"code": 33012})
            return 200, {"errcode": 33012, "errmsg": "无效的userid", "request_id": secrets.token_hex(6)}
        task_id = secrets.randbelow(10**12)
        self.requests.append({"userid_list": body["userid_list"], "content": msg["text"]["content"], "task": task_id})
        return 200, {"errcode": 0, "errmsg": "ok", "task_id": task_id, "request_id": secrets.token_hex(6)}
