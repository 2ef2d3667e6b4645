"""Each indicator against values computed by hand on a small fixture (the arithmetic is written here)."""

import datetime as dt
import shutil
from statistics import mean, stdev

import duckdb
import pytest

from siharpa_pipeline.indicators import NOT_ENOUGH_HISTORY, alps, ifpa, refresh_marts
from siharpa_pipeline.ingest import ingest_files
from siharpa_pipeline.publishing import publish
from siharpa_pipeline.settings import Settings
from siharpa_pipeline.storage import storage
from siharpa_pipeline.tables import MARTS

from conftest import query
from helpers import long_csv

D = dt.date
AS_OF = D(2026, 11, 28)
W, S, P = "Pasar Waru", "Pasar Rakyat Sepan", "Pasar Induk Petung"
BERAS, BAWANG, GULA = ("Beras Medium", "kg"), ("Bawang Merah", "kg"), ("Gula Pasir", "kg")

ROWS = [
    (D(2024, 8, 10), W, BERAS, 12000),
    (D(2024, 12, 5), W, BERAS, 12500),
    (D(2025, 7, 15), W, BERAS, 13000),
    (D(2025, 7, 15), S, BERAS, 13500),
    (D(2025, 8, 18), W, BERAS, 14000),
    (D(2025, 8, 18), S, BERAS, 14400),
    (D(2025, 8, 18), P, BERAS, 13600),
    (D(2025, 8, 19), W, BERAS, 14200),
    (D(2025, 8, 19), S, BERAS, 14400),  # Petung stops reporting
    (D(2025, 8, 21), W, BERAS, 14500),  # nobody on the 20th
    (D(2025, 8, 22), W, BERAS, 14100),
    (D(2025, 8, 22), S, BERAS, 14700),  # HET 13,100 -> 14,000 today
    (D(2025, 8, 25), W, BERAS, 14700),
    (D(2025, 8, 25), S, BERAS, 13900),
    (D(2025, 8, 18), W, BAWANG, 35000),
    (D(2025, 8, 18), S, BAWANG, 40000),
    (D(2025, 8, 18), P, BAWANG, 42000),
    (D(2025, 8, 31), W, GULA, 18000),
    *[(D(2025, 9, d), W, GULA, 19000) for d in range(1, 17)],  # 16 days at or above 1.075 x HAP 17,500
]


def write_rows(path, rows):
    lines = ["Tanggal;Pasar;Komoditas;Satuan;Harga"]
    lines += [f"{d:%d/%m/%Y};{m};{c[0]};{c[1]};{p}" for d, m, c, p in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def marts(tmp_path_factory):
    root = tmp_path_factory.mktemp("indicators")
    settings = Settings(root / "data")
    ingest_files([write_rows(root / "harga.csv", ROWS)], settings, as_of=AS_OF)
    publish(settings)
    return settings.serving_path


def one(path, sql, params=()):
    rows = query(path, sql, list(params))
    assert len(rows) == 1, rows
    return rows[0]


def test_every_mart_is_published_with_indonesian_comments(marts):
    for mart in MARTS:
        schema, table = mart.name.split(".")
        comments = dict(
            query(
                marts,
                "SELECT column_name, comment FROM duckdb_columns() WHERE schema_name = ? AND table_name = ?",
                [schema, table],
            )
        )
        assert set(comments) == {c for c, _, _ in mart.columns} and all(comments.values()), mart.name
        [(comment,)] = query(
            marts, "SELECT comment FROM duckdb_tables() WHERE schema_name = ? AND table_name = ?", [schema, table]
        )
        assert comment == mart.comment


def test_ppu_daily_mean_extremes_and_cv_across_markets(marts):
    row = one(
        marts,
        "SELECT price_idr, n_markets, min_idr, max_idr, min_market_id, max_market_id, spread_idr, "
        "cv_markets_pct FROM mart.price_ppu_daily WHERE commodity_id = 'beras_medium' "
        "AND observed_on = '2025-08-18'",
    )
    assert row[:7] == (14000.0, 3, 13600.0, 14400.0, "pasar_induk_petung", "pasar_sepan", 800.0)
    assert row[7] == pytest.approx(stdev([14000, 14400, 13600]) / 14000 * 100)  # 400 / 14000 = 2.857%
    after = one(
        marts,
        "SELECT price_idr, n_markets, cv_markets_pct FROM mart.price_ppu_daily "
        "WHERE commodity_id = 'beras_medium' AND observed_on = '2025-08-19'",
    )
    assert after[:2] == (14300.0, 2) and after[2] == pytest.approx(stdev([14200, 14400]) / 14300 * 100)
    alone = one(
        marts,
        "SELECT n_markets, cv_markets_pct FROM mart.price_ppu_daily "
        "WHERE commodity_id = 'beras_medium' AND observed_on = '2025-08-21'",
    )
    assert alone == (1, None)  # one market: no spread to measure


def test_changes_use_the_last_observation_on_or_before_the_comparison_date(marts):
    sql = (
        "SELECT dod_base_on, dod_pct, wow_base_on, wow_pct, mtm_pct, yoy_pct, ytd_pct FROM mart.price_changes "
        "WHERE commodity_id = 'beras_medium' AND market_id {} AND observed_on = ?"
    )
    waru_21 = one(marts, sql.format("= 'pasar_waru'"), [D(2025, 8, 21)])
    assert waru_21[0] == D(2025, 8, 19) and waru_21[1] == pytest.approx((14500 / 14200 - 1) * 100)
    assert waru_21[2] == D(2025, 7, 15) and waru_21[3] == pytest.approx((14500 / 13000 - 1) * 100)
    waru_25 = one(marts, sql.format("= 'pasar_waru'"), [D(2025, 8, 25)])
    assert waru_25[2] == D(2025, 8, 18) and waru_25[3] == pytest.approx(5.0)  # 14,700 vs 14,000
    waru_22 = one(marts, sql.format("= 'pasar_waru'"), [D(2025, 8, 22)])
    august_so_far = mean([14000, 14200, 14500, 14100])
    assert waru_22[4] == pytest.approx((august_so_far / 13000 - 1) * 100)  # vs July's mean
    assert waru_22[5] == pytest.approx((august_so_far / 12000 - 1) * 100)  # vs August 2024
    assert waru_22[6] == pytest.approx((august_so_far / 12500 - 1) * 100)  # vs December 2024
    ppu_19 = one(marts, sql.format("IS NULL"), [D(2025, 8, 19)])
    assert ppu_19[4] == pytest.approx((mean([14000, 14300]) / mean([13000, 13500]) - 1) * 100)
    first = one(marts, sql.format("= 'pasar_waru'"), [D(2024, 8, 10)])
    assert first == (None, None, None, None, None, None, None)


def test_reference_in_force_on_the_date_and_bands(marts):
    sql = (
        "SELECT reference_kind, reference_upper_idr, vs_reference_pct, band FROM mart.price_reference_status "
        "WHERE commodity_id = ? AND market_id = ? AND observed_on = ?"
    )
    before = one(marts, sql, ["beras_medium", "pasar_waru", D(2025, 8, 21)])
    assert before[:2] == ("HET", 13100.0) and before[2] == pytest.approx((14500 / 13100 - 1) * 100)
    after = one(marts, sql, ["beras_medium", "pasar_waru", D(2025, 8, 22)])
    assert after[:2] == ("HET", 14000.0) and after[3] == "above"
    assert one(marts, sql, ["beras_medium", "pasar_sepan", D(2025, 8, 25)])[3] == "within"  # 13,900
    bands = [
        one(marts, sql, ["bawang_merah", m, D(2025, 8, 18)])[3]
        for m in ("pasar_waru", "pasar_sepan", "pasar_induk_petung")
    ]
    assert bands == ["below", "within", "above"]  # HAP range 36,500-41,500: 35,000 / 40,000 / 42,000
    breaches = one(
        marts,
        "SELECT n_markets, n_above, share_above_pct FROM mart.reference_breaches_daily "
        "WHERE commodity_id = 'beras_medium' AND observed_on = '2025-08-25'",
    )
    assert breaches == (2, 1, 50.0)


def test_volatility_disparity_and_headline(marts):
    cv30 = one(
        marts,
        "SELECT n_days, cv_pct FROM mart.price_volatility WHERE commodity_id = 'beras_medium' "
        "AND window_days = 30 AND period_end = '2025-08-25'",
    )
    ppu = [14000, 14300, 14500, 14400, mean([14700, 13900])]  # 18, 19, 21, 22, 25 Aug (15 Jul is out)
    assert cv30[0] == 5 and cv30[1] == pytest.approx(stdev(ppu) / mean(ppu) * 100)
    month = one(
        marts,
        "SELECT n_markets, cv_markets_pct, highest_market_id, highest_idr, lowest_market_id, "
        "lowest_idr, spread_idr FROM mart.price_disparity_monthly WHERE commodity_id = 'beras_medium' "
        "AND month = '2025-08-01'",
    )
    waru, sepan, petung = mean([14000, 14200, 14500, 14100, 14700]), mean([14400, 14400, 14700, 13900]), 13600
    assert month[0] == 3 and month[1] == pytest.approx(stdev([waru, sepan, petung]) / mean([waru, sepan, petung]) * 100)
    assert month[2:] == ("pasar_sepan", sepan, "pasar_induk_petung", petung, sepan - petung)
    year = one(
        marts,
        "SELECT n_commodities, cv_time_target_pct, cv_markets_target_pct FROM mart.stability_headline "
        "WHERE year = 2025",
    )
    assert year == (3, 9.0, 13.8)


def test_alerts_fifteen_days_above_reference_and_weekly_moves(marts):
    crisis = query(
        marts,
        "SELECT observed_on, since_on, level FROM mart.price_alerts WHERE commodity_id = "
        "'gula_pasir' AND rule = 'bapanas_15_days' ORDER BY 1",
    )
    assert crisis == [(D(2025, 9, 15), D(2025, 9, 1), "awas"), (D(2025, 9, 16), D(2025, 9, 1), "awas")]
    weekly = query(
        marts,
        "SELECT observed_on, level, message FROM mart.price_alerts WHERE commodity_id = "
        "'beras_medium' AND rule = 'wow_above_10pct' ORDER BY 1",
    )
    # PPU on 18 Aug (14,000) vs 15 Jul (13,250): +5.7%, no alert; on 21 Aug 14,500 vs 13,250: +9.4%, none either
    assert weekly == []
    gula = query(
        marts,
        "SELECT observed_on, message FROM mart.price_alerts WHERE commodity_id = 'gula_pasir' "
        "AND rule = 'wow_above_10pct'",
    )
    assert gula == []  # 19,000 vs 18,000 is +5.6%
    assert (
        "107,5%"
        in one(
            marts, "SELECT message FROM mart.price_alerts WHERE rule = 'bapanas_15_days' AND observed_on = '2025-09-15'"
        )[0]
    )


def test_short_series_get_not_enough_history(marts):
    rows = query(marts, "SELECT method, month, status FROM mart.price_early_warning WHERE commodity_id = 'gula_pasir'")
    assert sorted(r[0] for r in rows) == ["alps", "ifpa"]
    assert all(r[1] is None and r[2].startswith(NOT_ENOUGH_HISTORY) for r in rows)


def test_coverage_and_on_time_rate(tmp_path):
    settings = Settings(tmp_path / "data")
    saturday, monday = D(2025, 9, 20), D(2025, 9, 22)
    senen = "Pasar Senen Argo Mulyo"  # a weekly market: Saturdays only
    rows = {
        "waru_sabtu": [(D(2025, 9, 6), W, BERAS, 14000), (saturday, W, BERAS, 14000), (saturday, W, GULA, 18000)],
        "sepan_sabtu": [(saturday, S, BERAS, 14000), (saturday, S, GULA, 18000)],
        "senen_sabtu": [(saturday, senen, BERAS, 14500)],
        "waru_senin": [(monday, W, BERAS, 14250)],
        "sepan_senin": [(monday, S, BERAS, 14250)],
    }
    ingest_files([write_rows(tmp_path / f"{name}.csv", r) for name, r in rows.items()], settings, as_of=AS_OF)
    received = {
        "waru_sabtu": "2025-09-20 03:00",
        "sepan_sabtu": "2025-09-20 05:00",
        "senen_sabtu": "2025-09-20 02:00",
        "waru_senin": "2025-09-22 01:00",
        "sepan_senin": "2025-09-22 03:59",
    }
    with storage(settings).writer() as con:  # 03:00 UTC is 11:00 WITA: on time; 05:00 UTC is 13:00 WITA: late
        for name, at in received.items():
            con.execute("UPDATE audit.files SET received_at = ?::TIMESTAMP WHERE file_name = ?", [at, f"{name}.csv"])
    publish(settings)
    assert query(
        settings.serving_path,
        "SELECT market_id, n_commodities FROM mart.coverage WHERE observed_on = ? ORDER BY 1",
        [saturday],
    ) == [("pasar_senen_argomulyo", 1), ("pasar_sepan", 2), ("pasar_waru", 2)]
    timeliness = {
        m: (d, r, o)
        for m, d, r, o in query(
            settings.serving_path,
            "SELECT market_id, market_days, reported_days, on_time_days FROM mart.market_timeliness",
        )
    }
    # 6 Sep came in with a file of 20 Sep: a backfill before SIHARPA's first file, not counted as late
    assert timeliness["pasar_waru"] == (2, 2, 2) and timeliness["pasar_sepan"] == (2, 2, 1)
    assert timeliness["pasar_senen_argomulyo"] == (1, 1, 1)  # not expected on Monday
    assert timeliness["pasar_induk_petung"] == (2, 0, 0)  # never heard from: expected every day


def test_alps_and_ifpa_on_monthly_series():
    import numpy as np

    months = np.arange(60) + 2020 * 12  # January 2020 onwards, as month_index counts them
    t = np.arange(60)
    seasonal = np.tile([0, 100, 200, 300, 200, 100, 0, -100, -200, -300, -200, -100], 5)
    prices = 10000 + 20 * t + seasonal + np.where(t % 7 == 0, 30.0, -30.0)  # a little noise
    prices[59] += 2000  # a spike in the last month
    latest = 2020 * 12 + 59
    values, status = alps(months, prices, latest)
    # the spike is the only crisis (>= 2 SD); the other Decembers share its month dummy, so they lean the other way
    assert status == "ok" and values[59] >= 2.0 and np.abs(values[:59]).max() < 2.0
    assert np.argmax(values) == 59
    assert alps(months[:35], prices[:35], 2020 * 12 + 34)[1].startswith(NOT_ENOUGH_HISTORY)
    assert "70%" in alps(months[::2], prices[::2], latest)[1]
    assert "6 bulan" in alps(months[:50], prices[:50], latest)[1]
    values, status = ifpa(months, prices)
    assert status == "ok" and values[59] == max(v for v in values if not np.isnan(v)) and values[59] >= 1.0
    assert ifpa(months[:47], prices[:47])[1].startswith(NOT_ENOUGH_HISTORY)


def test_incremental_refresh_equals_a_full_rebuild(tmp_path):
    settings = Settings(tmp_path / "data")
    start = D(2025, 1, 1)
    history = long_csv(
        tmp_path / "history.csv",
        [start + dt.timedelta(days=i) for i in range(420)],
        markets=["pasar_waru", "pasar_sepan", "pasar_penajam"],
    )
    ingest_files([history], settings, as_of=AS_OF)
    publish(settings)
    week = long_csv(
        tmp_path / "week.csv",
        [start + dt.timedelta(days=420 + i) for i in range(7)],
        markets=["pasar_waru", "pasar_sepan"],
        seed=9,
    )
    revision = write_rows(tmp_path / "revision.csv", [(D(2025, 6, 2), W, BERAS, 19900)])
    ingest_files([week, revision], settings, as_of=AS_OF)
    with storage(settings).writer() as con:
        refresh = refresh_marts(con)
    assert refresh.mode == "incremental" and refresh.start_on == D(2025, 6, 2)
    full = tmp_path / "full.duckdb"
    shutil.copyfile(settings.warehouse_path, full)
    con = duckdb.connect(str(full))
    refresh_marts(con, full=True)
    con.close()
    for mart in MARTS:
        cols = ", ".join(f"round({c}, 6)" if t == "DOUBLE" else c for c, t, _ in mart.columns)
        sql = f"SELECT {cols} FROM {mart.name} ORDER BY ALL"
        assert query(settings.warehouse_path, sql) == query(full, sql), mart.name


def test_a_long_crisis_keeps_its_start_through_incremental_refreshes(tmp_path):
    settings = Settings(tmp_path / "data")
    first = D(2024, 6, 1)  # gula pasir at 19,000 >= 1.075 x HAP 17,500 every day from here
    ingest_files(
        [write_rows(tmp_path / "a.csv", [(first + dt.timedelta(days=i), W, GULA, 19000) for i in range(500)])],
        settings,
        as_of=AS_OF,
    )
    publish(settings)
    day = first + dt.timedelta(days=500)
    ingest_files([write_rows(tmp_path / "b.csv", [(day, W, GULA, 19250)])], settings, as_of=AS_OF)
    publish(settings)
    assert (
        one(
            settings.serving_path,
            "SELECT since_on, message FROM mart.price_alerts WHERE rule = 'bapanas_15_days' AND observed_on = ?",
            [day],
        )[0]
        == first
    )
    assert (
        "selama 501 hari"
        in one(
            settings.serving_path,
            "SELECT message FROM mart.price_alerts WHERE rule = 'bapanas_15_days' AND observed_on = ?",
            [day],
        )[0]
    )
