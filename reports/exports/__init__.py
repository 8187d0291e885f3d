"""Annex 1, 2 and 5 as tables (tables.py), written as xlsx (xlsx.py) and PDF (pdf.py) from the same Table objects,
so both formats always carry the same columns and rows."""
