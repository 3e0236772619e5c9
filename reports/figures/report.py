"""The yearly / quarterly report: a newsletter-style summary with the figures filled in, as paragraphs for the
printable page and as a PDF (reportlab). Both take the composed figures of :mod:`reports.figures.selectors`."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from reports.figures.tables import build_tables

CID_FONT = "STSong-Light"  # reportlab's built-in Chinese CID font: no font file, text stays extractable


def _n(value, digits=None):
    if value is None:
        return "—"
    if digits is not None and isinstance(value, float):
        return f"{value:.{digits}f}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _change(current, previous):
    """ "，较上期提高X个百分点" / "降低" / "持平"; empty when either side is missing."""
    if current is None or previous is None:
        return ""
    diff = round(current - previous, 1)
    if diff > 0:
        return _("，较上期提高%(d)s个百分点") % {"d": _n(diff)}
    if diff < 0:
        return _("，较上期降低%(d)s个百分点") % {"d": _n(-diff)}
    return _("，与上期持平")


def paragraphs(figures):
    """The report's sentences, in the order the newsletters tell them."""
    period, region = figures["period"]["label"], figures["region"]["name"]
    cur, prev = figures["current"], figures["previous"]
    p, pp = cur["proposals"], prev["proposals"]
    deputies = figures["deputies"]
    levels = pgettext("punctuation", "、").join(
        _("%(label)s%(n)d名") % {"label": row["label"], "n": row["in_office"]} for row in deputies["rows"]
    )
    texts = [
        _("%(region)s现有在任代表%(n)d名%(levels)s。")
        % {
            "region": region,
            "n": deputies["in_office"],
            "levels": pgettext("punctuation", "（%(text)s）") % {"text": levels} if levels else "",
        },
        _(
            "%(period)s，共收到代表建议%(submitted)d件，立案%(accepted)d件，并案%(merged)d件。"
            "已答复%(total)d件，其中A类%(a)d件、B类%(b)d件、C类%(c)d件，AB类占比%(ab)s%%%(ab_change)s。"
        )
        % {
            "period": period,
            "submitted": p["review"]["submitted"],
            "accepted": p["review"]["accepted"],
            "merged": p["review"]["merged"],
            "total": p["classes"]["total"],
            "a": p["classes"]["a"],
            "b": p["classes"]["b"],
            "c": p["classes"]["c"],
            "ab": _n(p["classes"]["ab_share"], 1),
            "ab_change": _change(p["classes"]["ab_share"], pp["classes"]["ab_share"]),
        },
        _(
            "代表对%(rated)d件建议的办理情况进行了满意度测评，满意率%(rate)s%%%(rate_change)s；"
            "按时答复率%(on_time)s%%。重点督办建议%(key)d件，已办结%(closed)d件。"
        )
        % {
            "rated": p["satisfaction"]["rated"],
            "rate": _n(p["satisfaction"]["rate"], 1),
            "rate_change": _change(p["satisfaction"]["rate"], pp["satisfaction"]["rate"]),
            "on_time": _n(p["on_time"]["rate"], 1),
            "key": p["key_supervision"]["count"],
            "closed": p["key_supervision"]["closed"],
        },
        _(
            "%(period)s，%(stations)d个联络站共开展接待活动%(held)d次，接待群众%(citizens)d人次，"
            "收集群众意见%(collected)d条，已处理%(solved)d条，办结率%(share)s%%；转12345热线%(forwarded)d件，"
            "已办结%(hotline_solved)d件。"
        )
        % {
            "period": period,
            "stations": figures["stations"]["total"],
            "held": cur["stations"]["reception_days_held"],
            "citizens": cur["stations"]["citizens_received"],
            "collected": cur["stations"]["opinions_collected"],
            "solved": cur["stations"]["solved"],
            "share": _n(cur["stations"]["share_solved"], 1),
            "forwarded": cur["stations"]["hotline"]["forwarded"],
            "hotline_solved": cur["stations"]["hotline"]["solved"],
        },
        _("%(period)s，各代表小组开展活动%(groups)d次，代表活动共%(activities)d次，代表参加活动%(attendances)d人次。")
        % {
            "period": period,
            "groups": cur["activities"]["group_activities"],
            "activities": cur["activities"]["activities"],
            "attendances": cur["activities"]["attendances"],
        },
        _("代表参加培训%(trained)d人、%(times)d人次。")
        % {"trained": cur["activities"]["trained_deputies"], "times": cur["activities"]["training_attendances"]},
        _("本期代表履职积分人均%(avg)s分，共%(seats)d名代表参与积分。")
        % {"avg": _n(cur["points"]["average"]), "seats": cur["points"]["seats"]},
        _(
            "%(year)d年票决产生民生实事项目%(projects)d项，预算总额%(budget)s万元，已完成%(finished)d项，"
            "平均进度%(progress)s%%，代表满意率%(rate)s%%。"
        )
        % {
            "year": figures["period"]["start"].year,
            "projects": cur["projects"]["projects"],
            "budget": _n(cur["projects"]["budget_total"], 2),
            "finished": cur["projects"]["finished"],
            "progress": _n(cur["projects"]["average_progress"], 1),
            "rate": _n(cur["projects"]["satisfaction_rate"], 1),
        },
    ]
    return texts


def report_title(figures):
    return _("%(region)s%(period)s代表工作情况报告") % {
        "region": figures["region"]["name"],
        "period": figures["period"]["label"],
    }


def report_pdf(figures, *, as_of=None):
    """The report as PDF bytes: title, the summary paragraphs, then every dashboard table."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    if CID_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    title_style = ParagraphStyle("title", fontName=CID_FONT, fontSize=18, leading=26, alignment=1, spaceAfter=6)
    meta_style = ParagraphStyle("meta", fontName=CID_FONT, fontSize=9, leading=13, alignment=1, textColor="#555555")
    body_style = ParagraphStyle(
        "body", fontName=CID_FONT, fontSize=11, leading=19, firstLineIndent=22, wordWrap="CJK", spaceAfter=6
    )
    heading_style = ParagraphStyle("h2", fontName=CID_FONT, fontSize=12, leading=18, spaceBefore=10, spaceAfter=4)
    cell_style = ParagraphStyle("cell", fontName=CID_FONT, fontSize=9, leading=12, wordWrap="CJK")

    as_of = timezone.localtime(as_of or timezone.now())
    story = [
        Paragraph(report_title(figures), title_style),
        Paragraph(
            _("统计区间：%(start)s 至 %(end)s · 数据截至 %(as_of)s")
            % {
                "start": figures["period"]["start"].isoformat(),
                "end": figures["period"]["end"].isoformat(),
                "as_of": as_of.strftime("%Y-%m-%d %H:%M"),
            },
            meta_style,
        ),
        Spacer(1, 6 * mm),
    ]
    story += [Paragraph(text, body_style) for text in paragraphs(figures)]
    for table in build_tables(figures):
        story.append(Paragraph(table.title, heading_style))
        rows = [[Paragraph(str(c), cell_style) for c in table.columns]]
        rows += [[Paragraph("—" if v is None else str(v), cell_style) for v in row] for row in table.shown_rows]
        if len(rows) == 1:
            rows.append([Paragraph(_("本期无数据"), cell_style)] + [""] * (len(table.columns) - 1))
        grid = Table(rows, repeatRows=1, hAlign="LEFT")
        grid.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f7")),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ]
            )
        )
        story.append(grid)
        if table.more_rows:
            story.append(Paragraph(table.limit_note, meta_style))
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=report_title(figures),
    )
    doc.build(story)
    return out.getvalue()
