//! Alert records (issue 14): the rule pass notices alert events and records each once
//! (`notice`, inside its write transaction), retires those whose cause is gone, and the
//! watcher and consoles deliver them through the settings' hook: an alert is claimed in a
//! transaction before its hook runs (`claim`), and the outcome recorded after (`finish`),
//! so two processes never both deliver it.

use crate::domain::audit_action::AuditAction;
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;

use super::escalations::{escalation, open_escalations};
use super::fleet::{open_transports, transport};
use super::shiftlog::{current_shift_start, roster};
use super::{Ctx, Result, Store, Writer};
use crate::domain::alerts::{
    self, AlertRow, CLAIM_FOR, Event, InboxItem, OnDuty, Payload, Recipient, Subject,
    escalation_events, role_name,
};
use crate::domain::shift::Duty;
use crate::domain::time::{from_db, plus, to_db};
use crate::domain::town::Role;
use crate::domain::town::Town;
use crate::domain::transport::{Severity, TripStatus};
use crate::i18n::{Lang, Msg};

const COLS: &str = "id, event, subject, subject_id, title, created_at, delivered_at, attempts, \
                    last_error, gave_up_at, seen_by, seen_at, retired_at";

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AlertRow> {
    Ok(AlertRow {
        id: r.get(0)?,
        event: Event::parse(&r.get::<_, String>(1)?).unwrap_or(Event::New),
        subject: Subject::parse(&r.get::<_, String>(2)?).unwrap_or(Subject::Escalation),
        subject_id: r.get(3)?,
        title: r.get(4)?,
        created_at: r.get(5)?,
        delivered_at: r.get(6)?,
        attempts: r.get(7)?,
        last_error: r.get(8)?,
        gave_up_at: r.get(9)?,
        seen_by: r.get(10)?,
        seen_at: r.get(11)?,
        retired_at: r.get(12)?,
    })
}

/// Alerts, oldest first: all of them, or only those whose cause is still there.
pub fn list(conn: &Connection, all: bool) -> Result<Vec<AlertRow>> {
    let sql = if all {
        format!("SELECT {COLS} FROM alert ORDER BY id")
    } else {
        format!("SELECT {COLS} FROM alert WHERE retired_at IS NULL ORDER BY id")
    };
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt
        .query_map([], read_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The console's inbox: the newest `limit` alerts, newest first (retired ones included,
/// so an operator can see what happened while away).
pub fn recent(conn: &Connection, limit: i64) -> Result<Vec<AlertRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLS} FROM alert ORDER BY id DESC LIMIT ?1"
    ))?;
    let rows = stmt
        .query_map([limit], read_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Most unseen alerts a console reads at once (the banner counts them all).
pub const UNSEEN_MAX: i64 = 200;

/// Alerts nobody has marked seen whose cause is still there, oldest first (the banner),
/// at most [`UNSEEN_MAX`].
pub fn unseen(conn: &Connection) -> Result<Vec<AlertRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLS} FROM alert WHERE seen_by IS NULL AND retired_at IS NULL ORDER BY id LIMIT ?1"
    ))?;
    let rows = stmt
        .query_map([UNSEEN_MAX], read_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// One new alert the rule pass owes.
#[derive(Debug, Clone, PartialEq)]
struct Owed {
    event: Event,
    subject: Subject,
    subject_id: i64,
    title: String,
}

/// What a pass owes: new alerts, and how many live ones lost their cause.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    owed: Vec<Owed>,
    retire: i64,
}

impl Plan {
    /// True when the pass has nothing to record.
    pub fn is_empty(&self) -> bool {
        self.owed.is_empty() && self.retire == 0
    }
}

/// Live alerts whose cause is gone: the escalation resolved (or a re-alert's escalation
/// taken in hand), the request dispatched or cancelled.
const GONE: &str = "retired_at IS NULL AND (
    (subject = 'escalation' AND NOT EXISTS (SELECT 1 FROM escalation e
        WHERE e.id = alert.subject_id AND e.state <> 'resolved'
          AND (alert.event <> 'realert' OR e.state = 'open')))
 OR (subject = 'transport' AND NOT EXISTS (SELECT 1 FROM transport t
        WHERE t.id = alert.subject_id AND t.status = 'requested')))";

/// The events already recorded about waiting requests. The partial index of open trips
/// (`status NOT IN ('back_in_service','cancelled')`) is only usable when the query repeats
/// its condition: `status = 'requested'` alone scanned all 100,000 trips of a county on
/// every rule pass (issue 18).
pub const EXISTING_TRANSPORT_SQL: &str = "SELECT event, subject_id FROM alert
    WHERE subject = 'transport' AND subject_id IN (SELECT id FROM transport
      WHERE status = 'requested' AND status NOT IN ('back_in_service', 'cancelled'))";

/// The events already recorded about open subjects (unresolved escalations, waiting
/// requests): the rule pass runs every second, so it never reads the whole history.
fn existing(conn: &Connection, subject: Subject) -> Result<HashSet<(Event, i64)>> {
    let sql = match subject {
        Subject::Escalation => {
            "SELECT event, subject_id FROM alert WHERE subject = 'escalation'
               AND subject_id IN (SELECT id FROM escalation WHERE state <> 'resolved')"
        }
        Subject::Transport => EXISTING_TRANSPORT_SQL,
    };
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .filter_map(|(e, id)| Event::parse(&e).map(|e| (e, id)))
        .collect())
}

/// The alert events owed at `now` that are not recorded yet, and the live ones to retire.
pub fn plan(conn: &Connection, town: &Town, now: DateTime<Utc>) -> Result<Plan> {
    let mut owed = Vec::new();
    // the most urgent event told of each open escalation, looked up by id: a search of
    // every alert for each escalation was quadratic, seconds with 77,000 open (issue 18)
    let mut latest: HashMap<i64, Event> = HashMap::new();
    for (ev, id) in existing(conn, Subject::Escalation)? {
        let told = latest.entry(id).or_insert(ev);
        *told = (*told).max(ev);
    }
    for e in open_escalations(conn)? {
        // only the most urgent event owed is told: a watcher started late does not send
        // three messages about one escalation, nor one older than what was already told
        let Some(last) = escalation_events(e.due, e.grace, e.state, now).pop() else {
            continue;
        };
        let told = latest.get(&e.id).is_some_and(|ev| *ev >= last);
        if !told {
            owed.push(Owed {
                event: last,
                subject: Subject::Escalation,
                subject_id: e.id,
                title: e.title.clone(),
            });
        }
    }
    let have = existing(conn, Subject::Transport)?;
    for t in open_transports(conn)? {
        if t.severity == Severity::Critical
            && t.status == TripStatus::Requested
            && !have.contains(&(Event::New, t.id))
        {
            owed.push(Owed {
                event: Event::New,
                subject: Subject::Transport,
                subject_id: t.id,
                title: Msg::new("alert.critical")
                    .arg("id", t.id)
                    .arg("village", town.place_name(&t.village, Lang::En))
                    .render(Lang::En),
            });
        }
    }
    let retire: i64 = conn
        .prepare_cached(&format!("SELECT COUNT(*) FROM alert WHERE {GONE}"))?
        .query_row([], |r| r.get(0))?;
    Ok(Plan { owed, retire })
}

/// Records the owed alerts (each once: INSERT OR IGNORE on the alert's key, inside the
/// pass's transaction) and retires those whose cause is gone; returns the new alerts' ids
/// and the retired ones'.
pub fn notice(w: &mut Writer<'_>, town: &Town) -> Result<(Vec<i64>, Vec<i64>)> {
    let p = plan(w.tx, town, w.ctx.now)?;
    let now = w.now_db();
    let mut made = Vec::new();
    for o in &p.owed {
        let n = w.tx.execute(
            "INSERT OR IGNORE INTO alert (event, subject, subject_id, occurrence, title, created_at)
             VALUES (?1, ?2, ?3, 1, ?4, ?5)",
            params![
                o.event.as_str(),
                o.subject.as_str(),
                o.subject_id,
                o.title,
                now
            ],
        )?;
        if n > 0 {
            made.push(w.tx.last_insert_rowid());
        }
    }
    let mut retired = Vec::new();
    if p.retire > 0 {
        let mut stmt = w.tx.prepare_cached(&format!(
            "UPDATE alert SET retired_at = ?1 WHERE {GONE} RETURNING id"
        ))?;
        retired = stmt
            .query_map([&now], |r| r.get::<_, i64>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
    }
    Ok((made, retired))
}

/// Marks one alert seen by the writer's operator (a second mark keeps the first).
pub fn mark_seen(w: &mut Writer<'_>, id: i64) -> Result<bool> {
    let n = w.tx.execute(
        "UPDATE alert SET seen_by = ?2, seen_at = ?3 WHERE id = ?1 AND seen_by IS NULL",
        params![id, w.ctx.operator, w.now_db()],
    )?;
    if n > 0 {
        w.audit(AuditAction::AlertSeen, &format!("alert:{id}"), json!({}))?;
    }
    Ok(n > 0)
}

/// The people on the open shift, as recipients are chosen from (`domain::alerts`).
pub fn on_duty(conn: &Connection, town: &Town, now: DateTime<Utc>) -> Result<OnDuty> {
    let start = current_shift_start(conn, now)?;
    let person = |name: &str, fallback: Option<Role>| {
        let s = town.staff_member(name);
        Recipient {
            name: name.to_string(),
            role: role_name(s.map(|s| s.role).or(fallback)),
            phone: s.map(|s| s.phone.clone()).unwrap_or_default(),
        }
    };
    let by_role = |role: Role| {
        town.staff
            .iter()
            .filter(|s| s.role == role)
            .map(|s| person(&s.name, None))
            .collect::<Vec<_>>()
    };
    let rota = roster(conn, start)?;
    let mut duty = OnDuty::default();
    for (name, d) in &rota {
        match d {
            Duty::Officer => duty.officers.push(person(name, Some(Role::DutyOfficer))),
            Duty::Leader => duty.leaders.push(person(name, Some(Role::DutyLeader))),
        }
    }
    // a shift nobody was put on: the staff list's duty officers and leaders stand in
    if duty.officers.is_empty() {
        duty.officers = by_role(Role::DutyOfficer);
    }
    if duty.leaders.is_empty() {
        duty.leaders = by_role(Role::DutyLeader);
    }
    duty.shift_leads = by_role(Role::ShiftLead);
    Ok(duty)
}

/// An alert claimed for delivery, with what its hook is to read.
#[derive(Debug, Clone, PartialEq)]
pub struct Claimed {
    /// The alert.
    pub id: i64,
    /// The hook's JSON object.
    pub payload: Payload,
}

/// Claims the oldest alert owed a delivery attempt at `now` for the process `who`, in one
/// transaction (a live claim by another process keeps it from being taken); counts the
/// attempt. `None` when nothing is owed.
pub fn claim(store: &mut Store, town: &Town, ctx: &Ctx, who: &str) -> Result<Option<Claimed>> {
    const DUE: &str = "delivered_at IS NULL AND retired_at IS NULL AND gave_up_at IS NULL
        AND (next_attempt_at IS NULL OR next_attempt_at <= ?1)
        AND (claimed_until IS NULL OR claimed_until <= ?1)";
    // a look without the write lock first: most passes owe nothing
    let any: bool = store
        .conn()
        .prepare_cached(&format!("SELECT EXISTS (SELECT 1 FROM alert WHERE {DUE})"))?
        .query_row([to_db(ctx.now)], |r| r.get(0))?;
    if !any {
        return Ok(None);
    }
    let rctx = Ctx {
        operator: super::rules::RULES_OPERATOR.to_string(),
        now: ctx.now,
    };
    store.write_or_rollback(&rctx, |w| {
        let now = w.now_db();
        let row =
            w.tx.prepare_cached(&format!(
                "SELECT {COLS} FROM alert WHERE {DUE} ORDER BY id LIMIT 1"
            ))?
            .query_row([&now], read_row)
            .optional()?;
        let Some(row) = row else {
            return Ok((None, false));
        };
        let until = to_db(plus(w.ctx.now, CLAIM_FOR));
        w.tx.execute(
            "UPDATE alert SET claimed_by = ?2, claimed_until = ?3, attempts = attempts + 1
             WHERE id = ?1",
            params![row.id, who, until],
        )?;
        w.audit(
            AuditAction::AlertAttempt,
            &format!("alert:{}", row.id),
            json!({"by": who, "attempt": row.attempts + 1}),
        )?;
        let payload = payload(w.tx, town, &row, w.ctx.now)?;
        Ok((
            Some(Claimed {
                id: row.id,
                payload,
            }),
            true,
        ))
    })
}

fn payload(conn: &Connection, town: &Town, a: &AlertRow, now: DateTime<Utc>) -> Result<Payload> {
    let (kind, village, due) = match a.subject {
        Subject::Escalation => match escalation(conn, a.subject_id)? {
            Some(e) => (e.kind.as_str().to_string(), e.village, Some(to_db(e.due))),
            None => (String::new(), None, None),
        },
        Subject::Transport => match transport(conn, a.subject_id)? {
            Some(t) => (t.severity.as_str().to_string(), Some(t.village), None),
            None => (String::new(), None, None),
        },
    };
    Ok(Payload {
        id: a.id,
        event: a.event.as_str(),
        subject: a.subject.as_str(),
        subject_id: a.subject_id,
        kind,
        title: a.title.clone(),
        village,
        due,
        recipients: alerts::recipients(a.event, &on_duty(conn, town, now)?),
    })
}

/// Records how a claimed delivery went: delivered, or the error and when to try again
/// (or that the hour of retries is over). Only the claim's holder records it.
pub fn finish(
    store: &mut Store,
    ctx: &Ctx,
    who: &str,
    id: i64,
    outcome: std::result::Result<(), String>,
) -> Result<()> {
    let rctx = Ctx {
        operator: super::rules::RULES_OPERATOR.to_string(),
        now: ctx.now,
    };
    store.write_or_rollback(&rctx, |w| {
        let row: Option<(String, i64)> =
            w.tx.query_row(
                "SELECT created_at, attempts FROM alert WHERE id = ?1 AND claimed_by = ?2",
                params![id, who],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((created, attempts)) = row else {
            return Ok(((), false));
        };
        let now = w.now_db();
        match outcome {
            Ok(()) => {
                w.tx.execute(
                    "UPDATE alert SET delivered_at = ?2, last_error = NULL, claimed_by = NULL,
                       claimed_until = NULL WHERE id = ?1",
                    params![id, now],
                )?;
                w.audit(
                    AuditAction::AlertDelivered,
                    &format!("alert:{id}"),
                    json!({"by": who, "attempts": attempts}),
                )?;
            }
            Err(error) => {
                let created = from_db(&created).unwrap_or(w.ctx.now);
                let next = alerts::next_attempt(created, attempts, w.ctx.now);
                let gave_up = next.is_none().then(|| now.clone());
                w.tx.execute(
                    "UPDATE alert SET last_error = ?2, next_attempt_at = ?3, gave_up_at = ?4,
                       claimed_by = NULL, claimed_until = NULL WHERE id = ?1",
                    params![id, error, next.map(to_db), gave_up],
                )?;
                w.audit(
                    AuditAction::AlertFailed,
                    &format!("alert:{id}"),
                    json!({"by": who, "attempts": attempts, "error": error,
                           "gave_up": next.is_none()}),
                )?;
            }
        }
        Ok(((), true))
    })
}

/// An alert's title in `lang`: rule escalations and transport requests re-rendered, a
/// person's title as typed.
pub fn title_in(conn: &Connection, town: &Town, a: &AlertRow, lang: Lang) -> Result<String> {
    Ok(match a.subject {
        Subject::Escalation => match escalation(conn, a.subject_id)? {
            Some(e) => crate::domain::escalation::display_title(&e, town, lang),
            None => a.title.clone(),
        },
        Subject::Transport => match transport(conn, a.subject_id)? {
            Some(t) => Msg::new("alert.critical")
                .arg("id", t.id)
                .arg("village", town.place_name(&t.village, lang))
                .render(lang),
            None => a.title.clone(),
        },
    })
}

fn items(conn: &Connection, town: &Town, rows: Vec<AlertRow>) -> Result<Vec<InboxItem>> {
    rows.into_iter()
        .map(|row| {
            Ok(InboxItem {
                title_en: title_in(conn, town, &row, Lang::En)?,
                title_zh: title_in(conn, town, &row, Lang::Zh)?,
                row,
            })
        })
        .collect()
}

/// How many alerts nobody has seen whose cause is still there.
pub fn unseen_count(conn: &Connection) -> Result<usize> {
    let n: i64 = conn
        .prepare_cached("SELECT COUNT(*) FROM alert WHERE seen_by IS NULL AND retired_at IS NULL")?
        .query_row([], |r| r.get(0))?;
    Ok(usize::try_from(n).unwrap_or(0))
}

/// [`unseen`] for the console.
pub fn inbox_unseen(conn: &Connection, town: &Town) -> Result<Vec<InboxItem>> {
    items(conn, town, unseen(conn)?)
}

/// [`recent`] for the console.
pub fn inbox_recent(conn: &Connection, town: &Town, limit: i64) -> Result<Vec<InboxItem>> {
    items(conn, town, recent(conn, limit)?)
}
