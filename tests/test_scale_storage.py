"""Uploads and exports go through Django's storage API, so they work the same on an S3-compatible bucket (Alibaba OSS,
Tencent COS, MinIO) as on the local MEDIA_ROOT: a local server speaking the S3 API (moto) stands in for the bucket.

The storage is chosen by environment variables only (config/settings.py): the settings are read in a subprocess with
AWS_STORAGE_BUCKET_NAME and the endpoint set, and the test runs the pages with exactly the STORAGES they produce.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from organizations.models import Member, RosterImport
from posts import services as post_services
from posts.models import DutyLogEntry
from reports.models import ExportJob
from tests.organizations_fixtures import five_rows, xlsx_upload
from tests.posts_fixtures import make_commitment, make_post, pdf
from tests.reports_fixtures import YEAR, posts_with_claims

ROOT = Path(settings.BASE_DIR)
BUCKET = "dangjian-media"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _storages_from_env(**env: str) -> dict:
    """STORAGES as config/settings.py builds them from these variables (nothing else of the test's environment)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "DJANGO_ALLOW_ASYNC"))}
    clean.update(DJANGO_SETTINGS_MODULE="config.settings", **env)
    code = "import json, django; django.setup(); from django.conf import settings; print(json.dumps(settings.STORAGES))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_local_directory_is_the_default_and_a_bucket_is_chosen_by_the_environment():
    local = _storages_from_env()
    assert local["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    oss = _storages_from_env(
        AWS_STORAGE_BUCKET_NAME="qz-dangjian", AWS_S3_ENDPOINT_URL="https://oss-cn-hangzhou.aliyuncs.com",
        AWS_S3_REGION_NAME="oss-cn-hangzhou", AWS_S3_ADDRESSING_STYLE="virtual",
    )  # fmt: skip
    options = oss["default"]["OPTIONS"]
    assert oss["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert options["bucket_name"] == "qz-dangjian" and options["endpoint_url"].startswith("https://oss-cn-hangzhou")
    assert options["addressing_style"] == "virtual" and options["default_acl"] == "private"
    assert options["querystring_auth"] and not options["file_overwrite"]


@pytest.fixture(scope="module")
def s3_server():
    pytest.importorskip("moto")
    import boto3
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    boto3.client(
        "s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s"
    ).create_bucket(Bucket=BUCKET)
    yield endpoint
    server.stop()


@pytest.fixture
def bucket(s3_server, tmp_path):
    """The pages run with the bucket as default storage; MEDIA_ROOT points at a directory that must stay empty."""
    import boto3

    storages = _storages_from_env(
        AWS_STORAGE_BUCKET_NAME=BUCKET, AWS_S3_ENDPOINT_URL=s3_server, AWS_S3_REGION_NAME="us-east-1",
        AWS_ACCESS_KEY_ID="k", AWS_SECRET_ACCESS_KEY="s", AWS_S3_ADDRESSING_STYLE="path", AWS_LOCATION="media",
    )  # fmt: skip
    media = tmp_path / "must-stay-empty"
    client = boto3.client(
        "s3", endpoint_url=s3_server, region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s"
    )

    def keys() -> list[str]:
        return [o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]

    with override_settings(STORAGES=storages, MEDIA_ROOT=media):
        yield keys
    assert not media.exists() or not any(media.rglob("*")), "a file was written to the local disk"
    for key in keys():
        client.delete_object(Bucket=BUCKET, Key=key)


@pytest.mark.django_db
def test_evidence_is_uploaded_to_the_bucket_and_downloaded_from_it(world, login, bucket):
    claim = post_services.post_claim(post=make_post(world.branch_a), member=world.member_a, by=None)
    commitment = post_services.commitment_submit(commitment=make_commitment(claim), by=None)
    sec = login(world.user("branch_a_secretary"))
    sec.post(reverse("posts:commitment_approve", args=[commitment.pk]), {"version": commitment.version})
    member = login(world.user("member_a"))
    r = member.post(reverse("posts:duty_log_add", args=[commitment.pk]),
                    {"happened_on": "2026-03-02", "content": "开了公开课", "files": [pdf()]})  # fmt: skip
    assert r.status_code == 302
    evidence = DutyLogEntry.objects.get().evidence.get()
    assert [k for k in bucket() if k.startswith("media/")] == [f"media/{evidence.file.name}"]
    r = member.get(reverse("posts:evidence_download", args=[evidence.pk]))
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")


@pytest.mark.django_db
def test_a_roster_file_is_read_back_from_the_bucket_and_applied(world, login, bucket):
    c = login(world.user("branch_a_secretary"))
    r = c.post(reverse("organizations:roster_import", args=[world.branch_a.pk]), {"file": xlsx_upload(five_rows())})
    assert r.status_code == 302
    record = RosterImport.objects.get()
    assert f"media/{record.file.name}" in bucket()
    assert "新增 5 人" in c.get(r["Location"]).content.decode()
    c.post(r["Location"])
    assert Member.objects.filter(organization=world.branch_a, name__startswith="新成员").count() == 5


@pytest.mark.django_db
def test_an_export_file_is_written_to_the_bucket_and_downloaded_from_it(
    world, login, bucket, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("reports.views.annexes.XLSX_BACKGROUND_ROWS", 1)
    posts_with_claims(world.branch_a, 2)
    client = login(world.user("school_a_secretary"))
    with django_capture_on_commit_callbacks(execute=True):
        r = client.get(reverse("reports:annex2_xlsx", args=[world.school_a.pk]) + f"?year={YEAR}")
    assert r.status_code == 302
    job = ExportJob.objects.get()
    assert job.state == ExportJob.State.DONE and f"media/{job.file.name}" in bucket()
    assert job.file.name.startswith("exports/")
    download = client.get(reverse("reports:export_download", args=[job.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content)[:2] == b"PK"
    client.force_login(world.user("branch_a_secretary"))  # someone else's export: not found, from the bucket too
    assert client.get(reverse("reports:export_download", args=[job.pk])).status_code == 404
