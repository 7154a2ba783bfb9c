//! The handover: reading what it is compiled from, picking a shift, and signing it over.
//! An unsigned handover is compiled live (open items come back until closed); a signed
//! one is the JSON frozen at signing.

use crate::domain::audit_action::AuditAction;
use chrono::{DateTime, Utc};
use rusqlite::Connection;

use super::escalations::open_escalations;
use super::fleet::{open_transports, vehicles};
use super::reports::daily_report;
use super::shiftlog::{count_entries, handover_row, roster, sign_handover};
use super::{Result, StoreError, Writer};
use crate::domain::handover::{EscalationIn, Handover, Inputs, TripIn, VehicleIn, compile};
use crate::domain::handover_doc::Signature;
use crate::domain::roles::Permission;
use crate::domain::shift::{Duty, SHIFT_LENGTH};
use crate::domain::time::{from_db, local_date, local_instant};
use crate::domain::town::Town;
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
        log_entries: count_entries(conn, shift_start)?,
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

/// Signs the open shift over to the operator, who is the incoming person (proven by their
/// PIN before this is called, where they have one): compiles and freezes the handover,
/// makes the shift read-only, and opens the next shift with its roster. `outgoing` is who
/// handed over, when known (the console's operator); else the shift's duty leader.
///
/// Refused, with nothing changed: a shift that has not started; an incoming person who is
/// not on the staff list, whose role may not sign, or who is a duty officer of the shift
/// being signed over (nobody signs a shift over to themselves). The outgoing duty leader
/// may take over: a leader often covers consecutive days.
pub fn sign(
    w: &mut Writer<'_>,
    town: &Town,
    outgoing: Option<&str>,
) -> Result<(DateTime<Utc>, Handover)> {
    let shift = super::shiftlog::current_shift_start(w.tx, w.ctx.now)?;
    if shift > w.ctx.now {
        return Err(StoreError::Conflict(Msg::new("err.shift_not_started")));
    }
    let incoming = w.ctx.operator.trim().to_string();
    if town.staff_member(&incoming).is_none() && !town.staff.is_empty() {
        return Err(StoreError::NotPermitted(
            Msg::new("shift.err.incoming_unknown").quoted("name", &incoming),
        ));
    }
    // a viewer cannot take over the desk
    w.permit(Permission::SignHandover)?;
    let people = roster(w.tx, shift)?;
    if people
        .iter()
        .any(|(n, d)| *d == Duty::Officer && n.trim() == incoming)
        || worked_it_unplanned(w.tx, town, shift, &people, &incoming)?
    {
        return Err(StoreError::NotPermitted(
            Msg::new("shift.err.incoming_on_shift").quoted("name", &incoming),
        ));
    }
    let outgoing = outgoing
        .map(|o| o.trim().to_string())
        .filter(|o| !o.is_empty() && *o != incoming)
        .or_else(|| {
            people
                .iter()
                .find(|(_, d)| *d == Duty::Leader)
                .map(|(n, _)| n.clone())
        });
    let handover = compile(&inputs(w.tx, town, shift, w.ctx.now)?);
    let json = serde_json::to_value(&handover)
        .map_err(|e| StoreError::Open(Msg::new("err.corrupt_row").arg("what", e.to_string())))?;
    sign_handover(w, shift, &incoming, outgoing.as_deref(), &json)?;
    open_next(w, town, shift, &people, &incoming)?;
    Ok((shift, handover))
}

/// Gives the shift after `shift` its people: as kept if someone already set them, else
/// the plan for its date, else the leader of `shift` (its duty officers hand over); and
/// the incoming person, who has the desk now.
fn open_next(
    w: &mut Writer<'_>,
    town: &Town,
    shift: DateTime<Utc>,
    before: &[(String, Duty)],
    incoming: &str,
) -> Result<()> {
    let next = shift + SHIFT_LENGTH;
    let mut people = roster(w.tx, next)?;
    if people.is_empty() {
        people = super::roster::plan_for(w.tx, local_date(next, town.info.offset))?;
    }
    if people.is_empty() {
        // copied from the shift before: its leader stays, its duty officers hand the
        // desk to the incoming person (added below) rather than piling up shift by shift
        people = before
            .iter()
            .filter(|(_, d)| *d == Duty::Leader)
            .cloned()
            .collect();
    }
    if !incoming.is_empty() && !people.iter().any(|(n, _)| n == incoming) {
        people.push((incoming.to_string(), Duty::Officer));
    }
    // a name since dropped from the staff list is not carried forward
    people.retain(|(n, _)| town.staff.is_empty() || town.staff_member(n).is_some());
    super::roster::fill_shift(w, next, &people)?;
    w.audit(
        AuditAction::RosterOpen,
        &format!("shift:{}", crate::domain::time::to_db(next)),
        serde_json::json!({"people": people.iter().map(|(n, d)| json_person(n, *d)).collect::<Vec<_>>()}),
    )
}

/// True when `incoming` worked `shift` without being on its roster (a desk with nothing
/// planned: whoever wrote their own entries in its log was on duty in it) and is not
/// down for the next shift either: they would be signing the shift over to themselves.
/// The shift's leader may take over, as elsewhere.
fn worked_it_unplanned(
    conn: &Connection,
    town: &Town,
    shift: DateTime<Utc>,
    people: &[(String, Duty)],
    incoming: &str,
) -> Result<bool> {
    if people.iter().any(|(n, _)| n.trim() == incoming) {
        return Ok(false);
    }
    let next = shift + SHIFT_LENGTH;
    let down_next = roster(conn, next)?
        .into_iter()
        .chain(super::roster::plan_for(
            conn,
            local_date(next, town.info.offset),
        )?)
        .any(|(n, _)| n.trim() == incoming);
    if down_next {
        return Ok(false);
    }
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM log_entry
                            WHERE shift_start = ?1 AND author = ?2 AND auto_msg IS NULL)",
        )?
        .query_row(
            rusqlite::params![crate::domain::time::to_db(shift), incoming],
            |r| r.get(0),
        )?)
}

fn json_person(name: &str, duty: Duty) -> serde_json::Value {
    serde_json::json!({"staff": name, "duty": duty.as_str()})
}
