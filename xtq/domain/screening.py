"""What a citizen writes is screened before it goes public: the review mode and sensitive words.

The office chooses the review mode on /admin (a Setting): publish at once, review everything
first (先审后发), or review only what is flagged (the default). Flagged means a word from the
deployment's list (`instance/sensitive_words.txt`, one word a line, `#` starts a comment) occurs
in the text. Both the list and the text are normalised first: full-width forms as ASCII, letters
in lower case, traditional characters as simplified, spaces removed. The list is read again when
the file changes. A match only holds the item for review, with the word shown to the reviewer:
nothing is dropped or changed.

Reasons are stored as short codes (`all`, `word:<word>`) and put into words when shown
(`describe`).
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import ahocorasick_rs
import opencc
from flask_babel import gettext as _

from xtq.domain import config, settings
from xtq.domain.privacy import fold
from xtq.extensions import db
from xtq.models import Setting

MODE_KEY = "review.mode"
AT_ONCE, ALL, FLAGGED = "none", "all", "flagged"
MODES = (AT_ONCE, ALL, FLAGGED)
DEFAULT_MODE = FLAGGED
WORDS_FILE = "sensitive_words.txt"


def mode() -> str:
    value = db.session.scalar(db.select(Setting.value).where(Setting.key == MODE_KEY))
    return value if value in MODES else DEFAULT_MODE


def set_mode(value: str) -> None:
    """Choose the review mode; the caller checks the user is the admin, and commits."""
    if value not in MODES:
        raise ValueError(value)
    settings.put(MODE_KEY, value)


def mode_label(value: str) -> str:
    return {AT_ONCE: _("即时发布"), ALL: _("全部先审后发"), FLAGGED: _("仅审核命中敏感词的内容")}[value]


# ---------------------------------------------------------------- sensitive words


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def normalise(text: str) -> str:
    """Text as the matcher compares it: ASCII forms, lower case, simplified characters, no spaces."""
    return "".join(_converter().convert(fold(text)).lower().split())


@dataclass(frozen=True)
class WordList:
    words: tuple[str, ...]  # as the deployment wrote them
    matcher: ahocorasick_rs.AhoCorasick | None

    @classmethod
    def parse(cls, text: str) -> WordList:
        words: dict[str, str] = {}
        for line in text.splitlines():
            word = line.split("#", 1)[0].strip()
            if word and (key := normalise(word)):
                words.setdefault(key, word)
        if not words:
            return cls((), None)
        keys = list(words)
        return cls(
            tuple(words[k] for k in keys),
            ahocorasick_rs.AhoCorasick(keys, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest),
        )

    def find(self, text: str) -> list[str]:
        """The listed words in `text` (each once, as the list writes them), in order of appearance."""
        if self.matcher is None:
            return []
        found = (self.words[i] for i, _start, _end in self.matcher.find_matches_as_indexes(normalise(text)))
        return list(dict.fromkeys(found))


_EMPTY = WordList((), None)
_lock = threading.Lock()
_loaded: dict[str, tuple[tuple[int, int], WordList]] = {}


def word_list(path: Path | None = None) -> WordList:
    """The deployment's list, read again whenever the file's size or modification time changes."""
    if path is None:
        folder = config.settings().instance_path
        if folder is None:
            return _EMPTY
        path = folder / WORDS_FILE
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return _EMPTY
    stamp = (stat.st_mtime_ns, stat.st_size)
    with _lock:
        cached = _loaded.get(str(path))
        if cached is None or cached[0] != stamp:
            cached = (stamp, WordList.parse(Path(path).read_text(encoding="utf-8", errors="replace")))
            _loaded[str(path)] = cached
    return cached[1]


# ---------------------------------------------------------------- holding for review


def reasons_to_hold(text: str) -> list[str]:
    """Why a citizen's text must wait for review under the current mode (empty: publish it)."""
    current = mode()
    if current == AT_ONCE:
        return []
    reasons = [ALL] if current == ALL else []
    return reasons + [f"word:{w}" for w in word_list().find(text)]


def describe(code: str) -> str:
    """A stored reason in words, for the reviewer."""
    if code.startswith("word:"):
        return _("命中敏感词「%(word)s」", word=code[5:])
    if code == ALL:
        return _("全部先审后发")
    return code
