//! Vehicles and transports. The guarantee against double-booking lives here: a dispatch
//! is a conditional write (`… WHERE status = 'available'`) inside `BEGIN IMMEDIATE`,
//! backed by unique indexes (one active trip per vehicle, one vehicle per trip).

use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;

use super::shiftlog::log_auto;
use super::town::Town;
use super::{Result, StoreError, Writer};
use crate::domain::shift::LogCategory;
use crate::domain::town::VehicleKind;
use crate::domain::transport::{Severity, TripStatus, VehicleStatus};
use crate::i18n::Msg;

/// One vehicle as the board shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct VehicleRow {
    /// Code.
    pub code: String,
    /// Ambulance or reserve car.
    pub kind: VehicleKind,
    /// Base (health center or village code).
    pub base: String,
    /// Plate.
    pub plate: String,
    /// Driver.
    pub driver: String,
    /// Driver's phone.
    pub phone: String,
    /// Status.
    pub status: VehicleStatus,
    /// Since when (stored text).
    pub since: String,
    /// Why it is out of service.
    pub reason: String,
    /// The trip it is on.
    pub transport: Option<i64>,
}

/// All vehicles, in ledger order.
pub fn vehicles(conn: &Connection) -> Result<Vec<VehicleRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT code, kind, COALESCE(base_hc, base_village), plate, driver, phone, status,
                status_since, status_reason, transport FROM vehicle ORDER BY seq",
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

/// The timestamps of a trip's steps, in [`TripStatus::ALL`] order from `Dispatched`.
pub const STEP_COLUMNS: [(TripStatus, &str); 7] = [
    (TripStatus::Dispatched, "dispatched_at"),
    (TripStatus::EnRoute, "en_route_at"),
    (TripStatus::OnScene, "on_scene_at"),
    (TripStatus::Transporting, "transporting_at"),
    (TripStatus::AtDestination, "at_destination_at"),
    (TripStatus::BackInService, "back_in_service_at"),
    (TripStatus::Cancelled, "cancelled_at"),
];

/// One transport request / trip.
#[derive(Debug, Clone, PartialEq)]
pub struct TransportRow {
    /// Id.
    pub id: i64,
    /// When it was asked for.
    pub requested_at: String,
    /// Who asked.
    pub caller: String,
    /// Patient's name.
    pub patient: String,
    /// Patient's age.
    pub age: Option<i64>,
    /// Village code.
    pub village: String,
    /// Severity.
    pub severity: Severity,
    /// Destination code.
    pub destination: String,
    /// Note.
    pub note: String,
    /// Status.
    pub status: TripStatus,
    /// Assigned vehicle.
    pub vehicle: Option<String>,
    /// Step times, as [`STEP_COLUMNS`].
    pub times: [Option<String>; 7],
    /// The last step's time.
    pub last_change_at: String,
}

impl TransportRow {
    /// The time of one step.
    pub fn time_of(&self, s: TripStatus) -> Option<&str> {
        STEP_COLUMNS
            .iter()
            .position(|(st, _)| *st == s)
            .and_then(|i| self.times[i].as_deref())
    }
}

const TRANSPORT_COLS: &str =
    "id, requested_at, caller, patient, age, village, severity, destination, note,
    status, vehicle, dispatched_at, en_route_at, on_scene_at, transporting_at, at_destination_at,
    back_in_service_at, cancelled_at, last_change_at";

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

/// A new transport request as entered.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NewRequest {
    /// Who asked (village doctor, family…).
    pub caller: String,
    /// Patient's name.
    pub patient: String,
    /// Patient's age.
    pub age: Option<i64>,
    /// Village code or exact name.
    pub village: String,
    /// `critical`, `severe` or `stable`.
    pub severity: String,
    /// Destination: a health center or hospital code (or exact name).
    pub destination: String,
    /// Note.
    pub note: String,
}

/// Checks a request against the town; every problem with its field.
pub fn check_request(
    town: &Town,
    req: &NewRequest,
) -> std::result::Result<(String, Severity, String), Vec<Msg>> {
    let mut problems = Vec::new();
    if req.patient.trim().is_empty() {
        problems.push(Msg::new("err.required").context("patient"));
    }
    let village = town.village(&req.village).map(|v| v.code.clone());
    if req.village.trim().is_empty() {
        problems.push(Msg::new("err.required").context("village"));
    } else if village.is_none() {
        problems.push(
            Msg::new("err.unknown_village")
                .arg("value", req.village.trim())
                .context("village"),
        );
    }
    let severity = Severity::parse(&req.severity);
    if severity.is_none() {
        problems.push(
            Msg::new("err.bad_severity")
                .arg("value", req.severity.trim())
                .context("severity"),
        );
    }
    let dest = req.destination.trim();
    let destination = town
        .health_centers
        .iter()
        .find(|h| h.code == dest || h.name == dest || (!h.name_en.is_empty() && h.name_en == dest))
        .map(|h| h.code.clone())
        .or_else(|| {
            town.hospitals
                .iter()
                .find(|h| {
                    h.code == dest || h.name == dest || (!h.name_en.is_empty() && h.name_en == dest)
                })
                .map(|h| h.code.clone())
        });
    if destination.is_none() {
        problems.push(
            Msg::new("err.unknown_destination")
                .arg("value", dest)
                .context("to"),
        );
    }
    if let Some(a) = req.age
        && !(0..=130).contains(&a)
    {
        problems.push(Msg::new("err.bad_age").arg("value", a).context("age"));
    }
    match (village, severity, destination) {
        (Some(v), Some(s), Some(d)) if problems.is_empty() => Ok((v, s, d)),
        _ => Err(problems),
    }
}

/// Records a new transport request; returns its id.
pub fn request(w: &mut Writer<'_>, town: &Town, req: &NewRequest) -> Result<i64> {
    let (village, severity, destination) = check_request(town, req).map_err(|mut p| {
        // the first problem is enough for the store; callers that want all call check_request
        StoreError::Invalid(p.remove(0))
    })?;
    let now = w.now_db();
    w.tx.prepare_cached(
        "INSERT INTO transport (requested_at, caller, patient, age, village, severity, destination,
           note, last_change_at, created_by) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?1,?9)",
    )?
    .execute(params![
        now,
        req.caller.trim(),
        req.patient.trim(),
        req.age,
        village,
        severity.as_str(),
        destination,
        req.note.trim(),
        w.ctx.operator
    ])?;
    let id = w.tx.last_insert_rowid();
    w.audit(
        "transport.request",
        &format!("transport:{id}"),
        json!({"village": village, "severity": severity.as_str(), "destination": destination}),
    )?;
    log_auto(
        w,
        LogCategory::Dispatch,
        Msg::new("log.auto.transport_requested")
            .arg("id", id)
            .arg("severity", severity.as_str())
            .arg("village", &village)
            .arg("destination", &destination),
    )?;
    Ok(id)
}

/// Assigns a free vehicle to a waiting request. Loses cleanly (a `Conflict`) when another
/// operator took the vehicle or the request first.
pub fn dispatch(w: &mut Writer<'_>, id: i64, vehicle: &str) -> Result<()> {
    let t = transport(w.tx, id)?
        .ok_or_else(|| StoreError::Invalid(Msg::new("err.no_transport").arg("id", id)))?;
    if t.status != TripStatus::Requested {
        return Err(StoreError::Conflict(
            Msg::new("err.not_waiting")
                .arg("id", id)
                .arg("status", t.status.as_str()),
        ));
    }
    let exists: Option<String> =
        w.tx.prepare_cached("SELECT status FROM vehicle WHERE code = ?1")?
            .query_row([vehicle], |r| r.get(0))
            .optional()?;
    let Some(status) = exists else {
        return Err(StoreError::Invalid(
            Msg::new("err.unknown_vehicle").arg("vehicle", vehicle),
        ));
    };
    let now = w.now_db();
    let taken = w.tx.prepare_cached(
        "UPDATE vehicle SET status = 'dispatched', status_since = ?2, status_reason = '', transport = ?3
         WHERE code = ?1 AND status = 'available' AND transport IS NULL",
    )?
    .execute(params![vehicle, now, id])?;
    if taken == 0 {
        return Err(StoreError::Conflict(
            Msg::new("err.vehicle_not_free")
                .arg("vehicle", vehicle)
                .arg("status", status),
        ));
    }
    let updated = w.tx.prepare_cached(
        "UPDATE transport SET status = 'dispatched', vehicle = ?2, dispatched_at = ?3, last_change_at = ?3
         WHERE id = ?1 AND status = 'requested'",
    )?
    .execute(params![id, vehicle, now])?;
    if updated == 0 {
        return Err(StoreError::Conflict(
            Msg::new("err.not_waiting").arg("id", id).arg("status", "?"),
        ));
    }
    w.audit(
        "transport.dispatch",
        &format!("transport:{id}"),
        json!({"vehicle": vehicle}),
    )?;
    log_auto(
        w,
        LogCategory::Dispatch,
        Msg::new("log.auto.dispatched")
            .arg("id", id)
            .arg("vehicle", vehicle)
            .arg("village", &t.village),
    )?;
    Ok(())
}

/// Dispatches the suggested vehicle, choosing it inside the write transaction so that two
/// dispatchers asking for "the suggestion" at the same moment get different vehicles.
pub fn dispatch_suggested(w: &mut Writer<'_>, town: &Town, id: i64) -> Result<String> {
    let t = transport(w.tx, id)?
        .ok_or_else(|| StoreError::Invalid(Msg::new("err.no_transport").arg("id", id)))?;
    if t.status != TripStatus::Requested {
        return Err(StoreError::Conflict(
            Msg::new("err.not_waiting")
                .arg("id", id)
                .arg("status", t.status.as_str()),
        ));
    }
    let board = vehicles(w.tx)?;
    let s = crate::domain::dispatch::suggestion_for(town, &t, &board)
        .ok_or_else(|| StoreError::Conflict(Msg::new("err.no_free_vehicle")))?;
    dispatch(w, id, &s.vehicle)?;
    Ok(s.vehicle)
}

/// Moves a trip one step along its chain; the vehicle follows.
pub fn advance(w: &mut Writer<'_>, id: i64, to: TripStatus) -> Result<()> {
    let t = transport(w.tx, id)?
        .ok_or_else(|| StoreError::Invalid(Msg::new("err.no_transport").arg("id", id)))?;
    t.status.check_step(to).map_err(StoreError::Conflict)?;
    let now = w.now_db();
    let col = STEP_COLUMNS
        .iter()
        .find(|(s, _)| *s == to)
        .map(|(_, c)| *c)
        .ok_or_else(|| StoreError::Invalid(Msg::new("err.bad_status").arg("value", to.as_str())))?;
    // `col` comes from the fixed STEP_COLUMNS table, never from input
    let changed = w.tx.execute(
        &format!(
            "UPDATE transport SET status = ?2, {col} = ?3, last_change_at = ?3 WHERE id = ?1 AND status = ?4"
        ),
        params![id, to.as_str(), now, t.status.as_str()],
    )?;
    if changed == 0 {
        return Err(StoreError::Conflict(
            Msg::new("err.changed_meanwhile").arg("id", id),
        ));
    }
    if let Some(v) = &t.vehicle {
        if to.holds_vehicle() {
            w.tx.prepare_cached(
                "UPDATE vehicle SET status = ?2, status_since = ?3 WHERE code = ?1 AND transport = ?4",
            )?
            .execute(params![v, to.as_str(), now, id])?;
        } else {
            w.tx.prepare_cached(
                "UPDATE vehicle SET status = 'available', status_since = ?2, transport = NULL
                 WHERE code = ?1 AND transport = ?3",
            )?
            .execute(params![v, now, id])?;
        }
    }
    w.audit(
        "transport.advance",
        &format!("transport:{id}"),
        json!({"from": t.status.as_str(), "to": to.as_str(), "vehicle": t.vehicle}),
    )?;
    log_auto(
        w,
        LogCategory::Dispatch,
        Msg::new("log.auto.trip_step")
            .arg("id", id)
            .arg("status", to.as_str())
            .arg("vehicle", t.vehicle.as_deref().unwrap_or("-")),
    )?;
    Ok(())
}

/// Takes a free vehicle out of service (or brings one back), with a reason.
pub fn set_in_service(
    w: &mut Writer<'_>,
    code: &str,
    in_service: bool,
    reason: &str,
) -> Result<()> {
    if reason.trim().is_empty() {
        return Err(StoreError::Invalid(Msg::new("err.reason_required")));
    }
    let status: String = w
        .tx
        .prepare_cached("SELECT status FROM vehicle WHERE code = ?1")?
        .query_row([code], |r| r.get(0))
        .optional()?
        .ok_or_else(|| StoreError::Invalid(Msg::new("err.unknown_vehicle").arg("vehicle", code)))?;
    let (from, to) = if in_service {
        ("out_of_service", "available")
    } else {
        ("available", "out_of_service")
    };
    if status != from {
        return Err(StoreError::Conflict(
            Msg::new("err.vehicle_status")
                .arg("vehicle", code)
                .arg("status", status),
        ));
    }
    w.tx.prepare_cached(
        "UPDATE vehicle SET status = ?2, status_since = ?3, status_reason = ?4 WHERE code = ?1 AND status = ?5",
    )?
    .execute(params![code, to, w.now_db(), if in_service { "" } else { reason.trim() }, from])?;
    w.audit(
        if in_service {
            "vehicle.in_service"
        } else {
            "vehicle.out_of_service"
        },
        &format!("vehicle:{code}"),
        json!({"reason": reason.trim()}),
    )?;
    log_auto(
        w,
        LogCategory::Dispatch,
        Msg::new(if in_service {
            "log.auto.vehicle_back"
        } else {
            "log.auto.vehicle_out"
        })
        .arg("vehicle", code)
        .arg("reason", reason.trim()),
    )?;
    Ok(())
}
