//! The handover: reading what it is compiled from, picking a shift, and signing it over.
//! An unsigned handover is compiled live (open items come back until closed); a signed
//! one is the JSON frozen at signing.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;

use super::escalations::open_escalations;
use super::fleet::{open_transports, vehicles};
use super::reports::daily_report;
use super::shiftlog::{entries, handover_row, roster, set_roster, sign_handover};
use super::town::Town;
use super::{Result, StoreError, Writer};
use crate::domain::handover::{EscalationIn, Handover, Inputs, TripIn, VehicleIn, compile};
use crate::domain::handover_doc::Signature;
use crate::domain::roles::{Permission, check};
use crate::domain::shift::{Duty, SHIFT_LENGTH, shift_start_for};
use crate::domain::time::{from_db, local_date, local_instant};
use crate::domain::transport::VehicleStatus;
use crate::i18n::Msg;

fn instant(s: &str, what: &str) -> Result<DateTime<Utc>> {
    from_db(s)
        .ok_or_else(|| StoreError::Open(Msg::new("err.corrupt_row").arg("what", what.to_string())))
}

/// Reads everything the handover of the shift starting at `shift_start` is compiled from.
pub fn inputs(
    conn: &Connection,
    town: &Town,
    shift_start: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Inputs> {
    let off = town.info.offset;
    let day = local_date(shift_start, off);
    let report = daily_report(conn, town, day)?;
    let escalations = open_escalations(conn)?
        .into_iter()
        .map(|e| {
            Ok(EscalationIn {
                id: e.id,
                kind: e.kind,
                title: e.title,
                subject: e.subject,
                village: e.village,
                place: e.place,
                owner: e.owner,
                due: e.due,
                state: e.state,
                raised_at: instant(&e.raised_at, "escalation.raised_at")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let transports = open_transports(conn)?
        .into_iter()
        .map(|t| {
            Ok(TripIn {
                requested_at: instant(&t.requested_at, "transport.requested_at")?,
                since: instant(&t.last_change_at, "transport.last_change_at")?,
                id: t.id,
                village: t.village,
                patient: t.patient,
                severity: t.severity,
                destination: t.destination,
                status: t.status,
                vehicle: t.vehicle,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let out_of_service = vehicles(conn)?
        .into_iter()
        .filter(|v| v.status == VehicleStatus::OutOfService)
        .map(|v| {
            Ok(VehicleIn {
                since: instant(&v.since, "vehicle.status_since")?,
                code: v.code,
                base: v.base,
                reason: v.reason,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Inputs {
        shift_start,
        shift_end: shift_start + SHIFT_LENGTH,
        now,
        day,
        villages_expected: town.villages.len() as i64,
        missing: report.missing().iter().map(|s| s.to_string()).collect(),
        past_cutoff: now >= local_instant(day, town.info.report_cutoff, off),
        report_signed: report.signed(),
        // like for like and carried (issue 17), as the daily report says it
        totals: report.summary.as_totals().0,
        before: report.summary.as_totals().1,
        escalations,
        transports,
        out_of_service,
        notes: handover_row(conn, shift_start)?
            .map(|h| h.notes)
            .unwrap_or_default(),
        roster: roster(conn, shift_start)?,
        log_entries: entries(conn, shift_start)?.len(),
    })
}

/// A shift's handover as it stands: frozen when signed, compiled live otherwise.
#[derive(Debug, Clone, PartialEq)]
pub struct Filed {
    /// The handover.
    pub handover: Handover,
    /// The sign-over, once done.
    pub signed: Option<Signature>,
    /// The operator who handed over (recorded at signing).
    pub outgoing: Option<String>,
}

/// The handover of the shift starting at `shift_start`, as it would be filed now.
pub fn filed(
    conn: &Connection,
    town: &Town,
    shift_start: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Filed> {
    let row = handover_row(conn, shift_start)?;
    if let Some(row) = &row
        && let (Some(json), Some(by), Some(at)) = (&row.compiled, &row.signed_by, &row.signed_at)
    {
        let handover: Handover = serde_json::from_str(json).map_err(|_| {
            StoreError::Open(Msg::new("err.corrupt_row").arg("what", "handover.compiled"))
        })?;
        return Ok(Filed {
            handover,
            signed: Some(Signature {
                by: by.clone(),
                at: at.clone(),
            }),
            outgoing: row.outgoing.clone(),
        });
    }
    Ok(Filed {
        handover: compile(&inputs(conn, town, shift_start, now)?),
        signed: None,
        outgoing: None,
    })
}

/// Signs the current shift over to `incoming`: compiles and freezes the handover, makes
/// the shift read-only, and puts the incoming officer on the next shift's roster.
pub fn sign(w: &mut Writer<'_>, town: &Town, incoming: &str) -> Result<(DateTime<Utc>, Handover)> {
    let shift = super::shiftlog::current_shift_start(w.tx, w.ctx.now)?;
    if shift > w.ctx.now {
        return Err(StoreError::Conflict(Msg::new("err.shift_not_started")));
    }
    let incoming = incoming.trim();
    // the operator signs it over, and the incoming officer takes it: both under the one
    // policy (a viewer cannot take a shift; nobody off the staff list can)
    w.permit(Permission::SignHandover)?;
    match town.staff_member(incoming) {
        Some(person) => {
            check(person.role, Permission::SignHandover).map_err(StoreError::NotPermitted)?
        }
        None if !town.staff.is_empty() => {
            return Err(StoreError::Invalid(
                Msg::new("err.unknown_staff").arg("name", incoming),
            ));
        }
        None => {}
    }
    let handover = compile(&inputs(w.tx, town, shift, w.ctx.now)?);
    let json = serde_json::to_value(&handover)
        .map_err(|e| StoreError::Open(Msg::new("err.corrupt_row").arg("what", e.to_string())))?;
    sign_handover(w, shift, incoming, &json)?;
    let next = shift + SHIFT_LENGTH;
    if !roster(w.tx, next)?.iter().any(|(n, _)| n == incoming) {
        set_roster(w, next, incoming, Duty::Officer)?;
    }
    Ok((shift, handover))
}

/// The start of the shift that begins on the town's date `date`.
pub fn shift_on(town: &Town, date: NaiveDate) -> DateTime<Utc> {
    local_instant(date, town.info.shift_start, town.info.offset)
}

/// The start of the shift containing `at` (for `--shift` given as any instant in it).
pub fn shift_containing(town: &Town, at: DateTime<Utc>) -> DateTime<Utc> {
    shift_start_for(at, town.info.offset, town.info.shift_start)
}
