"""Roster import (名册导入): the rules (`rules`, re-exported here), the workbooks (`book`), the checked rows kept on
an import record (`kept`) and the bulk member writer (`writer`); reading the sheet (`sheet`) and matching rows to the
roster (`matching`). It imports the models only; the writes that use it
are organizations.services.roster."""

from .matching import plan
from .rules import (
    COLUMNS,
    ERROR_HEADER,
    EXAMPLE,
    HEADERS,
    MAX_MB,
    MAX_ROWS,
    XLSX_MIME,
    Parsed,
    parse_stored,
    read_file,
)

__all__ = [
    "COLUMNS",
    "ERROR_HEADER",
    "EXAMPLE",
    "HEADERS",
    "MAX_MB",
    "MAX_ROWS",
    "XLSX_MIME",
    "Parsed",
    "parse_stored",
    "plan",
    "read_file",
]
