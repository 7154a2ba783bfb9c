//! Small shared pieces: display-width-aware text fitting, number formats, panels.

use chrono::{DateTime, FixedOffset, Utc};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::theme::Theme;
use crate::domain::text::display;

/// Cuts `s` to at most `width` display columns (CJK counts two), ending in `~` when cut (an ASCII mark: `…` is ambiguous-width).
/// The text is shown as [`display`] first: a cell, a column or a padded field never
/// carries a control character, an escape sequence, a bidi override or a line break.
pub fn fit(s: &str, width: usize) -> String {
    let s = display(s);
    let s = s.as_ref();
    if s.width() <= width {
        return s.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw > width - 1 {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('~');
    out
}

/// A text input fitted to `width` columns: the text in `style`; when `focused`, the cursor
/// as `_` at the end or the character under it in `cursor`, scrolled so the cursor stays in
/// view (the start is cut with `~`).
pub fn input_spans(
    input: &crate::app::input::TextInput,
    width: usize,
    focused: bool,
    style: ratatui::style::Style,
    cursor: ratatui::style::Style,
) -> Vec<Span<'static>> {
    use unicode_segmentation::UnicodeSegmentation;
    if !focused {
        return vec![Span::styled(fit(input.text(), width), style)];
    }
    let (head, tail) = input.text().split_at(input.cursor());
    let head = display(head).into_owned();
    let tail = display(tail).into_owned();
    let (under, rest) = match tail.graphemes(true).next() {
        Some(g) => (g.to_string(), tail[g.len()..].to_string()),
        None => ("_".to_string(), String::new()),
    };
    let under_w = under.width().max(1);
    let room = width.saturating_sub(under_w);
    // keep the end of the text before the cursor that fits, marking a cut start with ~
    let head = if head.width() <= room {
        head
    } else {
        let mut kept: Vec<&str> = Vec::new();
        let mut w = 1;
        for g in head.graphemes(true).rev() {
            if w + g.width() > room {
                break;
            }
            w += g.width();
            kept.push(g);
        }
        kept.reverse();
        format!("~{}", kept.concat())
    };
    let left = width.saturating_sub(head.width() + under_w);
    let mut out = vec![Span::styled(head, style), Span::styled(under, cursor)];
    if left > 0 && !rest.is_empty() {
        out.push(Span::styled(fit(&rest, left), style));
    }
    out
}

/// Pads or cuts `s` to exactly `width` display columns, left-aligned.
pub fn pad(s: &str, width: usize) -> String {
    let f = fit(s, width);
    let w = f.width();
    format!("{f}{}", " ".repeat(width.saturating_sub(w)))
}

/// Pads or cuts `s` to exactly `width` display columns, right-aligned.
pub fn pad_left(s: &str, width: usize) -> String {
    let f = fit(s, width);
    let w = f.width();
    format!("{}{f}", " ".repeat(width.saturating_sub(w)))
}

/// A figure, or `-` when not reported.
pub fn num(v: Option<i64>) -> String {
    v.map_or_else(|| "-".to_string(), |v| v.to_string())
}

/// A signed change: `+12`, `-3`, `0`, or blank when unknown.
pub fn change(v: Option<i64>) -> String {
    match v {
        Some(v) if v > 0 => format!("+{v}"),
        Some(v) => v.to_string(),
        None => String::new(),
    }
}

/// A ratio as a percentage with one decimal.
pub fn percent(r: Option<f64>) -> String {
    r.map_or_else(|| "-".to_string(), |r| format!("{:.1}%", r * 100.0))
}

/// `HH:MM` in the town's time.
pub fn hhmm(t: DateTime<Utc>, offset: FixedOffset) -> String {
    t.with_timezone(&offset).format("%H:%M").to_string()
}

/// `HH:MM` of a stored instant in the town's time.
pub fn hhmm_db(s: &str, offset: FixedOffset) -> String {
    crate::domain::time::from_db(s).map_or_else(|| s.to_string(), |t| hhmm(t, offset))
}

/// `MM-DD HH:MM` of a stored instant in the town's time.
pub fn day_time_db(s: &str, offset: FixedOffset) -> String {
    crate::domain::time::from_db(s).map_or_else(
        || s.to_string(),
        |t| t.with_timezone(&offset).format("%m-%d %H:%M").to_string(),
    )
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fitting_counts_display_columns() {
        assert_eq!(fit("青石镇中心卫生院", 7), "青石镇~");
        assert_eq!(fit("abc", 3), "abc");
        assert_eq!(fit("abcd", 3), "ab~");
        assert_eq!(pad("村", 4), "村  ");
        assert_eq!(pad_left("12", 4), "  12");
        assert_eq!(fit("x", 0), "");
    }

    #[test]
    fn an_input_keeps_its_cursor_in_view() {
        use crate::app::input::{Kind, TextInput};
        use ratatui::style::Style;
        let text =
            |spans: &[Span<'_>]| spans.iter().map(|s| s.content.as_ref()).collect::<String>();
        let i = TextInput::with_text(Kind::Line, 100, "杉木村到县医院");
        let s = input_spans(&i, 40, true, Style::default(), Style::default());
        assert_eq!(text(&s), "杉木村到县医院_");
        // narrow: the start is cut, the cursor is still shown, nothing passes the width
        let s = input_spans(&i, 8, true, Style::default(), Style::default());
        assert_eq!(text(&s), "~县医院_");
        assert!(text(&s).width() <= 8);
        let mut i = TextInput::with_text(Kind::Line, 100, "abc");
        i.key(crossterm::event::KeyEvent::from(
            crossterm::event::KeyCode::Home,
        ));
        let s = input_spans(&i, 10, true, Style::default(), Style::default());
        assert_eq!(
            s[1].content, "a",
            "the character under the cursor has its own span"
        );
        assert_eq!(text(&s), "abc");
    }

    #[test]
    fn numbers_and_changes() {
        assert_eq!(num(None), "-");
        assert_eq!(change(Some(3)), "+3");
        assert_eq!(change(Some(-3)), "-3");
        assert_eq!(change(Some(0)), "0");
        assert_eq!(percent(Some(0.1234)), "12.3%");
    }
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
