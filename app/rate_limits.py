"""Keys for Flask-Limiter's limits that count per person rather than per client address: at a venue
the whole hall reaches the app from one address (the hotel's Wi-Fi), so a participant's own retries
must not use up everybody's. The keys are hashed: nothing a participant typed, and no ticket token,
is kept in the limiter's storage (Redis in production)."""
import hashlib

from flask import request


def _hashed(*parts):
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def per_ticket():
    """The ticket in the path (/tiket/<token>/…): its holder's tries, wherever they come from."""
    return "ticket:" + _hashed((request.view_args or {}).get("token", ""))


def per_identifier():
    """The e-mail or NIP typed into "Lupa tiket?", for this event: spaces and case do not make a new key."""
    typed = "".join(request.form.get("identifier", "").split()).lower()
    return "identifier:" + _hashed((request.view_args or {}).get("slug", ""), typed)
