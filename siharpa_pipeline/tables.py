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
        ("monitored", "BOOLEAN", "Dicatat petugas di pasar (bukan hanya varietas nasional dari ekspor PIHPS/Panel "
                                 "Harga)"),
        ("comparable_to", "VARCHAR", "Varietas nasional: komoditas PPU pembandingnya (mis. Beras Kualitas Medium I "
                                     "-> beras_medium)"),
    )),
    Table("ref.markets", "Daftar pasar yang dipantau di Kabupaten Penajam Paser Utara", (
        ("market_id", "VARCHAR PRIMARY KEY", "Kode pasar"),
        ("name", "VARCHAR", "Nama pasar"),
        ("kecamatan_code", "VARCHAR", "Kode kecamatan Kemendagri"),
        ("kecamatan", "VARCHAR", "Nama kecamatan"),
        ("location", "VARCHAR", "Lokasi"),
        ("aliases", "VARCHAR[]", "Nama lain yang dikenali saat membaca berkas"),
        ("basis", "VARCHAR", "Sumber acuan"),
        ("region_code", "VARCHAR", "Kode kabupaten/kota Kemendagri tempat pasar berada (lihat ref.regions)"),
    )),
    Table("ref.commodity_aliases", "Nama komoditas setempat dari paket wilayah (siharpa reference import)", (
        ("alias", "VARCHAR PRIMARY KEY", "Nama seperti ditulis di berkas daerah itu"),
        ("commodity_id", "VARCHAR", "Kode komoditas (lihat ref.commodities)"),
    )),
    Table("ref.regions", "Wilayah: nasional (00), zona HET (Z1-Z3), semua provinsi dan kabupaten/kota "
                         "(Kemendagri 2025), kecamatan PPU dengan jumlah penduduk", (
        ("code", "VARCHAR PRIMARY KEY", "Kode wilayah Kemendagri (00 = nasional, Z1-Z3 = zona HET)"),
        ("level", "VARCHAR", "Tingkat: nasional, zona, provinsi, kabupaten, kota, kecamatan"),
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
        ("dataset", "VARCHAR", "Jenis data: prices, waste_deposits, tourism_visits, calls_112, indicator_values, "
                                        "atau unknown bila tak terbaca"),
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
        ("reference_version", "VARCHAR", "Versi data acuan yang menilai berkas ini: bawaan, atau dengan paket "
                                         "wilayah yang diimpor (lihat audit.reference_imports)"),
        ("content_level", "VARCHAR", "Isi berkas harga: pasar (core.price_observations) atau wilayah "
                                     "(core.region_prices)"),
    )),
    Table("audit.reference_imports", "Setiap impor paket wilayah (pasar, nama komoditas setempat, harga acuan)", (
        ("import_id", "VARCHAR PRIMARY KEY", "Kode impor"),
        ("imported_at", "TIMESTAMP", "Waktu impor (UTC)"),
        ("file_name", "VARCHAR", "Nama berkas di paket"),
        ("sha256", "VARCHAR", "SHA-256 isi berkas"),
        ("rows", "INTEGER", "Jumlah baris yang ditambahkan atau diganti"),
        ("reference_version", "VARCHAR", "Versi data acuan setelah impor"),
    )),
    Table("audit.rejections", "Setiap pengamatan yang ditolak beserta alasannya", (
        ("receipt_id", "VARCHAR", "Kode penerimaan (lihat audit.files)"),
        ("file_id", "VARCHAR", "SHA-256 isi berkas"),
        ("sheet", "VARCHAR", "Nama lembar"),
        ("source_row", "INTEGER", "Nomor baris seperti ditampilkan program lembar kerja"),
        ("source_column", "VARCHAR", "Judul kolom"),
        ("reason_code", "VARCHAR", "Kode alasan penolakan (yang pertama menurut urutan pemeriksaan)"),
        ("raw_value", "VARCHAR", "Isi sel seperti dikirim"),
        ("message", "VARCHAR", "Penjelasan dalam Bahasa Indonesia (semua alasan sel ini)"),
        ("reasons", "VARCHAR", "Semua kode alasan sel ini, dipisah koma, menurut urutan pemeriksaan"),
    )),
    Table("audit.publications", "Setiap penerbitan berkas serving untuk dasbor dan ekstrak", (
        ("published_at", "TIMESTAMP", "Waktu terbit (UTC)"),
        ("pipeline_version", "VARCHAR", "Versi pipeline"),
        ("price_observations", "BIGINT", "Jumlah baris core.price_observations saat terbit"),
    )),
    Table("core.price_observations", "Harga terkini per tanggal x pasar x komoditas, dengan asal-usulnya",
          _OBSERVATION),
    Table("core.region_prices", "Harga rata-rata wilayah (nasional, provinsi, kabupaten/kota, zona) dari "
                                "PIHPS, Panel Harga dan ekspor lain, harian atau bulanan: pembanding harga PPU", (
        ("period", "VARCHAR", "Periode: hari atau bulan"),
        ("period_start", "DATE", "Tanggal, atau hari pertama bulan"),
        ("region_code", "VARCHAR", "Kode wilayah (lihat ref.regions)"),
        ("commodity_id", "VARCHAR", "Kode komoditas (lihat ref.commodities)"),
        ("price_level", "VARCHAR", "Tingkat harga: konsumen, produsen atau grosir"),
        ("source", "VARCHAR", "Sumber: pihps, panel_harga atau lainnya"),
        ("price_idr", "DECIMAL(14,2)", "Harga rata-rata dalam rupiah per satuan"),
        ("unit", "VARCHAR", "Satuan harga"),
        ("file_id", "VARCHAR", "SHA-256 isi berkas sumber (lihat audit.files)"),
        ("sheet", "VARCHAR", "Nama lembar di berkas sumber"),
        ("source_row", "INTEGER", "Nomor baris di berkas sumber"),
        ("loaded_at", "TIMESTAMP", "Waktu dimuat ke gudang data (UTC)"),
    )),
    Table("core.price_observation_history", "Nilai harga yang digantikan oleh berkas kemudian dengan harga berbeda",
          _OBSERVATION + (
              ("superseded_at", "TIMESTAMP", "Waktu nilai ini digantikan (UTC)"),
              ("superseded_by_file_id", "VARCHAR", "Berkas yang menggantikan nilai ini"),
          )),
)

_LINEAGE = (
    ("file_id", "VARCHAR", "SHA-256 isi berkas sumber (lihat audit.files)"),
    ("sheet", "VARCHAR", "Nama lembar di berkas sumber"),
    ("source_row", "INTEGER", "Nomor baris di berkas sumber, seperti ditampilkan program lembar kerja"),
    ("loaded_at", "TIMESTAMP", "Waktu dimuat ke gudang data (UTC)"),
)

QUICK_WIN_TABLES: tuple[Table, ...] = (
    Table("core.waste_deposits", "Setoran sampah ke unit bank sampah (Serbu Gass), satu baris per baris berkas", (
        ("deposited_on", "DATE", "Tanggal setor"),
        ("unit_name", "VARCHAR", "Nama unit bank sampah"),
        ("desa", "VARCHAR", "Desa/kelurahan unit (nama Kemendagri)"),
        ("kecamatan_code", "VARCHAR", "Kode kecamatan Kemendagri"),
        ("waste_category_id", "VARCHAR", "Kode jenis sampah (lihat ref.waste_categories)"),
        ("weight_kg", "DOUBLE", "Berat seperti dicatat di kolom Berat (kg); minyak jelantah dalam liter"),
        ("price_per_kg_idr", "DECIMAL(14,2)", "Harga per kg (rupiah)"),
        ("value_idr", "DECIMAL(16,2)", "Jumlah rupiah seperti dicatat"),
        ("is_donation", "BOOLEAN", "Sedekah sampah (disumbangkan, bukan ditabung)"),
        ("flags", "VARCHAR", "Tanda mutu data: nilai_tidak_sesuai bila jumlah bukan berat x harga (lebih dari "
                             "pembulatan ke rupiah); diterima, menunggu tinjauan"),
    ) + _LINEAGE),
    Table("core.tourism_visits", "Kunjungan wisatawan per destinasi per bulan (Puspita)", (
        ("month", "DATE", "Bulan (tanggal 1)"),
        ("destination_id", "VARCHAR", "Kode destinasi (lihat ref.destinations)"),
        ("domestic_visits", "BIGINT", "Kunjungan wisatawan nusantara"),
        ("foreign_visits", "BIGINT", "Kunjungan wisatawan mancanegara"),
        ("fee_revenue_idr", "DECIMAL(16,2)", "Pendapatan retribusi (rupiah)"),
    ) + _LINEAGE),
    Table("core.calls_112", "Panggilan ke Call Center 112; penelepon hanya sebagai hash, nomor di teks disamarkan", (
        ("call_id", "VARCHAR", "ID laporan"),
        ("received_at", "TIMESTAMP", "Waktu panggilan diterima (WITA, seperti dicatat)"),
        ("caller_hash", "VARCHAR", "HMAC-SHA256 nomor penelepon dengan kunci SIHARPA_PII_KEY (bukan nomornya)"),
        ("category_id", "VARCHAR", "Kode kategori (lihat ref.calls_112_categories)"),
        ("kecamatan_code", "VARCHAR", "Kode kecamatan Kemendagri lokasi kejadian"),
        ("desa", "VARCHAR", "Desa/kelurahan lokasi kejadian"),
        ("agency", "VARCHAR", "Instansi yang menerima penerusan"),
        ("dispatched_at", "TIMESTAMP", "Waktu diteruskan ke instansi (WITA)"),
        ("arrived_at", "TIMESTAMP", "Waktu petugas tiba (WITA)"),
        ("closed_at", "TIMESTAMP", "Waktu laporan selesai/ditutup (WITA)"),
        ("status", "VARCHAR", "Status laporan"),
        ("duration_s", "INTEGER", "Durasi panggilan (detik)"),
        ("description", "VARCHAR", "Deskripsi; nomor telepon di dalamnya disamarkan"),
    ) + _LINEAGE),
    Table("core.indicator_values", "Capaian indikator masterplan smart city per periode, dari lembar indikator", (
        ("dimension", "VARCHAR", "Dimensi smart city"),
        ("program", "VARCHAR", "Program quick win"),
        ("indicator", "VARCHAR", "Nama indikator"),
        ("unit", "VARCHAR", "Satuan"),
        ("period", "VARCHAR", "Periode, mis. TW 3 2026"),
        ("period_start", "DATE", "Hari pertama periode"),
        ("target", "DOUBLE", "Target"),
        ("actual", "DOUBLE", "Realisasi"),
        ("agency", "VARCHAR", "Perangkat daerah pelapor"),
    ) + _LINEAGE),
)

REFERENCE_TABLES: tuple[Table, ...] = (
    Table("ref.desa_kelurahan", "Desa dan kelurahan di Kabupaten Penajam Paser Utara (Kemendagri)", (
        ("kode_kemendagri", "VARCHAR PRIMARY KEY", "Kode desa/kelurahan Kemendagri"),
        ("nama", "VARCHAR", "Nama desa/kelurahan"),
        ("tipe", "VARCHAR", "desa atau kelurahan"),
        ("kode_kecamatan", "VARCHAR", "Kode kecamatan"),
        ("nama_kecamatan", "VARCHAR", "Nama kecamatan"),
    )),
    Table("ref.waste_categories", "Jenis sampah yang diterima bank sampah dan harga lazimnya", (
        ("category_id", "VARCHAR PRIMARY KEY", "Kode jenis sampah"),
        ("name", "VARCHAR", "Nama jenis sampah"),
        ("group_name", "VARCHAR", "Kelompok: plastik, kertas, logam, kaca, lainnya"),
        ("unit", "VARCHAR", "Satuan"),
        ("typical_low_idr_per_unit", "DECIMAL(14,2)", "Harga lazim terendah per satuan (rupiah)"),
        ("typical_high_idr_per_unit", "DECIMAL(14,2)", "Harga lazim tertinggi per satuan (rupiah)"),
    )),
    Table("ref.destinations", "Destinasi wisata yang melapor kunjungan", (
        ("destination_id", "VARCHAR PRIMARY KEY", "Kode destinasi"),
        ("name", "VARCHAR", "Nama destinasi"),
        ("kecamatan_code", "VARCHAR", "Kode kecamatan"),
        ("kecamatan", "VARCHAR", "Nama kecamatan"),
        ("kind", "VARCHAR", "Jenis destinasi"),
    )),
    Table("ref.calls_112_categories", "Kategori panggilan Call Center 112", (
        ("category_id", "VARCHAR PRIMARY KEY", "Kode kategori"),
        ("name", "VARCHAR", "Nama kategori"),
        ("is_emergency", "BOOLEAN", "Kedaruratan (bukan iseng, kosong, informasi atau pengaduan)"),
        ("typical_agency", "VARCHAR", "Instansi yang lazim menangani"),
    )),
    Table("ref.masterplan_quick_wins", "Enam dimensi smart city masterplan PPU dan quick win masing-masing", (
        ("dimension", "VARCHAR PRIMARY KEY", "Dimensi smart city"),
        ("quick_win", "VARCHAR", "Nama quick win"),
        ("quick_win_expansion", "VARCHAR", "Kepanjangan nama quick win"),
        ("dataset", "VARCHAR", "Data yang menjadi dasarnya"),
        ("example_indicators", "VARCHAR", "Contoh indikator"),
    )),
)

TABLES = TABLES + QUICK_WIN_TABLES + REFERENCE_TABLES

SCHEMAS = ("ref", "audit", "core", "mart")
