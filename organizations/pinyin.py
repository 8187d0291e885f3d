"""Pinyin keys so that 张三 is found by typing “zs” or “zhangsan”."""

from pypinyin import Style, lazy_pinyin


def pinyin_keys(text: str) -> tuple[str, str]:
    """Return (initials, full pinyin), lower case, without separators."""
    full = lazy_pinyin(text or "", errors="ignore")
    initials = lazy_pinyin(text or "", style=Style.FIRST_LETTER, errors="ignore")
    return "".join(initials).lower()[:100], "".join(full).lower()[:255]
