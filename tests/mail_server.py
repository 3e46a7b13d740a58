"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, for the e-mail tests."""

import socket
from email import message_from_string, policy

import pytest
from aiosmtpd.controller import Controller


class Sink:
    """Collects what the SMTP server receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
        return "250 OK"

    def parsed(self, index=-1):
        """One received message as an EmailMessage (headers decoded, body as text)."""
        return message_from_string(self.messages[index][1], policy=policy.default)

    def body(self, index=-1) -> str:
        return self.parsed(index).get_body(("plain",)).get_content()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


PORT = free_port()
MAIL_CONFIG = {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": PORT, "SITE_URL": "https://hall.example.gov.cn"}


@pytest.fixture
def smtp():
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=PORT)
    controller.start()
    yield sink
    controller.stop()
