"""组织目标管理: long-term targets, the annual plan and its six steps (六步工作法), Annex 1 rows and the public page.
Stands on organizations, years and notifications; posts, evaluations and reports stand on it."""
