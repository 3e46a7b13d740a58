"""What the rules read of the deployment's configuration: one frozen `Settings`, from one accessor.

The domain never reads `current_app.config` itself: it calls `settings()`, which names every key
it uses, with its type and default, in this one place. Outside an app (a script, a pure test)
the defaults apply. The object is built from `app.config` on each call (a dozen look-ups), so a
deployment, a command or a test that changes the config is obeyed at once, with no copy to go stale.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from flask import Flask, current_app, has_app_context

from xtq.domain import deadlines

APPEAL_DAYS = 5  # working days for the office to review an appeal
DISPATCH_DAYS = 1  # working days for the office to dispatch a question waiting in its queue


@dataclass(frozen=True)
class Terms:
    """How many days each step may take (ACCEPT_DAYS, REPLY_DAYS, ... in the config)."""

    accept_days: int = deadlines.ACCEPT_DAYS
    reply_days: int = deadlines.REPLY_DAYS
    stale_rating_days: int = deadlines.STALE_RATING_DAYS
    appeal_days: int = APPEAL_DAYS
    dispatch_days: int = DISPATCH_DAYS


@dataclass(frozen=True)
class Settings:
    """The configuration the rules read, with the defaults of xtq/config.py where a key is unset."""

    terms: Terms = Terms()
    site_url: str = ""  # without a trailing slash; links in e-mails are made from it
    secret_key: str = field(default="", repr=False)  # signs e-mail and unsubscribe links
    mail: Mapping[str, Any] | None = None  # the MAIL_* settings when e-mail is on (MAIL_SERVER set)
    instance_path: Path | None = None  # the deployment's own files (the sensitive-word list)
    figures_cache_seconds: float = 0  # pages reuse computed figures this long (0: compute every time)
    figures_max_age: float = 900  # a stored figures snapshot older than this is computed again

    @classmethod
    def from_app(cls, app: Flask) -> Settings:
        c = app.config
        terms = Terms(
            accept_days=int(c.get("ACCEPT_DAYS", Terms.accept_days)),
            reply_days=int(c.get("REPLY_DAYS", Terms.reply_days)),
            stale_rating_days=int(c.get("STALE_RATING_DAYS", Terms.stale_rating_days)),
            appeal_days=int(c.get("APPEAL_DAYS", Terms.appeal_days)),
            dispatch_days=int(c.get("DISPATCH_DAYS", Terms.dispatch_days)),
        )
        mail = {k: v for k, v in c.items() if k.startswith("MAIL_")} if c.get("MAIL_SERVER") else None
        return cls(
            terms=terms,
            site_url=(c.get("SITE_URL") or "").rstrip("/"),
            secret_key=app.secret_key or "",
            mail=None if mail is None else MappingProxyType(mail),
            instance_path=Path(app.instance_path),
            figures_cache_seconds=float(c.get("FIGURES_CACHE_SECONDS", cls.figures_cache_seconds)),
            figures_max_age=float(c.get("FIGURES_MAX_AGE", cls.figures_max_age)),
        )


def settings() -> Settings:
    """The current app's settings; the defaults outside an app."""
    return Settings.from_app(current_app) if has_app_context() else Settings()
