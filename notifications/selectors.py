"""Reads of the inbox. A notice belongs to its recipient alone: anyone else gets 404, whatever their role."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import Notice


def notices_for(user) -> QuerySet[Notice]:
    """The user's own notices, newest first."""
    if user is None or not user.is_authenticated:
        return Notice.objects.none()
    return Notice.objects.filter(recipient=user).order_by("-created_at", "-pk")


def unread_count(user) -> int:
    return notices_for(user).filter(read_at__isnull=True).count()


def get_notice_for_user(user, pk: int) -> Notice:
    """The user's own notice; 404 for anybody else's (superusers included: an inbox is personal)."""
    return get_object_or_404(notices_for(user), pk=pk)
