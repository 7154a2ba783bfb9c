//! Pure rendering: `&Model -> Frame`. One module per screen, shared widgets, a theme.

pub mod alerts;
pub mod audit;
pub mod escalations;
pub mod fleet;
pub mod help;
pub mod login;
pub mod overview;
pub mod people;
pub mod report;
pub mod shiftlog;
pub mod theme;
pub mod town;
pub mod widgets;

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use crate::app::{Model, Screen};
use crate::domain::escalation::State;
use crate::domain::transport::{TripStatus, VehicleStatus};

/// Below this size the console shows a notice instead of screens.
pub const MIN_WIDTH: u16 = 64;
/// Below this height the console shows a notice instead of screens.
pub const MIN_HEIGHT: u16 = 16;

/// What drawing asks of every screen: each `ui/<screen>/mod.rs` implements it on a unit
/// struct `Drawing` (the reducer's side is `app::screen::ScreenLogic`).
pub trait ScreenView {
    /// Draws the screen's body into `area`.
    fn draw(&self, f: &mut Frame<'_>, m: &Model, area: Rect);
}

/// The drawing side of a screen.
pub fn view(screen: Screen) -> &'static dyn ScreenView {
    match screen {
        Screen::Overview => &overview::Drawing,
        Screen::Report => &report::Drawing,
        Screen::Escalations => &escalations::Drawing,
        Screen::Fleet => &fleet::Drawing,
        Screen::Shiftlog => &shiftlog::Drawing,
        Screen::People => &people::Drawing,
    }
}

/// Draws the whole console for the model.
pub fn draw(f: &mut Frame<'_>, m: &Model) {
    m.hits.clear();
    let area = f.area();
    m.area.set(Some((area.width, area.height)));
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(f, m, area);
        return;
    }
    let [header, tabs, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_header(f, m, header);
    draw_tabs(f, m, tabs);
    let body = audit::banner(f, m, body);
    let body = alerts::banner(f, m, body);
    if m.snapshot.is_none() {
        f.render_widget(
            Paragraph::new(m.t("ui.loading")).style(m.theme().muted()),
            body,
        );
    } else {
        view(m.screen).draw(f, m, body);
    }
    draw_footer(f, m, footer);
    town::draw(f, m, body);
    if m.audit.open {
        audit::draw(f, m, body);
    }
    alerts::draw_inbox(f, m, body);
    if m.confirm_quit {
        confirm(f, m, body, m.t("ui.confirm_quit"));
    }
    if let Some(l) = &m.login {
        login::draw(f, m, l, body);
    }
    // over everything, the login's chooser included (F1 there)
    if m.help {
        help::draw(f, m, body);
    }
    scrub(f.buffer_mut());
}

/// The last guard between the model and the terminal: a cell that still holds a control
/// character, an escape sequence's remains or a bidirectional override (text stored by an
/// older version, a path no screen cleaned) is shown as a space, so no stored text can
/// move the cursor, retitle the window, write the clipboard or reorder the screen.
pub fn scrub(buf: &mut ratatui::buffer::Buffer) {
    for cell in buf.content.iter_mut() {
        if !crate::domain::text::is_clean(cell.symbol()) {
            cell.set_symbol(" ");
        }
    }
}

fn too_small(f: &mut Frame<'_>, m: &Model, area: Rect) {
    let mut text = m.lang.fmt(
        "ui.too_small",
        &[
            ("w", &MIN_WIDTH.to_string()),
            ("h", &MIN_HEIGHT.to_string()),
        ],
    );
    // `q` with unsaved work asks here (keys other than y/n are ignored at this size)
    if m.confirm_quit {
        text = format!("{}\n{text}", m.t("ui.confirm_quit"));
    }
    f.render_widget(
        Paragraph::new(text)
            .wrap(Wrap { trim: true })
            .style(m.theme().warn()),
        area,
    );
}

/// The header's alert counters: overdue escalations, waiting requests, free/all vehicles.
pub fn counters(m: &Model) -> (usize, usize, usize, usize) {
    let Some(s) = &m.snapshot else {
        return (0, 0, 0, 0);
    };
    let overdue = s
        .escalations
        .iter()
        .filter(|e| e.state != State::Resolved && m.now > e.due)
        .count();
    let waiting = s
        .transports
        .iter()
        .filter(|t| t.status == TripStatus::Requested)
        .count();
    let free = s
        .vehicles
        .iter()
        .filter(|v| v.status == VehicleStatus::Available)
        .count();
    (overdue, waiting, free, s.vehicles.len())
}

fn draw_header(f: &mut Frame<'_>, m: &Model, area: Rect) {
    let th = m.theme();
    let local = m.now.with_timezone(&m.town.info.offset);
    let town = m.town.name(m.lang);
    let (overdue, waiting, free, all) = counters(m);
    let right = format!(
        " {} {overdue} | {} {waiting} | {} {free}/{all} ",
        m.t("header.overdue"),
        m.t("header.waiting"),
        m.t("header.free"),
    );
    let wide = area.width >= 140;
    let clock = if wide {
        local.format("%Y-%m-%d %H:%M:%S")
    } else {
        local.format("%m-%d %H:%M:%S")
    };
    let mut segments = vec![format!(" {town}"), clock.to_string()];
    let (late, early) = shift_segments(m);
    segments.extend(late.clone());
    let (on_roster, on_duty) = on_duty_text(m);
    if !on_roster {
        segments.push(format!("{} {}", m.t("header.operator"), m.operator));
    }
    segments.extend(on_duty);
    // the people on duty matter more than naming a shift the clock has not reached
    segments.extend(early);
    let width = area.width as usize;
    let right_w = right.width().min(width);
    let left = fit_segments(&segments, width.saturating_sub(right_w));
    let alert = if overdue > 0 || waiting > 0 {
        th.critical()
    } else {
        th.header()
    };
    let mut spans = match late
        .as_deref()
        .and_then(|l| left.find(l).map(|i| (i, l.len())))
    {
        Some((i, n)) => vec![
            Span::styled(left[..i].to_string(), th.header()),
            Span::styled(left[i..i + n].to_string(), th.critical()),
            Span::styled(left[i + n..].to_string(), th.header()),
        ],
        None => vec![Span::styled(left, th.header())],
    };
    if m.town.info.surge.on {
        add_surge_tag(m, &mut spans);
    }
    spans.push(Span::styled(widgets::fit(&right, right_w), alert));
    let line = Line::from(spans);
    f.render_widget(Paragraph::new(line), area);
}

/// Whether the operator is on the roster, and the header's "on duty" segment (none when
/// nobody is). The operator is marked [like this] among the people on duty; shown apart
/// only when not on the roster. The header always names the people on duty now, even
/// while a past shift is browsed.
fn on_duty_text(m: &Model) -> (bool, Option<String>) {
    // borrowed: the header is drawn every frame
    let roster: &[(String, crate::domain::shift::Duty)] = m
        .snapshot
        .as_deref()
        .map_or(&[], |s| s.on_duty.as_deref().unwrap_or(&s.roster));
    let on_roster = roster.iter().any(|(n, _)| *n == m.operator);
    if roster.is_empty() {
        return (on_roster, None);
    }
    let on_duty = roster
        .iter()
        .map(|(n, d)| {
            let name = if *n == m.operator {
                format!("[{n}]")
            } else {
                n.clone()
            };
            match d {
                crate::domain::shift::Duty::Leader => {
                    format!("{name}({})", m.t("duty.leader_short"))
                }
                crate::domain::shift::Duty::Officer => name,
            }
        })
        .collect::<Vec<_>>()
        .join(" ");
    (
        on_roster,
        Some(format!("{} {on_duty}", m.t("header.on_duty"))),
    )
}

/// The open shift past its end and still unsigned: named, and how late (the first of the
/// pair); or, after an early sign-over, the next shift that has the desk before its start
/// (the second).
fn shift_segments(m: &Model) -> (Option<String>, Option<String>) {
    let Some(s) = m.snapshot.as_ref() else {
        return (None, None);
    };
    let off = m.town.info.offset;
    let (name, overdue) =
        crate::domain::shift::open_shift_label(s.current_shift, m.now, off, m.lang);
    let nominal = crate::domain::shift::shift_start_for(m.now, off, m.town.info.shift_start);
    match overdue {
        Some(l) => {
            let seg = m
                .lang
                .fmt("shift.header_late", &[("shift", &name), ("late", &l)]);
            (Some(seg), None)
        }
        None if s.current_shift != nominal => (None, Some(name)),
        None => (None, None),
    }
}

/// The header's left part: whole segments in priority order, padded to `room` (a cut-off
/// name is worse than a missing one; only a first segment too long alone is cut).
fn fit_segments(segments: &[String], room: usize) -> String {
    let mut left = String::new();
    for seg in segments {
        let candidate = if left.is_empty() {
            seg.clone()
        } else {
            format!("{left} | {seg}")
        };
        if candidate.width() <= room {
            left = candidate;
        } else if left.is_empty() {
            left = widgets::fit(seg, room);
        }
    }
    widgets::pad(&left, room)
}

/// Surge is told first on the right (the thresholds have changed): the left part gives up
/// its end (padding, or the least important segment) to make room.
fn add_surge_tag(m: &Model, spans: &mut Vec<Span<'_>>) {
    let tag = format!(" {} ", m.t("town_change.ui.surge"));
    let tag_w = tag.width();
    if let Some(Span { content, .. }) = spans.last_mut() {
        let w = content.width().saturating_sub(tag_w);
        *content = widgets::pad(&widgets::fit(content, w), w).into();
    }
    spans.push(Span::styled(tag, m.theme().critical()));
}

/// The tab titles with their start columns, as drawn.
fn tab_layout(m: &Model) -> Vec<(Screen, u16, String)> {
    // the full titles when they fit the terminal's width, else the short ones
    let width = m.area.get().map_or(u16::MAX, |(w, _)| w);
    let full = tab_labels(m, |s| s.title_key());
    let fits = full.iter().map(|l| l.width() + 1).sum::<usize>() < width as usize;
    let labels = if fits {
        full
    } else {
        tab_labels(m, |s| s.short_title_key())
    };
    let mut col = 1u16;
    let mut out = Vec::new();
    for (s, label) in Screen::ALL.into_iter().zip(labels) {
        let w = label.width() as u16;
        out.push((s, col, label));
        col = col.saturating_add(w + 1);
    }
    out
}

fn tab_labels(m: &Model, key: impl Fn(Screen) -> &'static str) -> Vec<String> {
    Screen::ALL
        .iter()
        .map(|s| format!(" {} {} ", s.digit(), m.t(key(*s))))
        .collect()
}

/// The screen whose tab is at `column` on the tab row, for mouse clicks.
pub fn tab_at(m: &Model, column: u16) -> Option<Screen> {
    tab_layout(m)
        .into_iter()
        .find(|(_, start, label)| column >= *start && column < start + label.width() as u16)
        .map(|(s, _, _)| s)
}

fn draw_tabs(f: &mut Frame<'_>, m: &Model, area: Rect) {
    let th = m.theme();
    let mut spans = vec![Span::raw(" ")];
    for (s, _, label) in tab_layout(m) {
        let style = if s == m.screen {
            th.tab_active()
        } else {
            th.tab()
        };
        spans.push(Span::styled(label, style));
        spans.push(Span::raw(" "));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_footer(f: &mut Frame<'_>, m: &Model, area: Rect) {
    let th = m.theme();
    if let Some(st) = &m.status {
        let style = if st.error { th.error() } else { th.ok() };
        f.render_widget(
            Paragraph::new(Span::styled(
                // codes in a message (statuses, places, items) shown by their names
                format!(
                    " {}",
                    crate::domain::shift::readable(&st.msg, m.lang, &|c| m
                        .town
                        .place_name(c, m.lang))
                    .render(m.lang)
                ),
                style,
            )),
            area,
        );
        return;
    }
    let read_only = m.login.is_none() && crate::app::access::read_only(m);
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    let form = crate::app::keymap::forms::context(m);
    let line = if let Some(c) = form {
        // the open form's or popup's keymap rows, by priority, as many as fit; those that
        // draw their keys inside themselves leave the footer empty
        if !c.hints_inside() {
            pairs = crate::app::keymap::forms::hints(m, c, area.width as usize, true);
        }
        widgets::hints(&pairs, &th)
    } else if m.login.is_some() || m.town_ui.modal() || m.modal() {
        // a form or popup between its states (every one has a context in
        // `app::keymap::forms`, whose rows make its footer): no keys to offer
        Line::default()
    } else {
        // the keymap's rows for this screen and everywhere, by priority, as many as fit
        let marker = if read_only {
            m.t("access.read_only").width() + 4
        } else {
            0
        };
        let items = crate::app::keymap::footer(m, (area.width as usize).saturating_sub(marker));
        pairs = items.iter().map(|(k, l, _)| (*k, *l)).collect();
        footer_line(&items, &th)
    };
    let mut line = line;
    key_buttons(m, &pairs, area);
    if read_only {
        // say up front that this operator changes nothing (each refusal says why)
        line.spans.push(Span::styled(
            format!("  [{}]", m.t("access.read_only")),
            th.warn(),
        ));
    }
    f.render_widget(Paragraph::new(line), area);
}

/// The footer's hints; an action the operator may not take is dimmed (the help says why).
fn footer_line<'a>(items: &[(&'a str, &'a str, bool)], th: &theme::Theme) -> Line<'a> {
    let mut spans = Vec::new();
    for (i, (k, label, enabled)) in items.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw("  "));
        }
        if *enabled {
            spans.push(Span::styled(*k, th.key()));
            spans.push(Span::raw(" "));
            spans.push(Span::styled(*label, th.muted()));
        } else {
            let dim = th.refused();
            spans.push(Span::styled(*k, dim));
            spans.push(Span::raw(" "));
            spans.push(Span::styled(*label, dim));
        }
    }
    Line::from(spans)
}

/// The hint line a form or popup draws inside itself, `width` columns wide, from its
/// keymap rows (`app::keymap::forms`).
pub fn form_hints(m: &Model, c: crate::app::keymap::forms::Context, width: usize) -> Line<'static> {
    let pairs = crate::app::keymap::forms::hints(m, c, width, false);
    widgets::hints(&pairs, &m.theme())
}

/// Records the footer's key hints as buttons: a click presses the key.
fn key_buttons(m: &Model, pairs: &[(&str, &str)], area: Rect) {
    use crossterm::event::KeyCode;
    let mut x = area.x;
    for (i, (k, label)) in pairs.iter().enumerate() {
        if i > 0 {
            x = x.saturating_add(2);
        }
        let w = (k.width() + 1 + label.width()) as u16;
        let code = match *k {
            "Enter" => Some(KeyCode::Enter),
            "Esc" => Some(KeyCode::Esc),
            "Tab" => Some(KeyCode::Tab),
            "F1" => Some(KeyCode::F(1)),
            k if k.chars().count() == 1 => k.chars().next().map(KeyCode::Char),
            _ => None,
        };
        if let Some(code) = code {
            let r = Rect {
                x,
                width: w.min(area.right().saturating_sub(x)),
                ..area
            };
            m.hits.add(r, crate::app::hits::Hit::Key(code));
        }
        x = x.saturating_add(w);
    }
}

/// A centred rectangle of at most `w`×`h` inside `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

fn confirm(f: &mut Frame<'_>, m: &Model, area: Rect, text: &str) {
    let th = m.theme();
    let r = centered(area, (text.width() as u16).saturating_add(6).max(30), 3);
    widgets::clear_popup(f, r);
    f.render_widget(
        Paragraph::new(text)
            .alignment(Alignment::Center)
            .block(widgets::panel(m.t("ui.confirm"), &th)),
        r,
    );
}
