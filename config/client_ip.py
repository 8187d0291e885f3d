"""The client's address, for login lockout (django-axes) and rate limits (django-ratelimit).

Served directly, it is REMOTE_ADDR. Behind reverse proxies, REMOTE_ADDR is the nearest proxy's, the same for every
visitor, so one visitor's failed logins or opinions would lock out or rate-limit everyone. With
TRUSTED_PROXY_COUNT = n, each of our n proxies appends to X-Forwarded-For the address it received the request from,
so the n-th entry from the right is the address our outermost proxy saw; anything further left was written by the
client and is not trusted.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    if len(hops) < count:  # not through all of our proxies: take the address that reached us
        return remote
    try:
        return str(ipaddress.ip_address(hops[-count]))
    except ValueError:
        return remote
