"""The dashboard's tables, built from the composed figures: each is shown beside its chart, exported as .xlsx
and drawn by static/js/dashboard.js from the same rows (so chart, table and download always agree)."""

import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from stations.models import Opinion

OVERDUE_UNITS_SHOWN = 20  # the units with the most overdue work; the rest are in the table's download


@dataclass
class Table:
    key: str
    title: str
    columns: list
    rows: list
    chart: str = "bar"  # bar | pie | hbar | none
    series: list = field(default_factory=list)  # column indexes drawn as series (default: all but the first)
    note: str = ""
    category: int = 0  # the column that names the bars / slices
    limit: int | None = None  # rows shown on the page, chart and report (the .xlsx has them all)

    @property
    def shown_rows(self):
        return self.rows if self.limit is None else self.rows[: self.limit]

    @property
    def more_rows(self):
        """How many rows the page leaves to the download (a province has 1,700 units with overdue work)."""
        return len(self.rows) - len(self.shown_rows)

    @property
    def limit_note(self):
        if not self.more_rows:
            return ""
        return _("显示前 %(shown)d 行（共 %(total)d 行），完整数据请下载表格。") % {
            "shown": len(self.shown_rows),
            "total": len(self.rows),
        }

    @property
    def display_rows(self):
        """Rows as (value, numeric) pairs: numbers are right-aligned, words are not."""
        return [[(value, isinstance(value, int | float)) for value in row] for row in self.shown_rows]

    @property
    def numeric_columns(self):
        return [
            bool(self.rows) and all(isinstance(row[i], int | float) or row[i] is None for row in self.rows)
            for i in range(len(self.columns))
        ]

    @property
    def header(self):
        return list(zip(self.columns, self.numeric_columns, strict=True))

    @property
    def has_data(self):
        """Something to draw: at least one non-zero number in the drawn columns."""
        series = self.series or list(range(1, len(self.columns)))
        return any(row[i] not in (None, 0) for row in self.rows for i in series)

    def chart_spec(self):
        """What the chart script needs: categories from column 0, one series per numeric column."""
        series = self.series or list(range(1, len(self.columns)))
        return {
            "key": self.key,
            "type": self.chart,
            "title": self.title,
            "categories": [str(row[self.category]) for row in self.shown_rows],
            "series": [
                {"name": str(self.columns[i]), "data": [_plain(row[i]) for row in self.shown_rows]} for i in series
            ],
        }


def _plain(value):
    return 0 if value is None else value


def _pct(value):
    return "—" if value is None else f"{value}%"


def build_tables(figures):
    current, previous = figures["current"], figures["previous"]
    cur_p, prev_p = current["proposals"], previous["proposals"]
    this, before = figures["period"]["label"], figures["previous_period"]["label"]
    cur_s, prev_s = current["stations"], previous["stations"]
    cur_a, prev_a = current["activities"], previous["activities"]
    outcome_labels = dict(Opinion.Status.choices)
    tables = [
        Table(
            "stations",
            _("联络站（按站点形式）"),
            [_("站点形式"), _("站点数")],
            [[row["label"], row["count"]] for row in figures["stations"]["rows"]],
            chart="pie",
        ),
        Table(
            "receptions",
            _("接待群众与意见收集"),
            [_("指标"), this, before],
            [
                [_("接待日（次）"), cur_s["reception_days_held"], prev_s["reception_days_held"]],
                [_("接待群众（人次）"), cur_s["citizens_received"], prev_s["citizens_received"]],
                [_("收集意见（条）"), cur_s["opinions_collected"], prev_s["opinions_collected"]],
                [_("已处理（条）"), cur_s["solved"], prev_s["solved"]],
            ],
        ),
        Table(
            "opinion_outcomes",
            _("群众意见办理结果（办结率 %(share)s）") % {"share": _pct(cur_s["share_solved"])},
            [_("办理结果"), _("条数")],
            [[str(outcome_labels[key]), count] for key, count in cur_s["by_outcome"].items()],
            chart="pie",
        ),
        Table(
            "hotline",
            _("转12345热线工单"),
            [_("指标"), this, before],
            [
                [_("转12345（件）"), cur_s["hotline"]["forwarded"], prev_s["hotline"]["forwarded"]],
                [_("已办结（件）"), cur_s["hotline"]["solved"], prev_s["hotline"]["solved"]],
            ],
        ),
        Table(
            "activities",
            _("代表活动"),
            [_("指标"), this, before],
            [
                [_("代表小组活动次数"), cur_a["group_activities"], prev_a["group_activities"]],
                [_("代表活动（次）"), cur_a["activities"], prev_a["activities"]],
                [_("活动参加人次"), cur_a["attendances"], prev_a["attendances"]],
                [_("参加培训代表（人）"), cur_a["trained_deputies"], prev_a["trained_deputies"]],
                [_("培训（人次）"), cur_a["training_attendances"], prev_a["training_attendances"]],
            ],
        ),
        Table(
            "activities_by_region",
            _("代表活动（按地区，%(period)s）") % {"period": this},
            [_("地区"), _("代表小组活动次数"), _("活动参加人次")],
            [
                [_("%(region)s（本级）") % {"region": row["region"]} if row["own"] else row["region"]]
                + [row["group_activities"], row["attendances"]]
                for row in cur_a["by_region"]
            ],
        ),
        Table(
            "deputies",
            _("代表人数（按层级、状态）"),
            [_("层级"), _("在任"), _("资格终止")],
            [[row["label"], row["in_office"], row["terminated"]] for row in figures["deputies"]["rows"]],
        ),
        Table(
            "points_distribution",
            _("履职积分分布"),
            [_("积分区间"), _("代表人数")],
            [[row["label"], row["count"]] for row in current["points"]["distribution"]],
        ),
        Table(
            "points_top",
            _("履职积分前十名"),
            [_("排名"), _("代表"), _("人民代表大会"), _("积分")],
            [[row["rank"], row["deputy"], row["congress"], row["points"]] for row in current["points"]["top"]],
            chart="hbar",
            series=[3],
            category=1,
        ),
        Table(
            "proposal_review",
            _("建议提交与审核"),
            [_("指标"), this, before],
            [
                [_("提交"), cur_p["review"]["submitted"], prev_p["review"]["submitted"]],
                [_("立案"), cur_p["review"]["accepted"], prev_p["review"]["accepted"]],
                [_("并案"), cur_p["review"]["merged"], prev_p["review"]["merged"]],
                [_("退回"), cur_p["review"]["returned"], prev_p["review"]["returned"]],
            ],
        ),
        Table(
            "reply_classes",
            _("答复类别（A+B类占比 %(share)s）") % {"share": _pct(cur_p["classes"]["ab_share"])},
            [_("类别"), _("件数")],
            [
                [_("A类"), cur_p["classes"]["a"]],
                [_("B类"), cur_p["classes"]["b"]],
                [_("C类"), cur_p["classes"]["c"]],
            ],
            chart="pie",
        ),
        Table(
            "satisfaction",
            _("满意度测评（满意率 %(rate)s）") % {"rate": _pct(cur_p["satisfaction"]["rate"])},
            [_("测评结果"), _("件数")],
            [
                [_("满意"), cur_p["satisfaction"]["satisfied"]],
                [_("基本满意"), cur_p["satisfaction"]["basic"]],
                [_("不满意"), cur_p["satisfaction"]["unsatisfied"]],
            ],
            chart="pie",
        ),
        Table(
            "overdue_units",
            _("逾期未办结（按承办单位）"),
            [_("承办单位"), _("逾期件数")],
            [[row["name"], row["overdue"]] for row in cur_p["overdue_units"]],
            chart="hbar",
            limit=OVERDUE_UNITS_SHOWN,
        ),
        Table(
            "key_supervision",
            _("重点督办进展"),
            [_("状态"), _("件数")],
            [[label, count] for label, count in cur_p["key_supervision"]["by_status"].items()],
        ),
        Table(
            "joint_supervision",
            _("联合督办进展（%(items)d 项督办，现场督办 %(visits)d 次）")
            % {"items": cur_p["joint_supervision"]["items"], "visits": cur_p["joint_supervision"]["visits"]},
            [_("状态"), _("件数")],
            [[label, count] for label, count in cur_p["joint_supervision"]["by_status"].items()],
        ),
        Table(
            "projects",
            _("民生实事项目（%(year)s年）") % {"year": figures["period"]["start"].year},
            [_("指标"), this, before],
            [
                [_("项目数"), current["projects"]["projects"], previous["projects"]["projects"]],
                [_("已完成"), current["projects"]["finished"], previous["projects"]["finished"]],
                [_("预算总额（万元）"), current["projects"]["budget_total"], previous["projects"]["budget_total"]],
                [_("平均进度（%）"), current["projects"]["average_progress"], previous["projects"]["average_progress"]],
                [
                    _("满意率（%）"),
                    current["projects"]["satisfaction_rate"],
                    previous["projects"]["satisfaction_rate"],
                ],
            ],
            chart="none",
        ),
    ]
    return tables


def table_by_key(figures, key):
    for table in build_tables(figures):
        if table.key == key:
            return table
    return None


def table_xlsx(table, *, heading):
    """The table as an .xlsx workbook (bytes): a heading row naming region and period, then the table."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = table.key[:31]
    sheet.append([heading])
    sheet["A1"].font = Font(bold=True)
    sheet.append([str(c) for c in table.columns])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append(["" if v is None else (str(v) if not isinstance(v, int | float) else v) for v in row])
    for index, _column in enumerate(table.columns, start=1):
        sheet.column_dimensions[sheet.cell(row=2, column=index).column_letter].width = 22
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
