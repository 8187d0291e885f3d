"""What a page's form carries hidden (the version or fingerprint an edit started from), for tests that post an edit
the way the browser would."""

from __future__ import annotations

import re


def hidden_value(client, url: str, name: str = "fingerprint") -> str:
    """The value of the hidden input `name` on the page at `url` (the first one, if several forms carry it)."""
    body = client.get(url).content.decode()
    match = re.search(rf'<input type="hidden" name="{re.escape(name)}" value="([^"]*)"', body)
    assert match, f"no hidden {name} on {url}"
    return match.group(1)
