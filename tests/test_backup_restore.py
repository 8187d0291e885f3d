"""A backup restores into an empty database with every record (dumpdata/loaddata) and every uploaded file (media)."""

from __future__ import annotations

import datetime
import io
import shutil
import tarfile
import tempfile
from pathlib import Path

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.db import models

from tests.fuzz.cases import all_cases

PROJECT_APPS = {"organizations", "notifications", "targets", "posts", "evaluations", "reports"}
# rebuilt by migrate (content types, permissions) or worthless after a restore (sessions, lockout counters)
EXCLUDE = ["contenttypes", "auth.permission", "sessions", "admin.logentry", "axes"]


def backed_up_models() -> list[type[models.Model]]:
    keep = []
    for model in apps.get_models():
        label = model._meta.app_label
        if label in PROJECT_APPS or model._meta.label in {"auth.User", "auth.Group"}:
            keep.append(model)
    return keep


def _ms(value):
    # dumpdata's JSON keeps times to the millisecond (pg_dump keeps them exactly; see docs/operations.md)
    if isinstance(value, datetime.datetime):
        return value.replace(microsecond=value.microsecond // 1000 * 1000)
    return value


def snapshot() -> dict[str, list[dict]]:
    """Every row of every backed-up model, as serialized data (ordered by primary key)."""
    out = {}
    for model in backed_up_models():
        rows = model._default_manager.order_by("pk")
        out[model._meta.label] = [
            {"pk": obj["pk"], **{k: _ms(v) for k, v in obj["fields"].items()}}
            for obj in serializers.serialize("python", rows)
        ]
    return out


def populate(world) -> None:
    """The test world plus every object the access-matrix fixtures build for each app."""
    for _name, _case in all_cases(world):
        pass


def _files(snap: dict) -> list[str]:
    names = []
    for model in backed_up_models():
        for f in model._meta.concrete_fields:
            if isinstance(f, models.FileField):
                names += [row[f.name] for row in snap[model._meta.label] if row.get(f.name)]
    return names


@pytest.mark.django_db(transaction=True)  # flush must run outside a transaction (PostgreSQL refuses TRUNCATE there)
def test_it_restores_every_record_and_file_into_an_empty_database(world, settings, tmp_path):
    populate(world)
    media = settings.MEDIA_ROOT
    media.mkdir(parents=True, exist_ok=True)
    (media / "evidence").mkdir(exist_ok=True)
    (media / "evidence" / "sample.pdf").write_bytes(b"%PDF-1.4 backup sample")
    before = snapshot()
    assert sum(len(rows) for rows in before.values()) > 30

    # back up: the database as JSON with natural keys, the media directory as a tarball
    dump = tmp_path / "backup.json"
    call_command("dumpdata", *[], exclude=EXCLUDE, natural_foreign=True, natural_primary=False, indent=None,
                 output=str(dump), verbosity=0)
    archive = tmp_path / "media.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(media, arcname="media")

    # lose everything
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media)
    assert all(not rows for rows in snapshot().values())

    # restore
    call_command("loaddata", str(dump), verbosity=0)
    with tarfile.open(archive) as tar:
        tar.extractall(media.parent, filter="data")
    after = snapshot()

    missing = {label: len(rows) - len(after[label]) for label, rows in before.items() if rows != after[label]}
    assert not missing, f"records lost or changed by the restore: {missing}"
    for name in _files(after):
        assert (media / name).exists(), f"file lost: {name}"
    assert (media / "evidence" / "sample.pdf").read_bytes() == b"%PDF-1.4 backup sample"
    counted = {label: len(rows) for label, rows in after.items() if rows}
    print(f"\nbackup/restore: {sum(counted.values())} records in {len(counted)} tables, all found again")


@pytest.mark.django_db(transaction=True)  # flush must run outside a transaction (PostgreSQL refuses TRUNCATE there)
def test_it_restores_logins_that_still_sign_in(world, client):
    from tests.world import PASSWORD

    buf = io.StringIO()
    call_command("dumpdata", exclude=EXCLUDE, natural_foreign=True, stdout=buf, verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    dump = buf.getvalue()
    path = Path(tempfile.mkdtemp()) / "backup.json"
    path.write_text(dump, encoding="utf-8")
    call_command("loaddata", str(path), verbosity=0)
    r = client.post("/accounts/login/", {"username": "school_b_secretary", "password": PASSWORD})
    assert r.status_code == 302
    r = client.get(f"/org/{world.school_b.pk}/")
    assert r.status_code == 200 and "乙校" in r.content.decode()
