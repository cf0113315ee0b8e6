"""A certificate as a one-page A4 landscape PDF (fpdf2, pure Python), with its QR code (segno).

fpdf2 was chosen over HTML-to-PDF engines (WeasyPrint needs Pango and other system
libraries; wkhtmltopdf is unmaintained): it is a maintained pure-Python package, fast, and
a certificate is a fixed layout. The fonts (DejaVu Sans) ship in ``fonts/`` so every name
prints, whatever the server has installed. The browser's print view of the HTML page
(print stylesheet) gives the same certificate for printing.
"""

from __future__ import annotations

from pathlib import Path

import segno
from fpdf import FPDF

from ..formatting import tanggal
from ..models import Certificate

FONTS = Path(__file__).with_name("fonts")
GREEN = (11, 110, 79)
INK = (29, 38, 34)
MUTED = (86, 99, 93)


def qr_code(url: str) -> segno.QRCode:
    return segno.make(url, error="m")


def certificate_pdf(certificate: Certificate, verify_url: str, signatory: str) -> bytes:
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_title(f"Sertifikat {certificate.number}")
    pdf.set_author(certificate.issuer)
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.add_page()
    width = pdf.w
    pdf.set_draw_color(*GREEN)
    pdf.set_line_width(1.6)
    pdf.rect(10, 10, width - 20, pdf.h - 20)
    pdf.set_line_width(0.4)
    pdf.rect(14, 14, width - 28, pdf.h - 28)

    def line(text: str, size: float, y: float, bold: bool = False, color=INK) -> None:
        pdf.set_font("DejaVu", "B" if bold else "", size)
        pdf.set_text_color(*color)
        pdf.set_xy(20, y)
        pdf.multi_cell(width - 40, size * 0.5, text, align="C")

    line(certificate.issuer.upper(), 12, 24, bold=True, color=GREEN)
    line("SERTIFIKAT", 34, 36, bold=True, color=GREEN)
    line(f"Nomor {certificate.number}", 11, 54, color=MUTED)
    line("diberikan kepada", 12, 66)
    line(certificate.name, 24, 76, bold=True)
    line(f"NIP {certificate.nip}", 11, 90, color=MUTED)
    line("yang telah menyelesaikan kursus e-learning", 12, 102)
    line(certificate.course_title, 18, 112, bold=True)
    line(f"{certificate.jp} jam pelajaran (JP) · selesai {tanggal(certificate.completed_on)}", 12, 132)

    pdf.set_font("DejaVu", "", 11)
    pdf.set_text_color(*INK)
    pdf.set_xy(width - 120, 148)
    pdf.multi_cell(95, 6, f"Sleman, {tanggal(certificate.completed_on)}\n{signatory}", align="C")

    size, left, top = 34.0, 30.0, 146.0
    matrix = qr_code(verify_url).matrix
    module = size / len(matrix)
    pdf.set_fill_color(*INK)
    for row, cells in enumerate(matrix):
        for column, dark in enumerate(cells):
            if dark:
                pdf.rect(left + column * module, top + row * module, module, module, style="F")
    pdf.set_font("DejaVu", "", 8)
    pdf.set_text_color(*MUTED)
    pdf.set_xy(left + size + 4, top + 8)
    pdf.multi_cell(80, 4.5, f"Periksa keaslian sertifikat ini:\n{verify_url}")
    return bytes(pdf.output())
