//! Escalations and stock: raising, acknowledging, resolving, and the reserve counts.

use crate::domain::audit_action::AuditAction;
use chrono::{DateTime, Duration, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;

use super::shiftlog::log_auto;
use super::{Result, StoreError, Writer};
use crate::domain::audit_chain::AuditRow;
pub use crate::domain::escalation::StockItem;
use crate::domain::escalation::{EscalationRow, Kind, State, StockRow};
use crate::domain::roles::Permission;
use crate::domain::shift::LogCategory;
use crate::domain::time::{from_db, to_db};
use crate::i18n::Msg;

const COLS: &str = "id, kind, title, village, place, details, direct, subject, due, grace_minutes,
    state, raised_at, raised_by, owner, resolution_note, escalated_at, alerted_overdue_at";

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<EscalationRow> {
    let due: String = r.get(8)?;
    Ok(EscalationRow {
        id: r.get(0)?,
        kind: Kind::parse(&r.get::<_, String>(1)?).unwrap_or(Kind::Other),
        title: r.get(2)?,
        village: r.get(3)?,
        place: r.get(4)?,
        details: r.get(5)?,
        direct: r.get(6)?,
        subject: r.get(7)?,
        due: from_db(&due).unwrap_or(DateTime::<Utc>::MIN_UTC),
        grace: crate::domain::time::minutes(r.get(9)?),
        state: State::parse(&r.get::<_, String>(10)?).unwrap_or(State::Open),
        raised_at: r.get(11)?,
        raised_by: r.get(12)?,
        owner: r.get(13)?,
        resolution_note: r.get(14)?,
        escalated_at: r.get(15)?,
        alerted_overdue_at: r.get(16)?,
    })
}

/// Unresolved escalations, by deadline.
pub fn open_escalations(conn: &Connection) -> Result<Vec<EscalationRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLS} FROM escalation WHERE state <> 'resolved' ORDER BY due, id"
    ))?;
    let rows = stmt
        .query_map([], read_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Every escalation, oldest first (`escalation list --all`).
pub fn all_escalations(conn: &Connection) -> Result<Vec<EscalationRow>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLS} FROM escalation ORDER BY id"))?;
    let rows = stmt
        .query_map([], read_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The queue's query (`?1`: the overdue threshold): the open escalations only unless `all`.
/// The open queue names no resolved row, so it reads the partial index of open escalations;
/// one `?all OR state <> 'resolved'` query scanned every escalation ever raised, 97,000 on a
/// generated county (issue 18).
pub fn queue_sql(all: bool) -> String {
    // named: with the statistics of a young town, mostly open, SQLite would scan instead
    let filter = if all {
        ""
    } else {
        "INDEXED BY escalation_open WHERE state <> 'resolved'"
    };
    format!(
        "SELECT {COLS} FROM escalation {filter}
         ORDER BY state = 'resolved', NOT (due < ?1), direct = 0, due, id"
    )
}

/// Hands escalations to `f` as they are read, in the order of the queue at `now`
/// (unresolved first; then overdue, direct referrals, deadline; then id), until `f` says
/// stop (false): every one when `all`, else the unresolved. `escalation list` written as it
/// goes (issue 18); the order is [`crate::domain::escalation::queue_key`]'s, in SQL.
pub fn each_escalation_queued(
    conn: &Connection,
    all: bool,
    now: DateTime<Utc>,
    mut f: impl FnMut(EscalationRow) -> bool,
) -> Result<()> {
    use chrono::Timelike;
    // overdue is `now > due`; due is stored in whole seconds, so it is `due < threshold`
    let whole = now.with_nanosecond(0).unwrap_or(now);
    let threshold = if whole < now {
        whole + Duration::seconds(1)
    } else {
        whole
    };
    let mut stmt = conn.prepare_cached(&queue_sql(all))?;
    let mut rows = stmt.query(params![crate::domain::time::to_db(threshold)])?;
    while let Some(r) = rows.next()? {
        if !f(read_row(r)?) {
            break;
        }
    }
    Ok(())
}

/// Who did what to one escalation and when, oldest first (the detail view's history).
pub fn history(conn: &Connection, id: i64) -> Result<Vec<AuditRow>> {
    super::audit_for(conn, &format!("escalation:{id}"))
}

/// One escalation by id.
pub fn escalation(conn: &Connection, id: i64) -> Result<Option<EscalationRow>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLS} FROM escalation WHERE id = ?1"))?
        .query_row([id], read_row)
        .optional()?)
}

/// A new escalation as raised by a person or a rule.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEscalation {
    /// Kind.
    pub kind: Kind,
    /// Title.
    pub title: String,
    /// Village code.
    pub village: Option<String>,
    /// Health center or clinic code.
    pub place: Option<String>,
    /// Details.
    pub details: String,
    /// Direct referral.
    pub direct: bool,
    /// Rule subject (one open escalation per subject).
    pub subject: Option<String>,
    /// Deadline.
    pub due: DateTime<Utc>,
    /// Grace period.
    pub grace_minutes: i64,
}

/// Refuses a write the operator may not make: the one policy of `Writer::permit`.
fn permit(w: &Writer<'_>, p: Permission) -> Result<()> {
    w.permit(p)
}

/// Raises an escalation; returns its id.
pub fn raise(w: &mut Writer<'_>, e: &NewEscalation) -> Result<i64> {
    permit(w, Permission::HandleEscalation)?;
    // people-typed text is stored without control characters (issue 12)
    let e = &NewEscalation {
        title: crate::domain::text::entry(&e.title).into_owned(),
        details: crate::domain::text::entry(&e.details).into_owned(),
        ..e.clone()
    };
    if e.title.trim().is_empty() {
        return Err(StoreError::Invalid(
            Msg::new("err.required").context("title"),
        ));
    }
    w.tx.prepare_cached(
        "INSERT INTO escalation (kind, title, village, place, details, direct, subject, due,
           grace_minutes, raised_at, raised_by)
         VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
    )?
    .execute(params![
        e.kind.as_str(),
        e.title.trim(),
        e.village,
        e.place,
        e.details.trim(),
        e.direct,
        e.subject,
        to_db(e.due),
        e.grace_minutes,
        w.now_db(),
        w.ctx.operator
    ])?;
    let id = w.tx.last_insert_rowid();
    w.audit(
        AuditAction::EscalationRaise,
        &format!("escalation:{id}"),
        json!({"kind": e.kind.as_str(), "title": e.title.trim(), "due": to_db(e.due),
               "village": e.village, "place": e.place, "direct": e.direct, "subject": e.subject}),
    )?;
    log_auto(
        w,
        LogCategory::Escalation,
        with_subject(
            Msg::new("log.auto.escalation_raised")
                .arg("id", id)
                .arg("title", e.title.trim()),
            e.subject.as_deref(),
        ),
    )?;
    Ok(id)
}

/// Adds a rule escalation's subject to a log message, so readers see its title in their
/// own language (`shift::readable`).
fn with_subject(m: Msg, subject: Option<&str>) -> Msg {
    match subject {
        Some(s) => m.arg("subject", s),
        None => m,
    }
}

/// Acknowledges an open escalation: the operator takes it in hand.
pub fn acknowledge(w: &mut Writer<'_>, id: i64) -> Result<()> {
    permit(w, Permission::HandleEscalation)?;
    let e = escalation(w.tx, id)?
        .ok_or_else(|| StoreError::Invalid(Msg::new("err.no_escalation").arg("id", id)))?;
    e.state
        .check_step(State::Acknowledged)
        .map_err(StoreError::Conflict)?;
    w.tx.execute(
        "UPDATE escalation SET state = 'acknowledged', acknowledged_at = ?2, acknowledged_by = ?3, owner = ?3
         WHERE id = ?1 AND state = 'open'",
        params![id, w.now_db(), w.ctx.operator],
    )?;
    w.audit(
        AuditAction::EscalationAck,
        &format!("escalation:{id}"),
        json!({}),
    )?;
    log_auto(
        w,
        LogCategory::Escalation,
        with_subject(
            Msg::new("log.auto.escalation_acked")
                .arg("id", id)
                .arg("title", &e.title),
            e.subject.as_deref(),
        ),
    )?;
    Ok(())
}

/// Resolves an escalation with a note (required).
pub fn resolve(w: &mut Writer<'_>, id: i64, note: &str) -> Result<()> {
    permit(w, Permission::HandleEscalation)?;
    let cleaned = crate::domain::text::entry(note);
    let note = cleaned.as_ref();
    if note.trim().is_empty() {
        return Err(StoreError::Invalid(Msg::new("err.note_required")));
    }
    let e = escalation(w.tx, id)?
        .ok_or_else(|| StoreError::Invalid(Msg::new("err.no_escalation").arg("id", id)))?;
    e.state
        .check_step(State::Resolved)
        .map_err(StoreError::Conflict)?;
    w.tx.execute(
        "UPDATE escalation SET state = 'resolved', resolved_at = ?2, resolved_by = ?3, resolution_note = ?4
         WHERE id = ?1 AND state <> 'resolved'",
        params![id, w.now_db(), w.ctx.operator, note.trim()],
    )?;
    w.audit(
        AuditAction::EscalationResolve,
        &format!("escalation:{id}"),
        json!({"note": note.trim()}),
    )?;
    log_auto(
        w,
        LogCategory::Escalation,
        with_subject(
            Msg::new("log.auto.escalation_resolved")
                .arg("id", id)
                .arg("title", &e.title)
                .arg("note", note.trim()),
            e.subject.as_deref(),
        ),
    )?;
    Ok(())
}

/// All stock counts of the places in service (a retired place's counts stay, unshown).
pub fn stock(conn: &Connection) -> Result<Vec<StockRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT place, item, quantity, updated_at, updated_by FROM stock
         WHERE place NOT IN (SELECT code FROM village WHERE retired_at IS NOT NULL
                             UNION SELECT code FROM health_center WHERE retired_at IS NOT NULL)
         ORDER BY place, item",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok(StockRow {
                place: r.get(0)?,
                item: StockItem::parse(&r.get::<_, String>(1)?).unwrap_or(StockItem::DrugPacks),
                quantity: r.get(2)?,
                updated_at: r.get(3)?,
                updated_by: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Records a stock count at a health center or village clinic.
pub fn set_stock(w: &mut Writer<'_>, place: &str, item: StockItem, quantity: i64) -> Result<()> {
    permit(w, Permission::SetStock)?;
    if quantity < 0 {
        return Err(StoreError::Invalid(
            Msg::new("err.negative").context("quantity"),
        ));
    }
    if quantity > crate::domain::report::MAX_FIGURE {
        // a count, like every figure of the desk, stays far inside what sums can carry
        return Err(StoreError::Invalid(
            Msg::new("bounds.range")
                .arg("min", 0)
                .arg("max", crate::domain::report::MAX_FIGURE)
                .arg("value", quantity)
                .context("quantity"),
        ));
    }
    let known: bool = w.tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM village WHERE code = ?1 AND retired_at IS NULL)
           OR EXISTS (SELECT 1 FROM health_center WHERE code = ?1 AND retired_at IS NULL)",
        [place],
        |r| r.get(0),
    )?;
    if !known {
        return Err(StoreError::Invalid(
            Msg::new("err.unknown_place").arg("place", place),
        ));
    }
    let old: Option<i64> =
        w.tx.prepare_cached("SELECT quantity FROM stock WHERE place = ?1 AND item = ?2")?
            .query_row(params![place, item.as_str()], |r| r.get(0))
            .optional()?;
    w.tx.execute(
        "INSERT INTO stock (place, item, quantity, updated_at, updated_by) VALUES (?1,?2,?3,?4,?5)
         ON CONFLICT (place, item) DO UPDATE SET quantity = excluded.quantity,
           updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        params![place, item.as_str(), quantity, w.now_db(), w.ctx.operator],
    )?;
    w.audit(
        AuditAction::StockSet,
        &format!("stock:{place}:{}", item.as_str()),
        json!({"old": old, "new": quantity}),
    )
}
