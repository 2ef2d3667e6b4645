"""The `siharpa` command: ingest, validate, publish, extract, dictionary, template, user, demo. Output for
people is in Bahasa Indonesia."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import logging
import sys
from pathlib import Path

import duckdb

from .access import ROLE_LABELS, ROLES, User, UsersFileError, hash_password, password_problem, save_user, users_file
from .datasets import DATASET_NAMES
from .dictionary import write_dictionary
from .extracts import FORMATS, ExtractError, Scope, build_extract
from .ingest import (
    FileResult,
    content_of,
    disk_full,
    import_pack,
    ingest_files,
    judge_file,
    log_internal_error,
    rejection_dicts,
)
from .messages import FILE_ERRORS, STATUS_LABELS
from .names import region_names
from .packs import PackError, active_reference
from .privacy import mask_phone_numbers
from .publishing import publish
from .settings import ConfigError, Settings, today_wita
from .storage import WriterBusy
from .templates import market_name, price_template


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"tanggal '{text}' harus berbentuk YYYY-MM-DD") from None


def _region(text: str) -> str:
    """A region code (00, 64, 64.71, Z2) or a name ("Kalimantan Timur", "Kota Balikpapan")."""
    code = region_names().from_label(text)
    if code is None:
        raise argparse.ArgumentTypeError(
            f"wilayah '{text}' tidak dikenal; tulis kode Kemendagri (00 = nasional, "
            "64 = Kalimantan Timur, 64.71 = Kota Balikpapan) atau namanya"
        )
    return code


REGION_HELP = (
    "wilayah berkas harga rata-rata wilayah yang tidak menyebutnya sendiri (kode atau nama, "
    "mis. 00 = nasional, 64 = Kalimantan Timur)"
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="siharpa", description="SIHARPA: harga pasar Kabupaten Penajam Paser Utara")
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--data-dir", help="folder data (bawaan: $SIHARPA_DATA_DIR, atau ./data)")
        return p

    p = command("ingest", "muat berkas ke gudang data")
    p.add_argument("--dataset", choices=DATASET_NAMES)
    p.add_argument("--as-of", type=_date, help="tanggal 'hari ini' untuk pemeriksaan tanggal masa depan")
    p.add_argument("--no-publish", action="store_true", help="jangan terbitkan berkas serving sesudahnya")
    p.add_argument("--submitted-by", help="nama pengirim yang dicatat di audit")
    p.add_argument("--json", action="store_true", help="cetak ringkasan per berkas sebagai JSON")
    p.add_argument("--region", type=_region, help=REGION_HELP)
    p.add_argument("files", nargs="+", type=Path)

    p = command("validate", "periksa berkas tanpa menyimpan apa pun")
    p.add_argument("--dataset", choices=DATASET_NAMES)
    p.add_argument("--as-of", type=_date)
    p.add_argument("--json", action="store_true")
    p.add_argument("--region", type=_region, help=REGION_HELP)
    p.add_argument("files", nargs="+", type=Path)

    p = command(
        "reference",
        "impor paket wilayah (markets.csv, commodity_aliases.csv, reference_prices.csv) atau "
        "tampilkan impor yang sudah ada",
    )
    p.add_argument("action", choices=("import", "list"))
    p.add_argument("folder", nargs="?", type=Path, help="folder paket wilayah (untuk import)")

    p = command("publish", "perbarui indikator dan terbitkan berkas serving")
    p.add_argument("--full", action="store_true", help="hitung ulang semua indikator dari awal")

    p = command("extract", "buat ekstrak data untuk Bappeda dari berkas serving")
    p.add_argument("--out", type=Path, required=True, help="berkas .duckdb/.xlsx, atau folder (parquet, csv)")
    p.add_argument("--from", dest="start", type=_date, help="tanggal awal (YYYY-MM-DD)")
    p.add_argument("--to", dest="end", type=_date, help="tanggal akhir (YYYY-MM-DD)")
    p.add_argument(
        "--datasets", default=",".join(DATASET_NAMES), help=f"dipisah koma (bawaan: {','.join(DATASET_NAMES)})"
    )
    p.add_argument("--with-audit", action="store_true", help="sertakan tabel audit dan riwayat harga")
    p.add_argument("--format", choices=FORMATS, default="duckdb")
    p.add_argument("--force", action="store_true", help="timpa berkas tujuan yang sudah ada (folder tidak pernah)")

    p = command("dictionary", "tulis kamus data (tabel dan kolom terbit) dari keterangan di berkas serving")
    p.add_argument("--out", type=Path, required=True, help="berkas .md atau .html")

    p = command("template", "buat lembar isian harga untuk satu pasar")
    p.add_argument("--market", required=True, help="kode pasar, mis. pasar_waru")
    p.add_argument("--start", type=_date, help="tanggal pertama (bawaan: hari ini, WITA)")
    p.add_argument("--days", type=int, default=7, help="jumlah tanggal (kolom), 1-62")
    p.add_argument("--out", type=Path, required=True, help="berkas .xlsx yang dibuat")

    p = command("user", "tambah atau ganti pengguna halaman unggah (kata sandi dibaca dari stdin)")
    p.add_argument("username")
    p.add_argument("--role", required=True, choices=ROLES)
    p.add_argument("--market", action="append", default=[], help="pasar yang ditugaskan (petugas pencacah)")
    p.add_argument("--name", help="nama lengkap")

    p = command("lake", "danau data (SIHARPA_LAKE): siapkan tabelnya sekali sebelum penulis pertama")
    p.add_argument("action", choices=("setup", "migrate", "maintain"))
    p.add_argument("--from", dest="source", type=Path, help="migrate: berkas gudang satu berkas (warehouse.duckdb)")
    p.add_argument(
        "--days",
        type=int,
        default=7,
        help="maintain: berkas Parquet dan snapshot yang tidak terpakai dihapus bila lebih tua dari ini (hari)",
    )

    p = command("demo", "buat data contoh dan muat ke gudang data")
    p.add_argument("--years", type=int, default=5)
    p.add_argument("--end", type=_date, help="tanggal terakhir data contoh (bawaan: kemarin)")
    p.add_argument("--inbox-files", type=int, default=0, help="berkas terbaru yang ditaruh di inbox, bukan dimuat")
    return parser


def _report(result: FileResult) -> str:
    lines = [
        f"{result.file}: {STATUS_LABELS.get(result.status, result.status)}"
        + (f" — isi: harga {result.content}" if result.content else "")
    ]
    if result.error:
        lines.append(f"  {result.error_message or FILE_ERRORS.get(result.error, result.error)}")
    else:
        lines.append(
            f"  diterima {result.rows_accepted}, ditolak {result.rows_rejected}, "
            f"kosong {result.rows_missing}, ditandai {result.rows_flagged}"
        )
    lines += [f"  catatan: {n}" for n in result.notes]
    lines += [f"  - {r['message']} [{r['reason_code']}]" for r in result.rejections]
    return "\n".join(lines)


def _exit_code(results: list[FileResult]) -> int:
    if any(r.status == "failed" for r in results):
        return 2
    if any(r.status in ("partially_loaded", "rejected") for r in results):
        return 1
    return 0


def _emit(results: list[FileResult], as_json: bool) -> None:
    if as_json:
        print(json.dumps([r.to_json() for r in results], ensure_ascii=False, indent=1, default=str))
    else:
        print("\n".join(_report(r) for r in results))


def _ingest(args, settings: Settings) -> int:
    results = ingest_files(
        args.files, settings, dataset=args.dataset, as_of=args.as_of, submitted_by=args.submitted_by, region=args.region
    )
    _emit(results, args.json)  # what happened to each file, even if publishing then fails
    if not args.no_publish:
        publish(settings)
    return _exit_code(results)


def _validate(args, settings: Settings) -> int:
    as_of = args.as_of or today_wita()
    ref = active_reference(settings)
    results = []
    for path in args.files:
        dataset, verdict = judge_file(path, args.dataset, as_of, None, ref=ref, region=args.region)
        results.append(
            FileResult(
                path.name,
                None,
                dataset,
                verdict.status,
                len(verdict.accepted),
                len(verdict.rejections),
                verdict.rows_missing,
                verdict.rows_flagged,
                verdict.error,
                verdict.error_message,
                verdict.notes,
                rejection_dicts(verdict),
                content_of(dataset, verdict),
            )
        )
    _emit(results, args.json)
    return _exit_code(results)


def _reference(args, settings: Settings) -> int:
    if args.action == "list":
        ref = active_reference(settings)
        print(
            f"Versi data acuan: {ref.version}; {len(ref.markets)} pasar, {len(ref.commodity_aliases)} nama "
            f"komoditas setempat, {len(ref.reference_prices)} harga acuan."
        )
        for folder in sorted(p.name for p in settings.reference_dir.glob("*") if p.is_dir()):
            print(f"  paket {folder}")
        return 0
    if args.folder is None:
        print(
            "Gagal: sebutkan folder paket wilayah, mis. siharpa reference import deploy/paket_balikpapan",
            file=sys.stderr,
        )
        return 2
    try:
        result = import_pack(settings, args.folder)
    except PackError as err:
        print(f"Gagal: {err}", file=sys.stderr)
        return 2
    counts = ", ".join(f"{name} {rows} baris" for name, rows in result.rows.items())
    print(f"Paket wilayah diimpor ({counts}); versi data acuan sekarang {result.version}.")
    publish(settings)
    return 0


def _publish(args, settings: Settings) -> int:
    published_at = publish(settings, full=args.full)
    print(
        f"Indikator diperbarui dan berkas serving diterbitkan: {settings.serving_path} "
        f"({published_at:%d/%m/%Y %H:%M:%S} UTC)"
    )
    return 0


def _extract(args, settings: Settings) -> int:
    scope = Scope(
        tuple(d.strip() for d in args.datasets.split(",") if d.strip()), args.start, args.end, args.with_audit
    )
    try:
        entries = build_extract(settings, args.out, scope, args.format, force=args.force)
    except ExtractError as err:
        print(f"Gagal: {err}", file=sys.stderr)
        return 2
    print(
        f"Ekstrak {args.format} ditulis ke {args.out}: {len(entries)} tabel, "
        f"{sum(e.row_count for e in entries)} baris ({scope.describe()})."
    )
    return 0


def _dictionary(args, settings: Settings) -> int:
    if not settings.serving_path.exists():
        print("Gagal: belum ada data terbit (serving.duckdb); jalankan siharpa publish dulu.", file=sys.stderr)
        return 2
    count = write_dictionary(settings, args.out)
    print(f"Kamus data ({count} tabel) ditulis ke {args.out}")
    return 0


def _template(args, settings: Settings) -> int:
    try:
        data = price_template(args.market, args.start or today_wita(), args.days)
    except ValueError as err:
        print(f"Gagal: {err}", file=sys.stderr)
        return 2
    if not args.out.parent.is_dir():
        print(f"Gagal: folder {args.out.parent} tidak ada; buat dulu atau pilih folder lain.", file=sys.stderr)
        return 2
    args.out.write_bytes(data)
    print(f"Lembar isian {market_name(args.market)} ditulis ke {args.out}")
    return 0


def _user(args, settings: Settings) -> int:
    password = sys.stdin.readline().rstrip("\n") if not sys.stdin.isatty() else getpass.getpass("Kata sandi: ")
    if problem := password_problem(password):
        print(f"Gagal: {problem}", file=sys.stderr)
        return 2
    user = User(args.username, args.name or args.username, args.role, tuple(args.market), hash_password(password))
    path = users_file(settings)
    try:
        save_user(path, user)
    except UsersFileError as err:
        print(f"Gagal: {err}", file=sys.stderr)
        return 2
    print(f"Pengguna {user.username} ({ROLE_LABELS[user.role]}) disimpan di {path}")
    return 0


def _demo(args, settings: Settings) -> int:
    from .demo import load_demo

    summary = load_demo(settings, years=args.years, end=args.end, inbox_files=args.inbox_files)
    print(summary)
    return 0


def _lake(args: argparse.Namespace, settings: Settings) -> int:
    from . import lake

    if args.action == "maintain":
        done = lake.maintain(settings, args.days)
        print(
            f"Danau data dirawat: {done.merged} berkas kecil digabung, {done.expired} snapshot lama dilepas, "
            f"{done.deleted} berkas Parquet tak terpakai dihapus."
        )
        return 0
    lake.setup(settings)
    if args.action == "setup":
        print("Danau data siap: tabel, keterangan dan data acuan dibuat.")
        return 0
    source = args.source or settings.warehouse_path
    for table, rows, digest in lake.migrate(settings, source):
        print(f"{table}: {rows} baris, sha256 {digest}")
    print(f"Gudang {source} dipindahkan ke danau data; jumlah baris sama di setiap tabel.")
    return 0


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = _parser().parse_args(argv)
    settings = Settings.from_env(args.data_dir)
    handlers = {
        "ingest": _ingest,
        "validate": _validate,
        "publish": _publish,
        "extract": _extract,
        "dictionary": _dictionary,
        "template": _template,
        "user": _user,
        "demo": _demo,
        "reference": _reference,
        "lake": _lake,
    }
    try:
        return handlers[args.command](args, settings)
    except WriterBusy as err:
        print(f"Gagal: {err}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        print("Dihentikan.", file=sys.stderr)
        return 130
    except ConfigError as err:
        print(f"Gagal: {err}", file=sys.stderr)
        return 2
    except (OSError, duckdb.Error) as err:  # a full disk, a read-only or damaged file: the reason, not a traceback
        print(f"Gagal: {_storage_problem(err)}", file=sys.stderr)
        return 2
    except Exception as err:
        log_internal_error(f"running siharpa {args.command}", err)
        print("Gagal: terjadi kesalahan internal; rinciannya tercatat di log untuk petugas TI.", file=sys.stderr)
        return 70


def _storage_problem(err: BaseException) -> str:
    text = mask_phone_numbers(str(err))
    if disk_full(err):
        return "disk penuh; kosongkan ruang disk lalu coba lagi. Tidak ada data yang berubah."
    if isinstance(err, OSError):
        return f"{err.strerror or text}: {err.filename or ''}".rstrip(": ") + "."
    if "read-only" in text.lower() or "permission denied" in text.lower():
        return f"berkas gudang data tidak dapat ditulisi (hanya-baca atau tanpa izin): {text}"
    return f"berkas data tidak dapat dibuka (rusak atau sedang dipakai): {text}"


if __name__ == "__main__":
    sys.exit(main())
