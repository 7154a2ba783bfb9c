//! The Fleet screen's popups, drawn over the screen.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::kind_label;
use crate::app::Model;
use crate::app::fleet::{FormField, Popup, RequestForm, destinations};
use crate::app::input::TextInput;
use crate::domain::transport::Severity;
use crate::ui::centered;
use crate::ui::widgets::{fit, hhmm_db, input_spans, pad, panel};

/// Draws the open popup, if any.
pub fn draw(f: &mut Frame<'_>, m: &Model, area: Rect) {
    let Some(p) = &m.fleet.popup else { return };
    let th = m.theme();
    let (title, lines, w) = match p {
        Popup::Form(form) => (m.t("fleet.form.title").to_string(), form_lines(m, form), 76),
        p @ Popup::Vehicles { .. } => vehicles_popup(m, p),
        p @ Popup::Steps { .. } => steps_popup(m, p),
        p @ Popup::ConfirmCancel { .. } => cancel_popup(m, p),
        Popup::Detail { transport } => {
            let title = m
                .lang
                .fmt("detail.title", &[("id", &transport.to_string())]);
            let w = area.width.saturating_sub(4).clamp(40, 100);
            (title, detail_lines(m, *transport, w as usize - 2), w)
        }
        p @ Popup::Reason { .. } => reason_popup(m, p),
    };
    let h = lines.len() as u16 + 2;
    let r = centered(area, w, h);
    crate::ui::widgets::clear_popup(f, r);
    f.render_widget(Paragraph::new(lines).block(panel(&title, &th)), r);
}

fn vehicles_popup<'a>(m: &'a Model, p: &'a Popup) -> (String, Vec<Line<'a>>, u16) {
    let th = m.theme();
    let Popup::Vehicles {
        transport,
        options,
        sel,
        filter,
    } = p
    else {
        return (String::new(), Vec::new(), 40);
    };

    let shown = crate::app::fleet::vehicles_shown(m, options, filter.text());
    let mut lines: Vec<Line<'_>> = shown
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
    // the filter, typed: code, plate or driver (pinyin and initials too)
    let mut spans = vec![Span::styled(pad(m.t("picker.filter"), 10), th.muted())];
    spans.extend(input_spans(filter, 20, true, th.text(), th.key()));
    if shown.is_empty() {
        spans.push(Span::styled(format!("  {}", m.t("picker.none")), th.warn()));
    }
    lines.push(Line::from(spans));
    let title = m
        .lang
        .fmt("fleet.chooser_title", &[("id", &transport.to_string())]);
    (title, lines, 64)
}

fn steps_popup<'a>(m: &'a Model, p: &'a Popup) -> (String, Vec<Line<'a>>, u16) {
    let th = m.theme();
    let Popup::Steps {
        transport,
        options,
        sel,
        at,
        error,
    } = p
    else {
        return (String::new(), Vec::new(), 40);
    };

    let mut lines: Vec<Line<'_>> = options
        .iter()
        .enumerate()
        .map(|(i, st)| option_line(m, m.t(st.label_key()).to_string(), i == *sel))
        .collect();
    // when it happened: empty is now (issue 19, item 5)
    let mut spans = vec![Span::styled(pad(m.t("detail.at"), 10), th.muted())];
    spans.extend(input_spans(at, 8, true, th.text(), th.key()));
    spans.push(Span::styled(
        format!("  {}", m.t("detail.at_hint")),
        th.muted(),
    ));
    lines.push(Line::from(""));
    lines.push(Line::from(spans));
    if let Some(e) = error.as_ref().or(at.notice.as_ref()) {
        lines.push(Line::from(Span::styled(
            fit(&e.render(m.lang), 54),
            th.error(),
        )));
    }
    let title = m
        .lang
        .fmt("fleet.steps_title", &[("id", &transport.to_string())]);
    (title, lines, 58)
}

fn cancel_popup<'a>(m: &'a Model, p: &'a Popup) -> (String, Vec<Line<'a>>, u16) {
    let th = m.theme();
    let Popup::ConfirmCancel {
        transport,
        reason,
        error,
    } = p
    else {
        return (String::new(), Vec::new(), 40);
    };

    let text = m
        .lang
        .fmt("detail.cancel_ask", &[("id", &transport.to_string())]);
    let mut spans = vec![Span::styled("> ", th.key())];
    spans.extend(input_spans(reason, 54, true, th.selected(), th.key()));
    let mut lines = vec![Line::from(Span::styled(text, th.warn())), Line::from(spans)];
    if let Some(e) = error.as_ref().or(reason.notice.as_ref()) {
        lines.push(Line::from(Span::styled(e.render(m.lang), th.error())));
    }
    lines.push(crate::ui::form_hints(
        m,
        crate::app::keymap::forms::Context::FleetCancel,
        56,
    ));
    (m.t("ui.confirm").to_string(), lines, 60)
}

fn reason_popup<'a>(m: &'a Model, p: &'a Popup) -> (String, Vec<Line<'a>>, u16) {
    let th = m.theme();
    let Popup::Reason {
        vehicle,
        in_service,
        input,
        error,
    } = p
    else {
        return (String::new(), Vec::new(), 40);
    };

    let key = if *in_service {
        "fleet.reason_in"
    } else {
        "fleet.reason_out"
    };
    let title = m.lang.fmt(key, &[("vehicle", vehicle)]);
    let mut spans = vec![Span::styled("> ", th.key())];
    spans.extend(crate::ui::widgets::input_spans(
        input,
        56,
        true,
        th.selected(),
        th.key(),
    ));
    let mut lines = vec![Line::from(spans)];
    if let Some(n) = &input.notice {
        lines.push(Line::from(Span::styled(n.render(m.lang), th.warn())));
    }
    if let Some(e) = error {
        lines.push(Line::from(Span::styled(e.render(m.lang), th.error())));
    }
    (title, lines, 60)
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
    let villages = crate::app::picker::villages(&m.town, m.lang);
    let places = crate::app::picker::destinations(&m.town, m.lang);
    let mut lines = Vec::new();
    for field in FormField::ALL {
        let active = form.field == field;
        let label_style = if form.error_for(field).is_some() {
            th.error()
        } else {
            th.muted()
        };
        let mut spans = vec![
            Span::styled(if active { "> " } else { "  " }, th.key()),
            Span::styled(pad(m.t(field.label_key()), 12), label_style),
        ];
        spans.extend(value_spans(m, form, field, active));
        lines.push(Line::from(spans));
        // the field's problem from the last save attempt, right under it
        if let Some(e) = form.error_for(field) {
            lines.push(Line::from(Span::styled(
                format!("{}{}", " ".repeat(14), fit(&e.render(m.lang), 58)),
                th.error(),
            )));
        }
        if let Some(n) = form.notice_for(field) {
            lines.push(Line::from(Span::styled(
                format!("{}{}", " ".repeat(14), fit(&n.render(m.lang), 58)),
                th.warn(),
            )));
        }
        // the picker's matches under the village or destination being typed, the
        // highlighted one marked
        let picking = match field {
            FormField::Village => Some((&form.village, &villages)),
            FormField::Destination => Some((&form.dest_query, &places)),
            _ => None,
        };
        if active && let Some((p, entries)) = picking {
            lines.extend(crate::ui::widgets::picker_lines(
                p,
                entries,
                12,
                m.t("picker.none"),
                &th,
            ));
        }
    }
    lines.push(Line::from(""));
    lines.extend(form_bottom(m, form));
    lines
}

/// Under the fields: the discard question, or the problems about no one field, "not
/// saved", the possible duplicate and the hint.
fn form_bottom<'a>(m: &'a Model, form: &RequestForm) -> Vec<Line<'a>> {
    let th = m.theme();
    let mut lines = Vec::new();
    if form.confirm_discard {
        lines.push(Line::from(Span::styled(
            m.t("fleet.form.discard"),
            th.warn(),
        )));
    } else {
        // a problem about no one field (none today) is still listed
        for e in form.errors.iter().filter(|e| {
            e.context
                .as_deref()
                .and_then(FormField::from_context)
                .is_none()
        }) {
            lines.push(Line::from(Span::styled(e.render(m.lang), th.error())));
        }
        if !form.errors.is_empty() {
            lines.push(Line::from(Span::styled(m.t("input.not_saved"), th.error())));
        }
        if let Some((id, at)) = &form.duplicate_of {
            let text = m.lang.fmt(
                "detail.duplicate",
                &[
                    ("id", &id.to_string()),
                    ("at", &hhmm_db(at, m.town.info.offset)),
                ],
            );
            for chunk in wrap(&text, 72) {
                lines.push(Line::from(Span::styled(chunk, th.warn())));
            }
        }
        lines.push(crate::ui::form_hints(
            m,
            crate::app::keymap::forms::Context::FleetRequest,
            72,
        ));
    }
    lines
}

/// One field's value: its input with the cursor, or the chosen option `< … >`.
fn value_spans(
    m: &Model,
    form: &RequestForm,
    field: FormField,
    active: bool,
) -> Vec<Span<'static>> {
    let th = m.theme();
    let mut out = Vec::new();
    let value_style = if active { th.selected() } else { th.text() };
    let input = match field {
        FormField::Caller => Some(&form.caller),
        FormField::Patient => Some(&form.patient),
        FormField::Age => Some(&form.age),
        FormField::Village => Some(&form.village.input),
        FormField::Note => Some(&form.note),
        FormField::Severity | FormField::Destination => None,
    };
    match (field, input) {
        (FormField::Village, Some(input)) => {
            out.extend(village_spans(m, form, input, active, value_style));
        }
        (_, Some(input)) => out.extend(crate::ui::widgets::input_spans(
            input,
            58,
            active,
            value_style,
            th.key(),
        )),
        (FormField::Severity, None) => out.push(Span::styled(
            fit(
                &format!(
                    "< {} >",
                    form.severity
                        .and_then(|i| Severity::ALL.get(i))
                        .map_or(m.t("fleet.form.choose"), |s| m.t(s.label_key()))
                ),
                58,
            ),
            value_style,
        )),
        (FormField::Destination, _) if !form.dest_query.input.is_empty() => {
            out.extend(crate::ui::widgets::input_spans(
                &form.dest_query.input,
                58,
                active,
                value_style,
                th.key(),
            ));
        }
        (_, _) => out.push(Span::styled(
            fit(
                &format!(
                    "< {} >",
                    // the town's destinations listed only for the field that shows one
                    form.destination_index(&m.town)
                        .and_then(|i| destinations(&m.town).get(i).cloned())
                        .map_or_else(
                            || m.t("fleet.form.choose").to_string(),
                            |d| m.town.place_name(&d, m.lang)
                        )
                ),
                58,
            ),
            value_style,
        )),
    }
    out
}

/// The village field: the input with the cursor and, beside it, the village the form
/// names now.
fn village_spans(
    m: &Model,
    form: &RequestForm,
    input: &TextInput,
    active: bool,
    value_style: Style,
) -> Vec<Span<'static>> {
    let th = m.theme();
    let code = form.village_code(&m.town);
    let hint = m
        .town
        .village(&code)
        .filter(|v| v.code != input.text().trim() || !active)
        .map(|v| format!("  {} ({})", m.town.place_name(&v.code, m.lang), v.code))
        .or_else(|| {
            m.town
                .village(&code)
                .map(|v| format!("  {}", m.town.place_name(&v.code, m.lang)))
        })
        .unwrap_or_default();
    let w = 58usize.saturating_sub(hint.chars().count().min(30));
    let mut out = input_spans(input, w, active, value_style, th.key());
    out.push(Span::styled(fit(&hint, 58 - w), th.muted()));
    out
}

/// The detail view's lines: who, where, the severity, the full note wrapped, each step
/// with its time, the vehicle and its driver (the phone whole for whoever may dispatch),
/// the suggestion while it waits, and why it was cancelled.
fn detail_lines(m: &Model, id: i64, width: usize) -> Vec<Line<'static>> {
    let th = m.theme();
    let Some(s) = m.snapshot.as_deref() else {
        return Vec::new();
    };
    let Some(t) = s
        .transports
        .iter()
        .chain(s.transports_today.iter())
        .find(|t| t.id == id)
    else {
        return vec![Line::from(m.t("fleet.no_request").to_string())];
    };
    let off = m.town.info.offset;
    let label = |k: &str| Span::styled(pad(m.t(k), 12), th.muted());
    let text = |s: String| Span::styled(s, th.text());
    let mut lines = vec![
        Line::from(vec![
            label("fleet.form.patient"),
            text(format!(
                "{}{}",
                t.patient,
                t.age.map(|a| format!(" ({a})")).unwrap_or_default()
            )),
        ]),
        Line::from(vec![
            label("fleet.form.severity"),
            Span::styled(m.t(t.severity.label_key()).to_string(), th.warn()),
            text(format!("  {}", m.t(t.status.label_key()))),
        ]),
        Line::from(vec![
            label("fleet.form.village"),
            text(format!(
                "{} ({})",
                m.town.place_name(&t.village, m.lang),
                t.village
            )),
        ]),
        Line::from(vec![
            label("fleet.form.destination"),
            text(m.town.place_name(&t.destination, m.lang)),
        ]),
        Line::from(vec![
            label("fleet.form.caller"),
            text(format!(
                "{}  {}",
                if t.caller.is_empty() { "-" } else { &t.caller },
                hhmm_db(&t.requested_at, off)
            )),
        ]),
    ];
    // the full reason, wrapped to the width (never cut)
    let note = crate::domain::text::display(&t.note).into_owned();
    let room = width.saturating_sub(12).max(10);
    let mut first = true;
    for chunk in wrap(&note, room) {
        lines.push(Line::from(vec![
            if first {
                label("fleet.form.note")
            } else {
                Span::raw(" ".repeat(12))
            },
            text(chunk),
        ]));
        first = false;
    }
    if first {
        lines.push(Line::from(vec![label("fleet.form.note"), text("-".into())]));
    }
    lines.extend(detail_history(m, t));
    lines.extend(detail_vehicle(m, s, t, width));
    lines.push(Line::from(""));
    lines.push(crate::ui::form_hints(
        m,
        crate::app::keymap::forms::Context::FleetDetail,
        width,
    ));
    lines
}

/// The detail view's step history: when it was asked, each step's time, and why it was
/// cancelled.
fn detail_history(m: &Model, t: &crate::domain::fleet::TransportRow) -> Vec<Line<'static>> {
    let th = m.theme();
    let off = m.town.info.offset;
    let label = |k: &str| Span::styled(pad(m.t(k), 12), th.muted());
    let text = |s: String| Span::styled(s, th.text());
    let mut lines = Vec::new();
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        m.t("detail.history").to_string(),
        th.key(),
    )));
    lines.push(Line::from(vec![
        Span::raw("  "),
        text(format!(
            "{}  {}",
            hhmm_db(&t.requested_at, off),
            m.t("detail.requested")
        )),
    ]));
    for ((st, _), at) in crate::domain::fleet::STEP_COLUMNS
        .iter()
        .zip(t.times.iter())
    {
        if let Some(at) = at {
            lines.push(Line::from(vec![
                Span::raw("  "),
                text(format!("{}  {}", hhmm_db(at, off), m.t(st.label_key()))),
            ]));
        }
    }
    if let Some(r) = &t.cancel_reason {
        lines.push(Line::from(vec![
            label("detail.cancel_reason"),
            text(crate::domain::text::display(r).into_owned()),
        ]));
    }
    lines
}

/// The detail view's vehicle and driver (the phone whole for whoever may dispatch, masked
/// for the others), or the suggestion while the request waits.
fn detail_vehicle(
    m: &Model,
    s: &crate::store::snapshot::Snapshot,
    t: &crate::domain::fleet::TransportRow,
    width: usize,
) -> Vec<Line<'static>> {
    let th = m.theme();
    let label = |k: &str| Span::styled(pad(m.t(k), 12), th.muted());
    let text = |s: String| Span::styled(s, th.text());
    let mut lines = Vec::new();
    // the vehicle and its driver: the phone whole for a dispatcher, masked for the others
    let dispatcher =
        crate::app::access::allowed(m, crate::domain::roles::Permission::Dispatch).is_ok();
    if let Some(code) = &t.vehicle {
        let v = s.vehicles.iter().find(|v| &v.code == code);
        let (driver, phone) = v.map_or((String::new(), String::new()), |v| {
            let phone = if dispatcher {
                v.phone.clone()
            } else {
                crate::domain::privacy::mask_phone(&v.phone)
            };
            (v.driver.clone(), phone)
        });
        lines.push(Line::from(""));
        lines.push(Line::from(vec![
            label("detail.vehicle"),
            text(format!("{code}  {driver}  {phone}")),
        ]));
    } else if t.status == crate::domain::transport::TripStatus::Requested {
        let sug = crate::app::fleet::selected_suggestion(m)
            .filter(|_| crate::app::fleet::selected_trip(m).map(|x| x.id) == Some(t.id));
        lines.push(Line::from(""));
        let line = match sug {
            Some(sg) => m.lang.fmt(
                "detail.suggested",
                &[
                    ("vehicle", &sg.vehicle),
                    (
                        "reason",
                        &super::with_place_names(&sg.reason, &m.town, m.lang).render(m.lang),
                    ),
                ],
            ),
            None => m.t("fleet.no_suggestion").to_string(),
        };
        for chunk in wrap(&line, width) {
            lines.push(Line::from(Span::styled(chunk, th.ok())));
        }
    }
    lines
}

/// `s` cut into pieces of at most `width` display columns (by character).
fn wrap(s: &str, width: usize) -> Vec<String> {
    use unicode_width::UnicodeWidthChar;
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw > width && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
            w = 0;
        }
        cur.push(c);
        w += cw;
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}
