//! The Shift log's one-line input (entries, amendments, corrections, notes) and its two
//! choosers (the roster, the incoming officer with the sign-over confirmation).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use crate::app::Model;
use crate::app::picker::Picker;
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
    // the keymap's rows of the form, written as a short sentence in the title
    let hint =
        crate::app::keymap::forms::hints(m, crate::app::keymap::forms::Context::LogText, 60, false)
            .iter()
            .map(|(k, label)| format!("{k} {label}"))
            .collect::<Vec<_>>()
            .join(m.t("list.sep"));
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
        // letters find a person, so the role keys are digits
        Some(Form::Roster { sel, ref find }) => {
            let keys = crate::app::keymap::forms::hints(
                m,
                crate::app::keymap::forms::Context::LogRoster,
                58,
                false,
            );
            chooser(
                f,
                m,
                s,
                area,
                (sel, find),
                (m.t("log.roster_title"), &keys, 62),
                true,
            );
        }
        Some(Form::Sign {
            sel,
            confirm,
            ref pin,
            ref find,
        }) => {
            let keys = crate::app::keymap::forms::hints(
                m,
                crate::app::keymap::forms::Context::LogSignPick,
                52,
                false,
            );
            chooser(
                f,
                m,
                s,
                area,
                (sel, find),
                (m.t("shift.sign_title"), &keys, 56),
                false,
            );
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
    (date, sel, find): (chrono::NaiveDate, usize, &Picker),
    leader: Option<&str>,
    officers: &[String],
) {
    let th = m.theme();
    let duty_of = |name: &str| {
        if leader == Some(name) {
            Some(Duty::Leader)
        } else if officers.iter().any(|o| o == name) {
            Some(Duty::Officer)
        } else {
            None
        }
    };
    // the search line first: letters find a person, so the role keys are digits; while
    // searching only the people found are listed, as in the other choosers
    let typed = find.input.text();
    let searching = !typed.trim().is_empty();
    let order = found(m, find);
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
    if searching && order.is_empty() {
        lines.push(Line::from(Span::styled(
            format!(" {}", m.t("people_pick.none")),
            th.warn(),
        )));
    }
    let top = lines.len();
    for &i in &order {
        if let Some(p) = m.town.staff.get(i) {
            let duty = duty_cell(m, duty_of(&p.name), "roster_find.day_");
            lines.push(staff_line(m, p, duty, i == sel));
        }
    }
    let given: Vec<(&str, &str)> = leader
        .into_iter()
        .chain(officers.iter().map(String::as_str))
        .map(|n| (n, duty_of(n).map_or("", |d| duty_name(m, d))))
        .collect();
    lines.extend(also_lines(m, &order, &given, 48));
    lines.push(Line::from(""));
    lines.push(crate::ui::form_hints(
        m,
        crate::app::keymap::forms::Context::LogPlan,
        50,
    ));
    let h = (lines.len() as u16 + 2).min(area.height);
    let r = centered(area, 52, h);
    let inner = h.saturating_sub(2) as usize;
    let row = top + order.iter().position(|&i| i == sel).unwrap_or(0);
    let scroll = (row + 3).saturating_sub(inner) as u16;
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

/// The staff a chooser lists: those its search finds, everyone before a search.
fn found(m: &Model, find: &Picker) -> Vec<usize> {
    if find.input.text().trim().is_empty() {
        (0..m.town.staff.len()).collect()
    } else {
        find.matches(&m.people_entries())
    }
}

/// While a roster chooser searches: the people already given a role (`(name, duty)`)
/// whom the search does not list, named in one muted line (wrapped to `width`), so a
/// search never hides who is on duty.
fn also_lines(
    m: &Model,
    listed: &[usize],
    given: &[(&str, &str)],
    width: usize,
) -> Vec<Line<'static>> {
    let shown = |n: &str| {
        listed
            .iter()
            .any(|&i| m.town.staff.get(i).is_some_and(|p| p.name == n))
    };
    let hidden: Vec<String> = given
        .iter()
        .filter(|(n, _)| !shown(n))
        .map(|(n, d)| format!("{} {d}", crate::domain::text::display(n)))
        .collect();
    if hidden.is_empty() {
        return Vec::new();
    }
    let text = m.lang.fmt(
        "roster_find.also",
        &[("names", &hidden.join(m.t("list.sep")))],
    );
    let th = m.theme();
    super::wrap(&text, width)
        .into_iter()
        .map(|l| Line::from(Span::styled(format!(" {l}"), th.muted())))
        .collect()
}

/// A chooser of people over the screen (the open shift's roster, the incoming person of a
/// sign-over): the search line, the people found (everyone before a search) with their
/// duty on the shift, and the keys; `(title, keys, width)` say which chooser it is.
fn chooser(
    f: &mut Frame<'_>,
    m: &Model,
    s: &Snapshot,
    area: Rect,
    (sel, find): (usize, &Picker),
    (title, keys, width): (&str, &[(&str, &str)], u16),
    roles: bool,
) {
    let th = m.theme();
    let searching = !find.input.text().trim().is_empty();
    let order = found(m, find);
    let mut lines = find_lines(m, find, searching && order.is_empty());
    let top = lines.len();
    for (i, p) in order
        .iter()
        .filter_map(|&i| m.town.staff.get(i).map(|p| (i, p)))
    {
        let duty = duty_cell(m, roster_duty(s, &p.name), "roster_find.shift_");
        lines.push(staff_line(m, p, duty, i == sel));
    }
    if roles {
        // the shift's roster stays in sight while searching
        let given: Vec<(&str, &str)> = s
            .roster
            .iter()
            .map(|(n, d)| (n.as_str(), duty_name(m, *d)))
            .collect();
        lines.extend(also_lines(m, &order, &given, usize::from(width) - 4));
    }
    lines.push(Line::from(""));
    lines.push(hints(keys, &th));
    let h = (lines.len() as u16 + 2).min(area.height);
    let r = centered(area, width, h);
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

/// A chooser's find line (what is typed, and what to type), and the warning
/// when nobody matches.
fn find_lines<'a>(m: &'a Model, p: &'a Picker, nobody: bool) -> Vec<Line<'a>> {
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

/// A person's duty on the shown shift's roster (`None` when not on it).
fn roster_duty(s: &Snapshot, name: &str) -> Option<Duty> {
    s.roster.iter().find(|(n, _)| n == name).map(|(_, d)| *d)
}

/// A duty by its name ("Duty leader").
fn duty_name(m: &Model, d: Duty) -> &'static str {
    match d {
        Duty::Leader => m.lang.t("duty.leader"),
        Duty::Officer => m.lang.t("duty.officer"),
    }
}

/// A chooser's duty column: the duty on this shift or that day ("this shift: leader",
/// 本班带班领导), so it does not read as the person's job beside it ("duty leader").
/// `prefix` is `roster_find.shift_` or `roster_find.day_`.
fn duty_cell(m: &Model, d: Option<Duty>, prefix: &str) -> &'static str {
    match d {
        Some(Duty::Leader) => m.lang.t_static(&format!("{prefix}leader")),
        Some(Duty::Officer) => m.lang.t_static(&format!("{prefix}officer")),
        None => "",
    }
}

/// One person of a chooser: name, role and duty, highlighted when selected.
fn staff_line<'a>(m: &Model, p: &Staff, duty: &str, selected: bool) -> Line<'a> {
    let th = m.theme();
    let text = format!(
        " {} {} {} ",
        pad(&p.name, 8),
        pad(m.t(p.role.label_key()), 12),
        pad(duty, 20)
    );
    let style = if selected { th.selected() } else { th.text() };
    Line::from(Span::styled(text, style))
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
        Line::from(""),
        crate::ui::form_hints(
            m,
            crate::app::keymap::forms::Context::LogSignPin,
            usize::from(w.saturating_sub(2)),
        ),
    ];
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .block(panel(m.t("ui.confirm"), &th)),
        r,
    );
}
