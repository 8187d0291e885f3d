"""Search keys that find a name by any part of it: the name, its common short form (安海第一中学 → 安海一中), and the
full pinyin and pinyin initials of both, so that “安海一中”, “anhai”, “ahyz” and “ahdyz” all find 安海第一中学.

A key holds the parts, lower case, each after a space, and a space at the end:
    " 安海第一中学 anhaidiyizhongxue ahdyzx 安海一中 anhaiyizhong ahyz |安海 |海第 … |ah |hd … "
so that a query term (never holding a space) matches a part anywhere (`contains term`), at a part's start
(`contains " " + term`) or a whole part (`contains " " + term + " "`): one column serves the search and its ranking.
On PostgreSQL a trigram index on it serves `contains` (LIKE '%…%') for terms of three characters or more. A shorter
term has no trigram of its own, so the key also holds, after a "|", the first two characters from every character of
the names and initials and from every syllable of the pinyin; a short term is looked for at the start of a part
(" " + term or "|" + term), where pg_trgm's word-start trigrams serve it. So one or two characters of a name or of
its initials match anywhere, and one or two letters of full pinyin at the start of a syllable ("an" finds 安海, not
先安)."""

from __future__ import annotations

import re
from functools import lru_cache

from django.db.models import Case, IntegerField, Q, Value, When

from .pinyin import pinyin_keys, pinyin_syllables

NUMERALS = "一二三四五六七八九十"
# (long form, short form) applied in order, to stored names and to queries alike: 第一中学 → 一中, 实验小学 → 实小 …
SHORT_FORMS: list[tuple[re.Pattern, str]] = [
    (re.compile(pattern), short)
    for pattern, short in [
        ("实验小学", "实小"),
        ("实验幼儿园", "实幼"),
        ("实验中学", "实中"),
        ("附属中学", "附中"),
        ("附属小学", "附小"),
        ("职业中专", "职专"),
        ("职业中学", "职中"),
        ("中等专业学校", "中专"),
        ("职业技术学校", "职校"),
        ("进修学校", "进修校"),
        ("中心小学", "中心校"),
        ("教育工作委员会", "教育工委"),
        (f"第([{NUMERALS}]+)中学", r"\1中"),
        (f"第([{NUMERALS}]+)小学", r"\1小"),
        (f"第([{NUMERALS}]+)实小", r"\1实小"),
    ]
]
_CONTROL = re.compile(r"[\x00-\x1f\x7f\ufeff\u200b-\u200d]")
_DIGIT_SCHOOL = re.compile(r"(?<!\d)([1-9])(?=[中小])")  # 安海1中 → 安海一中


def _part(text: str) -> str:
    return "".join(text.split()).lower()


def short_form(text: str) -> str:
    """The name with every long form the table knows replaced by its short form (unchanged if none applies)."""
    for pattern, short in SHORT_FORMS:
        text = pattern.sub(short, text)
    return text


SHORT_TERM = 3  # terms shorter than a trigram are looked for at the start of a part (see the module)


def _starts(text: str) -> list[str]:
    return [text[i : i + SHORT_TERM - 1] for i in range(len(text))]


@lru_cache(maxsize=8192)
def search_key(name: str) -> str:
    """The stored key of a name: name, short form, each one's full pinyin and initials, and the starts that serve
    short terms (see the module)."""
    name = _part(name or "")
    parts: list[str] = []
    starts: list[str] = []
    for form in dict.fromkeys([name, short_form(name)]):
        initials, full = pinyin_keys(form)
        parts += [form, full, initials]
        syllables = pinyin_syllables(form)
        joined = "".join(syllables)
        offsets = [sum(len(s) for s in syllables[:i]) for i in range(len(syllables))]
        starts += _starts(form)[1:] + _starts(initials)[1:] + [joined[i : i + SHORT_TERM - 1] for i in offsets[1:]]
    main = "".join(f" {p}" for p in dict.fromkeys(p for p in parts if p))
    extra = "".join(f" |{s}" for s in dict.fromkeys(starts) if s)
    return main + extra + " "


def query_terms(text: str, *, limit: int = 5) -> list[tuple[str, ...]]:
    """The query's terms (split at spaces, at most `limit`), each as the variants any of which may match: the term as
    typed (lower case) and its short form. Every term must match (AND); an empty list means no search."""
    terms = []
    text = _CONTROL.sub(" ", text or "")  # a NUL cannot go into an SQL string; no name holds a control character
    for word in text.lower().replace("|", " ").split()[:limit]:  # "|" belongs to the key's layout
        numerals = _DIGIT_SCHOOL.sub(lambda m: NUMERALS[int(m.group(1)) - 1], word)
        terms.append(tuple(dict.fromkeys([word, numerals, short_form(numerals)])))
    return terms


def search_filter(text: str, field: str = "search_key") -> Q:
    """Rows whose key (`field`) holds every term of the query, each term as typed or in its short form; a term shorter
    than a trigram at the start of a part. The key is lower case and so is every term: a case-sensitive `contains`
    (LIKE '%…%', which the trigram index serves)."""
    q = Q()
    for variants in query_terms(text):
        either = Q()
        for variant in variants:
            if len(variant) >= SHORT_TERM:
                either |= Q(**{f"{field}__contains": variant})
            else:
                either |= Q(**{f"{field}__contains": f" {variant}"}) | Q(**{f"{field}__contains": f"|{variant}"})
        q &= either
    return q


def search_rank(text: str, field: str = "search_key") -> Case:
    """0 where the query (its terms run together) is a whole part of the key (the name, its short form, their pinyin or
    initials), 1 where a part starts with it, 2 for the rest: order by it, then by the list's own order."""
    terms = query_terms("".join(text.split()))
    variants = terms[0] if terms else ("",)
    exact, prefix = Q(), Q()
    for variant in variants:
        exact |= Q(**{f"{field}__contains": f" {variant} "})
        prefix |= Q(**{f"{field}__contains": f" {variant}"})
    return Case(When(exact, then=Value(0)), When(prefix, then=Value(1)), default=Value(2), output_field=IntegerField())
