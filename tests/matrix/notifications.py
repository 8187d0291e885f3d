from notifications.models import Notice
from tests.matrix import Case, entry


def _notice_of_b(w) -> Notice:
    return Notice.objects.create(recipient=w.user("school_b_secretary"), subject="乙校提醒", body="乙校的通知")


@entry("notifications:inbox")
def _inbox(w):
    _notice_of_b(w)
    return [Case(scan=True, owner=None), Case(scan=True, owner=None, query="unread=1")]


@entry("notifications:badge")
def _badge(w):
    _notice_of_b(w)
    return Case(scan=True, owner=None)


@entry("notifications:open")
def _open(w):
    return Case(kwargs={"pk": _notice_of_b(w).pk})


@entry("notifications:mark_read")
def _mark_read(w):
    return Case(kwargs={"pk": _notice_of_b(w).pk}, method="post")


@entry("notifications:mark_all_read")
def _mark_all_read(w):
    _notice_of_b(w)
    return Case(scan=True, owner=None, method="post")
