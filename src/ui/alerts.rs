//! The alert banner: one line over every screen until the operator presses Esc.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::widgets::{fit, pad};
use crate::app::Model;

/// Draws the banner at the top of `area` when alerts are unseen; returns the area left.
pub fn banner(f: &mut Frame<'_>, m: &Model, area: Rect) -> Rect {
    let alerts = &m.esc.alerts;
    let Some(latest) = alerts.banner.last() else {
        return area;
    };
    let th = m.theme();
    let [top, rest] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    let seen = format!(" {} ", m.t("alert.seen"));
    let width = top.width as usize;
    let text = format!(
        " {}",
        m.lang.fmt(
            "alert.banner",
            &[
                ("n", &alerts.banner.len().to_string()),
                ("text", &latest.render(m.lang)),
            ],
        )
    );
    let left = pad(&text, width.saturating_sub(seen.width()));
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(left, th.critical()),
            Span::styled(fit(&seen, width), th.critical()),
        ])),
        top,
    );
    rest
}
