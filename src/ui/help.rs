//! The `?` overlay: every key, in the console's language.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{centered, widgets};
use crate::app::{Model, Screen};

/// Draws the help overlay over `area`.
pub fn draw(f: &mut Frame<'_>, m: &Model, area: Rect) {
    let th = m.theme();
    let rows: [(&str, &str); 12] = [
        (Screen::DIGIT_ROW, "help.screens"),
        ("Tab / Shift-Tab", "help.tab"),
        ("Up Down", "help.move"),
        ("PgUp PgDn Home End", "help.page"),
        ("<- -> [ ]", "help.day"),
        ("t", "help.today"),
        ("Enter", "help.enter"),
        ("Esc", "help.esc"),
        // one row for both, so a small terminal still shows the closing hint
        ("? !", "alerts.console.help"),
        ("q", "help.quit"),
        ("Ctrl-C", "help.ctrl_c"),
        ("mouse", "help.mouse"),
    ];
    let mut lines = vec![
        Line::from(Span::styled(m.t("help.title"), th.title())),
        Line::from(""),
    ];
    for (k, key) in rows {
        lines.push(Line::from(vec![
            Span::styled(widgets::pad(k, 20), th.key()),
            Span::raw(m.t(key)),
        ]));
    }
    // the screen's own keys under a title, when it has such a list
    let titled = super::view(m.screen).help(m);
    if let Some((title, rows)) = titled {
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(title, th.title())));
        for (k, key) in rows {
            lines.push(Line::from(vec![
                Span::styled(widgets::pad(k, 20), th.key()),
                Span::raw(m.t(key)),
            ]));
        }
    }
    // the screen's own keys, when the overlay has room for them
    let extra = super::report::help_rows(m);
    if (rows_when_wrapped(&lines) + extra.len() + 4) as u16 <= area.height {
        for (k, key) in extra {
            lines.push(Line::from(vec![
                Span::styled(widgets::pad(k, 20), th.key()),
                Span::raw(m.t(key)),
            ]));
        }
    }
    // the town's keys (issue 16), after the screen's own, when there is room
    let town_rows = [
        ("T", "town_change.help.town"),
        ("S", "town_change.help.surge"),
    ];
    if (rows_when_wrapped(&lines) + 2 * town_rows.len() + 4) as u16 <= area.height {
        for (k, key) in town_rows {
            lines.push(Line::from(vec![
                Span::styled(widgets::pad(k, 20), th.key()),
                Span::raw(m.t(key)),
            ]));
        }
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(m.t("help.close"), th.muted())));
    // long rows wrap: size the box by the wrapped rows so the closing hint stays inside
    let r = centered(area, 72, rows_when_wrapped(&lines) as u16 + 2);
    crate::ui::widgets::clear_popup(f, r);
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(widgets::panel(m.t("help.panel"), &th)),
        r,
    );
}

/// Rows the help's lines take in its 70-column interior once wrapped.
fn rows_when_wrapped(lines: &[Line<'_>]) -> usize {
    lines.iter().map(|l| l.width().div_ceil(70).max(1)).sum()
}
