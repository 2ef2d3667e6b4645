"""Personal data: phone numbers never leave the pipeline in clear text (tables, metadata, logs, pages)."""

from __future__ import annotations

import re

# Indonesian numbers as people write them: 0812..., +62 812..., 62-812-..., with spaces, dots or dashes
_PHONE = re.compile(r"(?<!\d)(?:\+?62|0)[\s.\-]?8(?:[\s.\-]?\d){7,11}(?!\d)")
MASK = "[nomor disamarkan]"


def mask_phone_numbers(text: str | None) -> str | None:
    return None if text is None else _PHONE.sub(MASK, text)
