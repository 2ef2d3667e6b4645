"""The published tables (a contract with dashboards, extracts and Bappeda): columns, types and the Indonesian
descriptions written as COMMENT ON, which are also the data dictionary."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Table:
    name: str  # schema-qualified
    comment: str
    columns: tuple[tuple[str, str, str], ...]  # (name, DuckDB type, comment)

    def ddl(self, constraints: bool = True) -> str:
        cols = ",\n  ".join(f"{n} {t if constraints else t.split()[0]}" for n, t, _ in self.columns)
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
    (
        "flags",
        "VARCHAR",
        "Tanda mutu data, mis. lonjakan_harian (perubahan > 50% dari pengamatan sebelumnya); "
        "diterima, menunggu tinjauan",
    ),
    ("loaded_at", "TIMESTAMP", "Waktu dimuat ke gudang data (UTC)"),
)

TABLES: tuple[Table, ...] = (
    Table(
        "ref.commodities",
        "Daftar komoditas bahan pokok yang dipantau SIHARPA",
        (
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
            (
                "monitored",
                "BOOLEAN",
                "Dicatat petugas di pasar (bukan hanya varietas nasional dari ekspor PIHPS/Panel Harga)",
            ),
            (
                "comparable_to",
                "VARCHAR",
                "Varietas nasional: komoditas PPU pembandingnya (mis. Beras Kualitas Medium I -> beras_medium)",
            ),
        ),
    ),
    Table(
        "ref.markets",
        "Daftar pasar yang dipantau di Kabupaten Penajam Paser Utara",
        (
            ("market_id", "VARCHAR PRIMARY KEY", "Kode pasar"),
            ("name", "VARCHAR", "Nama pasar"),
            ("kecamatan_code", "VARCHAR", "Kode kecamatan Kemendagri"),
            ("kecamatan", "VARCHAR", "Nama kecamatan"),
            ("location", "VARCHAR", "Lokasi"),
            ("aliases", "VARCHAR[]", "Nama lain yang dikenali saat membaca berkas"),
            ("basis", "VARCHAR", "Sumber acuan"),
            ("region_code", "VARCHAR", "Kode kabupaten/kota Kemendagri tempat pasar berada (lihat ref.regions)"),
        ),
    ),
    Table(
        "ref.commodity_aliases",
        "Nama komoditas setempat dari paket wilayah (siharpa reference import)",
        (
            ("alias", "VARCHAR PRIMARY KEY", "Nama seperti ditulis di berkas daerah itu"),
            ("commodity_id", "VARCHAR", "Kode komoditas (lihat ref.commodities)"),
        ),
    ),
    Table(
        "ref.regions",
        "Wilayah: nasional (00), zona HET (Z1-Z3), semua provinsi dan kabupaten/kota "
        "(Kemendagri 2025), kecamatan PPU dengan jumlah penduduk",
        (
            ("code", "VARCHAR PRIMARY KEY", "Kode wilayah Kemendagri (00 = nasional, Z1-Z3 = zona HET)"),
            ("level", "VARCHAR", "Tingkat: nasional, zona, provinsi, kabupaten, kota, kecamatan"),
            ("name", "VARCHAR", "Nama wilayah"),
            ("parent_code", "VARCHAR", "Kode wilayah induk"),
            ("population", "BIGINT", "Jumlah penduduk"),
            ("population_year", "INTEGER", "Tahun data penduduk"),
            ("basis", "VARCHAR", "Sumber acuan"),
        ),
    ),
    Table(
        "ref.reference_prices",
        "Harga acuan pemerintah (HET/HAP) dengan masa berlaku",
        (
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
        ),
    ),
    Table(
        "audit.files",
        "Setiap penerimaan berkas (berkas yang sama dua kali = dua penerimaan)",
        (
            ("receipt_id", "VARCHAR PRIMARY KEY", "Kode penerimaan"),
            ("file_id", "VARCHAR", "SHA-256 isi berkas"),
            ("file_name", "VARCHAR", "Nama berkas seperti dikirim"),
            (
                "dataset",
                "VARCHAR",
                "Jenis data: prices, waste_deposits, tourism_visits, calls_112, indicator_values, "
                "atau unknown bila tak terbaca",
            ),
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
            (
                "reference_version",
                "VARCHAR",
                "Versi data acuan yang menilai berkas ini: bawaan, atau dengan paket "
                "wilayah yang diimpor (lihat audit.reference_imports)",
            ),
            (
                "content_level",
                "VARCHAR",
                "Isi berkas harga: pasar (core.price_observations) atau wilayah (core.region_prices)",
            ),
        ),
    ),
    Table(
        "audit.reference_imports",
        "Setiap impor paket wilayah (pasar, nama komoditas setempat, harga acuan)",
        (
            ("import_id", "VARCHAR PRIMARY KEY", "Kode impor"),
            ("imported_at", "TIMESTAMP", "Waktu impor (UTC)"),
            ("file_name", "VARCHAR", "Nama berkas di paket"),
            ("sha256", "VARCHAR", "SHA-256 isi berkas"),
            ("rows", "INTEGER", "Jumlah baris yang ditambahkan atau diganti"),
            ("reference_version", "VARCHAR", "Versi data acuan setelah impor"),
        ),
    ),
    Table(
        "audit.rejections",
        "Setiap pengamatan yang ditolak beserta alasannya",
        (
            ("receipt_id", "VARCHAR", "Kode penerimaan (lihat audit.files)"),
            ("file_id", "VARCHAR", "SHA-256 isi berkas"),
            ("sheet", "VARCHAR", "Nama lembar"),
            ("source_row", "INTEGER", "Nomor baris seperti ditampilkan program lembar kerja"),
            ("source_column", "VARCHAR", "Judul kolom"),
            ("reason_code", "VARCHAR", "Kode alasan penolakan (yang pertama menurut urutan pemeriksaan)"),
            ("raw_value", "VARCHAR", "Isi sel seperti dikirim"),
            ("message", "VARCHAR", "Penjelasan dalam Bahasa Indonesia (semua alasan sel ini)"),
            ("reasons", "VARCHAR", "Semua kode alasan sel ini, dipisah koma, menurut urutan pemeriksaan"),
        ),
    ),
    Table(
        "audit.mart_refreshes",
        "Setiap pembaruan indikator (mart) per wilayah: penuh atau bertahap, sampai pemuatan mana",
        (
            ("refreshed_at", "TIMESTAMP", "Waktu pembaruan (UTC)"),
            ("region_code", "VARCHAR", "Kode kabupaten/kota yang indikatornya diperbarui"),
            ("loaded_up_to", "TIMESTAMP", "Pemuatan terakhir wilayah itu yang sudah dihitung (UTC)"),
            ("mode", "VARCHAR", "full (penuh) atau incremental (bertahap)"),
            ("commodities", "INTEGER", "Jumlah komoditas yang dihitung ulang"),
            ("seconds", "DOUBLE", "Lama pembaruan (detik)"),
        ),
    ),
    Table(
        "audit.quick_win_refreshes",
        "Setiap pembangunan ulang mart quick win, dengan keadaan tabel core yang dipakainya",
        (
            ("refreshed_at", "TIMESTAMP", "Waktu pembaruan (UTC)"),
            ("source", "VARCHAR", "Pemuatan terakhir tiap tabel core quick win saat itu"),
        ),
    ),
    Table(
        "audit.mart_refresh_turns",
        "Satu baris yang dinaikkan setiap pembaruan indikator: dua pembaruan serentak di danau data tidak "
        "keduanya tersimpan, yang kedua diulang",
        (("turns", "BIGINT", "Jumlah pembaruan indikator sejauh ini"),),
    ),
    Table(
        "audit.publications",
        "Setiap penerbitan berkas serving untuk dasbor dan ekstrak",
        (
            ("published_at", "TIMESTAMP", "Waktu terbit (UTC)"),
            ("pipeline_version", "VARCHAR", "Versi pipeline"),
            ("price_observations", "BIGINT", "Jumlah baris core.price_observations saat terbit"),
            ("snapshot_id", "BIGINT", "Snapshot DuckLake yang diterbitkan (kosong untuk gudang satu berkas DuckDB)"),
        ),
    ),
    Table(
        "core.price_observations", "Harga terkini per tanggal x pasar x komoditas, dengan asal-usulnya", _OBSERVATION
    ),
    Table(
        "core.region_prices",
        "Harga rata-rata wilayah (nasional, provinsi, kabupaten/kota, zona) dari "
        "PIHPS, Panel Harga dan ekspor lain, harian atau bulanan: pembanding harga PPU",
        (
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
        ),
    ),
    Table(
        "core.price_observation_history",
        "Nilai harga yang digantikan oleh berkas kemudian dengan harga berbeda",
        _OBSERVATION
        + (
            ("superseded_at", "TIMESTAMP", "Waktu nilai ini digantikan (UTC)"),
            ("superseded_by_file_id", "VARCHAR", "Berkas yang menggantikan nilai ini"),
        ),
    ),
)

_LINEAGE = (
    ("file_id", "VARCHAR", "SHA-256 isi berkas sumber (lihat audit.files)"),
    ("sheet", "VARCHAR", "Nama lembar di berkas sumber"),
    ("source_row", "INTEGER", "Nomor baris di berkas sumber, seperti ditampilkan program lembar kerja"),
    ("loaded_at", "TIMESTAMP", "Waktu dimuat ke gudang data (UTC)"),
)

QUICK_WIN_TABLES: tuple[Table, ...] = (
    Table(
        "core.waste_deposits",
        "Setoran sampah ke unit bank sampah (Serbu Gass), satu baris per baris berkas",
        (
            ("deposited_on", "DATE", "Tanggal setor"),
            ("unit_name", "VARCHAR", "Nama unit bank sampah"),
            ("desa", "VARCHAR", "Desa/kelurahan unit (nama Kemendagri)"),
            ("kecamatan_code", "VARCHAR", "Kode kecamatan Kemendagri"),
            ("waste_category_id", "VARCHAR", "Kode jenis sampah (lihat ref.waste_categories)"),
            ("weight_kg", "DOUBLE", "Berat seperti dicatat di kolom Berat (kg); minyak jelantah dalam liter"),
            ("price_per_kg_idr", "DECIMAL(14,2)", "Harga per kg (rupiah)"),
            ("value_idr", "DECIMAL(16,2)", "Jumlah rupiah seperti dicatat"),
            ("is_donation", "BOOLEAN", "Sedekah sampah (disumbangkan, bukan ditabung)"),
            (
                "flags",
                "VARCHAR",
                "Tanda mutu data: nilai_tidak_sesuai bila jumlah bukan berat x harga (lebih dari "
                "pembulatan ke rupiah); diterima, menunggu tinjauan",
            ),
        )
        + _LINEAGE,
    ),
    Table(
        "core.tourism_visits",
        "Kunjungan wisatawan per destinasi per bulan (Puspita)",
        (
            ("month", "DATE", "Bulan (tanggal 1)"),
            ("destination_id", "VARCHAR", "Kode destinasi (lihat ref.destinations)"),
            ("domestic_visits", "BIGINT", "Kunjungan wisatawan nusantara"),
            ("foreign_visits", "BIGINT", "Kunjungan wisatawan mancanegara"),
            ("fee_revenue_idr", "DECIMAL(16,2)", "Pendapatan retribusi (rupiah)"),
        )
        + _LINEAGE,
    ),
    Table(
        "core.calls_112",
        "Panggilan ke Call Center 112; penelepon hanya sebagai hash, nomor di teks disamarkan",
        (
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
        )
        + _LINEAGE,
    ),
    Table(
        "core.indicator_values",
        "Capaian indikator masterplan smart city per periode, dari lembar indikator",
        (
            ("dimension", "VARCHAR", "Dimensi smart city"),
            ("program", "VARCHAR", "Program quick win"),
            ("indicator", "VARCHAR", "Nama indikator"),
            ("unit", "VARCHAR", "Satuan"),
            ("period", "VARCHAR", "Periode, mis. TW 3 2026"),
            ("period_start", "DATE", "Hari pertama periode"),
            ("target", "DOUBLE", "Target"),
            ("actual", "DOUBLE", "Realisasi"),
            ("agency", "VARCHAR", "Perangkat daerah pelapor"),
        )
        + _LINEAGE,
    ),
)

REFERENCE_TABLES: tuple[Table, ...] = (
    Table(
        "ref.desa_kelurahan",
        "Desa dan kelurahan di Kabupaten Penajam Paser Utara (Kemendagri)",
        (
            ("kode_kemendagri", "VARCHAR PRIMARY KEY", "Kode desa/kelurahan Kemendagri"),
            ("nama", "VARCHAR", "Nama desa/kelurahan"),
            ("tipe", "VARCHAR", "desa atau kelurahan"),
            ("kode_kecamatan", "VARCHAR", "Kode kecamatan"),
            ("nama_kecamatan", "VARCHAR", "Nama kecamatan"),
        ),
    ),
    Table(
        "ref.waste_categories",
        "Jenis sampah yang diterima bank sampah dan harga lazimnya",
        (
            ("category_id", "VARCHAR PRIMARY KEY", "Kode jenis sampah"),
            ("name", "VARCHAR", "Nama jenis sampah"),
            ("group_name", "VARCHAR", "Kelompok: plastik, kertas, logam, kaca, lainnya"),
            ("unit", "VARCHAR", "Satuan"),
            ("typical_low_idr_per_unit", "DECIMAL(14,2)", "Harga lazim terendah per satuan (rupiah)"),
            ("typical_high_idr_per_unit", "DECIMAL(14,2)", "Harga lazim tertinggi per satuan (rupiah)"),
        ),
    ),
    Table(
        "ref.destinations",
        "Destinasi wisata yang melapor kunjungan",
        (
            ("destination_id", "VARCHAR PRIMARY KEY", "Kode destinasi"),
            ("name", "VARCHAR", "Nama destinasi"),
            ("kecamatan_code", "VARCHAR", "Kode kecamatan"),
            ("kecamatan", "VARCHAR", "Nama kecamatan"),
            ("kind", "VARCHAR", "Jenis destinasi"),
        ),
    ),
    Table(
        "ref.calls_112_categories",
        "Kategori panggilan Call Center 112",
        (
            ("category_id", "VARCHAR PRIMARY KEY", "Kode kategori"),
            ("name", "VARCHAR", "Nama kategori"),
            ("is_emergency", "BOOLEAN", "Kedaruratan (bukan iseng, kosong, informasi atau pengaduan)"),
            ("typical_agency", "VARCHAR", "Instansi yang lazim menangani"),
        ),
    ),
    Table(
        "ref.masterplan_quick_wins",
        "Enam dimensi smart city masterplan PPU dan quick win masing-masing",
        (
            ("dimension", "VARCHAR PRIMARY KEY", "Dimensi smart city"),
            ("quick_win", "VARCHAR", "Nama quick win"),
            ("quick_win_expansion", "VARCHAR", "Kepanjangan nama quick win"),
            ("dataset", "VARCHAR", "Data yang menjadi dasarnya"),
            ("example_indicators", "VARCHAR", "Contoh indikator"),
        ),
    ),
)

TABLES = TABLES + QUICK_WIN_TABLES + REFERENCE_TABLES

SCHEMAS = ("ref", "audit", "core", "mart")

# mart: what the indicators publish (indicators.py, comparisons.py and quickwin_marts.py fill them)
ABOVE_NATIONAL_WEEKS = 4  # PPU above the national price this many weeks running: an alert

MARTS: tuple[Table, ...] = (
    Table(
        "mart.price_ppu_daily",
        "Harga kabupaten/kota per hari (PPU dan wilayah lain di gudang): rata-rata pasar wilayah itu yang melapor "
        "komoditas itu pada hari itu",
        (
            ("region_code", "VARCHAR", "Kode kabupaten/kota (lihat ref.regions; 64.09 = PPU)"),
            ("observed_on", "DATE", "Tanggal"),
            ("commodity_id", "VARCHAR", "Kode komoditas"),
            ("price_idr", "DOUBLE", "Harga rata-rata wilayah (rupiah per satuan)"),
            ("n_markets", "INTEGER", "Jumlah pasar yang melapor"),
            ("min_idr", "DOUBLE", "Harga terendah antar pasar (rupiah)"),
            ("max_idr", "DOUBLE", "Harga tertinggi antar pasar (rupiah)"),
            ("min_market_id", "VARCHAR", "Pasar dengan harga terendah"),
            ("max_market_id", "VARCHAR", "Pasar dengan harga tertinggi"),
            ("spread_idr", "DOUBLE", "Selisih harga tertinggi dan terendah (rupiah)"),
            ("cv_markets_pct", "DOUBLE", "Koefisien variasi antar pasar (persen; kosong bila kurang dari 2 pasar)"),
        ),
    ),
    Table(
        "mart.price_monthly",
        "Rata-rata harga bulanan per pasar dan tingkat wilayah (market_id kosong = rata-rata wilayah)",
        (
            ("region_code", "VARCHAR", "Kode kabupaten/kota (lihat ref.regions; 64.09 = PPU)"),
            ("month", "DATE", "Bulan (tanggal 1)"),
            ("market_id", "VARCHAR", "Kode pasar; kosong untuk harga rata-rata wilayah"),
            ("commodity_id", "VARCHAR", "Kode komoditas"),
            ("price_idr", "DOUBLE", "Rata-rata harga harian bulan itu (rupiah per satuan)"),
            ("n_days", "INTEGER", "Jumlah hari berdata"),
        ),
    ),
    Table(
        "mart.price_changes",
        "Perubahan harga per pasar dan tingkat wilayah (market_id kosong = rata-rata wilayah)",
        (
            ("region_code", "VARCHAR", "Kode kabupaten/kota (lihat ref.regions; 64.09 = PPU)"),
            ("observed_on", "DATE", "Tanggal"),
            ("market_id", "VARCHAR", "Kode pasar; kosong untuk harga rata-rata wilayah"),
            ("commodity_id", "VARCHAR", "Kode komoditas"),
            ("price_idr", "DOUBLE", "Harga (rupiah per satuan)"),
            ("dod_base_on", "DATE", "Tanggal pembanding harian: pengamatan terakhir pada atau sebelum kemarin"),
            ("dod_pct", "DOUBLE", "Perubahan harian (persen)"),
            ("wow_base_on", "DATE", "Tanggal pembanding mingguan: pengamatan terakhir pada atau sebelum 7 hari lalu"),
            ("wow_pct", "DOUBLE", "Perubahan mingguan (persen)"),
            ("mtm_pct", "DOUBLE", "Rata-rata bulan berjalan dibanding rata-rata bulan lalu (persen)"),
            ("yoy_pct", "DOUBLE", "Rata-rata bulan berjalan dibanding bulan yang sama tahun lalu (persen)"),
            ("ytd_pct", "DOUBLE", "Rata-rata bulan berjalan dibanding rata-rata Desember tahun lalu (persen)"),
        ),
    ),
    Table(
        "mart.price_reference_status",
        "Harga dibanding HET/HAP yang berlaku pada tanggalnya (market_id kosong = rata-rata wilayah)",
        (
            ("region_code", "VARCHAR", "Kode kabupaten/kota (lihat ref.regions; 64.09 = PPU)"),
            ("observed_on", "DATE", "Tanggal"),
            ("market_id", "VARCHAR", "Kode pasar; kosong untuk harga rata-rata wilayah"),
            ("commodity_id", "VARCHAR", "Kode komoditas"),
            ("price_idr", "DOUBLE", "Harga (rupiah per satuan)"),
            ("reference_kind", "VARCHAR", "HET atau HAP"),
            ("reference_lower_idr", "DOUBLE", "Batas bawah HAP (rupiah), bila berupa rentang"),
            ("reference_upper_idr", "DOUBLE", "HET atau batas atas HAP (rupiah)"),
            ("vs_reference_pct", "DOUBLE", "Selisih terhadap batas atas (persen)"),
            ("band", "VARCHAR", "above (di atas), within (dalam batas), below (di bawah batas bawah rentang)"),
        ),
    ),
    Table(
        "mart.reference_breaches_daily",
        "Jumlah dan bagian pasar di atas HET/HAP per hari",
        (
            ("region_code", "VARCHAR", "Kode kabupaten/kota (lihat ref.regions; 64.09 = PPU)"),
            ("observed_on", "DATE", "Tanggal"),
            ("commodity_id", "VARCHAR", "Kode komoditas"),
            ("n_markets", "INTEGER", "Jumlah pasar yang melapor"),
            ("n_above", "INTEGER", "Jumlah pasar di atas HET/HAP"),
            ("share_above_pct", "DOUBLE", "Bagian pasar di atas HET/HAP (persen)"),
        ),
    ),
    Table(
        "mart.price_volatility",
        "Volatilitas: koefisien variasi harga harian wilayah antar waktu",
        (
            ("region_code", "VARCHAR", "Kode kabupaten/kota (lihat ref.regions; 64.09 = PPU)"),
            ("commodity_id", "VARCHAR", "Kode komoditas"),
            ("window_days", "INTEGER", "Jendela bergulir 30, 90 atau 365 hari; kosong untuk satu tahun kalender"),
            ("period_end", "DATE", "Akhir jendela (untuk tahun kalender: tanggal terakhir tahun itu yang berdata)"),
            ("n_days", "INTEGER", "Jumlah hari berdata dalam jendela"),
            ("cv_pct", "DOUBLE", "Koefisien variasi (persen); target di bawah 9%"),
        ),
    ),
    Table(
        "mart.price_disparity_monthly",
        "Disparitas antar pasar per bulan: KV rata-rata bulanan tiap pasar",
        (
            ("region_code", "VARCHAR", "Kode kabupaten/kota (lihat ref.regions; 64.09 = PPU)"),
            ("month", "DATE", "Bulan (tanggal 1)"),
            ("commodity_id", "VARCHAR", "Kode komoditas"),
            ("n_markets", "INTEGER", "Jumlah pasar"),
            ("cv_markets_pct", "DOUBLE", "Koefisien variasi antar pasar (persen); target di bawah 13,8%"),
            ("highest_market_id", "VARCHAR", "Pasar termahal"),
            ("highest_idr", "DOUBLE", "Rata-rata bulanan pasar termahal (rupiah)"),
            ("lowest_market_id", "VARCHAR", "Pasar termurah"),
            ("lowest_idr", "DOUBLE", "Rata-rata bulanan pasar termurah (rupiah)"),
            ("spread_idr", "DOUBLE", "Selisih termahal dan termurah (rupiah)"),
        ),
    ),
    Table(
        "mart.stability_headline",
        "Capaian tahunan: rata-rata KV antar waktu dan antar pasar semua komoditas",
        (
            ("region_code", "VARCHAR", "Kode kabupaten/kota (lihat ref.regions; 64.09 = PPU)"),
            ("year", "INTEGER", "Tahun"),
            ("n_commodities", "INTEGER", "Jumlah komoditas"),
            ("cv_time_mean_pct", "DOUBLE", "Rata-rata KV antar waktu per komoditas (persen)"),
            ("cv_time_target_pct", "DOUBLE", "Target KV antar waktu (persen)"),
            (
                "cv_markets_mean_pct",
                "DOUBLE",
                "Rata-rata KV antar pasar (rata-rata tahunan tiap pasar) per komoditas (persen)",
            ),
            ("cv_markets_target_pct", "DOUBLE", "Target KV antar wilayah (persen)"),
        ),
    ),
    Table(
        "mart.price_early_warning",
        "Peringatan dini bulanan per komoditas: WFP ALPS dan FAO IFPA",
        (
            ("region_code", "VARCHAR", "Kode kabupaten/kota (lihat ref.regions; 64.09 = PPU)"),
            ("commodity_id", "VARCHAR", "Kode komoditas"),
            ("method", "VARCHAR", "alps (WFP) atau ifpa (FAO)"),
            ("month", "DATE", "Bulan (tanggal 1); kosong bila riwayat belum cukup"),
            ("price_idr", "DOUBLE", "Rata-rata harga wilayah bulan itu (rupiah)"),
            ("value", "DOUBLE", "Nilai indikator"),
            (
                "class",
                "VARCHAR",
                "ALPS: normal, stress, alert, crisis; IFPA: low, normal, moderately_high, abnormally_high",
            ),
            ("status", "VARCHAR", "ok, atau 'riwayat belum cukup' dengan alasannya"),
        ),
    ),
    Table(
        "mart.price_alerts",
        "Peringatan harga dengan tingkat dan alasan",
        (
            ("region_code", "VARCHAR", "Kode kabupaten/kota (lihat ref.regions; 64.09 = PPU)"),
            ("observed_on", "DATE", "Tanggal (untuk peringatan bulanan: akhir bulan)"),
            ("commodity_id", "VARCHAR", "Kode komoditas"),
            ("market_id", "VARCHAR", "Kode pasar; kosong untuk tingkat wilayah"),
            ("level", "VARCHAR", "waspada, siaga atau awas"),
            ("rule", "VARCHAR", "Aturan: wow_above_10pct, bapanas_15_days, wfp_alps, fao_ifpa"),
            ("since_on", "DATE", "Sejak tanggal"),
            ("message", "VARCHAR", "Alasan dalam Bahasa Indonesia"),
        ),
    ),
    Table(
        "mart.coverage",
        "Pasar yang melapor per hari: jumlah komoditas dan kapan berkasnya diterima",
        (
            ("observed_on", "DATE", "Tanggal (hari pasar: tanggal ada pasar yang melapor)"),
            ("market_id", "VARCHAR", "Kode pasar"),
            ("n_commodities", "INTEGER", "Jumlah komoditas yang dilaporkan"),
            ("received_at", "TIMESTAMP", "Penerimaan pertama berkas berisi harga pasar itu untuk tanggal itu (UTC)"),
            ("on_time", "BOOLEAN", "Berkas diterima paling lambat pukul 12.00 WITA pada tanggal itu"),
        ),
    ),
    Table(
        "mart.market_timeliness",
        "Ketepatan waktu per pasar sejak SIHARPA menerima berkas harga pertama: hari pasar yang berkasnya "
        "diterima sebelum 12.00 WITA",
        (
            ("market_id", "VARCHAR", "Kode pasar"),
            ("market_days", "INTEGER", "Jumlah hari pasar (hari buka pasar itu) sejak berkas harga pertama diterima"),
            ("reported_days", "INTEGER", "Jumlah hari pasar yang dilaporkan pasar ini"),
            ("on_time_days", "INTEGER", "Hari pasar dengan berkas diterima paling lambat 12.00 WITA hari itu"),
            ("on_time_pct", "DOUBLE", "Bagian hari pasar yang tepat waktu (persen)"),
        ),
    ),
)

_GAP = (
    ("region_code", "VARCHAR", "Kode wilayah pembanding (64 = Kalimantan Timur, 00 = nasional, Z2 = zona 2 HET)"),
    ("ppu_price_idr", "DOUBLE", "Harga rata-rata PPU (rupiah per satuan)"),
    ("region_price_idr", "DOUBLE", "Harga rata-rata wilayah pembanding (rupiah per satuan)"),
    ("gap_idr", "DOUBLE", "Selisih harga PPU dikurangi harga wilayah (rupiah)"),
    ("gap_pct", "DOUBLE", "Selisih terhadap harga wilayah (persen)"),
    ("source", "VARCHAR", "Sumber harga wilayah: panel_harga, pihps atau lainnya"),
)

COMPARISON_MARTS: tuple[Table, ...] = (
    Table(
        "mart.region_comparison_daily",
        "Harga harian PPU dibanding provinsi, nasional dan zona HET",
        (
            ("observed_on", "DATE", "Tanggal"),
            ("commodity_id", "VARCHAR", "Kode komoditas PPU (varietas nasional digabung lewat comparable_to)"),
            *_GAP,
        ),
    ),
    Table(
        "mart.region_comparison_monthly",
        "Harga bulanan PPU dibanding provinsi, nasional dan zona HET",
        (
            ("month", "DATE", "Bulan (tanggal 1)"),
            ("commodity_id", "VARCHAR", "Kode komoditas PPU (varietas nasional digabung lewat comparable_to)"),
            *_GAP,
        ),
    ),
    Table(
        "mart.region_above_national_weekly",
        "Minggu demi minggu: apakah harga PPU di atas harga nasional",
        (
            ("week", "DATE", "Minggu (hari Senin)"),
            ("commodity_id", "VARCHAR", "Kode komoditas PPU"),
            ("ppu_price_idr", "DOUBLE", "Rata-rata harga PPU minggu itu (rupiah)"),
            ("national_price_idr", "DOUBLE", "Rata-rata harga nasional minggu itu (rupiah)"),
            ("above", "BOOLEAN", "Harga PPU di atas harga nasional"),
            ("weeks_above", "INTEGER", "Berapa minggu berturut-turut (sampai minggu ini) harga PPU di atas nasional"),
            (
                "alert",
                "BOOLEAN",
                f"Peringatan: di atas nasional {ABOVE_NATIONAL_WEEKS} minggu berturut-turut atau lebih",
            ),
        ),
    ),
)

QUICK_WIN_MARTS: tuple[Table, ...] = (
    Table(
        "mart.waste_monthly",
        "Serbu Gass: setoran bank sampah per bulan, kelompok sampah dan kecamatan",
        (
            ("month", "DATE", "Bulan (tanggal 1)"),
            ("waste_group", "VARCHAR", "Kelompok sampah: plastik, kertas, logam, kaca, lainnya"),
            ("kecamatan_code", "VARCHAR", "Kode kecamatan"),
            ("deposits", "INTEGER", "Jumlah setoran"),
            ("weight_kg", "DOUBLE", "Berat (kg, seperti dicatat; minyak jelantah dalam liter)"),
            ("value_idr", "DOUBLE", "Nilai rupiah untuk nasabah"),
            ("donated_weight_kg", "DOUBLE", "Berat yang disedekahkan (kg)"),
            ("donated_value_idr", "DOUBLE", "Nilai rupiah yang disedekahkan"),
        ),
    ),
    Table(
        "mart.waste_units_monthly",
        "Serbu Gass: unit bank sampah aktif per bulan terhadap target 100 unit",
        (
            ("month", "DATE", "Bulan (tanggal 1)"),
            ("active_units", "INTEGER", "Unit aktif: unit (nama, desa, kecamatan) dengan setidaknya satu setoran"),
            ("target_units", "INTEGER", "Target unit bank sampah"),
            ("achievement_pct", "DOUBLE", "Unit aktif terhadap target (persen)"),
            ("weight_kg", "DOUBLE", "Berat seluruh setoran (kg, seperti dicatat)"),
            ("value_idr", "DOUBLE", "Nilai seluruh setoran (rupiah)"),
            ("donated_share_pct", "DOUBLE", "Bagian berat yang disedekahkan (persen)"),
        ),
    ),
    Table(
        "mart.tourism_monthly",
        "Puspita: kunjungan wisata per destinasi per bulan, dengan pertumbuhan tahunan",
        (
            ("month", "DATE", "Bulan (tanggal 1)"),
            ("destination_id", "VARCHAR", "Kode destinasi"),
            ("domestic_visits", "BIGINT", "Kunjungan wisatawan nusantara"),
            ("foreign_visits", "BIGINT", "Kunjungan wisatawan mancanegara"),
            ("total_visits", "BIGINT", "Seluruh kunjungan"),
            ("fee_revenue_idr", "DOUBLE", "Pendapatan retribusi (rupiah)"),
            ("total_visits_year_ago", "BIGINT", "Seluruh kunjungan pada bulan yang sama setahun sebelumnya"),
            ("yoy_pct", "DOUBLE", "Pertumbuhan terhadap bulan yang sama setahun sebelumnya (persen)"),
        ),
    ),
    Table(
        "mart.calls_112_daily",
        "Call Center 112: panggilan per hari",
        (
            ("day", "DATE", "Tanggal (WITA)"),
            ("calls", "INTEGER", "Jumlah panggilan"),
            ("prank_or_ghost", "INTEGER", "Panggilan iseng atau kosong"),
            ("prank_or_ghost_pct", "DOUBLE", "Bagian panggilan iseng atau kosong (persen)"),
            ("emergencies", "INTEGER", "Panggilan kedaruratan"),
        ),
    ),
    Table(
        "mart.calls_112_response_monthly",
        "Call Center 112: waktu tanggap per bulan (menit)",
        (
            ("month", "DATE", "Bulan (tanggal 1)"),
            ("dispatched", "INTEGER", "Panggilan yang diteruskan ke instansi"),
            (
                "answer_to_dispatch_median_min",
                "DOUBLE",
                "Median waktu dari panggilan diterima sampai diteruskan (menit)",
            ),
            ("answer_to_dispatch_p90_min", "DOUBLE", "Persentil 90 waktu dari diterima sampai diteruskan (menit)"),
            ("dispatch_to_arrival_median_min", "DOUBLE", "Median waktu dari diteruskan sampai petugas tiba (menit)"),
            ("dispatch_to_arrival_p90_min", "DOUBLE", "Persentil 90 waktu dari diteruskan sampai tiba (menit)"),
        ),
    ),
    Table(
        "mart.calls_112_kecamatan_monthly",
        "Call Center 112: kedaruratan per 10.000 penduduk per kecamatan",
        (
            ("month", "DATE", "Bulan (tanggal 1)"),
            ("kecamatan_code", "VARCHAR", "Kode kecamatan"),
            ("emergencies", "INTEGER", "Panggilan kedaruratan dari kecamatan ini"),
            ("population", "BIGINT", "Jumlah penduduk (ref.regions)"),
            ("population_year", "INTEGER", "Tahun data penduduk"),
            ("per_10k_residents", "DOUBLE", "Kedaruratan per 10.000 penduduk"),
        ),
    ),
    Table(
        "mart.indicator_achievement",
        "Capaian indikator masterplan: realisasi terhadap target per periode",
        (
            ("dimension", "VARCHAR", "Dimensi smart city"),
            ("program", "VARCHAR", "Program quick win"),
            ("indicator", "VARCHAR", "Nama indikator"),
            ("unit", "VARCHAR", "Satuan"),
            ("period", "VARCHAR", "Periode"),
            ("period_start", "DATE", "Hari pertama periode"),
            ("target", "DOUBLE", "Target"),
            ("actual", "DOUBLE", "Realisasi"),
            ("achievement_pct", "DOUBLE", "Realisasi / target (persen); kosong bila tanpa target"),
            ("agency", "VARCHAR", "Perangkat daerah pelapor"),
            ("is_latest", "BOOLEAN", "Periode terbaru indikator ini"),
        ),
    ),
    Table(
        "mart.dataset_freshness",
        "Kesegaran tiap jenis data: rentang data dan kapan terakhir dimuat",
        (
            ("dataset", "VARCHAR", "Jenis data"),
            ("rows", "BIGINT", "Jumlah baris di tabel core"),
            ("first_data_on", "DATE", "Tanggal data paling awal"),
            ("last_data_on", "DATE", "Tanggal data paling akhir"),
            ("last_loaded_at", "TIMESTAMP", "Terakhir dimuat (UTC)"),
        ),
    ),
)
