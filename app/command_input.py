"""What a command reads from whoever runs it: a password, a name typed on the command line."""
import sys

import click
from flask import current_app

from app.forms import TEXT_MESSAGES
from app.values import InvalidValue, normalize_text


def read_password():
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\r\n")


def normalized_name(text, option="--name"):
    """A name given on the command line, read as the forms read it (normalize_text: NFC, no invisible
    characters, one space); refused when only invisible characters or a bidi control were given."""
    try:
        return normalize_text(text)
    except InvalidValue as error:
        with current_app.test_request_context():  # the messages are translated, in Indonesian by default
            raise click.BadParameter(str(TEXT_MESSAGES[error.code]), param_hint=option) from None
