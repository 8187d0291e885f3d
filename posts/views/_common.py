from __future__ import annotations

from django.core.exceptions import ValidationError

from organizations import access
from organizations.selectors import breadcrumbs


def add_errors(form, error: ValidationError) -> None:
    """Put a service's refusal next to the field it names (or on top of the form); fields the form lacks go on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def org_crumbs(user, org) -> list:
    """Breadcrumbs down to and including the organization, as far as the user may see them."""
    crumbs = breadcrumbs(user, org)
    return crumbs + [org] if access.is_visible(user, org) else crumbs


def carry_current_version(form, error: ValidationError, version: int) -> None:
    """After a stale-version refusal the form keeps the user's input but carries the version now stored, so that
    saving again (once the user has looked at the newer data shown beside it) goes through."""
    if getattr(error, "code", None) == "stale":
        data = form.data.copy()
        data["version"] = str(version)
        form.data = data
