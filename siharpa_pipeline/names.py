"""Name resolution: markets, commodities and units as enumerators write them, matched to reference IDs."""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

import pandas as pd

from .reference import load_reference

_PUNCT = re.compile(r"[^\w\s]|_")
_PASAR_ABBREV = re.compile(r"\b(?:ps|psr)\b")
_CABE = re.compile(r"\bcabe\b")
_PAREN = re.compile(r"^(.*?)\s*\(([^)]*)\)\s*$")
_MARKET_PREFIXES = ("pasar rakyat ", "pasar induk ", "pasar ")


def normalise(text: object) -> str:
    """Lower case, punctuation and repeated spaces removed, "Ps."/"Psr" = "pasar", "cabe" = "cabai"."""
    s = _PUNCT.sub(" ", str(text).lower())
    s = _PASAR_ABBREV.sub("pasar", s)
    s = _CABE.sub("cabai", s)
    return " ".join(s.split())


def _name_variants(name: str, market: bool) -> list[str]:
    """A parenthetical in a reference name is optional; for markets it may also stand for the place name."""
    m = _PAREN.match(name)
    if not m:
        return [normalise(name)]
    base, inner = m.groups()
    variants = [normalise(f"{base} {inner}"), normalise(base)]
    if market:
        prefix = next((p for p in _MARKET_PREFIXES if normalise(base).startswith(p)), "pasar ")
        variants.append(normalise(prefix + inner))
    return variants


def _bare(label: str) -> list[str]:
    return [label[len(p):] for p in _MARKET_PREFIXES if label.startswith(p) and len(label) > len(p)]


class MarketNames:
    """Markets by full name or alias ("Pasar" included), or by a bare name when exactly one market has it."""

    def __init__(self, markets: pd.DataFrame):
        self.full: dict[str, str] = {}
        bare: dict[str, set[str]] = {}
        for row in markets.itertuples():
            labels = _name_variants(row.name, market=True) + [normalise(a) for a in row.aliases]
            for label in labels:
                self.full[label] = row.market_id
                for b in _bare(label):
                    bare.setdefault(b, set()).add(row.market_id)
        self.bare = {b: next(iter(ids)) for b, ids in bare.items() if len(ids) == 1}
        phrases = sorted(self.full, key=len, reverse=True)
        self._phrase_re = re.compile(r"(?<!\S)(" + "|".join(map(re.escape, phrases)) + r")(?!\S)")

    def from_label(self, label: object) -> str | None:
        """A whole label: a sheet name, a column header, a cell of a market column."""
        n = normalise(label)
        return self.full.get(n) or self.bare.get(n)

    def in_text(self, text: object) -> tuple[str | None, bool]:
        """A market named as a phrase in a title row or file name: (market_id, ambiguous)."""
        ids = {self.full[m.group(1)] for m in self._phrase_re.finditer(normalise(text))}
        if len(ids) > 1:
            return None, True
        return (ids.pop() if ids else None), False


class CommodityNames:
    def __init__(self, commodities: pd.DataFrame):
        self.by_label: dict[str, str] = {}
        self.display: dict[str, str] = dict(zip(commodities["commodity_id"], commodities["name"]))
        for row in commodities.itertuples():
            labels = _name_variants(row.name, market=False) + [normalise(a) for a in row.aliases]
            labels.append(normalise(row.commodity_id))
            for label in labels:
                self.by_label.setdefault(label, row.commodity_id)

    def resolve(self, raw: object) -> str | None:
        text = str(raw).strip()
        found = self.by_label.get(normalise(text))
        if found is None:
            # "Gula Pasir (kg)": a trailing unit in parentheses is not part of the name
            m = _PAREN.match(text)
            if m:
                found = self.by_label.get(normalise(m.group(1)))
        return found

    def suggest(self, raw: object, limit: int = 3) -> list[str]:
        close = difflib.get_close_matches(normalise(raw), list(self.by_label), n=10, cutoff=0.6)
        names: list[str] = []
        for label in close:
            name = self.display[self.by_label[label]]
            if name not in names:
                names.append(name)
        return names[:limit]


_UNITS = {
    "kg": "kg", "kilogram": "kg", "kilo": "kg", "kgs": "kg",
    "liter": "liter", "ltr": "liter", "l": "liter", "lt": "liter", "litre": "liter", "litter": "liter",
    "tabung": "tabung", "tbg": "tabung",
}


def canonical_unit(raw: object) -> str | None:
    """kg / liter / tabung, or None for a unit we do not know."""
    return _UNITS.get(normalise(raw))


@lru_cache(maxsize=1)
def market_names() -> MarketNames:
    return MarketNames(load_reference().markets)


@lru_cache(maxsize=1)
def commodity_names() -> CommodityNames:
    return CommodityNames(load_reference().commodities)
