"""Languages: Chinese (zh_CN) first and by default, English as well.

The reader's choice is kept in a cookie (`lang`); times are shown in Asia/Shanghai in the
formats each language expects. Source strings are Chinese; the catalogues in xtq/translations
map them (zh_CN: as written; en: English).
"""

from datetime import UTC, date, datetime
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import parse_pattern
from flask import Flask, g, has_app_context, has_request_context, request
from flask_babel import Domain, get_locale, gettext, refresh

from xtq.extensions import babel

LANGUAGES = {"zh_CN": "中文", "en": "English"}
DEFAULT_LOCALE = "zh_CN"
LANG_COOKIE = "lang"
TIMEZONE = "Asia/Shanghai"

# CLDR patterns per style and language.
PATTERNS = {
    "zh_CN": {
        "datetime": "yyyy-MM-dd HH:mm",
        "date": "yyyy-MM-dd",
        "short": "M月d日 HH:mm",
        "day": "M月d日",
        "time": "HH:mm",
        "seconds": "HH:mm:ss",
        "short_seconds": "M月d日 HH:mm:ss",
        "long": "yyyy年M月d日 HH:mm",
    },
    "en": {
        "datetime": "d MMM yyyy, HH:mm",
        "date": "d MMM yyyy",
        "short": "d MMM, HH:mm",
        "day": "d MMM",
        "time": "HH:mm",
        "seconds": "HH:mm:ss",
        "short_seconds": "d MMM, HH:mm:ss",
        "long": "d MMMM yyyy, HH:mm",
    },
}


def N_(text: str) -> str:
    """Marks `text` for the catalogues where it cannot be translated yet (translated where shown)."""
    return text


# What the scripts in xtq/static show, keyed by the Chinese source text: pages hand them over in a
# <script type="application/json" id="i18n-text"> block (data, not script: the CSP forbids inline script).
JS_TEXT = (
    N_("问"),
    N_("答"),
    N_("彩排"),
    N_("上线仪式"),
    N_("已启动"),
    N_("等待启动"),
    N_("彩排完成"),
    N_("正式上线"),
    N_("彩排完成！感谢各位嘉宾。"),
    N_("发布厅已正式上线！"),
    N_("已启动 %(pressed)s / %(total)s，等待其他嘉宾……"),
    N_("已输入 %(count)s 字，还可输入 %(left)s 字"),
    N_("超出 %(count)s 字"),
)


def js_text() -> dict[str, str]:
    return {text: gettext(text) for text in JS_TEXT}


def select_locale() -> str:
    lang = request.cookies.get(LANG_COOKIE) if has_request_context() else None
    return lang if lang in LANGUAGES else DEFAULT_LOCALE


def current_language() -> str:
    locale = str(get_locale() or DEFAULT_LOCALE)
    return locale if locale in LANGUAGES else DEFAULT_LOCALE


def html_lang() -> str:
    return "zh-CN" if current_language() == "zh_CN" else "en"


def format_moment(moment: datetime | date | None, style: str = "datetime") -> str:
    """A UTC moment as Beijing time (or a calendar day as it is), in the current language's format for `style`."""
    if moment is None:
        return ""
    return _formatted(moment, style, current_language())


@lru_cache(maxsize=4096)
def _formatted(moment: datetime | date, style: str, language: str) -> str:
    """Each distinct moment formatted once per style and language, by a pattern parsed once: a
    page shows the same few moments again and again (a card's title and its text, a list's days)."""
    if isinstance(moment, datetime):
        moment = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(_ZONE)
    return parse_pattern(PATTERNS[language][style]).apply(moment, _locale(language))


_ZONE = ZoneInfo(TIMEZONE)
_locale = cache(Locale.parse)


class _Catalogues(Domain):
    """Flask-Babel's domain, keeping the request's catalogue on `g` beside the locale it is for.

    The stock domain finds the catalogue anew for every string (a dozen context look-ups and the
    locale spelled out as text), which cost more than rendering the text. A new locale (the next
    request, `refresh`, `force_locale`) finds it again.
    """

    def get_translations(self):
        if not has_app_context():
            return super().get_translations()
        locale = get_locale()
        kept = g.get("_xtq_catalogue")
        if kept is None or kept[0] is not locale:
            kept = g._xtq_catalogue = (locale, super().get_translations())
        return kept[1]


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LOCALE)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", TIMEZONE)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "translations")
    babel.init_app(app, locale_selector=select_locale)
    domain = babel.domain_instance = _Catalogues()
    # As Flask-Babel installs them, without asking which domain is current for every string.
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: domain.get_translations().ugettext(s),
        ngettext=lambda s, p, n: domain.get_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: domain.get_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: domain.get_translations().unpgettext(c, s, p, n),
    )
    # Flask-Babel caches the locale on `g`, which outlives a request when an app context was
    # already active (tests, commands): choose it afresh for every request.
    app.before_request(refresh)
