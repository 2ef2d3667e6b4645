"""The enumerator's path, with AppTest on the real app: log in, fetch a template, upload, read the verdict on
their own file, confirm, and follow the file until the sensor has loaded it. Role gates, login limits, session
expiry, and the upload page's defences."""

import datetime as dt
import io
import os
import zipfile
from pathlib import Path

import dagster as dg
import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from assets.definitions import build_definitions
from dashboards.session import login_guard
from siharpa_pipeline import access
from siharpa_pipeline.access import LoginGuard, User, hash_password, log_in, save_user
from siharpa_pipeline.annotate import annotated_workbook
from siharpa_pipeline.ingest import ingest_files, judge_file, rejection_dicts
from siharpa_pipeline.publishing import publish
from siharpa_pipeline.settings import Settings
from siharpa_pipeline.templates import price_template
from siharpa_pipeline.uploads import UploadRefused, check_upload, safe_name

from conftest import AS_OF, EXPECTED, PRICE_SAMPLES, query
from helpers import load_from_inbox

APP = os.path.join(os.path.dirname(__file__), "..", "dashboards", "app.py")
PASSWORD = "rahasia-pasar-2026"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROBLEMS = PRICE_SAMPLES / "contoh_isian_bermasalah.xlsx"


def whole(shown: str) -> int:
    """1.234 as a page shows it."""
    return int(shown.replace(".", ""))


@pytest.fixture
def site(tmp_path, monkeypatch):
    """A published warehouse, three users, and the app pointed at both."""
    settings = Settings(tmp_path / "data")
    ingest_files([PRICE_SAMPLES / "harga_pasar_waru_november_2026.csv"], settings, as_of=AS_OF)
    publish(settings)
    users = tmp_path / "users.toml"
    for user in (
        User("siti", "Siti Aminah", "enumerator", ("pasar_waru",), hash_password(PASSWORD, 4)),
        User("analis", "Analis TPID", "analyst", (), hash_password(PASSWORD, 4)),
        User("admin", "Admin Diskominfo", "admin", (), hash_password(PASSWORD, 4)),
    ):
        save_user(users, user)
    monkeypatch.setenv("SIHARPA_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("SIHARPA_USERS_FILE", str(users))
    login_guard.clear()  # one per server process: each test starts a fresh server's count
    return settings


def app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=60).run()


def log_in_as(username: str, password: str = PASSWORD) -> AppTest:
    at = app()
    at.switch_page("app_pages/masuk.py").run()
    at.text_input[0].input(username)
    at.text_input[1].input(password)
    at.button[0].click().run()
    assert not at.exception, at.exception
    return at


def upload_page(username: str) -> AppTest:
    at = log_in_as(username)
    at.switch_page("app_pages/unggah.py").run()
    assert [t.value for t in at.title] == ["Unggah Data"]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_the_public_cannot_upload_and_an_enumerator_cannot_open_admin_pages(site):
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app().switch_page("app_pages/unggah.py")
    at = log_in_as("siti")
    assert [c.value for c in at.sidebar.caption] == ["Masuk sebagai Siti Aminah (petugas pencacah)"]
    assert [t.value for t in at.title] == ["Unggah Data"]  # where a login lands
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("app_pages/pengguna.py")
    # the pages guard themselves too, whatever registers them
    alone = AppTest.from_file(os.path.join(os.path.dirname(APP), "app_pages", "pengguna.py")).run()
    assert alone.error[0].value == "Halaman ini hanya untuk admin. Silakan masuk."
    admin = log_in_as("admin")
    admin.switch_page("app_pages/pengguna.py").run()
    users = admin.dataframe[0].value
    assert list(users["Pengguna"]) == ["siti", "analis", "admin"]
    assert (
        "password_hash" not in users.columns
        and not users.astype(str).apply(lambda c: c.str.startswith("$2")).any().any()
    )


def test_wrong_passwords_are_rate_limited(site):
    for _ in range(access.MAX_FAILURES):
        assert log_in_as("siti", "salah-salah-salah").error[0].value == "Nama pengguna atau kata sandi salah."
    at = log_in_as("siti")  # the right password, too late
    assert at.error[0].value.startswith("Terlalu banyak percobaan gagal. Coba lagi dalam 15 menit")
    guard, users = LoginGuard(), access.load_users(access.users_file())
    for i in range(access.MAX_FAILURES):
        log_in(users, guard, "analis", "salah-salah-salah", now=1000.0 + i)
    assert log_in(users, guard, "analis", PASSWORD, now=1010.0)[0] is None
    assert log_in(users, guard, "analis", PASSWORD, now=1004.0 + access.LOCKOUT_S + 1)[0].username == "analis"


def test_sessions_expire(site):
    at = log_in_as("siti")
    at.session_state["siharpa_session"].last_seen -= access.SESSION_IDLE_S + 1
    at.run()
    assert at.warning[0].value == "Sesi Anda berakhir. Silakan masuk lagi."
    with pytest.raises(ValueError):
        at.switch_page("app_pages/unggah.py")


def test_login_tokens_are_signed_expire_and_are_revoked(tmp_path):
    settings = Settings(tmp_path / "data")
    key = access.session_key(settings)
    assert key == access.session_key(settings) and (settings.data_dir / ".session_key").stat().st_mode & 0o077 == 0
    tokens = access.SessionTokens(key)
    token, session = tokens.issue("siti", now=1000.0)
    assert tokens.session(token, now=1100.0).username == "siti"
    encoded, signature = token.split(".")
    forged = access.base64.urlsafe_b64encode(b"admin:1000:" + session.token_id.encode()).decode().rstrip("=")
    assert tokens.session(f"{forged}.{signature}", now=1100.0) is None  # another name, same signature
    assert tokens.session(f"{encoded}.{'0' * 64}", now=1100.0) is None
    assert access.SessionTokens(b"another server's key").session(token, now=1100.0) is None
    assert tokens.session("not a token", now=1100.0) is None
    # used every 20 minutes it lives the working day, and not a second longer
    for minute in range(20, int(access.SESSION_MAX_S / 60), 20):
        assert tokens.session(token, now=1000.0 + minute * 60) is not None
    assert tokens.session(token, now=1000.0 + access.SESSION_MAX_S + 1) is None
    idle, _ = tokens.issue("siti", now=5000.0)
    assert tokens.session(idle, now=5000.0 + access.SESSION_IDLE_S + 1) is None
    revoked, session = tokens.issue("siti", now=9000.0)
    tokens.revoke(session.token_id)
    assert tokens.session(revoked, now=9001.0) is None
    restarted = access.SessionTokens(key)  # a restarted server knows no token
    fresh, _ = tokens.issue("siti", now=9000.0)
    assert restarted.session(fresh, now=9001.0) is None


@pytest.mark.parametrize("name", sorted(n for n, e in EXPECTED.items() if e["dataset"] == "prices"))
def test_each_sample_shows_its_expected_counts(site, name):
    expected = EXPECTED[name]
    at = upload_page("analis")
    at.file_uploader[0].upload(
        name, (PRICE_SAMPLES / name).read_bytes(), XLSX if name.endswith("x") else "text/csv"
    ).run()
    assert not at.exception, at.exception
    if expected["file_error"]:
        assert at.error and not at.metric
        return
    assert {k: whole(v) for k, v in metrics(at).items()} == {
        "Diterima": len(expected["accepted"]),
        "Kosong (tidak diamati)": expected["missing_cells"],
        "Ditolak": len(expected["rejected"]),
    }
    if expected["rejected"]:
        grouped, shown = at.dataframe[0].value, at.dataframe[1].value
        assert sorted(zip(shown["Lembar"], shown["Baris"])) == sorted(
            (r["where"]["sheet"], r["where"]["row"]) for r in expected["rejected"]
        )
        assert list(grouped.columns)[:2] == ["Masalah", "Jumlah sel"]  # what is wrong first, on a phone too
        assert sum(map(whole, grouped["Jumlah sel"])) == len(expected["rejected"])
    assert [b.label for b in at.get("download_button")][-1].startswith("Unduh berkas Anda dengan tanda")
    assert query(site.warehouse_path, "SELECT count(*) FROM audit.files") == [(1,)]  # nothing written


def test_an_enumerator_sends_only_for_their_markets(site):
    at = upload_page("siti")
    name = "rekap_harga_harian_2026-11-09.xlsx"
    at.file_uploader[0].upload(name, (PRICE_SAMPLES / name).read_bytes(), XLSX).run()
    grouped, shown = at.dataframe[0].value, at.dataframe[1].value
    _, verdict = judge_file(PRICE_SAMPLES / name, "prices", dt.date.today(), {"pasar_waru"})
    others = verdict.rejections[verdict.rejections["reason_code"] == "market_not_assigned"]
    assert len(others) > 0 and len(shown) == len(verdict.rejections)
    assert any("Anda tidak ditugaskan mencatat harga di pasar" in m for m in shown["Pesan"])
    # one line per market the enumerator may not send for, with the rows it covers
    others_grouped = grouped[grouped["Masalah"].str.startswith("Anda tidak ditugaskan")]
    assert len(others_grouped) == others["raw_value"].nunique()
    assert sum(map(whole, others_grouped["Jumlah sel"])) == len(others)
    assert whole(metrics(at)["Diterima"]) == len(verdict.accepted)
    assert set(verdict.accepted["market_id"].astype(str)) == {"pasar_waru"}


def test_the_annotated_workbook_marks_exactly_the_rejected_cells():
    data = PROBLEMS.read_bytes()
    _, verdict = judge_file(PROBLEMS, "prices", AS_OF, None)
    rejections = rejection_dicts(verdict)
    marked = openpyxl.load_workbook(io.BytesIO(annotated_workbook(PROBLEMS.name, data, rejections)))
    original = openpyxl.load_workbook(io.BytesIO(data))
    red = {
        (ws.title, c.row, c.column)
        for ws in marked
        for row in ws.iter_rows()
        for c in row
        if c.fill.fgColor.rgb == "00FFC7CE"
    }
    assert red == {(r["sheet"], r["row"], r["column_index"] + 1) for r in rejections}
    problems = list(marked["Kesalahan"].values)  # every explanation also on a sheet of its own (print, phone)
    assert [p[3] for p in problems[1:]] == [r["message"] for r in rejections]
    for ws in marked.worksheets[:-1]:
        for row in ws.iter_rows():
            for c in row:
                assert c.value == original[ws.title].cell(c.row, c.column).value  # nothing else changed
                if (ws.title, c.row, c.column) in red:
                    assert c.comment.text.startswith(f"Lembar '{ws.title}', baris {c.row}")
                else:
                    assert c.comment is None


def test_csv_rebuilt_as_xlsx_keeps_numbers_and_never_runs_text_as_formulas(site, tmp_path):
    path = tmp_path / "harga_pasar_waru_rumus.csv"
    path.write_text(
        "Tanggal,Pasar,Komoditas,Satuan,Harga\n"
        "02/11/2026,Pasar Waru,Beras Medium,kg,18000\n"
        '02/11/2026,Pasar Waru,"=HYPERLINK(""http://x"",""klik"")",kg,15000\n'
        "02/11/2026,Pasar Waru,@SUM(A1),kg,15000\n"
        "02/11/2026,Pasar Waru,Gula Pasir,kg,-17000\n"
        "02/11/2026,Pasar Waru,+6281234567890,kg,15000\n"
    )
    [result] = ingest_files([path], site, dataset="prices", as_of=AS_OF)
    stored = dict(query(site.warehouse_path, "SELECT source_row, raw_value FROM audit.rejections"))
    assert stored[3] == '=HYPERLINK("http://x","klik")' and stored[4] == "@SUM(A1)"  # text, as sent
    marked = openpyxl.load_workbook(
        io.BytesIO(annotated_workbook(path.name, path.read_bytes(), result.rejections))
    ).active
    assert (marked["C3"].value, marked["C3"].data_type) == ('=HYPERLINK("http://x","klik")', "s")
    assert (marked["C4"].data_type, marked["C6"].data_type) == ("s", "s")
    assert (marked["E2"].value, marked["E5"].value) == (18000, -17000)  # numbers stay numbers
    assert marked["E5"].fill.fgColor.rgb == "00FFC7CE" and marked["E2"].fill.fgColor.rgb != "00FFC7CE"


@pytest.mark.parametrize(
    "sent, kept",
    [
        ("../../etc/passwd.csv", "passwd.csv"),
        ("..\\..\\Windows\\harga.xlsx", "harga.xlsx"),
        ("/tmp/.hidden.xlsx", "hidden.xlsx"),
        ("harga pasar; rm -rf.xlsx", "harga pasar_ rm -rf.xlsx"),
        ("Harga.XLSX", "Harga.xlsx"),
    ],
)
def test_file_names_cannot_leave_the_inbox(sent, kept):
    assert safe_name(sent) == kept


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (50 * 1024 * 1024))
    return out.getvalue()


def test_oversized_zip_bomb_and_disguised_files_are_refused_with_a_message(site):
    cases = [
        ("besar.csv", b"a,b\n" * (3 * 1024 * 1024), "text/csv", "Berkas terlalu besar"),
        ("bom.xlsx", zip_bomb(), XLSX, "dicurigai 'zip bomb'"),
        ("foto.xlsx", b"\xff\xd8\xff\xe0 jpeg", XLSX, "rusak atau bukan lembar kerja"),
        ("harga.exe", b"MZ", "application/octet-stream", "tidak diterima"),
        ("harga.xlsx", b"PK\x03\x04", "image/png", "tidak cocok dengan ekstensinya"),
    ]
    at = upload_page("analis")
    for name, data, kind, message in cases:
        with pytest.raises(UploadRefused, match=message):
            check_upload(name, data, kind)
        if name.endswith((".csv", ".xlsx")):
            at.file_uploader[0].upload(name, data, kind).run()
            assert message in at.error[0].value and not at.exception
            at.file_uploader[0].set_value(None).run()
    assert list(site.inbox("prices").iterdir()) == []
    # a hostile name is cut to its last part before anything else sees it
    at.file_uploader[0].upload(
        "../../../etc/harga_pasar_waru_november_2026.csv",
        (PRICE_SAMPLES / "harga_pasar_waru_november_2026.csv").read_bytes(),
        "text/csv",
    ).run()
    assert "Hasil pemeriksaan harga_pasar_waru_november_2026.csv" in [h.value for h in at.subheader]


def test_enumerator_template_upload_confirm_and_load(site, tmp_path):
    at = upload_page("siti")
    assert [b.label for b in at.get("download_button")] == ["Unduh lembar isian"]
    # the template the CLI and the page make, filled in as an enumerator would
    from siharpa_pipeline.cli import main

    template = tmp_path / "lembar_harga_pasar_waru.xlsx"
    assert (
        main(["template", "--market", "pasar_waru", "--start", "2026-11-23", "--days", "5", "--out", str(template)])
        == 0
    )
    assert template.read_bytes()[:2] == price_template("pasar_waru", dt.date(2026, 11, 23), 5)[:2]
    wb = openpyxl.load_workbook(template)
    sheet = wb["Harga"]
    typed = {
        ("beras_medium", "2026-11-23"): 18500,
        ("beras_medium", "2026-11-24"): 18750.5,
        ("minyak_goreng_curah", "2026-11-27"): 17000,
    }
    rows = {c.value: c.row for c in sheet["B"] if c.value}
    columns = {c.value.date().isoformat(): c.column for c in sheet[4] if isinstance(c.value, dt.datetime)}
    names = dict(query(site.warehouse_path, "SELECT commodity_id, name FROM ref.commodities"))
    for (commodity, day), price in typed.items():
        sheet.cell(rows[names[commodity]], columns[day], price)
    filled = io.BytesIO()
    wb.save(filled)
    at.file_uploader[0].upload("isian_waru.xlsx", filled.getvalue(), XLSX).run()
    assert metrics(at)["Diterima"] == "3" and metrics(at)["Ditolak"] == "0"
    [send] = [b for b in at.button if b.label == "Kirim untuk dimuat"]
    send.click().run()
    assert "isian_waru.xlsx dikirim. Statusnya tampil di bawah." in [s.value for s in at.success]
    assert "isian_waru.xlsx: menunggu diproses" in [i.value for i in at.info]
    # a second file while the first waits is refused
    at.file_uploader[0].upload("lagi.xlsx", filled.getvalue(), XLSX).run()
    [send] = [b for b in at.button if b.label == "Kirim untuk dimuat"]
    send.click().run()
    assert "masih menunggu diproses" in at.error[0].value

    # the sensor takes the file, with its sender, and the job loads and publishes it
    waiting = site.inbox("prices") / "isian_waru.xlsx"
    os.utime(waiting, (waiting.stat().st_mtime - 60,) * 2)
    request, result = load_from_inbox(
        build_definitions(site), dg.DagsterInstance.ephemeral(), "prices", "price_file_job"
    )
    assert request.run_config["ops"]["received_price_file"]["config"] == {
        "inbox_path": str(waiting),
        "submitted_by": "siti",
        "assigned_markets": ["pasar_waru"],
    }
    assert result.success
    at.run()
    assert "isian_waru.xlsx: dimuat — diterima 3, ditolak 0, kosong 117" in [s.value for s in at.success]
    assert query(
        site.serving_path, "SELECT submitted_by, status FROM audit.files WHERE file_name = 'isian_waru.xlsx'"
    ) == [("siti", "loaded")]
    stored = query(
        site.serving_path,
        "SELECT commodity_id, observed_on::VARCHAR, price_idr::DOUBLE FROM "
        "core.price_observations WHERE file_id = (SELECT file_id FROM audit.files WHERE file_name = "
        "'isian_waru.xlsx') ORDER BY 1, 2",
    )
    assert stored == sorted((c, d, float(p)) for (c, d), p in typed.items())
    harga = app()  # the public price page now shows what Siti typed
    harga.switch_page("app_pages/harga.py").run()
    rows = harga.dataframe[0].value
    assert rows[(rows["Tanggal"] == "24 Nov 2026") & (rows["Pasar"] == "Pasar Waru")]["Harga"].tolist() == [
        "Rp 18.750"
    ]  # shown to the rupiah; stored as typed (18750.5, above)


def test_the_example_users_file_is_valid():
    example = access.load_users(Path(__file__).parent.parent / "deploy" / "users.example.toml")
    assert {u.username: (u.role, u.markets) for u in example.values()} == {
        "siti": ("enumerator", ("pasar_waru",)),
        "admin": ("admin", ()),
    }


def test_the_template_guides_the_enumerator():
    book = openpyxl.load_workbook(io.BytesIO(price_template("pasar_induk_petung", dt.date(2026, 12, 1), 7)))
    assert book.sheetnames == ["Harga", "Daftar", "Petunjuk"] and book["Daftar"].sheet_state == "hidden"
    sheet = book["Harga"]
    assert sheet["A1"].value == "HARGA ECERAN BAHAN POKOK - PASAR INDUK PETUNG"
    assert [c.value for c in sheet[4]][:4] == ["No", "Komoditas", "Satuan", dt.datetime(2026, 12, 1)]
    assert sheet.protection.sheet and sheet["D4"].protection.locked and not sheet["D5"].protection.locked
    rules = {str(r.sqref): r.formula1 for r in sheet.data_validations.dataValidation}
    assert rules == {"B5:B28": "=Daftar!$A$1:$A$24", "C5:C28": "=Daftar!$B$1:$B$3"}
    assert [book["Daftar"].cell(i, 2).value for i in (1, 2, 3)] == ["kg", "liter", "tabung"]
    assert "Cara mengisi" in book["Petunjuk"]["A1"].value
    assert "Rp 15.000" in book["Petunjuk"]["A3"].value  # what the reader accepts, not "tanpa Rp"
    # printed (LibreOffice or Excel): landscape A4 one page wide, header row and names repeated on each page,
    # the longest name and a whole date fitting their columns
    for printed in (sheet, book["Petunjuk"]):
        setup = printed.page_setup
        assert (setup.orientation, setup.fitToWidth, setup.fitToHeight) == ("landscape", 1, 0)
        assert printed.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$4:$4" and sheet.print_title_cols == "$A:$C"
    longest = max(len(c.value) for c in sheet["B"][4:])
    assert sheet.column_dimensions["B"].width >= longest + 1
    assert all(sheet.column_dimensions[col].width >= len("01/12/2026") + 1 for col in "DEFGHIJ")


def test_an_xls_upload_comes_back_as_xlsx_with_the_cells_at_fault_marked(tmp_path):
    import xlwt

    rows = [
        ["Tanggal", "Pasar", "Komoditas", "Satuan", "Harga"],
        ["02/11/2026", "Pasar Waru", "Beras Medium", "kg", 18000],
        ["02/11/2026", "Pasar Waru", "Beras Hitam", "kg", 15000],
        ["02/11/2026", "Pasar Waru", "Gula Pasir", "kg", "mahal"],
    ]
    book = xlwt.Workbook()
    sheet = book.add_sheet("Harga")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    path = tmp_path / "harga_waru.xls"
    book.save(str(path))
    _, verdict = judge_file(path, "prices", AS_OF, None)
    rejections = rejection_dicts(verdict)
    marked = openpyxl.load_workbook(io.BytesIO(annotated_workbook(path.name, path.read_bytes(), rejections)))
    assert marked.sheetnames == ["Harga", "Kesalahan"]
    ws = marked["Harga"]
    red = {c.coordinate for row in ws.iter_rows() for c in row if c.fill.fgColor.rgb == "00FFC7CE"}
    assert red == {"C3", "E4"}  # the unknown commodity's name, the unreadable price
    assert "komoditas 'Beras Hitam' tidak dikenal" in ws["C3"].comment.text
    assert [[c.value for c in row] for row in ws.iter_rows()] == rows
    assert ws.column_dimensions["A"].width >= len("02/11/2026") + 1  # dates print whole
    assert ws.column_dimensions["C"].width >= len("Beras Medium") + 1


def test_two_sessions_of_one_user_cannot_both_send(site):
    from concurrent.futures import ThreadPoolExecutor

    from siharpa_pipeline.uploads import submit

    siti = access.load_users(access.users_file())["siti"]
    data = (PRICE_SAMPLES / "harga_pasar_waru_november_2026.csv").read_bytes()

    def send(i):
        try:
            return submit(site, "prices", f"harga_{i}.csv", data, siti, "x")
        except UploadRefused as refused:
            return str(refused)

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(send, range(8)))
    assert sum(isinstance(o, os.PathLike) for o in outcomes) == 1
    assert len([p for p in site.inbox("prices").iterdir() if p.is_file()]) == 1
