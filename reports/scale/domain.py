"""Generated data for the apps standing on the tree: each part runs only when its app's models exist.

Shares, roughly as a city in its second year of the mechanism would look: every grassroots organization has this
year's plan with a handful of target items; branches set posts; most members claim one and write commitments, most
of them approved and published; the first three quarters' ratings are closed; reporting units have submitted the
past quarters (a few late, a few missing) and are working on the current one.
"""

from __future__ import annotations

import datetime
import random
import time
from decimal import Decimal

from django.apps import apps
from django.utils import timezone

from organizations.enums import EightRole, OrgKind
from organizations.models import Member

from .fill import insert, link, make
from .tree import Tree


def model(label: str):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


ROLES = [r.value for r in EightRole]
ITEMS = [
    ("party", "开展“三会一课”和主题党日活动", "全年不少于12次，党员参与率≥95%", "制定年度学习计划，按月落实"),
    ("party", "建设党员示范岗", "设立示范岗不少于5个", "结合学科教学设岗，学期末评议"),
    ("school", "提升教学质量", "学业水平合格率≥98%", "集体备课、分层教学、课后辅导"),
    ("school", "创建平安校园", "全年无重大安全责任事故", "每月安全排查，落实值班制度"),
    ("school", "教师专业发展", "市级以上公开课不少于6节", "青蓝工程结对帮扶"),
    ("party", "联系服务群众", "每名党员联系2户学生家庭", "开展家访和志愿服务"),
]
POSTS = [("教学示范岗", "承担公开课和青年教师指导"), ("安全护卫岗", "上下学时段校门值守"),
         ("家校联系岗", "联系学生家庭，开展家访"), ("学习宣传岗", "组织理论学习和宣传"),
         ("志愿服务岗", "组织党员志愿服务")]
COMMITMENTS = [("work", "本学期开设公开课1节并指导1名青年教师", "公开课1节，结对教师考核合格"),
               ("study", "每月完成理论学习不少于8小时", "学习笔记不少于1万字"),
               ("service", "每学期家访不少于10户", "家访记录10份"),
               ("discipline", "严守师德规范，不参与有偿补课", "全年无违规记录")]


def build_targets(*, tree: Tree, rng: random.Random, year: int, items: int, **_) -> dict:
    AnnualPlan, TargetItem, StepCompletion = (model(f"targets.{n}") for n in ("AnnualPlan", "TargetItem",
                                                                                "StepCompletion"))
    if AnnualPlan is None:
        return {}
    plans = [make(AnnualPlan, organization_id=o.pk, year=year, theme="organization_building",
                  featured_work="党员示范岗建设", theory_research="新时代学校党建调研", school_targets="办人民满意的教育")
             for o in tree.grassroots]
    insert(AnnualPlan, plans)
    tree.plans = {p.organization_id: p for p in plans}
    rows = []
    if TargetItem is not None:
        for p in plans:
            for k in range(items):
                category, content, indicator, measures = ITEMS[k % len(ITEMS)]
                status = rng.choice(["not_started", "in_progress", "in_progress", "done", "delayed"])
                rows.append(make(TargetItem, plan_id=p.pk, category=category, content=content, indicator=indicator,
                                 measures=measures, role=ROLES[k % len(ROLES)], office="教务处", responsible="王志明",
                                 deadline=datetime.date(year, 12, 31), status=status,
                                 percent={"not_started": 0, "done": 100}.get(status, rng.randint(10, 90))))
        insert(TargetItem, rows)
    org_of_plan = {p.pk: p.organization_id for p in plans}
    for item in rows:
        tree.items_by_org.setdefault(org_of_plan[item.plan_id], []).append(item.pk)
    done = 0
    if StepCompletion is not None:
        steps = ["opinions", "decision", "decomposition", "public_commitment", "implementation", "evaluation"]
        completions = []
        for p in plans:
            for k in range(rng.randint(0, len(steps))):
                completions.append(make(StepCompletion, plan_id=p.pk, step=steps[k],
                                        completed_at=_aware(datetime.date(year, 2 + k, 15))))
        insert(StepCompletion, completions)
        done = len(completions)
    return {"plans": len(plans), "target_items": len(rows), "steps_done": done}


def build_posts(*, tree: Tree, members: list[Member], rng: random.Random, year: int, posts: int,
                claim_share: float, commitments: int, **_) -> dict:
    Post, PostClaim, Commitment = (model(f"posts.{n}") for n in ("Post", "PostClaim", "Commitment"))
    if Post is None:
        return {}
    made = []
    by_branch: dict[int, list] = {}
    for b in tree.branches:
        for k in range(posts):
            name, duties = POSTS[k % len(POSTS)]
            post = make(Post, organization_id=b.pk, year=year, name=name if k < len(POSTS) else f"{name}{k}",
                        duties=duties, role=ROLES[k % len(ROLES)], capacity=rng.randint(2, 8))
            made.append(post)
            by_branch.setdefault(b.pk, []).append(post)
    insert(Post, made)
    counts = {"posts": len(made)}
    items_by_org = tree.items_by_org
    if items_by_org:
        pairs = [(p.pk, items_by_org[p.organization_id][k % len(items_by_org[p.organization_id])])
                 for k, p in enumerate(made) if items_by_org.get(p.organization_id)]
        counts["post_target_links"] = link(Post.target_items.through, pairs, "post", "targetitem")
    if PostClaim is None:
        return counts
    claims = [make(PostClaim, post_id=rng.choice(by_branch[m.organization_id]).pk, member_id=m.pk)
              for m in members if m.organization_id in by_branch and rng.random() < claim_share]
    insert(PostClaim, claims)
    tree.claimants = {c.member_id for c in claims}
    counts["post_claims"] = len(claims)
    if Commitment is None:
        return counts
    rows = []
    published_at = _aware(datetime.date(year, 3, 10))
    for c in claims:
        for k in range(commitments):
            aspect, content, result = COMMITMENTS[(c.pk + k) % len(COMMITMENTS)]
            state = rng.choices(["approved", "submitted", "returned", "draft"], [75, 10, 5, 10])[0]
            approved = state == "approved"
            status = rng.choices(["in_progress", "fulfilled", "not_fulfilled"], [50, 45, 5])[0] if approved \
                else "in_progress"
            rows.append(make(Commitment, claim_id=c.pk, aspect=aspect, content=content, measurable_result=result,
                             due_on=datetime.date(year, 12, 31), state=state, status=status,
                             published_at=published_at if approved else None,
                             audience="society" if approved else ""))
    insert(Commitment, rows)
    counts["commitments"] = len(rows)
    return counts


def build_evaluations(*, tree: Tree, members: list[Member], rng: random.Random, year: int, **_) -> dict:
    Period, Rating = model("evaluations.EvaluationPeriod"), model("evaluations.Rating")
    if Period is None:
        return {}
    spans = [("q1", (3, 20), (4, 10)), ("h1", (6, 20), (7, 10)), ("q3", (9, 20), (10, 10))]
    periods = []
    for b in tree.branches:
        for kind, (om, od), (cm, cd) in spans:
            periods.append(make(Period, organization_id=b.pk, year=year, kind=kind,
                                opens_on=datetime.date(year, om, od), closes_on=datetime.date(year, cm, cd),
                                state="closed", closed_at=_aware(datetime.date(year, cm, cd))))
    insert(Period, periods)
    counts = {"evaluation_periods": len(periods)}
    if Rating is None:
        return counts
    by_branch: dict[int, list] = {}
    for p in periods:
        by_branch.setdefault(p.organization_id, []).append(p)
    claimants = tree.claimants
    snapshot = {"weights": {"self": 20, "poll": 30, "org": 50},
                "thresholds": {"excellent": "90", "good": "80", "fair": "60"}}
    rows = []
    for m in members:
        if claimants is not None and m.pk not in claimants:
            continue
        for p in by_branch.get(m.organization_id, ()):
            s, poll, org = (Decimal(rng.randint(60, 100)) for _ in range(3))
            weighted = (s * 20 + poll * 30 + org * 50) / 100
            grade = "excellent" if weighted >= 90 else "good" if weighted >= 80 else "fair" if weighted >= 60 \
                else "poor"
            rows.append(make(Rating, period_id=p.pk, member_id=m.pk, self_score=s, poll_score=poll, org_score=org,
                             weighted_score=weighted.quantize(Decimal("0.01")), grade=grade, snapshot=snapshot,
                             published=True, published_at=p.closed_at))
    insert(Rating, rows)
    counts["ratings"] = len(rows)
    return counts


def build_reports(*, tree: Tree, rng: random.Random, year: int, **_) -> dict:
    Report = model("reports.QuarterlyReport")
    if Report is None:
        return {}
    today = timezone.localdate()
    current = (today.month - 1) // 3 + 1 if today.year == year else 4
    rows = []
    for unit in tree.units:
        for quarter in range(1, current + 1):
            due = datetime.date(year, quarter * 3, 20)
            past = quarter < current
            roll = rng.random()
            if past:
                state = "missing" if roll < 0.04 else "accepted" if roll < 0.8 else "submitted"
            else:
                state = "missing" if roll < 0.6 else "draft" if roll < 0.9 else "submitted"
            if state == "missing":
                continue
            late = past and state != "draft" and rng.random() < 0.1
            submitted = None if state == "draft" else _aware(due + datetime.timedelta(days=rng.randint(1, 9) if late
                                                                                        else -rng.randint(0, 9)))
            total = rng.randint(3, 40)
            launched = rng.randint(0, total)
            rows.append(make(Report, organization_id=unit.pk, year=year, quarter=quarter, state=state,
                             org_total=total, org_launched=launched,
                             coverage_percent=Decimal(round(100 * launched / total, 1)),
                             members=rng.randint(30, 600), posts=rng.randint(5, 90), due_on=due,
                             submitted_at=submitted, is_late=late, practices="按照六步工作法扎实推进",
                             filled_by="林雅婷", contact_phone="0595-22000000"))
    insert(Report, rows)
    return {"quarterly_reports": len(rows)}


def build_org_extras(*, tree: Tree, rng: random.Random, year: int, **_) -> dict:
    counts = {}
    Title, Honour = model("organizations.HonourTitle"), model("organizations.Honour")
    if Title is not None and Honour is not None:
        titles = list(Title.objects.all()) or [Title.objects.create(name="先进基层党组织", track="party")]
        rows = [make(Honour, organization_id=s.pk, title_id=rng.choice(titles).pk,
                     level=rng.choice(["county", "county", "city", "province"]), year=year - rng.randint(0, 3),
                     conferred_by="县委教育工委") for s in tree.schools if rng.random() < 0.1]
        insert(Honour, rows)
        counts["honours"] = len(rows)
    Demo = model("organizations.DemonstrationUnit")
    if Demo is not None:
        rows = [make(Demo, organization_id=s.pk, designated_by_id=tree.root.pk, year=year,
                     kind=rng.choice(["comprehensive", "single"]))
                for s in tree.schools if s.kind != OrgKind.BRANCH and rng.random() < 0.05]
        insert(Demo, rows)
        counts["demonstration_units"] = len(rows)
    Leader, Contact = model("organizations.Leader"), model("organizations.ContactPoint")
    if Leader is not None and Contact is not None:
        committees = [tree.root, *tree.counties, *tree.units]
        leaders = [make(Leader, organization_id=c.pk, name=f"班子成员{k + 1}", title="副书记") for c in committees
                   for k in range(2)]
        insert(Leader, leaders)
        below = {c.pk: [s for s in tree.schools + tree.branches if s.path.startswith(c.path)] or tree.schools
                 for c in committees}
        points = [make(Contact, leader_id=leader.pk, organization_id=rng.choice(below[leader.organization_id]).pk,
                       since=datetime.date(year, 3, 1)) for leader in leaders if below[leader.organization_id]]
        insert(Contact, points)
        counts["contact_points"] = len(points)
    return counts


BUILDERS = [("org_extras", build_org_extras), ("targets", build_targets), ("posts", build_posts),
            ("evaluations", build_evaluations), ("reports", build_reports)]


def build_all(*, tree: Tree, members: list[Member], rng: random.Random, year: int, timings: dict, **sizes) -> dict:
    counts: dict[str, int] = {}
    for name, builder in BUILDERS:
        t = time.perf_counter()
        made = builder(tree=tree, members=members, rng=rng, year=year, **sizes)
        if made:
            counts.update(made)
            timings[name] = round(time.perf_counter() - t, 2)
    return counts
