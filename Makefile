# 168 — the two commands a newcomer needs: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve worker-exports worker-reminders beat test install install-test system-deps migrate demo lint migrations-check bench mutation clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# Debian packages for PDF fonts, pdftotext/pdffonts and the browser tests (root only; skipped when present).
system-deps:
	@missing=""; \
	for p in libharfbuzz-subset0 fonts-noto-cjk poppler-utils chromium; do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "缺少系统软件包:$$missing (请用 root 执行 make system-deps)"; fi; \
	fi

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

# runserver with a Celery worker and beat beside it (long exports, reminders): without REDIS_URL their queue is files
# under var/celery. The worker logs to var/celery.log and stops when runserver does (Ctrl-C).
CELERY_LOG ?= $${VAR_DIR:-var}/celery.log
run: demo
	@$(BIN)/python manage.py demo_logins --url http://$(HOST):$(PORT)/
	@$(BIN)/celery -A config worker -B -c 2 --without-gossip --without-mingle --loglevel INFO \
	  -s "$${VAR_DIR:-var}/celerybeat-schedule" >"$(CELERY_LOG)" 2>&1 & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; trap 'exit 130' INT TERM; \
	echo "后台任务进程已启动（日志：$(CELERY_LOG)）"; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Production-like background processes, each in its own terminal or unit (docs/systemd/): a worker per queue, so a
# long export never delays a reminder, and the deployment's one beat. They need REDIS_URL (and DATABASE_URL).
worker-exports: install
	$(BIN)/celery -A config worker -Q exports -c 1 --max-tasks-per-child 20 -n exports@%h --loglevel INFO

worker-reminders: install
	$(BIN)/celery -A config worker -Q reminders -c 2 -n reminders@%h --loglevel INFO

beat: install
	$(BIN)/celery -A config beat --loglevel INFO -s "$${VAR_DIR:-var}/celerybeat-schedule"

test: system-deps install-test
	$(BIN)/python manage.py makemigrations --check --dry-run >/dev/null || (echo "模型有未生成的迁移" && exit 1)
	$(BIN)/pytest -q $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check .

migrations-check: install
	$(BIN)/python manage.py makemigrations --check --dry-run

bench: install-test
	$(BIN)/python bench/run.py

# Mutation testing of the rule modules ([tool.mutmut] in pyproject.toml; not part of `make test` or CI, ~20 min on
# 2 cores). Starts from a fresh copy in mutants/, then prints killed / total per module and fails below MUTATION_MIN %.
MUTATION_MIN ?= 85
MUTATION_CHILDREN ?= 2

define MUTATION_SUMMARY
import collections, sys
counts = collections.defaultdict(collections.Counter)
for line in sys.stdin:
    if "__mutmut_" not in line or ": " not in line:
        continue
    name, status = line.strip().rsplit(": ", 1)
    counts[name.split("__mutmut_")[0].rsplit(".", 1)[0]][status] += 1
low = []
print(f"{'module':34} {'killed':>6} {'total':>6} {'score':>7}  other")
for module, c in sorted(counts.items()):
    total, killed = sum(c.values()), c["killed"]
    score = 100 * killed / total
    other = ", ".join(f"{n} {s}" for s, n in sorted(c.items()) if s != "killed")
    print(f"{module:34} {killed:6} {total:6} {score:6.1f}%  {other}")
    if score < float(sys.argv[1]):
        low.append(module)
if low:
    sys.exit(f"below {sys.argv[1]}%: {', '.join(low)}  (see: .venv/bin/mutmut results; .venv/bin/mutmut show NAME)")
endef
export MUTATION_SUMMARY

mutation: install-test
	rm -rf mutants
	$(BIN)/mutmut run --max-children $(MUTATION_CHILDREN)
	@$(BIN)/mutmut results --all true | $(BIN)/python -c "$$MUTATION_SUMMARY" $(MUTATION_MIN)

clean:
	rm -rf $(VENV) db.sqlite3 var
