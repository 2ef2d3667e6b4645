"""Region packs: another kabupaten's markets, local commodity names and reference prices, imported on top of
the shipped facts (PPU's pack). A pack is checked whole before anything is kept: one bad row refuses it."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .names import commodity_names, region_names
from .reference import Reference, load_reference
from .settings import Settings
from .values import parse_amount_text

PACK_FILES = ("markets.csv", "commodity_aliases.csv", "reference_prices.csv")
REQUIRED = {
    "markets.csv": ("market_id", "name", "region_code"),
    "commodity_aliases.csv": ("alias", "commodity_id"),
    "reference_prices.csv": ("commodity_id", "kind", "zone", "upper_idr", "unit", "valid_from"),
}
_ID = re.compile(r"^[a-z0-9][a-z0-9_]{1,63}$")
MAX_PACK_ROWS = 10_000


class PackError(Exception):
    """The pack is refused whole; `problems` name the file, row and column of each."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("Paket wilayah ditolak, tidak ada yang diimpor:\n" + "\n".join(f"- {p}" for p in problems))


@dataclass(frozen=True)
class Pack:
    files: dict[str, bytes]  # file name -> original bytes
    markets: pd.DataFrame
    commodity_aliases: pd.DataFrame
    reference_prices: pd.DataFrame

    @property
    def sha(self) -> str:
        digest = hashlib.sha256()
        for name in sorted(self.files):
            digest.update(name.encode() + b"\0" + self.files[name])
        return digest.hexdigest()


def _read_csv(name: str, data: bytes, problems: list[str]) -> pd.DataFrame | None:
    try:
        frame = pd.read_csv(pd.io.common.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as err:
        problems.append(f"{name}: tidak dapat dibaca sebagai CSV ({err}).")
        return None
    frame.columns = [c.strip().lower() for c in frame.columns]
    missing = [c for c in REQUIRED[name] if c not in frame.columns]
    if missing:
        problems.append(f"{name}: kolom {', '.join(missing)} tidak ada (wajib: {', '.join(REQUIRED[name])}).")
        return None
    if len(frame) > MAX_PACK_ROWS:
        problems.append(f"{name}: {len(frame)} baris, paling banyak {MAX_PACK_ROWS}.")
        return None
    return frame.apply(lambda col: col.str.strip())


def read_pack(folder: Path, base: Reference) -> Pack:
    """A pack folder checked against the reference it will be added to."""
    if not folder.is_dir():
        raise PackError([f"folder '{folder}' tidak ditemukan."])
    files = {name: (folder / name).read_bytes() for name in PACK_FILES if (folder / name).is_file()}
    if not files:
        raise PackError([f"folder '{folder}' tidak berisi {', '.join(PACK_FILES)}."])
    problems: list[str] = []
    frames = {name: _read_csv(name, data, problems) for name, data in files.items()}
    markets = _markets(frames.get("markets.csv"), base, problems)
    extended = replace(base, markets=pd.concat([base.markets, markets], ignore_index=True), version=base.version + "?")
    aliases = _aliases(frames.get("commodity_aliases.csv"), extended, problems)
    prices = _prices(frames.get("reference_prices.csv"), base, problems)
    if problems:
        raise PackError(problems)
    return Pack(files, markets, aliases, prices)


def _where(name: str, i: int, column: str) -> str:
    return f"{name} baris {i + 2}, kolom {column}"  # the header is line 1


def _markets(frame: pd.DataFrame | None, base: Reference, problems: list[str]) -> pd.DataFrame:
    columns = [*base.markets.columns]
    if frame is None:
        return pd.DataFrame(columns=columns)
    regions = set(base.regions.loc[base.regions["level"].isin(["kabupaten", "kota", "kecamatan"]), "code"])
    seen: set[str] = set()
    rows = []
    for i, r in enumerate(frame.to_dict("records")):
        where = lambda col: _where("markets.csv", i, col)  # noqa: E731
        if not _ID.match(r["market_id"]):
            problems.append(
                f"{where('market_id')}: '{r['market_id']}' harus huruf kecil, angka dan garis bawah "
                "(mis. pasar_klandasan)."
            )
        elif r["market_id"] in seen:
            problems.append(f"{where('market_id')}: '{r['market_id']}' tertulis dua kali.")
        seen.add(r["market_id"])
        if not r["name"]:
            problems.append(f"{where('name')}: nama pasar kosong.")
        if r["region_code"] not in regions:
            problems.append(
                f"{where('region_code')}: '{r['region_code']}' bukan kode kabupaten/kota Kemendagri "
                "(mis. 64.71 untuk Kota Balikpapan)."
            )
        aliases = [a.strip() for a in r.get("aliases", "").split("|") if a.strip()]
        rows.append(
            {
                "market_id": r["market_id"],
                "name": r["name"],
                "region_code": r["region_code"],
                "kecamatan_code": r.get("kecamatan_code") or None,
                "kecamatan": r.get("kecamatan") or None,
                "location": r.get("location") or None,
                "aliases": aliases,
                "basis": r.get("basis") or "paket wilayah",
            }
        )
    return pd.DataFrame(rows, columns=columns)


def _aliases(frame: pd.DataFrame | None, ref: Reference, problems: list[str]) -> pd.DataFrame:
    if frame is None:
        return pd.DataFrame(columns=["alias", "commodity_id"])
    known = set(ref.commodity_ids)
    for i, r in enumerate(frame.to_dict("records")):
        if not r["alias"]:
            problems.append(f"{_where('commodity_aliases.csv', i, 'alias')}: nama kosong.")
        if r["commodity_id"] not in known:
            close = commodity_names(ref).suggest(r["commodity_id"].replace("_", " "))
            problems.append(
                f"{_where('commodity_aliases.csv', i, 'commodity_id')}: kode komoditas "
                f"'{r['commodity_id']}' tidak dikenal" + (f" (mungkin: {', '.join(close)})" if close else "") + "."
            )
        elif region_names(ref).from_label(r["alias"]) is not None and len(r["alias"]) > 3:
            problems.append(f"{_where('commodity_aliases.csv', i, 'alias')}: '{r['alias']}' adalah nama wilayah.")
    return frame[["alias", "commodity_id"]].drop_duplicates("alias", keep="last")


def _prices(frame: pd.DataFrame | None, base: Reference, problems: list[str]) -> pd.DataFrame:
    columns = [*base.reference_prices.columns]
    if frame is None:
        return pd.DataFrame(columns=columns)
    known = set(base.commodity_ids)
    rows = []
    for i, r in enumerate(frame.to_dict("records")):
        where = lambda col: _where("reference_prices.csv", i, col)  # noqa: E731
        if r["commodity_id"] not in known:
            problems.append(f"{where('commodity_id')}: kode komoditas '{r['commodity_id']}' tidak dikenal.")
        if r["kind"] not in ("HET", "HAP"):
            problems.append(f"{where('kind')}: '{r['kind']}' harus HET atau HAP.")
        upper = parse_amount_text(r["upper_idr"]) if r["upper_idr"] else None
        lower = parse_amount_text(r["lower_idr"]) if r.get("lower_idr") else None
        if upper is None or upper <= 0:
            problems.append(f"{where('upper_idr')}: '{r['upper_idr']}' harus angka rupiah lebih dari nol.")
        valid_from, valid_to = _day(r["valid_from"]), _day(r.get("valid_to", "")) if r.get("valid_to") else None
        if valid_from is None:
            problems.append(f"{where('valid_from')}: '{r['valid_from']}' harus tanggal YYYY-MM-DD.")
        if r.get("valid_to") and (valid_to is None or (valid_from and valid_to < valid_from)):
            problems.append(f"{where('valid_to')}: '{r['valid_to']}' harus tanggal YYYY-MM-DD sesudah valid_from.")
        rows.append(
            {
                **{c: r.get(c) or None for c in columns},
                "upper_idr": upper,
                "lower_idr": lower,
                "valid_from": valid_from,
                "valid_to": valid_to,
            }
        )
    return pd.DataFrame(rows, columns=columns)


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def apply_pack(ref: Reference, pack: Pack) -> Reference:
    """Rows added, or replaced by their id, on top of `ref`."""
    markets = pd.concat(
        [ref.markets[~ref.markets["market_id"].isin(pack.markets["market_id"])], pack.markets], ignore_index=True
    )
    aliases = pd.concat(
        [
            ref.commodity_aliases[~ref.commodity_aliases["alias"].isin(pack.commodity_aliases["alias"])],
            pack.commodity_aliases,
        ],
        ignore_index=True,
    )
    key = ["commodity_id", "kind", "zone", "valid_from"]
    prices = ref.reference_prices
    if len(pack.reference_prices):
        incoming = pd.MultiIndex.from_frame(pack.reference_prices[key].astype(str))
        kept = ~pd.MultiIndex.from_frame(prices[key].astype(str)).isin(incoming)
        prices = pd.concat([prices[kept], pack.reference_prices], ignore_index=True)
    return replace(
        ref,
        markets=markets,
        commodity_aliases=aliases,
        reference_prices=prices,
        version=f"{ref.version}+{pack.sha[:12]}",
    )


def _stored_packs(settings: Settings) -> list[Path]:
    folder = settings.reference_dir
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.endswith(".part")) if folder.is_dir() else []


def active_reference(settings: Settings) -> Reference:
    """The shipped facts with every imported pack applied in the order they were imported."""
    return _applied(tuple(_stored_packs(settings)))


@lru_cache(maxsize=4)
def _applied(folders: tuple[Path, ...]) -> Reference:
    ref = load_reference()
    for folder in folders:
        ref = apply_pack(ref, read_pack(folder, ref))
    return ref


def keep_pack(settings: Settings, pack: Pack, now: dt.datetime) -> Path:
    """The pack's files under data/reference/, named so that folders sort in import order."""
    target = settings.reference_dir / f"{now:%Y%m%dT%H%M%S%f}_{pack.sha[:12]}"
    tmp = target.with_name(target.name + ".part")
    tmp.mkdir(parents=True)
    try:
        for name, data in pack.files.items():
            (tmp / name).write_bytes(data)
        tmp.rename(target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target
