//! The shift log, the roster and the handover rows.

use crate::domain::audit_action::AuditAction;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;

use super::{Result, StoreError, Writer};
use crate::domain::shift::{Duty, HandoverRow, LogCategory, LogRow};
use crate::domain::time::{from_db, to_db};
use crate::i18n::{Lang, Msg};

mod open;
pub use open::{
    current_shift_start, file_earlier_entries, last_signed_shift, nominal_shift_start,
    open_first_shift, require_open, shift_signed,
};

fn insert_entry(
    w: &mut Writer<'_>,
    category: LogCategory,
    text: &str,
    auto_msg: Option<&Msg>,
    amends: Option<i64>,
) -> Result<i64> {
    let shift = match amends {
        Some(id) => {
            w.tx.prepare_cached("SELECT shift_start FROM log_entry WHERE id = ?1")?
                .query_row([id], |r| r.get::<_, String>(0))
                .optional()?
                .ok_or_else(|| StoreError::Invalid(Msg::new("err.no_log_entry").arg("id", id)))?
        }
        None => to_db(current_shift_start(w.tx, w.ctx.now)?),
    };
    w.tx.prepare_cached(
        "INSERT INTO log_entry (shift_start, at, category, author, text, auto_msg, amends)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        shift,
        w.now_db(),
        category.as_str(),
        w.ctx.operator,
        text,
        auto_msg.map(|m| m.to_json().to_string()),
        amends
    ])?;
    Ok(w.tx.last_insert_rowid())
}

/// Writes the automatic log entry of an action taken elsewhere (dispatch, sign, …).
pub fn log_auto(w: &mut Writer<'_>, category: LogCategory, msg: Msg) -> Result<i64> {
    let text = msg.render(Lang::En);
    insert_entry(w, category, &text, Some(&msg), None)
}

/// Adds a manual entry to the current shift's log.
pub fn add_entry(w: &mut Writer<'_>, category: LogCategory, text: &str) -> Result<i64> {
    w.permit(crate::domain::roles::Permission::WriteLog)?;
    // people-typed text is stored without control characters (issue 12)
    let cleaned = crate::domain::text::entry(text);
    let text = cleaned.trim();
    if text.is_empty() {
        return Err(StoreError::Invalid(Msg::new("err.empty_text")));
    }
    let id = insert_entry(w, category, text, None, None)?;
    w.audit(
        AuditAction::LogAdd,
        &format!("log:{id}"),
        json!({"category": category.as_str(), "text": text}),
    )?;
    Ok(id)
}

/// Adds an amendment to an entry (the only change a signed shift accepts).
pub fn amend_entry(w: &mut Writer<'_>, id: i64, text: &str) -> Result<i64> {
    w.permit(crate::domain::roles::Permission::WriteLog)?;
    // people-typed text is stored without control characters (issue 12)
    let cleaned = crate::domain::text::entry(text);
    let text = cleaned.trim();
    if text.is_empty() {
        return Err(StoreError::Invalid(Msg::new("err.empty_text")));
    }
    let (category, root): (String, Option<i64>) =
        w.tx.prepare_cached("SELECT category, amends FROM log_entry WHERE id = ?1")?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?
            .ok_or_else(|| StoreError::Invalid(Msg::new("err.no_log_entry").arg("id", id)))?;
    let category = LogCategory::parse(&category).unwrap_or(LogCategory::Note);
    // an amendment of an amendment is linked to the original entry
    let id = root.unwrap_or(id);
    let new_id = insert_entry(w, category, text, None, Some(id))?;
    w.audit(
        AuditAction::LogAmend,
        &format!("log:{id}"),
        json!({"amendment": new_id, "text": text}),
    )?;
    Ok(new_id)
}

/// Changes the text of a manual entry (refused once the shift is signed).
pub fn edit_entry(w: &mut Writer<'_>, id: i64, text: &str) -> Result<()> {
    w.permit(crate::domain::roles::Permission::WriteLog)?;
    // people-typed text is stored without control characters (issue 12)
    let cleaned = crate::domain::text::entry(text);
    let text = cleaned.trim();
    if text.is_empty() {
        return Err(StoreError::Invalid(Msg::new("err.empty_text")));
    }
    let (old, auto, shift): (String, bool, String) =
        w.tx.prepare_cached(
            "SELECT text, auto_msg IS NOT NULL, shift_start FROM log_entry WHERE id = ?1",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?
        .ok_or_else(|| StoreError::Invalid(Msg::new("err.no_log_entry").arg("id", id)))?;
    // only the open shift's entries are corrected; a closed one takes amendments
    if let Some(shift) = from_db(&shift) {
        require_open(w.tx, shift, w.ctx.now)?;
    }
    // what the system recorded of an action stays as recorded; correct it with an amendment
    if auto {
        return Err(StoreError::Conflict(Msg::new("err.auto_entry")));
    }
    w.tx.execute(
        "UPDATE log_entry SET text = ?2, auto_msg = NULL WHERE id = ?1",
        params![id, text],
    )?;
    w.audit(
        AuditAction::LogEdit,
        &format!("log:{id}"),
        json!({"old": old, "new": text}),
    )
}

/// Corrects an entry only if its text is still `was` (what the operator's form showed).
pub fn edit_entry_if(w: &mut Writer<'_>, id: i64, was: &str, text: &str) -> Result<()> {
    w.permit(crate::domain::roles::Permission::WriteLog)?;
    let now: Option<String> =
        w.tx.prepare_cached("SELECT text FROM log_entry WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?;
    if now.is_some_and(|t| t != was) {
        return Err(StoreError::Conflict(
            Msg::new("err.entry_changed").arg("id", id),
        ));
    }
    edit_entry(w, id, text)
}

/// The entries of one shift, oldest first, each followed by its amendments.
pub fn entries(conn: &Connection, shift_start: DateTime<Utc>) -> Result<Vec<LogRow>> {
    let mut rows = Vec::new();
    each_entry(conn, shift_start, |e| {
        rows.push(e);
        true
    })?;
    Ok(rows)
}

/// Hands the shift's log entries to `f` in [`entries`]' order as they are read, until `f`
/// says stop (false): a listing written as it goes (issue 18).
pub fn each_entry(
    conn: &Connection,
    shift_start: DateTime<Utc>,
    mut f: impl FnMut(LogRow) -> bool,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.id, e.at, e.category, e.author, e.text, e.auto_msg, e.amends
         FROM log_entry e LEFT JOIN log_entry o ON o.id = e.amends
         WHERE e.shift_start = ?1
         ORDER BY COALESCE(o.at, e.at), COALESCE(e.amends, e.id), e.at, e.id",
    )?;
    let mut rows = stmt.query([to_db(shift_start)])?;
    while let Some(r) = rows.next()? {
        if !f(log_row(r)?) {
            break;
        }
    }
    Ok(())
}

/// The newest `limit` entries of the shift (by time), in [`entries`]' order: what the
/// console shows of a shift, bounded however long the shift stayed open (a desk that never
/// signs over keeps its whole history in one shift). A shift of at most `limit` entries
/// comes back whole, exactly as [`entries`] gives it.
pub fn entries_window(
    conn: &Connection,
    shift_start: DateTime<Utc>,
    limit: usize,
) -> Result<Vec<LogRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.id, e.at, e.category, e.author, e.text, e.auto_msg, e.amends
         FROM (SELECT * FROM log_entry WHERE shift_start = ?1
               ORDER BY at DESC, id DESC LIMIT ?2) e
         LEFT JOIN log_entry o ON o.id = e.amends
         ORDER BY COALESCE(o.at, e.at), COALESCE(e.amends, e.id), e.at, e.id",
    )?;
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let mut rows = stmt.query(params![to_db(shift_start), limit])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(log_row(r)?);
    }
    Ok(out)
}

/// Which window of a shift's log the console reads (issue 18): the newest entries, the
/// oldest, or a page either side of an entry. Pages are keyset positions on the log's
/// (at, id) order, named by an entry's id, so a page is one index range whatever its depth
/// in a shift of a million entries (no OFFSET).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogPage {
    /// The newest entries (the console's usual view; new entries appear in it).
    #[default]
    Newest,
    /// The oldest entries.
    Oldest,
    /// The newest entries at or before this entry.
    Until(i64),
    /// The oldest entries at or after this entry.
    From(i64),
}

/// A window of a shift's log: at most `limit` entries, a contiguous run of the log's
/// (at, id) order, given in [`entries`]' order; with how many entries come before it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LogWindow {
    /// The entries.
    pub entries: Vec<LogRow>,
    /// How many of the shift's entries are older than the window.
    pub older: usize,
}

/// The `page` window of the shift's log (`total`: the shift's [`count_entries`], which
/// gives the newest window's `older` without a second count). A page whose entry no longer
/// belongs to the shift is read as the newest.
pub fn log_page(
    conn: &Connection,
    shift_start: DateTime<Utc>,
    page: LogPage,
    limit: usize,
    total: usize,
) -> Result<LogWindow> {
    let newest = |conn: &Connection| -> Result<LogWindow> {
        let entries = entries_window(conn, shift_start, limit)?;
        let older = total.saturating_sub(entries.len());
        Ok(LogWindow { entries, older })
    };
    // the inner query picks the page by its own (at, id) range on log_entry_by_shift; the
    // outer one puts each amendment after its entry, as `entries` does
    let (range, key) = match page {
        LogPage::Newest => return newest(conn),
        LogPage::Oldest => ("ORDER BY at, id", None),
        LogPage::Until(id) => (
            "AND at <= (SELECT at FROM log_entry WHERE id = ?3)
             AND NOT (at = (SELECT at FROM log_entry WHERE id = ?3) AND id > ?3)
             ORDER BY at DESC, id DESC",
            Some(id),
        ),
        LogPage::From(id) => (
            "AND at >= (SELECT at FROM log_entry WHERE id = ?3)
             AND NOT (at = (SELECT at FROM log_entry WHERE id = ?3) AND id < ?3)
             ORDER BY at, id",
            Some(id),
        ),
    };
    let sql = format!(
        "SELECT e.id, e.at, e.category, e.author, e.text, e.auto_msg, e.amends
         FROM (SELECT * FROM log_entry WHERE shift_start = ?1 {range} LIMIT ?2) e
         LEFT JOIN log_entry o ON o.id = e.amends
         ORDER BY COALESCE(o.at, e.at), COALESCE(e.amends, e.id), e.at, e.id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let lim = i64::try_from(limit).unwrap_or(i64::MAX);
    let mut rows = match key {
        Some(id) => stmt.query(params![to_db(shift_start), lim, id])?,
        None => stmt.query(params![to_db(shift_start), lim])?,
    };
    let mut entries = Vec::new();
    while let Some(r) = rows.next()? {
        entries.push(log_row(r)?);
    }
    drop(rows);
    let Some(first) = entries
        .iter()
        .min_by(|a, b| (&a.at, a.id).cmp(&(&b.at, b.id)))
    else {
        return newest(conn);
    };
    let older = count_before(conn, shift_start, &first.at, first.id)?;
    Ok(LogWindow { entries, older })
}

/// How many of the shift's entries come before (at, id) in the log's order.
fn count_before(conn: &Connection, shift_start: DateTime<Utc>, at: &str, id: i64) -> Result<usize> {
    let n: i64 = conn
        .prepare_cached(
            "SELECT COUNT(*) FROM log_entry WHERE shift_start = ?1
               AND at <= ?2 AND NOT (at = ?2 AND id >= ?3)",
        )?
        .query_row(params![to_db(shift_start), at, id], |r| r.get(0))?;
    Ok(usize::try_from(n).unwrap_or(0))
}

/// How many entries the shift's log holds (one indexed count, not a read of them).
pub fn count_entries(conn: &Connection, shift_start: DateTime<Utc>) -> Result<usize> {
    let n: i64 = conn
        .prepare_cached("SELECT COUNT(*) FROM log_entry WHERE shift_start = ?1")?
        .query_row([to_db(shift_start)], |r| r.get(0))?;
    Ok(usize::try_from(n).unwrap_or(0))
}

fn log_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<LogRow> {
    let auto: Option<String> = r.get(5)?;
    Ok(LogRow {
        id: r.get(0)?,
        at: r.get(1)?,
        category: LogCategory::parse(&r.get::<_, String>(2)?).unwrap_or(LogCategory::Note),
        author: r.get(3)?,
        text: r.get(4)?,
        auto_msg: auto
            .and_then(|a| serde_json::from_str::<serde_json::Value>(&a).ok())
            .and_then(|v| Msg::from_json(&v)),
        amends: r.get(6)?,
    })
}

/// The people on a shift: (name, duty).
pub fn roster(conn: &Connection, shift_start: DateTime<Utc>) -> Result<Vec<(String, Duty)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.staff, r.duty FROM shift_roster r JOIN staff s ON s.name = r.staff
         WHERE r.shift_start = ?1 ORDER BY r.duty = 'officer', s.seq",
    )?;
    let rows = stmt
        .query_map([to_db(shift_start)], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .filter_map(|(n, d)| Duty::parse(&d).map(|d| (n, d)))
        .collect())
}

/// Puts a person on a shift (or changes their duty on it).
pub fn set_roster(
    w: &mut Writer<'_>,
    shift_start: DateTime<Utc>,
    staff: &str,
    duty: Duty,
) -> Result<()> {
    w.permit(crate::domain::roles::Permission::WriteLog)?;
    require_open(w.tx, shift_start, w.ctx.now)?;
    let known: bool = w.tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM staff WHERE name = ?1 AND retired_at IS NULL)",
        [staff],
        |r| r.get(0),
    )?;
    if !known {
        return Err(StoreError::Invalid(
            Msg::new("err.unknown_staff").arg("name", staff),
        ));
    }
    w.tx.execute(
        "INSERT INTO shift_roster (shift_start, staff, duty) VALUES (?1, ?2, ?3)
         ON CONFLICT (shift_start, staff) DO UPDATE SET duty = excluded.duty",
        params![to_db(shift_start), staff, duty.as_str()],
    )?;
    w.audit(
        AuditAction::RosterSet,
        &format!("shift:{}", to_db(shift_start)),
        json!({"staff": staff, "duty": duty.as_str()}),
    )
}

/// Takes a person off a shift.
pub fn remove_roster(w: &mut Writer<'_>, shift_start: DateTime<Utc>, staff: &str) -> Result<()> {
    w.permit(crate::domain::roles::Permission::WriteLog)?;
    require_open(w.tx, shift_start, w.ctx.now)?;
    w.tx.execute(
        "DELETE FROM shift_roster WHERE shift_start = ?1 AND staff = ?2",
        params![to_db(shift_start), staff],
    )?;
    w.audit(
        AuditAction::RosterRemove,
        &format!("shift:{}", to_db(shift_start)),
        json!({"staff": staff}),
    )
}

/// The handover row of a shift, if any was started.
pub fn handover_row(conn: &Connection, shift_start: DateTime<Utc>) -> Result<Option<HandoverRow>> {
    Ok(conn
        .prepare_cached(
            "SELECT notes, compiled, signed_by, signed_at, outgoing FROM handover WHERE shift_start = ?1",
        )?
        .query_row([to_db(shift_start)], |r| {
            Ok(HandoverRow {
                notes: r.get(0)?,
                compiled: r.get(1)?,
                signed_by: r.get(2)?,
                signed_at: r.get(3)?,
                outgoing: r.get(4)?,
            })
        })
        .optional()?)
}

/// Sets the outgoing team's notes for a shift's handover.
pub fn set_notes(w: &mut Writer<'_>, shift_start: DateTime<Utc>, notes: &str) -> Result<()> {
    w.permit(crate::domain::roles::Permission::WriteLog)?;
    require_open(w.tx, shift_start, w.ctx.now)?;
    let cleaned = crate::domain::text::entry(notes);
    let notes = cleaned.as_ref();
    w.tx.execute(
        "INSERT INTO handover (shift_start, notes) VALUES (?1, ?2)
         ON CONFLICT (shift_start) DO UPDATE SET notes = excluded.notes",
        params![to_db(shift_start), notes],
    )?;
    w.audit(
        AuditAction::HandoverNotes,
        &format!("shift:{}", to_db(shift_start)),
        json!({"notes": notes}),
    )
}

/// Sets the notes only if they are still `was` (what the operator's form started from):
/// two operators typing notes at once never overwrite each other silently.
pub fn set_notes_if(
    w: &mut Writer<'_>,
    shift_start: DateTime<Utc>,
    was: &str,
    notes: &str,
) -> Result<()> {
    w.permit(crate::domain::roles::Permission::WriteLog)?;
    let now: String = handover_row(w.tx, shift_start)?
        .map(|h| h.notes)
        .unwrap_or_default();
    if now.trim() != was.trim() {
        return Err(StoreError::Conflict(Msg::new("err.notes_changed")));
    }
    set_notes(w, shift_start, notes)
}

/// Signs a shift's handover: the compiled text is frozen and the shift becomes read-only.
/// The operator is the incoming person; `outgoing` who handed over, when known.
pub fn sign_handover(
    w: &mut Writer<'_>,
    shift_start: DateTime<Utc>,
    incoming: &str,
    outgoing: Option<&str>,
    compiled: &serde_json::Value,
) -> Result<()> {
    if shift_signed(w.tx, shift_start)? {
        return Err(StoreError::Conflict(Msg::new("err.shift_signed")));
    }
    let subject = format!("shift:{}", to_db(shift_start));
    let msg = Msg::new("log.auto.handover_signed").arg("incoming", incoming);
    // the sign-over's own log entry belongs to the shift being closed
    w.tx.prepare_cached(
        "INSERT INTO log_entry (shift_start, at, category, author, text, auto_msg)
         VALUES (?1, ?2, 'note', ?3, ?4, ?5)",
    )?
    .execute(params![
        to_db(shift_start),
        w.now_db(),
        w.ctx.operator,
        msg.render(Lang::En),
        msg.to_json().to_string(),
    ])?;
    w.tx.execute(
        "INSERT INTO handover (shift_start, compiled, signed_by, signed_at, outgoing)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (shift_start) DO UPDATE SET compiled = excluded.compiled,
           signed_by = excluded.signed_by, signed_at = excluded.signed_at, outgoing = excluded.outgoing",
        params![to_db(shift_start), compiled.to_string(), incoming, w.now_db(), outgoing],
    )?;
    w.audit(
        AuditAction::HandoverSign,
        &subject,
        json!({"incoming": incoming, "outgoing": outgoing}),
    )
}

/// The nearest earlier and later shift starts, either of which may not exist.
pub type Neighbours = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);

/// The nearest earlier and later shifts with a log or a handover (two index seeks each,
/// so browsing costs the same after years of history).
pub fn neighbour_shifts(conn: &Connection, start: DateTime<Utc>) -> Result<Neighbours> {
    let at = to_db(start);
    let one = |sql: &str| -> Result<Option<DateTime<Utc>>> {
        let v: Option<String> = conn.prepare_cached(sql)?.query_row([&at], |r| r.get(0))?;
        Ok(v.and_then(|s| from_db(&s)))
    };
    let prev = [
        one("SELECT MAX(shift_start) FROM log_entry WHERE shift_start < ?1")?,
        one("SELECT MAX(shift_start) FROM handover WHERE shift_start < ?1")?,
    ]
    .into_iter()
    .flatten()
    .max();
    let next = [
        one("SELECT MIN(shift_start) FROM log_entry WHERE shift_start > ?1")?,
        one("SELECT MIN(shift_start) FROM handover WHERE shift_start > ?1")?,
    ]
    .into_iter()
    .flatten()
    .min();
    Ok((prev, next))
}

/// Starts of the shifts that have any log entry or handover, newest first (history).
pub fn past_shifts(conn: &Connection, limit: i64) -> Result<Vec<DateTime<Utc>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT shift_start FROM (SELECT DISTINCT shift_start FROM log_entry
           UNION SELECT shift_start FROM handover)
         ORDER BY shift_start DESC LIMIT ?1",
    )?;
    let rows = stmt
        .query_map([limit], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows.iter().filter_map(|s| from_db(s)).collect())
}
