//! The transport queue and the line under it (the suggestion, or the trip's details).

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table, TableState};

use super::{kind_label, with_place_names};
use crate::app::Model;
use crate::app::fleet::{Focus, queue_rows, selected_index, selected_suggestion, selected_trip};
use crate::domain::fleet::TransportRow;
use crate::domain::fleet_stats::{response_time, total_time};
use crate::domain::time::{duration_text, from_db};
use crate::domain::transport::{Severity, TripStatus};
use crate::store::snapshot::Snapshot;
use crate::ui::widgets::{Col, fit, fit_columns, hhmm_db, panel};

fn severity_style(m: &Model, s: Severity) -> Style {
    m.theme().severity(s)
}

/// How long a request waited for a vehicle: until now while waiting, else until dispatched.
fn waited(m: &Model, t: &TransportRow) -> String {
    let Some(asked) = from_db(&t.requested_at) else {
        return String::new();
    };
    match t.status {
        TripStatus::Requested => duration_text(m.now - asked, m.lang),
        _ => t
            .time_of(TripStatus::Dispatched)
            .and_then(from_db)
            .map(|d| duration_text(d - asked, m.lang))
            .unwrap_or_else(|| "-".into()),
    }
}

/// The queue's columns, sized by their content (issue 19: at 200 columns the village took
/// 100 while "To" and "Vehicle" were cut): #, severity, village, patient, to, status,
/// vehicle, waited, response, total. When they do not fit, the village, destination,
/// patient and status are cut toward a readable minimum, then the destination, the total,
/// the response time and the patient are left out in that order.
fn columns(inner: u16, natural: &[u16; 10]) -> Vec<Option<u16>> {
    let n = |i: usize| natural[i];
    let cols = [
        Col::keep(n(0), n(0)),
        Col::keep(n(1), n(1)),
        Col::keep(n(2), 10),
        Col {
            natural: n(3),
            min: n(3).min(8),
            drop: Some(4),
        },
        Col {
            natural: n(4),
            min: n(4).min(10),
            drop: Some(1),
        },
        Col::keep(n(5), 8),
        Col::keep(n(6), n(6)),
        Col::keep(n(7), n(7)),
        Col::whole(n(8), 3),
        Col::whole(n(9), 2),
    ];
    fit_columns(inner, &cols)
}

/// The cells of the kept columns.
fn keep<'a>(cols: &[Option<u16>], cells: Vec<Line<'a>>) -> Vec<Line<'a>> {
    cells
        .into_iter()
        .zip(cols)
        .filter(|(_, w)| w.is_some())
        .map(|(l, _)| l)
        .collect()
}

/// Draws the queue table.
pub fn draw(f: &mut Frame<'_>, m: &Model, s: &Snapshot, area: Rect) {
    let th = m.theme();
    let rows_src = queue_rows(s);
    let cells: Vec<(Vec<Line<'_>>, bool)> = rows_src
        .iter()
        .map(|t| (trip_cells(m, t), t.status.is_closed()))
        .collect();
    let titles = [
        "#",
        m.t("fleet.col_severity"),
        m.t("fleet.col_village"),
        m.t("fleet.col_patient"),
        m.t("fleet.col_destination"),
        m.t("fleet.col_status"),
        m.t("fleet.col_vehicle"),
        m.t("fleet.col_waited"),
        m.t("fleet.col_response"),
        m.t("fleet.col_total"),
    ];
    let natural: [u16; 10] =
        std::array::from_fn(|i| Col::natural(titles[i], cells.iter().map(|(c, _)| &c[i])));
    // the borders and the selection marker take three columns
    let cols = columns(area.width.saturating_sub(3), &natural);
    let rows: Vec<Row<'_>> = cells
        .into_iter()
        .map(|(c, closed)| {
            let row = Row::new(keep(&cols, c));
            if closed { row.style(th.muted()) } else { row }
        })
        .collect();
    let header = Row::new(keep(&cols, titles.map(Line::from).to_vec())).style(th.muted());
    let waiting = rows_src
        .iter()
        .filter(|t| t.status == TripStatus::Requested)
        .count();
    let title = m
        .lang
        .fmt("fleet.queue_title", &[("waiting", &waiting.to_string())]);
    let focused = m.fleet.focus == Focus::Queue;
    let widths: Vec<Constraint> = cols
        .iter()
        .flatten()
        .map(|w| Constraint::Length(*w))
        .collect();
    // only the focused list shows the selection marker (issue 19: both showed `>`)
    let table = Table::new(rows, widths)
        .header(header)
        .highlight_symbol(if focused { ">" } else { " " })
        .row_highlight_style(if focused {
            th.selected()
        } else {
            Style::default()
        })
        .block(panel(&title, &th).border_style(if focused { th.title() } else { th.border() }));
    let mut state = TableState::default().with_selected(selected_index(m, &rows_src));
    f.render_stateful_widget(table, area, &mut state);
    // after drawing, so the table's own scroll offset is known
    add_hits(m, area, &rows_src, state.offset());
}

/// One trip's cells in the queue.
fn trip_cells(m: &Model, t: &TransportRow) -> Vec<Line<'static>> {
    let th = m.theme();
    let closed = t.status.is_closed();
    let status_style = match t.status {
        TripStatus::Requested => th.warn(),
        _ if closed => th.muted(),
        _ => th.text(),
    };
    // masked in the list (张*明); whole only in the detail lines below it
    let masked = crate::domain::privacy::mask_name(&t.patient);
    let patient = match t.age {
        Some(a) => format!("{masked} {a}"),
        None => masked,
    };
    let dur =
        |d: Option<chrono::Duration>| d.map_or_else(|| "-".into(), |d| duration_text(d, m.lang));
    vec![
        Line::from(format!("#{}", t.id)),
        Line::from(Span::styled(
            m.t(t.severity.label_key()),
            severity_style(m, t.severity),
        )),
        Line::from(m.town.place_name(&t.village, m.lang)),
        Line::from(patient),
        Line::from(m.town.place_name(&t.destination, m.lang)),
        Line::from(Span::styled(m.t(t.status.label_key()), status_style)),
        Line::from(t.vehicle.clone().unwrap_or_else(|| "-".into())),
        Line::from(Span::styled(
            waited(m, t),
            if t.status == TripStatus::Requested {
                th.warn()
            } else {
                th.muted()
            },
        )),
        Line::from(dur(response_time(t))),
        Line::from(dur(total_time(t))),
    ]
}

/// Rows below the border and the header line, for mouse clicks, from the table's scroll
/// offset `first`.
fn add_hits(m: &Model, area: Rect, rows_src: &[&TransportRow], first: usize) {
    for (i, t) in rows_src.iter().enumerate().skip(first) {
        let y = area.y + 2 + (i - first) as u16;
        if y + 1 >= area.y + area.height {
            break;
        }
        m.hits.add(
            Rect {
                x: area.x + 1,
                y,
                width: area.width.saturating_sub(2),
                height: 1,
            },
            crate::app::hits::Hit::Trip(t.id),
        );
    }
}

/// Two lines under the queue: the suggestion for a waiting request (or the trip's vehicle,
/// driver and step times), then who asked and the note.
pub fn draw_detail(f: &mut Frame<'_>, m: &Model, s: &Snapshot, area: Rect) {
    let th = m.theme();
    let width = area.width.saturating_sub(1) as usize;
    let Some(t) = selected_trip(m) else {
        let p = Paragraph::new(Span::styled(format!(" {}", m.t("fleet.empty")), th.muted()));
        f.render_widget(p, area);
        return;
    };
    let first = if t.status == TripStatus::Requested {
        match selected_suggestion(m) {
            Some(sug) => {
                let v = s.vehicles.iter().find(|v| v.code == sug.vehicle);
                let text = m.lang.fmt(
                    "fleet.suggested",
                    &[
                        ("id", &t.id.to_string()),
                        ("vehicle", &sug.vehicle),
                        ("kind", v.map_or("", |v| kind_label(m, v.kind))),
                        (
                            "base",
                            &v.map(|v| m.town.place_name(&v.base, m.lang))
                                .unwrap_or_default(),
                        ),
                        (
                            "reason",
                            &with_place_names(&sug.reason, &m.town, m.lang).render(m.lang),
                        ),
                    ],
                );
                Line::from(Span::styled(fit(&format!(" {text}"), width), th.ok()))
            }
            None => Line::from(Span::styled(
                fit(&format!(" {}", m.t("fleet.no_suggestion")), width),
                th.overdue(),
            )),
        }
    } else {
        let v = t
            .vehicle
            .as_deref()
            .and_then(|c| s.vehicles.iter().find(|v| v.code == c));
        let mut text = format!(" #{} {}", t.id, t.vehicle.as_deref().unwrap_or("-"));
        if let Some(v) = v.filter(|v| v.transport == Some(t.id)) {
            text.push_str(&format!(" {} {}", v.driver, v.phone));
        }
        for (st, at) in crate::domain::fleet::STEP_COLUMNS
            .iter()
            .zip(t.times.iter())
            .filter_map(|((st, _), at)| at.as_deref().map(|a| (st, a)))
        {
            text.push_str(&format!(
                " | {} {}",
                m.t(st.label_key()),
                hhmm_db(at, m.town.info.offset)
            ));
        }
        Line::from(Span::styled(fit(&text, width), th.text()))
    };
    let mut second = format!(
        " {} {} | {}",
        m.t("fleet.col_patient"),
        t.patient,
        m.lang.fmt(
            "fleet.asked",
            &[
                ("at", &hhmm_db(&t.requested_at, m.town.info.offset)),
                ("caller", if t.caller.is_empty() { "-" } else { &t.caller },),
            ]
        )
    );
    if !t.note.is_empty() {
        second.push_str(" | ");
        second.push_str(&t.note);
    }
    let lines = vec![
        first,
        Line::from(Span::styled(fit(&second, width), th.muted())),
    ];
    f.render_widget(Paragraph::new(lines), area);
}
