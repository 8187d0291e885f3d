"""Pinyin keys so that 张三 is found by typing “zs” or “zhangsan”."""

from functools import lru_cache

from pypinyin import Style, lazy_pinyin
from pypinyin.constants import PHRASES_DICT

_LONGEST_PHRASE = max((len(k) for k in PHRASES_DICT), default=1)


@lru_cache(maxsize=8192)
def _char_keys(char: str) -> tuple[str, str]:
    return "".join(lazy_pinyin(char, style=Style.FIRST_LETTER, errors="ignore")), "".join(
        lazy_pinyin(char, errors="ignore")
    )


def _has_phrase(text: str) -> bool:
    """Whether pypinyin would read part of `text` as a word (whose reading may differ from its characters')."""
    n = len(text)
    for i in range(n - 1):
        for j in range(i + 2, min(n, i + _LONGEST_PHRASE) + 1):
            if text[i:j] in PHRASES_DICT:
                return True
    return False


@lru_cache(maxsize=8192)
def pinyin_keys(text: str) -> tuple[str, str]:
    """Return (initials, full pinyin), lower case, without separators.

    The same as pypinyin's lazy_pinyin of the whole text. Text without a multi-character word of pypinyin's phrase
    list (most names) is read character by character, each character's reading looked up once per process, and
    the keys of the last few thousand texts are kept: a roster of thousands of names costs milliseconds instead of
    a segmentation per name."""
    text = text or ""
    if _has_phrase(text):
        initials = "".join(lazy_pinyin(text, style=Style.FIRST_LETTER, errors="ignore"))
        full = "".join(lazy_pinyin(text, errors="ignore"))
    else:
        keys = [_char_keys(c) for c in text]
        initials, full = "".join(k[0] for k in keys), "".join(k[1] for k in keys)
    return initials.lower()[:100], full.lower()[:255]


@lru_cache(maxsize=8192)
def pinyin_syllables(text: str) -> tuple[str, ...]:
    """The full pinyin of `text` one syllable a character, lower case, read as pinyin_keys reads it (their join is
    pinyin_keys' full pinyin, before its cut)."""
    text = text or ""
    if _has_phrase(text):
        syllables = lazy_pinyin(text, errors="ignore")
    else:
        syllables = [_char_keys(c)[1] for c in text]
    return tuple(s.lower() for s in syllables if s)
