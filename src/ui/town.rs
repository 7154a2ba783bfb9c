//! The town popup (`T`): villages, vehicles and staff as they stand, the town's change
//! history, and the small edit form of a duty leader.

use crate::domain::audit_action::AuditAction;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::widgets::{fit, hints, pad, panel, window};
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

fn record_rows(m: &Model, width: usize) -> Vec<String> {
    let t = &m.town;
    let rows: Vec<String> = match m.town_ui.tab {
        TownTab::Villages => t
            .villages
            .iter()
            .map(|v| {
                format!(
                    "{} {} {} {}",
                    pad(&v.code, 6),
                    pad(&display(&t.place_name(&v.code, m.lang)), 22),
                    widgets::pad_left(&v.population.to_string(), 8),
                    display(&v.clinic_phone)
                )
            })
            .collect(),
        TownTab::Vehicles => t
            .vehicles
            .iter()
            .map(|v| {
                format!(
                    "{} {} {} {}",
                    pad(&v.code, 6),
                    pad(&display(&t.place_name(&v.base, m.lang)), 20),
                    pad(&display(&v.driver), 10),
                    display(&v.phone)
                )
            })
            .collect(),
        TownTab::Staff => t
            .staff
            .iter()
            .map(|s| {
                format!(
                    "{} {} {}",
                    pad(&display(&s.name), 10),
                    pad(m.t(s.role.label_key()), 12),
                    display(&s.phone)
                )
            })
            .collect(),
        TownTab::History => m
            .snapshot
            .as_ref()
            .map(|s| s.town_history.iter().map(|r| history_row(m, r)).collect())
            .unwrap_or_default(),
    };
    rows.into_iter().map(|r| fit(&r, width)).collect()
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
    let rows = record_rows(m, inner_w);
    let mut lines = vec![tab_line(m), Line::from("")];
    if rows.is_empty() {
        lines.push(Line::from(Span::styled(
            m.t("town_change.ui.history_empty"),
            th.muted(),
        )));
    }
    let sel = m.town_ui.sel.min(rows.len().saturating_sub(1));
    let (start, _) = window(rows.len(), sel, list_h);
    let end = (start + list_h).min(rows.len());
    for (i, row) in rows.iter().enumerate().take(end).skip(start) {
        let style = if i == sel && m.town_ui.tab != TownTab::History {
            th.selected()
        } else {
            th.text()
        };
        lines.push(Line::from(Span::styled(row.clone(), style)));
    }
    while lines.len() < list_h + 2 {
        lines.push(Line::from(""));
    }
    let mut keys = vec![
        ("<- ->", m.t("keys.select")),
        ("S", m.t("town_change.ui.toggle_surge")),
    ];
    if m.town_ui.tab != TownTab::History {
        keys.insert(1, ("e", m.t("town_change.ui.edit")));
    }
    keys.push(("Esc", m.t("access.keys.back")));
    lines.push(hints(&keys, &th));
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
        let value = display(&field.value).to_string();
        if i == form.focus {
            spans.push(Span::styled(value, th.selected()));
            spans.push(Span::styled("_", th.key()));
        } else {
            spans.push(Span::raw(value));
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::from(""));
    match &form.error {
        Some(e) => lines.push(Line::from(Span::styled(e.render(m.lang), th.error()))),
        None => lines.push(Line::from("")),
    }
    lines.push(Line::from(Span::styled(
        m.t("town_change.ui.form_keys"),
        th.muted(),
    )));
    f.render_widget(Paragraph::new(lines).block(panel(&title, &th)), r);
}
