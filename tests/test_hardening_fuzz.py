"""Bad input never gives an HTTP 500: every form of the project, driven with hypothesis-generated input.

Targets are found, not listed: signed in as each access-matrix entry's legitimate owner, every page is opened and its
POST forms read (tests/fuzz/forms.py); every matrix URL is also tried with a POST (not answered 405: it takes POST).
Each example runs in a savepoint that is rolled back, so one example never changes what the next one sees.
FUZZ_EXAMPLES (default 15) sets the examples per form.
"""

from __future__ import annotations

import logging
import os
import time
import traceback

import pytest
from django.db import transaction
from django.test import Client
from django.urls import resolve, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.cases import BROKEN, cases_of
from tests.fuzz.forms import Field, Form, form_data, forms_on, initial_data, nasty_values
from tests.matrix import load_all

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))
SLOW_SECONDS = 0.8  # a page slower than this (PDF rendering, big exports) gets a few examples only
SKIP = {"logout"}  # POST signs the owner out: nothing to fuzz
GET_PARAMS = ["page", "q", "year", "quarter", "kind", "state", "status", "org", "sort", "period", "format"]
logging.getLogger("axes").setLevel(logging.WARNING)
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


class Fuzzer:
    def __init__(self, world):
        self.world = world
        self.client = Client(raise_request_exception=False)
        self.failures: list[str] = []
        self.kinds: dict[tuple[str, str], int] = {}  # (url name, where it broke) → how many examples
        self.requests = 0
        self.forms = 0
        self.gets = 0
        w = world
        ids = [w.county_a.pk, w.school_a.pk, w.branch_a.pk, w.unit.pk, w.unit_branch.pk, w.member_a.pk, w.city.pk]
        ids += [v.pk for v in w.extra.values() if hasattr(v, "pk")]
        self.other_ids = sorted(set(ids))

    def sign_in(self, role: str | None) -> None:
        self.client.logout()
        if role:
            self.client.force_login(self.world.user(role))

    def send(self, method: str, url: str, data, label: str, *, htmx: bool = False) -> int:
        started = time.monotonic()
        headers = {"HX-Request": "true", "HX-Current-URL": url} if htmx else {}
        with transaction.atomic():
            if method == "post":
                r = self.client.post(url, data, headers=headers)
            else:
                r = self.client.get(url, data, headers=headers)
            # consume streamed bodies (exports) inside the savepoint so their errors count here
            if getattr(r, "streaming", False):
                b"".join(r.streaming_content)
            transaction.set_rollback(True)
        self.requests += 1
        self.last_seconds = time.monotonic() - started
        if r.status_code >= 500:
            where, key = "", ""
            if r.exc_info:
                where = "".join(traceback.format_exception(*r.exc_info)[-3:])
                frame = traceback.extract_tb(r.exc_info[2])[-1]
                key = f"{r.exc_info[0].__name__} at {frame.filename.split('/work/main/')[-1]}:{frame.lineno}"
            kind = (resolve(url.split("?")[0]).view_name, key)
            self.kinds[kind] = self.kinds.get(kind, 0) + 1
            if self.kinds[kind] > 1:
                return r.status_code  # one example of each distinct failure is enough to read
            shown = repr(data)
            shown = shown[:300] + "…" if len(shown) > 300 else shown
            self.failures.append(f"{label} {method.upper()} {url} → {r.status_code} with {shown}\n{where}")
        return r.status_code


def _summary(fuzzer: Fuzzer) -> str:
    kinds = "\n".join(f"  {n} × {name}: {where}" for (name, where), n in sorted(fuzzer.kinds.items()))
    return f"HTTP 500 in {len(fuzzer.kinds)} places:\n{kinds}\n\nfirst example of each:\n" + "\n".join(fuzzer.failures)




SCAN_ROLES = ("city_staff", "school_b_secretary", "member_b")  # who opens pages that name no object


def _roles(case) -> tuple[str | None, ...]:
    if case.public:
        return (None,)
    if case.owner:
        return (case.owner,)
    return SCAN_ROLES if case.scan else (None,)


def discover(fuzzer: Fuzzer) -> list[tuple[str | None, Form]]:
    """(role, form) for every POST target, each fuzzed once, as the first role found to reach it."""
    matrix = load_all()
    found: dict[str, tuple[str | None, Form]] = {}

    def add(role, form):
        if form.action.split("?")[0] == reverse("logout"):
            return
        found.setdefault(form.action, (role, Form(form.action)))[1].merge(form)

    for name, make in sorted(matrix.items()):
        if name in SKIP:
            continue
        for case in cases_of(make, fuzzer.world):
            url = reverse(name, kwargs=case.kwargs)
            for role in _roles(case):
                fuzzer.sign_in(role)
                if case.method == "post":
                    fields = {}
                    for key, value in (case.data or {}).items():
                        values = [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]
                        fields[key] = Field(key, options=values, multiple=len(values) > 1)
                    add(role, Form(url, fields))
                    continue
                with transaction.atomic():
                    r = fuzzer.client.get(url + (f"?{case.query}" if case.query else ""))
                    transaction.set_rollback(True)
                if r.status_code == 200 and "html" in r.get("Content-Type", ""):
                    for form in forms_on(r.content.decode("utf-8", "replace"), url):
                        add(role, form)
                # a POST-only view (no form on its own page) answers GET with 405: it is a target by itself
                if r.status_code == 405:
                    add(role, Form(url))
    fuzzer.sign_in(None)
    return [found[action] for action in sorted(found)]


def fuzz_form(fuzzer: Fuzzer, role: str | None, form: Form) -> int:
    fuzzer.sign_in(role)
    examples = 0

    @FUZZ
    @given(data=form_data(form, fuzzer.other_ids), htmx=st.booleans())
    def run(data, htmx):
        nonlocal examples
        examples += 1
        fuzzer.send("post", form.action, data, f"[{role}]{' htmx' if htmx else ''}", htmx=htmx)

    run()
    return examples


def fuzz_get(fuzzer: Fuzzer, role: str | None, url: str, examples: int) -> int:
    fuzzer.sign_in(role)
    done = 0
    params = st.dictionaries(st.sampled_from(GET_PARAMS), nasty_values(fuzzer.other_ids), min_size=1, max_size=3)

    @settings(FUZZ, max_examples=examples)
    @given(data=params, htmx=st.booleans())
    def run(data, htmx):
        nonlocal done
        done += 1
        fuzzer.send("get", url, data, f"[{role}] query{' htmx' if htmx else ''}", htmx=htmx)

    run()
    return done


@pytest.mark.django_db
def test_it_never_answers_500_to_bad_form_input(world):
    fuzzer = Fuzzer(world)
    targets = discover(fuzzer)
    assert targets, "no POST form found: the discovery is broken"
    total = 0
    for role, form in targets:
        total += fuzz_form(fuzzer, role, form)
        fuzzer.forms += 1
    print(f"\nfuzz: {fuzzer.forms} forms × ~{EXAMPLES} examples = {total} POSTs ({fuzzer.requests} requests), "
          f"{len(fuzzer.failures)} HTTP 500")
    for role, form in targets:
        print(f"  {form.action} as {role or 'anonymous'}: {len(form.fields)} fields")
    for broken in BROKEN:
        print(f"  matrix fixture not built, its forms not fuzzed: {broken}")
    assert not fuzzer.failures, _summary(fuzzer)


HUGE_NUMBERS = ("99999999999999999999", str(2**63), f"-{2**64}")  # beyond what any database integer holds


def numeric_fields(form: Form) -> list[Field]:
    """Fields that carry a number or an id: number inputs, and choices (select, checkbox, radio, hidden) whose
    options or value are numbers."""
    def numbers(values):
        return any(v.strip().lstrip("-").isdigit() for v in values if v)

    return [f for name, f in form.fields.items() if name != "csrfmiddlewaretoken" and (
        f.kind == "number"
        or (f.kind in {"select", "checkbox", "radio", "hidden"} and numbers([*f.options, f.value, *f.initial]))
    )]


@pytest.mark.django_db
def test_it_never_answers_500_to_huge_numbers_in_number_and_choice_fields(world):
    """Every number or id field of every form, sent a number beyond 64 bits (alone, and next to a valid choice in a
    multiple choice), the rest of the form as opened: refused by the form, never an OverflowError."""
    fuzzer = Fuzzer(world)
    fields = 0
    for role, form in discover(fuzzer):
        fuzzer.sign_in(role)
        untouched = initial_data(form)
        for f in numeric_fields(form):
            fields += 1
            for huge in HUGE_NUMBERS:
                values = [*f.initial[:1], huge] if f.multiple or f.kind == "checkbox" else [huge]
                fuzzer.send("post", form.action, {**untouched, f.name: values}, f"[{role}] {f.name}={huge}")
    print(f"\nhuge numbers: {fields} number/choice fields, {fuzzer.requests} requests, "
          f"{len(fuzzer.failures)} HTTP 500")
    assert fields, "no number or choice field found: the discovery is broken"
    assert not fuzzer.failures, _summary(fuzzer)


@pytest.mark.django_db
def test_it_never_answers_500_to_bad_query_strings(world):
    fuzzer = Fuzzer(world)
    pages = 0
    for name, make in sorted(load_all().items()):
        if name in SKIP:
            continue
        for case in cases_of(make, world):
            if case.method != "get":
                continue
            role = None if case.public or not case.owner else case.owner
            url = reverse(name, kwargs=case.kwargs)
            fuzzer.sign_in(role)
            fuzzer.send("get", url, {}, "timing")
            examples = EXAMPLES if fuzzer.last_seconds < SLOW_SECONDS else 2
            fuzz_get(fuzzer, role, url, max(2, examples // 3))
            pages += 1
    print(f"\nquery fuzz: {pages} pages, {fuzzer.requests} requests, {len(fuzzer.failures)} HTTP 500")
    assert not fuzzer.failures, _summary(fuzzer)


@pytest.mark.django_db
def test_it_answers_404_for_ids_that_do_not_exist_or_overflow(world):
    """Every URL with a number in it, as its owner, with that number 0, missing, or too large for the database."""
    fuzzer = Fuzzer(world)
    tried = 0
    for name, make in sorted(load_all().items()):
        if name in SKIP:
            continue
        for case in cases_of(make, world)[:1]:
            numbers = [k for k, v in case.kwargs.items() if isinstance(v, int) and (k == "pk" or k.endswith(("_pk", "id")))]
            if not numbers:
                continue
            role = None if case.public or not case.owner else case.owner
            fuzzer.sign_in(role)
            for value in (0, 987654321, 2**31, 2**63, 2**64 + 1):
                url = reverse(name, kwargs={**case.kwargs, **{k: value for k in numbers}})
                status = fuzzer.send(case.method, url, case.data or {}, f"[{role}] id {value}")
                tried += 1
                if status not in (302, 400, 403, 404, 405):
                    fuzzer.failures.append(f"{name} {url} as {role}: {status} (expected 404)")
    print(f"\nmissing ids: {tried} requests, {len(fuzzer.failures)} problems")
    assert not fuzzer.failures, "\n".join(fuzzer.failures)
