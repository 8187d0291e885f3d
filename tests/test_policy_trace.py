"""docs/policy.md maps every clause of the policy to screens and tests; it must not go stale."""

import re
from pathlib import Path

from tests.test_access_matrix import project_urls

ROOT = Path(__file__).resolve().parent.parent
TRACE = (ROOT / "docs" / "policy.md").read_text(encoding="utf-8")
CLAUSES = [
    "一.1", "一.2", "一.3", "二.1", "二.2", "二.3", "二.4", "二.5",
    "三.1", "三.2", "三.3", "三.4", "三.5", "三.6",
    "四.1", "四.2", "四.3", "五.一.1", "五.一.2", "五.二.1", "五.二.2", "五.二.3", "五.二.4",
    "五.三.1", "五.三.2", "五.三.3", "五.三.4", "五.三.5", "五.三.6", "五.三.7", "五.四",
    "附件1", "附件2", "附件3", "附件4", "附件5",
]  # fmt: skip


def test_every_named_url_still_exists():
    names = set(project_urls())
    named = set(re.findall(r"url:([a-z_]+(?::[a-z0-9_]+)?)", TRACE))
    assert named, "the trace names screens"
    missing = sorted(named - names)
    assert not missing, f"docs/policy.md names URLs that no longer exist: {missing}"


def test_every_named_test_still_exists():
    refs = re.findall(r"test:(tests/[\w/]+\.py)::(\w+)", TRACE)
    assert len(refs) > 40
    gone = []
    for path, name in refs:
        file = ROOT / path
        if not file.exists() or not re.search(rf"def {name}\b", file.read_text(encoding="utf-8")):
            gone.append(f"{path}::{name}")
    assert not gone, f"docs/policy.md names tests that no longer exist: {gone}"


def test_every_clause_has_a_row():
    rows = {line.split("|")[1].strip().split(" ")[0] for line in TRACE.splitlines() if line.startswith("| ") and "---" not in line}
    missing = [c for c in CLAUSES if c not in rows]
    assert not missing, f"clauses without a row in docs/policy.md: {missing}"
