//! The login overlay: who is on duty (the staff list), then the person's PIN, typed as stars.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::widgets::{fit, pad, panel};
use crate::app::Model;
use crate::app::hits::Hit;
use crate::app::login::{LoginUi, Stage};

/// Draws the overlay in the middle of `area` and records the names' rows for clicks.
pub fn draw(f: &mut Frame<'_>, m: &Model, l: &LoginUi, area: Rect) {
    match &l.stage {
        Stage::Choose => chooser(f, m, l, area),
        Stage::Pin { name, input } => pin(f, m, l, area, name, input.chars().count()),
        Stage::Checking { name } => {
            let text = m.lang.fmt("access.login.checking", &[("name", name)]);
            small(
                f,
                m,
                area,
                m.t("access.login.title"),
                vec![Line::from(text)],
            );
        }
    }
}

fn chooser(f: &mut Frame<'_>, m: &Model, l: &LoginUi, area: Rect) {
    let th = m.theme();
    let staff = &m.town.staff;
    let searching = !l.find.input.text().trim().is_empty();
    // the people the typed name finds, best first; everyone with nothing typed
    let order: Vec<usize> = if searching {
        l.find.matches(&m.people_entries())
    } else {
        (0..staff.len()).collect()
    };
    let none = usize::from(searching && order.is_empty());
    let extra = u16::from(l.error.is_some()) + 1 + none as u16;
    let h = (staff.len() as u16 + 2 + extra).min(area.height);
    let r = super::centered(area, 52, h);
    crate::ui::widgets::clear_popup(f, r);
    let block = panel(m.t("access.login.title"), &th);
    let inner = block.inner(r);
    f.render_widget(block, r);
    let list_h = (inner.height as usize).saturating_sub(extra as usize);
    // keep the highlighted name in view
    let at = order.iter().position(|&i| i == l.selected).unwrap_or(0);
    let offset = at.saturating_sub(list_h.saturating_sub(1));
    let width = inner.width as usize;
    let mut lines = Vec::new();
    if let Some(e) = &l.error {
        lines.push(Line::from(Span::styled(
            fit(&e.render(m.lang), width),
            th.error(),
        )));
    }
    let mut search = vec![Span::styled(
        format!(" {}", m.t("people_pick.find")),
        th.muted(),
    )];
    search.extend(crate::ui::widgets::input_spans(
        &l.find.input,
        16,
        true,
        th.text(),
        th.key(),
    ));
    search.push(Span::styled(
        format!("  {}", m.t("people_pick.type_what")),
        th.muted(),
    ));
    lines.push(Line::from(search));
    if none == 1 {
        lines.push(Line::from(Span::styled(
            fit(&format!(" {}", m.t("people_pick.none")), width),
            th.warn(),
        )));
    }
    for (row, &i) in order.iter().enumerate().skip(offset).take(list_h) {
        let Some(s) = staff.get(i) else { continue };
        let text = format!(" {} {}", pad(&s.name, 10), m.t(s.role.label_key()));
        let style = if i == l.selected {
            th.selected()
        } else {
            th.text()
        };
        lines.push(Line::from(Span::styled(pad(&text, width), style)));
        let rect = Rect {
            y: inner.y + extra + (row - offset) as u16,
            height: 1,
            ..inner
        };
        m.hits.add(rect, Hit::Login(i));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

fn pin(f: &mut Frame<'_>, m: &Model, l: &LoginUi, area: Rect, name: &str, typed: usize) {
    let th = m.theme();
    let role = m
        .town
        .staff_member(name)
        .map(|s| m.t(s.role.label_key()))
        .unwrap_or("");
    let mut lines = vec![
        Line::from(
            m.lang
                .fmt("access.login.pin_for", &[("name", name), ("role", role)]),
        ),
        Line::from(vec![
            Span::styled("> ", th.key()),
            Span::styled("*".repeat(typed), th.text()),
            Span::styled("_", th.muted()),
        ]),
    ];
    if let Some(e) = &l.error {
        lines.push(Line::from(Span::styled(e.render(m.lang), th.error())));
    }
    small(f, m, area, m.t("access.login.pin_title"), lines);
}

fn small(f: &mut Frame<'_>, m: &Model, area: Rect, title: &str, lines: Vec<Line<'_>>) {
    let th = m.theme();
    let w = lines
        .iter()
        .map(|l| l.width())
        .chain([title.width() + 4])
        .max()
        .unwrap_or(20) as u16;
    let r = super::centered(area, w.saturating_add(4).max(40), lines.len() as u16 + 2);
    crate::ui::widgets::clear_popup(f, r);
    f.render_widget(Paragraph::new(lines).block(panel(title, &th)), r);
}
