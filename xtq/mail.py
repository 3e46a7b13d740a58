"""E-mail, off unless MAIL_SERVER is configured.

Messages wait in the database session's outbox; when the transaction commits they go onto the
job queue, and the worker sends them, so that a change that fails sends nothing and no request
waits for a mail server. A mail server that is down is retried a few times, then logged: the
site keeps working and the notification is still in the bell.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from sqlalchemy.orm import Session

from xtq import jobs


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str
    sender: str
    server: str
    port: int
    use_tls: bool
    username: str | None
    password: str | None
    headers: tuple[tuple[str, str], ...] = ()  # e.g. List-Unsubscribe

    @classmethod
    def from_config(
        cls, config: Any, *, to: str, subject: str, body: str, headers: tuple[tuple[str, str], ...] = ()
    ) -> Mail:
        return cls(
            to=to,
            subject=subject,
            body=body,
            headers=headers,
            sender=config.get("MAIL_FROM") or "noreply@localhost",
            server=config["MAIL_SERVER"],
            port=int(config.get("MAIL_PORT") or 25),
            use_tls=bool(config.get("MAIL_USE_TLS")),
            username=config.get("MAIL_USERNAME"),
            password=config.get("MAIL_PASSWORD"),
        )

    def message(self) -> EmailMessage:
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = self.sender, self.to, self.subject
        for name, value in self.headers:
            msg[name] = value
        msg.set_content(self.body)
        return msg


def queue(session: Session, mail: Mail) -> None:
    """Send `mail` once the session's transaction commits (through the job queue)."""
    jobs.after_commit(session, deliver, mail)


@jobs.task(retries=3, retry_delay=300)
def deliver(mail: Mail) -> None:
    """Send one message (a task: the worker runs it; a failure is retried, then logged by huey)."""
    send(mail)


def send(mail: Mail) -> None:
    with smtplib.SMTP(mail.server, mail.port, timeout=10) as smtp:
        if mail.use_tls:
            smtp.starttls()
        if mail.username:
            smtp.login(mail.username, mail.password or "")
        smtp.send_message(mail.message())


def init_app(app) -> None:
    """Nothing to configure: importing this module registers its job with the queue (xtq.jobs)."""
