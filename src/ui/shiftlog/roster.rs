//! The Shift log's roster panel (`p`): a week ahead from the open shift's day, each day's
//! leader and officers as kept (a shift that opened) or as planned, and its sign-over.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table, TableState};

use crate::app::Model;
use crate::domain::text::display;
use crate::store::snapshot::Snapshot;
use crate::ui::widgets::panel;

/// Draws the week's roster in `area`.
pub fn draw(f: &mut Frame<'_>, m: &Model, s: &Snapshot, area: Rect) {
    let th = m.theme();
    let block = panel(m.t("roster.panel_title"), &th);
    if s.roster_week.is_empty() {
        f.render_widget(Paragraph::new("").block(block), area);
        return;
    }
    let rows: Vec<Row<'_>> = s
        .roster_week
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let state = if let Some(by) = &d.signed_by {
                Span::styled(
                    m.lang.fmt("roster.signed_by", &[("name", &display(by))]),
                    th.locked(),
                )
            } else if i == 0 {
                Span::styled(m.t("roster.kept"), th.title())
            } else if d.leader.is_none() && d.officers.is_empty() {
                Span::styled(m.t("roster.none"), th.warn())
            } else {
                Span::styled(m.t("roster.planned"), th.muted())
            };
            Row::new(vec![
                Line::from(format!(
                    "{} {}",
                    d.date.format("%m-%d"),
                    crate::domain::time::weekday(d.date, m.lang)
                )),
                Line::from(display(d.leader.as_deref().unwrap_or("-")).into_owned()),
                Line::from(display(&d.officers.join(m.t("list.sep"))).into_owned()),
                Line::from(state),
            ])
        })
        .collect();
    let header = Row::new(vec![
        Line::from(m.t("roster.col_day")),
        Line::from(m.t("duty.leader")),
        Line::from(m.t("duty.officer")),
        Line::from(""),
    ])
    .style(th.muted());
    let table = Table::new(
        rows,
        [
            Constraint::Length(10),
            Constraint::Length(12),
            Constraint::Min(20),
            Constraint::Length(24),
        ],
    )
    .header(header)
    .row_highlight_style(th.selected())
    .block(block);
    let mut state = TableState::default().with_selected(Some(m.shiftlog.plan_sel));
    f.render_stateful_widget(table, area, &mut state);
}
