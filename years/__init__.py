"""The work year and its calendar: rating windows and Annex 5 deadlines set by the city committee, narrowed below.

Stands on organizations only; targets, posts, evaluations and reports read it (and ask it whether a year is still
open for writing).
"""
