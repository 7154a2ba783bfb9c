//! Command-line sessions (`duty-desk login`): the database keeps the SHA-256 of each
//! session's random token with the operator, the OS user and the expiry, so the token
//! file alone proves nothing: logging out or expiring ends it here, and editing the file
//! cannot turn it into another person's session.

use crate::domain::audit_action::AuditAction;
use chrono::{DateTime, Duration, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;

use super::{Result, Writer};
use crate::domain::time::{from_db, to_db};

/// Default session length when the town sets none.
pub const DEFAULT_HOURS: i64 = 12;

/// The town's operator rules: session length in hours and whether every writer needs a PIN.
pub fn rules(conn: &Connection) -> Result<(i64, bool)> {
    let (hours, require_pin): (i64, bool) = conn
        .prepare_cached("SELECT session_hours, require_pin FROM town WHERE id = 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .unwrap_or((DEFAULT_HOURS, false));
    Ok((bounded_hours(hours), require_pin))
}

/// A stored session length held to its range (a hand-edited row cannot make it absurd).
pub fn bounded_hours(hours: i64) -> i64 {
    hours.clamp(1, crate::domain::town::MAX_SESSION_HOURS)
}

/// Who a session belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner<'a> {
    /// The operator (a staff name).
    pub operator: &'a str,
    /// The OS user that opened it (`uid:N`).
    pub os_user: &'a str,
    /// The database it is for (hash of its canonical path).
    pub db_key: &'a str,
}

/// Opens a session for `owner` lasting the town's `session_hours` from the write's
/// instant; returns when it ends. Expired sessions are swept at the same time.
pub fn open(w: &mut Writer<'_>, token_hash: &str, owner: &Owner<'_>) -> Result<DateTime<Utc>> {
    let (hours, _) = rules(w.tx)?;
    let now = w.ctx.now;
    let until = now + Duration::hours(hours);
    w.tx.prepare_cached("DELETE FROM session WHERE expires_at <= ?1")?
        .execute([to_db(now)])?;
    w.tx.prepare_cached(
        "INSERT INTO session (token_hash, operator, os_user, db_key, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        token_hash,
        owner.operator.trim(),
        owner.os_user,
        owner.db_key,
        to_db(now),
        to_db(until)
    ])?;
    w.audit(
        AuditAction::OperatorSessionOpen,
        &format!("staff:{}", owner.operator.trim()),
        json!({ "os_user": owner.os_user, "expires_at": to_db(until) }),
    )?;
    Ok(until)
}

/// The operator of a live session with this token, if it belongs to `os_user` and
/// `db_key` and has not ended at `now`.
pub fn holder(
    conn: &Connection,
    token_hash: &str,
    os_user: &str,
    db_key: &str,
    now: DateTime<Utc>,
) -> Result<Option<(String, DateTime<Utc>)>> {
    let row: Option<(String, String)> = conn
        .prepare_cached(
            "SELECT operator, expires_at FROM session
             WHERE token_hash = ?1 AND os_user = ?2 AND db_key = ?3",
        )?
        .query_row(params![token_hash, os_user, db_key], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    Ok(row.and_then(|(op, until)| from_db(&until).filter(|u| *u > now).map(|u| (op, u))))
}

/// Ends the session with this token (logout); false when there was none.
pub fn close(w: &mut Writer<'_>, token_hash: &str) -> Result<bool> {
    let operator: Option<String> =
        w.tx.prepare_cached("SELECT operator FROM session WHERE token_hash = ?1")?
            .query_row([token_hash], |r| r.get(0))
            .optional()?;
    let Some(operator) = operator else {
        return Ok(false);
    };
    w.tx.prepare_cached("DELETE FROM session WHERE token_hash = ?1")?
        .execute([token_hash])?;
    w.audit(
        AuditAction::OperatorSessionClose,
        &format!("staff:{operator}"),
        json!({}),
    )?;
    Ok(true)
}
