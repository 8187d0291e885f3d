"""The interface every non-email channel implements."""

from __future__ import annotations

from dataclasses import dataclass, field


class ChannelError(Exception):
    """The provider refused or could not be reached; `code` is the provider's error code when it gave one."""

    def __init__(self, message: str, code: str = ""):
        super().__init__(f"{code}: {message}" if code else message)
        self.code = code


@dataclass
class Message:
    """One message to one person. `address` is the channel's address: a phone number (SMS), a 企业微信 or 钉钉 user id.
    `kind` picks the SMS template; `params` are the template's values in order (SMS templates hold no free text)."""

    address: str
    kind: str
    text: str
    params: list[str] = field(default_factory=list)


class Backend:
    name = ""

    def send(self, message: Message) -> str:
        """Hand the message to the provider; returns the provider's message or task id; raises ChannelError."""
        raise NotImplementedError
