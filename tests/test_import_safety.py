"""Issue 9, items 2 and 3: an .xlsx import is checked before openpyxl expands it.

The bombs are built by tests/xlsx_bombs.py. Each refusal is asserted through the admin
page and the CLI, with a generous bound on time (memory is measured by bench/import_bombs.py).
"""
import io
import time
import zipfile

import pytest

from app.extensions import db
from app.imports.reader import COLUMNS
from app.models import Registration
from tests import xlsx_bombs as bombs

URL = "/admin/acara/bimtek-uji/impor"


def stored():
    return db.session.execute(db.select(db.func.count()).select_from(Registration)).scalar_one()


def post(client, content):
    return client.post(URL, data={"file": (io.BytesIO(content), "peserta.xlsx")})


def page_text(response):
    return response.get_data(as_text=True)


HOSTILE_XML = {
    "broken": (bombs.BROKEN_SHEET, "bukan XML yang utuh"),
    "dtd": (bombs.DTD_SHEET, "DTD atau entitas"),
    "entity": (bombs.ENTITY_SHEET, "DTD atau entitas"),
    "external": (bombs.EXTERNAL_SHEET, "DTD atau entitas"),
}


@pytest.mark.parametrize("kind", sorted(HOSTILE_XML))
def test_an_import_with_broken_xml_a_dtd_or_an_entity_is_refused_with_a_message(client, admin, make, kind):
    make.event()
    sheet, message = HOSTILE_XML[kind]
    response = post(client, bombs.with_part(bombs.SHEET, sheet))
    assert response.status_code == 422
    assert message in page_text(response)
    assert "root:" not in page_text(response)  # /etc/passwd never read
    assert stored() == 0


@pytest.mark.parametrize("kind", sorted(HOSTILE_XML))
def test_the_cli_refuses_them_too(runner, make, tmp_path, kind):
    make.event()
    path = tmp_path / "peserta.xlsx"
    path.write_bytes(bombs.with_part(bombs.SHEET, HOSTILE_XML[kind][0]))
    result = runner.invoke(args=["import-participants", "bimtek-uji", str(path)])
    assert result.exit_code == 1
    assert HOSTILE_XML[kind][1] in result.output
    assert stored() == 0


def test_a_dtd_in_another_part_is_refused_too(client, admin, make):
    make.event()
    workbook = bombs.with_part("docProps/core.xml", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')
    response = post(client, workbook)
    assert response.status_code == 422
    assert "DTD atau entitas" in page_text(response)


def test_a_one_megabyte_file_holding_a_1000_megabyte_shared_string_is_refused_at_once(client, admin, make):
    make.event()
    bomb = bombs.shared_string_bomb(1000)
    assert len(bomb) < 2 * 1024 * 1024
    started = time.perf_counter()
    response = post(client, bomb)
    elapsed = time.perf_counter() - started
    assert response.status_code == 422
    assert "terlalu besar setelah dibuka" in page_text(response)
    assert elapsed < 2.0, f"{elapsed:.2f} s"
    assert stored() == 0


def test_a_small_shared_string_bomb_below_the_size_limit_is_refused_for_its_ratio(client, admin, make):
    make.event()
    response = post(client, bombs.shared_string_bomb(20))
    assert response.status_code == 422
    assert "dipadatkan secara tidak wajar" in page_text(response)


REFUSALS = ("Lembar kerja terlalu besar", "terlalu besar setelah dibuka", "dipadatkan secara tidak wajar")


def test_a_one_megabyte_file_of_a_million_padded_rows_is_refused_at_once(client, admin, make):
    make.event()
    bomb = bombs.padded_rows(1_000_000, columns=2)
    assert len(bomb) < 1024 * 1024
    started = time.perf_counter()
    response = post(client, bomb)
    elapsed = time.perf_counter() - started
    assert response.status_code == 422
    assert any(refusal in page_text(response) for refusal in REFUSALS)
    assert elapsed < 2.0, f"{elapsed:.2f} s"
    assert stored() == 0


@pytest.mark.parametrize("bomb, message", [
    (lambda: bombs.padded_rows(30_000, compression=zipfile.ZIP_STORED), "baris"),
    (lambda: bombs.padded_rows(3, dimension="A1:G1000000"), "baris"),
    (lambda: bombs.padded_rows(3, dimension="A1:XFD3"), "kolom"),
    (lambda: bombs.padded_rows(3, dimension="XFD1000000"), "kolom"),
    (lambda: bombs.padded_rows(50, columns=2), "kolom"),
    (lambda: bombs.with_part(bombs.SHEET, bombs.sheet_xml(bombs.HEADER_ROW + '<row r="1000000"/>')), "baris"),
])
def test_sheets_declaring_or_holding_too_many_rows_or_columns_are_refused(client, admin, make, bomb, message):
    make.event()
    content = bomb()
    started = time.perf_counter()
    response = post(client, content)
    elapsed = time.perf_counter() - started
    assert response.status_code == 422
    assert "Lembar kerja terlalu besar" in page_text(response) and message in page_text(response)
    assert elapsed < 5.0, f"{elapsed:.2f} s"
    assert stored() == 0


def test_blank_rows_below_a_list_are_counted_but_a_normal_amount_is_fine(client, admin, make):
    make.event()
    from tests.imports_support import people

    rows = "".join(
        f'<row r="{n + 2}">' + "".join(f'<c r="{col}{n + 2}" t="inlineStr"><is><t>{person[name]}</t></is></c>'
                                      for col, name in zip("ABCDEFG", COLUMNS, strict=True)) + "</row>"
        for n, person in enumerate(people(3)))
    blank = "".join(f'<row r="{n}" customHeight="1" ht="15"/>' for n in range(5, 1000))
    response = post(client, bombs.with_part(bombs.SHEET, bombs.sheet_xml(bombs.HEADER_ROW + rows + blank)))
    assert response.status_code == 303
    assert stored() == 3


def test_a_normal_import_still_works(client, admin, make):
    make.event()
    from tests.imports_support import people, xlsx

    response = post(client, xlsx(people(3)).getvalue())
    assert response.status_code == 303
    assert stored() == 3


def test_a_sheet_written_in_utf16_is_checked_too(client, admin, make):
    make.event()
    sheet = bombs.DTD_SHEET.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    response = post(client, bombs.with_part(bombs.SHEET, sheet))
    assert response.status_code == 422
    assert "DTD atau entitas" in page_text(response)
    padded = bombs.sheet_xml(bombs.HEADER_ROW + '<row r="1000000"/>').decode().replace('"UTF-8"', '"UTF-16"')
    response = post(client, bombs.with_part("xl/worksheets/sheet1.bin", padded.encode("utf-16-le")))
    assert response.status_code == 422
