"""ReportLab's side of the whole-process report bench (report_process.rs).

Renders an N-row table of relief sites (name, municipality, prefecture, status,
opened) in Noto Sans JP, the font Kizuna embeds, as a subset (ReportLab embeds
every TrueType font as a subset of the glyphs used), with platypus as Sahana
Eden's PDF exports do. Run as a fresh process, like `kizuna report phase`.

usage: python reportlab_sites.py FONT.ttf OUT.pdf ROWS
"""

import sys

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle
from reportlab.lib.styles import ParagraphStyle

MUNICIPALITIES = [
    ("大船渡市", "岩手県"),
    ("陸前高田市", "岩手県"),
    ("釜石市", "岩手県"),
    ("上閉伊郡大槌町", "岩手県"),
    ("石巻市", "宮城県"),
    ("気仙沼市", "宮城県"),
    ("本吉郡南三陸町", "宮城県"),
    ("いわき市", "福島県"),
    ("南相馬市", "福島県"),
    ("相馬市", "福島県"),
]


def main() -> None:
    font, out, rows = sys.argv[1], sys.argv[2], int(sys.argv[3])
    pdfmetrics.registerFont(TTFont("NotoSansJP", font))
    style = ParagraphStyle("body", fontName="NotoSansJP", fontSize=8, leading=10)
    head = ParagraphStyle("head", parent=style, fontSize=14, leading=18)
    data = [["拠点 Site", "市区町村 Municipality", "都道府県", "状態 Status", "開設 Opened"]]
    for i in range(rows):
        town, pref = MUNICIPALITIES[i % len(MUNICIPALITIES)]
        status = "活動中 active" if i % 5 else "終了 closed"
        data.append([f"Sample Site {i + 1} 支援拠点", town, pref, status, f"2011-{4 + i % 9:02d}-{1 + i % 28:02d}"])
    table = Table(data, repeatRows=1, colWidths=[150, 110, 60, 80, 70])
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), "NotoSansJP", 8),
                ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.93, 0.94, 0.96)),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.Color(0.78, 0.78, 0.8)),
            ]
        )
    )
    doc = SimpleDocTemplate(out, pagesize=A4, title="Sites active in the period")
    doc.build([Paragraph("期間中に活動した拠点 Sites active in the period", head), table])


if __name__ == "__main__":
    main()
