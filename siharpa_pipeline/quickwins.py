"""The other quick wins' datasets as record sheets: Serbu Gass waste-bank deposits, Puspita tourism visits,
Call Center 112 logs and the master plan's quarterly indicator sheets. Each is a RecordSpec: its columns, its
row checks (a pandera model per dataset, checks named by reason code) and what core keeps."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from .datasets import DATASETS
from .names import normalise
from .privacy import caller_hash
from .records import (
    Column,
    RecordSpec,
    lookup,
    parse_count,
    parse_datetime,
    parse_month,
    parse_number,
    parse_period,
    parse_secret_text,
    parse_text,
    parse_yes_no,
)
from .reference import load_reference
from .values import parse_date

VALUE_TOLERANCE_IDR = 0.5  # a value is weight x price rounded to the rupiah
VALUE_FLAG = "nilai_tidak_sesuai"
WASTE_UNIT_TARGET = 100  # Serbu Gass: a hundred active waste-bank units


def _names(frame: pd.DataFrame, id_column: str, *name_columns: str) -> dict[str, str]:
    out = {}
    for col in (id_column, *name_columns):
        out.update({normalise(n): i for n, i in zip(frame[col], frame[id_column])})
    return out


@lru_cache(maxsize=1)
def _kecamatan() -> dict[str, str]:
    regions = load_reference().regions
    kec = regions[regions["level"] == "kecamatan"]
    return {
        **_names(kec.rename(columns={"code": "id"}), "id", "name"),
        **{normalise(f"kecamatan {n}"): c for n, c in zip(kec["name"], kec["code"])},
    }


@lru_cache(maxsize=1)
def _desa() -> dict[tuple[str, str], str]:
    """(kecamatan code, written name) -> the Kemendagri name."""
    desa = load_reference().desa
    return {(k, normalise(n)): n for k, n in zip(desa["kode_kecamatan"], desa["nama"])}


def _desa_known(df: pd.DataFrame, desa_column: str) -> pd.Series:
    known = _desa()
    return pd.Series(
        [d is None or k is None or (k, normalise(d)) in known for k, d in zip(df["kecamatan_code"], df[desa_column])],
        index=df.index,
    )


def _not_future(days: pd.Series, as_of: pd.Series) -> pd.Series:
    stamps = pd.to_datetime(days, errors="coerce")
    return stamps.isna() | (stamps.dt.normalize() <= as_of)


def _not_negative(values: pd.Series) -> pd.Series:
    return values.isna() | (pd.to_numeric(values, errors="coerce") >= 0)


# --- Serbu Gass -------------------------------------------------------------------------------------------


class WasteDepositRows(pa.DataFrameModel):
    """A deposit row as read: no future date, no negative weight or money, the desa in its kecamatan."""

    deposited_on: Series[object] = pa.Field(nullable=True)
    weight_kg: Series[object] = pa.Field(nullable=True)
    price_per_kg_idr: Series[object] = pa.Field(nullable=True)
    value_idr: Series[object] = pa.Field(nullable=True)

    @pa.dataframe_check(name="future_date")
    def _past(cls, df):
        return _not_future(df["deposited_on"], df["as_of"])

    @pa.check("weight_kg", "price_per_kg_idr", "value_idr", name="negative_number")
    def _not_negative(cls, s):
        return _not_negative(s)

    @pa.dataframe_check(name="unknown_desa")
    def _desa_in_kecamatan(cls, df):
        return _desa_known(df, "desa")


def _finish_waste(rows: pd.DataFrame) -> pd.DataFrame:
    weight = rows["weight_kg"].astype(float)
    price = rows["price_per_kg_idr"].astype(float)
    value = rows["value_idr"].astype(float)
    off = (value - weight * price).abs() > VALUE_TOLERANCE_IDR + 1e-6
    desa = _desa()
    return pd.DataFrame(
        {
            "deposited_on": pd.to_datetime(rows["deposited_on"]).dt.date,
            "unit_name": rows["unit_name"],
            "desa": [desa[(k, normalise(d))] for k, d in zip(rows["kecamatan_code"], rows["desa"])],
            "kecamatan_code": rows["kecamatan_code"],
            "waste_category_id": rows["waste_category_id"],
            "weight_kg": weight,
            "price_per_kg_idr": price,
            "value_idr": value,
            "is_donation": rows["is_donation"].astype(bool),
            "flags": [VALUE_FLAG if o else None for o in off],
            "sheet": rows["sheet"],
            "source_row": rows["source_row"],
        }
    )


def _waste_spec() -> RecordSpec:
    cats = load_reference().waste_categories
    return RecordSpec(
        dataset="waste_deposits",
        table=DATASETS["waste_deposits"].core_table,
        title=DATASETS["waste_deposits"].title,
        columns=(
            Column("deposited_on", ("tanggal", "tgl", "tanggal setor", "tanggal setoran"), parse_date, "invalid_date"),
            Column(
                "unit_name",
                ("nama unit bank sampah", "nama unit", "unit bank sampah", "bank sampah", "nama bank sampah"),
                parse_text,
            ),
            Column("desa", ("desa kelurahan", "kelurahan desa", "desa", "kelurahan"), parse_text),
            Column("kecamatan_code", ("kecamatan",), lookup(_kecamatan()), "unknown_kecamatan"),
            Column(
                "waste_category_id",
                ("jenis sampah", "kategori sampah", "jenis", "kategori"),
                lookup(_names(cats, "category_id", "name")),
                "unknown_category",
            ),
            Column("weight_kg", ("berat", "berat kg"), parse_number, "invalid_number"),
            Column(
                "price_per_kg_idr",
                ("harga per kg", "harga kg", "harga satuan", "harga"),
                parse_number,
                "invalid_number",
            ),
            Column("value_idr", ("jumlah", "jumlah rp", "nilai", "total"), parse_number, "invalid_number"),
            Column("is_donation", ("sedekah sampah", "sedekah"), parse_yes_no, "invalid_yes_no", required=False),
        ),
        model=WasteDepositRows,
        key=(),
        replaces=("deposited_on", "unit_name", "desa"),
        finish=_finish_waste,
        pointers={"future_date": "deposited_on", "unknown_desa": "desa"},
        reason_order=(
            "missing_value",
            "invalid_date",
            "unknown_kecamatan",
            "unknown_desa",
            "unknown_category",
            "invalid_number",
            "invalid_yes_no",
            "future_date",
            "negative_number",
        ),
        texts={"unknown_category": "jenis sampah {value} tidak dikenal; lihat daftar jenis sampah."},
    )


# --- Puspita ----------------------------------------------------------------------------------------------


class TourismVisitRows(pa.DataFrameModel):
    """A destination's month as read: not a future month, no negative count or revenue."""

    month: Series[object] = pa.Field(nullable=True)
    domestic_visits: Series[object] = pa.Field(nullable=True)
    foreign_visits: Series[object] = pa.Field(nullable=True)
    fee_revenue_idr: Series[object] = pa.Field(nullable=True)

    @pa.dataframe_check(name="future_date")
    def _past(cls, df):
        return _not_future(df["month"], df["as_of"])

    @pa.check("domestic_visits", "foreign_visits", "fee_revenue_idr", name="negative_number")
    def _not_negative(cls, s):
        return _not_negative(s)


def _finish_tourism(rows: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "month": pd.to_datetime(rows["month"]).dt.date,
            "destination_id": rows["destination_id"],
            "domestic_visits": rows["domestic_visits"].astype("int64"),
            "foreign_visits": rows["foreign_visits"].fillna(0).astype("int64"),
            "fee_revenue_idr": rows["fee_revenue_idr"].astype(float),
            "sheet": rows["sheet"],
            "source_row": rows["source_row"],
        }
    )


def _tourism_spec() -> RecordSpec:
    destinations = load_reference().destinations
    return RecordSpec(
        dataset="tourism_visits",
        table=DATASETS["tourism_visits"].core_table,
        title=DATASETS["tourism_visits"].title,
        columns=(
            Column("month", ("bulan", "periode", "bulan tahun"), parse_month, "invalid_month"),
            Column(
                "destination_id",
                (
                    "destinasi wisata",
                    "destinasi",
                    "nama destinasi",
                    "objek wisata",
                    "daya tarik wisata",
                    "nama objek wisata",
                ),
                lookup(_names(destinations, "destination_id", "name")),
                "unknown_destination",
            ),
            Column(
                "domestic_visits",
                ("wisatawan nusantara", "wisnus", "nusantara", "domestik"),
                parse_count,
                "invalid_count",
            ),
            Column(
                "foreign_visits",
                ("wisatawan mancanegara", "wisman", "mancanegara", "asing"),
                parse_count,
                "invalid_count",
                required=False,
            ),
            Column(
                "fee_revenue_idr",
                ("retribusi", "pendapatan retribusi", "pendapatan"),
                parse_number,
                "invalid_number",
                required=False,
            ),
        ),
        model=TourismVisitRows,
        key=("month", "destination_id"),
        finish=_finish_tourism,
        pointers={"future_date": "month"},
        reason_order=(
            "missing_value",
            "invalid_month",
            "unknown_destination",
            "invalid_count",
            "invalid_number",
            "future_date",
            "negative_number",
            "conflicting_duplicate",
        ),
        texts={
            "unknown_destination": "destinasi {value} tidak dikenal; lihat daftar destinasi wisata.",
            "future_date": "bulan {value} belum berakhir atau belum terjadi.",
            "conflicting_duplicate": "destinasi dan bulan yang sama tercatat lebih dari sekali dengan angka "
            "berbeda; semua baris itu ditolak, sisakan satu.",
        },
    )


# --- Call Center 112 --------------------------------------------------------------------------------------


class Call112Rows(pa.DataFrameModel):
    """A call as read: not in the future, its times in order (received, dispatched, arrived), no negative
    duration, the desa in its kecamatan."""

    received_at: Series[object] = pa.Field(nullable=True)
    duration_s: Series[object] = pa.Field(nullable=True)

    @pa.dataframe_check(name="future_date")
    def _past(cls, df):
        return _not_future(df["received_at"], df["as_of"])

    @pa.dataframe_check(name="times_out_of_order")
    def _in_order(cls, df):
        times = [
            pd.to_datetime(df[c], errors="coerce") for c in ("received_at", "dispatched_at", "arrived_at", "closed_at")
        ]
        ok = pd.Series(True, index=df.index)
        for earlier, later in ((0, 1), (1, 2), (0, 3)):
            ok &= times[earlier].isna() | times[later].isna() | (times[later] >= times[earlier])
        return ok

    @pa.check("duration_s", name="negative_number")
    def _not_negative(cls, s):
        return _not_negative(s)

    @pa.dataframe_check(name="unknown_desa")
    def _desa_in_kecamatan(cls, df):
        return _desa_known(df, "desa")


def _finish_calls(rows: pd.DataFrame) -> pd.DataFrame:
    desa = _desa()
    stamp = lambda col: pd.to_datetime(rows[col])  # noqa: E731
    return pd.DataFrame(
        {
            "call_id": rows["call_id"].astype(str),
            "received_at": stamp("received_at"),
            "caller_hash": [caller_hash(n) for n in rows["caller"]],
            "category_id": rows["category_id"],
            "kecamatan_code": rows["kecamatan_code"],
            "desa": [
                None if d is None else desa.get((k, normalise(d)), d)
                for k, d in zip(rows["kecamatan_code"], rows["desa"])
            ],
            "agency": rows["agency"],
            "dispatched_at": stamp("dispatched_at"),
            "arrived_at": stamp("arrived_at"),
            "closed_at": stamp("closed_at"),
            "status": rows["status"],
            "duration_s": pd.array(rows["duration_s"], dtype="Int64"),
            "description": rows["description"],
            "sheet": rows["sheet"],
            "source_row": rows["source_row"],
        }
    )


def _calls_spec() -> RecordSpec:
    cats = load_reference().call_categories
    return RecordSpec(
        dataset="calls_112",
        table=DATASETS["calls_112"].core_table,
        title=DATASETS["calls_112"].title,
        columns=(
            Column("call_id", ("id laporan", "id panggilan", "no laporan", "nomor laporan", "id"), parse_text),
            Column(
                "received_at",
                ("waktu lapor", "waktu panggilan", "waktu masuk", "tanggal waktu"),
                parse_datetime,
                "invalid_datetime",
            ),
            Column(
                "caller",
                ("nomor pelapor", "no pelapor", "nomor telepon", "no telepon", "no hp", "nomor hp", "telepon pelapor"),
                parse_secret_text,
                required=False,
                secret=True,
            ),
            Column(
                "category_id",
                ("kategori", "jenis kejadian", "kategori laporan", "jenis laporan"),
                lookup(_names(cats, "category_id", "name")),
                "unknown_category",
            ),
            Column("description", ("deskripsi", "keterangan", "uraian"), parse_text, required=False),
            Column("kecamatan_code", ("kecamatan",), lookup(_kecamatan()), "unknown_kecamatan", required=False),
            Column("desa", ("kelurahan desa", "desa kelurahan", "desa", "kelurahan"), parse_text, required=False),
            Column("agency", ("instansi", "instansi tujuan", "diteruskan ke"), parse_text, required=False),
            Column(
                "dispatched_at",
                ("waktu diteruskan", "waktu dispatch"),
                parse_datetime,
                "invalid_datetime",
                required=False,
            ),
            Column("arrived_at", ("waktu tiba",), parse_datetime, "invalid_datetime", required=False),
            Column("closed_at", ("waktu selesai", "waktu ditutup"), parse_datetime, "invalid_datetime", required=False),
            Column("status", ("status",), parse_text, required=False),
            Column("duration_s", ("durasi panggilan", "durasi"), parse_count, "invalid_count", required=False),
        ),
        model=Call112Rows,
        key=("call_id",),
        finish=_finish_calls,
        pointers={"future_date": "received_at", "times_out_of_order": "dispatched_at", "unknown_desa": "desa"},
        reason_order=(
            "missing_value",
            "invalid_datetime",
            "unknown_category",
            "unknown_kecamatan",
            "unknown_desa",
            "invalid_count",
            "future_date",
            "times_out_of_order",
            "negative_number",
            "conflicting_duplicate",
        ),
        texts={
            "unknown_category": "kategori {value} tidak dikenal; lihat daftar kategori 112.",
            "times_out_of_order": "urutan waktu tidak masuk akal (diteruskan/tiba/selesai sebelum waktu lapor).",
            "future_date": "waktu {value} belum terjadi.",
            "conflicting_duplicate": "ID laporan yang sama tercatat lebih dari sekali dengan isi berbeda; "
            "semua baris itu ditolak, sisakan satu.",
        },
    )


# --- master-plan indicator sheets -------------------------------------------------------------------------


class IndicatorValueRows(pa.DataFrameModel):
    """An indicator's value for a period as read: a period that has begun, no negative target."""

    period: Series[object] = pa.Field(nullable=True)
    target: Series[object] = pa.Field(nullable=True)

    @pa.dataframe_check(name="future_date")
    def _begun(cls, df):
        starts = pd.Series([None if p is None else p[1] for p in df["period"]], index=df.index, dtype=object)
        return _not_future(starts, df["as_of"])

    @pa.check("target", name="negative_number")
    def _not_negative(cls, s):
        return _not_negative(s)


def _finish_indicators(rows: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "dimension": rows["dimension"],
            "program": rows["program"],
            "indicator": rows["indicator"],
            "unit": rows["unit"],
            "period": [p[0] for p in rows["period"]],
            "period_start": [p[1] for p in rows["period"]],
            "target": rows["target"].astype(float),
            "actual": rows["actual"].astype(float),
            "agency": rows["agency"],
            "sheet": rows["sheet"],
            "source_row": rows["source_row"],
        }
    )


def _indicator_spec() -> RecordSpec:
    dimensions = {normalise(d): d for d in load_reference().quick_wins["dimension"]}
    return RecordSpec(
        dataset="indicator_values",
        table=DATASETS["indicator_values"].core_table,
        title=DATASETS["indicator_values"].title,
        columns=(
            Column("dimension", ("dimensi",), lookup(dimensions), "unknown_dimension"),
            Column("program", ("program quick win", "program", "quick win"), parse_text),
            Column("indicator", ("indikator", "nama indikator"), parse_text),
            Column("unit", ("satuan",), parse_text, required=False),
            Column("period", ("periode", "triwulan"), parse_period, "invalid_period"),
            Column("target", ("target",), parse_number, "invalid_number", required=False),
            Column("actual", ("realisasi", "capaian"), parse_number, "invalid_number"),
            Column("agency", ("perangkat daerah", "opd", "instansi"), parse_text, required=False),
        ),
        model=IndicatorValueRows,
        key=("dimension", "program", "indicator", "period"),
        finish=_finish_indicators,
        pointers={"future_date": "period"},
        reason_order=(
            "missing_value",
            "unknown_dimension",
            "invalid_period",
            "invalid_number",
            "future_date",
            "negative_number",
            "conflicting_duplicate",
        ),
        texts={
            "unknown_dimension": "dimensi {value} tidak dikenal; gunakan salah satu dari enam dimensi "
            "smart city (mis. smart governance).",
            "future_date": "periode {value} belum dimulai.",
            "conflicting_duplicate": "indikator dan periode yang sama tercatat lebih dari sekali dengan angka "
            "berbeda; semua baris itu ditolak, sisakan satu.",
        },
    )


@lru_cache(maxsize=1)
def record_specs() -> dict[str, RecordSpec]:
    specs = (_waste_spec(), _tourism_spec(), _calls_spec(), _indicator_spec())
    return {s.dataset: s for s in specs}
