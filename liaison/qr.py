"""QR codes (码上找代表, an activity's sign-in code) as PNG/SVG and the printable poster PDF, with the Chinese text as real
text."""

import io

import segno
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

# Adobe's built-in CID font: every PDF reader knows it, nothing is embedded, and the text stays searchable.
# (The Noto CJK fonts on these machines are CFF-flavoured OpenType, which reportlab cannot embed.)
CJK_FONT = "STSong-Light"


def _register_font():
    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    return CJK_FONT


def qr_png(url, scale=10):
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=scale, border=2)
    return out.getvalue()


def qr_svg(url, scale=8):
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=scale, border=2, xmldecl=True)
    return out.getvalue()


def poster_pdf(*, title, subtitle, lines, url, footer):
    """An A4 poster: the station (or deputy) name, who is there, the code, and how to use it."""
    font = _register_font()
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    pdf.setTitle(title)
    width, height = A4
    pdf.setFont(font, 28)
    pdf.drawCentredString(width / 2, height - 40 * mm, title)
    pdf.setFont(font, 16)
    pdf.drawCentredString(width / 2, height - 52 * mm, subtitle)
    size = 110 * mm
    png = qr_png(url, scale=12)
    from reportlab.lib.utils import ImageReader

    pdf.drawImage(ImageReader(io.BytesIO(png)), (width - size) / 2, height - 60 * mm - size, size, size)
    y = height - 75 * mm - size
    pdf.setFont(font, 13)
    for line in lines:
        pdf.drawCentredString(width / 2, y, line)
        y -= 8 * mm
    pdf.setFont(font, 10)
    pdf.drawCentredString(width / 2, 20 * mm, footer)
    pdf.drawCentredString(width / 2, 14 * mm, url)
    pdf.showPage()
    pdf.save()
    return out.getvalue()
