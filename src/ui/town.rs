//! The town popup (`T`): villages, vehicles and staff as they stand, the town's change
//! history, and the small edit form of a duty leader.

use crate::domain::audit_action::AuditAction;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::widgets::{fit, pad, panel, window};
use super::{centered, widgets};
use crate::app::Model;
use crate::app::town::{EditForm, Target, TownTab};
use crate::domain::audit_chain::AuditRow;
use crate::domain::text::display;

/// Draws the popup and/or the form over `area`, when open.
pub fn draw(f: &mut Frame<'_>, m: &Model, area: Rect) {
    if m.town_ui.open {
        draw_popup(f, m, area);
    }
    if let Some(form) = &m.town_ui.form {
        draw_form(f, m, form, area);
    }
}

fn tab_line<'a>(m: &'a Model) -> Line<'a> {
    let th = m.theme();
    let mut spans = Vec::new();
    for t in TownTab::ALL {
        let style = if t == m.town_ui.tab {
            th.tab_active()
        } else {
            th.tab()
        };
        spans.push(Span::styled(format!(" {} ", m.t(t.title_key())), style));
        spans.push(Span::raw(" "));
    }
    Line::from(spans)
}

/// Row `i` of the popup's current list, fitted to `width` (only the rows in view are
/// formatted: the history holds up to `TOWN_HISTORY` rows).
fn record_row(m: &Model, i: usize, width: usize) -> Option<String> {
    let t = &m.town;
    let row = match m.town_ui.tab {
        TownTab::Villages => t.villages.get(i).map(|v| {
            format!(
                "{} {} {} {}",
                pad(&v.code, 6),
                pad(&display(&t.place_name(&v.code, m.lang)), 22),
                widgets::pad_left(&v.population.to_string(), 8),
                display(&v.clinic_phone)
            )
        }),
        TownTab::Vehicles => t.vehicles.get(i).map(|v| {
            format!(
                "{} {} {} {}",
                pad(&v.code, 6),
                pad(&display(&t.place_name(&v.base, m.lang)), 20),
                pad(&display(&v.driver), 10),
                display(&v.phone)
            )
        }),
        TownTab::Staff => t.staff.get(i).map(|s| {
            format!(
                "{} {} {}",
                pad(&display(&s.name), 10),
                pad(m.t(s.role.label_key()), 12),
                display(&s.phone)
            )
        }),
        TownTab::History => m
            .snapshot
            .as_ref()
            .and_then(|s| s.town_history.get(i))
            .map(|r| history_row(m, r)),
    };
    row.map(|r| fit(&r, width))
}

/// One audit row about the town: when, who, what happened to what, the fields changed.
fn history_row(m: &Model, r: &AuditRow) -> String {
    let when = widgets::day_time_db(&r.at, m.town.info.offset);
    let kind = match AuditAction::parse(&r.action) {
        Some(AuditAction::TownAdd) => m.t("town_change.kind.added"),
        Some(AuditAction::TownChange) => m.t("town_change.kind.changed"),
        Some(AuditAction::TownRetire) => m.t("town_change.kind.retired"),
        Some(AuditAction::TownRestore) => m.t("town_change.kind.restored"),
        Some(AuditAction::TownSurge) => m.t("town_change.ui.surge"),
        Some(AuditAction::TownInit) => m.t("town_change.kind.init"),
        _ => r.action.as_str(),
    };
    let detail: serde_json::Value = serde_json::from_str(&r.detail).unwrap_or_default();
    let mut what = String::new();
    if let Some(fields) = detail.get("fields").and_then(|f| f.as_object()) {
        let parts: Vec<String> = fields
            .iter()
            .map(|(k, v)| {
                format!(
                    "{k}: {} → {}",
                    v.get("old").and_then(|x| x.as_str()).unwrap_or(""),
                    v.get("new").and_then(|x| x.as_str()).unwrap_or("")
                )
            })
            .collect();
        what = parts.join("; ");
    } else if let Some(on) = detail.get("on").and_then(|x| x.as_bool()) {
        what = m
            .t(if on {
                "town_change.out.on"
            } else {
                "town_change.out.off"
            })
            .to_string();
    }
    display(&format!(
        "{when} {} {} {} {what}",
        pad(&r.operator, 8),
        pad(kind, 8),
        r.subject
    ))
    .to_string()
}

fn draw_popup(f: &mut Frame<'_>, m: &Model, area: Rect) {
    let th = m.theme();
    let r = centered(area, area.width.saturating_sub(4).min(130), area.height);
    widgets::clear_popup(f, r);
    let inner_w = r.width.saturating_sub(2) as usize;
    let list_h = r.height.saturating_sub(5) as usize;
    let n = crate::app::town::rows(m);
    let mut lines = vec![tab_line(m), Line::from("")];
    if n == 0 {
        lines.push(Line::from(Span::styled(
            m.t("town_change.ui.history_empty"),
            th.muted(),
        )));
    }
    let sel = m.town_ui.sel.min(n.saturating_sub(1));
    let (start, _) = window(n, sel, list_h);
    let end = (start + list_h).min(n);
    for i in start..end {
        let Some(row) = record_row(m, i, inner_w) else {
            break;
        };
        let style = if i == sel && m.town_ui.tab != TownTab::History {
            th.selected()
        } else {
            th.text()
        };
        lines.push(Line::from(Span::styled(row, style)));
    }
    while lines.len() < list_h + 2 {
        lines.push(Line::from(""));
    }
    lines.push(crate::ui::form_hints(
        m,
        crate::app::keymap::forms::Context::Town,
        inner_w,
    ));
    let title = if m.town.info.surge.on {
        format!(
            "{} · {}",
            m.t("town_change.ui.town"),
            m.t("town_change.ui.surge")
        )
    } else {
        m.t("town_change.ui.town").to_string()
    };
    f.render_widget(Paragraph::new(lines).block(panel(&title, &th)), r);
}

fn draw_form(f: &mut Frame<'_>, m: &Model, form: &EditForm, area: Rect) {
    let th = m.theme();
    let title = match &form.target {
        Target::Vehicle(code) => m.lang.fmt("town_change.ui.edit_vehicle", &[("code", code)]),
        Target::Staff(name) => m.lang.fmt("town_change.ui.edit_staff", &[("name", name)]),
        Target::Village(code) => m.lang.fmt("town_change.ui.edit_village", &[("code", code)]),
    };
    let title = display(&title).to_string();
    let r = centered(area, 60, form.fields.len() as u16 + 6);
    widgets::clear_popup(f, r);
    let mut lines = Vec::new();
    for (i, field) in form.fields.iter().enumerate() {
        let mut spans = vec![Span::styled(pad(m.t(field.label), 16), th.key())];
        spans.extend(widgets::input_spans(
            &field.value,
            40,
            i == form.focus,
            if i == form.focus {
                th.selected()
            } else {
                th.text()
            },
            th.key(),
        ));
        lines.push(Line::from(spans));
    }
    lines.push(Line::from(""));
    let notice = form
        .fields
        .get(form.focus)
        .and_then(|f| f.value.notice.as_ref());
    match (&form.error, notice) {
        (Some(e), _) => lines.push(Line::from(Span::styled(
            widgets::fit(
                &m.lang
                    .fmt("input.not_saved_because", &[("reason", &e.render(m.lang))]),
                58,
            ),
            th.error(),
        ))),
        (None, Some(n)) => lines.push(Line::from(Span::styled(
            widgets::fit(&n.render(m.lang), 58),
            th.warn(),
        ))),
        (None, None) => lines.push(Line::from("")),
    }
    lines.push(crate::ui::form_hints(
        m,
        crate::app::keymap::forms::Context::TownForm,
        70,
    ));
    f.render_widget(Paragraph::new(lines).block(panel(&title, &th)), r);
}
