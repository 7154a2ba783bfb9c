//! The fleet's writes: requests, dispatch (the conditional write that never double-books),
//! trip steps and out-of-service. Each runs inside the caller's `BEGIN IMMEDIATE`.

use crate::domain::audit_action::AuditAction;
use rusqlite::{OptionalExtension, params};
use serde_json::json;

use super::{transport, vehicles};
use crate::domain::fleet::{NewRequest, STEP_COLUMNS, TransportRow, check_request};
use crate::domain::roles::Permission;
use crate::domain::shift::LogCategory;
use crate::domain::town::Town;
use crate::domain::transport::TripStatus;
use crate::i18n::Msg;
use crate::store::shiftlog::log_auto;
use crate::store::{Result, StoreError, Writer};

/// Records a new transport request; returns its id.
pub fn request(w: &mut Writer<'_>, town: &Town, req: &NewRequest) -> Result<i64> {
    w.permit(Permission::RequestTransport)?;
    // people-typed text is stored without control characters (issue 12)
    let req = &NewRequest {
        caller: crate::domain::text::entry(&req.caller).into_owned(),
        patient: crate::domain::text::entry(&req.patient).into_owned(),
        note: crate::domain::text::entry(&req.note).into_owned(),
        ..req.clone()
    };
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
        AuditAction::TransportRequest,
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
    w.permit(Permission::Dispatch)?;
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
        w.tx.prepare_cached("SELECT status FROM vehicle WHERE code = ?1 AND retired_at IS NULL")?
            .query_row([vehicle], |r| r.get(0))
            .optional()?;
    let Some(status) = exists else {
        return Err(StoreError::Invalid(
            Msg::new("err.unknown_vehicle").arg("vehicle", vehicle),
        ));
    };
    not_before_last_step(w, &t)?;
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
        AuditAction::TransportDispatch,
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
    w.permit(Permission::Dispatch)?;
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
    // the whole waiting queue chooses, most severe first, as the console shows it
    let queue = super::open_transports(w.tx)?;
    let s = crate::domain::dispatch::suggestion_for(town, &t, &queue, &board)
        .ok_or_else(|| StoreError::Conflict(Msg::new("err.no_free_vehicle")))?;
    dispatch(w, id, &s.vehicle)?;
    Ok(s.vehicle)
}

/// Moves a trip one step along its chain; the vehicle follows.
pub fn advance(w: &mut Writer<'_>, id: i64, to: TripStatus) -> Result<()> {
    advance_with(w, id, to, &Step::default())
}

/// What the dispatcher said about a step besides its status (issue 19, item 5).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Step {
    /// When it really happened ("arrived 10 minutes ago"); `None`: now.
    pub at: Option<chrono::DateTime<chrono::Utc>>,
    /// Why a request or trip is called off (kept with it and in its audit row).
    pub reason: Option<String>,
}

/// [`advance`] at a stated time, with a reason for a cancellation. The time may not be
/// before the trip's previous step nor after the write's own time.
pub fn advance_with(w: &mut Writer<'_>, id: i64, to: TripStatus, step: &Step) -> Result<()> {
    w.permit(Permission::Dispatch)?;
    let t = transport(w.tx, id)?
        .ok_or_else(|| StoreError::Invalid(Msg::new("err.no_transport").arg("id", id)))?;
    t.status.check_step(to).map_err(StoreError::Conflict)?;
    not_before_last_step(w, &t)?;
    let now = match step.at {
        None => w.now_db(),
        Some(at) => stated_time(w, &t, at)?,
    };
    let reason = step
        .reason
        .as_deref()
        .map(|r| crate::domain::text::entry(r).trim().to_string())
        .filter(|r| !r.is_empty());
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
    if to == TripStatus::Cancelled && reason.is_some() {
        w.tx.prepare_cached("UPDATE transport SET cancel_reason = ?2 WHERE id = ?1")?
            .execute(params![id, reason])?;
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
        AuditAction::TransportAdvance,
        &format!("transport:{id}"),
        json!({
            "from": t.status.as_str(),
            "to": to.as_str(),
            "vehicle": t.vehicle,
            "at": step.at.map(|_| now.clone()),
            "reason": reason,
        }),
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

/// A stated step time as stored text: refused when it is before the trip's previous step
/// (or its request) or after the write's own time (the future).
fn stated_time(
    w: &Writer<'_>,
    t: &TransportRow,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<String> {
    let at_db = crate::domain::time::to_db(at);
    if at > w.ctx.now {
        return Err(StoreError::Invalid(
            Msg::new("fleet.at.future").arg("at", &at_db),
        ));
    }
    if let Some(previous) = crate::domain::time::from_db(&t.last_change_at)
        && at < previous
    {
        return Err(StoreError::Invalid(
            Msg::new("fleet.at.before")
                .arg("at", &at_db)
                .arg("previous", &t.last_change_at),
        ));
    }
    Ok(at_db)
}

/// Refuses (exit 2) a step stamped earlier than the trip's previous step (or its request):
/// a trip's times always run forwards, so no response time is ever negative. Writes from
/// the command line and the console never trip it (their time is never earlier than the
/// newest audit time, see `Store::use_clock`); a write at an explicit earlier instant does.
fn not_before_last_step(w: &Writer<'_>, t: &TransportRow) -> Result<()> {
    let Some(previous) = crate::domain::time::from_db(&t.last_change_at) else {
        return Ok(());
    };
    if w.ctx.now < previous {
        return Err(StoreError::Invalid(
            Msg::new("open.step_too_early")
                .arg("id", t.id)
                .arg("at", w.now_db())
                .arg("previous", &t.last_change_at),
        ));
    }
    Ok(())
}

/// Takes a free vehicle out of service (or brings one back), with a reason.
pub fn set_in_service(
    w: &mut Writer<'_>,
    code: &str,
    in_service: bool,
    reason: &str,
) -> Result<()> {
    w.permit(Permission::VehicleService)?;
    let cleaned = crate::domain::text::entry(reason);
    let reason = cleaned.as_ref();
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
            AuditAction::VehicleInService
        } else {
            AuditAction::VehicleOutOfService
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
