"""Run in a subprocess with the embedded default settings (no REDIS_URL: the filesystem broker) against a database a
real Celery worker also reads: ask for a long Annex 2 PDF through the view, time the response, poll the job page as
htmx does, download the file. Prints what was seen as JSON.

    python tests/export_probe.py <user pk> <organization pk> <year> [<more query, e.g. unclaimed=1>] [--queue-only]

With --queue-only it asks for the PDF, prints the response and the job's page, and stops (the worker goes on).
"""

import json
import os
import re
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

PROGRESS = re.compile(r'data-rows="(\d+)" data-pages="(\d+)" data-phase="(\w*)"')
PERCENT = re.compile(r'aria-valuenow="(\d+)"')

setup_test_environment()
user_pk, org_pk, year = (int(a) for a in sys.argv[1:4])
extra = [a for a in sys.argv[4:] if not a.startswith("--")]
client = Client()
client.force_login(get_user_model().objects.get(pk=user_pk))
url = reverse("reports:annex2_pdf", args=[org_pk]) + f"?year={year}" + "".join(f"&{q}" for q in extra)
client.get(reverse("reports:annexes", args=[org_pk]))  # warm up: the first request loads the URLconf and templates
started = time.monotonic()
response = client.get(url)
seen = {"status": response.status_code, "seconds": time.monotonic() - started, "location": response.get("Location")}
page = client.get(seen["location"]).content.decode() if seen["location"] else ""
seen["page_polls"] = 'hx-trigger="every 2s"' in page
if "--queue-only" in sys.argv:
    print(json.dumps(seen, ensure_ascii=False))
    sys.exit(0)
snapshots, body = [], ""
deadline = time.monotonic() + 150
while seen["location"] and time.monotonic() < deadline:
    body = client.get(seen["location"], HTTP_HX_REQUEST="true").content.decode()
    found, percent = PROGRESS.search(body), PERCENT.search(body)
    if found:
        snap = [found.group(3), int(found.group(1)), int(found.group(2)), int(percent.group(1))]
        if not snapshots or snapshots[-1] != snap:
            snapshots.append(snap)
    if "hx-trigger" not in body:  # done or failed: the page stops polling
        break
    time.sleep(0.25)
seen["snapshots"] = snapshots
seen["final"] = body
download = re.search(r'href="([^"]+/download/)"', body)
if download:
    data = b"".join(client.get(download.group(1)).streaming_content)
    seen["pdf_head"] = data[:5].decode("latin-1")
    path = os.path.join(os.environ["VAR_DIR"], "probe.pdf")
    with open(path, "wb") as f:
        f.write(data)
    seen["pdf_path"] = path
print(json.dumps(seen, ensure_ascii=False))
