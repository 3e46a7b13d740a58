"""Properties of the text pipeline, the search tokenizer, the pagination cursor and the ask form,
checked with Hypothesis over any text at all (control characters, surrogates, markup included)."""

from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xtq import pagination
from xtq.search import snippet, tokens
from xtq.text import clean, render, topics_in

# Any text, biased towards what breaks things: markup, quotes, controls, bidi marks, CJK.
NASTY = st.sampled_from(
    list("<>&\"'#@/\\=:;`\x00\x01\x1b\x7f\x85\r\n\t\u202e\u2066\ufeff\ufffd 话题公安")
    + ["<script>", "</a>", "javascript:", "http://x.cn/", "#话题#", "@公安", "&amp;", "<a href=", "onerror="]
)
TEXT = st.lists(st.one_of(st.text(), NASTY), max_size=30).map("".join)


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags_of(html):
    parser = Tags()
    parser.feed(html)
    parser.close()
    return parser.tags


@given(TEXT)
def test_clean_keeps_no_control_character_and_is_idempotent(text):
    cleaned = clean(text)
    assert clean(cleaned) == cleaned
    assert not any(ord(c) < 32 and c not in "\t\n" for c in cleaned)
    assert not any(c in cleaned for c in "\x7f\x85\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")
    assert all(c in text for c in cleaned)  # it only removes (CR LF becomes the LF it held)


@pytest.fixture(scope="module")
def render_app():
    from xtq import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.app_context():
        yield app


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=300)
@given(TEXT)
def test_render_makes_only_our_own_links(render_app, text):
    html = render(clean(text), {"公安": "gongan"})
    for tag, attrs in tags_of(html):
        assert tag == "a", html
        href = attrs.get("href", "")
        assert href.startswith(("/topic/", "/hall/", "http://", "https://")), html
        assert not any(name.startswith("on") for name in attrs), html
    assert "<script" not in html.lower()


@given(TEXT)
def test_topics_are_short_and_free_of_markup(text):
    for topic in topics_in(text):
        assert 1 <= len(topic) <= 30
        assert not set(topic) & set("#<>&\"' \n\t")


@given(TEXT)
def test_the_tokenizer_never_fails_and_keeps_only_words(text):
    indexed = tokens.index_tokens(text)
    assert all(token and not token.isspace() for token in indexed.split(" ") if indexed)
    terms = tokens.query_terms(text)
    assert len(terms) <= 8
    for term in terms:
        phrase, scattered = tokens.term_tokens(term)
        assert phrase and scattered


@given(TEXT, TEXT)
def test_a_search_snippet_is_escaped_around_its_marks(text, query):
    html = str(snippet(text, tokens.query_terms(query)))
    assert {tag for tag, _ in tags_of(html)} <= {"mark"}


@given(st.text(max_size=60))
def test_a_cursor_from_the_url_never_fails(cursor):
    decoded = pagination.decode(cursor)
    assert decoded is None or (decoded[0].tzinfo is not None and decoded[1] >= 0)


@given(
    st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.just(UTC)),
    st.integers(min_value=0, max_value=2**31 - 1),
)
def test_a_cursor_reads_back_what_was_written(moment, row_id):
    moment = moment.replace(microsecond=moment.microsecond)
    at, rid = pagination.decode(pagination.encode(moment, row_id))
    assert rid == row_id and abs((at - moment).total_seconds()) < 1e-5


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60, deadline=None)
@given(title=TEXT, body=TEXT, category=st.one_of(st.just("城市管理"), TEXT))
def test_the_ask_form_answers_anything_without_a_500(client, auth, citizen, title, body, category):
    from tests.helpers import fingerprint, send

    send(client, "POST", "/login", {"username": "citizen", "password": "correct-horse"})
    before = fingerprint()
    response = send(
        client,
        "POST",
        "/ask",
        {
            "department": "gongan",
            "title": title,
            "body": body,
            "category": category,
            "submit_token": "tok" + str(abs(hash((title, body)))),
        },
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:  # refused: the form again, with a message, and nothing stored
        assert 'class="error"' in response.get_data(as_text=True)
        assert fingerprint() == before
