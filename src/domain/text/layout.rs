//! Laying text out in columns by display width (CJK counts two), and the number and time
//! formats the screens and the CLI's text output share. Pure: no terminal, no ratatui.

use chrono::{DateTime, FixedOffset, Utc};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::display;

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
    fn numbers_and_changes() {
        assert_eq!(num(None), "-");
        assert_eq!(change(Some(3)), "+3");
        assert_eq!(change(Some(-3)), "-3");
        assert_eq!(change(Some(0)), "0");
        assert_eq!(percent(Some(0.1234)), "12.3%");
    }
}
