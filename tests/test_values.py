import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from siharpa_pipeline.values import dates_in_text, parse_date, parse_price

BULAN = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
SHORT = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]


def _grouped(n: int, sep: str) -> str:
    digits = str(n)
    groups: list[str] = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return sep.join(groups)


@st.composite
def written_amounts(draw):
    """A rupiah amount and one way an enumerator may write it."""
    rupiah = draw(st.integers(min_value=1, max_value=999_999_999))
    cents = draw(st.sampled_from([None, 0, 50, 5, 25]))
    group = draw(st.sampled_from(["", ".", ","]))
    decimal_sep = "," if group == "." else "."
    text = _grouped(rupiah, group) if group else str(rupiah)
    value = float(rupiah)
    if cents is not None:
        text += decimal_sep + (f"{cents:02d}" if cents != 5 else "5")
        value += cents / 100 if cents != 5 else 0.5
    prefix = draw(st.sampled_from(["", "Rp", "Rp ", "Rp.", "Rp. ", "rp "]))
    suffix = draw(st.sampled_from(["", ",-"])) if cents is None else ""
    space = draw(st.sampled_from(["", " "]))
    return space + prefix + text + suffix + space, round(value, 2)


@given(written_amounts())
def test_every_accepted_rupiah_format_parses_back(case):
    text, value = case
    assert parse_price(text) == (value, "ok")


@given(st.integers(min_value=1, max_value=10**9), st.integers(min_value=0, max_value=99))
def test_numbers_stay_numbers_with_two_decimals(rupiah, cents):
    assert parse_price(rupiah + cents / 100) == (round(rupiah + cents / 100, 2), "ok")


def test_missing_and_invalid_prices():
    for text in ["", " ", "-", "n/a", "Tidak Ada", "kosong", "LIBUR", None]:
        assert parse_price(text) == (None, "missing")
    for text in ["naik", "15.0000", "1.5.0", "12,5.000", "Rp", "15 ribu", True]:
        assert parse_price(text)[1] == "invalid", text
    assert parse_price("-65000") == (-65000.0, "ok")
    assert parse_price("18.250") == (18250.0, "ok")
    assert parse_price("1,234") == (1234.0, "ok")


@given(
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)),
    st.sampled_from(["/", "-", "."]),
    st.booleans(),
)
def test_numeric_dates_are_day_first(day, sep, short_year):
    year = f"{day.year % 100:02d}" if short_year else str(day.year)
    assert parse_date(f"{day.day:02d}{sep}{day.month:02d}{sep}{year}") == (day, "ok")
    assert parse_date(f"{day.day}{sep}{day.month}{sep}{year}") == (day, "ok")


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)), st.booleans(), st.booleans())
def test_indonesian_text_dates(day, short_month, weekday):
    month = (SHORT if short_month else BULAN)[day.month - 1]
    prefix = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"][day.weekday()] + ", " if weekday else ""
    assert parse_date(f"{prefix}{day.day} {month} {day.year}") == (day, "ok")
    assert parse_date(day.isoformat()) == (day, "ok")


def test_date_edge_cases():
    assert parse_date("31/02/2026") == (None, "invalid")
    assert parse_date("02 Nop 2026") == (dt.date(2026, 11, 2), "ok")
    assert parse_date("17 Agt 2026") == (dt.date(2026, 8, 17), "ok")
    assert parse_date(dt.datetime(2026, 11, 2, 0, 0)) == (dt.date(2026, 11, 2), "ok")
    assert parse_date(46328.0) == (dt.date(2026, 11, 2), "ok")  # unformatted Excel serial
    assert parse_date("besok") == (None, "invalid")
    assert dates_in_text("harga 01122026", compact=True) == {dt.date(2026, 12, 1)}
    assert dates_in_text("harga 01122026") == set()
    assert dates_in_text("Periode : 02 November 2026 s.d. 06 November 2026") == {
        dt.date(2026, 11, 2),
        dt.date(2026, 11, 6),
    }
