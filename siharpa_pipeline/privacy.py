"""Personal data: phone numbers never leave the pipeline in clear text (tables, metadata, logs, pages).
Callers become an HMAC keyed by SIHARPA_PII_KEY, so the same caller is recognisable across calls without the
number being recoverable by anyone who lacks the key."""

from __future__ import annotations

import hashlib
import hmac
import os
import re

# Indonesian numbers as people write them: 0812..., +62 812..., 62-812-..., with spaces, dots or dashes
_PHONE = re.compile(r"(?<!\d)(?:\+?62|0)[\s.\-]?8(?:[\s.\-]?\d){7,11}(?!\d)")
MASK = "[nomor disamarkan]"
PII_KEY_ENV = "SIHARPA_PII_KEY"
MIN_KEY_LENGTH = 16


class PiiKeyMissing(Exception):
    """112 data may not be loaded without the key that turns callers into hashes."""


def mask_phone_numbers(text: str | None) -> str | None:
    return None if text is None else _PHONE.sub(MASK, text)


def pii_key() -> bytes:
    key = os.environ.get(PII_KEY_ENV, "")
    if len(key) < MIN_KEY_LENGTH:
        raise PiiKeyMissing(f"Kunci {PII_KEY_ENV} belum diatur (minimal {MIN_KEY_LENGTH} karakter); data panggilan "
                            "112 tidak dimuat agar nomor penelepon tidak tersimpan. Hubungi petugas TI.")
    return key.encode()


def caller_hash(number: str | None, key: bytes | None = None) -> str | None:
    """HMAC-SHA256 of the number's digits, 62... written as 0..., so +62 812-... and 0812... are one caller."""
    if number is None:
        return None
    digits = re.sub(r"\D", "", str(number))
    if digits.startswith("62"):
        digits = "0" + digits[2:]
    if not digits:
        return None
    return hmac.new(key or pii_key(), digits.encode(), hashlib.sha256).hexdigest()
