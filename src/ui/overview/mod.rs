//! The Overview screen: today's town figures, who has not reported, what is most urgent,
//! what is free per village, and what is on the road.

use chrono::Duration;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, Paragraph};

use super::widgets::{self, Col, change, fit, fit_columns, num, panel, percent};
use crate::app::Model;
use crate::domain::report::Field;
use crate::domain::transport::{TripStatus, VehicleStatus};
use crate::domain::urgent::{Target, Urgent};
use crate::store::snapshot::Snapshot;

/// Draws the Overview screen.
pub fn draw(f: &mut Frame<'_>, m: &Model, area: Rect) {
    let Some(s) = m.snapshot.as_deref() else {
        return;
    };
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(48), Constraint::Percentage(52)]).areas(area);
    // the trend chart is the first thing to go on a small terminal
    let trend_h = if area.height >= 30 { 8 } else { 0 };
    let [figs, trend, missing] = Layout::vertical([
        Constraint::Length(12),
        Constraint::Length(trend_h),
        Constraint::Min(3),
    ])
    .areas(left);
    draw_figures(f, m, s, figs);
    if trend_h > 0 {
        draw_trend(f, m, s, trend);
    }
    draw_missing(f, m, s, missing);
    let n_trips = (s.transports.len() as u16).clamp(1, 6) + 3;
    // "Most urgent" takes what the trips leave, shared with the availability board
    let urgent_h = (area.height.saturating_sub(n_trips) / 2).max(7);
    let [urgent, trips, avail] = Layout::vertical([
        Constraint::Length(urgent_h),
        Constraint::Length(n_trips),
        Constraint::Min(4),
    ])
    .areas(right);
    draw_urgent(f, m, s, urgent);
    draw_trips(f, m, s, trips);
    draw_availability(f, m, s, avail);
}

fn draw_figures(f: &mut Frame<'_>, m: &Model, s: &Snapshot, area: Rect) {
    let th = m.theme();
    let today = &s.today_summary;
    let title = m.lang.fmt(
        "overview.figures",
        &[
            ("date", &s.today.to_string()),
            ("reported", &today.reported.to_string()),
            ("expected", &m.town.villages.len().to_string()),
        ],
    );
    let mut rows: Vec<Vec<Line<'_>>> = Field::ALL
        .iter()
        .map(|fl| {
            let d = today.change(*fl);
            let style = match d {
                Some(v) if v > 0 && matches!(fl, Field::Severe | Field::Deaths) => th.overdue(),
                _ => th.muted(),
            };
            vec![
                Line::from(carried_label(m, today, *fl)),
                Line::from(num(today.get(*fl))).right_aligned(),
                Line::from(Span::styled(change(d), style)).right_aligned(),
            ]
        })
        .collect();
    rows.push(vec![
        Line::from(m.t("overview.infection_ratio")),
        Line::from(percent(today.infection_ratio())).right_aligned(),
        Line::from(ratio_change(today.infection_ratio_change())).right_aligned(),
    ]);
    let header = vec![
        Line::from(""),
        Line::from(m.t("overview.today")).right_aligned(),
        Line::from(m.t("overview.vs_yesterday")).right_aligned(),
    ];
    // sized by content (issue 19: "New infectio" was cut beside 13 empty columns): the
    // figures are never cut; the "vs yesterday" heading is cut down to its figures before
    // a label is, and a label only when that is not enough
    let n: [u16; 3] =
        std::array::from_fn(|i| Col::natural("", rows.iter().map(|r| &r[i]).chain([&header[i]])));
    let change_cells = Col::natural("", rows.iter().map(|r| &r[2]));
    let inner = area.width.saturating_sub(2);
    let change = Col {
        natural: n[2],
        min: change_cells,
        drop: Some(1),
    };
    let mut widths = fit_columns(
        inner,
        &[Col::keep(n[0], n[0]), Col::keep(n[1], n[1]), change],
    );
    if widths.iter().any(Option::is_none) {
        widths = fit_columns(inner, &[Col::keep(n[0], 8), Col::keep(n[1], n[1]), change]);
    }
    // a heading cut would read "sterday": the short one stands in when the full one does not fit
    let mut header = header;
    if widths[2].is_some_and(|w| w < n[2]) {
        header[2] = Line::from(m.t("cols.vs_yesterday_short")).right_aligned();
    }
    let table = widgets::fitted_table(&widths, None, (header, th.muted()), rows).block(
        panel(&title, &th).title_bottom(Line::from(Span::styled(
            fit(
                &today.words_short(m.lang),
                area.width.saturating_sub(4) as usize,
            ),
            th.muted(),
        ))),
    );
    f.render_widget(table, area);
}

fn draw_trend(f: &mut Frame<'_>, m: &Model, s: &Snapshot, area: Rect) {
    let th = m.theme();
    let start = s.today - Duration::days(13);
    let points: Vec<(f64, f64)> = s
        .trend
        .iter()
        .filter_map(|t| {
            let d = t.date?;
            if d < start {
                return None;
            }
            Some((
                (d - start).num_days() as f64,
                t.get(Field::NewInfections)? as f64,
            ))
        })
        .collect();
    let max = points.iter().map(|p| p.1).fold(1.0, f64::max);
    let title = m.t("overview.trend14");
    let data = Dataset::default()
        .marker(Marker::Braille)
        .graph_type(GraphType::Line)
        .style(th.warn())
        .data(&points);
    let chart = Chart::new(vec![data])
        .block(panel(title, &th))
        .x_axis(Axis::default().bounds([0.0, 13.0]).labels([
            Span::styled(start.format("%m-%d").to_string(), th.muted()),
            Span::styled(s.today.format("%m-%d").to_string(), th.muted()),
        ]))
        .y_axis(
            Axis::default()
                .bounds([0.0, max * 1.1])
                .labels([Span::raw("0"), Span::raw(format!("{max:.0}"))]),
        );
    f.render_widget(chart, area);
}

fn draw_missing(f: &mut Frame<'_>, m: &Model, s: &Snapshot, area: Rect) {
    let th = m.theme();
    let missing = s.missing_today(&m.town);
    let late = s.past_cutoff(&m.town);
    let cutoff = m.town.info.report_cutoff.format("%H:%M").to_string();
    let title = m.lang.fmt(
        if late {
            "overview.missing_late"
        } else {
            "overview.missing"
        },
        &[("n", &missing.len().to_string()), ("cutoff", &cutoff)],
    );
    let style = if late { th.overdue() } else { th.warn() };
    let text: Vec<Line<'_>> = if missing.is_empty() {
        vec![Line::from(Span::styled(
            m.t("overview.all_reported"),
            th.ok(),
        ))]
    } else {
        missing
            .iter()
            .map(|code| {
                let v = m.town.village(code);
                let phone = v.map(|v| v.clinic_phone.as_str()).unwrap_or("");
                Line::from(vec![
                    Span::styled(format!("{code} {}", m.town.place_name(code, m.lang)), style),
                    Span::styled(format!("  {phone}"), th.muted()),
                ])
            })
            .collect()
    };
    f.render_widget(Paragraph::new(text).block(panel(&title, &th)), area);
}

fn draw_urgent(f: &mut Frame<'_>, m: &Model, s: &Snapshot, area: Rect) {
    let th = m.theme();
    let rows = crate::app::overview::rows(m);
    let inner_w = area.width.saturating_sub(2) as usize;
    let height = area.height.saturating_sub(2) as usize;
    let selected = m.selected[crate::app::Screen::Overview.index()];
    let (shown, more) = crate::domain::urgent::fit_rows(rows.len(), height);
    // the selection stays in view: the window scrolls with it
    let (start, _) = super::widgets::window(rows.len(), selected, shown);
    let lines: Vec<Line<'_>> = if rows.is_empty() {
        vec![Line::from(Span::styled(
            m.t("overview.nothing_urgent"),
            th.ok(),
        ))]
    } else {
        // the first column is as wide as its widest entry, at least 14
        let when_w = rows[start..start + shown]
            .iter()
            .map(|u| {
                let line = urgent_line(m, s, u, usize::MAX, 0);
                line.spans
                    .first()
                    .map_or(0, |sp| sp.width().saturating_sub(1))
            })
            .max()
            .unwrap_or(0)
            .max(14);
        let mut lines: Vec<Line<'_>> = rows[start..start + shown]
            .iter()
            .enumerate()
            .map(|(i, u)| {
                let line = urgent_line(m, s, u, inner_w, when_w);
                if start + i == selected {
                    Line::from(Span::styled(
                        widgets::pad(&line.to_string(), inner_w),
                        th.selected(),
                    ))
                } else {
                    line
                }
            })
            .collect();
        if more > 0 {
            lines.push(Line::from(Span::styled(
                m.lang
                    .fmt("overview.urgent_more", &[("n", &more.to_string())]),
                th.muted(),
            )));
        }
        lines
    };
    let title = m
        .lang
        .fmt("overview.urgent", &[("n", &rows.len().to_string())]);
    f.render_widget(Paragraph::new(lines).block(panel(&title, &th)), area);
}

/// One row of "Most urgent": how late, what kind, what; the "how late" column is
/// `when_w` wide (the widest of the rows shown, so a deadline is never cut: issue 19; 0
/// leaves it unpadded).
fn urgent_line<'a>(
    m: &'a Model,
    s: &Snapshot,
    u: &Urgent,
    width: usize,
    when_w: usize,
) -> Line<'a> {
    let dur = |d| crate::domain::time::duration_text(d, m.lang);
    let th = m.theme();
    let late = |since: chrono::DateTime<chrono::Utc>| {
        m.lang.fmt("esc.overdue_by", &[("d", &dur(m.now - since))])
    };
    let (when, kind, what, style) = match &u.target {
        Target::Escalation(id) => {
            let Some(e) = s.escalations.iter().find(|e| e.id == *id) else {
                return Line::from("");
            };
            let overdue = m.now > e.due;
            let when = if overdue {
                late(e.due)
            } else {
                m.lang.fmt("esc.due_in", &[("d", &dur(e.due - m.now))])
            };
            (
                when,
                m.t(e.kind.label_key()).to_string(),
                crate::domain::escalation::display_title(e, &m.town, m.lang),
                if overdue { th.overdue() } else { th.text() },
            )
        }
        Target::Transport(id) => {
            let Some(t) = s.transports.iter().find(|t| t.id == *id) else {
                return Line::from("");
            };
            (
                m.lang
                    .fmt("overview.urgent_waiting", &[("d", &dur(m.now - u.since))]),
                m.t(t.severity.label_key()).to_string(),
                m.lang.fmt(
                    "overview.urgent_transport",
                    &[
                        ("id", &t.id.to_string()),
                        ("village", &m.town.place_name(&t.village, m.lang)),
                    ],
                ),
                th.critical(),
            )
        }
        Target::Report(code) => (
            late(u.since),
            m.t("overview.urgent_report").to_string(),
            format!("{code} {}", m.town.place_name(code, m.lang)),
            th.warn(),
        ),
    };
    // 0: as it is (to measure it)
    let head = if when_w == 0 {
        format!("{when} ")
    } else {
        format!("{} ", widgets::pad(&when, when_w))
    };
    let kind = format!("[{kind}] ");
    let rest = width.saturating_sub(
        unicode_width::UnicodeWidthStr::width(head.as_str())
            + unicode_width::UnicodeWidthStr::width(kind.as_str()),
    );
    Line::from(vec![
        Span::styled(head, style),
        Span::styled(kind, th.muted()),
        Span::styled(fit(&crate::domain::text::display(&what), rest), style),
    ])
}

fn draw_trips(f: &mut Frame<'_>, m: &Model, s: &Snapshot, area: Rect) {
    let th = m.theme();
    // trips that got a vehicle today (a request cancelled while waiting is not a trip)
    let done_today = crate::domain::fleet_stats::trips_dispatched(&s.transports_today);
    let title = m.lang.fmt(
        "overview.trips",
        &[
            ("open", &s.transports.len().to_string()),
            ("today", &done_today.to_string()),
            (
                "median",
                &crate::domain::fleet_stats::median_response_text(&s.transports_today, m.lang),
            ),
        ],
    );
    let rows: Vec<Vec<Line<'_>>> = s
        .transports
        .iter()
        .map(|t| {
            let sev_style = th.severity(t.severity);
            let since = crate::domain::time::from_db(&t.last_change_at)
                .map(|x| crate::domain::time::duration_text(m.now - x, m.lang))
                .unwrap_or_default();
            vec![
                Line::from(format!("#{}", t.id)),
                Line::from(Span::styled(m.t(t.severity.label_key()), sev_style)),
                Line::from(m.town.place_name(&t.village, m.lang)),
                Line::from(t.vehicle.clone().unwrap_or_else(|| "-".into())),
                Line::from(Span::styled(
                    m.t(t.status.label_key()),
                    if t.status == TripStatus::Requested {
                        th.warn()
                    } else {
                        th.text()
                    },
                )),
                Line::from(Span::styled(since, th.muted())),
            ]
        })
        .collect();
    // sized by content (issue 19: "criti", "waiti" and "en ro" beside a 5-wide number):
    // the number, severity, vehicle and time are never cut, the village and the status are
    let n: [u16; 6] = std::array::from_fn(|i| Col::natural("", rows.iter().map(|r| &r[i])));
    let widths = fit_columns(
        area.width.saturating_sub(2),
        &[
            Col::keep(n[0], n[0]),
            Col::keep(n[1], n[1]),
            Col::keep(n[2], 6),
            Col::whole(n[3], 1),
            Col::keep(n[4], 6),
            Col::keep(n[5], n[5]),
        ],
    );
    let table = widgets::fitted_table(&widths, None, (Vec::new(), th.muted()), rows)
        .block(panel(&title, &th));
    f.render_widget(table, area);
}

fn status_span<'a>(m: &'a Model, st: VehicleStatus) -> Span<'a> {
    Span::styled(m.t(st.label_key()), m.theme().vehicle_status(st))
}

fn draw_availability(f: &mut Frame<'_>, m: &Model, s: &Snapshot, area: Rect) {
    let th = m.theme();
    let rows: Vec<Vec<Line<'_>>> = crate::domain::fleet::availability(&m.town, &s.vehicles)
        .into_iter()
        .take(area.height.saturating_sub(3) as usize)
        .map(|a| {
            let amb_style = if a.free_ambulances == 0 {
                th.overdue()
            } else {
                th.ok()
            };
            vec![
                Line::from(m.town.place_name(&a.village.code, m.lang)),
                Line::from(match a.car {
                    Some(c) => status_span(m, c.status),
                    None => Span::styled("-", th.muted()),
                }),
                Line::from(Span::styled(
                    format!(
                        "{}/{} {}",
                        a.free_ambulances, a.ambulances, a.village.health_center
                    ),
                    amb_style,
                )),
            ]
        })
        .collect();
    let header = vec![
        Line::from(m.t("overview.village")),
        Line::from(m.t("overview.reserve_car")),
        Line::from(m.t("overview.ambulances")),
    ];
    // sized by content (issue 19: "Shiqiao Commu" was cut beside 14 and 11 fixed columns)
    let n: [u16; 3] =
        std::array::from_fn(|i| Col::natural("", rows.iter().map(|r| &r[i]).chain([&header[i]])));
    let widths = fit_columns(
        area.width.saturating_sub(2),
        &[Col::keep(n[0], 8), Col::keep(n[1], 6), Col::keep(n[2], 6)],
    );
    let table = widgets::fitted_table(&widths, None, (header, th.muted()), rows)
        .block(panel(m.t("overview.availability"), &th));
    f.render_widget(table, area);
}

/// A ratio's change in percentage points, signed ("" when unknown).
pub fn ratio_change(d: Option<f64>) -> String {
    d.map(|d| {
        let d = d * 100.0;
        format!("{}{d:.1}%", if d >= 0.0 { "+" } else { "" })
    })
    .unwrap_or_default()
}

/// A figure's label, marked `*` when it is the cumulative count carrying silent villages.
pub fn carried_label(m: &Model, s: &crate::domain::day_summary::DaySummary, fl: Field) -> String {
    if fl == Field::CumulativeInfections && !s.carried_forward.is_empty() {
        format!("{}*", m.t(fl.label_key()))
    } else {
        m.t(fl.label_key()).to_string()
    }
}

/// The Overview screen, for `ui::view`.
pub struct Drawing;

impl super::ScreenView for Drawing {
    fn draw(&self, f: &mut ratatui::Frame<'_>, m: &Model, area: ratatui::layout::Rect) {
        draw(f, m, area);
    }
}
