//! Small shared pieces of the screens: panels, hint lines, list windows, and (from
//! `domain::text::layout`) display-width-aware text fitting and number formats.

use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};

use super::theme::Theme;
// the width-aware padding and the number and time formats are shared with the CLI's text
// output, so they live in the neutral `domain::text::layout`; screens keep calling them
// `widgets::pad` and so on
pub use crate::domain::text::layout::{
    change, day_time_db, fit, hhmm, hhmm_db, num, pad, pad_left, percent,
};

/// A bordered panel with a title.
pub fn panel<'a>(title: &'a str, theme: &Theme) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border())
        .title(Span::styled(format!(" {title} "), theme.title()))
}

/// One line of `key: label` hints.
pub fn hints<'a>(pairs: &[(&'a str, &'a str)], theme: &Theme) -> Line<'a> {
    let mut spans = Vec::new();
    for (i, (k, label)) in pairs.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw("  "));
        }
        spans.push(Span::styled(*k, theme.key()));
        spans.push(Span::raw(" "));
        spans.push(Span::styled(*label, theme.muted()));
    }
    Line::from(spans)
}

/// The slice of a long list that fits in `height` rows while keeping `selected` in view:
/// `(first row to draw, selected row's position in the slice)`. Screens build only these
/// rows, so drawing costs the same with ten rows or ten thousand.
pub fn window(len: usize, selected: usize, height: usize) -> (usize, usize) {
    if len == 0 || height == 0 {
        return (0, 0);
    }
    let selected = selected.min(len - 1);
    let first = (selected + 1).saturating_sub(height);
    (first, selected - first)
}

/// Clears the place of a popup, and one column on each side: a wide (CJK) character cut in
/// half by the popup's border would otherwise leave a broken half on screen.
pub fn clear_popup(f: &mut ratatui::Frame<'_>, r: ratatui::layout::Rect) {
    let area = f.area();
    let x = r.x.saturating_sub(1).max(area.x);
    let right = (r.x + r.width + 1).min(area.x + area.width);
    let wider = ratatui::layout::Rect {
        x,
        width: right.saturating_sub(x),
        ..r
    };
    f.render_widget(ratatui::widgets::Clear, wider);
}

#[cfg(test)]
mod window_tests {
    use super::window;

    #[test]
    fn the_selection_stays_in_view() {
        assert_eq!(window(100, 0, 10), (0, 0));
        assert_eq!(window(100, 9, 10), (0, 9));
        assert_eq!(window(100, 10, 10), (1, 9));
        assert_eq!(window(100, 99, 10), (90, 9));
        assert_eq!(window(5, 3, 10), (0, 3));
        assert_eq!(window(0, 3, 10), (0, 0));
        assert_eq!(window(5, 30, 10), (0, 4));
    }
}
