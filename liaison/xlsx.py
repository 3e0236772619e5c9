"""Writing .xlsx exports quickly.

A province's roster export is 10,000 rows × 19 columns; openpyxl builds and serialises an object per cell and
takes most of a minute for it on these machines (several seconds even in its write-only mode through lxml).
An .xlsx is a zip of a few XML parts, and a sheet of plain values is simple XML, so this module writes it
directly: strings inline (``t="inlineStr"``), numbers as numbers, dates and datetimes as Excel serials with a
date format, a bold header row, the first row frozen. Excel, WPS, LibreOffice and calamine (our own importer)
read it; ``tests/liaison/test_xlsx.py`` reads every file back with both openpyxl and calamine.

``write_workbook`` writes to any seekable binary file and consumes ``rows`` once, so a generator of rows is never
held whole; ``workbook_file`` gives a temporary file for a ``FileResponse`` (large exports), ``workbook_bytes``
bytes (small ones).
"""

import datetime
import decimal
import re
import tempfile
import zipfile
from io import BytesIO
from xml.sax.saxutils import escape

# Characters XML 1.0 forbids (openpyxl raises IllegalCharacterError on them; a pasted control character must
# not make an export fail).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_EPOCH = datetime.date(1899, 12, 30)
_STYLE_BOLD, _STYLE_DATE, _STYLE_DATETIME = 1, 2, 3
SPOOL_MAX_MEMORY = 4 * 1024 * 1024  # bytes of a finished workbook kept in memory before it moves to a temporary file

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/></Relationships>'
)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _column(index):
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _text(value):
    return escape(_ILLEGAL.sub("", str(value)))


def _cell(ref, value, style=0):
    if value is None or value == "":
        return f'<c r="{ref}"/>'  # an empty cell, so readers see every row as wide as the header
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float | decimal.Decimal):
        return f'<c r="{ref}"><v>{value}</v></c>'
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            from django.utils import timezone

            value = timezone.localtime(value).replace(tzinfo=None)
        serial = (value - datetime.datetime(1899, 12, 30)).total_seconds() / 86400  # noqa: DTZ001 - Excel's epoch
        return f'<c r="{ref}" s="{_STYLE_DATETIME}"><v>{serial!r}</v></c>'
    if isinstance(value, datetime.date):
        return f'<c r="{ref}" s="{_STYLE_DATE}"><v>{(value - _EPOCH).days}</v></c>'
    style_attr = f' s="{style}"' if style else ""
    return f'<c r="{ref}" t="inlineStr"{style_attr}><is><t xml:space="preserve">{_text(value)}</t></is></c>'


def write_workbook(file, title, headers, rows):
    """Write an .xlsx with one sheet ``title`` to ``file`` (binary, writable, seekable): a bold, frozen header row,
    then ``rows`` (any iterable of sequences, consumed once, a thousand rows at a time). Returns the row count."""
    columns = [_column(i) for i in range(max(len(headers), 1) + 64)]

    def ref(i, number):
        return f"{columns[i] if i < len(columns) else _column(i)}{number}"

    written = 0
    with zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", _CONTENT_TYPES)
        book.writestr("_rels/.rels", _ROOT_RELS)
        book.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        book.writestr("xl/styles.xml", _STYLES)
        book.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<sheets><sheet name="{_text(str(title)[:31])}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        with book.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b'<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" state="frozen"/>'
                b"</sheetView></sheetViews><sheetData>"
            )
            header = "".join(_cell(ref(i, 1), h, _STYLE_BOLD) for i, h in enumerate(headers))
            chunk = [f'<row r="1">{header}</row>']
            for number, row in enumerate(rows, start=2):
                cells = "".join(_cell(ref(i, number), v) for i, v in enumerate(row))
                chunk.append(f'<row r="{number}">{cells}</row>')
                written += 1
                if len(chunk) >= 1000:
                    sheet.write("".join(chunk).encode())
                    chunk = []
            sheet.write("".join(chunk).encode())
            sheet.write(b"</sheetData></worksheet>")
    return written


def workbook_bytes(title, headers, rows):
    """The .xlsx of ``write_workbook`` as bytes, for small sheets."""
    buffer = BytesIO()
    write_workbook(buffer, title, headers, rows)
    return buffer.getvalue()


def workbook_file(title, headers, rows, *, max_memory=SPOOL_MAX_MEMORY):
    """The .xlsx of ``write_workbook`` in a temporary file, rewound, and the number of rows written.

    The file stays in memory up to ``max_memory`` bytes and moves to disk beyond, so a 150,000-row sheet costs the
    worker one thousand rows of XML at a time, never the whole workbook. The caller closes the file (a
    ``FileResponse`` does it when the download ends).
    """
    file = tempfile.SpooledTemporaryFile(max_size=max_memory)  # noqa: SIM115 - handed to the caller, who closes it
    try:
        written = write_workbook(file, title, headers, rows)
    except BaseException:
        file.close()
        raise
    file.seek(0)
    return file, written
