"""The one-page documents as A4 PDF: Annex 3 (a plan's six steps), Annex 4 (a member's six sub-steps) and the
公开承诺书 (a member's commitments as a letter for the notice board).

Each is drawn from the same data and templates as its page: Annex 3 includes targets/_flow.html with
targets.selectors.step_states, Annex 4 includes posts/_flow_steps.html with posts.flows.flow_state, the letter reads
the member's claims and commitments as the printable page does. WeasyPrint renders them with the Noto CJK fonts the
annex tables use; “附件N” stands top left, the date the state was read is printed under the title. A member's phone
number is never on any of them."""

from __future__ import annotations

import datetime

from django.template.loader import render_to_string
from django.utils import timezone

from posts import flows
from posts.enums import Audience, CommitmentState
from posts.selectors import member_claims
from targets import selectors as targets_selectors

from .pdf import render_pdf


def date_text(d: datetime.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _render(template: str, context: dict) -> bytes:
    today = timezone.localdate()
    return render_pdf(render_to_string(template, {"today": date_text(today), **context}))


def annex3_pdf(plan) -> bytes:
    """附件3: the plan's six steps in their live state (done with date and who, current, not started)."""
    states = targets_selectors.step_states(plan)
    current = next((s for s in states if s.state == "current"), None)
    return _render(
        "reports/documents/annex3.html",
        {"plan": plan, "org": plan.organization, "states": states, "current": current},
    )


def annex4_pdf(member, year: int) -> bytes:
    """附件4: the member's six sub-steps of 亮岗履职, each in the state its records give."""
    steps = flows.flow_state(member, year)
    current = next((s for s in steps if s.current), None)
    return _render(
        "reports/documents/annex4.html", {"member": member, "year": year, "steps": steps, "current": current}
    )


def pledge_claims(member, year: int, *, public: bool) -> list:
    """The member's posts of the year, each with the commitments the letter lists: every approved one, or for the
    public only those published to society."""
    claims = list(member_claims(member, year))
    for claim in claims:
        approved = [c for c in claim.commitments.all() if c.state == CommitmentState.APPROVED]
        if public:
            approved = [c for c in approved if c.published_at and c.audience == Audience.SOCIETY]
        claim.listed = approved
    if public:
        claims = [claim for claim in claims if claim.listed]
    return claims


def pledge_pdf(member, year: int, claims: list) -> bytes:
    """公开承诺书: one letter per member and year with the listed commitments and the signature line."""
    return _render("reports/documents/pledge.html", {"member": member, "year": year, "claims": claims})
