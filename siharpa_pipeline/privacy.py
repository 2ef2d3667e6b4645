"""Personal data: phone numbers never leave the pipeline in clear text (tables, metadata, logs, pages).
Callers become an HMAC keyed by SIHARPA_PII_KEY, so the same caller is recognisable across calls without the
number being recoverable by anyone who lacks the key."""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import unicodedata
from typing import overload

MASK = "[nomor disamarkan]"
# between digit groups people put spaces, dots, dashes of every kind, slashes, commas, underscores, brackets
_SEPARATOR = r"[\s.,:;_/\\|()\[\]+\-\u00b7\u2010-\u2015\u2022\u2027\u2212\u2219\u22c5\ufe63]"
_DIGIT_RUN = re.compile(r"\d(?:\d|" + _SEPARATOR + r"{1,4}(?=\d))*")
_GROUP = re.compile(r"\d+")
# an Indonesian number once its country prefix (+62, 62, 0062) is written as 0: mobile 08..., landline 0[2-7]...
_PHONE_DIGITS = re.compile(r"0[2-9]\d{7,13}")
MIN_PHONE_DIGITS = 9
_NOT_DIGITS = re.compile(r"\D+")
_MASK_WRAPPING = re.compile(r"[+(]+" + re.escape(MASK) + r"\)?")
PII_KEY_ENV = "SIHARPA_PII_KEY"
MIN_KEY_LENGTH = 16


class PiiKeyMissing(Exception):
    """112 data may not be loaded without the key that turns callers into hashes."""


def is_phone_number(digits: str) -> bool:
    if digits.startswith("00"):
        digits = digits[2:]
    if digits.startswith("62"):
        digits = "0" + digits[2:]
    return _PHONE_DIGITS.fullmatch(digits) is not None


@overload
def mask_phone_numbers(text: str) -> str: ...
@overload
def mask_phone_numbers(text: None) -> None: ...
def mask_phone_numbers(text: str | None) -> str | None:
    """Every phone number in a text replaced by MASK, however it is spelled: the text is NFKC-normalised first
    (full-width digits), then any run of separators may stand between digit groups."""
    if text is None:
        return None
    text = unicodedata.normalize("NFKC", str(text))
    if len(_NOT_DIGITS.sub("", text)) < MIN_PHONE_DIGITS:  # most texts: quick to clear
        return text
    # no exception for dates: "08/12/2034 5678" is a number written as one; a date with a time after it
    # ("02/11/2026 08.30") may be masked too, which costs a description less than a leaked number costs a caller
    return _MASK_WRAPPING.sub(MASK, _DIGIT_RUN.sub(_mask_run, text))


def _mask_run(run: re.Match) -> str:
    """The longest stretches of whole digit groups in a run that spell a phone number, masked."""
    text = run.group(0)
    if sum(map(str.isdigit, text)) < MIN_PHONE_DIGITS:  # most runs: a price, a row number, a count
        return text
    groups = [(m.start(), m.end()) for m in _GROUP.finditer(text)]
    out, done, i = [], 0, 0
    while i < len(groups):
        j = next(
            (
                j
                for j in range(len(groups) - 1, i - 1, -1)
                if is_phone_number("".join(text[a:b] for a, b in groups[i : j + 1]))
            ),
            None,
        )
        if j is None:
            i += 1
            continue
        out += [text[done : groups[i][0]], MASK]
        done, i = groups[j][1], j + 1
    return "".join(out) + text[done:]


def pii_key() -> bytes:
    key = os.environ.get(PII_KEY_ENV, "")
    if len(key) < MIN_KEY_LENGTH:
        raise PiiKeyMissing(
            f"Kunci {PII_KEY_ENV} belum diatur (minimal {MIN_KEY_LENGTH} karakter); data panggilan "
            "112 tidak dimuat agar nomor penelepon tidak tersimpan. Hubungi petugas TI."
        )
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
