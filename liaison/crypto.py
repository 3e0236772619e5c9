"""Encryption at rest for personal data (mobile numbers), and the keyed hash that finds them again.

- ``encrypt(text)`` gives a token ``e1:<base64url(key id | nonce | AES-256-GCM ciphertext and tag)>``: a fresh
  random 96-bit nonce each time, so one number encrypted twice gives two different tokens. The key id (4 bytes)
  names the key, so ``decrypt`` knows which one to use; a token from a key no longer configured, or one that was
  tampered with, raises ``PersonalDataKeyError``, never garbage.
- ``lookup_hash(text)`` is HMAC-SHA256 (hex) under a second key derived from the same secret: equal numbers give
  equal hashes, so exact look-ups, uniqueness and rate limits work without the clear number in the database.
- Keys: ``settings.PERSONAL_DATA_KEY`` encrypts and hashes; ``settings.PERSONAL_DATA_OLD_KEYS`` (a list) are still
  accepted for decryption and looked up by ``lookup_hashes`` until ``manage.py rotate_personal_data`` has
  re-encrypted every row under the current key. Both AES and HMAC keys are derived with HKDF-SHA256, with
  different ``info`` labels, from the configured secret string.

Settings are read on each call (cached per key tuple), never at import time, so ``override_settings`` works.
"""

import base64
import binascii
import functools
import hashlib
import hmac
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

PREFIX = "e1:"
KEY_ID_SIZE = 4
NONCE_SIZE = 12
TAG_SIZE = 16
# Associated data: a token made for a mobile column does not decrypt as anything else.
AAD = b"liaison/mobile"
# Longest token for an 11-character value: prefix + base64 of (4 + 12 + 11 + 16) bytes, unpadded = 61 characters.
TOKEN_MAX_LENGTH = 80
HASH_LENGTH = 64


class PersonalDataKeyError(ImproperlyConfigured):
    """A stored value cannot be decrypted with the configured keys (wrong or missing key, or tampered data)."""


@dataclass(frozen=True)
class _Key:
    key_id: bytes
    aead: AESGCM
    hmac_key: bytes


def _derive(secret, label, length=32):
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=label).derive(secret)


@functools.lru_cache(maxsize=8)
def _keys_for(secrets):
    keys = []
    for secret in secrets:
        raw = secret.encode()
        keys.append(
            _Key(
                key_id=_derive(raw, b"liaison/personal-data/key-id/v1", KEY_ID_SIZE),
                aead=AESGCM(_derive(raw, b"liaison/personal-data/aes-256-gcm/v1")),
                hmac_key=_derive(raw, b"liaison/personal-data/hmac-sha256-lookup/v1"),
            )
        )
    return tuple(keys)


def configured_secrets():
    current = getattr(settings, "PERSONAL_DATA_KEY", "")
    if not current:
        raise PersonalDataKeyError("PERSONAL_DATA_KEY is not set: personal data cannot be encrypted or read.")
    old = [key for key in getattr(settings, "PERSONAL_DATA_OLD_KEYS", ()) if key and key != current]
    return (current, *old)


def keys():
    """The configured keys, the current (encrypting) one first."""
    return _keys_for(configured_secrets())


def is_token(value):
    return isinstance(value, str) and value.startswith(PREFIX)


def encrypt(text, *, key=None):
    """The token of ``text``; '' stays '' (an empty field is not personal data and must stay findable)."""
    if text is None or text == "":
        return ""
    key = key or keys()[0]
    nonce = os.urandom(NONCE_SIZE)
    blob = key.key_id + nonce + key.aead.encrypt(nonce, str(text).encode(), AAD)
    return PREFIX + base64.urlsafe_b64encode(blob).rstrip(b"=").decode("ascii")


def token_key_id(token):
    blob = _unpack(token)
    return blob[:KEY_ID_SIZE]


def _unpack(token):
    body = token[len(PREFIX) :]
    try:
        blob = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError) as error:
        raise PersonalDataKeyError("An encrypted personal-data value is malformed.") from error
    if len(blob) < KEY_ID_SIZE + NONCE_SIZE + TAG_SIZE:
        raise PersonalDataKeyError("An encrypted personal-data value is truncated.")
    return blob


def decrypt(token):
    """The clear text of a token made by ``encrypt``; '' stays ''.

    Raises ``PersonalDataKeyError`` if the token's key is not configured, the data were altered, or the value is
    not a token at all (a clear number left in an encrypted column means a migration has not run).
    """
    if token is None or token == "":
        return ""
    if not is_token(token):
        raise PersonalDataKeyError(
            "An encrypted personal-data column holds a value that is not encrypted: run the migrations "
            "(they encrypt existing rows)."
        )
    blob = _unpack(token)
    key_id, nonce, ciphertext = (
        blob[:KEY_ID_SIZE],
        blob[KEY_ID_SIZE : KEY_ID_SIZE + NONCE_SIZE],
        blob[KEY_ID_SIZE + NONCE_SIZE :],
    )
    for key in keys():
        if key.key_id == key_id:
            try:
                return key.aead.decrypt(nonce, ciphertext, AAD).decode()
            except InvalidTag as error:
                raise PersonalDataKeyError(
                    "An encrypted personal-data value failed authentication: it was altered or the key is wrong."
                ) from error
    raise PersonalDataKeyError(
        f"Personal data were encrypted with a key (id {key_id.hex()}) that is neither PERSONAL_DATA_KEY nor in "
        "PERSONAL_DATA_OLD_KEYS: set the right key; the data cannot be read without it."
    )


def normalize(text):
    return str(text).strip() if text is not None else ""


def lookup_hash(text, *, key=None):
    """HMAC-SHA256 (hex) of ``text`` under the current key; '' for an empty value."""
    text = normalize(text)
    if not text:
        return ""
    key = key or keys()[0]
    return hmac.new(key.hmac_key, text.encode(), hashlib.sha256).hexdigest()


def lookup_hashes(text):
    """The hashes of ``text`` under every configured key: what an exact look-up matches during a rotation."""
    text = normalize(text)
    if not text:
        return [""]
    return [lookup_hash(text, key=key) for key in keys()]


def needs_rotation(token):
    return bool(token) and token_key_id(token) != keys()[0].key_id


DEVELOPMENT_KEYS = {"dev-personal-data-key", "bench-only-personal-data-key"}
MIN_KEY_LENGTH = 32


@checks.register(checks.Tags.security, deploy=True)
def check_personal_data_key(app_configs=None, **kwargs):
    """``check --deploy``: the key that encrypts personal data is long and not a development default."""
    key = getattr(settings, "PERSONAL_DATA_KEY", "") or ""
    if key in DEVELOPMENT_KEYS or len(key) < MIN_KEY_LENGTH:
        return [
            checks.Error(
                f"PERSONAL_DATA_KEY must be a random secret of at least {MIN_KEY_LENGTH} characters, not a "
                "development default: it encrypts citizens' and deputies' mobile numbers.",
                id="liaison.E101",
            )
        ]
    return []
