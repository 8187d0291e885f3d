"""承诺亮岗 reviewed in bulk: several submitted commitments approved or returned at once, each on its own."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from organizations.models import Organization

from ..models import Commitment
from .commitments import commitment_approve, commitment_return

APPROVE, RETURN = "approve", "return"


@dataclass
class ReviewDecision:
    """One ticked row: the commitment, the version the page showed and, for a return, its reason and criteria."""

    commitment_id: int
    version: int | None
    action: str = APPROVE
    reason: str = ""
    failed: list[str] = field(default_factory=list)


@dataclass
class ReviewOutcome:
    decision: ReviewDecision
    commitment: Commitment
    done: bool
    message: str = ""


@transaction.atomic
def commitments_review(*, organization: Organization, decisions: list[ReviewDecision], by) -> list[ReviewOutcome]:
    """Approve or return each ticked commitment on its own (commitment_approve / commitment_return, with the
    version the page showed). Guarantees:
    - every id must be a commitment of the organization's subtree: otherwise the whole request is refused
      (Commitment.DoesNotExist, 404 for the caller) and nothing is written;
    - each row is decided in its own savepoint: a row refused (stale version, no longer pending, one's own or not
      one's to review, a return without reason or criteria) writes nothing and is reported with its message; the
      other rows proceed;
    - the outcomes come back in the order of `decisions`."""
    ids = [d.commitment_id for d in decisions]
    if len(ids) != len(set(ids)):
        raise ValidationError(_("同一承诺在提交中出现了两次"))
    found = {
        c.pk: c
        for c in Commitment.objects.filter(
            pk__in=ids, claim__member__organization__path__startswith=organization.path
        ).select_related("claim__post", "claim__member__organization")
    }
    if len(found) != len(ids):
        raise Commitment.DoesNotExist(_("承诺不存在"))
    outcomes = []
    for decision in decisions:
        commitment = found[decision.commitment_id]
        try:
            with transaction.atomic():
                if decision.action == RETURN:
                    commitment_return(
                        commitment=commitment, by=by, reason=decision.reason, failed=decision.failed,
                        version=decision.version if decision.version is not None else -1,
                    )  # fmt: skip
                elif decision.action == APPROVE:
                    commitment_approve(
                        commitment=commitment, by=by, version=decision.version if decision.version is not None else -1
                    )
                else:
                    raise ValidationError(_("请选择通过或退回"))
        except ValidationError as exc:
            outcomes.append(ReviewOutcome(decision, commitment, False, "；".join(exc.messages)))
        else:
            outcomes.append(ReviewOutcome(decision, commitment, True))
    return outcomes
