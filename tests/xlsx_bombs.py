"""Hostile .xlsx files, built here byte by byte (no committed binaries): bombs, broken XML, DTDs, entities."""
import io
import zipfile

from tests.imports_support import people, xlsx

SHEET = "xl/worksheets/sheet1.xml"
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def normal(count=3):
    return xlsx(people(count)).getvalue()


def with_part(name, content, base=None, *, compression=zipfile.ZIP_DEFLATED):
    """A copy of a normal workbook whose part `name` is replaced (or added) with `content` (bytes or chunks)."""
    source = zipfile.ZipFile(io.BytesIO(base or normal()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=compression, allowZip64=True) as target:
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info.filename, source.read(info.filename))
        if isinstance(content, bytes):
            target.writestr(name, content)
        else:
            info = zipfile.ZipInfo(name)
            info.compress_type = compression
            with target.open(info, "w", force_zip64=True) as part:
                for chunk in content:
                    part.write(chunk)
    return out.getvalue()


def shared_string_bomb(megabytes=1000):
    """About 1 MB on disk holding one shared string of `megabytes` MB (the sheet shows it in A2)."""
    chunk = b"A" * (1024 * 1024)

    def parts():
        yield b'<?xml version="1.0" encoding="UTF-8"?><sst ' + NS.encode() + b' count="1" uniqueCount="1"><si><t>'
        for _ in range(megabytes):
            yield chunk
        yield b"</t></si></sst>"

    sheet = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><sheetData>'
             '<row r="1"><c r="A1" t="inlineStr"><is><t>full_name</t></is></c></row>'
             '<row r="2"><c r="A2" t="s"><v>0</v></c></row></sheetData></worksheet>').encode()
    base = with_part(SHEET, sheet)
    base = with_part("[Content_Types].xml", zipfile.ZipFile(io.BytesIO(base)).read("[Content_Types].xml").replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'), base)
    rels = "xl/_rels/workbook.xml.rels"
    base = with_part(rels, zipfile.ZipFile(io.BytesIO(base)).read(rels).replace(
        b"</Relationships>", b'<Relationship Id="rIdSS" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'), base)
    return with_part("xl/sharedStrings.xml", parts(), base)


def padded_rows(rows=1_000_000, *, dimension=None, columns=1, compression=zipfile.ZIP_DEFLATED):
    """A sheet of `rows` rows (each `columns` cells wide, the last at XFD when columns > 1), streamed into the ZIP.

    The rows carry no row numbers (Excel's own files may omit them), so they compress to almost nothing:
    a million rows make a file of well under 1 MB.
    """
    header = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}>'
              + (f'<dimension ref="{dimension}"/>' if dimension else "") + "<sheetData>").encode()
    last = '<c r="XFD1"/>' if columns > 1 else ""
    row = f'<row><c t="inlineStr"><is><t>x</t></is></c>{last}</row>'.encode()

    def parts():
        yield header
        for start in range(0, rows, 10_000):
            yield row * min(10_000, rows - start)
        yield b"</sheetData></worksheet>"

    return with_part(SHEET, parts(), compression=compression)


def sheet_xml(body, prolog=""):
    return (f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<worksheet {NS}><sheetData>{body}</sheetData>'
            "</worksheet>").encode()


HEADER_ROW = ('<row r="1">' + "".join(
    f'<c r="{col}1" t="inlineStr"><is><t>{name}</t></is></c>'
    for col, name in zip("ABCDEFG", ("full_name", "nip", "position", "rank", "organization", "phone", "email"),
                         strict=True)) + "</row>")
BROKEN_SHEET = sheet_xml(HEADER_ROW + '<row r="2"><c r="A2" t="inlineStr"><is><t>Budi</t></is></c>')[:-40]
DTD_SHEET = sheet_xml(HEADER_ROW, prolog="<!DOCTYPE worksheet [<!ELEMENT worksheet ANY>]>")
LAUGHS = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
ENTITY_SHEET = sheet_xml(
    HEADER_ROW + '<row r="2"><c r="A2" t="inlineStr"><is><t>&l9;</t></is></c></row>',
    prolog=f'<!DOCTYPE worksheet [<!ENTITY l0 "ha">{LAUGHS}]>')
EXTERNAL_SHEET = sheet_xml(
    HEADER_ROW + '<row r="2"><c r="A2" t="inlineStr"><is><t>&x;</t></is></c></row>',
    prolog='<!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>')
