from siharpa_pipeline.names import canonical_unit, commodity_names, market_names, normalise


def test_normalise():
    assert normalise("  Ps.  Induk   Petung ") == "pasar induk petung"
    assert normalise("Psr Waru") == "pasar waru"
    assert normalise("harga_pasar_waru") == "harga pasar waru"
    assert normalise("Cabe Rawit") == "cabai rawit"


def test_market_labels_and_parenthetical():
    m = market_names()
    assert m.from_label("Pasar Penajam (Nenang)") == "pasar_penajam"
    assert m.from_label("Pasar Penajam") == "pasar_penajam"
    assert m.from_label("Pasar Nenang") == "pasar_penajam"
    assert m.from_label("Sepan") == "pasar_sepan"
    assert m.from_label("Sri Raharja") == "pasar_sri_raharja"
    assert m.from_label("PS. WARU") == "pasar_waru"
    assert m.from_label("Pasar Antah Berantah") is None
    assert m.from_label("Pasar") is None


def test_markets_in_titles_need_the_word_pasar_and_one_market():
    m = market_names()
    assert m.in_text("PASAR INDUK PETUNG - KECAMATAN PENAJAM") == ("pasar_induk_petung", False)
    assert m.in_text("KABUPATEN PENAJAM PASER UTARA") == (None, False)
    assert m.in_text("KECAMATAN PENAJAM") == (None, False)
    assert m.in_text("Harga Sepan") == (None, False)  # a bare name counts only as a whole label
    assert m.in_text("Pasar Waru dan Pasar Sepan") == (None, True)
    assert m.in_text("Pasar Senen Argo Mulyo") == ("pasar_senen_argomulyo", False)  # longest match wins


def test_commodities_aliases_units_and_suggestions():
    c = commodity_names()
    assert c.resolve("Gula Pasir (kg)") == "gula_pasir"
    assert c.resolve("Cabe Merah Keriting") == "cabai_merah_keriting"
    assert c.resolve("MinyaKita") == "minyak_goreng_kemasan_sederhana"
    assert c.resolve("Beras SPHP") == "beras_sphp"
    assert c.resolve("Kangkung") is None
    assert c.suggest("Beras Mediun")[0] == "Beras Medium"
    assert [canonical_unit(u) for u in ["Kg", "KG", "kilogram", "Ltr", "L", "litre", "tabung", "ikat"]] == [
        "kg",
        "kg",
        "kg",
        "liter",
        "liter",
        "liter",
        "tabung",
        None,
    ]
