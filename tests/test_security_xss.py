"""Whatever a user types is shown as text, never run as markup: every form found by the fuzz discovery is submitted
with an HTML payload in each text field, and the page it leads to must show it escaped."""

from __future__ import annotations

import pytest
from django.db import transaction

from tests.fuzz.forms import initial_data
from tests.test_hardening_fuzz import Fuzzer, discover

PAYLOAD = '"><svg onload=alert(168)>'
RAW = "<svg onload=alert(168)>"
TEXT_KINDS = {"text", "textarea", "search"}


def _valid_data(form) -> dict:
    data = initial_data(form)
    for name, f in form.fields.items():
        if data.get(name, [""]) in ([], [""]):
            if f.kind == "number":
                data[name] = ["80"]
            elif f.kind == "date":
                data[name] = ["2026-06-30"]
            elif f.options and f.kind not in {"checkbox", "radio"}:
                data[name] = [next((o for o in f.options if o), f.options[0])]
    for name, f in form.fields.items():
        if f.kind in TEXT_KINDS and name not in {"username", "password", "q"}:
            data[name] = [PAYLOAD]
    return data


@pytest.mark.django_db
def test_it_escapes_what_users_typed_on_every_page_a_form_leads_to(world):
    fuzzer = Fuzzer(world)
    tried, saved, unescaped = 0, 0, []
    for role, form in discover(fuzzer):
        if not any(f.kind in TEXT_KINDS for f in form.fields.values()) or form.multipart:
            continue
        fuzzer.sign_in(role)
        with transaction.atomic():
            r = fuzzer.client.post(form.action, _valid_data(form), follow=True)
            pages = [r]
            if r.redirect_chain:
                saved += 1
                pages.append(fuzzer.client.get(form.action.split("?")[0]))
            transaction.set_rollback(True)
        tried += 1
        for page in pages:
            body = page.content.decode("utf-8", "replace") if page.status_code == 200 else ""
            if RAW in body:
                unescaped.append(f"{form.action} as {role}: the payload is shown as markup on {page.request['PATH_INFO']}")
    print(f"\nXSS: {tried} forms submitted with markup ({saved} saved and re-displayed), {len(unescaped)} unescaped")
    assert not unescaped, "\n".join(unescaped)
