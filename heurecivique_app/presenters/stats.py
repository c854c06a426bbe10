"""The evaluation dashboards' figures as screens, CSV files and the PDF show them.

Every table here is what a chart draws *and* its accessible alternative (the
same rows, as text), and what its CSV download holds: one source, so the three
never disagree.

The small-count rule: a count of people, missions or reports shown to anyone
but the commune's own staff (the département's coordinator, comparisons of
communes) is « moins de 5 » when it is under 5, zero included; a rate or a mean
over fewer than 5 is hidden the same way (it would give the count back). Hours
are not counts of anyone and are always shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from heurecivique_app.domain.enums import CATEGORY_LABELS, CHANNEL_LABELS
from heurecivique_app.domain.stats import RETENTION_OFFSETS, SMALL_COUNT, Summary
from heurecivique_app.domain.text import N_
from heurecivique_app.i18n import translate
from heurecivique_app.presenters.labels import category_label, report_category_label
from heurecivique_app.services.stats import StatsReport

FEWER_THAN = N_("fewer than 5")
NOTHING = "—"


def count_text(count: int, *, own_staff: bool, locale: str) -> str:
    """A count as shown: « moins de 5 » under 5 for anyone but the commune's staff.

    Args:
        count: people, missions or reports.
        own_staff: whether the viewer is the commune's own staff.
        locale: the viewer's language.
    """
    if not own_staff and count < SMALL_COUNT:
        return translate(FEWER_THAN, locale)
    return _number(count, locale)


def rate_text(part: int, whole: int, *, own_staff: bool, locale: str) -> str:
    """``part / whole`` as a percentage; hidden over fewer than 5 outside the staff."""
    if not whole:
        return NOTHING
    if not own_staff and whole < SMALL_COUNT:
        return translate(FEWER_THAN, locale)
    return f"{round(100 * part / whole)} %"


def share_text(share: float | None) -> str:
    """A share (0..1) as a percentage."""
    return NOTHING if share is None else f"{round(100 * share)} %"


def hours_text(minutes: int, locale: str) -> str:
    """Minutes as hours with one decimal, in the reader's style (1,5 / 1.5)."""
    return _decimal(minutes / 60, locale)


def duration_text(hours: float | None, locale: str) -> str:
    """A duration in hours, one decimal."""
    return NOTHING if hours is None else _decimal(hours, locale) + " h"


def _number(value: int, locale: str) -> str:
    text = f"{value:,}"
    return text.replace(",", "\u202f") if locale == "fr" else text


def _decimal(value: float, locale: str) -> str:
    text = f"{value:,.1f}"
    if locale == "fr":
        return text.replace(",", "\u202f").replace(".", ",")
    return text


@dataclass(frozen=True)
class Figure:
    """One key figure: what it is and its value, as shown."""

    label: str
    value: str


@dataclass(frozen=True)
class Table:
    """A chart's data table: its title, headers, rows of text, and the chart's numbers."""

    key: str
    title: str
    headers: list[str]
    rows: list[list[str]]
    # What the chart draws: one dict per bar group (numbers), same order as rows.
    chart: list[dict[str, str | float]] = field(default_factory=list)


@dataclass(frozen=True)
class Dashboard:
    """Everything a dashboard shows, translated."""

    title: str
    figures: list[Figure]
    tables: dict[str, Table]

    def table(self, key: str) -> Table:
        """One table by key."""
        return self.tables[key]


def _summary_cells(summary: Summary, *, own_staff: bool, locale: str) -> list[str]:
    if not own_staff and summary.count < SMALL_COUNT:
        hidden = translate(FEWER_THAN, locale)
        return [hidden, hidden]
    return [duration_text(summary.median, locale), duration_text(summary.p90, locale)]


def _mean_text(mean: float | None, total: int, *, own_staff: bool, locale: str) -> str:
    if mean is None:
        return NOTHING
    if not own_staff and total < SMALL_COUNT:
        return translate(FEWER_THAN, locale)
    return _decimal(mean, locale) + " / 5"


def key_figures(report: StatsReport, locale: str) -> list[Figure]:
    """The key figures, in the order the dashboard and the report give them."""
    staff = report.scope.own_staff

    def count(n: int) -> str:
        return count_text(n, own_staff=staff, locale=locale)

    def t(message: str) -> str:
        return translate(message, locale)

    bs, vs = report.beneficiary_satisfaction, report.volunteer_satisfaction
    return [
        Figure(t(N_("Hours given")), hours_text(report.minutes, locale)),
        Figure(t(N_("Volunteers signed up")), count(report.volunteers_signed_up)),
        Figure(t(N_("Volunteers validated")), count(report.volunteers_validated)),
        Figure(t(N_("Active volunteers (gave their hour in a month)")),
               count(report.volunteers_active)),
        Figure(t(N_("Share who kept the one-hour pledge")), share_text(report.pledge_share)),
        Figure(t(N_("Missions created")), count(report.missions_created)),
        Figure(t(N_("Missions filled")), count(report.missions_filled)),
        Figure(t(N_("Missions done")), count(report.missions_done)),
        Figure(t(N_("Missions cancelled")), count(report.missions_cancelled)),
        Figure(t(N_("Missions expired")), count(report.missions_expired)),
        Figure(t(N_("Fill rate")), rate_text(report.missions_filled, report.missions_created,
                                             own_staff=staff, locale=locale)),
        Figure(t(N_("Time to find a volunteer (median)")),
               _summary_cells(report.time_to_fill, own_staff=staff, locale=locale)[0]),
        Figure(t(N_("Time to find a volunteer (90th percentile)")),
               _summary_cells(report.time_to_fill, own_staff=staff, locale=locale)[1]),
        Figure(t(N_("Beneficiaries helped")), count(report.beneficiaries_helped)),
        Figure(t(N_("Beneficiaries' satisfaction")),
               _mean_text(bs.mean, bs.total, own_staff=staff, locale=locale)),
        Figure(t(N_("Volunteers' satisfaction")),
               _mean_text(vs.mean, vs.total, own_staff=staff, locale=locale)),
        Figure(t(N_("Incidents")), count(report.incidents)),
        Figure(t(N_("Relay reports")), count(sum(report.reports_by_category.values()))),
        Figure(t(N_("Time to answer a report (median)")),
               _summary_cells(report.report_answer, own_staff=staff, locale=locale)[0]),
        Figure(t(N_("Time to answer a report (90th percentile)")),
               _summary_cells(report.report_answer, own_staff=staff, locale=locale)[1]),
        Figure(t(N_("Attendance at collective actions")),
               rate_text(report.attendance_present, report.attendance_checked,
                         own_staff=staff, locale=locale)),
    ]


def months_table(report: StatsReport, locale: str) -> Table:
    """Hours per month by category, and who gave their hour."""
    categories = [c for c in CATEGORY_LABELS if any(
        c in m.minutes_by_category for m in report.months)]
    headers = [translate(N_("Month"), locale), translate(N_("Hours"), locale),
               *[category_label(c, locale) for c in categories],
               translate(N_("Volunteers who gave their hour"), locale)]
    rows, chart = [], []
    for month in report.months:
        rows.append([month.month, hours_text(month.minutes, locale),
                     *[hours_text(month.minutes_by_category.get(c, 0), locale)
                       for c in categories],
                     count_text(month.active, own_staff=report.scope.own_staff,
                                locale=locale)])
        point: dict[str, str | float] = {"label": month.month,
                                         "hours": round(month.minutes / 60, 1)}
        for category in CATEGORY_LABELS:
            point[str(category)] = round(month.minutes_by_category.get(category, 0) / 60, 1)
        chart.append(point)
    return Table("months", translate(N_("Hours given per month, by category"), locale),
                 headers, rows, chart)


def channels_table(report: StatsReport, locale: str) -> Table:
    """Fill rate and time to find a volunteer by intake channel."""
    staff = report.scope.own_staff
    headers = [translate(m, locale) for m in (
        N_("Intake channel"), N_("Missions created"), N_("Missions filled"), N_("Fill rate"),
        N_("Time to find a volunteer (median)"),
        N_("Time to find a volunteer (90th percentile)"))]
    rows, chart = [], []
    for row in report.channels:
        label = translate(CHANNEL_LABELS.get(row.channel, row.channel), locale)
        rows.append([label, count_text(row.created, own_staff=staff, locale=locale),
                     count_text(row.filled, own_staff=staff, locale=locale),
                     rate_text(row.filled, row.created, own_staff=staff, locale=locale),
                     *_summary_cells(row.time_to_fill, own_staff=staff, locale=locale)])
        visible = staff or row.created >= SMALL_COUNT
        chart.append({"label": label,
                      "rate": round(100 * (row.fill_rate or 0)) if visible else 0})
    return Table("channels", translate(N_("Fill rate by intake channel"), locale),
                 headers, rows, chart)


def retention_table(report: StatsReport, locale: str) -> Table:
    """Retention by month of sign-up."""
    headers = [translate(N_("Month of sign-up"), locale),
               translate(N_("Signed up"), locale),
               *[translate(N_("Still giving after {months} months"), locale, months=k)
                 for k in RETENTION_OFFSETS]]
    rows, chart = [], []
    for row in report.retention:
        small = not report.scope.own_staff and row.signed_up < SMALL_COUNT
        hidden = translate(FEWER_THAN, locale)
        rows.append([row.month, count_text(row.signed_up, own_staff=report.scope.own_staff,
                                           locale=locale),
                     *[hidden if small else share_text(s) for s in row.shares]])
        point: dict[str, str | float] = {"label": row.month}
        for offset, share in zip(RETENTION_OFFSETS, row.shares, strict=True):
            point[f"m{offset}"] = 0 if small or share is None else round(100 * share)
        chart.append(point)
    return Table("retention", translate(N_("Retention by month of sign-up"), locale),
                 headers, rows, chart)


def satisfaction_table(report: StatsReport, locale: str) -> Table:
    """Both sides' satisfaction: how many gave each score."""
    staff = report.scope.own_staff
    headers = [translate(N_("Score"), locale), translate(N_("Beneficiaries"), locale),
               translate(N_("Volunteers"), locale)]
    rows, chart = [], []
    for score in range(1, 6):
        b = report.beneficiary_satisfaction.counts[score - 1]
        v = report.volunteer_satisfaction.counts[score - 1]
        rows.append([f"{score} / 5", count_text(b, own_staff=staff, locale=locale),
                     count_text(v, own_staff=staff, locale=locale)])
        chart.append({"label": f"{score}",
                      "beneficiaries": b if staff or b >= SMALL_COUNT else 0,
                      "volunteers": v if staff or v >= SMALL_COUNT else 0})
    return Table("satisfaction", translate(N_("Satisfaction of both sides"), locale),
                 headers, rows, chart)


def reports_table(report: StatsReport, locale: str) -> Table:
    """Relay reports by category."""
    staff = report.scope.own_staff
    headers = [translate(N_("Category"), locale), translate(N_("Relay reports"), locale)]
    rows, chart = [], []
    for category, count in report.reports_by_category.items():
        label = report_category_label(category, locale)
        rows.append([label, count_text(count, own_staff=staff, locale=locale)])
        chart.append({"label": label, "count": count if staff or count >= SMALL_COUNT else 0})
    return Table("reports", translate(N_("Relay reports by category"), locale),
                 headers, rows, chart)


def gestures_table(report: StatsReport, locale: str) -> Table:
    """The gestures most given: categories by missions done, and their hours."""
    staff = report.scope.own_staff
    minutes = report.minutes_by_category
    headers = [translate(N_("Gesture"), locale), translate(N_("Missions done"), locale),
               translate(N_("Hours"), locale)]
    rows, chart = [], []
    for gesture in report.gestures:
        label = category_label(gesture.category, locale)
        rows.append([label, count_text(gesture.missions_done, own_staff=staff, locale=locale),
                     hours_text(minutes.get(gesture.category, 0), locale)])
        chart.append({"label": label, "count": gesture.missions_done
                      if staff or gesture.missions_done >= SMALL_COUNT else 0})
    return Table("gestures", translate(N_("Gestures most given"), locale), headers, rows, chart)


def communes_table(report: StatsReport, locale: str) -> Table:
    """The département's communes compared (counts under 5 hidden: not their staff)."""
    headers = [translate(m, locale) for m in (
        N_("Commune"), N_("Hours"), N_("Active volunteers"), N_("Volunteers signed up"),
        N_("Missions created"), N_("Missions filled"), N_("Fill rate"))]
    rows, chart = [], []
    for row in report.communes:
        def count(n: int) -> str:
            return count_text(n, own_staff=False, locale=locale)

        rows.append([row.name, hours_text(row.minutes, locale), count(row.volunteers_active),
                     count(row.volunteers_signed_up), count(row.missions_created),
                     count(row.missions_filled),
                     rate_text(row.missions_filled, row.missions_created, own_staff=False,
                               locale=locale)])
        chart.append({"label": row.name, "hours": round(row.minutes / 60, 1),
                      "commune_id": float(row.commune_id)})
    return Table("communes", translate(N_("Communes compared"), locale), headers, rows, chart)


def dashboard(report: StatsReport, locale: str) -> Dashboard:
    """Every figure and table of a report, translated."""
    tables = [months_table(report, locale), channels_table(report, locale),
              retention_table(report, locale), satisfaction_table(report, locale),
              reports_table(report, locale), gestures_table(report, locale)]
    if report.scope.kind == "departement":
        tables.append(communes_table(report, locale))
    names = ", ".join(report.scope.names.values()) if report.scope.kind == "commune" else ""
    title = (translate(N_("Evaluation of {name}"), locale, name=names) if names
             else translate(N_("Evaluation of the département"), locale))
    return Dashboard(title, key_figures(report, locale), {t.key: t for t in tables})


@dataclass(frozen=True)
class ReportChart:
    """A chart of the printed report: a title and one bar per label."""

    title: str
    labels: list[str]
    values: list[float]


@dataclass(frozen=True)
class ReportText:
    """The printed report for the municipal council, translated (adapters/council_report)."""

    title: str
    period: str
    figures: list[tuple[str, str]]
    charts: list[ReportChart]
    stories: list[tuple[str, str]]
    stories_heading: str
    footer: str


def report_text(report: StatsReport, stories: list[tuple[str, str]], locale: str
                ) -> ReportText:
    """The council's report of one period: key figures, three charts, the stories.

    Args:
        report: the figures (small counts hidden as on the dashboard).
        stories: published success stories ``(title, text)``: public, anonymous.
        locale: the council's language.
    """
    board = dashboard(report, locale)
    period = report.filters.period
    last = date.fromordinal(period.end.toordinal() - 1)
    months = board.table("months").chart
    channels = board.table("channels").chart
    satisfaction = board.table("satisfaction").chart
    charts = [
        ReportChart(board.table("months").title, [str(p["label"]) for p in months],
                    [float(p["hours"]) for p in months]),
        ReportChart(board.table("channels").title, [str(p["label"]) for p in channels],
                    [float(p["rate"]) for p in channels]),
        ReportChart(translate(N_("Beneficiaries' satisfaction"), locale),
                    [f"{p['label']} / 5" for p in satisfaction],
                    [float(p["beneficiaries"]) for p in satisfaction]),
    ]
    return ReportText(
        title=board.title,
        period=translate(N_("From {start} to {end}"), locale, start=period.start.isoformat(),
                         end=last.isoformat()),
        figures=[(f.label, f.value) for f in board.figures],
        charts=charts, stories=stories,
        stories_heading=translate(N_("Success stories"), locale),
        footer=translate(N_("L'Heure Civique · evaluation report"), locale))


# Sequential blues (ColorBrewer "Blues", 5 classes): few hours light, many dark.
SHADES = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")


def commune_markers(report: StatsReport, points: dict[int, tuple[float, float]],
                    locale: str) -> list[dict[str, object]]:
    """The département's map: one dot per commune, shaded by the hours given.

    Args:
        report: a département's report (its commune rows).
        points: where each commune is drawn (``services.stats.commune_points``).
        locale: the reader's language.

    Returns:
        ``{"center": [lat, lon], "colour", "label"}`` per commune with a point; the
        shade is the commune's fifth of the largest total (hours are shown to all).
    """
    most = max((row.minutes for row in report.communes), default=0) or 1
    markers = []
    for row in report.communes:
        if row.commune_id not in points:
            continue
        shade = SHADES[min(len(SHADES) - 1, int(len(SHADES) * row.minutes / most))]
        markers.append({
            "center": list(points[row.commune_id]), "colour": shade,
            "label": f"{row.name} : {hours_text(row.minutes, locale)} h" if locale == "fr"
            else f"{row.name}: {hours_text(row.minutes, locale)} h"})
    return markers


# Seconds between two refreshes of one commune's open dashboards (realtime/live.py).
LIVE_INTERVAL = 3.0


def stats_vars(_session: object, key: int, _locale: str, _timezone: str) -> dict[str, int]:
    """The live broadcast to a commune's dashboards: only that something changed.

    Each dashboard has its own period and filters, so the broadcast carries no
    figure: each tab, seeing ``live_version`` move, asks for its own figures again
    (``StatsState.refresh``), at most once per ``LIVE_INTERVAL`` per commune.
    """
    return {"live_commune": key}


TABLE_KEYS = ("months", "channels", "retention", "satisfaction", "reports", "gestures",
              "communes")
