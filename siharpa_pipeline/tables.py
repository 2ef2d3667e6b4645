"""The published tables (a contract with dashboards, extracts and Bappeda): columns, types and the Indonesian
descriptions written as COMMENT ON, which are also the data dictionary."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Table:
    name: str  # schema-qualified
    comment: str
    columns: tuple[tuple[str, str, str], ...]  # (name, DuckDB type, comment)

    def ddl(self) -> str:
        cols = ",\n  ".join(f"{n} {t}" for n, t, _ in self.columns)
        return f"CREATE TABLE IF NOT EXISTS {self.name} (\n  {cols}\n)"

    def comments(self) -> list[str]:
        q = lambda s: "'" + s.replace("'", "''") + "'"  # noqa: E731
        out = [f"COMMENT ON TABLE {self.name} IS {q(self.comment)}"]
        out += [f"COMMENT ON COLUMN {self.name}.{n} IS {q(c)}" for n, _, c in self.columns]
        return out


_OBSERVATION = (
    ("observed_on", "DATE", "Tanggal pengamatan harga"),
    ("market_id", "VARCHAR", "Kode pasar (lihat ref.markets)"),
    ("commodity_id", "VARCHAR", "Kode komoditas (lihat ref.commodities)"),
    ("price_idr", "DECIMAL(14,2)", "Harga eceran dalam rupiah per satuan"),
    ("unit", "VARCHAR", "Satuan harga: kg, liter atau tabung"),
    ("file_id", "VARCHAR", "SHA-256 isi berkas sumber (lihat audit.files)"),
    ("sheet", "VARCHAR", "Nama lembar di berkas sumber"),
    ("source_row", "INTEGER", "Nomor baris di berkas sumber, seperti ditampilkan program lembar kerja"),
    ("flags", "VARCHAR", "Tanda mutu data, mis. lonjakan_harian (perubahan > 50% dari pengamatan sebelumnya); "
                         "diterima, menunggu tinjauan"),
    ("loaded_at", "TIMESTAMP", "Waktu dimuat ke gudang data (UTC)"),
)

TABLES: tuple[Table, ...] = (
    Table("ref.commodities", "Daftar komoditas bahan pokok yang dipantau SIHARPA", (
        ("commodity_id", "VARCHAR PRIMARY KEY", "Kode komoditas"),
        ("name", "VARCHAR", "Nama komoditas"),
        ("group_name", "VARCHAR", "Kelompok komoditas"),
        ("unit", "VARCHAR", "Satuan harga"),
        ("typical_low_idr", "DECIMAL(14,2)", "Harga wajar terendah yang lazim (rupiah)"),
        ("typical_high_idr", "DECIMAL(14,2)", "Harga wajar tertinggi yang lazim (rupiah)"),
        ("plausible_min_idr", "DECIMAL(14,2)", "Batas bawah harga yang masih diterima (rupiah)"),
        ("plausible_max_idr", "DECIMAL(14,2)", "Batas atas harga yang masih diterima (rupiah)"),
        ("aliases", "VARCHAR[]", "Nama lain yang dikenali saat membaca berkas"),
        ("basis", "VARCHAR", "Sumber acuan"),
    )),
    Table("ref.markets", "Daftar pasar yang dipantau di Kabupaten Penajam Paser Utara", (
        ("market_id", "VARCHAR PRIMARY KEY", "Kode pasar"),
        ("name", "VARCHAR", "Nama pasar"),
        ("kecamatan_code", "VARCHAR", "Kode kecamatan Kemendagri"),
        ("kecamatan", "VARCHAR", "Nama kecamatan"),
        ("location", "VARCHAR", "Lokasi"),
        ("aliases", "VARCHAR[]", "Nama lain yang dikenali saat membaca berkas"),
        ("basis", "VARCHAR", "Sumber acuan"),
    )),
    Table("ref.regions", "Wilayah administrasi (Kemendagri) dengan jumlah penduduk", (
        ("code", "VARCHAR PRIMARY KEY", "Kode wilayah Kemendagri"),
        ("level", "VARCHAR", "Tingkat: provinsi, kabupaten, kecamatan"),
        ("name", "VARCHAR", "Nama wilayah"),
        ("parent_code", "VARCHAR", "Kode wilayah induk"),
        ("population", "BIGINT", "Jumlah penduduk"),
        ("population_year", "INTEGER", "Tahun data penduduk"),
        ("basis", "VARCHAR", "Sumber acuan"),
    )),
    Table("ref.reference_prices", "Harga acuan pemerintah (HET/HAP) dengan masa berlaku", (
        ("commodity_id", "VARCHAR", "Kode komoditas"),
        ("kind", "VARCHAR", "Jenis acuan: HET (harga eceran tertinggi) atau HAP (harga acuan penjualan)"),
        ("zone", "VARCHAR", "Zona berlaku (2 untuk beras di Kalimantan, national untuk nasional)"),
        ("lower_idr", "DECIMAL(14,2)", "Batas bawah rentang HAP (rupiah); kosong bila acuan satu angka"),
        ("upper_idr", "DECIMAL(14,2)", "Batas atas / nilai HET atau HAP (rupiah)"),
        ("unit", "VARCHAR", "Satuan"),
        ("valid_from", "DATE", "Berlaku sejak"),
        ("valid_to", "DATE", "Berlaku sampai (kosong = masih berlaku)"),
        ("regulation", "VARCHAR", "Dasar peraturan"),
        ("confidence", "VARCHAR", "Catatan keyakinan atas sumber"),
    )),
    Table("audit.files", "Setiap penerimaan berkas (berkas yang sama dua kali = dua penerimaan)", (
        ("receipt_id", "VARCHAR PRIMARY KEY", "Kode penerimaan"),
        ("file_id", "VARCHAR", "SHA-256 isi berkas"),
        ("file_name", "VARCHAR", "Nama berkas seperti dikirim"),
        ("dataset", "VARCHAR", "Jenis data: prices, atau unknown bila tak terbaca"),
        ("submitted_by", "VARCHAR", "Pengirim (nama pengguna), bila diketahui"),
        ("received_at", "TIMESTAMP", "Waktu diterima (UTC)"),
        ("status", "VARCHAR", "loaded, partially_loaded, rejected, failed atau duplicate"),
        ("rows_accepted", "INTEGER", "Jumlah pengamatan diterima (yang identik dihitung sekali)"),
        ("rows_rejected", "INTEGER", "Jumlah pengamatan ditolak"),
        ("rows_missing", "INTEGER", "Jumlah sel harga kosong atau '-' (tidak diamati, bukan kesalahan)"),
        ("rows_flagged", "INTEGER", "Jumlah pengamatan diterima dengan tanda mutu data"),
        ("error", "VARCHAR", "Kode kesalahan tingkat berkas, bila tidak ada yang terbaca"),
        ("error_message", "VARCHAR", "Penjelasan kesalahan tingkat berkas"),
        ("notes", "VARCHAR", "Catatan, mis. lembar yang dilewati"),
        ("archive_path", "VARCHAR", "Lokasi salinan asli di arsip"),
    )),
    Table("audit.rejections", "Setiap pengamatan yang ditolak beserta alasannya", (
        ("receipt_id", "VARCHAR", "Kode penerimaan (lihat audit.files)"),
        ("file_id", "VARCHAR", "SHA-256 isi berkas"),
        ("sheet", "VARCHAR", "Nama lembar"),
        ("source_row", "INTEGER", "Nomor baris seperti ditampilkan program lembar kerja"),
        ("source_column", "VARCHAR", "Judul kolom"),
        ("reason_code", "VARCHAR", "Kode alasan penolakan"),
        ("raw_value", "VARCHAR", "Isi sel seperti dikirim"),
        ("message", "VARCHAR", "Penjelasan dalam Bahasa Indonesia"),
    )),
    Table("audit.publications", "Setiap penerbitan berkas serving untuk dasbor dan ekstrak", (
        ("published_at", "TIMESTAMP", "Waktu terbit (UTC)"),
        ("pipeline_version", "VARCHAR", "Versi pipeline"),
        ("price_observations", "BIGINT", "Jumlah baris core.price_observations saat terbit"),
    )),
    Table("core.price_observations", "Harga terkini per tanggal x pasar x komoditas, dengan asal-usulnya",
          _OBSERVATION),
    Table("core.price_observation_history", "Nilai harga yang digantikan oleh berkas kemudian dengan harga berbeda",
          _OBSERVATION + (
              ("superseded_at", "TIMESTAMP", "Waktu nilai ini digantikan (UTC)"),
              ("superseded_by_file_id", "VARCHAR", "Berkas yang menggantikan nilai ini"),
          )),
)

SCHEMAS = ("ref", "audit", "core", "mart")
