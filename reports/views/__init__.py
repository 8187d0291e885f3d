"""Views of reports, split by noun: quarterly (Annex 5 workflow), annexes (downloads, export jobs), dashboard."""
