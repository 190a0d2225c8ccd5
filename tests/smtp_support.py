"""A real SMTP server in the test process (aiosmtpd), and what arrived at it."""
import asyncio
import email
import socket
import threading
from email import policy

from aiosmtpd.controller import Controller


class Inbox:
    """Every message the server accepted, parsed. `answer(envelope)` may return an SMTP reply
    (e.g. "451 …") instead of accepting; it may be a coroutine function."""

    def __init__(self):
        self.messages = []
        self.answer = None
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if self.answer is not None:
            reply = self.answer(envelope)
            if asyncio.iscoroutine(reply):
                reply = await reply
            if reply:
                return reply
        parsed = email.message_from_bytes(envelope.original_content, policy=policy.default)
        with self._lock:
            self.messages.append((list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"

    def to(self, address):
        return [message for recipients, message in self.messages if address in recipients]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def text_part(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def html_part(message):
    return message.get_body(preferencelist=("html",)).get_content()


def serve_smtp(app):
    """A running SMTP server; the app's MAIL_SERVER and MAIL_PORT point at it. A fixture's body:
    `yield from serve_smtp(app)`."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_DEFAULT_SENDER="Panitia <panitia@example.go.id>")
    inbox.port = port
    try:
        yield inbox
    finally:
        controller.stop()
