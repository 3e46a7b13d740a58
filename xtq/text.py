"""The one place that cleans user text and turns it into HTML.

Cleaning (`clean`) happens once, as text enters: every form field, query parameter and URL part
passes through it before any view sees it (wired in xtq.security). It drops NUL and the other
control characters (tab and newline stay; CR LF becomes LF), and the bidirectional override,
embedding and isolate characters that can make text display as something else. Bytes that are
not UTF-8 were already replaced by U+FFFD when the request was decoded.

Text is then stored as typed. Rendering escapes everything, then adds only our own links:
http(s) URLs (bleach's linkify, rel="nofollow noopener ugc"), #话题# topics and @department
mentions. The result is made once when the text is written and kept beside it (`*_html`).
"""

import html
import re
from collections.abc import Mapping

import bleach
from bleach.linkifier import Linker
from flask import current_app
from markupsafe import Markup, escape

# C0 and C1 controls but tab and LF, DEL, bidi embeddings/overrides/isolates, BOM, lone surrogates.
_UNWANTED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]")
TOPIC_RE = re.compile(r"#([^#\s<>&\"']{1,30})#")
_LINK_RE = re.compile(r"(<a\b[^>]*>.*?</a>)", re.S)


def _external_link(attrs: dict, new: bool = False) -> dict | None:
    href = attrs.get((None, "href"), "")
    if not href.startswith(("http://", "https://")):
        return None  # leave anything that is not http(s) as plain text
    attrs[(None, "rel")] = "nofollow noopener ugc"
    attrs[(None, "target")] = "_blank"
    return attrs


_linker = Linker(callbacks=[_external_link], parse_email=False)


def clean(value: str) -> str:
    """Typed text as the hall accepts it: line ends made LF, unwanted control characters removed."""
    return _UNWANTED.sub("", value.replace("\r\n", "\n"))


_HTML_BREAK = re.compile(r"<br\s*/?>|</p>\s*<p\b[^>]*>", re.I)


def from_html(markup: str) -> str:
    """HTML from elsewhere (a post from the fediverse) as typed text: line breaks kept, every tag
    dropped, entities decoded, then cleaned as typed text is. It is rendered like any user text."""
    text = bleach.clean(_HTML_BREAK.sub("\n", markup or ""), tags=set(), strip=True)
    return clean(html.unescape(text)).strip()


def topics_in(text: str) -> list[str]:
    """The distinct #话题# names in a text, in order of appearance."""
    return list(dict.fromkeys(m.group(1) for m in TOPIC_RE.finditer(text)))


def render(text: str, mentions: Mapping[str, str] | None = None) -> str:
    """Render user text to safe HTML. `mentions` maps a department's short name to its slug."""
    escaped = bleach.clean(text, tags=set(), strip=False)
    linked = _linker.linkify(escaped)
    mention_re = _mention_pattern(mentions) if mentions else None
    parts = _LINK_RE.split(linked)
    for i in range(0, len(parts), 2):  # even parts are outside links
        part = TOPIC_RE.sub(_topic_link, parts[i])
        if mention_re:
            part = mention_re.sub(lambda m: _mention_link(m, mentions), part)
        parts[i] = part
    return "".join(parts)


def render_plain(text: str) -> Markup:
    """Escape text with no links at all (names, titles)."""
    return escape(text)


def _path(endpoint: str, **values: str) -> str:
    """A root-relative path; works in commands too, where there is no request."""
    return current_app.url_map.bind("localhost").build(endpoint, values)


def _topic_link(match: re.Match) -> str:
    name = match.group(1)
    return f'<a class="topic" href="{escape(_path("posts.topic", name=name))}">#{name}#</a>'


def _mention_link(match: re.Match, mentions: Mapping[str, str]) -> str:
    short_name = match.group(1)
    href = _path("hall.department", slug=mentions[short_name])
    return f'<a class="mention" href="{escape(href)}">@{short_name}</a>'


def _mention_pattern(mentions: Mapping[str, str]) -> re.Pattern:
    names = sorted(mentions, key=len, reverse=True)  # longest first: 郑州公交 before 郑州
    return re.compile("@(" + "|".join(re.escape(n) for n in names) + ")")
