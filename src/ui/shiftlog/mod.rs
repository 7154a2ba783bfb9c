//! The Shift log screen: the shift's people, its timestamped entries (amendments under the
//! entry they amend), the handover compiled live, and past shifts read-only.

pub mod form;
pub mod roster;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, TableState};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::theme::Theme;
use super::widgets::{Col, fit_columns, hhmm_db, panel};
use crate::app::shiftlog::Form;
use crate::app::{Model, Screen};
use crate::domain::handover_doc::{DocCtx, Tone, lines};
use crate::domain::shift::{Duty, LogRow, SHIFT_LENGTH};
use crate::store::snapshot::Snapshot;

/// From this width the log and the handover are shown side by side.
pub const SIDE_BY_SIDE: u16 = 100;

/// Draws the Shift log screen.
pub fn draw(f: &mut Frame<'_>, m: &Model, area: Rect) {
    let Some(s) = m.snapshot.as_deref() else {
        return;
    };
    let text_form = matches!(
        m.shiftlog.form,
        Some(Form::Entry { .. } | Form::Amend { .. } | Form::Edit { .. } | Form::Notes { .. })
    );
    // its keys are in the footer (the keymap's rows)
    let [roster, main, form] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Min(3),
        Constraint::Length(if text_form { 3 } else { 0 }),
    ])
    .areas(area);
    draw_roster(f, m, s, roster);
    if m.shiftlog.roster_panel {
        roster::draw(f, m, s, main);
    } else if m.shiftlog.handover_full {
        draw_handover(f, m, s, main, m.shiftlog.scroll);
    } else if main.width >= SIDE_BY_SIDE {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
                .areas(main);
        draw_log(f, m, s, left);
        draw_handover(f, m, s, right, 0);
    } else {
        draw_log(f, m, s, main);
    }
    if text_form {
        form::draw_input(f, m, form);
    }
    form::draw_popup(f, m, s, area);
    if m.shiftlog.detail {
        draw_detail(f, m, s, area);
    }
}

fn draw_roster(f: &mut Frame<'_>, m: &Model, s: &Snapshot, area: Rect) {
    let th = m.theme();
    let off = m.town.info.offset;
    let start = s.shift_start.with_timezone(&off);
    let end = (s.shift_start + SHIFT_LENGTH).with_timezone(&off);
    let mut title = m.lang.fmt(
        "log.shift_title",
        &[
            ("start", &start.format("%m-%d %H:%M").to_string()),
            ("end", &end.format("%m-%d %H:%M").to_string()),
        ],
    );
    if s.shift_start != s.current_shift {
        title = format!("{title} - {}", m.t("log.history"));
    }
    let mut line: Vec<Span<'_>> = s
        .roster
        .iter()
        .flat_map(|(n, d)| {
            let role = match d {
                Duty::Leader => m.t("duty.leader"),
                Duty::Officer => m.t("duty.officer"),
            };
            [
                Span::styled(format!("{role}: "), th.muted()),
                Span::raw(format!("{n}  ")),
            ]
        })
        .collect();
    if s.roster.is_empty() {
        line.push(Span::styled(m.t("log.no_roster"), th.warn()));
    }
    // the open shift past its end and still unsigned says so plainly
    if s.shift_start == s.current_shift
        && let (_, Some(late)) =
            crate::domain::shift::open_shift_label(s.shift_start, m.now, off, m.lang)
    {
        line.push(Span::styled(format!("  {late}"), th.critical()));
    }
    if let Some(by) = s.handover.as_ref().and_then(|h| h.signed_by.clone()) {
        line.push(Span::styled(
            m.lang.fmt("log.signed_over", &[("name", &by)]),
            th.locked(),
        ));
    }
    f.render_widget(
        Paragraph::new(Line::from(line)).block(panel(&title, &th)),
        area,
    );
}

fn draw_log(f: &mut Frame<'_>, m: &Model, s: &Snapshot, area: Rect) {
    let th = m.theme();
    // only the rows that fit are built (borders and header take three lines)
    let (first, sel) = super::widgets::window(
        s.log.len(),
        m.selected[Screen::Shiftlog.index()],
        area.height.saturating_sub(3) as usize,
    );
    let cells: Vec<Vec<Line<'_>>> = s
        .log
        .iter()
        .skip(first)
        .take(area.height.saturating_sub(3) as usize)
        .map(|e| log_cells(m, e))
        .collect();
    let titles = [
        m.t("log.col_time"),
        m.t("log.col_category"),
        m.t("log.col_author"),
        m.t("log.col_text"),
    ];
    // the count is the whole log's, the rows only its newest window (issue 18)
    let title = log_title(m, s.log_total);
    let block = panel(&title, &th);
    if cells.is_empty() {
        f.render_widget(
            Paragraph::new(Span::styled(m.t("log.empty"), th.muted())).block(block),
            area,
        );
        return;
    }
    let widths = log_widths(area.width.saturating_sub(2), &titles, &cells);
    let table = super::widgets::fitted_table(
        &widths,
        Some(3),
        (titles.map(Line::from).to_vec(), th.muted()),
        cells,
    )
    .row_highlight_style(th.selected())
    .block(block);
    let mut state = TableState::default().with_selected(Some(sel));
    f.render_stateful_widget(table, area, &mut state);
    // rows below the border and the header line, for mouse clicks
    m.hits.rows(
        ratatui::layout::Rect {
            x: area.x + 1,
            y: area.y + 2,
            width: area.width.saturating_sub(2),
            height: area.height.saturating_sub(3),
        },
        first,
        s.log.len(),
    );
}

/// The log's column widths (issue 19: sized by content; the category and author columns
/// were 10 and 8 wide whatever they held): the time is never cut, the text is cut first
/// and takes what is left; on a narrow screen the author, then the category, are left out.
fn log_widths(inner: u16, titles: &[&str; 4], cells: &[Vec<Line<'_>>]) -> Vec<Option<u16>> {
    let n: [u16; 4] = std::array::from_fn(|i| Col::natural(titles[i], cells.iter().map(|c| &c[i])));
    fit_columns(
        inner,
        &[
            Col::keep(n[0], n[0]),
            Col {
                natural: n[1],
                min: n[1].min(4),
                drop: Some(2),
            },
            Col {
                natural: n[2],
                min: n[2].min(6),
                drop: Some(1),
            },
            Col::keep(n[3], 16),
        ],
    )
}

/// One entry's cells: time, category, author and text (an amendment indented under "+",
/// an automatic entry muted).
fn log_cells(m: &Model, e: &LogRow) -> Vec<Line<'static>> {
    let th = m.theme();
    let text = crate::domain::text::display(&e.text_for(m.lang, &m.town)).into_owned();
    let (text, style) = match e.amends {
        Some(id) => (
            format!(
                "  + {}",
                m.lang
                    .fmt("log.amends", &[("id", &id.to_string()), ("text", &text)])
            ),
            th.warn(),
        ),
        None if e.auto_msg.is_some() => (text, th.muted()),
        None => (text, th.text()),
    };
    vec![
        Line::from(Span::styled(hhmm_db(&e.at, m.town.info.offset), th.muted())),
        Line::from(m.t(e.category.label_key())),
        Line::from(crate::domain::text::display(&e.author).into_owned()),
        Line::from(Span::styled(text, style)),
    ]
}

/// The log's title with its count: "1 entries" read wrong (issue 19), one entry has its
/// own wording.
fn log_title(m: &Model, n: usize) -> String {
    if n == 1 {
        m.t("plural.log_one").to_string()
    } else {
        m.lang.fmt("log.entries_n", &[("n", &n.to_string())])
    }
}

/// The selected entry in full (`Enter`): when, what kind, by whom, every line of its text
/// wrapped to the popup, and the amendments made to it, each in full.
fn draw_detail(f: &mut Frame<'_>, m: &Model, s: &Snapshot, area: Rect) {
    let th = m.theme();
    let sel = m.selected[Screen::Shiftlog.index()];
    let Some(e) = s.log.get(sel) else {
        return;
    };
    let off = m.town.info.offset;
    let width = area.width.saturating_sub(4).clamp(20, 100);
    let inner = usize::from(width.saturating_sub(2));
    let when = crate::domain::time::from_db(&e.at).map_or_else(
        || e.at.clone(),
        |t| t.with_timezone(&off).format("%Y-%m-%d %H:%M").to_string(),
    );
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{} ", m.t("log.col_time")), th.muted()),
        Span::raw(when),
        Span::styled(format!("  {} ", m.t("log.col_category")), th.muted()),
        Span::raw(m.t(e.category.label_key())),
        Span::styled(format!("  {} ", m.t("log.col_author")), th.muted()),
        Span::raw(crate::domain::text::display(&e.author).into_owned()),
    ])];
    lines.push(Line::from(""));
    // the text as written: its own line breaks kept, each line wrapped by columns
    let body = |text: &str, lines: &mut Vec<Line<'_>>, style: Style| {
        for part in text.split('\n') {
            for l in wrap(&crate::domain::text::display(part), inner) {
                lines.push(Line::from(Span::styled(l, style)));
            }
        }
    };
    body(&e.text_for(m.lang, &m.town), &mut lines, th.text());
    let amendments: Vec<_> = s.log.iter().filter(|a| a.amends == Some(e.id)).collect();
    if !amendments.is_empty() {
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            m.t("log_detail.amended_by"),
            th.title(),
        )));
        for a in amendments {
            let head = format!(
                "{} {}",
                hhmm_db(&a.at, off),
                crate::domain::text::display(&a.author)
            );
            lines.push(Line::from(Span::styled(head, th.muted())));
            body(&a.text_for(m.lang, &m.town), &mut lines, th.warn());
        }
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        m.lang.fmt(
            "log_detail.position",
            // counted in the whole log: the rows are a window of it (issue 18)
            &[
                ("i", &(s.log_older + sel + 1).to_string()),
                ("n", &s.log_total.max(s.log.len()).to_string()),
            ],
        ),
        th.muted(),
    )));
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let r = super::centered(area, width, height);
    super::widgets::clear_popup(f, r);
    let title = m.lang.fmt("log_detail.title", &[("id", &e.id.to_string())]);
    f.render_widget(Paragraph::new(lines).block(panel(&title, &th)), r);
}

fn tone_style(t: Tone, th: &Theme) -> Style {
    match t {
        Tone::Title | Tone::Heading => th.title(),
        Tone::Urgent => th.critical(),
        Tone::Warn => th.warn(),
        Tone::Plain => th.text(),
        Tone::Muted => th.muted(),
    }
}

fn draw_handover(f: &mut Frame<'_>, m: &Model, s: &Snapshot, area: Rect, scroll: u16) {
    let th = m.theme();
    let place = |c: &str| m.town.place_name(c, m.lang);
    let doc = &s.handover_doc;
    let ctx = DocCtx {
        lang: m.lang,
        offset: m.town.info.offset,
        town: m.town.name(m.lang),
        place: &place,
        signed: doc.signed.clone(),
    };
    let mut text: Vec<Line<'_>> = Vec::new();
    let inner = area.height.saturating_sub(2) as usize;
    // the side panel only needs the lines it shows; the full view needs them all to scroll
    let enough = if m.shiftlog.handover_full {
        usize::MAX
    } else {
        scroll as usize + inner + 1
    };
    // the title repeats the roster panel: skip it here
    // patients' names masked on the screen as in every list (`handover show --with-names`)
    let mut handover = doc.handover.clone();
    crate::domain::privacy::mask_handover(&mut handover);
    for l in lines(&handover, &ctx)
        .into_iter()
        .filter(|l| l.tone != Tone::Title)
    {
        if text.len() >= enough {
            break;
        }
        if l.tone == Tone::Heading {
            text.push(Line::from(""));
        }
        let (first, rest) = if l.item { ("- ", "  ") } else { ("", "") };
        let width = (area.width as usize).saturating_sub(2 + first.len()).max(8);
        for (i, part) in wrap(&l.text, width).into_iter().enumerate() {
            let lead = if i == 0 { first } else { rest };
            text.push(Line::from(Span::styled(
                format!("{lead}{part}"),
                tone_style(l.tone, &th),
            )));
        }
    }
    let title = if doc.signed.is_some() {
        m.t("log.handover_signed")
    } else {
        m.t("log.handover_live")
    };
    let mut block = panel(title, &th);
    if doc.signed.is_some() {
        block = block.border_style(th.locked());
    }
    // never scroll past the last line; tell the key handler how far it may go
    let max = text.len().saturating_sub(inner) as u16;
    if m.shiftlog.handover_full {
        m.shiftlog.max_scroll.set(max);
        m.shiftlog.page.set(inner as u16);
    }
    let scroll = scroll.min(max);
    f.render_widget(Paragraph::new(text).scroll((scroll, 0)).block(block), area);
}

/// Breaks `text` into lines of at most `width` display columns: anywhere between CJK
/// characters, and at a space rather than inside a Latin word when one is near.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out = Vec::new();
    let mut line = String::new();
    // the line's width is kept as it grows, not measured again for every character
    let mut line_w = 0;
    for c in text.chars() {
        let cw = c.width().unwrap_or(0);
        if line_w + cw > width {
            let mut carry = String::new();
            // Chinese closing punctuation never starts a line: what precedes it comes along
            let closing = "、，。：；）】」！？".contains(c);
            if (c.is_ascii_graphic() || closing)
                && let Some(i) = line.rfind(' ')
                && line[i + 1..].chars().all(|x| x.is_ascii_graphic())
                && line[i + 1..].width() <= width / 2
            {
                carry = line[i + 1..].to_string();
                line.truncate(i);
            } else if closing && let Some(last) = line.pop() {
                carry.push(last);
            }
            out.push(line.trim_end().to_string());
            line_w = carry.width();
            line = carry;
            if c == ' ' && line.is_empty() {
                continue;
            }
        }
        line.push(c);
        line_w += cw;
    }
    if !line.is_empty() || out.is_empty() {
        out.push(line);
    }
    out
}

/// The Shift log screen, for `ui::view`.
pub struct Drawing;

impl super::ScreenView for Drawing {
    fn draw(&self, f: &mut ratatui::Frame<'_>, m: &Model, area: ratatui::layout::Rect) {
        draw(f, m, area);
    }
}

#[cfg(test)]
mod tests {
    use super::wrap;
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn wrapping_counts_columns_and_keeps_latin_words_whole() {
        assert_eq!(
            wrap("due 11-26 10:10 overdue", 12),
            ["due 11-26", "10:10", "overdue"]
        );
        let zh = wrap("群众诉求：独居老人反映药未送到（鹰嘴村）", 10);
        assert!(zh.iter().all(|l| l.width() <= 10), "{zh:?}");
        assert_eq!(zh.concat(), "群众诉求：独居老人反映药未送到（鹰嘴村）");
        assert_eq!(wrap("", 5), [""]);
        assert_eq!(wrap("接手人：暂无", 6), ["接手", "人：暂", "无"]);
        assert_eq!(
            wrap("人数 6208 (-1426)、门诊", 16),
            ["人数 6208", "(-1426)、门诊"]
        );
    }
}
