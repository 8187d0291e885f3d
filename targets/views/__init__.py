"""Views of 目标管理, split by noun: plans and steps, records of each step, long-term targets, the public page."""
