"""How a message leaves: a Messenger per channel.

E-mail goes over SMTP through Flask-Mailman. WhatsApp has no sender by default: the committee
works through wa.me click-through links; a WhatsApp Business gateway plugs in as a Messenger
named by WHATSAPP_GATEWAY ("package.module:Class").
"""
import contextlib
import importlib
import smtplib

from flask import current_app
from flask_mailman import EmailMultiAlternatives, Mail
from flask_mailman.message import BadHeaderError

from app.models import CHANNEL_EMAIL, CHANNEL_WHATSAPP

mail = Mail()


class TemporaryFailure(Exception):
    """Try again later (connection refused, 4xx answer, timeout)."""


class PermanentFailure(Exception):
    """Trying again cannot help (5xx answer: no such mailbox, refused sender)."""


class Messenger:
    """Sends messages of one channel. open() before a batch, close() after it."""

    channel: str | None = None

    @classmethod
    def from_config(cls, config):
        return cls()

    def open(self):
        pass

    def close(self):
        pass

    def send(self, message):
        """Send one OutboxMessage; raise TemporaryFailure or PermanentFailure."""
        raise NotImplementedError


class EmailMessenger(Messenger):
    channel = CHANNEL_EMAIL

    def __init__(self):
        self.connection = None

    def open(self):
        config = current_app.config
        # From the config of now, not of create_app(): Flask-Mailman keeps a copy taken at init_app.
        self.connection = mail.get_connection(
            host=config["MAIL_SERVER"], port=config["MAIL_PORT"], username=config.get("MAIL_USERNAME"),
            password=config.get("MAIL_PASSWORD"), use_tls=config.get("MAIL_USE_TLS", False),
            use_ssl=config.get("MAIL_USE_SSL", False), timeout=config.get("MAIL_TIMEOUT"),
        )
        try:
            self.connection.open()
        except (OSError, smtplib.SMTPException) as error:
            self.connection = None
            raise TemporaryFailure(f"SMTP: {error}") from error

    def close(self):
        if self.connection is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self.connection.close()
            self.connection = None

    def send(self, message):
        if self.connection is None:
            self.open()
        email = EmailMultiAlternatives(
            subject=message.subject, body=message.body_text,
            from_email=current_app.config["MAIL_DEFAULT_SENDER"], to=[message.recipient],
            headers={"Message-ID": message.message_id}, connection=self.connection,
        )
        if message.body_html:
            email.attach_alternative(message.body_html, "text/html")
        try:
            sent = email.send()
        except BadHeaderError as error:  # a subject or address with a line break: no attempt will do better
            raise PermanentFailure(f"E-mail header: {error}") from error
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _text in error.recipients.values()]
            self._after_error()
            if codes and all(code >= 500 for code in codes):
                raise PermanentFailure(f"SMTP refused {message.recipient}: {codes}") from error
            raise TemporaryFailure(f"SMTP refused {message.recipient}: {codes}") from error
        except smtplib.SMTPResponseException as error:
            self._after_error()
            text = f"SMTP {error.smtp_code}: {error.smtp_error!r}"
            if error.smtp_code >= 500:
                raise PermanentFailure(text) from error
            raise TemporaryFailure(text) from error
        except (OSError, smtplib.SMTPException) as error:  # TimeoutError is an OSError
            self._after_error()
            raise TemporaryFailure(f"SMTP: {error}") from error
        if sent != 1:  # nothing raised, nothing sent: never record it as sent
            self._after_error()
            raise TemporaryFailure("SMTP: the message was not sent")

    def _after_error(self):
        # After an error the connection's state is unknown: the next message opens a new one.
        self.close()


def load_gateway(spec):
    module_name, _sep, class_name = spec.partition(":")
    return getattr(importlib.import_module(module_name), class_name)


def configured_messengers(config=None):
    """The Messengers the worker can send with, by channel. E-mail only when MAIL_SERVER is set;
    WhatsApp only when a gateway is."""
    config = config or current_app.config
    found = {}
    if config.get("MAIL_SERVER"):
        found[CHANNEL_EMAIL] = EmailMessenger()
    if config.get("WHATSAPP_GATEWAY"):
        gateway = load_gateway(config["WHATSAPP_GATEWAY"]).from_config(config)
        found[CHANNEL_WHATSAPP] = gateway
    return found
