//! The Daily report screen's popups: the entry/edit form with its findings beside each
//! field, the sign-off confirmation and the reopen reason.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::past_cutoff;
use crate::app::Model;
use crate::app::input::TextInput;
use crate::app::report::form::{Form, MAX_DIGITS};
use crate::domain::report::{CheckContext, Checked, Field};
use crate::store::snapshot::Snapshot;
use crate::ui::centered;
use crate::ui::widgets::{fit, hints, input_spans, pad, panel};

/// Lines inside the form: context, row findings, eight fields, a gap, keys, a hint.
const FORM_LINES: u16 = 13;

/// Draws whichever popup of the report screen is open.
pub fn draw(f: &mut Frame<'_>, m: &Model, s: &Snapshot, area: Rect) {
    if let Some(form) = &m.report.form {
        draw_form(f, m, s, form, area);
    } else if m.report.confirm_sign {
        draw_sign(f, m, s, area);
    } else if let Some(reason) = &m.report.reopen {
        draw_reopen(f, m, s, reason, area);
    } else if let Some(reason) = &m.report.sign_reason {
        let missing: Vec<&str> = m
            .town
            .villages
            .iter()
            .filter(|v| !s.report_rows.contains_key(&v.code))
            .map(|v| v.code.as_str())
            .collect();
        let question = [
            m.lang.fmt(
                "daily.sign.missing",
                &[
                    ("n", &missing.len().to_string()),
                    ("date", &s.report_date.to_string()),
                    ("list", &missing.join(m.t("list.sep"))),
                ],
            ),
            m.t("daily.sign.question").to_string(),
        ];
        text_prompt(
            f,
            m,
            area,
            m.t("daily.sign.title"),
            &question,
            reason,
            m.t("daily.sign.key_sign"),
        );
    } else if let Some(note) = &m.report.note {
        let title = m
            .lang
            .fmt("daily.note.title", &[("date", &s.report_date.to_string())]);
        text_prompt(f, m, area, &title, &[], note, m.t("daily.note.key_save"));
    }
}

fn draw_form(f: &mut Frame<'_>, m: &Model, s: &Snapshot, form: &Form, area: Rect) {
    let th = m.theme();
    // full width and over the table: its borders never split a wide character underneath
    let r = Rect {
        x: area.x,
        y: area.y + 1,
        width: area.width,
        height: (FORM_LINES + 2).min(area.height.saturating_sub(1)),
    };
    let inner_w = r.width.saturating_sub(2) as usize;
    let cx = s.report_checks.get(&form.village);
    let found = form.findings(cx);
    let mut lines = form_head(m, form, cx, &found, inner_w);
    let label_w = label_width(m);
    let msg_w = inner_w.saturating_sub(label_w + (MAX_DIGITS + 2) + 3);
    let mut cursor = None;
    for fl in Field::ALL {
        let i = fl.index();
        if form.focus == i {
            let y = r.y + 1 + lines.len() as u16;
            let x = r.x + 1 + (label_w + 1 + form.inputs[i].cursor_column()) as u16;
            cursor = Some(Position::new(x, y));
        }
        lines.push(field_line(m, form, fl, &found, (label_w, msg_w)));
    }
    lines.push(Line::from(""));
    lines.push(form_bottom(m, form, inner_w));
    lines.push(Line::from(Span::styled(
        m.t("report.form.empty_hint"),
        th.muted(),
    )));
    let title = m.lang.fmt(
        "report.form.title",
        &[
            ("village", &form.village),
            ("name", &m.town.place_name(&form.village, m.lang)),
            ("date", &form.date.to_string()),
        ],
    );
    crate::ui::widgets::clear_popup(f, r);
    f.render_widget(Paragraph::new(lines).block(panel(&title, &th)), r);
    if let Some(p) = cursor
        && !form.confirm_discard
        && p.x < r.right()
        && p.y < r.bottom()
    {
        f.set_cursor_position(p);
    }
}

/// Width of the labels' column in the form: the widest label in the language and a space
/// (issue 19: 24 columns whatever the language left half of it empty in Chinese and took
/// it from the findings beside the fields).
fn label_width(m: &Model) -> usize {
    Field::ALL
        .iter()
        .map(|f| m.t(f.label_key()).width())
        .max()
        .unwrap_or(0)
        + 1
}

/// The form's first two lines: the village's population and previous cumulative figure,
/// then the findings about the row as a whole.
fn form_head<'a>(
    m: &'a Model,
    form: &Form,
    cx: Option<&CheckContext>,
    found: &Checked,
    inner_w: usize,
) -> Vec<Line<'a>> {
    let th = m.theme();
    let village = m.town.village(&form.village);
    let prev = cx
        .and_then(|c| c.previous_cumulative)
        .map_or_else(|| "-".to_string(), |v| v.to_string());
    let context = Line::from(Span::styled(
        fit(
            &m.lang.fmt(
                "report.form.context",
                &[
                    (
                        "population",
                        &village.map_or(0, |v| v.population).to_string(),
                    ),
                    ("previous", &prev),
                ],
            ),
            inner_w,
        ),
        th.muted(),
    ));
    let row_errors: Vec<String> = found
        .errors
        .iter()
        .filter(|e| e.field.is_none())
        .map(|e| e.msg.render(m.lang))
        .collect();
    let errors = Line::from(Span::styled(
        fit(&row_errors.join("; "), inner_w),
        th.error(),
    ));
    vec![context, errors]
}

/// One field's line: label, input and its first error, warning or "not reported".
fn field_line<'a>(
    m: &'a Model,
    form: &'a Form,
    fl: Field,
    found: &Checked,
    (label_w, msg_w): (usize, usize),
) -> Line<'a> {
    let th = m.theme();
    let focused = form.focus == fl.index();
    let input = &form.inputs[fl.index()];
    let input_style = if focused { th.selected() } else { th.text() };
    // the shared input's drawing: the cursor where it is, the rest padded to the box
    let box_w = MAX_DIGITS + 2;
    let mut value = input_spans(input, box_w, focused, input_style, th.key());
    let used: usize = value.iter().map(|s| s.content.width()).sum();
    value.push(Span::styled(
        " ".repeat(box_w.saturating_sub(used)),
        input_style,
    ));
    let mut spans = vec![
        Span::styled(
            pad(m.t(fl.label_key()), label_w),
            if focused { th.key() } else { th.text() },
        ),
        Span::raw("["),
    ];
    spans.extend(value);
    spans.push(Span::raw("] "));
    // what the input just refused or named comes first, then the live check's finding
    if let Some(n) = &input.notice {
        spans.push(Span::styled(
            fit(&format!("x {}", n.render(m.lang)), msg_w),
            th.error(),
        ));
    } else if let Some(e) = found.errors.iter().find(|e| e.field == Some(fl)) {
        spans.push(Span::styled(
            fit(&format!("x {}", e.msg.render(m.lang)), msg_w),
            th.error(),
        ));
    } else if let Some(w) = found.warnings.iter().find(|w| w.field == Some(fl)) {
        spans.push(Span::styled(
            fit(&format!("! {}", w.msg.render(m.lang)), msg_w),
            th.warn(),
        ));
    } else if input.is_empty() {
        spans.push(Span::styled(m.t("report.form.not_reported"), th.muted()));
    }
    Line::from(spans)
}

/// The form's key line, or what stands in its place: the discard question, saving, or
/// the store's refusal.
fn form_bottom<'a>(m: &'a Model, form: &Form, inner_w: usize) -> Line<'a> {
    let th = m.theme();
    if form.confirm_discard {
        Line::from(Span::styled(m.t("report.form.discard"), th.warn()))
    } else if form.saving {
        Line::from(Span::styled(m.t("report.form.saving"), th.muted()))
    } else if let Some(e) = &form.refused {
        Line::from(Span::styled(fit(&e.render(m.lang), inner_w), th.error()))
    } else {
        crate::ui::form_hints(m, crate::app::keymap::forms::Context::ReportForm, inner_w)
    }
}

fn popup(f: &mut Frame<'_>, m: &Model, area: Rect, title: &str, lines: Vec<Line<'_>>) {
    let th = m.theme();
    let w = lines.iter().map(Line::width).max().unwrap_or(20) as u16 + 4;
    let h = lines.len() as u16 + 2;
    // over the table's figures, which are narrow, so no wide character is cut in half
    let r = centered(
        Rect {
            height: (h + 6).min(area.height),
            ..area
        },
        w.max(40),
        h,
    );
    crate::ui::widgets::clear_popup(f, r);
    f.render_widget(Paragraph::new(lines).block(panel(title, &th)).centered(), r);
}

fn draw_sign(f: &mut Frame<'_>, m: &Model, s: &Snapshot, area: Rect) {
    let th = m.theme();
    let expected = m.town.villages.len();
    let reported = m
        .town
        .villages
        .iter()
        .filter(|v| s.report_rows.contains_key(&v.code))
        .count();
    let mut lines = vec![Line::from(m.lang.fmt(
        "report.sign.question",
        &[("date", &s.report_date.to_string())],
    ))];
    if reported < expected {
        let style = if past_cutoff(m, s) {
            th.overdue()
        } else {
            th.warn()
        };
        lines.push(Line::from(Span::styled(
            m.lang.fmt(
                "report.sign.incomplete",
                &[
                    ("reported", &reported.to_string()),
                    ("expected", &expected.to_string()),
                ],
            ),
            style,
        )));
    }
    lines.push(crate::ui::form_hints(
        m,
        crate::app::keymap::forms::Context::ReportConfirm,
        60,
    ));
    popup(f, m, area, m.t("report.sign.title"), lines);
}

fn draw_reopen(f: &mut Frame<'_>, m: &Model, s: &Snapshot, reason: &TextInput, area: Rect) {
    let question = m.lang.fmt(
        "report.reopen.question",
        &[("date", &s.report_date.to_string())],
    );
    text_prompt(
        f,
        m,
        area,
        m.t("report.reopen.title"),
        &[question],
        reason,
        m.t("report.reopen.key_reopen"),
    );
}

/// A popup asking for one line of text (the end of it, where the cursor is, kept visible).
fn text_prompt(
    f: &mut Frame<'_>,
    m: &Model,
    area: Rect,
    title: &str,
    question: &[String],
    typed: &TextInput,
    key_ok: &str,
) {
    let th = m.theme();
    let width = 64usize;
    let mut lines = Vec::new();
    for q in question {
        lines.push(Line::from(fit(q, width)));
    }
    // the shared input keeps the cursor in view (a line break shows as ` / `)
    let mut spans = input_spans(typed, width, true, th.selected(), th.key());
    let used: usize = spans.iter().map(|s| s.content.width()).sum();
    spans.push(Span::styled(
        " ".repeat(width.saturating_sub(used)),
        th.selected(),
    ));
    lines.push(Line::from(spans));
    if let Some(n) = &typed.notice {
        lines.push(Line::from(Span::styled(
            fit(&n.render(m.lang), width),
            th.warn(),
        )));
    }
    // the keymap's rows, Enter named by what this prompt does (sign, save, reopen)
    let mut keys = crate::app::keymap::forms::hints(
        m,
        crate::app::keymap::forms::Context::ReportPrompt,
        width,
        false,
    );
    for (k, label) in &mut keys {
        if *k == "Enter" {
            *label = key_ok;
        }
    }
    lines.push(hints(&keys, &th));
    popup(f, m, area, title, lines);
}
