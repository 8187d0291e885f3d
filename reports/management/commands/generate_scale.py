"""manage.py generate_scale — province-sized data for benchmarks, written in bulk (COPY on PostgreSQL).

    manage.py generate_scale --orgs 20000 --members 400000

Adds a new tree beside whatever is there (a fresh database is best: the benchmarks use their own). Every app whose
models exist gets data: plans and target items, posts, claims and commitments, evaluation periods and ratings,
quarterly reports. The bench logins (bench_city, bench_county, bench_unit, bench_school, bench_branch, bench_member;
password bench-168-pass) are placed in the new tree.
"""

from __future__ import annotations

import json
import random
import time

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from reports.scale import domain
from reports.scale.people import build_logins
from reports.scale.tree import build_members, build_tree


class Command(BaseCommand):
    help = "生成省级规模的压测数据（批量写入）"

    def add_arguments(self, parser):
        parser.add_argument("--orgs", type=int, default=2000, help="党组织总数（含根）")
        parser.add_argument("--members", type=int, default=40000, help="党员/教师总数")
        parser.add_argument("--units", type=int, default=None, help="报送季报表的单位数（默认为组织数的十分之一）")
        parser.add_argument("--year", type=int, default=None, help="年度（默认今年）")
        parser.add_argument("--items", type=int, default=5, help="每个年度计划的目标任务数")
        parser.add_argument("--posts", type=int, default=3, help="每个支部的岗位数")
        parser.add_argument("--claim-share", type=float, default=0.6, help="认领岗位的党员比例")
        parser.add_argument("--commitments", type=int, default=2, help="每次认岗的承诺数")
        parser.add_argument("--seed", type=int, default=168)
        parser.add_argument("--json", action="store_true", help="只输出一行 JSON 统计")

    def handle(self, *args, **opts):
        rng = random.Random(opts["seed"])
        year = opts["year"] or timezone.localdate().year
        started = time.perf_counter()
        timings: dict[str, float] = {}

        def lap(name: str, t0: float) -> float:
            timings[name] = round(time.perf_counter() - t0, 2)
            return time.perf_counter()

        with transaction.atomic():
            t = time.perf_counter()
            tree = build_tree(orgs=opts["orgs"], units=opts["units"], rng=rng, year=year)
            t = lap("organizations", t)
            members = build_members(tree=tree, members=opts["members"], rng=rng)
            t = lap("members", t)
            logins = build_logins(tree)
            counts = {"organizations": len(tree.all), "members": len(members), "reporting_units": len(tree.units)}
            counts.update(
                domain.build_all(
                    tree=tree,
                    members=members,
                    rng=rng,
                    year=year,
                    items=opts["items"],
                    posts=opts["posts"],
                    claim_share=opts["claim_share"],
                    commitments=opts["commitments"],
                    timings=timings,
                )
            )
        total = round(time.perf_counter() - started, 1)
        summary = {"counts": counts, "seconds": total, "timings": timings, "root": tree.root.pk, "logins": logins}
        if opts["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
            return
        for name, n in counts.items():
            self.stdout.write(f"  {name:<24} {n:>10,}")
        self.stdout.write(f"用时 {total} 秒；各部分：{timings}")
