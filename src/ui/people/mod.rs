//! The Key populations screen (重点人群): the call list of who is due today and who is
//! overdue, per village, overdue and red first; names and phones masked in the list and
//! whole in the detail lines under it; the contact form.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table, TableState, Wrap};

use super::widgets::{choice_field, day_time_db, input_spans, panel, text_field};
use crate::app::keymap::forms::Context;
use crate::app::people::{ContactField, selected_in, visible};
use crate::app::{Model, Screen};
use crate::domain::people::rows::CallRow;
use crate::domain::people::{Level, Method, Outcome};
use crate::domain::privacy::{mask_name, mask_phone};
use crate::domain::text::display;
use crate::store::people::Listed;

/// The style of a level: red critical, yellow a warning, green calm.
fn level_style(m: &Model, l: Level) -> Style {
    let th = m.theme();
    match l {
        Level::Red => th.critical(),
        Level::Yellow => th.warn(),
        Level::Green => th.ok(),
    }
}

/// Draws the screen.
pub fn draw(f: &mut Frame<'_>, m: &Model, area: Rect) {
    let Some(s) = m.snapshot.as_deref() else {
        return;
    };
    let th = m.theme();
    let [search_area, table_area, detail_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(4),
    ])
    .areas(area);
    let overdue = s.call_list.iter().filter(|r| r.listed.overdue).count();
    draw_search(f, m, search_area);
    let rows_src = visible(m);
    let title = m.lang.fmt(
        "people.list_title",
        &[
            ("n", &s.call_list.len().to_string()),
            ("overdue", &overdue.to_string()),
            ("shown", &rows_src.len().to_string()),
        ],
    );
    if rows_src.is_empty() {
        // just opened: the list is on its way from the store thread (a few milliseconds)
        let empty = if s.call_list_read {
            "people.nobody_due"
        } else {
            "people_isp.loading"
        };
        f.render_widget(
            Paragraph::new(Span::styled(m.t(empty), th.muted())).block(panel(&title, &th)),
            table_area,
        );
    } else {
        draw_table(f, m, &rows_src, &title, table_area);
    }
    // the rows just filtered: a search over the whole register runs once a frame
    if let Some(r) = selected_in(m, &rows_src) {
        draw_detail(f, m, &r.listed, detail_area);
    }
    if m.people.form.is_some() {
        draw_form(f, m, area);
    }
    if m.people.retire.is_some() {
        draw_retire(f, m, area);
    }
}

/// The search line: the query typed (with a cursor while typing) or the hint.
fn draw_search(f: &mut Frame<'_>, m: &Model, area: Rect) {
    let th = m.theme();
    let q = &m.people.query;
    let label = format!(" {} ", m.t("people.search"));
    let mut spans = vec![Span::styled(label.clone(), th.muted())];
    if q.is_empty() && !m.people.searching {
        spans.push(Span::styled(
            m.t("people.search_hint").to_string(),
            th.text(),
        ));
    } else {
        // the shared input (cursor where it is), and what it refused beside it
        let notice = q.notice.as_ref().map(|n| format!("  {}", n.render(m.lang)));
        let used = unicode_width::UnicodeWidthStr::width(label.as_str())
            + notice
                .as_deref()
                .map_or(0, unicode_width::UnicodeWidthStr::width);
        let width = (area.width as usize).saturating_sub(used).max(8);
        let style = if m.people.searching {
            th.selected()
        } else {
            th.text()
        };
        spans.extend(input_spans(q, width, m.people.searching, style, th.key()));
        if let Some(n) = notice {
            spans.push(Span::styled(n, th.warn()));
        }
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The call list's table (phone and cadre columns when wide), its rows clickable.
fn draw_table(f: &mut Frame<'_>, m: &Model, rows_src: &[&CallRow], title: &str, area: Rect) {
    let th = m.theme();
    let height = area.height.saturating_sub(3) as usize;
    let (first, sel) =
        super::widgets::window(rows_src.len(), m.selected[Screen::People.index()], height);
    // phone and cadre columns when there is room for them (the detail lines have both)
    let wide = area.width >= 100;
    let rows: Vec<Row<'_>> = rows_src
        .iter()
        .skip(first)
        .take(height)
        .map(|r| person_row(m, &r.listed, wide))
        .collect();
    let (heads, widths) = table_heads(m, wide);
    let header = Row::new(heads).style(th.muted());
    let table = Table::new(rows, widths)
        .header(header)
        .row_highlight_style(th.selected())
        .block(panel(title, &th));
    let mut state = TableState::default().with_selected(Some(sel));
    f.render_stateful_widget(table, area, &mut state);
    m.hits.rows(
        Rect {
            x: area.x + 1,
            y: area.y + 2,
            width: area.width.saturating_sub(2),
            height: area.height.saturating_sub(3),
        },
        first,
        rows_src.len(),
    );
}

/// One person's row of the call list, name and phone masked.
fn person_row<'a>(m: &'a Model, p: &Listed, wide: bool) -> Row<'a> {
    let th = m.theme();
    let off = m.town.info.offset;
    let due = if p.overdue {
        Span::styled(
            m.lang.fmt(
                "people.overdue_since",
                &[("date", &p.next_due.format("%m-%d").to_string())],
            ),
            th.overdue(),
        )
    } else {
        Span::raw(m.t("people.due_today"))
    };
    let mut cells = vec![
        Line::from(m.town.place_name(&p.village, m.lang)),
        Line::from(display(&mask_name(&p.name)).into_owned()),
        Line::from(p.age.to_string()),
        Line::from(Span::styled(
            m.t(p.level.label_key()),
            level_style(m, p.level),
        )),
        Line::from(due),
        Line::from(
            p.last_contact
                .as_deref()
                .map_or_else(|| "-".to_string(), |t| day_time_db(t, off)),
        ),
        Line::from(format!("{}/{}", p.contacts_this_week, p.required_per_week)),
    ];
    if wide {
        cells.push(Line::from(display(&mask_phone(&p.phone)).into_owned()));
        cells.push(Line::from(display(&p.cadre).into_owned()));
    }
    Row::new(cells)
}

/// The call list's column heads and widths.
fn table_heads(m: &Model, wide: bool) -> (Vec<Line<'_>>, Vec<Constraint>) {
    let mut heads = vec![
        Line::from(m.t("people.col.village")),
        Line::from(m.t("people.col.name")),
        Line::from(m.t("people.col.age")),
        Line::from(m.t("people.col.level")),
        Line::from(m.t("people.col.due")),
        Line::from(m.t("people.col.last_short")),
        Line::from(m.t("people.col.week")),
    ];
    let mut widths = vec![
        Constraint::Length(if wide { 18 } else { 12 }),
        Constraint::Length(8),
        Constraint::Length(4),
        Constraint::Length(6),
        Constraint::Length(13),
        Constraint::Length(11),
        Constraint::Length(5),
    ];
    if wide {
        heads.push(Line::from(m.t("people.col.phone")));
        heads.push(Line::from(m.t("people.col.cadre")));
        widths.push(Constraint::Length(13));
        widths.push(Constraint::Min(6));
    }
    (heads, widths)
}

/// The selected person whole: name, age, phone, address, conditions, cadre, doctor.
fn draw_detail(f: &mut Frame<'_>, m: &Model, p: &Listed, area: Rect) {
    let th = m.theme();
    let label =
        |k: &str| Span::styled(m.lang.fmt("people.label", &[("label", m.t(k))]), th.muted());
    let text = |s: &str| Span::raw(format!("{}  ", display(s)));
    let lines = vec![
        Line::from(vec![
            Span::styled(format!("#{} {}  ", p.id, display(&p.name)), th.title()),
            label("people.col.age"),
            text(&p.age.to_string()),
            label("people.col.phone"),
            text(&p.phone),
            label("people.col.address"),
            text(&p.address),
        ]),
        Line::from(vec![label("people.col.conditions"), text(&p.conditions)]),
        Line::from(vec![
            label("people.col.cadre"),
            text(&p.cadre),
            label("people.col.doctor"),
            text(&p.doctor),
            label("people.col.next_due"),
            text(&p.next_due.to_string()),
        ]),
    ];
    f.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: true }).block(
            ratatui::widgets::Block::default()
                .borders(ratatui::widgets::Borders::TOP)
                .border_style(th.border()),
        ),
        area,
    );
}

fn draw_form(f: &mut Frame<'_>, m: &Model, area: Rect) {
    let th = m.theme();
    let Some(form) = &m.people.form else {
        return;
    };
    let who = m
        .snapshot
        .as_deref()
        .and_then(|s| s.call_list.iter().find(|r| r.listed.id == form.person))
        .map(|r| format!("#{} {}", r.listed.id, display(&r.listed.name)))
        .unwrap_or_else(|| format!("#{}", form.person));
    let method = Method::ALL
        .get(form.method)
        .map_or("-", |x| m.t(x.label_key()));
    let outcome = form
        .outcome
        .and_then(|i| Outcome::ALL.get(i))
        .map_or(m.t("people.form.choose"), |o| m.t(o.label_key()));
    let on = |fl: ContactField| form.field == fl;
    let label = |fl: ContactField| m.t(fl.label_key());
    let mut lines = Vec::new();
    for fl in [ContactField::Method, ContactField::Outcome] {
        let value = if fl == ContactField::Method {
            method
        } else {
            outcome
        };
        lines.push(choice_field(m, on(fl), label(fl), format!("< {value} >")));
    }
    let note = ContactField::Note;
    text_field(m, &mut lines, on(note), label(note), &form.note);
    if let Some(e) = &form.error {
        lines.push(Line::from(Span::styled(
            format!("  {}", e.render(m.lang)),
            th.error(),
        )));
    }
    lines.push(super::form_hints(m, Context::PeopleContact, 68));
    let title = m.lang.fmt("people.form.title", &[("who", &who)]);
    let r = super::centered(area, 70, lines.len() as u16 + 2);
    super::widgets::clear_popup(f, r);
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(panel(&title, &th)),
        r,
    );
}

/// The retirement popup: who, what it does, the reason typed, and its keys.
fn draw_retire(f: &mut Frame<'_>, m: &Model, area: Rect) {
    let th = m.theme();
    let Some(r) = &m.people.retire else {
        return;
    };
    let mut reason = vec![Span::styled(
        format!("> {}: ", m.t("people_isp.retire_reason")),
        th.muted(),
    )];
    reason.extend(input_spans(&r.reason, 56, true, th.selected(), th.key()));
    let mut lines = vec![
        Line::from(Span::styled(m.t("people_isp.retire_hint"), th.text())),
        Line::from(reason),
    ];
    for msg in [&r.reason.notice, &r.error].into_iter().flatten() {
        lines.push(Line::from(Span::styled(
            format!("    {}", msg.render(m.lang)),
            th.warn(),
        )));
    }
    lines.push(super::form_hints(m, Context::PeopleRetire, 68));
    let title = m.lang.fmt(
        "people_isp.retire_title",
        &[("id", &r.person.to_string()), ("name", &display(&r.name))],
    );
    let rect = super::centered(area, 70, lines.len() as u16 + 2);
    super::widgets::clear_popup(f, rect);
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(panel(&title, &th)),
        rect,
    );
}

/// The Key populations screen, for `ui::view`.
pub struct Drawing;

impl super::ScreenView for Drawing {
    fn draw(&self, f: &mut Frame<'_>, m: &Model, area: Rect) {
        draw(f, m, area);
    }
}
