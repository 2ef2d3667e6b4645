"""Name resolution: markets, commodities and units as enumerators write them, matched to reference IDs."""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

import pandas as pd

from .reference import NATIONAL, Reference, load_reference

_PUNCT = re.compile(r"[^\w\s]|_")
_PASAR_ABBREV = re.compile(r"\b(?:ps|psr)\b")
_CABE = re.compile(r"\bcabe\b")
_PAREN = re.compile(r"^(.*?)\s*\(([^)]*)\)\s*$")
_BULLET = re.compile(r"^\s*(?:[-•*·]+|\d{1,3}[.)])\s+")  # "- Bengawan", "1. Beras", "• Gula"
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
    return [label[len(p) :] for p in _MARKET_PREFIXES if label.startswith(p) and len(label) > len(p)]


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
    """Commodities by published national name (PIHPS, Panel Harga), by a region pack's local alias, or by our
    own names and aliases, in that order. A label two commodities could claim is nobody's: a guess between
    two published varieties would store a price under the wrong one."""

    def __init__(self, ref: Reference):
        commodities = ref.commodities
        self.display: dict[str, str] = dict(zip(commodities["commodity_id"], commodities["name"]))
        full: dict[str, set[str]] = {}
        short: dict[str, set[str]] = {}  # a name without its bracket: "Tepung Terigu" of "Tepung Terigu (Curah)"
        for row in commodities.itertuples():
            whole, *shorter = _name_variants(row.name, market=False)
            for label in [whole, *map(normalise, row.aliases), normalise(row.commodity_id)]:
                full.setdefault(label, set()).add(row.commodity_id)
            for label in shorter:
                short.setdefault(label, set()).add(row.commodity_id)
        self.by_label = {label: next(iter(ids)) for label, ids in short.items() if len(ids) == 1}
        self.by_label.update({label: next(iter(ids)) for label, ids in full.items() if len(ids) == 1})
        self.by_label.update(zip(map(normalise, ref.commodity_aliases["alias"]), ref.commodity_aliases["commodity_id"]))
        # published names whole: brackets kept ("Tepung Terigu (Curah)" is not "Tepung Terigu")
        self.by_label.update(
            zip(map(normalise, ref.published_names["published_name"]), ref.published_names["commodity_id"])
        )

    def resolve(self, raw: object) -> str | None:
        text = _BULLET.sub("", str(raw)).strip()
        found = self.by_label.get(normalise(text))
        if found is None:
            # "Gula Pasir (kg)": a unit in parentheses is not part of the name; "(Fillet)" is
            m = _PAREN.match(text)
            if m and canonical_unit(m.group(2)):
                found = self.by_label.get(normalise(m.group(1)))
        return found

    def suggest(self, raw: object, limit: int = 3) -> list[str]:
        close = difflib.get_close_matches(normalise(_BULLET.sub("", str(raw))), list(self.by_label), n=10, cutoff=0.6)
        names: list[str] = []
        for label in close:
            name = self.display.get(self.by_label[label], label)
            if name not in names:
                names.append(name)
        return names[:limit]


_PROVINCE_ALIASES = {
    "11": ("nanggroe aceh darussalam", "nad"),
    "12": ("sumut",),
    "13": ("sumbar",),
    "16": ("sumsel",),
    "19": ("bangka belitung", "babel"),
    "21": ("kepri",),
    "31": ("dki jakarta", "jakarta", "dki"),
    "32": ("jabar",),
    "33": ("jateng",),
    "34": ("di yogyakarta", "d i yogyakarta", "yogyakarta", "diy"),
    "35": ("jatim",),
    "52": ("ntb",),
    "53": ("ntt",),
    "61": ("kalbar",),
    "62": ("kalteng",),
    "63": ("kalsel",),
    "64": ("kaltim",),
    "65": ("kaltara",),
    "71": ("sulut",),
    "72": ("sulteng",),
    "73": ("sulsel",),
    "74": ("sultra",),
    "76": ("sulbar",),
    "82": ("malut",),
}
_NATIONAL_LABELS = ("indonesia", "nasional", "semua provinsi", "rata rata nasional", "seluruh indonesia")
_LEVEL_PREFIXES = {"provinsi": ("provinsi", "prov", "propinsi"), "kabupaten": ("kabupaten", "kab"), "kota": ("kota",)}


class RegionNames:
    """Provinces, kabupaten/kota, the nation and the HET zones as exports write them. A province may stand
    bare ("Jawa Barat", "Jabar"); a kabupaten or kota needs its word ("Kota Bandung", "Kab. Bangkalan")
    unless a whole label names exactly one of them."""

    def __init__(self, regions: pd.DataFrame):
        self.code_names = dict(zip(regions["code"], regions["name"]))
        self.phrases: dict[str, str] = {label: NATIONAL for label in _NATIONAL_LABELS}
        bare: dict[str, set[str]] = {}
        for row in regions[regions["level"].isin(["provinsi", "kabupaten", "kota"])].itertuples():
            name = normalise(row.name)
            for prefix in _LEVEL_PREFIXES[row.level]:
                self.phrases[f"{prefix} {name}"] = row.code
            if row.level == "provinsi":
                self.phrases[name] = row.code
                self.phrases.update({alias: row.code for alias in _PROVINCE_ALIASES.get(row.code, ())})
            else:
                bare.setdefault(name, set()).add(row.code)
        self.labels = {
            **{b: next(iter(c)) for b, c in bare.items() if len(c) == 1 and b not in self.phrases},
            **self.phrases,
            **{code.lower(): code for code in regions["code"]},
        }
        ordered = sorted(self.phrases, key=len, reverse=True)
        self._phrase_re = re.compile(r"(?<!\S)(" + "|".join(map(re.escape, ordered)) + r")(?!\S)")

    def from_label(self, label: object) -> str | None:
        """A whole cell: "Jawa Barat", " Aceh ", "DKI Jakarta", "Kota Bandung", "64"."""
        text = str(label).strip()
        if text.endswith(".0") and text[:-2].isdigit():  # a code read as a number
            text = text[:-2]
        return self.labels.get(text.lower()) or self.labels.get(normalise(text))

    def in_text(self, text: object) -> tuple[str | None, bool]:
        """A region named in a title, sheet or file name: (code, ambiguous)."""
        codes = {self.phrases[m.group(1)] for m in self._phrase_re.finditer(normalise(text))}
        if len(codes) > 1:
            return None, True
        return (codes.pop() if codes else None), False


_UNITS = {
    "kg": "kg",
    "kilogram": "kg",
    "kilo": "kg",
    "kgs": "kg",
    "liter": "liter",
    "ltr": "liter",
    "l": "liter",
    "lt": "liter",
    "litre": "liter",
    "litter": "liter",
    "tabung": "tabung",
    "tbg": "tabung",
}


_PER_UNIT = re.compile(r"^(?:harga\s+)?(?:rp\s+|per\s+|rp\s+per\s+)?(.+)$")


def canonical_unit(raw: object) -> str | None:
    """kg / liter / tabung, or None for a unit we do not know. "Rp./Kg", "(Rp/Liter)", "per kg" and "Rp/kg"
    are rupiah per that unit."""
    m = _PER_UNIT.match(normalise(raw))
    return _UNITS.get(m.group(1)) if m else None


@lru_cache(maxsize=8)
def market_names(ref: Reference | None = None) -> MarketNames:
    return MarketNames((ref or load_reference()).markets)


@lru_cache(maxsize=8)
def commodity_names(ref: Reference | None = None) -> CommodityNames:
    return CommodityNames(ref or load_reference())


@lru_cache(maxsize=8)
def region_names(ref: Reference | None = None) -> RegionNames:
    return RegionNames((ref or load_reference()).regions)
