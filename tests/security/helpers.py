"""Helpers other test packages may use."""

import time

from liaison.reauth import SESSION_KEY


def password_just_entered(client):
    """As if the logged-in user had typed their password again a moment ago (liaison.reauth)."""
    session = client.session
    session[SESSION_KEY] = int(time.time())
    session.save()
