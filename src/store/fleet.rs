//! Vehicles and transports. The guarantee against double-booking lives here: a dispatch
//! is a conditional write (`… WHERE status = 'available'`) inside `BEGIN IMMEDIATE`,
//! backed by unique indexes (one active trip per vehicle, one vehicle per trip).

mod write;

pub use write::{Step, advance_with};
pub use write::{advance, dispatch, dispatch_suggested, request, set_in_service};

use rusqlite::{Connection, OptionalExtension};

use super::Result;
use crate::domain::fleet::{TransportRow, VehicleRow};
use crate::domain::town::VehicleKind;
use crate::domain::transport::{Severity, TripStatus, VehicleStatus};

/// All vehicles, in ledger order.
pub fn vehicles(conn: &Connection) -> Result<Vec<VehicleRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT code, kind, COALESCE(base_hc, base_village), plate, driver, phone, status,
                status_since, status_reason, transport FROM vehicle WHERE retired_at IS NULL ORDER BY seq",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
                r.get::<_, String>(8)?,
                r.get::<_, Option<i64>>(9)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .map(
            |(code, kind, base, plate, driver, phone, status, since, reason, transport)| {
                VehicleRow {
                    code,
                    kind: VehicleKind::parse(&kind).unwrap_or(VehicleKind::ReserveCar),
                    base,
                    plate,
                    driver,
                    phone,
                    status: VehicleStatus::parse(&status).unwrap_or(VehicleStatus::OutOfService),
                    since,
                    reason,
                    transport,
                }
            },
        )
        .collect())
}

const TRANSPORT_COLS: &str =
    "id, requested_at, caller, patient, age, village, severity, destination, note,
    status, vehicle, dispatched_at, en_route_at, on_scene_at, transporting_at, at_destination_at,
    back_in_service_at, cancelled_at, last_change_at, cancel_reason";

fn read_transport(r: &rusqlite::Row<'_>) -> rusqlite::Result<TransportRow> {
    let mut times: [Option<String>; 7] = Default::default();
    for (i, t) in times.iter_mut().enumerate() {
        *t = r.get(11 + i)?;
    }
    Ok(TransportRow {
        id: r.get(0)?,
        requested_at: r.get(1)?,
        caller: r.get(2)?,
        patient: r.get(3)?,
        age: r.get(4)?,
        village: r.get(5)?,
        severity: Severity::parse(&r.get::<_, String>(6)?).unwrap_or(Severity::Critical),
        destination: r.get(7)?,
        note: r.get(8)?,
        status: TripStatus::parse(&r.get::<_, String>(9)?).unwrap_or(TripStatus::Requested),
        vehicle: r.get(10)?,
        times,
        last_change_at: r.get(18)?,
        cancel_reason: r.get(19)?,
    })
}

/// Open transports (waiting or under way), most urgent first.
pub fn open_transports(conn: &Connection) -> Result<Vec<TransportRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {TRANSPORT_COLS} FROM transport
         WHERE status NOT IN ('back_in_service','cancelled')
         ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'severe' THEN 1 ELSE 2 END, requested_at, id"
    ))?;
    let rows = stmt
        .query_map([], read_transport)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The most recent transports of any status, newest first (paged by `limit`).
pub fn recent_transports(conn: &Connection, limit: i64) -> Result<Vec<TransportRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {TRANSPORT_COLS} FROM transport ORDER BY requested_at DESC, id DESC LIMIT ?1"
    ))?;
    let rows = stmt
        .query_map([limit], read_transport)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Hands every transport, newest first ([`recent_transports`]' order), to `f` as it is
/// read, until `f` says stop (false): `transport list --all` written as it goes (issue 18).
pub fn each_transport_newest_first(
    conn: &Connection,
    mut f: impl FnMut(TransportRow) -> bool,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {TRANSPORT_COLS} FROM transport ORDER BY requested_at DESC, id DESC"
    ))?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        if !f(read_transport(r)?) {
            break;
        }
    }
    Ok(())
}

/// Transports requested at or after `since` (stored text), oldest first.
pub fn transports_since(conn: &Connection, since: &str) -> Result<Vec<TransportRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {TRANSPORT_COLS} FROM transport WHERE requested_at >= ?1 ORDER BY requested_at, id"
    ))?;
    let rows = stmt
        .query_map([since], read_transport)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// One transport by id.
pub fn transport(conn: &Connection, id: i64) -> Result<Option<TransportRow>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {TRANSPORT_COLS} FROM transport WHERE id = ?1"
        ))?
        .query_row([id], read_transport)
        .optional()?)
}
