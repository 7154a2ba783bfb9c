//! Screen 3, Escalations: the queue of what must not wait, most urgent first.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Row, Table, TableState};

use super::widgets::{day_time_db, panel};
use crate::app::{Model, Screen};
use crate::domain::escalation::{State, queue_key};
use crate::domain::time::short_duration;

/// Draws the Escalations screen.
pub fn draw(f: &mut Frame<'_>, m: &Model, area: Rect) {
    let Some(s) = m.snapshot.as_deref() else {
        return;
    };
    let th = m.theme();
    let mut esc: Vec<_> = s.escalations.iter().collect();
    esc.sort_by_key(|e| queue_key(e.due, e.grace, e.direct, m.now));
    let rows: Vec<Row<'_>> = esc
        .iter()
        .map(|e| {
            let overdue = m.now > e.due;
            let when = if overdue {
                m.lang
                    .fmt("esc.overdue_by", &[("d", &short_duration(m.now - e.due))])
            } else {
                m.lang
                    .fmt("esc.due_in", &[("d", &short_duration(e.due - m.now))])
            };
            let style = if overdue { th.overdue() } else { th.text() };
            let state_style = match e.state {
                State::Open => th.warn(),
                State::Acknowledged => th.muted(),
                State::Resolved => th.ok(),
            };
            let place = e
                .village
                .as_deref()
                .or(e.place.as_deref())
                .map(|c| m.town.place_name(c, m.lang))
                .unwrap_or_default();
            let mut title = e.title.clone();
            if e.direct {
                title = format!("[{}] {title}", m.t("esc.direct"));
            }
            Row::new(vec![
                Line::from(format!("#{}", e.id)),
                Line::from(Span::styled(when, style)),
                Line::from(m.t(e.kind.label_key())),
                Line::from(Span::styled(m.t(e.state.label_key()), state_style)),
                Line::from(place),
                Line::from(Span::styled(title, style)),
                Line::from(Span::styled(
                    day_time_db(&crate::domain::time::to_db(e.due), m.town.info.offset),
                    th.muted(),
                )),
            ])
        })
        .collect();
    let header = Row::new(vec![
        Line::from("#"),
        Line::from(m.t("esc.col_when")),
        Line::from(m.t("esc.col_kind")),
        Line::from(m.t("esc.col_state")),
        Line::from(m.t("esc.col_place")),
        Line::from(m.t("esc.col_title")),
        Line::from(m.t("esc.col_due")),
    ])
    .style(th.muted());
    let title = m.lang.fmt("esc.queue", &[("n", &esc.len().to_string())]);
    let table = Table::new(
        rows,
        [
            Constraint::Length(5),
            Constraint::Length(14),
            Constraint::Length(10),
            Constraint::Length(8),
            Constraint::Length(14),
            Constraint::Min(16),
            Constraint::Length(11),
        ],
    )
    .header(header)
    .row_highlight_style(th.selected())
    .block(panel(&title, &th));
    let mut state =
        TableState::default().with_selected(Some(m.selected[Screen::Escalations.index()]));
    f.render_stateful_widget(table, area, &mut state);
}
