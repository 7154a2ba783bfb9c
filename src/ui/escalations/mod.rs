//! The Escalations screen: the queue of what must not wait, most urgent first, with its
//! filters; the detail view and the forms are drawn by `detail`.

pub mod detail;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table, TableState};

use super::widgets::{Col, day_time_db, fit_columns, panel};
use crate::app::escalations::visible;
use crate::app::{Model, Screen};
use crate::domain::escalation::EscalationRow;
use crate::domain::escalation::display_title;
use crate::domain::escalation::{State, Urgency, urgency};
use crate::domain::time::{duration_text, to_db};

/// "overdue 12m" or "due in 1h05m" ("超时 12分钟"…: durations through the catalogue).
pub fn when(m: &Model, e: &EscalationRow) -> String {
    if m.now > e.due {
        m.lang.fmt(
            "esc.overdue_by",
            &[("d", &duration_text(m.now - e.due, m.lang))],
        )
    } else {
        m.lang.fmt(
            "esc.due_in",
            &[("d", &duration_text(e.due - m.now, m.lang))],
        )
    }
}

/// Where it is: the health center or clinic for stock, else the village.
pub fn place(m: &Model, e: &EscalationRow) -> String {
    e.place
        .as_deref()
        .or(e.village.as_deref())
        .map(|c| m.town.place_name(c, m.lang))
        .unwrap_or_default()
}

/// Draws the Escalations screen.
pub fn draw(f: &mut Frame<'_>, m: &Model, area: Rect) {
    if m.snapshot.is_none() {
        return;
    }
    if m.escalations.detail.is_some() {
        detail::draw_detail(f, m, area);
    } else {
        draw_queue(f, m, area);
    }
    if m.escalations.form.is_some() {
        detail::draw_form(f, m, area);
    }
}

fn draw_queue(f: &mut Frame<'_>, m: &Model, area: Rect) {
    let th = m.theme();
    let [filter_area, table_area] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    draw_filter(f, m, filter_area);
    let esc = visible(m);
    let title = m.lang.fmt("esc.queue", &[("n", &esc.len().to_string())]);
    if esc.is_empty() {
        f.render_widget(
            Paragraph::new(Span::styled(m.t("esc.empty"), th.muted())).block(panel(&title, &th)),
            table_area,
        );
        return;
    }
    let visible = table_area.height.saturating_sub(3) as usize;
    let (first, sel) =
        super::widgets::window(esc.len(), m.selected[Screen::Escalations.index()], visible);
    let cells: Vec<Vec<Line<'_>>> = esc
        .iter()
        .skip(first)
        .take(visible)
        .map(|e| queue_cells(m, e))
        .collect();
    let titles = [
        "#",
        m.t("esc.col_when"),
        m.t("esc.col_kind"),
        m.t("esc.col_state"),
        m.t("esc.col_place"),
        m.t("esc.col_title"),
        m.t("esc.col_due"),
    ];
    let widths = queue_widths(table_area.width.saturating_sub(2), &titles, &cells);
    let kept = |cells: Vec<Line<'static>>| -> Vec<Line<'static>> {
        cells
            .into_iter()
            .zip(&widths)
            .filter(|(_, w)| w.is_some())
            .map(|(c, _)| c)
            .collect()
    };
    let rows: Vec<Row<'_>> = cells.into_iter().map(|c| Row::new(kept(c))).collect();
    let header = Row::new(kept(titles.map(Line::from).to_vec())).style(th.muted());
    let constraints: Vec<Constraint> = widths
        .iter()
        .flatten()
        .map(|w| Constraint::Length(*w))
        .collect();
    let table = Table::new(rows, constraints)
        .header(header)
        .row_highlight_style(th.selected())
        .block(panel(&title, &th));
    let mut state = TableState::default().with_selected(Some(sel));
    f.render_stateful_widget(table, table_area, &mut state);
    // rows below the border and the header line, for mouse clicks
    m.hits.rows(
        ratatui::layout::Rect {
            x: table_area.x + 1,
            y: table_area.y + 2,
            width: table_area.width.saturating_sub(2),
            height: table_area.height.saturating_sub(3),
        },
        first,
        esc.len(),
    );
}

/// The filter line above the queue: the kind and village shown.
fn draw_filter(f: &mut Frame<'_>, m: &Model, area: Rect) {
    let all = m.t("esc.all");
    let kind = m
        .escalations
        .kind_filter
        .map_or(all, |k| m.t(k.label_key()));
    let village = m
        .escalations
        .village_filter
        .as_deref()
        .map_or_else(|| all.to_string(), |c| m.town.place_name(c, m.lang));
    f.render_widget(
        Paragraph::new(Span::styled(
            format!(
                " {}",
                m.lang
                    .fmt("esc.filter", &[("kind", kind), ("village", &village)])
            ),
            m.theme().muted(),
        )),
        area,
    );
}

/// One escalation's cells in the queue, styled by its urgency and state.
fn queue_cells(m: &Model, e: &EscalationRow) -> Vec<Line<'static>> {
    let th = m.theme();
    let u = urgency(e.due, e.grace, m.now);
    let style = match u {
        Urgency::RaisedToLeader => th.critical(),
        Urgency::Overdue => th.overdue(),
        Urgency::Pending => th.text(),
    };
    let state_style = match e.state {
        State::Open => th.warn(),
        State::Acknowledged => th.muted(),
        State::Resolved => th.ok(),
    };
    let mut title = crate::domain::text::display(&display_title(e, &m.town, m.lang)).into_owned();
    if e.direct {
        title = format!("[{}] {title}", m.t("esc.direct"));
    }
    if e.escalated_at.is_some() {
        title = format!("[{}] {title}", m.t("esc.to_leader"));
    }
    vec![
        Line::from(format!("#{}", e.id)),
        Line::from(Span::styled(when(m, e), style)),
        Line::from(m.t(e.kind.label_key())),
        Line::from(Span::styled(m.t(e.state.label_key()), state_style)),
        Line::from(place(m, e)),
        Line::from(Span::styled(title, style)),
        Line::from(Span::styled(
            day_time_db(&to_db(e.due), m.town.info.offset),
            th.muted(),
        )),
    ]
}

/// The queue's column widths, `None` for a column left out. Sized by content (issue 19:
/// at 80 columns the deadline read "due in 2"): the deadline is never cut; the kind,
/// place and title are cut first, then the due time, the place, the kind and the state
/// are left out in that order.
fn queue_widths(inner: u16, titles: &[&str; 7], cells: &[Vec<Line<'_>>]) -> Vec<Option<u16>> {
    let n: [u16; 7] = std::array::from_fn(|i| Col::natural(titles[i], cells.iter().map(|c| &c[i])));
    fit_columns(
        inner,
        &[
            Col::keep(n[0], n[0]),
            Col::keep(n[1], n[1]),
            Col {
                natural: n[2],
                min: n[2].min(8),
                drop: Some(3),
            },
            Col::whole(n[3], 4),
            Col {
                natural: n[4],
                min: n[4].min(8),
                drop: Some(2),
            },
            Col::keep(n[5], 16),
            Col::whole(n[6], 1),
        ],
    )
}

/// The Escalations screen, for `ui::view`.
pub struct Drawing;

impl super::ScreenView for Drawing {
    fn draw(&self, f: &mut ratatui::Frame<'_>, m: &Model, area: ratatui::layout::Rect) {
        draw(f, m, area);
    }
}
