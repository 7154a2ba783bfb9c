//! The vehicle board (grouped by health center, then the villages it serves) and the
//! compact per-village availability.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table};

use super::kind_label;
use crate::app::fleet::{Focus, board_order};
use crate::app::{Model, Screen};
use crate::domain::fleet::VehicleRow;
use crate::domain::fleet_stats::needs_call;
use crate::domain::time::{duration_text, from_db};
use crate::domain::town::VehicleKind;
use crate::domain::transport::VehicleStatus;
use crate::store::snapshot::Snapshot;
use crate::ui::widgets::{Col, fit_columns, pad, panel};

/// The board's column titles, in order (the trip or reason takes the rest of the line).
const TITLES: [&str; 7] = [
    "fleet.col_code",
    "fleet.col_kind",
    "fleet.col_base",
    "fleet.col_status",
    "fleet.col_since",
    "fleet.col_driver",
    "fleet.col_phone",
];

/// Column widths of the board, sized by content (issue 19: at 200 columns the base was
/// cut at ten while the trip column stood empty): code, kind, base, status, for, driver,
/// phone; the trip or reason takes the rest, at least 6. When they do not fit, the base,
/// kind and driver are cut first; the status is never cut.
fn cols(m: &Model, s: &Snapshot, width: usize) -> [usize; 7] {
    let w = |t: &str| u16::try_from(unicode_width::UnicodeWidthStr::width(t)).unwrap_or(u16::MAX);
    let mut n: [u16; 7] = TITLES.map(|k| w(m.t(k)));
    let mut trip = 0u16;
    for v in &s.vehicles {
        let since = from_db(&v.since).map(|x| duration_text(m.now - x, m.lang));
        let cells = [
            w(&v.code),
            w(kind_label(m, v.kind)),
            w(&m.town.place_name(&v.base, m.lang)),
            w(m.t(v.status.label_key())),
            since.as_deref().map_or(0, w),
            w(&v.driver),
            w(&crate::domain::privacy::mask_phone(&v.phone)),
        ];
        for (a, b) in n.iter_mut().zip(cells) {
            *a = (*a).max(b);
        }
        trip = trip.max(w(&v.reason)).max(12);
    }
    let spec = [
        Col::keep(n[0], n[0]),
        Col::keep(n[1], 6),
        Col::keep(n[2], 8),
        Col::keep(n[3], n[3]),
        Col::keep(n[4], n[4]),
        Col::keep(n[5], 4),
        Col::keep(n[6], n[6]),
        Col::keep(trip, 6),
    ];
    // the selection marker takes one column
    let inner = u16::try_from(width.saturating_sub(1)).unwrap_or(u16::MAX);
    let fitted = fit_columns(inner, &spec);
    std::array::from_fn(|i| usize::from(fitted[i].unwrap_or(0)))
}

fn status_style(m: &Model, st: VehicleStatus) -> Style {
    m.theme().vehicle_status(st)
}

fn vehicle_line<'a>(
    m: &'a Model,
    v: &VehicleRow,
    width: usize,
    selected: bool,
    cols: &[usize; 7],
) -> Line<'a> {
    let th = m.theme();
    let call = needs_call(v, m.now);
    let since = from_db(&v.since)
        .map(|x| duration_text(m.now - x, m.lang))
        .unwrap_or_default();
    let status = m.t(v.status.label_key()).to_string();
    let trip = match v.transport {
        Some(t) if call => format!("#{t} {}", m.t("fleet.call")),
        Some(t) => format!("#{t}"),
        None => crate::domain::text::display(&v.reason).into_owned(),
    };
    let focused = selected && m.fleet.focus == Focus::Board;
    let fixed: usize = cols.iter().sum::<usize>() + cols.len() + 1;
    let cells: Vec<Span<'a>> = vec![
        Span::raw(if focused { ">" } else { " " }),
        Span::raw(pad(&v.code, cols[0])),
        Span::raw(" "),
        Span::styled(pad(kind_label(m, v.kind), cols[1]), th.muted()),
        Span::raw(" "),
        Span::raw(pad(&m.town.place_name(&v.base, m.lang), cols[2])),
        Span::raw(" "),
        Span::styled(
            pad(&status, cols[3]),
            if call {
                th.critical()
            } else {
                status_style(m, v.status)
            },
        ),
        Span::raw(" "),
        Span::styled(
            pad(&since, cols[4]),
            if call { th.critical() } else { th.muted() },
        ),
        Span::raw(" "),
        Span::raw(pad(&v.driver, cols[5])),
        Span::raw(" "),
        // drivers' phones masked on the board; whole in the dispatch popup and trip detail
        Span::raw(pad(&crate::domain::privacy::mask_phone(&v.phone), cols[6])),
        Span::raw(" "),
        Span::styled(
            pad(&trip, width.saturating_sub(fixed)),
            if call { th.critical() } else { th.text() },
        ),
    ];
    if focused {
        // the selection's colours over every cell's own, so a grey time stays readable
        let sel = th.selected();
        Line::from(
            cells
                .into_iter()
                .map(|c| {
                    let style = c.style.patch(sel);
                    c.style(style)
                })
                .collect::<Vec<_>>(),
        )
        .style(sel)
    } else {
        Line::from(cells)
    }
}

/// One line of the board before it is formatted: a group title, or a vehicle and its
/// position in board order.
enum Item<'v> {
    Title(String),
    Vehicle(&'v VehicleRow, usize),
}

/// Draws the board.
pub fn draw(f: &mut Frame<'_>, m: &Model, s: &Snapshot, area: Rect) {
    let th = m.theme();
    let width = area.width.saturating_sub(2) as usize;
    let sel = m.selected[Screen::Fleet.index()];
    let widths = cols(m, s, width);
    // lay the board out cheaply first (group titles and vehicle slots), then format only
    // the lines that fit: 250 vehicles cost the same to draw as 15
    let (items, sel_line) = lay_out(m, s, sel);
    let calls: Vec<&str> = s
        .vehicles
        .iter()
        .filter(|v| needs_call(v, m.now))
        .map(|v| v.code.as_str())
        .collect();
    let title = if calls.is_empty() {
        m.t("fleet.board").to_string()
    } else {
        m.lang.fmt(
            "fleet.board_call",
            &[("list", &calls.join(m.t("list.sep")))],
        )
    };
    let inner_h = area.height.saturating_sub(2) as usize;
    // keep the header, scroll so that the selected vehicle is visible
    let scroll = (sel_line + 1).saturating_sub(inner_h.max(1));
    let mut lines = vec![head_line(m, &widths, width)];
    lines.extend(
        items
            .iter()
            .skip(scroll.saturating_sub(1))
            .take(inner_h + 1)
            .map(|it| match it {
                Item::Title(t) => Line::from(Span::styled(pad(t, width), th.title())),
                Item::Vehicle(v, p) => vehicle_line(m, v, width, *p == sel, &widths),
            }),
    );
    // what was skipped is already out of the lines; scroll only the column header away
    let skipped = scroll.saturating_sub(1);
    let scroll = scroll.min(1);
    add_hits(m, area, &items, skipped, scroll);
    let block = panel(&title, &th).border_style(if m.fleet.focus == Focus::Board {
        th.title()
    } else {
        th.border()
    });
    let block = if calls.is_empty() {
        block
    } else {
        block.title_style(th.critical())
    };
    f.render_widget(
        Paragraph::new(lines)
            .scroll((scroll as u16, 0))
            .block(block),
        area,
    );
}

/// The column header line: the titles padded to their widths, the trip the rest.
fn head_line(m: &Model, widths: &[usize; 7], width: usize) -> Line<'static> {
    let header = TITLES
        .iter()
        .zip(widths)
        .map(|(k, w)| pad(m.t(k), *w))
        .collect::<Vec<_>>()
        .join(" ");
    let trip_w = width.saturating_sub(widths.iter().sum::<usize>() + widths.len() + 1);
    Line::from(Span::styled(
        format!(" {header} {}", pad(m.t("fleet.col_trip"), trip_w)),
        m.theme().muted(),
    ))
}

/// The board in order, one item a line: each group's title, then its vehicles. Also the
/// line of the selected vehicle (counting the column header).
fn lay_out<'v>(m: &Model, s: &'v Snapshot, sel: usize) -> (Vec<Item<'v>>, usize) {
    let mut items: Vec<Item<'_>> = Vec::new();
    let mut pos = 0usize;
    let mut sel_line = 0usize;
    for (hc, idx) in board_order(&m.town, &s.vehicles) {
        let group: Vec<&VehicleRow> = idx.iter().filter_map(|i| s.vehicles.get(*i)).collect();
        items.push(Item::Title(group_title(m, &hc, &group)));
        for v in group {
            if pos == sel {
                sel_line = items.len() + 1; // +1: the column header line
            }
            items.push(Item::Vehicle(v, pos));
            pos += 1;
        }
    }
    (items, sel_line)
}

/// A group's title: its health center and how many of its ambulances and cars are free
/// ("other" for vehicles based nowhere known).
fn group_title(m: &Model, hc: &str, group: &[&VehicleRow]) -> String {
    if hc.is_empty() {
        return m.t("fleet.group_other").to_string();
    }
    let free = |k: VehicleKind| {
        let all = group.iter().filter(|v| v.kind == k);
        let n = all.clone().count();
        let f = all.filter(|v| v.status == VehicleStatus::Available).count();
        (f.to_string(), n.to_string())
    };
    let (af, an) = free(VehicleKind::Ambulance);
    let (cf, cn) = free(VehicleKind::ReserveCar);
    m.lang.fmt(
        "fleet.group",
        &[
            ("name", &m.town.place_name(hc, m.lang)),
            ("amb_free", &af),
            ("amb", &an),
            ("car_free", &cf),
            ("cars", &cn),
        ],
    )
}

/// Vehicle rows as drawn, for mouse clicks: line k of the drawn lines shows at k - scroll.
fn add_hits(m: &Model, area: Rect, items: &[Item<'_>], skipped: usize, scroll: usize) {
    let inner_h = area.height.saturating_sub(2) as usize;
    for (k, it) in items.iter().enumerate().skip(skipped).take(inner_h + 1) {
        if let Item::Vehicle(_, p) = it {
            let line = 1 + (k - skipped);
            if line < scroll || line - scroll >= inner_h {
                continue;
            }
            m.hits.add(
                Rect {
                    x: area.x + 1,
                    y: area.y + 1 + (line - scroll) as u16,
                    width: area.width.saturating_sub(2),
                    height: 1,
                },
                crate::app::hits::Hit::Vehicle(*p),
            );
        }
    }
}

/// A vehicle status in one short word, for the compact availability view.
fn short_key(st: VehicleStatus) -> &'static str {
    match st {
        VehicleStatus::Available => "fleet.short.available",
        VehicleStatus::OnTrip(_) => "fleet.short.on_trip",
        VehicleStatus::OutOfService => "fleet.short.out",
    }
}

/// Per village: its reserve car's status, and free/total ambulances of its health center.
pub fn draw_availability(f: &mut Frame<'_>, m: &Model, s: &Snapshot, area: Rect) {
    let th = m.theme();
    let rows: Vec<Row<'_>> = crate::domain::fleet::availability(&m.town, &s.vehicles)
        .into_iter()
        .take(area.height.saturating_sub(3) as usize)
        .map(|a| {
            Row::new(vec![
                Line::from(m.town.place_name(&a.village.code, m.lang)),
                Line::from(match a.car {
                    Some(c) => Span::styled(m.t(short_key(c.status)), status_style(m, c.status)),
                    None => Span::styled("-", th.muted()),
                }),
                Line::from(Span::styled(
                    format!("{}/{}", a.free_ambulances, a.ambulances),
                    if a.free_ambulances == 0 {
                        th.overdue()
                    } else {
                        th.ok()
                    },
                )),
            ])
        })
        .collect();
    let header = Row::new(vec![
        Line::from(m.t("fleet.col_village")),
        Line::from(m.t("fleet.col_car")),
        Line::from(m.t("fleet.col_amb")),
    ])
    .style(th.muted());
    let table = Table::new(
        rows,
        [
            Constraint::Min(10),
            Constraint::Length(8),
            Constraint::Length(6),
        ],
    )
    .header(header)
    .block(panel(m.t("fleet.availability"), &th));
    f.render_widget(table, area);
}
