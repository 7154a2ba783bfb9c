//! The Escalations screen's detail view (with the full history from the audit log) and its
//! forms (new escalation, resolution note, stock count).

use crate::domain::audit_action::AuditAction;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{place, when};
use crate::app::Model;
use crate::app::escalations::form::{AddField, Form, MANUAL_KINDS, stock_entries};
use crate::app::picker::{Entry, Picker};
use crate::domain::audit_chain::AuditRow;
use crate::domain::escalation::{EscalationRow, display_title};
use crate::domain::time::to_db;
use crate::ui::centered;
use crate::ui::widgets::{
    Col, choice_field, day_time_db, fit_columns, fitted_table, panel, text_field,
};

fn action_key(action: &str) -> Option<&'static str> {
    Some(match AuditAction::parse(action)? {
        AuditAction::EscalationRaise => "esc.action.raise",
        AuditAction::EscalationAck => "esc.action.ack",
        AuditAction::EscalationResolve => "esc.action.resolve",
        AuditAction::EscalationAutoResolve => "esc.action.auto_resolve",
        AuditAction::EscalationOverdue => "esc.action.overdue",
        AuditAction::EscalationToLeader => "esc.action.to_leader",
        _ => return None,
    })
}

fn history_note(m: &Model, a: &AuditRow) -> String {
    let detail: serde_json::Value = serde_json::from_str(&a.detail).unwrap_or_default();
    let text = |k: &str| detail.get(k).and_then(|v| v.as_str()).map(str::to_string);
    match AuditAction::parse(&a.action) {
        Some(AuditAction::EscalationAutoResolve) => text("reason")
            .map(|k| m.lang.t(&k).to_string())
            .unwrap_or_default(),
        Some(AuditAction::EscalationResolve) => text("note").unwrap_or_default(),
        Some(AuditAction::EscalationToLeader) => text("leader").unwrap_or_default(),
        Some(AuditAction::EscalationRaise) => text("due")
            .map(|d| {
                format!(
                    "{} {}",
                    m.t("esc.detail.due"),
                    day_time_db(&d, m.town.info.offset)
                )
            })
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// Draws one escalation with who did what when.
pub fn draw_detail(f: &mut Frame<'_>, m: &Model, area: Rect) {
    let th = m.theme();
    let Some(s) = m.snapshot.as_deref() else {
        return;
    };
    let Some(id) = m.escalations.detail else {
        return;
    };
    let title = m.lang.fmt("esc.detail.title", &[("id", &id.to_string())]);
    let Some(e) = s
        .esc_detail
        .as_ref()
        .filter(|e| e.id == id)
        .or_else(|| s.escalations.iter().find(|e| e.id == id))
    else {
        f.render_widget(
            Paragraph::new(m.t("ui.loading")).block(panel(&title, &th)),
            area,
        );
        return;
    };
    let mut lines = head_lines(m, e);
    lines.extend(optional_lines(m, e));
    let info_h = lines.len() as u16 + 2;
    let [info, hist] =
        Layout::vertical([Constraint::Length(info_h), Constraint::Min(3)]).areas(area);
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .block(panel(&title, &th)),
        info,
    );
    draw_history(f, m, &s.esc_history, hist);
}

/// A field's label, muted.
fn label<'a>(m: &Model, k: &str) -> Span<'a> {
    Span::styled(format!("{}: ", m.t(k)), m.theme().muted())
}

/// The lines every escalation has: title, kind and state, village, due, raised.
fn head_lines(m: &Model, e: &EscalationRow) -> Vec<Line<'static>> {
    let th = m.theme();
    let off = m.town.info.offset;
    vec![
        Line::from(Span::styled(
            crate::domain::text::display(&display_title(e, &m.town, m.lang)).into_owned(),
            th.title(),
        )),
        Line::from(vec![
            label(m, "esc.detail.kind"),
            Span::raw(m.t(e.kind.label_key()).to_string()),
            Span::raw(if e.direct {
                format!("  [{}]", m.t("esc.direct"))
            } else {
                String::new()
            }),
            Span::raw("   "),
            label(m, "esc.detail.state"),
            Span::raw(m.t(e.state.label_key()).to_string()),
        ]),
        Line::from(vec![label(m, "esc.detail.village"), Span::raw(place(m, e))]),
        Line::from(vec![
            label(m, "esc.detail.due"),
            Span::raw(day_time_db(&to_db(e.due), off)),
            Span::raw("  "),
            Span::styled(
                if e.state == crate::domain::escalation::State::Resolved {
                    String::new()
                } else {
                    when(m, e)
                },
                if e.overdue(m.now) {
                    th.overdue()
                } else {
                    th.text()
                },
            ),
        ]),
        Line::from(vec![
            label(m, "esc.detail.raised"),
            Span::raw(format!(
                "{} {}",
                day_time_db(&e.raised_at, off),
                crate::domain::text::display(&e.raised_by)
            )),
        ]),
    ]
}

/// The lines only some escalations have: owner, sent to the leader, details, note.
fn optional_lines(m: &Model, e: &EscalationRow) -> Vec<Line<'static>> {
    let th = m.theme();
    let mut lines = Vec::new();
    if !e.owner.is_empty() {
        lines.push(Line::from(vec![
            label(m, "esc.detail.owner"),
            Span::raw(crate::domain::text::display(&e.owner).into_owned()),
        ]));
    }
    if let Some(at) = &e.escalated_at {
        lines.push(Line::from(Span::styled(
            format!(
                "{} {}",
                m.t("esc.detail.leader"),
                day_time_db(at, m.town.info.offset)
            ),
            th.critical(),
        )));
    }
    if !e.details.is_empty() {
        lines.push(Line::from(vec![
            label(m, "esc.detail.details"),
            Span::raw(crate::domain::text::display(&e.details).into_owned()),
        ]));
    }
    if let Some(note) = &e.resolution_note {
        lines.push(Line::from(vec![
            label(m, "esc.detail.note"),
            Span::styled(crate::domain::text::display(note).into_owned(), th.ok()),
        ]));
    }
    lines
}

/// The escalation's history from the audit log: when, who, what, and a note.
fn draw_history(f: &mut Frame<'_>, m: &Model, history: &[AuditRow], area: Rect) {
    let off = m.town.info.offset;
    let th = m.theme();
    let rows: Vec<Vec<Line<'_>>> = history
        .iter()
        .map(|a| {
            // the operator and a resolution note are typed by people
            vec![
                Line::from(day_time_db(&a.at, off)),
                Line::from(crate::domain::text::display(&a.operator).into_owned()),
                Line::from(action_key(&a.action).map_or(a.action.as_str(), |k| m.t(k))),
                Line::from(crate::domain::text::display(&history_note(m, a)).into_owned()),
            ]
        })
        .collect();
    // sized by content (issue 19: 16 and 22 fixed columns cut the note at 80 columns
    // while holding a three-character name): the time and the action are never cut, the
    // note is cut first and takes what is left, the operator goes on a narrow screen
    let n: [u16; 4] = std::array::from_fn(|i| Col::natural("", rows.iter().map(|r| &r[i])));
    let widths = fit_columns(
        area.width.saturating_sub(2),
        &[
            Col::keep(n[0], n[0]),
            Col {
                natural: n[1],
                min: n[1].min(6),
                drop: Some(1),
            },
            Col::keep(n[2], n[2].min(8)),
            Col::keep(n[3], 10),
        ],
    );
    let table = fitted_table(&widths, Some(3), (Vec::new(), th.muted()), rows)
        .block(panel(m.t("esc.detail.history"), &th));
    f.render_widget(table, area);
}

/// Draws the open form as a popup over `area`.
pub fn draw_form(f: &mut Frame<'_>, m: &Model, area: Rect) {
    let th = m.theme();
    let Some(form) = &m.escalations.form else {
        return;
    };
    let (title, mut lines, error) = match form {
        Form::Add(a) => (
            m.t("esc.form.add_title").to_string(),
            add_lines(m, a),
            &a.error,
        ),
        Form::Resolve(r) => {
            let mut lines = Vec::new();
            text_field(m, &mut lines, true, m.t("esc.form.note"), &r.note);
            (
                m.lang.fmt(
                    "esc.form.resolve_title",
                    &[("id", &r.id.to_string()), ("title", &r.title)],
                ),
                lines,
                &r.error,
            )
        }
        Form::Stock(st) => (
            m.t("esc.form.stock_title").to_string(),
            stock_lines(m, st),
            &st.error,
        ),
    };
    if let Some(e) = error {
        lines.push(Line::from(Span::styled(
            format!(
                "  {}",
                m.lang
                    .fmt("input.not_saved_because", &[("reason", &e.render(m.lang))])
            ),
            th.error(),
        )));
    }
    let c = if matches!(form, crate::app::escalations::form::Form::Resolve(_)) {
        crate::app::keymap::forms::Context::EscResolve
    } else {
        crate::app::keymap::forms::Context::EscForm
    };
    lines.push(crate::ui::form_hints(m, c, 72));
    let r = centered(area, 76, lines.len() as u16 + 2);
    crate::ui::widgets::clear_popup(f, r);
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(panel(&title, &th)),
        r,
    );
}

/// A place typed into a picker: the field, the place it names beside it, and (with the
/// cursor) the matches under it.
fn place_field(
    m: &Model,
    lines: &mut Vec<Line<'static>>,
    active: bool,
    label: &str,
    p: &Picker,
    entries: &[Entry],
    named: Option<String>,
) {
    let th = m.theme();
    text_field(m, lines, active, label, &p.input);
    let hint = named
        .map(|c| format!("  {} ({c})", m.town.place_name(&c, m.lang)))
        .unwrap_or_default();
    if let Some(last) = lines.last_mut() {
        last.spans.push(Span::styled(hint, th.muted()));
    }
    if active {
        lines.extend(crate::ui::widgets::picker_lines(
            p,
            entries,
            4,
            m.t("picker.none"),
            &th,
        ));
    }
}

/// The new-escalation form's fields.
fn add_lines(m: &Model, a: &crate::app::escalations::form::AddForm) -> Vec<Line<'static>> {
    let th = m.theme();
    let yes_no = if a.direct {
        m.t("esc.form.yes")
    } else {
        m.t("esc.form.no")
    };
    let villages = crate::app::picker::villages(&m.town, m.lang);
    let mut lines: Vec<Line<'static>> = Vec::new();
    for fl in AddField::ALL {
        let on = a.field == fl;
        let label = m.t(fl.label_key());
        match fl {
            AddField::Kind => lines.push(choice_field(
                m,
                on,
                label,
                format!("< {} >", m.t(MANUAL_KINDS[a.kind.min(2)].label_key())),
            )),
            AddField::Title => text_field(m, &mut lines, on, label, &a.title),
            AddField::Village => place_field(
                m,
                &mut lines,
                on,
                label,
                &a.village,
                &villages,
                a.village_code(&m.town).ok().flatten(),
            ),
            AddField::Details => text_field(m, &mut lines, on, label, &a.details),
            AddField::Due => text_field(m, &mut lines, on, label, &a.due),
            AddField::Direct => lines.push(choice_field(m, on, label, format!("< {yes_no} >"))),
        }
    }
    lines.push(Line::from(Span::styled(
        format!("  ({})", m.t("esc.form.due_hint")),
        th.muted(),
    )));
    lines
}

/// The stock count form's fields.
fn stock_lines(m: &Model, st: &crate::app::escalations::form::StockForm) -> Vec<Line<'static>> {
    let entries = stock_entries(&m.town, m.lang);
    let mut lines = Vec::new();
    place_field(
        m,
        &mut lines,
        st.field == 0,
        m.t("esc.form.place"),
        &st.place,
        &entries,
        st.place.chosen(&entries).map(|e| e.code.clone()),
    );
    lines.push(choice_field(
        m,
        st.field == 1,
        m.t("esc.form.item"),
        format!("< {} >", m.t(st.item().label_key())),
    ));
    text_field(
        m,
        &mut lines,
        st.field == 2,
        m.t("esc.form.quantity"),
        &st.quantity,
    );
    lines
}
