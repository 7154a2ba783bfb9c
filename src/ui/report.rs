//! Screen 2, Daily report: the per-village table for the chosen day with town totals.

use chrono::Duration;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table, TableState};

use super::widgets::{change, num, panel, percent};
use crate::app::{Model, Screen};
use crate::domain::report::{Field, change as delta};

/// Draws the Daily report screen.
pub fn draw(f: &mut Frame<'_>, m: &Model, area: Rect) {
    let Some(s) = m.snapshot.as_deref() else {
        return;
    };
    let th = m.theme();
    let [summary, table_area] =
        Layout::vertical([Constraint::Length(4), Constraint::Min(3)]).areas(area);
    let totals = s.totals_on(s.report_date);
    let before = s.totals_on(s.report_date - Duration::days(1));
    let status = match &s.report_sign {
        Some(si) if si.signed => Span::styled(
            m.lang.fmt("report.signed_by", &[("name", &si.by)]),
            th.locked(),
        ),
        _ => Span::styled(m.t("report.draft"), th.muted()),
    };
    let mut parts = vec![
        Span::styled(
            m.lang.fmt(
                "report.day_title",
                &[
                    ("date", &s.report_date.to_string()),
                    ("reported", &totals.reported.to_string()),
                    ("expected", &m.town.villages.len().to_string()),
                ],
            ),
            th.title(),
        ),
        Span::raw("  "),
        status,
    ];
    if s.report_date == s.today {
        parts.push(Span::styled(
            format!("  ({})", m.t("report.today")),
            th.muted(),
        ));
    }
    let mut totals_line = vec![Span::styled(
        format!("{}: ", m.t("report.town_total")),
        th.muted(),
    )];
    for fl in [
        Field::NewInfections,
        Field::CumulativeInfections,
        Field::Inpatients,
        Field::Severe,
        Field::Deaths,
    ] {
        totals_line.push(Span::raw(format!(
            "{} {} ({})  ",
            m.t(fl.short_key()),
            num(totals.get(fl)),
            change(delta(&totals, &before, fl))
        )));
    }
    totals_line.push(Span::raw(format!(
        "{} {}",
        m.t("overview.infection_ratio"),
        percent(totals.infection_ratio())
    )));
    f.render_widget(
        Paragraph::new(vec![Line::from(parts), Line::from(totals_line)]).block(
            ratatui::widgets::Block::default().padding(ratatui::widgets::Padding::horizontal(1)),
        ),
        summary,
    );

    let mut header = vec![Line::from(m.t("report.col_village"))];
    header.extend(
        Field::ALL
            .iter()
            .map(|fl| Line::from(m.t(fl.short_key())).right_aligned()),
    );
    header.push(Line::from(m.t("report.col_entered")));
    let rows: Vec<Row<'_>> = m
        .town
        .villages
        .iter()
        .map(|v| {
            let row = s.report_rows.get(&v.code);
            let mut cells = vec![Line::from(format!(
                "{} {}",
                v.code,
                m.town.place_name(&v.code, m.lang)
            ))];
            match row {
                Some(r) => {
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
                    let entered = format!(
                        "{} {}",
                        super::widgets::hhmm_db(&r.entered_at, m.town.info.offset),
                        if r.late { m.t("report.late") } else { "" }
                    );
                    cells.push(Line::from(Span::styled(
                        entered,
                        if r.late { th.warn() } else { th.muted() },
                    )));
                }
                None => {
                    for _ in Field::ALL {
                        cells.push(Line::from(Span::styled("", th.muted())));
                    }
                    cells.push(Line::from(Span::styled(
                        m.t("report.missing"),
                        th.overdue(),
                    )));
                }
            }
            Row::new(cells)
        })
        .collect();
    let mut widths = vec![Constraint::Min(14)];
    widths.extend(Field::ALL.iter().map(|_| Constraint::Length(7)));
    widths.push(Constraint::Length(12));
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(th.muted()))
        .row_highlight_style(th.selected())
        .block(panel(m.t("report.villages"), &th));
    let mut state = TableState::default().with_selected(Some(m.selected[Screen::Report.index()]));
    f.render_stateful_widget(table, table_area, &mut state);
}
