//! Screen 5, Shift log: this shift's people and timestamped entries.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table, TableState};

use super::widgets::{hhmm_db, panel};
use crate::app::{Model, Screen};
use crate::domain::shift::{Duty, SHIFT_LENGTH};

/// Draws the Shift log screen.
pub fn draw(f: &mut Frame<'_>, m: &Model, area: Rect) {
    let Some(s) = m.snapshot.as_deref() else {
        return;
    };
    let th = m.theme();
    let [roster, log] = Layout::vertical([Constraint::Length(3), Constraint::Min(3)]).areas(area);
    let off = m.town.info.offset;
    let start = s.shift_start.with_timezone(&off);
    let end = (s.shift_start + SHIFT_LENGTH).with_timezone(&off);
    let people: Vec<Span<'_>> = s
        .roster
        .iter()
        .flat_map(|(n, d)| {
            let role = match d {
                Duty::Leader => m.t("duty.leader"),
                Duty::Officer => m.t("duty.officer"),
            };
            [
                Span::styled(format!("{role}: "), th.muted()),
                Span::raw(format!("{n}  ")),
            ]
        })
        .collect();
    let title = m.lang.fmt(
        "log.shift_title",
        &[
            ("start", &start.format("%m-%d %H:%M").to_string()),
            ("end", &end.format("%m-%d %H:%M").to_string()),
        ],
    );
    let signed = s.handover.as_ref().and_then(|h| h.signed_by.clone());
    let mut line = people;
    if let Some(by) = signed {
        line.push(Span::styled(
            m.lang.fmt("log.signed_over", &[("name", &by)]),
            th.locked(),
        ));
    }
    f.render_widget(
        Paragraph::new(Line::from(line)).block(panel(&title, &th)),
        roster,
    );

    let rows: Vec<Row<'_>> = s
        .log
        .iter()
        .map(|e| {
            let text = e.text_in(m.lang);
            let text = match e.amends {
                Some(id) => m
                    .lang
                    .fmt("log.amends", &[("id", &id.to_string()), ("text", &text)]),
                None => text,
            };
            Row::new(vec![
                Line::from(Span::styled(hhmm_db(&e.at, off), th.muted())),
                Line::from(m.t(e.category.label_key())),
                Line::from(e.author.clone()),
                Line::from(text),
            ])
        })
        .collect();
    let header = Row::new(vec![
        Line::from(m.t("log.col_time")),
        Line::from(m.t("log.col_category")),
        Line::from(m.t("log.col_author")),
        Line::from(m.t("log.col_text")),
    ])
    .style(th.muted());
    let table = Table::new(
        rows,
        [
            Constraint::Length(6),
            Constraint::Length(8),
            Constraint::Length(10),
            Constraint::Min(20),
        ],
    )
    .header(header)
    .row_highlight_style(th.selected())
    .block(panel(m.t("log.entries"), &th));
    let mut state = TableState::default().with_selected(Some(m.selected[Screen::ShiftLog.index()]));
    f.render_stateful_widget(table, log, &mut state);
}
