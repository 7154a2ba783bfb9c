//! The Shift log's one-line input (entries, amendments, corrections, notes) and its two
//! choosers (the roster, the incoming officer with the sign-over confirmation).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use crate::app::Model;
use crate::app::shiftlog::Form;
use crate::domain::shift::Duty;
use crate::domain::town::Staff;
use crate::store::snapshot::Snapshot;
use crate::ui::centered;
use crate::ui::widgets::{fit, hints, pad, panel};

/// Draws the open one-line input in `area` (three rows: border, text, border).
pub fn draw_input(f: &mut Frame<'_>, m: &Model, area: Rect) {
    let th = m.theme();
    let (title, category, text) = match &m.shiftlog.form {
        Some(Form::Entry { category, text }) => {
            (m.t("log.form.entry").to_string(), Some(*category), text)
        }
        Some(Form::Amend { id, text }) => (
            m.lang.fmt("log.form.amend", &[("id", &id.to_string())]),
            None,
            text,
        ),
        Some(Form::Edit { id, text, .. }) => (
            m.lang.fmt("log.form.edit", &[("id", &id.to_string())]),
            None,
            text,
        ),
        Some(Form::Notes { text, .. }) => (m.t("log.form.notes").to_string(), None, text),
        _ => return,
    };
    let mut spans = Vec::new();
    if let Some(c) = category {
        spans.push(Span::styled(format!("<{}> ", m.t(c.label_key())), th.key()));
    }
    let room = (area.width as usize)
        .saturating_sub(4)
        .saturating_sub(spans.iter().map(|s| s.content.width()).sum());
    // the shared input keeps the cursor in view; what it refused is in the title
    spans.extend(crate::ui::widgets::input_spans(
        text,
        room,
        true,
        th.text(),
        th.key(),
    ));
    let hint = if category.is_some() {
        m.t("log.form.hint_category")
    } else {
        m.t("log.form.hint")
    };
    let title = match &text.notice {
        Some(n) => format!("{title}  ({})", n.render(m.lang)),
        None => format!("{title}  ({hint})"),
    };
    f.render_widget(
        Paragraph::new(Line::from(spans)).block(panel(&title, &th)),
        area,
    );
}

/// Draws the roster or sign-over chooser over the screen, when open.
pub fn draw_popup(f: &mut Frame<'_>, m: &Model, s: &Snapshot, area: Rect) {
    match m.shiftlog.form {
        Some(Form::Roster { sel, ref find }) => super::roster_pick::draw(f, m, s, area, sel, find),
        Some(Form::Sign {
            sel,
            confirm,
            ref pin,
            ref find,
        }) => {
            chooser(f, m, s, area, sel, Some(find));
            if confirm {
                confirm_sign(f, m, area, sel, pin.0.chars().count());
            }
        }
        Some(Form::Plan {
            date,
            sel,
            ref leader,
            ref officers,
            ref find,
        }) => plan_chooser(f, m, area, (date, sel, find), leader.as_deref(), officers),
        _ => {}
    }
}

fn plan_chooser(
    f: &mut Frame<'_>,
    m: &Model,
    area: Rect,
    (date, sel, find): (chrono::NaiveDate, usize, &crate::app::picker::Picker),
    leader: Option<&str>,
    officers: &[String],
) {
    let th = m.theme();
    // the search line first: letters find a person, so the role keys are digits
    let typed = find.input.text();
    let mut lines = vec![Line::from(vec![
        Span::styled(format!(" {}", m.t("people_pick.find")), th.title()),
        if typed.is_empty() {
            Span::styled(m.t("people_pick.type_what"), th.muted())
        } else {
            Span::styled(
                format!("{}_", crate::domain::text::display(typed)),
                th.text(),
            )
        },
    ])];
    for (i, p) in m.town.staff.iter().enumerate() {
        let duty = if leader == Some(p.name.as_str()) {
            m.t("duty.leader")
        } else if officers.contains(&p.name) {
            m.t("duty.officer")
        } else {
            ""
        };
        let text = format!(
            " {} {} {} ",
            pad(&p.name, 8),
            pad(m.t(p.role.label_key()), 12),
            pad(duty, 12)
        );
        let style = if i == sel { th.selected() } else { th.text() };
        lines.push(Line::from(Span::styled(text, style)));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        m.t("roster.edit_hint"),
        th.muted(),
    )));
    let h = (lines.len() as u16 + 2).min(area.height);
    let r = centered(area, 52, h);
    let inner = h.saturating_sub(2) as usize;
    let scroll = (sel + 4).saturating_sub(inner) as u16;
    let title = m
        .lang
        .fmt("roster.edit_title", &[("date", &date.to_string())]);
    crate::ui::widgets::clear_popup(f, r);
    f.render_widget(
        Paragraph::new(lines)
            .scroll((scroll, 0))
            .block(panel(&title, &th)),
        r,
    );
}

/// The roster chooser (`find` is `None`) or the sign-over one, whose typed name lists only
/// the people it finds, best first.
fn chooser(
    f: &mut Frame<'_>,
    m: &Model,
    s: &Snapshot,
    area: Rect,
    sel: usize,
    find: Option<&crate::app::picker::Picker>,
) {
    let th = m.theme();
    let sign = find.is_some();
    let searching = find.filter(|p| !p.input.text().trim().is_empty());
    let order: Vec<usize> = match searching {
        Some(p) => p.matches(&crate::app::picker::people(&m.town)),
        None => (0..m.town.staff.len()).collect(),
    };
    let mut lines = match find {
        Some(p) => find_lines(m, p, searching.is_some() && order.is_empty()),
        None => Vec::new(),
    };
    let top = lines.len();
    for (i, p) in order
        .iter()
        .filter_map(|&i| m.town.staff.get(i).map(|p| (i, p)))
    {
        lines.push(staff_line(m, s, p, i == sel));
    }
    let (title, keys) = chooser_keys(m, sign);
    lines.push(Line::from(""));
    lines.push(hints(&keys, &th));
    let h = (lines.len() as u16 + 2).min(area.height);
    let r = centered(area, if sign { 56 } else { 48 }, h);
    // keep the highlighted person visible in a short terminal
    let inner = h.saturating_sub(2) as usize;
    let row = top + order.iter().position(|&i| i == sel).unwrap_or(0);
    let scroll = (row + 3).saturating_sub(inner) as u16;
    crate::ui::widgets::clear_popup(f, r);
    f.render_widget(
        Paragraph::new(lines)
            .scroll((scroll, 0))
            .block(panel(title, &th)),
        r,
    );
}

/// The sign-over chooser's find line (what is typed, and what to type), and the warning
/// when nobody matches.
fn find_lines<'a>(m: &'a Model, p: &'a crate::app::picker::Picker, nobody: bool) -> Vec<Line<'a>> {
    let th = m.theme();
    let mut spans = vec![Span::styled(
        format!(" {}", m.t("people_pick.find")),
        th.muted(),
    )];
    spans.extend(crate::ui::widgets::input_spans(
        &p.input,
        16,
        true,
        th.text(),
        th.key(),
    ));
    spans.push(Span::styled(
        format!("  {}", m.t("people_pick.type_what")),
        th.muted(),
    ));
    let mut lines = vec![Line::from(spans)];
    if nobody {
        lines.push(Line::from(Span::styled(
            format!(" {}", m.t("people_pick.none")),
            th.warn(),
        )));
    }
    lines
}

/// One person of the chooser: name, role and today's duty, highlighted when selected.
fn staff_line<'a>(m: &Model, s: &Snapshot, p: &Staff, selected: bool) -> Line<'a> {
    let th = m.theme();
    let duty = s
        .roster
        .iter()
        .find(|(n, _)| *n == p.name)
        .map(|(_, d)| match d {
            Duty::Leader => m.t("duty.leader"),
            Duty::Officer => m.t("duty.officer"),
        })
        .unwrap_or("");
    let text = format!(
        " {} {} {} ",
        pad(&p.name, 8),
        pad(m.t(p.role.label_key()), 12),
        pad(duty, 12)
    );
    let style = if selected { th.selected() } else { th.text() };
    Line::from(Span::styled(text, style))
}

/// The chooser's title and keys: signing over, or setting the roster.
fn chooser_keys(m: &Model, sign: bool) -> (&str, Vec<(&str, &str)>) {
    if sign {
        (
            m.t("shift.sign_title"),
            vec![
                ("Up/Down", m.t("keys.select")),
                ("Enter", m.t("log.keys.choose")),
                ("Esc", m.t("log.keys.cancel")),
            ],
        )
    } else {
        (
            m.t("log.roster_title"),
            vec![
                ("l", m.t("duty.leader")),
                ("o", m.t("duty.officer")),
                ("x", m.t("log.keys.off_shift")),
                ("Esc", m.t("log.keys.done")),
            ],
        )
    }
}

fn confirm_sign(f: &mut Frame<'_>, m: &Model, area: Rect, sel: usize, typed: usize) {
    let th = m.theme();
    let name = m.town.staff.get(sel).map_or("", |p| p.name.as_str());
    let text = m.lang.fmt("shift.sign_confirm", &[("name", name)]);
    let prompt = m.lang.fmt("shift.sign_pin", &[("name", name)]);
    let w = (text.width().max(prompt.width()) as u16 + 4).clamp(30, area.width.min(70));
    let r = centered(area, w, 8);
    crate::ui::widgets::clear_popup(f, r);
    let lines = vec![
        Line::from(Span::styled(fit(&text, 400), th.warn())),
        Line::from(""),
        Line::from(vec![
            Span::raw(format!("{prompt} ")),
            Span::styled(format!("{}_", "*".repeat(typed)), th.key()),
        ]),
    ];
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .block(panel(m.t("ui.confirm"), &th)),
        r,
    );
}
