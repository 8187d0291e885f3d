"""Hostile uploads get a clear Chinese message each, never an HTTP 500: disguised types, oversize, zip bombs."""

from __future__ import annotations

import re
import time

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from machinery.uploads import validate_upload
from organizations import roster
from organizations.models import RosterImport
from tests.fuzz.forms import PDF_SMALL, PNG_1PX, corrupt_files, many_rows_xlsx, upload, zip_bomb_xlsx

ACCEPTED = {"valid png", "valid pdf"}
# real content of an allowed type: accepted, and the name loses its path and control characters when stored
SAFE_CONTENT = {"path in name", "nul in name"}
# a well-formed OOXML package: the type check passes it, the reader (roster import) must refuse it
PACKAGE_OK = {"xlsx without a worksheet"}
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("label", sorted(corrupt_files()))
def test_it_refuses_each_disguised_or_broken_file_with_a_chinese_message(label):
    name, content = corrupt_files()[label]
    if label in ACCEPTED | SAFE_CONTENT | PACKAGE_OK:
        assert validate_upload(upload(name, content)) in {"png", "pdf", "xlsx"}
        return
    with pytest.raises(ValidationError) as caught:
        validate_upload(upload(name, content))
    assert all(CHINESE.search(m) for m in caught.value.messages), caught.value.messages


def test_it_refuses_an_oversize_file_before_reading_it():
    big = upload("材料.pdf", PDF_SMALL + b"0" * (3 * 1024 * 1024))
    with pytest.raises(ValidationError, match="文件过大"):
        validate_upload(big, max_mb=2)


def test_it_refuses_an_image_where_only_office_files_go():
    with pytest.raises(ValidationError, match="不支持的文件类型"):
        validate_upload(upload("photo.png", PNG_1PX), kinds=("office",))


# ---- the roster import (openpyxl reading untrusted workbooks) ----------------------------------------------------


@pytest.fixture
def import_page(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.user("branch_b_secretary"))
    return client, reverse("organizations:roster_import", args=[world.branch_b.pk])


def _post(client, url, name, content):
    started = time.monotonic()
    r = client.post(url, {"file": upload(name, content)})
    return r, time.monotonic() - started


def _message(r) -> str:
    body = r.content.decode("utf-8", "replace")
    found = re.findall(r'class="[^"]*invalid-feedback[^"]*"[^>]*>(.*?)</', body, flags=re.S)
    found += re.findall(r'class="[^"]*alert-danger[^"]*"[^>]*>(.*?)</', body, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", "", f).strip() for f in found)


@pytest.mark.django_db
@pytest.mark.parametrize("label", sorted(set(corrupt_files()) - ACCEPTED))
def test_it_shows_a_message_for_each_corrupt_roster_file(import_page, label):
    client, url = import_page
    r, _seconds = _post(client, url, *corrupt_files()[label])
    assert r.status_code in (200, 400), f"{label}: {r.status_code}"
    assert CHINESE.search(_message(r)), f"{label}: no message shown"
    assert RosterImport.objects.count() == 0


@pytest.mark.django_db
def test_it_refuses_an_oversize_roster(import_page):
    client, url = import_page
    r, _ = _post(client, url, "名册.xlsx", b"PK\x03\x04" + b"0" * ((roster.MAX_MB + 1) * 1024 * 1024))
    assert r.status_code in (200, 400) and "文件过大" in _message(r)


def test_it_stores_uploads_under_their_base_name_only():
    from django.core.files.storage import default_storage

    assert upload("../../../etc/passwd.pdf", PDF_SMALL).name == "passwd.pdf"
    assert "\x00" not in default_storage.get_valid_name("a\x00.pdf")


@pytest.mark.django_db
def test_it_refuses_a_zip_bomb_disguised_as_xlsx_before_inflating_it(import_page):
    client, url = import_page
    bomb = zip_bomb_xlsx(300, header=roster.HEADERS)
    assert len(bomb) < 2 * 1024 * 1024  # small on the wire, 300 MB once inflated
    r, seconds = _post(client, url, "名册.xlsx", bomb)
    assert r.status_code in (200, 400), r.status_code
    assert CHINESE.search(_message(r))
    assert seconds < 1.5, f"the bomb was inflated ({seconds:.1f}s)"
    assert RosterImport.objects.count() == 0


@pytest.mark.django_db
def test_it_refuses_a_roster_with_too_many_rows(import_page, monkeypatch):
    monkeypatch.setattr(roster.rules, "MAX_ROWS", 200)  # the same check, on a smaller file
    client, url = import_page
    content = many_rows_xlsx(roster.HEADERS, roster.EXAMPLE, rows=roster.rules.MAX_ROWS + 50)
    r, _ = _post(client, url, "名册.xlsx", content)
    assert r.status_code in (200, 400)
    assert "行数过多" in _message(r)


# ---- every upload form of the project ----------------------------------------------------------------------------

REFUSED_EVERYWHERE = ["exe as pdf", "html as png", "svg with script as image", "text as docx", "empty",
                      "double extension", "truncated xlsx"]


@pytest.mark.django_db
def test_it_refuses_disguised_files_on_every_upload_form_with_a_message(world):
    from django.db import transaction

    from tests.fuzz.forms import initial_data
    from tests.test_hardening_fuzz import Fuzzer, discover

    fuzzer = Fuzzer(world)
    forms = [(role, form) for role, form in discover(fuzzer) if any(f.kind == "file" for f in form.fields.values())]
    problems, tried = [], 0
    for role, form in forms:
        fuzzer.sign_in(role)
        base = initial_data(form)
        for name, f in form.fields.items():
            if base.get(name, [""]) in ([], [""]) and f.options:
                base[name] = [next((o for o in f.options if o), f.options[0])]
            elif base.get(name, [""]) in ([], [""]) and f.kind in {"text", "textarea"}:
                base[name] = ["上传测试"]
            elif base.get(name, [""]) in ([], [""]) and f.kind == "date":
                base[name] = ["2026-06-30"]
        file_fields = [n for n, f in form.fields.items() if f.kind == "file"]
        for label in REFUSED_EVERYWHERE:
            data = {**base, **{n: upload(*corrupt_files()[label]) for n in file_fields}}
            with transaction.atomic():
                r = fuzzer.client.post(form.action, data)
                transaction.set_rollback(True)
            tried += 1
            if r.status_code >= 500:
                problems.append(f"{form.action} [{label}]: HTTP {r.status_code}")
            elif r.status_code in (301, 302):
                problems.append(f"{form.action} [{label}]: accepted")
            elif not CHINESE.search(_message(r)):
                problems.append(f"{form.action} [{label}]: refused with no message ({r.status_code})")
    print(f"\nupload forms: {len(forms)}, disguised files tried: {tried}, {len(problems)} problems")
    assert forms, "no upload form found"
    assert not problems, "\n".join(problems)
