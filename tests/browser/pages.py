"""Every page a citizen, a staff member and the office reach: the list that the accessibility and
valid-HTML checks (tests/browser/test_every_page.py) walk.

A new page is one line in PAGES. A path may name the objects the `site` fixture builds:
{post}, {topic}, {seat}, {tracking}, and questions: {question} (replied, long unbroken text),
{open_question} (waiting), {closed}, {reopened}, {transferred}, {declined}, {hidden}.
"""

from dataclasses import dataclass

# Who opens a page: the roles the `site` fixture signs in, one browser context each.
ANONYMOUS, CITIZEN, LIAISON, SPOKESPERSON, ADMIN = "anonymous", "citizen", "liaison", "spokesperson", "admin"


@dataclass(frozen=True)
class Page:
    path: str
    who: str = ANONYMOUS
    status: int = 200
    care: bool = True  # has a care mode (关怀版)
    phone: bool = True  # made to be read on a phone (not the projector's big screen)
    lang: str = "zh_CN"  # the reader's language (the lang cookie): zh_CN or en


PAGES = {
    # What anyone sees, signed in or not.
    "home": Page("/"),
    "directory": Page("/directory"),
    "department": Page("/hall/gongan"),
    "post": Page("/p/{post}"),
    "topic": Page("/topic/{topic}"),
    "question": Page("/q/{question}"),
    "question closed": Page("/q/{closed}"),
    "question reopened": Page("/q/{reopened}"),
    "question transferred": Page("/q/{transferred}"),
    "question declined": Page("/q/{declined}"),
    "timeline": Page("/timeline"),
    "timeline filtered": Page("/timeline?status=replied&group=commission"),
    "hot questions": Page("/timeline?sort=hot"),
    "forgotten password": Page("/password/forgot"),
    "track": Page("/track"),
    "track found": Page("/track?code={tracking}"),
    "search": Page("/search?q=供暖"),
    "search form": Page("/search"),
    "stats": Page("/stats"),
    "login": Page("/login"),
    "register": Page("/register"),
    "not found": Page("/q/999999", status=404),
    "screen": Page("/screen", care=False, phone=False),
    "screen light": Page("/screen?theme=light", care=False, phone=False),
    "launch guest": Page("/launch", care=False),
    "launch seat": Page("/launch/seat/{seat}", care=False),
    "launch unknown code": Page("/launch/seat?code=NOSUCHCODE", care=False, status=404),
    "home (English)": Page("/", lang="en"),
    "question (English)": Page("/q/{question}", lang="en"),
    "stats (English)": Page("/stats", lang="en"),
    # A citizen.
    "ask": Page("/ask", CITIZEN),
    "question (asker)": Page("/q/{question}", CITIZEN),
    "post (citizen)": Page("/p/{post}", CITIZEN),
    "department (citizen)": Page("/hall/gongan", CITIZEN),
    "my questions": Page("/me/questions", CITIZEN),
    "following": Page("/me/following", CITIZEN),
    "notifications": Page("/notifications", CITIZEN),
    "account": Page("/account", CITIZEN),
    # Department staff.
    "console": Page("/console", SPOKESPERSON),
    "compose": Page("/console/compose", SPOKESPERSON),
    "edit post": Page("/console/posts/{post}/edit", SPOKESPERSON),
    "question (staff)": Page("/q/{question}", SPOKESPERSON),
    "inbox": Page("/console/questions", LIAISON),
    "question (liaison)": Page("/q/{open_question}", LIAISON),
    # The coordinating office.
    "admin": Page("/admin", ADMIN),
    "reports": Page("/admin/reports", ADMIN),
    "post (admin)": Page("/p/{post}", ADMIN),
    "escalations": Page("/admin/escalations", ADMIN),
    "review queue": Page("/admin/review", ADMIN),
    "question hidden (admin)": Page("/q/{hidden}", ADMIN),
    "launch (admin)": Page("/launch", ADMIN),
}
