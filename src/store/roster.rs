//! The roster plan: who is on duty on which day. A shift takes its roster from the plan
//! for its date when it opens, else from the shift before it (see `handover::sign`).

use crate::domain::audit_action::AuditAction;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, params};
use serde_json::json;

use super::shiftlog::{current_shift_start, handover_row, roster};
use super::{Result, StoreError, Writer};
use crate::domain::roles::Permission;
use crate::domain::roster::{PlanDay, check};
use crate::domain::shift::Duty;
use crate::domain::time::{local_date, local_instant, to_db};
use crate::domain::town::Town;
use crate::i18n::Msg;

/// The plan for one date: (name, duty), the leader first.
pub fn plan_for(conn: &Connection, date: NaiveDate) -> Result<Vec<(String, Duty)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT staff, duty FROM roster_plan WHERE date = ?1 ORDER BY duty = 'officer', seq",
    )?;
    let rows = stmt
        .query_map([date.to_string()], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .filter_map(|(n, d)| Duty::parse(&d).map(|d| (n, d)))
        .collect())
}

/// The people of a roster as (name, duty) rows, the leader first.
pub fn rows_of(day: &PlanDay) -> Vec<(String, Duty)> {
    std::iter::once((day.leader.trim().to_string(), Duty::Leader))
        .chain(
            day.officers
                .iter()
                .map(|o| (o.trim().to_string(), Duty::Officer)),
        )
        .collect()
}

/// Replaces the people of `shift` (the open one, opening or being planned) with `people`.
pub(crate) fn fill_shift(
    w: &mut Writer<'_>,
    shift: DateTime<Utc>,
    people: &[(String, Duty)],
) -> Result<()> {
    w.tx.execute(
        "DELETE FROM shift_roster WHERE shift_start = ?1",
        [to_db(shift)],
    )?;
    for (name, duty) in people {
        w.tx.prepare_cached(
            "INSERT INTO shift_roster (shift_start, staff, duty) VALUES (?1, ?2, ?3)
             ON CONFLICT (shift_start, staff) DO UPDATE SET duty = excluded.duty",
        )?
        .execute(params![to_db(shift), name, duty.as_str()])?;
    }
    Ok(())
}

fn set_one(w: &mut Writer<'_>, town: &Town, day: &PlanDay) -> Result<()> {
    let role = |n: &str| town.staff_member(n).map(|s| s.role);
    if let Some((column, msg)) = check(day, &role).into_iter().next() {
        return Err(StoreError::Invalid(msg.context(column)));
    }
    let open = current_shift_start(w.tx, w.ctx.now)?;
    let off = town.info.offset;
    let open_date = local_date(open, off);
    // what is signed is history; the open shift and the days after it can be planned
    if day.date < open_date {
        return Err(StoreError::Conflict(
            Msg::new("roster.err.past").arg("date", day.date),
        ));
    }
    let people = rows_of(day);
    w.tx.execute(
        "DELETE FROM roster_plan WHERE date = ?1",
        [day.date.to_string()],
    )?;
    for (i, (name, duty)) in people.iter().enumerate() {
        w.tx.prepare_cached(
            "INSERT INTO roster_plan (date, staff, duty, seq) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![day.date.to_string(), name, duty.as_str(), i as i64])?;
    }
    // the open shift's own date: its people change now too
    if day.date == open_date {
        fill_shift(w, open, &people)?;
    }
    w.audit(
        AuditAction::RosterPlan,
        &format!("roster:{}", day.date),
        json!({"leader": day.leader.trim(), "officers": day.officers}),
    )
}

/// Sets the plan of one day (`roster set`): a leader and officers on the staff list.
pub fn set_plan(w: &mut Writer<'_>, town: &Town, day: &PlanDay) -> Result<()> {
    w.permit(Permission::PlanRoster)?;
    set_one(w, town, day)
}

/// Sets the plan of many days in one transaction (`roster import`): all or nothing.
pub fn import(w: &mut Writer<'_>, town: &Town, days: &[PlanDay]) -> Result<usize> {
    w.permit(Permission::PlanRoster)?;
    for d in days {
        set_one(w, town, d)?;
    }
    Ok(days.len())
}

/// One day of `roster show`: the shift's people as planned or as kept, and its sign-over.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RosterDay {
    /// The town's date.
    pub date: NaiveDate,
    /// When its shift starts (RFC 3339, UTC).
    pub start: String,
    /// Its duty leader.
    pub leader: Option<String>,
    /// Its duty officers.
    pub officers: Vec<String>,
    /// Who took it over, once signed.
    pub signed_by: Option<String>,
    /// When.
    pub signed_at: Option<String>,
}

/// The roster of every date from `from` to `to`: a shift that opened shows its people as
/// kept, a later one its plan (empty when nothing is planned: no day is skipped).
pub fn show(
    conn: &Connection,
    town: &Town,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<RosterDay>> {
    let mut out = Vec::new();
    let mut date = from;
    while date <= to {
        let start = local_instant(date, town.info.shift_start, town.info.offset);
        let mut people = roster(conn, start)?;
        if people.is_empty() {
            people = plan_for(conn, date)?;
        }
        let signed = handover_row(conn, start)?.filter(|h| h.signed_at.is_some());
        out.push(RosterDay {
            date,
            start: to_db(start),
            leader: people
                .iter()
                .find(|(_, d)| *d == Duty::Leader)
                .map(|(n, _)| n.clone()),
            officers: people
                .iter()
                .filter(|(_, d)| *d == Duty::Officer)
                .map(|(n, _)| n.clone())
                .collect(),
            signed_by: signed.as_ref().and_then(|h| h.signed_by.clone()),
            signed_at: signed.and_then(|h| h.signed_at),
        });
        let Some(next) = date.succ_opt() else { break };
        date = next;
    }
    Ok(out)
}
