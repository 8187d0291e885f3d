"""Reports: Annex 1, 2 and 5 as xlsx and PDF, the quarterly report workflow, dashboards and rating progress. It reads
every other app; nothing imports it."""
