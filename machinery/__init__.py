"""Machinery every app of 168 uses the same way: optimistic locking (`locking`), the change-history trail
(`history`), safe uploads and downloads (`uploads`), pinyin search keys (`pinyin`), query parameters (`params`),
service errors on forms (`forms`) and every workbook's cells (`xlsx`: text stays text, never a formula).

It imports Django and third-party libraries only, never an app of 168, so any app may import it.
"""
