"""党员亮岗履职: posts, claims, commitments with review and publication, duty logs and reports, notices, the Annex 4
flow. Stands on targets (posts may point at target items), years, organizations and notifications."""
