//! The Daily report screen: the per-village table for the chosen day, town totals, the
//! trend chart, warnings and completeness; the entry form and sign-off prompts on top.

pub mod form;
pub mod panels;

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table, TableState};

use super::widgets::{Col, day_time_db, fit_columns, hhmm_db, num, panel};
use crate::app::report::{SortKey, ordered};
use crate::app::{Model, Screen};
use crate::domain::report::{Field, StoredRow};
use crate::domain::time::local_instant;
use crate::store::snapshot::Snapshot;

/// Height of the totals / chart / warnings band under the table.
const BAND: u16 = 14;

/// Draws the Daily report screen.
pub fn draw(f: &mut Frame<'_>, m: &Model, area: Rect) {
    let Some(s) = m.snapshot.as_deref() else {
        return;
    };
    let band = if area.height >= BAND + 8 { BAND } else { 0 };
    // the table takes what its rows need (it scrolls when the town is bigger)
    let table_h = (m.town.villages.len() as u16 + 3).min(area.height.saturating_sub(band + 1));
    let [title, table_area, band_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(table_h),
        Constraint::Min(band),
    ])
    .areas(area);
    draw_title(f, m, s, title);
    draw_table(f, m, s, table_area);
    if band > 0 {
        panels::draw(f, m, s, band_area);
    } else if band_area.height > 0 {
        panels::draw_compact(f, m, s, band_area);
    }
    form::draw(f, m, s, area);
}

/// True once the cutoff of the report screen's day has passed: the missing are late.
pub fn past_cutoff(m: &Model, s: &Snapshot) -> bool {
    s.now >= local_instant(s.report_date, m.town.info.report_cutoff, m.town.info.offset)
}

fn draw_title(f: &mut Frame<'_>, m: &Model, s: &Snapshot, area: Rect) {
    let th = m.theme();
    let expected = m.town.villages.len();
    let reported = m
        .town
        .villages
        .iter()
        .filter(|v| s.report_rows.contains_key(&v.code))
        .count();
    let mut parts = vec![
        Span::styled(
            m.lang.fmt(
                "report.day_title",
                &[
                    ("date", &s.report_date.to_string()),
                    ("reported", &reported.to_string()),
                    ("expected", &expected.to_string()),
                ],
            ),
            th.title(),
        ),
        Span::raw("  "),
    ];
    parts.push(match &s.report_sign {
        Some(si) if si.signed => Span::styled(
            m.lang.fmt("report.signed_by", &[("name", &si.by)]),
            th.locked(),
        ),
        Some(si) => Span::styled(
            m.lang.fmt(
                "report.reopened_by",
                &[("name", &si.by), ("reason", &si.reopen_reason)],
            ),
            th.warn(),
        ),
        None => Span::styled(m.t("report.draft"), th.muted()),
    });
    if s.report_date == s.today {
        parts.push(Span::styled(
            format!("  ({})", m.t("report.today")),
            th.muted(),
        ));
    }
    let cutoff = m.town.info.report_cutoff.format("%H:%M").to_string();
    let missing = expected - reported;
    parts.push(Span::raw("  "));
    parts.push(if missing == 0 {
        Span::styled(m.t("overview.all_reported"), th.ok())
    } else if past_cutoff(m, s) {
        Span::styled(
            m.lang.fmt(
                "report.late_count",
                &[("n", &missing.to_string()), ("cutoff", &cutoff)],
            ),
            th.overdue(),
        )
    } else {
        Span::styled(
            m.lang.fmt(
                "report.missing_count",
                &[("n", &missing.to_string()), ("cutoff", &cutoff)],
            ),
            th.warn(),
        )
    });
    f.render_widget(Paragraph::new(Line::from(parts)), area);
}

fn sort_mark(m: &Model, key: SortKey) -> &'static str {
    if m.report.sort != key {
        ""
    } else if m.report.reverse {
        "v"
    } else {
        "^"
    }
}

fn entered_text(m: &Model, date: NaiveDate, at: &str) -> String {
    let off = m.town.info.offset;
    let same_day = crate::domain::time::from_db(at)
        .is_some_and(|t| t.with_timezone(&off).date_naive() == date);
    if same_day {
        hhmm_db(at, off)
    } else {
        day_time_db(at, off)
    }
}

fn draw_table(f: &mut Frame<'_>, m: &Model, s: &Snapshot, area: Rect) {
    let th = m.theme();
    let late_now = past_cutoff(m, s);
    let header = table_header(m);
    let visible = area.height.saturating_sub(3) as usize;
    let villages = ordered(m);
    let (first, sel) =
        super::widgets::window(villages.len(), m.selected[Screen::Report.index()], visible);
    let cells: Vec<Vec<Line<'_>>> = villages
        .into_iter()
        .skip(first)
        .take(visible)
        .map(|v| {
            let mut cells = vec![Line::from(format!(
                "{} {}",
                v.code,
                m.town.place_name(&v.code, m.lang)
            ))];
            match s.report_rows.get(&v.code) {
                Some(r) => cells.extend(entered_cells(m, s.report_date, r)),
                None => cells.extend(missing_cells(m, s, &v.code, late_now)),
            }
            cells
        })
        .collect();
    let fitted = table_widths(area.width.saturating_sub(2), &header, &cells);
    let kept = |row: Vec<Line<'static>>| -> Vec<Line<'static>> {
        row.into_iter()
            .zip(&fitted)
            .filter(|(_, w)| w.is_some())
            .map(|(c, _)| c)
            .collect()
    };
    let rows: Vec<Row<'_>> = cells.into_iter().map(|c| Row::new(kept(c))).collect();
    let header = kept(header);
    let widths: Vec<Constraint> = fitted
        .iter()
        .flatten()
        .map(|w| Constraint::Length(*w))
        .collect();
    let title = m.lang.fmt(
        "report.villages_title",
        &[("hint", m.t("report.enter_hint"))],
    );
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(th.muted()))
        .row_highlight_style(th.selected())
        .block(panel(&title, &th));
    let mut state = TableState::default().with_selected(Some(sel));
    f.render_stateful_widget(table, area, &mut state);
    // rows below the border and the header line, for mouse clicks
    m.hits.rows(
        ratatui::layout::Rect {
            x: area.x + 1,
            y: area.y + 2,
            width: area.width.saturating_sub(2),
            height: area.height.saturating_sub(3),
        },
        first,
        m.town.villages.len(),
    );
}

/// The table's column titles, each with its sort mark.
fn table_header(m: &Model) -> Vec<Line<'static>> {
    let mut header = vec![Line::from(format!(
        "{}{}",
        m.t("report.col_village"),
        sort_mark(m, SortKey::Village)
    ))];
    header.extend(Field::ALL.iter().map(|fl| {
        Line::from(format!(
            "{}{}",
            m.t(fl.short_key()),
            sort_mark(m, SortKey::Figure(*fl))
        ))
        .right_aligned()
    }));
    header.push(Line::from(format!(
        "{}{}",
        m.t("report.col_entered"),
        sort_mark(m, SortKey::Entered)
    )));
    header
}

/// A reported village's cells after its name: the figures (a warned one marked `!`), then
/// when it was entered (and whether late).
fn entered_cells(m: &Model, date: NaiveDate, r: &StoredRow) -> Vec<Line<'static>> {
    let th = m.theme();
    let mut cells = Vec::new();
    for fl in Field::ALL {
        let warned = r.warnings.iter().any(|(wf, _)| *wf == Some(fl));
        let text = format!(
            "{}{}",
            num(r.figures.get(fl)),
            if warned { "!" } else { "" }
        );
        let style = if warned { th.warn() } else { th.text() };
        cells.push(Line::from(Span::styled(text, style)).right_aligned());
    }
    let mut entered = entered_text(m, date, &r.entered_at);
    if r.late {
        entered = format!("{entered} {}", m.t("report.late"));
    }
    cells.push(Line::from(Span::styled(
        entered,
        if r.late { th.warn() } else { th.muted() },
    )));
    cells
}

/// A village with no report yet: empty figures but the cumulative count carried forward
/// (marked as such), then "missing" (overdue past the cut-off).
fn missing_cells(m: &Model, s: &Snapshot, village: &str, late_now: bool) -> Vec<Line<'static>> {
    let th = m.theme();
    let carried = &s.report_summary.carried_values;
    let mut cells = Vec::new();
    for fl in Field::ALL {
        // the cumulative count carried forward, marked as such
        let carried = carried
            .get(village)
            .filter(|_| fl == Field::CumulativeInfections);
        cells.push(match carried {
            Some(c) => {
                Line::from(Span::styled(format!("{}*", num(Some(*c))), th.muted())).right_aligned()
            }
            None => Line::from(""),
        });
    }
    cells.push(Line::from(if late_now {
        Span::styled(m.t("report.missing_late"), th.overdue())
    } else {
        Span::styled(m.t("report.missing"), th.warn())
    }));
    cells
}

/// The table's column widths, `None` for a column left out. Sized by content (issue 19):
/// the village is cut first, down to 12 columns; then the figures a duty desk reads last
/// are left out (referrals, emergency visits, outpatients, inpatients, cumulative
/// infections); new infections, severe cases, deaths and the entry time always show.
fn table_widths(inner: u16, header: &[Line<'_>], cells: &[Vec<Line<'_>>]) -> Vec<Option<u16>> {
    let natural: Vec<u16> = (0..header.len())
        .map(|i| {
            let w = cells
                .iter()
                .map(|c| c[i].width())
                .chain([header[i].width()])
                .max()
                .unwrap_or(0);
            u16::try_from(w).unwrap_or(u16::MAX)
        })
        .collect();
    let rank = |f: Field| match f {
        Field::Referrals => Some(1),
        Field::EmergencyVisits => Some(2),
        Field::Outpatients => Some(3),
        Field::Inpatients => Some(4),
        Field::CumulativeInfections => Some(5),
        _ => None,
    };
    let mut cols = vec![Col::keep(natural[0], 12)];
    cols.extend(Field::ALL.iter().enumerate().map(|(i, f)| Col {
        natural: natural[i + 1],
        min: natural[i + 1],
        drop: rank(*f),
    }));
    cols.push(Col::keep(natural[header.len() - 1], 5));
    fit_columns(inner, &cols)
}

/// The Daily report screen, for `ui::view`.
pub struct Drawing;

impl super::ScreenView for Drawing {
    fn draw(&self, f: &mut ratatui::Frame<'_>, m: &Model, area: ratatui::layout::Rect) {
        draw(f, m, area);
    }
}
