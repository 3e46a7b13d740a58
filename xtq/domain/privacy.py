"""Personal data in citizen text: found when the text is written, masked for the public.

Mainland mobile numbers, landlines with an area code, resident ID numbers (18 digits with a
valid check character, or the old 15-digit form with a valid birth date), bank card numbers
(16 to 19 digits passing the Luhn check), e-mail addresses and vehicle plates. Full-width
characters count as their ASCII forms, and a space or dash may sit between the digits of a
number, as people type them.

A number that fails its check is left alone, so that dates, amounts, bus lines and 查询码 are
never masked by accident. The public fields of a question, event or comment hold the masked
text; the text as typed is kept beside it only when something was masked (`unmasked_*`), for
the department and the office.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from xtq.domain.departments import mention_map
from xtq.text import render

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212\uff0d\ufe63"


def _fold_char(c: str) -> str:
    """One character's ASCII form when it has one of the same length, else the character itself."""
    if c in _DASHES:
        return "-"
    if c in "\u3000\u00a0":
        return " "
    folded = unicodedata.normalize("NFKC", c)
    return folded if len(folded) == 1 and folded.isascii() else c


def fold(text: str) -> str:
    """Full-width digits, letters, spaces and dashes as ASCII; same length as `text`."""
    return "".join(_fold_char(c) if not c.isascii() else c for c in text)


# A space or dash may separate digits (one at a time): 138-0013-8000, 138 0013 8000.
_SEP = r"[ -]?"


def _digits(n: int) -> str:
    return rf"\d(?:{_SEP}\d){{{n - 1}}}"


_MOBILE = re.compile(rf"(?<![\w+-])(?:\+?86{_SEP})?(1{_SEP}[3-9](?:{_SEP}\d){{9}})(?![\w])", re.A)
_LANDLINE = re.compile(
    rf"(?<![\w-])[(（]?(0(?:10|2\d|[3-9]\d\d))[)）]?{_SEP}([2-9]\d{{2,3}}{_SEP}\d{{4}})(?![\w-])", re.A
)
_ID18 = re.compile(rf"(?<![\w-])({_digits(17)}{_SEP}[\dXx])(?![\w-])", re.A)
_ID15 = re.compile(rf"(?<![\w-])({_digits(15)})(?![\w-])", re.A)
_CARD = re.compile(rf"(?<![\w-])(\d(?:{_SEP}\d){{15,18}})(?![\w-])", re.A)
_EMAIL = re.compile(
    r"(?<![\w.+-])([A-Za-z0-9._%+-]{1,64})@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})(?![\w])", re.A
)
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_PLATE = re.compile(rf"(?<![A-Za-z0-9])([{_PROVINCES}][A-HJ-NP-Z])[·•.\s]?([A-HJ-NP-Z0-9]{{5,6}})(?![A-Za-z0-9])")

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def _only_digits(s: str) -> str:
    return "".join(c for c in s if c.isdigit() or c in "Xx").upper()


def _valid_date(yyyymmdd: str) -> bool:
    year, month, day = int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:])
    if not (1900 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31):
        return False
    days = (31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
    return day <= days[month - 1]


def id_check_char(first17: str) -> str:
    """The check character of an 18-digit resident ID number (GB 11643)."""
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS)) % 11]


def _valid_id18(number: str) -> bool:
    return (
        len(number) == 18
        and number[:17].isdigit()
        and number[6] in "12"
        and _valid_date(number[6:14])
        and id_check_char(number[:17]) == number[17]
    )


def _valid_id15(number: str) -> bool:
    return len(number) == 15 and number.isdigit() and _valid_date("19" + number[6:12])


def luhn_ok(number: str) -> bool:
    total = 0
    for i, d in enumerate(reversed(number)):
        n = int(d) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


@dataclass(frozen=True)
class Found:
    """One piece of personal data: where it is in the text, what kind, and its public form."""

    start: int
    end: int
    kind: str
    masked: str


def _keep(number: str, head: int, tail: int) -> str:
    return number[:head] + "*" * (len(number) - head - tail) + number[len(number) - tail :]


def _ids(m: re.Match) -> str | None:
    number = _only_digits(m.group(1))
    if _valid_id18(number) or _valid_id15(number):
        return _keep(number, 3, 4)
    return None


def _card(m: re.Match) -> str | None:
    number = _only_digits(m.group(1))
    # Bank cards start 3–6 (UnionPay 62, Visa 4, Mastercard 5, Amex 3); the Luhn check does the rest.
    return _keep(number, 4, 4) if number[0] in "3456" and luhn_ok(number) else None


def _mobile(m: re.Match) -> str:
    return _keep(_only_digits(m.group(1)), 3, 4)


def _landline(m: re.Match) -> str:
    return f"{m.group(1)}-{_keep(_only_digits(m.group(2)), 0, 4)}"


def _email(m: re.Match) -> str:
    return f"{m.group(1)[0]}***@{m.group(2)}"


def _plate(m: re.Match) -> str | None:
    rest = m.group(2)
    if not any(c.isdigit() for c in rest):
        return None  # 豫A and five letters is a word, not a plate
    return m.group(1) + _keep(rest, 0, 2)


# Most specific first: an ID number is checked before it could be taken for a bank card.
_DETECTORS: tuple[tuple[str, re.Pattern, Callable[[re.Match], str | None]], ...] = (
    ("email", _EMAIL, _email),
    ("id", _ID18, _ids),
    ("id", _ID15, _ids),
    ("card", _CARD, _card),
    ("mobile", _MOBILE, _mobile),
    ("landline", _LANDLINE, _landline),
    ("plate", _PLATE, _plate),
)


def find(text: str) -> list[Found]:
    """The personal data in `text`, in order, none overlapping: where two readings overlap, the longer
    wins (a 17-digit card typed "6 20000000101000 06" starts with what reads as a 15-digit ID), and
    between two as long the more specific (an 18-digit ID that also passes the card check)."""
    folded = fold(text)
    candidates = [
        Found(m.start(), m.end(), kind, masked)
        for kind, pattern, masker in _DETECTORS
        for m in pattern.finditer(folded)
        if (masked := masker(m)) is not None
    ]
    found: list[Found] = []
    for c in sorted(candidates, key=lambda f: f.start - f.end):  # stable: detectors' order among equals
        if not any(f.start < c.end and c.start < f.end for f in found):
            found.append(c)
    return sorted(found, key=lambda f: f.start)


def mask(text: str) -> str:
    """`text` with every piece of personal data in its masked form."""
    out, last = [], 0
    for f in find(text):
        out.append(text[last : f.start])
        out.append(f.masked)
        last = f.end
    out.append(text[last:])
    return "".join(out)


def split(text: str) -> tuple[str, str | None]:
    """(the public text, the text as typed if anything was masked, else None)."""
    public = mask(text)
    return public, (text if public != text else None)


# ---------------------------------------------------------------- writing and reading the fields


def write_question(question, title: str, body: str, title_max: int) -> None:
    """Set a question's public (masked) title and body, keeping what was typed where it differs."""
    public_title, full_title = split(title)
    public_body, full_body = split(body)
    question.title, question.unmasked_title = public_title[:title_max], full_title
    question.body, question.unmasked_body = public_body, full_body
    mentions = mention_map()
    question.body_html = render(public_body, mentions)
    question.unmasked_body_html = render(full_body, mentions) if full_body is not None else None


def write_event_text(event, text: str) -> None:
    """Set a citizen's text on a question event (a follow-up, a rating's comment, an appeal)."""
    public, full = split(text)
    mentions = mention_map()
    event.text, event.unmasked_text = public, full
    event.text_html = render(public, mentions) if public else ""
    event.unmasked_text_html = render(full, mentions) if full is not None else None


def write_comment(comment, body: str) -> None:
    public, full = split(body)
    mentions = mention_map()
    comment.body, comment.unmasked_body = public, full
    comment.body_html = render(public, mentions)
    comment.unmasked_body_html = render(full, mentions) if full is not None else None


def title_for(question, full: bool) -> str:
    return question.unmasked_title or question.title if full else question.title


def body_html_for(question, full: bool) -> str:
    return question.unmasked_body_html or question.body_html if full else question.body_html


def event_html_for(event, full: bool) -> str:
    return event.unmasked_text_html or event.text_html if full else event.text_html


def comment_html_for(comment, full: bool) -> str:
    return comment.unmasked_body_html or comment.body_html if full else comment.body_html


def mask_existing(title_max: int, batch: int = 500) -> int:
    """Mask personal data in citizens' text written before masking existed; returns how many rows changed.

    Safe to run again: text already split (unmasked_* set) or with nothing to mask is left alone.
    Titles are cut to `title_max`; reads in batches by id; the caller commits.
    """
    from xtq.extensions import db
    from xtq.models import Comment, EventKind, Question, QuestionEvent

    def rows(select, model):
        last = 0
        while chunk := list(db.session.scalars(select.where(model.id > last).order_by(model.id).limit(batch))):
            yield from chunk
            last = chunk[-1].id

    changed = 0
    for q in rows(
        db.select(Question).where(Question.unmasked_title.is_(None), Question.unmasked_body.is_(None)), Question
    ):
        if mask(q.title) != q.title or mask(q.body) != q.body:
            write_question(q, q.title, q.body, title_max)
            changed += 1
    citizens = (EventKind.FOLLOWUP, EventKind.RATED, EventKind.APPEALED)
    for e in rows(
        db.select(QuestionEvent).where(QuestionEvent.kind.in_(citizens), QuestionEvent.unmasked_text.is_(None)),
        QuestionEvent,
    ):
        if e.text and mask(e.text) != e.text:
            write_event_text(e, e.text)
            changed += 1
    for c in rows(db.select(Comment).where(Comment.unmasked_body.is_(None)), Comment):
        if mask(c.body) != c.body:
            write_comment(c, c.body)
            changed += 1
    return changed
