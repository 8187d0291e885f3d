"""Signals any app may send or receive (this is the ground layer, so every app can import it).

rows_changed: rows of `sender` (a model class) were written in a way that sends no post_save or post_delete —
bulk_create, bulk_update, queryset.update(). Whoever keeps figures derived from those rows (the dashboard's cache)
drops them. Send it after such a write: `rows_changed.send(sender=Member)`.
"""

from django.dispatch import Signal

rows_changed = Signal()
