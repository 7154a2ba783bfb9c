//! Screen 4, Fleet & dispatch: the vehicle board and the request queue.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Row, Table, TableState};

use super::widgets::panel;
use crate::app::{Model, Screen};
use crate::domain::time::{from_db, short_duration};
use crate::domain::transport::{Severity, TripStatus, VehicleStatus};

/// Draws the Fleet & dispatch screen.
pub fn draw(f: &mut Frame<'_>, m: &Model, area: Rect) {
    let Some(s) = m.snapshot.as_deref() else {
        return;
    };
    let th = m.theme();
    let n_req = s.transports.len() as u16;
    let [queue, board] = Layout::vertical([
        Constraint::Length(n_req.clamp(1, 8) + 3),
        Constraint::Min(4),
    ])
    .areas(area);

    let rows: Vec<Row<'_>> = s
        .transports
        .iter()
        .map(|t| {
            let waited = from_db(&t.requested_at)
                .map(|x| short_duration(m.now - x))
                .unwrap_or_default();
            let sev = match t.severity {
                Severity::Critical => th.critical(),
                Severity::Severe => th.overdue(),
                Severity::Stable => th.text(),
            };
            Row::new(vec![
                Line::from(format!("#{}", t.id)),
                Line::from(Span::styled(m.t(t.severity.label_key()), sev)),
                Line::from(m.town.place_name(&t.village, m.lang)),
                Line::from(t.patient.clone()),
                Line::from(m.town.place_name(&t.destination, m.lang)),
                Line::from(Span::styled(
                    m.t(t.status.label_key()),
                    if t.status == TripStatus::Requested {
                        th.warn()
                    } else {
                        th.text()
                    },
                )),
                Line::from(t.vehicle.clone().unwrap_or_else(|| "-".into())),
                Line::from(Span::styled(waited, th.muted())),
            ])
        })
        .collect();
    let header = Row::new(vec![
        Line::from("#"),
        Line::from(m.t("fleet.col_severity")),
        Line::from(m.t("fleet.col_village")),
        Line::from(m.t("fleet.col_patient")),
        Line::from(m.t("fleet.col_destination")),
        Line::from(m.t("fleet.col_status")),
        Line::from(m.t("fleet.col_vehicle")),
        Line::from(m.t("fleet.col_waited")),
    ])
    .style(th.muted());
    let table = Table::new(
        rows,
        [
            Constraint::Length(5),
            Constraint::Length(6),
            Constraint::Length(12),
            Constraint::Length(10),
            Constraint::Min(12),
            Constraint::Length(10),
            Constraint::Length(6),
            Constraint::Length(7),
        ],
    )
    .header(header)
    .block(panel(m.t("fleet.requests"), &th));
    f.render_widget(table, queue);

    let rows: Vec<Row<'_>> = s
        .vehicles
        .iter()
        .map(|v| {
            let style = match v.status {
                VehicleStatus::Available => th.ok(),
                VehicleStatus::OutOfService => th.overdue(),
                VehicleStatus::OnTrip(_) => th.warn(),
            };
            let since = from_db(&v.since)
                .map(|x| short_duration(m.now - x))
                .unwrap_or_default();
            Row::new(vec![
                Line::from(v.code.clone()),
                Line::from(m.t(match v.kind {
                    crate::domain::town::VehicleKind::Ambulance => "fleet.ambulance",
                    crate::domain::town::VehicleKind::ReserveCar => "fleet.reserve_car",
                })),
                Line::from(m.town.place_name(&v.base, m.lang)),
                Line::from(Span::styled(m.t(v.status.label_key()), style)),
                Line::from(Span::styled(since, th.muted())),
                Line::from(v.driver.clone()),
                Line::from(v.phone.clone()),
                Line::from(
                    v.transport
                        .map(|t| format!("#{t}"))
                        .unwrap_or_else(|| v.reason.clone()),
                ),
            ])
        })
        .collect();
    let header = Row::new(vec![
        Line::from(m.t("fleet.col_code")),
        Line::from(m.t("fleet.col_kind")),
        Line::from(m.t("fleet.col_base")),
        Line::from(m.t("fleet.col_status")),
        Line::from(m.t("fleet.col_since")),
        Line::from(m.t("fleet.col_driver")),
        Line::from(m.t("fleet.col_phone")),
        Line::from(m.t("fleet.col_trip")),
    ])
    .style(th.muted());
    let table = Table::new(
        rows,
        [
            Constraint::Length(6),
            Constraint::Length(10),
            Constraint::Min(12),
            Constraint::Length(10),
            Constraint::Length(7),
            Constraint::Length(8),
            Constraint::Length(12),
            Constraint::Min(6),
        ],
    )
    .header(header)
    .row_highlight_style(th.selected())
    .block(panel(m.t("fleet.board"), &th));
    let mut state = TableState::default().with_selected(Some(m.selected[Screen::Fleet.index()]));
    f.render_stateful_widget(table, board, &mut state);
}
