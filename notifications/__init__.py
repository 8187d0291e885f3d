"""Notices and email: the inbox, reminders sent at most once, the daily sweep that asks each app's reminders module.
It knows only organizations and users; the apps call it, and it reaches them only through hooks and module names."""
