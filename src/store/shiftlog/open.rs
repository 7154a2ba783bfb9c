//! The open shift: which shift everything works on (the earliest started, unsigned one),
//! and the checks that keep changes on it.

use crate::domain::audit_action::AuditAction;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;

use crate::domain::shift::{SHIFT_LENGTH, shift_start_for};
use crate::domain::time::{from_db, parse_hhmm, parse_offset, to_db};
use crate::i18n::Msg;
use crate::store::{Result, StoreError, Writer};

/// The nominal start of the shift containing `now`, from the town's settings.
pub fn nominal_shift_start(conn: &Connection, now: DateTime<Utc>) -> Result<DateTime<Utc>> {
    let (off, start): (String, String) = conn
        .prepare_cached("SELECT utc_offset, shift_start FROM town WHERE id = 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let off = parse_offset(&off).ok_or_else(|| {
        StoreError::Open(Msg::new("err.corrupt_row").arg("what", "town.utc_offset"))
    })?;
    let start = parse_hhmm(&start).ok_or_else(|| {
        StoreError::Open(Msg::new("err.corrupt_row").arg("what", "town.shift_start"))
    })?;
    Ok(shift_start_for(now, off, start))
}

/// True when the shift starting at `start` has been handed over (signed).
pub fn shift_signed(conn: &Connection, start: DateTime<Utc>) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT signed_at IS NOT NULL FROM handover WHERE shift_start = ?1")?
        .query_row([to_db(start)], |r| r.get::<_, bool>(0))
        .optional()?
        .unwrap_or(false))
}

/// The start of the latest signed shift, if any was ever signed over.
pub fn last_signed_shift(conn: &Connection) -> Result<Option<DateTime<Utc>>> {
    let v: Option<String> = conn
        .prepare_cached("SELECT MAX(shift_start) FROM handover WHERE signed_at IS NOT NULL")?
        .query_row([], |r| r.get(0))?;
    Ok(v.and_then(|s| from_db(&s)))
}

/// The first shift the desk kept: the earliest with a log entry, a roster or a handover row.
fn first_kept_shift(conn: &Connection) -> Result<Option<DateTime<Utc>>> {
    let v: Option<String> = conn
        .prepare_cached(
            "SELECT MIN(s) FROM (SELECT MIN(shift_start) AS s FROM log_entry
               UNION ALL SELECT MIN(shift_start) FROM shift_roster
               UNION ALL SELECT MIN(shift_start) FROM handover)",
        )?
        .query_row([], |r| r.get(0))?;
    Ok(v.and_then(|s| from_db(&s)))
}

/// The open shift: the earliest shift that has started and is not signed over. Log entries,
/// roster changes, the handover and the sign-over all work on it whatever the clock says:
/// - after a sign-over it is the next shift (24 h later: dates never skip a day), open at
///   once, even when the sign-over came before its nominal start (an early sign-over
///   hands the desk to the incoming team there and then; its start stays nominal);
/// - before any sign-over it is the first shift the desk kept (`init` marks it), so a
///   shift nobody signed stays open however late it gets;
/// - on a desk with no shift at all yet, the nominal shift containing `now`.
pub fn current_shift_start(conn: &Connection, now: DateTime<Utc>) -> Result<DateTime<Utc>> {
    if let Some(last) = last_signed_shift(conn)? {
        return Ok(last + SHIFT_LENGTH);
    }
    match first_kept_shift(conn)? {
        Some(first) => Ok(first),
        None => nominal_shift_start(conn, now),
    }
}

/// Marks the shift containing `w.ctx.now` as the desk's first (an empty handover row), so
/// the open shift is known from `init` on even before anything is written in it.
pub fn open_first_shift(w: &mut Writer<'_>) -> Result<DateTime<Utc>> {
    let start = current_shift_start(w.tx, w.ctx.now)?;
    w.tx.execute(
        "INSERT INTO handover (shift_start) VALUES (?1) ON CONFLICT (shift_start) DO NOTHING",
        [to_db(start)],
    )?;
    w.audit(
        AuditAction::ShiftOpen,
        &format!("shift:{}", to_db(start)),
        json!({}),
    )?;
    Ok(start)
}

/// For a desk built from back-dated events (the demo): files the open shift's entries
/// timed before its start under the nominal shifts they happened in, so that history reads
/// as it happened. Only before the first sign-over; returns how many were moved.
pub fn file_earlier_entries(w: &mut Writer<'_>) -> Result<usize> {
    if last_signed_shift(w.tx)?.is_some() {
        return Err(StoreError::Conflict(Msg::new("err.shift_signed")));
    }
    let open = current_shift_start(w.tx, w.ctx.now)?;
    let early: Vec<(i64, String)> =
        w.tx.prepare_cached("SELECT id, at FROM log_entry WHERE shift_start = ?1 AND at < ?1")?
            .query_map([to_db(open)], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
    for (id, at) in &early {
        let Some(at) = from_db(at) else { continue };
        let start = nominal_shift_start(w.tx, at)?;
        w.tx.prepare_cached("UPDATE log_entry SET shift_start = ?2 WHERE id = ?1")?
            .execute(params![id, to_db(start)])?;
    }
    w.audit(
        AuditAction::ShiftFileEarlier,
        &format!("shift:{}", to_db(open)),
        json!({"moved": early.len()}),
    )?;
    Ok(early.len())
}

/// Refuses a change to a shift that is not the open one: signed (read-only) or past.
pub fn require_open(
    conn: &Connection,
    shift_start: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<()> {
    if shift_signed(conn, shift_start)? {
        return Err(StoreError::Conflict(Msg::new("err.shift_signed")));
    }
    if shift_start != current_shift_start(conn, now)? {
        return Err(StoreError::Conflict(Msg::new("shift.err.not_open")));
    }
    Ok(())
}
