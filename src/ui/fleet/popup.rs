//! The Fleet screen's popups, drawn over the screen.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::kind_label;
use crate::app::Model;
use crate::app::fleet::{FormField, Popup, RequestForm, destinations};
use crate::domain::transport::Severity;
use crate::ui::centered;
use crate::ui::widgets::{fit, pad, panel};

/// Draws the open popup, if any.
pub fn draw(f: &mut Frame<'_>, m: &Model, area: Rect) {
    let Some(p) = &m.fleet.popup else { return };
    let th = m.theme();
    let (title, lines, w) = match p {
        Popup::Form(form) => (m.t("fleet.form.title").to_string(), form_lines(m, form), 76),
        Popup::Vehicles {
            transport,
            options,
            sel,
        } => {
            let lines = options
                .iter()
                .enumerate()
                .map(|(i, code)| {
                    let v = m
                        .snapshot
                        .as_deref()
                        .and_then(|s| s.vehicles.iter().find(|v| &v.code == code));
                    let text = match v {
                        Some(v) => format!(
                            "{} {} {} {} {}",
                            pad(code, 5),
                            pad(kind_label(m, v.kind), 11),
                            pad(&m.town.place_name(&v.base, m.lang), 18),
                            pad(&v.driver, 6),
                            v.phone
                        ),
                        None => code.clone(),
                    };
                    option_line(m, text, i == *sel)
                })
                .collect();
            let title = m
                .lang
                .fmt("fleet.chooser_title", &[("id", &transport.to_string())]);
            (title, lines, 64)
        }
        Popup::Steps {
            transport,
            options,
            sel,
        } => {
            let lines = options
                .iter()
                .enumerate()
                .map(|(i, st)| option_line(m, m.t(st.label_key()).to_string(), i == *sel))
                .collect();
            let title = m
                .lang
                .fmt("fleet.steps_title", &[("id", &transport.to_string())]);
            (title, lines, 44)
        }
        Popup::ConfirmCancel { transport } => {
            let text = m
                .lang
                .fmt("fleet.confirm_cancel", &[("id", &transport.to_string())]);
            (
                m.t("ui.confirm").to_string(),
                vec![Line::from(Span::styled(text, th.warn()))],
                48,
            )
        }
        Popup::Reason {
            vehicle,
            in_service,
            input,
            error,
        } => {
            let key = if *in_service {
                "fleet.reason_in"
            } else {
                "fleet.reason_out"
            };
            let title = m.lang.fmt(key, &[("vehicle", vehicle)]);
            let mut lines = vec![Line::from(vec![
                Span::styled("> ", th.key()),
                Span::styled(format!("{input}_"), th.selected()),
            ])];
            if let Some(e) = error {
                lines.push(Line::from(Span::styled(e.render(m.lang), th.error())));
            }
            (title, lines, 60)
        }
    };
    let h = lines.len() as u16 + 2;
    let r = centered(area, w, h);
    crate::ui::widgets::clear_popup(f, r);
    f.render_widget(Paragraph::new(lines).block(panel(&title, &th)), r);
}

fn option_line<'a>(m: &Model, text: String, selected: bool) -> Line<'a> {
    let th = m.theme();
    if selected {
        Line::from(Span::styled(format!("> {text}"), th.selected()))
    } else {
        Line::from(Span::raw(format!("  {text}")))
    }
}

fn form_lines<'a>(m: &'a Model, form: &RequestForm) -> Vec<Line<'a>> {
    let th = m.theme();
    let dests = destinations(&m.town);
    let mut lines = Vec::new();
    for field in FormField::ALL {
        let value = match field {
            FormField::Caller => form.caller.clone(),
            FormField::Patient => form.patient.clone(),
            FormField::Age => form.age.clone(),
            FormField::Village => {
                let hint = m
                    .town
                    .village(&form.village)
                    .map(|v| format!("  {} ({})", m.town.place_name(&v.code, m.lang), v.code))
                    .unwrap_or_default();
                format!("{}{hint}", form.village)
            }
            FormField::Severity => format!(
                "< {} >",
                form.severity
                    .and_then(|i| Severity::ALL.get(i))
                    .map_or(m.t("fleet.form.choose"), |s| m.t(s.label_key()))
            ),
            FormField::Destination => format!(
                "< {} >",
                form.destination_index(&m.town)
                    .and_then(|i| dests.get(i))
                    .map_or_else(
                        || m.t("fleet.form.choose").to_string(),
                        |d| m.town.place_name(d, m.lang)
                    )
            ),
            FormField::Note => form.note.clone(),
        };
        let active = form.field == field;
        let value = if active && !matches!(field, FormField::Severity | FormField::Destination) {
            format!("{value}_")
        } else {
            value
        };
        let label_style = if form.error_for(field).is_some() {
            th.error()
        } else {
            th.muted()
        };
        lines.push(Line::from(vec![
            Span::styled(if active { "> " } else { "  " }, th.key()),
            Span::styled(pad(m.t(field.label_key()), 12), label_style),
            Span::styled(
                fit(&value, 58),
                if active { th.selected() } else { th.text() },
            ),
        ]));
    }
    lines.push(Line::from(""));
    if form.confirm_discard {
        lines.push(Line::from(Span::styled(
            m.t("fleet.form.discard"),
            th.warn(),
        )));
    } else {
        for e in &form.errors {
            let label = e
                .context
                .as_deref()
                .and_then(FormField::from_context)
                .map_or("", |f| m.t(f.label_key()));
            let text = crate::i18n::Msg {
                context: None,
                ..e.clone()
            }
            .render(m.lang);
            let problem = m.lang.fmt(
                "fleet.form.problem",
                &[("field", label), ("problem", &text)],
            );
            lines.push(Line::from(Span::styled(problem, th.error())));
        }
        lines.push(Line::from(Span::styled(m.t("fleet.form.hint"), th.muted())));
    }
    lines
}
