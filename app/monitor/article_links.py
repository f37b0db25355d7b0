"""Whether two canonical links of one feed name one article, from the links alone: a GUID this
feed gave to an item comes back with another link (``entry_lookup.regiven_guids``), and the
answer decides between that item edited and another article that must not overwrite it.

Three answers: another article (both links carry an article number, in the query or the path, and
the numbers differ), the same address (host, path and query alike once a session or a cache
buster is left out), or the same article number under another path (a title corrected in a slug).
Anything else is for the words to decide."""
from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

# An article's number in a path: the longest run of three digits or more that is no year.
_NUMBER = re.compile(r"\d{3,}")
# In a query value the number stands alone or between punctuation («node/1003», «1003-slug»): digits
# inside a session's letters («a3f21903bc») are none.
_NUMBER_IN_VALUE = re.compile(r"(?<![A-Za-z0-9])\d{3,}(?![A-Za-z0-9])")
# ASP.NET's cookieless session written as a path segment: «/(S(lit3py55t21z5v55vlm25s55))/».
_PATH_SESSION = re.compile(r"/\((?:[A-Za-z]\([^()/]*\))+\)")

# Query parameters that name the article on a site whose every article is one script
# («show.php?id=1001», «NewsDetail.aspx?NewsID=55», PHP-Nuke's «modules.php?…&sid=1001»): any two
# values of one of them are two articles. Another parameter names one when its value is a number
# (``_NUMBER_IN_VALUE``: Drupal's «?q=node/1003», a forum's «?t=5123»).
_ARTICLE_PARAM = re.compile(r"(?:news|article|content|item|post|page|story|doc)?_?(?:id|no|code)|[nsapt]?id|p",
                            re.IGNORECASE)
# Parameters that hold a session when their value is no number («sid=a3f2…» of PHP, «sessionid»).
_SESSION_PARAMS = frozenset({"sid", "sessionid", "session", "sess"})
# Parameters that change at every poll and name nothing: a cache buster, a version, a time.
_VOLATILE_PARAMS = frozenset({"nocache", "cache", "cachebuster", "cb", "_", "nc", "ts", "timestamp", "time",
                              "rand", "random", "rnd", "v", "ver", "version", "r", "_r", "_t", "tick", "ticks"})
# A value no article is numbered by under a name not known to name one: a fraction (JavaScript's
# «Math.random()»: «0.83421…») or a run of 11 digits or more (.NET's ticks, «638687812345678901»).
# Such a value changing between polls made an edited entry a new item at every poll (the code review
# of round 11's change); a known name's value («?id=…») is an article's whatever it holds.
_NO_ARTICLE_VALUE = re.compile(r"\d*\.\d+|\d{11,}")


def _is_year(number: str) -> bool:
    return len(number) == 4 and number[:2] in ("13", "14", "19", "20")


def _is_clock(number: str) -> bool:
    """A Unix time in seconds or milliseconds since 2017 (a cache buster under a name of its own)."""
    return (len(number) == 10 and "1500000000" <= number < "2200000000"
            or len(number) == 13 and "1500000000000" <= number < "2200000000000")


def _path_number(path: str) -> str | None:
    numbers = [n for n in _NUMBER.findall(_PATH_SESSION.sub("", path)) if not _is_year(n)]
    return max(numbers, key=len) if numbers else None


def _query(query: str) -> dict[str, str]:
    """The query's parameters that may name a page, by lower-case name: no session, no cache buster
    (tracking parameters are out of canonical links already)."""
    kept = {}
    for name, value in parse_qsl(query, keep_blank_values=True):
        name = name.lower()
        if name in _VOLATILE_PARAMS or name in _SESSION_PARAMS and not value.isdigit():
            continue
        kept[name] = value
    return kept


def _query_numbers(query: dict[str, str]) -> dict[str, str]:
    """name → the article number the parameter holds."""
    found = {}
    for name, value in query.items():
        if _ARTICLE_PARAM.fullmatch(name):
            if value:
                found[name] = value
            continue
        if _NO_ARTICLE_VALUE.fullmatch(value):
            continue
        numbers = [n for n in _NUMBER_IN_VALUE.findall(value) if not _is_year(n) and not _is_clock(n)]
        if numbers:
            found[name] = max(numbers, key=len)
    return found


def other_article(old: str, new: str) -> bool:
    """Whether two links carry article numbers that differ: a parameter naming the article in both
    queries with two values («?sid=1001», «?sid=1003»; «?q=node/1001», «?q=node/1003»), else the
    paths' numbers («/news/1001», «/news/1002»). A feed that numbers its GUIDs by place gave them to
    new articles and the old ones were overwritten, even a templated notice whose words differ by a
    street and a day (a review of hostile feeds, round 11)."""
    before, after = urlsplit(old), urlsplit(new)
    named, renamed = _query_numbers(_query(before.query)), _query_numbers(_query(after.query))
    common = named.keys() & renamed.keys()
    if common:
        return any(named[name] != renamed[name] for name in common)
    numbers = _path_number(before.path), _path_number(after.path)
    return None not in numbers and numbers[0] != numbers[1]


def same_address(old: str, new: str) -> bool:
    """Whether two links are one address but for their scheme, a session or a cache buster
    («http://…/news/7» and «https://…/news/7?v=2»)."""
    before, after = urlsplit(old), urlsplit(new)
    return (before.netloc == after.netloc
            and _PATH_SESSION.sub("", before.path) == _PATH_SESSION.sub("", after.path)
            and _query(before.query) == _query(after.query))


def same_number(old: str, new: str) -> bool:
    """Whether two links of one host name one article number in their paths
    («/news/555/بازگشایی-مدارس-شنبه», «/news/555/…-یکشنبه»): the article, or a category's number
    («/fa/service/5001/<slug>»), which only the words tell apart."""
    before, after = urlsplit(old), urlsplit(new)
    number = _path_number(before.path)
    return before.netloc == after.netloc and number is not None and number == _path_number(after.path)


def names_a_page(canonical: str | None) -> bool:
    """Whether a canonical link names a page: a path other than the root, or a query («/?q=node/5»)."""
    if not canonical:
        return False
    parts = urlsplit(canonical)
    return parts.path not in ("", "/") or bool(parts.query)
