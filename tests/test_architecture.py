"""The shape of the code holds: imports only go down the layers, no import cycles, files a reader can take in."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ["config", "scorecards", "guide", "reports", "inspections", "evaluations", "posts", "targets", "years", "notifications", "accounts", "organizations",
        "machinery"]  # fmt: skip


def test_imports_go_down_the_layers_without_cycles():
    lint = Path(sys.executable).with_name("lint-imports")
    run = subprocess.run([str(lint), "--config", str(ROOT / ".importlinter")], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "BROKEN" not in run.stdout and "2 kept" in run.stdout


def test_no_module_outgrows_a_readers_sitting():
    long = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            lines = path.read_text(encoding="utf-8").count("\n")
            if lines > 400:
                long.append(f"{path.relative_to(ROOT)} ({lines})")
    assert not long, f"split these by subject: {long}"


def test_modules_are_named_by_subject_not_by_suffix():
    suffixed = [
        str(p.relative_to(ROOT))
        for app in APPS
        for p in (ROOT / app).glob("*.py")
        if p.stem.endswith("_work") or (p.stem.startswith("views_") and (p.parent / "views").is_dir())
    ]
    assert not suffixed, f"put these in the package of their subject: {suffixed}"
