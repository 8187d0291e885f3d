"""docs/policy.md maps every clause of the policy to screens and tests; it must not go stale."""

import re
from pathlib import Path

from tests.test_access_matrix import project_urls

ROOT = Path(__file__).resolve().parent.parent
TRACE = (ROOT / "docs" / "policy.md").read_text(encoding="utf-8")
CLAUSES = [
    "一.1", "一.2", "一.3", "二.1", "二.2", "二.3", "二.4", "二.5",
    "三.1", "三.2", "三.3", "三.4", "三.5", "三.6", "三.7",
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


def test_public_supervision_has_its_screens_and_tests():
    """接受群众监督 closes its loop: the public page's link and form, the secretary's answer, the reminder and the
    dashboard count each name a screen and a test in the row of 三.3."""
    rows = [line for line in TRACE.splitlines() if line.startswith("| 三.3 接受群众监督")]
    assert len(rows) == 1, "one row for 接受群众监督"
    for screen in ["url:targets:public", "url:targets:public_opinions", "url:targets:opinion_answer", "url:reports:dashboard"]:
        assert screen in rows[0], screen
    for word in ["提意见", "答复", "未答复的提醒", "看板"]:
        assert word in rows[0], word
    assert len(re.findall(r"test:tests/[\w/]+\.py::\w+", rows[0])) >= 8



def test_the_policys_remaining_loops_have_their_screens_and_tests():
    """Each clause quoted as missing in the reading of 泉委教组〔2012〕6号 against the demo (接受群众监督, 年中巡查,
    联系点, 四争, 党员联系群众, 责任制, 情况通报 and 简报, 八个方面的作用) names the screens that carry it and the
    tests that prove it."""
    clauses = {
        "接受群众监督": ["url:targets:public_opinions"],
        "年中有巡查": ["url:inspections:year", "url:inspections:detail"],
        "完善党员领导干部联系点制度": ["url:organizations:contact_point"],
        "争做办学治校骨干": ["url:posts:aim_choose", "url:reports:annex2_xlsx"],
        "通过建立党员联系制度": ["url:posts:mass_contacts"],
        "校长一岗双责": ["url:targets:plan_detail", "url:reports:annex1_xlsx"],
        "情况通报（工委）": ["url:bulletins:circulars", "url:posts:notice_detail"],
        "简报等形式宣传介绍好做法": ["url:bulletins:briefs", "url:bulletins:brief_publish", "url:targets:public"],
        "八个方面的作用": ["url:reports:roles"],
    }
    # the parts that put work on someone's home page (待办)
    on_home = {"接受群众监督", "年中有巡查", "完善党员领导干部联系点制度", "争做办学治校骨干", "校长一岗双责", "情况通报（工委）",
               "简报等形式宣传介绍好做法"}  # fmt: skip
    for words, screens in clauses.items():
        rows = [line for line in TRACE.splitlines() if line.startswith("| ") and words in line.split("|")[1]]
        assert rows, f"no row of docs/policy.md quotes {words}"
        row = " ".join(rows)
        for screen in screens + (["url:home"] if words in on_home else []):
            assert screen in row, (words, screen)
        assert re.search(r"test:tests/[\w/]+\.py::\w+", row), words
        assert re.search(r"test:tests/browser/[\w/]+\.py::\w+", row), f"{words}: no browser test of its main path"
