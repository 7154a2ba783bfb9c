//! The audit log read back: the hash chain checked (`audit verify`, the console's banner)
//! and the rows listed with filters (`audit list`, the supervision view).
//!
//! What the chain can and cannot show: anyone who can write the database file with
//! sqlite3 can change it; the chain makes an edited, deleted or inserted row (and a
//! dropped guard trigger) visible unless the writer also recomputes every later hash,
//! which needs no secret. The newest rows can be removed without a trace in the chain
//! (a running console notices, [`check_from`] re-reads the last row it checked);
//! `audit verify` prints the newest row's hash so a supervisor can note it and compare.

use crate::domain::audit_action::AuditAction;
use rusqlite::{Connection, OptionalExtension, Transaction, params};

#[cfg(doc)]
use super::Writer;
use super::{Ctx, Result};
use crate::domain::audit_chain::AuditRow;
use crate::domain::audit_chain::{Break, Link, Walker};

/// The triggers that keep the audit log append-only and signed days and shifts fixed;
/// `audit verify` checks each is still there and still refuses.
pub const GUARD_TRIGGERS: [&str; 10] = [
    "audit_no_update",
    "audit_no_delete",
    "daily_report_signed_insert",
    "daily_report_signed_update",
    "daily_report_signed_delete",
    "log_entry_signed_insert",
    "log_entry_signed_update",
    "log_entry_signed_delete",
    "handover_signed_update",
    "handover_signed_delete",
];

const AUDIT_NO_UPDATE: &str = "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'duty-desk: audit log is append-only'); END;";

/// Migration hook: hashes the rows written before the chain existed (in id order, in the
/// migration's transaction) and puts back the append-only trigger the migration dropped.
pub(super) fn chain_existing(tx: &Transaction<'_>) -> rusqlite_migration::HookResult {
    let mut walker_hash = String::new();
    {
        let mut read =
            tx.prepare("SELECT id, at, operator, action, subject, detail FROM audit ORDER BY id")?;
        let mut write = tx.prepare("UPDATE audit SET hash = ?2 WHERE id = ?1")?;
        let mut rows = read.query([])?;
        while let Some(r) = rows.next()? {
            let (id, at, operator, action, subject, detail): (
                i64,
                String,
                String,
                String,
                String,
                String,
            ) = (
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            );
            let link = Link {
                id,
                at: &at,
                operator: &operator,
                action: &action,
                subject: &subject,
                detail: &detail,
            };
            walker_hash = crate::domain::audit_chain::hash(&walker_hash, &link);
            write.execute(params![id, walker_hash])?;
        }
    }
    tx.execute_batch(AUDIT_NO_UPDATE)?;
    Ok(())
}

/// The newest audit row's id and hash (`(0, "")` on an empty log).
pub(super) fn last_link(conn: &Connection) -> Result<(i64, String)> {
    let row: Option<(i64, Option<String>)> = conn
        .prepare_cached("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(row
        .map(|(id, h)| (id, h.unwrap_or_default()))
        .unwrap_or_default())
}

/// What `audit verify` found wrong first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainFault {
    /// A row that does not fit the chain.
    Row(Break),
    /// A guard trigger missing or changed so it no longer refuses.
    Trigger(String),
}

impl ChainFault {
    /// The message naming what broke the chain (`audit verify`, the console's banner).
    pub fn msg(&self) -> crate::i18n::Msg {
        use crate::i18n::Msg;
        match self {
            ChainFault::Trigger(name) => {
                Msg::new("operators.audit.trigger_missing").arg("name", name)
            }
            ChainFault::Row(Break::Mismatch { id }) => {
                Msg::new("operators.audit.row_mismatch").arg("id", id)
            }
            ChainFault::Row(Break::Gap { id, after }) => Msg::new("operators.audit.row_gap")
                .arg("id", id)
                .arg("after", after),
            ChainFault::Row(Break::Unhashed { id }) => {
                Msg::new("operators.audit.row_unhashed").arg("id", id)
            }
        }
    }
}

/// The outcome of a check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainCheck {
    /// Where the walk got to (the last good row) and how many rows it checked.
    pub walker: Walker,
    /// The first fault, if any.
    pub fault: Option<ChainFault>,
}

/// Checks the guard triggers, then the chain over the rows after `from` (a walker that
/// already checked up to its `last_id`; `Walker::default()` checks the whole log).
pub fn check_from(conn: &Connection, from: Walker) -> Result<ChainCheck> {
    check_some(conn, from, i64::MAX).map(|(c, _)| c)
}

/// Like [`check_from`], but at most `max_rows` rows; also says whether it reached the
/// newest row (a long log re-checked a slice at a time keeps the store thread free).
pub fn check_some(conn: &Connection, from: Walker, max_rows: i64) -> Result<(ChainCheck, bool)> {
    if let Some(name) = missing_trigger(conn)? {
        return Ok(checked(from, Some(ChainFault::Trigger(name)), true));
    }
    if let Some(fault) = resume_fault(conn, &from)? {
        return Ok(checked(from, Some(ChainFault::Row(fault)), true));
    }
    walk_rows(conn, from, max_rows)
}

/// A check's outcome: where the walker got to, the fault if any, whether it reached the
/// newest row.
fn checked(walker: Walker, fault: Option<ChainFault>, reached: bool) -> (ChainCheck, bool) {
    (ChainCheck { walker, fault }, reached)
}

/// The row the walker stopped at must still be there and unchanged: the break if not.
fn resume_fault(conn: &Connection, walker: &Walker) -> Result<Option<Break>> {
    if walker.last_id <= 0 {
        return Ok(None);
    }
    let stored: Option<Option<String>> = conn
        .prepare_cached("SELECT hash FROM audit WHERE id = ?1")?
        .query_row([walker.last_id], |r| r.get(0))
        .optional()?;
    if stored.as_ref().and_then(|h| h.as_deref()) == Some(walker.last_hash.as_str()) {
        return Ok(None);
    }
    let id = walker.last_id;
    // gone: the newest rows were deleted; still there: it was changed
    Ok(Some(match stored {
        None => Break::Gap { id, after: id - 1 },
        Some(_) => Break::Mismatch { id },
    }))
}

/// Walks at most `max_rows` rows after the walker's `last_id`, stopping at the first break.
fn walk_rows(conn: &Connection, mut walker: Walker, max_rows: i64) -> Result<(ChainCheck, bool)> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, at, operator, action, subject, detail, hash FROM audit WHERE id > ?1 ORDER BY id LIMIT ?2",
    )?;
    let mut rows = stmt.query([walker.last_id, max_rows.saturating_add(1)])?;
    let mut seen = 0i64;
    while let Some(r) = rows.next()? {
        if seen == max_rows {
            // more rows than this slice: the caller goes on later
            return Ok(checked(walker, None, false));
        }
        seen += 1;
        if let Err(b) = step_row(&mut walker, r)? {
            return Ok(checked(walker, Some(ChainFault::Row(b)), true));
        }
    }
    Ok(checked(walker, None, true))
}

/// Reads one audit row and steps the walker over it.
fn step_row(walker: &mut Walker, r: &rusqlite::Row<'_>) -> Result<std::result::Result<(), Break>> {
    let id: i64 = r.get(0)?;
    let at: String = r.get(1)?;
    let operator: String = r.get(2)?;
    let action: String = r.get(3)?;
    let subject: String = r.get(4)?;
    let detail: String = r.get(5)?;
    let hash: Option<String> = r.get(6)?;
    let link = Link {
        id,
        at: &at,
        operator: &operator,
        action: &action,
        subject: &subject,
        detail: &detail,
    };
    Ok(walker.step(&link, hash.as_deref()))
}

/// Checks the whole log and the guard triggers.
pub fn verify(conn: &Connection) -> Result<ChainCheck> {
    check_from(conn, Walker::default())
}

/// The first guard trigger that is gone or no longer refuses anything.
fn missing_trigger(conn: &Connection) -> Result<Option<String>> {
    let mut stmt =
        conn.prepare_cached("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1")?;
    for name in GUARD_TRIGGERS {
        let sql: Option<Option<String>> = stmt.query_row([name], |r| r.get(0)).optional()?;
        let refuses = sql
            .flatten()
            .map(|s| s.to_ascii_uppercase().replace(' ', ""))
            .is_some_and(|s| s.contains("RAISE(ABORT,'DUTY-DESK:"));
        if !refuses {
            return Ok(Some(name.to_string()));
        }
    }
    Ok(None)
}

/// Filters of `audit list`.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Rows at or after this stored instant.
    pub since: Option<String>,
    /// Rows by this operator (exact, after trimming).
    pub operator: Option<String>,
    /// Rows about this subject: exact (`log:3`), or every subject of a kind (`log`).
    pub subject: Option<String>,
    /// At most this many rows, the newest (all when `None`).
    pub limit: Option<i64>,
}

/// The audit rows matching `f`, oldest first.
pub fn list(conn: &Connection, f: &Filter) -> Result<Vec<AuditRow>> {
    let subject_prefix = f.subject.as_ref().map(|s| format!("{}:", s.trim()));
    let mut stmt = conn.prepare_cached(
        "SELECT id, at, operator, action, subject, detail FROM (
             SELECT id, at, operator, action, subject, detail FROM audit
             WHERE (?1 IS NULL OR at >= ?1)
               AND (?2 IS NULL OR operator = ?2)
               AND (?3 IS NULL OR subject = ?3 OR substr(subject, 1, length(?4)) = ?4)
             ORDER BY id DESC LIMIT ?5)
         ORDER BY id",
    )?;
    let rows = stmt
        .query_map(
            params![
                f.since,
                f.operator.as_deref().map(str::trim),
                f.subject.as_deref().map(str::trim),
                subject_prefix,
                f.limit.unwrap_or(-1),
            ],
            super::read_audit,
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Hands the audit rows matching `f` (with no limit), oldest first, to `g` as they are
/// read, until `g` says stop (false): `audit list` written as it goes (issue 18). One row
/// is lent at a time, its text kept in the same buffers from row to row.
pub fn each(conn: &Connection, f: &Filter, mut g: impl FnMut(&AuditRow) -> bool) -> Result<()> {
    let subject_prefix = f.subject.as_ref().map(|s| format!("{}:", s.trim()));
    let mut stmt = conn.prepare_cached(
        "SELECT id, at, operator, action, subject, detail FROM audit
         WHERE (?1 IS NULL OR at >= ?1)
           AND (?2 IS NULL OR operator = ?2)
           AND (?3 IS NULL OR subject = ?3 OR substr(subject, 1, length(?4)) = ?4)
         ORDER BY id",
    )?;
    let mut rows = stmt.query(params![
        f.since,
        f.operator.as_deref().map(str::trim),
        f.subject.as_deref().map(str::trim),
        subject_prefix,
    ])?;
    let mut row = AuditRow {
        id: 0,
        at: String::new(),
        operator: String::new(),
        action: String::new(),
        subject: String::new(),
        detail: String::new(),
    };
    while let Some(r) = rows.next()? {
        row.id = r.get(0)?;
        for (i, buf) in [
            &mut row.at,
            &mut row.operator,
            &mut row.action,
            &mut row.subject,
            &mut row.detail,
        ]
        .into_iter()
        .enumerate()
        {
            buf.clear();
            let text = r.get_ref(i + 1)?.as_str().map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(
                    i + 1,
                    rusqlite::types::Type::Text,
                    Box::new(e),
                )
            })?;
            buf.push_str(text);
        }
        if !g(&row) {
            break;
        }
    }
    Ok(())
}

/// Runs `f` as one write on a connection the caller only lends (`&Connection`): its own
/// `BEGIN IMMEDIATE` transaction when none is open, else inside the caller's (whose commit
/// or rollback then decides). For records that must be kept whatever the caller does next,
/// such as a wrong PIN; `f` audits with [`append`].
pub(super) fn write_on<T>(
    conn: &Connection,
    f: impl FnOnce(&Connection) -> Result<T>,
) -> Result<T> {
    if !conn.is_autocommit() {
        return f(conn);
    }
    let tx = Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Immediate)?;
    let out = f(&tx)?;
    tx.commit()?;
    Ok(out)
}

/// Appends one chained audit row outside a [`Writer`] (reads the chain's end each time:
/// for the rare records of [`write_on`], never for bulk writes).
pub(super) fn append(
    conn: &Connection,
    ctx: &Ctx,
    action: AuditAction,
    subject: &str,
    detail: serde_json::Value,
) -> Result<()> {
    let action = action.as_str();
    let (prev_id, prev_hash) = last_link(conn)?;
    let at = super::to_db(ctx.now);
    let detail = detail.to_string();
    let link = Link {
        id: prev_id + 1,
        at: &at,
        operator: &ctx.operator,
        action,
        subject,
        detail: &detail,
    };
    insert_link(conn, &prev_hash, &link)?;
    Ok(())
}

/// Inserts `link` as the row after the one whose hash is `prev_hash`, hashed into the
/// chain, and returns its hash: the one insert of every audit row ([`append`] and
/// `Writer::audit`).
pub(super) fn insert_link(conn: &Connection, prev_hash: &str, link: &Link<'_>) -> Result<String> {
    let hash = crate::domain::audit_chain::hash(prev_hash, link);
    conn.prepare_cached(
        "INSERT INTO audit (id, at, operator, action, subject, detail, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        link.id,
        link.at,
        link.operator,
        link.action,
        link.subject,
        link.detail,
        hash
    ])?;
    Ok(hash)
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;
    use rusqlite_migration::{M, Migrations};

    #[test]
    fn upgrading_hashes_the_rows_written_before_the_chain() {
        let mut conn = Connection::open_in_memory().unwrap();
        Migrations::new(vec![
            M::up(include_str!("schema.sql")),
            M::up(include_str!("schema_002_day_totals.sql")),
        ])
        .to_latest(&mut conn)
        .unwrap();
        for i in 0..5 {
            conn.execute(
                "INSERT INTO audit (at, operator, action, subject, detail) VALUES ('2026-01-01T00:00:00Z', 'a', 'b', ?1, '{}')",
                [format!("s:{i}")],
            )
            .unwrap();
        }
        super::super::schema::migrate(&mut conn).unwrap();
        let check = super::verify(&conn).unwrap();
        assert_eq!(check.fault, None);
        assert_eq!(check.walker.checked, 5);
        // the append-only guard is back after the one UPDATE the upgrade needed
        assert!(
            conn.execute("UPDATE audit SET detail = 'x' WHERE id = 1", [])
                .is_err()
        );
    }
}
