//! The alert banner (one line over every screen: the oldest unseen alert and how many
//! more, until Esc marks it seen) and the alert inbox (`!`, a popup: newest first, unseen
//! marked, Enter opens the escalation or transport).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::widgets::{self, day_time_db, fit, pad, panel, window};
use crate::app::Model;
use crate::domain::alerts::{Event, Subject};
use crate::domain::alerts::{InboxItem, event_key};
use crate::domain::text::display;
use crate::i18n::{Lang, Msg};

/// What an alert says, in `lang` (the banner's text).
pub fn alert_text(a: &InboxItem, lang: Lang) -> String {
    let title = display(a.title(lang)).into_owned();
    let id = a.row.subject_id;
    match (a.row.event, a.row.subject) {
        (_, Subject::Transport) => title,
        (Event::Raised, _) => Msg::new("alert.to_leader")
            .arg("id", id)
            .arg("title", title)
            .render(lang),
        (Event::Realert, _) => Msg::new("alerts.console.realert")
            .arg("id", id)
            .arg("title", title)
            .render(lang),
        _ => Msg::new("alert.overdue")
            .arg("id", id)
            .arg("title", title)
            .render(lang),
    }
}

/// Draws the banner at the top of `area` when alerts are unseen; returns the area left.
pub fn banner(f: &mut Frame<'_>, m: &Model, area: Rect) -> Rect {
    let alerts = &m.escalations.alerts;
    let Some(oldest) = alerts.unseen.first() else {
        return area;
    };
    let th = m.theme();
    let [top, rest] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    let keys = format!(" {} ", banner_keys(m, top.width as usize / 3));
    let width = top.width as usize;
    let more = alerts.unseen_total.max(alerts.unseen.len()) - 1;
    let more = if more > 0 {
        format!(
            " {}",
            m.lang
                .fmt("alerts.console.more", &[("n", &more.to_string())])
        )
    } else {
        String::new()
    };
    let room = width.saturating_sub(keys.width() + more.width());
    let text = format!(
        " {}",
        m.lang.fmt(
            "alerts.console.banner",
            &[("text", &alert_text(oldest, m.lang))]
        )
    );
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(pad(&fit(&text, room), room), th.critical()),
            Span::styled(more, th.critical()),
            Span::styled(fit(&keys, width), th.critical()),
        ])),
        top,
    );
    rest
}

/// The banner's keys, by the keymap's global rows (`Esc` marks the alert seen, `!` opens
/// the inbox), written and labelled as the footer and the help write them; in `room`
/// columns at most, so a narrow banner keeps the alert's text (the footer names both).
fn banner_keys(m: &Model, room: usize) -> String {
    use crate::app::keymap::{self, Scope};
    let mut keys = String::new();
    for b in keymap::of(Scope::Global).filter(|b| matches!(b.id, "global.seen" | "global.inbox")) {
        let key = format!("{} {}", b.shown, m.lang.t_static(&b.label_key()));
        let sep = if keys.is_empty() { "" } else { "  " };
        if keys.width() + sep.len() + key.width() + 2 > room {
            break;
        }
        keys = format!("{keys}{sep}{key}");
    }
    keys
}

/// One alert's cells in the inbox: the unseen mark, when, the event, and what (with who saw
/// it after it: a column of its own would cut every title for the few alerts seen).
fn inbox_cells(m: &Model, a: &InboxItem, off: chrono::FixedOffset) -> [String; 4] {
    let unseen = a.row.seen_by.is_none() && a.row.retired_at.is_none();
    let title = display(a.title(m.lang)).into_owned();
    let what = if a.row.retired_at.is_some() {
        format!("{title} ({})", m.t("alerts.state.retired"))
    } else if let Some(who) = &a.row.seen_by {
        format!(
            "{title} ({})",
            m.lang.fmt("alerts.seen_by", &[("name", &display(who))])
        )
    } else {
        title
    };
    [
        if unseen {
            m.t("alerts.console.unseen").to_string()
        } else {
            String::new()
        },
        day_time_db(&a.row.created_at, off),
        m.t(event_key(a.row.event)).to_string(),
        what,
    ]
}

/// The inbox's column widths (issue 19: the event was 11 columns whatever its language):
/// the mark and the time are never cut, what the alert is about is cut first, then the
/// event.
fn inbox_widths(width: usize, cells: &[[String; 4]]) -> Vec<Option<u16>> {
    let n: [u16; 4] = std::array::from_fn(|i| {
        let w = cells.iter().map(|c| c[i].width()).max().unwrap_or(0);
        u16::try_from(w).unwrap_or(u16::MAX)
    });
    widgets::fit_columns(
        u16::try_from(width).unwrap_or(u16::MAX),
        &[
            widgets::Col::keep(n[0], n[0]),
            widgets::Col::keep(n[1], n[1]),
            widgets::Col::keep(n[2], n[2].min(6)),
            widgets::Col::keep(n[3], 12),
        ],
    )
}

/// Draws the inbox over `area`.
pub fn draw_inbox(f: &mut Frame<'_>, m: &Model, area: Rect) {
    let Some(selected) = m.escalations.alerts.inbox else {
        return;
    };
    let th = m.theme();
    let rows: &[InboxItem] = m
        .snapshot
        .as_deref()
        .map_or(&[], |s| s.alerts_recent.as_slice());
    let r = super::centered(area, area.width, area.height);
    widgets::clear_popup(f, r);
    let title = m.lang.fmt(
        "alerts.console.title",
        &[("n", &m.escalations.alerts.unseen_total.to_string())],
    );
    let block = panel(&title, &th);
    let inner = block.inner(r);
    f.render_widget(block, r);
    if rows.is_empty() {
        f.render_widget(
            Paragraph::new(m.t("alerts.console.empty")).style(th.muted()),
            inner,
        );
        return;
    }
    let height = inner.height as usize;
    let (start, _) = window(rows.len(), selected, height);
    let end = (start + height).min(rows.len());
    let width = inner.width as usize;
    let off = m.town.info.offset;
    let shown = &rows[start..end];
    let cells: Vec<[String; 4]> = shown.iter().map(|a| inbox_cells(m, a, off)).collect();
    let widths = inbox_widths(width, &cells);
    let lines: Vec<Line<'_>> = shown
        .iter()
        .zip(&cells)
        .enumerate()
        .map(|(i, (a, c))| {
            let unseen = a.row.seen_by.is_none() && a.row.retired_at.is_none();
            let style = if start + i == selected {
                th.selected()
            } else if a.row.retired_at.is_some() {
                th.muted()
            } else if unseen {
                th.critical()
            } else {
                th.text()
            };
            let text: Vec<String> = c
                .iter()
                .zip(&widths)
                .filter_map(|(cell, w)| w.filter(|w| *w > 0).map(|w| (cell, usize::from(w))))
                .map(|(cell, w)| pad(&fit(cell, w), w))
                .collect();
            Line::from(Span::styled(
                pad(&fit(&text.join(" "), width), width),
                style,
            ))
        })
        .collect();
    f.render_widget(Paragraph::new(lines), inner);
}
