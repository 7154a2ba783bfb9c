//! Small shared pieces of the screens: panels, hint lines, list windows, and (from
//! `domain::text::layout`) display-width-aware text fitting and number formats.

use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};
use unicode_width::UnicodeWidthStr;

use super::theme::Theme;
// the width-aware padding and the number and time formats are shared with the CLI's text
// output, so they live in the neutral `domain::text::layout`; screens keep calling them
// `widgets::pad` and so on
pub use crate::domain::text::layout::{
    change, day_time_db, fit, hhmm, hhmm_db, num, pad, pad_left, percent,
};

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
    let head = crate::domain::text::display(head).into_owned();
    let tail = crate::domain::text::display(tail).into_owned();
    let (under, rest) = match tail.graphemes(true).next() {
        Some(g) => (g.to_string(), tail[g.len()..].to_string()),
        None => ("_".to_string(), String::new()),
    };
    let under_w = UnicodeWidthStr::width(under.as_str()).max(1);
    let room = width.saturating_sub(under_w);
    // keep the end of the text before the cursor that fits, marking a cut start with ~
    let head = if UnicodeWidthStr::width(head.as_str()) <= room {
        head
    } else {
        let mut kept: Vec<&str> = Vec::new();
        let mut w = 1;
        for g in head.graphemes(true).rev() {
            if w + UnicodeWidthStr::width(g) > room {
                break;
            }
            w += UnicodeWidthStr::width(g);
            kept.push(g);
        }
        kept.reverse();
        format!("~{}", kept.concat())
    };
    let left = width.saturating_sub(UnicodeWidthStr::width(head.as_str()) + under_w);
    let mut out = vec![Span::styled(head, style), Span::styled(under, cursor)];
    if left > 0 && !rest.is_empty() {
        out.push(Span::styled(fit(&rest, left), style));
    }
    out
}

/// The most matches a picker lists under its field.
pub const PICKS: usize = 5;

/// A picker's matches under its field, `indent` columns in, the highlighted one marked `>`;
/// `none` when nothing matches; nothing once an entry is taken or while the query is empty.
pub fn picker_lines(
    p: &crate::app::picker::Picker,
    entries: &[crate::app::picker::Entry],
    indent: usize,
    none: &str,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    if p.input.is_empty() || entries.iter().any(|e| e.code == p.input.text()) {
        return out;
    }
    let pad_in = " ".repeat(indent);
    let hits = p.matches(entries);
    if hits.is_empty() {
        out.push(Line::from(Span::styled(
            format!("{pad_in}  {none}"),
            theme.warn(),
        )));
    }
    let sel = p.sel.min(hits.len().saturating_sub(1));
    let (from, _) = window(hits.len(), sel, PICKS);
    for (n, &i) in hits.iter().enumerate().skip(from).take(PICKS) {
        let Some(e) = entries.get(i) else { continue };
        let text = fit(&format!("{} {}", e.code, e.label), 56);
        let (mark, style) = if n == sel {
            (">", theme.selected())
        } else {
            (" ", theme.muted())
        };
        out.push(Line::from(Span::styled(
            format!("{pad_in}{mark} {text}"),
            style,
        )));
    }
    out
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

/// A table column for [`fit_columns`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Col {
    /// Its natural width: the widest of its title and its cells.
    pub natural: u16,
    /// The least it may be cut to (its natural width: never cut).
    pub min: u16,
    /// When it is left out for lack of room: the lowest first; `None`: never.
    pub drop: Option<u8>,
}

impl Col {
    /// A column that is never cut below `min` nor dropped.
    pub fn keep(natural: u16, min: u16) -> Col {
        Col {
            natural,
            min: min.min(natural),
            drop: None,
        }
    }

    /// A column dropped at rank `rank` when there is no room, else shown whole.
    pub fn whole(natural: u16, rank: u8) -> Col {
        Col {
            natural,
            min: natural,
            drop: Some(rank),
        }
    }

    /// The natural width of a column: its title's and its cells'.
    pub fn natural<'a>(title: &str, cells: impl Iterator<Item = &'a Line<'a>>) -> u16 {
        let w = cells.map(Line::width).max().unwrap_or(0).max(title.width());
        u16::try_from(w).unwrap_or(u16::MAX)
    }
}

/// Widths for columns sized by their content and priority in `inner` columns (one space
/// between columns): every column at its natural width when they fit; else the widest
/// cuttable column is cut first, down to its minimum; then columns are left out by their
/// `drop` rank, and what that frees goes back to the cut ones. `None` is a column left out.
pub fn fit_columns(inner: u16, cols: &[Col]) -> Vec<Option<u16>> {
    let mut w: Vec<Option<u16>> = cols.iter().map(|c| Some(c.natural)).collect();
    let total = |w: &[Option<u16>]| -> u32 {
        let kept: Vec<u32> = w.iter().flatten().map(|&x| u32::from(x)).collect();
        kept.iter().sum::<u32>() + kept.len().saturating_sub(1) as u32
    };
    while total(&w) > u32::from(inner) {
        // the widest column that may still be cut loses one column
        let cut = (0..cols.len())
            .filter(|&i| w[i].is_some_and(|x| x > cols[i].min))
            .max_by_key(|&i| (w[i], std::cmp::Reverse(i)));
        if let Some(i) = cut {
            w[i] = w[i].map(|x| x - 1);
            continue;
        }
        let drop = (0..cols.len())
            .filter(|&i| w[i].is_some())
            .filter_map(|i| cols[i].drop.map(|r| (r, i)))
            .min();
        match drop {
            Some((_, i)) => w[i] = None,
            None => break,
        }
    }
    // room freed by a dropped column goes back to the cut ones, in column order
    let mut free = u32::from(inner).saturating_sub(total(&w));
    for (i, c) in cols.iter().enumerate() {
        if let Some(x) = w[i].as_mut() {
            let grow = u32::from(c.natural.saturating_sub(*x)).min(free);
            *x += grow as u16;
            free -= grow;
        }
    }
    w
}

/// A table sized by [`fit_columns`]: each row's cells (and the header's) reduced to the
/// kept columns, with their widths; column `fill` (or the last kept one, if `fill` is left
/// out) takes what is left of the line, `None`: the columns stay at their widths (packed
/// to the left, so the eye does not cross empty room). An empty `header` draws none.
pub fn fitted_table<'a>(
    widths: &[Option<u16>],
    fill: Option<usize>,
    header: (Vec<Line<'a>>, ratatui::style::Style),
    rows: Vec<Vec<Line<'a>>>,
) -> ratatui::widgets::Table<'a> {
    use ratatui::layout::Constraint;
    use ratatui::widgets::{Row, Table};
    let kept = |cells: Vec<Line<'a>>| -> Vec<Line<'a>> {
        cells
            .into_iter()
            .zip(widths)
            .filter_map(|(c, w)| w.map(|_| c))
            .collect()
    };
    let fill = fill.map(|f| {
        if widths.get(f).is_some_and(Option::is_some) {
            f
        } else {
            widths.iter().rposition(Option::is_some).unwrap_or(0)
        }
    });
    let constraints: Vec<Constraint> = widths
        .iter()
        .enumerate()
        .filter_map(|(i, w)| {
            w.map(|w| {
                if Some(i) == fill {
                    Constraint::Min(w)
                } else {
                    Constraint::Length(w)
                }
            })
        })
        .collect();
    let table = Table::new(
        rows.into_iter()
            .map(|r| Row::new(kept(r)))
            .collect::<Vec<_>>(),
        constraints,
    );
    let (header, style) = header;
    if header.is_empty() {
        table
    } else {
        table.header(Row::new(kept(header)).style(style))
    }
}

#[cfg(test)]
mod column_tests {
    use super::*;

    #[test]
    fn columns_take_their_content_width_then_are_cut_then_dropped() {
        let cols = [
            Col::keep(5, 5),
            Col::keep(100, 10),
            Col::whole(16, 1),
            Col::whole(6, 2),
        ];
        // room for everything: the long column is not given what it does not need
        assert_eq!(
            fit_columns(200, &cols),
            [Some(5), Some(100), Some(16), Some(6)]
        );
        // less room: the long column is cut, the short ones stay whole
        assert_eq!(
            fit_columns(60, &cols),
            [Some(5), Some(30), Some(16), Some(6)]
        );
        // the long one at its minimum: the lowest rank goes, its room comes back
        assert_eq!(fit_columns(30, &cols), [Some(5), Some(17), None, Some(6)]);
        assert_eq!(fit_columns(10, &cols), [Some(5), Some(10), None, None]);
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

#[cfg(test)]
mod input_tests {
    use super::*;
    use unicode_width::UnicodeWidthStr;

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
}

/// A choice field: `label: < value >`, marked when it has the cursor.
pub fn choice_field(
    m: &crate::app::Model,
    active: bool,
    label: &str,
    value: String,
) -> Line<'static> {
    let th = m.theme();
    let marker = if active { "> " } else { "  " };
    let style = if active { th.selected() } else { th.text() };
    Line::from(vec![
        Span::raw(marker),
        Span::styled(format!("{label}: "), th.muted()),
        Span::styled(value, style),
    ])
}

/// A text field: the shared input with its cursor, and what it last refused under it.
pub fn text_field(
    m: &crate::app::Model,
    lines: &mut Vec<Line<'static>>,
    active: bool,
    label: &str,
    input: &crate::app::input::TextInput,
) {
    let th = m.theme();
    let marker = if active { "> " } else { "  " };
    let style = if active { th.selected() } else { th.text() };
    let mut spans = vec![
        Span::raw(marker),
        Span::styled(format!("{label}: "), th.muted()),
    ];
    spans.extend(input_spans(input, 56, active, style, th.key()));
    lines.push(Line::from(spans));
    if let Some(n) = &input.notice {
        lines.push(Line::from(Span::styled(
            format!("    {}", n.render(m.lang)),
            th.warn(),
        )));
    }
}
