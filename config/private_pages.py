"""Pages for a signed-in user are never kept by a browser or a proxy.

A page shown to a signed-in user holds what only that user may see (names, phones, ratings). On a shared computer
(a school office, a library) the browser's cache or its back button would show it to the next person after logout.
Every response to an authenticated user therefore carries `Cache-Control: private, no-store`, whatever the view
set. Public pages and static files (served by WhiteNoise before this runs) keep their own caching.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

NO_STORE = "private, no-store"


class NoStoreForSignedIn:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = NO_STORE
            response.headers.pop("Expires", None)
        return response
