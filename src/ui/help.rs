//! The `?` overlay, generated from the keymap (`app::keymap`): this screen's keys first,
//! then the ones that act everywhere. An action the operator may not take is dimmed, with
//! the reason. Up/Down scroll it when it is taller than the window.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{centered, widgets};
use crate::app::Model;
use crate::app::keymap::{self, Binding, Scope};

/// Columns of the key column and of the sentence beside it (70 inside the borders).
const KEY: usize = 20;
const TEXT: usize = 50;

/// The global rows that still act while a form or popup has the keys.
const IN_FORMS: [&str; 2] = ["global.help", "global.ctrl_c"];

/// The help's lines for the model's screen (or open form or popup) and operator (drawn,
/// and read by tests).
pub fn lines(m: &Model) -> Vec<Line<'static>> {
    let th = m.theme();
    let mut lines = Vec::new();
    let screen = m.lang.t_static(m.screen.title_key());
    let form = keymap::forms::context(m);
    let sections: [(String, Vec<&Binding>); 2] = match form {
        // inside a form: its rows that apply now, then what still works everywhere
        Some(c) => [
            (
                m.t("keymap.form.title").to_string(),
                keymap::forms::rows(m, c).collect(),
            ),
            (
                m.t("keymap.form.still").to_string(),
                keymap::of(Scope::Global)
                    .filter(|b| IN_FORMS.contains(&b.id))
                    .collect(),
            ),
        ],
        None => [
            (
                m.lang.fmt("keymap.screen_title", &[("screen", screen)]),
                keymap::of(Scope::On(m.screen)).collect(),
            ),
            (
                m.t("keymap.global_title").to_string(),
                keymap::of(Scope::Global).collect(),
            ),
        ],
    };
    for (title, rows) in sections {
        if !lines.is_empty() {
            lines.push(Line::from(""));
        }
        lines.push(Line::from(Span::styled(title, th.title())));
        for b in rows {
            let help = m.lang.t_static(&b.help_key());
            // not for this operator (the permission), or not in this state (which one)
            let why = b
                .refusal(m)
                .map(|r| r.render(m.lang))
                .or_else(|| (!b.offered(m)).then(|| m.lang.t_static(&b.when_key()).to_string()));
            let (text, key_style, style) = match why {
                None => (help.to_string(), th.key(), th.text()),
                Some(why) => {
                    let dim = th.unavailable();
                    let text = m
                        .lang
                        .fmt("keymap.disabled", &[("help", help), ("reason", &why)]);
                    (text, dim, dim)
                }
            };
            // the sentence wraps under itself, the key column stays clear
            for (i, part) in super::shiftlog::wrap(&text, TEXT).into_iter().enumerate() {
                let key = if i == 0 { b.shown } else { "" };
                lines.push(Line::from(vec![
                    Span::styled(widgets::pad(key, KEY), key_style),
                    Span::styled(part, style),
                ]));
            }
        }
    }
    lines
}

/// Draws the help overlay over `area`.
pub fn draw(f: &mut Frame<'_>, m: &Model, area: Rect) {
    let th = m.theme();
    let lines = lines(m);
    // long rows wrap: size the box by the wrapped rows (the borders take two)
    let rows = rows_when_wrapped(&lines);
    let r = centered(area, 72, u16::try_from(rows + 2).unwrap_or(u16::MAX));
    let shown = usize::from(r.height.saturating_sub(2));
    let max_scroll = rows.saturating_sub(shown);
    let scroll = usize::from(m.help_scroll).min(max_scroll);
    m.help_max
        .set(u16::try_from(max_scroll).unwrap_or(u16::MAX));
    crate::ui::widgets::clear_popup(f, r);
    let mut block = widgets::panel(m.t("help.panel"), &th)
        .title_bottom(Line::from(Span::styled(m.t("help.close"), th.muted())));
    if max_scroll > 0 {
        block = block.title_bottom(
            Line::from(Span::styled(
                format!(" {} ", m.t("keymap.scroll")),
                th.key(),
            ))
            .right_aligned(),
        );
    }
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((u16::try_from(scroll).unwrap_or(u16::MAX), 0))
            .block(block),
        r,
    );
}

/// Rows the help's lines take in its 70-column interior once wrapped.
fn rows_when_wrapped(lines: &[Line<'_>]) -> usize {
    lines.iter().map(|l| l.width().div_ceil(70).max(1)).sum()
}
