//! The audit log on screen: the broken-chain warning over every screen, and the duty
//! leaders' audit view (a popup over the Shift log screen).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::widgets::{day_time_db, fit, pad, panel, window};
use super::{centered, widgets};
use crate::app::Model;
use crate::domain::text::display;
use crate::i18n::Msg;

/// Draws the warning line when the audit chain is broken; returns the area left.
pub fn banner(f: &mut Frame<'_>, m: &Model, area: Rect) -> Rect {
    let Some(why) = &m.audit.broken else {
        return area;
    };
    let th = m.theme();
    let [top, rest] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    let text = format!(
        " {}",
        Msg::new("operators.console.banner")
            .arg("why", why.render(m.lang))
            .render(m.lang)
    );
    f.render_widget(
        Paragraph::new(Span::styled(pad(&text, top.width as usize), th.critical())),
        top,
    );
    rest
}

/// Draws the audit view over `area`.
pub fn draw(f: &mut Frame<'_>, m: &Model, area: Rect) {
    let th = m.theme();
    let r = centered(area, area.width, area.height);
    widgets::clear_popup(f, r);
    let title = m.lang.fmt(
        "operators.console.title",
        &[("n", &m.audit.rows.len().to_string())],
    );
    let block = panel(&title, &th);
    let inner = block.inner(r);
    f.render_widget(block, r);
    if m.audit.rows.is_empty() {
        f.render_widget(Paragraph::new(m.t("ui.loading")).style(th.muted()), inner);
        return;
    }
    let height = inner.height as usize;
    let (start, _) = window(m.audit.rows.len(), m.audit.selected, height);
    let end = (start + height).min(m.audit.rows.len());
    let width = inner.width as usize;
    let off = m.town.info.offset;
    let lines: Vec<Line<'_>> = m.audit.rows[start..end]
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let style = if start + i == m.audit.selected {
                th.selected()
            } else {
                th.text()
            };
            // everything people typed is shown through the one display filter
            let text = format!(
                "{:>6} {} {} {} {} {}",
                row.id,
                day_time_db(&row.at, off),
                pad(&fit(&display(&row.operator), 8), 8),
                pad(&fit(&display(&row.action), 24), 24),
                pad(&fit(&display(&row.subject), 18), 18),
                display(&row.detail)
            );
            Line::from(Span::styled(fit(&text, width), style))
        })
        .collect();
    f.render_widget(Paragraph::new(lines), inner);
}
