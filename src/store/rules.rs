//! Applies the automatic rules (domain::rules) and the deadline marks in one audited
//! transaction. Consoles run it every second and after every write; `escalation list`
//! runs the rules before answering, so every reader sees the same state.

use crate::domain::audit_action::AuditAction;
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;

use super::escalations::{NewEscalation, open_escalations, raise, stock};
use super::fleet::open_transports;
use super::shiftlog::{current_shift_start, log_auto, roster};
use super::{Ctx, Result, Store, Writer};
use crate::domain::escalation::EscalationRow;
use crate::domain::rules::{
    self, Count, DueMarks, Facts, OpenSubject, Plan, Subject, Waiting, cleared_key, due_marks,
};
use crate::domain::shift::{Duty, LogCategory};
use crate::domain::time::{from_db, local_date, local_instant};
use crate::domain::town::Town;
use crate::domain::transport::TripStatus;
use crate::i18n::{Lang, Msg};

/// The operator recorded on what the rules do (the audit also names who ran them).
pub const RULES_OPERATOR: &str = "duty-desk";

/// What one pass changed, by escalation id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outcome {
    /// Raised by a rule.
    pub raised: Vec<i64>,
    /// Cleared by themselves.
    pub cleared: Vec<i64>,
    /// Newly overdue (alert).
    pub overdue: Vec<i64>,
    /// Raised to the duty leader (alert again).
    pub to_leader: Vec<i64>,
    /// Alert records made (issue 14), by alert id.
    pub alerts: Vec<i64>,
    /// Alert records retired because their cause went away, by alert id.
    pub retired_alerts: Vec<i64>,
    /// Open escalations whose figures changed while they stayed open (the overdue count of
    /// an `overdue_contact`), their details and title rewritten.
    pub recounted: Vec<i64>,
}

impl Outcome {
    /// True when the pass changed nothing.
    pub fn is_empty(&self) -> bool {
        self.raised.is_empty()
            && self.cleared.is_empty()
            && self.overdue.is_empty()
            && self.to_leader.is_empty()
            && self.alerts.is_empty()
            && self.retired_alerts.is_empty()
            && self.recounted.is_empty()
    }
}

/// Whether a pass also sets the deadline marks that drive console alerts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marks {
    /// Rules only (the command line: it alerts nobody).
    No,
    /// Rules and marks (a console, which alerts on them).
    Yes,
}

/// Runs the rules at `ctx.now`; writes (one transaction) only when something changes.
pub fn run(store: &mut Store, town: &Town, ctx: &Ctx, marks: Marks) -> Result<Outcome> {
    let (plan, recount) = compute(store.conn(), town, ctx.now)?;
    let pending_marks = match marks {
        Marks::Yes => due(&open_escalations(store.conn())?, ctx.now),
        Marks::No => Vec::new(),
    };
    let pending_alerts = super::alerts::plan(store.conn(), town, ctx.now)?;
    if plan.is_empty()
        && recount.is_empty()
        && pending_marks.is_empty()
        && pending_alerts.is_empty()
    {
        return Ok(Outcome::default());
    }
    let rctx = Ctx {
        operator: RULES_OPERATOR.to_string(),
        now: ctx.now,
    };
    store.write_or_rollback(&rctx, |w| {
        // look again under the write lock: another console may have got here first
        let (plan, recount) = compute(w.tx, town, w.ctx.now)?;
        let mut out = apply_plan(w, town, plan)?;
        out.recounted = apply_recount(w, town, recount)?;
        if marks == Marks::Yes {
            apply_marks(w, &mut out)?;
        }
        // every process that runs the rules records the alert events the same way
        (out.alerts, out.retired_alerts) = super::alerts::notice(w, town)?;
        if out.is_empty() {
            return Ok((out, false));
        }
        w.audit(
            AuditAction::RulesRun,
            "rules",
            json!({"run_by": ctx.operator, "raised": out.raised, "cleared": out.cleared,
                   "overdue": out.overdue, "to_leader": out.to_leader,
                   "alerts": out.alerts, "retired_alerts": out.retired_alerts,
                   "recounted": out.recounted}),
        )?;
        Ok((out, true))
    })
}

/// An open rule escalation whose details no longer match its finding: (id, subject, new
/// details).
type Recount = Vec<(i64, String, String)>;

fn compute(conn: &Connection, town: &Town, now: DateTime<Utc>) -> Result<(Plan, Recount)> {
    with_facts(conn, town, now, |facts, open| {
        let findings = rules::evaluate(facts);
        let recount = recount(conn, &findings, open)?;
        let mut by_person = HashMap::new();
        let open_set: HashSet<&str> = open.iter().map(|o| o.subject.as_str()).collect();
        for subject in findings.iter().map(|f| f.subject.to_string()) {
            if open_set.contains(subject.as_str()) {
                continue;
            }
            if let Some(at) = resolved_by_person(conn, &subject)? {
                by_person.insert(subject, at);
            }
        }
        Ok((rules::plan(findings, open, &by_person), recount))
    })
}

/// The open `overdue_contact` escalations whose count changed (issue 15: the count is in
/// the title, and the escalation stays the same one while the village has anyone overdue).
fn recount(
    conn: &Connection,
    findings: &[rules::Finding],
    open: &[OpenSubject],
) -> Result<Recount> {
    let mut out = Vec::new();
    for f in findings
        .iter()
        .filter(|f| f.kind() == crate::domain::escalation::Kind::OverdueContact)
    {
        let subject = f.subject.to_string();
        let Some(o) = open.iter().find(|o| o.subject == subject) else {
            continue;
        };
        let details: String = conn
            .prepare_cached("SELECT details FROM escalation WHERE id = ?1")?
            .query_row([o.id], |r| r.get(0))?;
        if details != f.details {
            out.push((o.id, subject, f.details.clone()));
        }
    }
    Ok(out)
}

/// Rewrites the recounted escalations' details and stored (English) title.
fn apply_recount(w: &mut Writer<'_>, town: &Town, recount: Recount) -> Result<Vec<i64>> {
    let name = english_name(town);
    let mut done = Vec::new();
    for (id, subject, details) in recount {
        let title = rules::overdue_contact::rule_title(&subject, &details, Lang::En, &name)
            .unwrap_or_else(|| subject.clone());
        let changed = w.tx.execute(
            "UPDATE escalation SET details = ?2, title = ?3 WHERE id = ?1 AND state <> 'resolved'",
            params![id, details, title],
        )?;
        if changed > 0 {
            done.push(id);
        }
    }
    Ok(done)
}

/// Reads what the rules look at (every query here is an index seek or bounded by what is
/// open, never by history) and hands it to `f` with the open rule subjects.
fn with_facts<R>(
    conn: &Connection,
    town: &Town,
    now: DateTime<Utc>,
    f: impl FnOnce(&Facts<'_>, &[OpenSubject]) -> Result<R>,
) -> Result<R> {
    let open = open_subjects(conn)?;
    let today = local_date(now, town.info.offset);
    let cutoff = local_instant(today, town.info.report_cutoff, town.info.offset);
    let mut pending_days: Vec<NaiveDate> = open
        .iter()
        .filter_map(|o| match Subject::parse(&o.subject) {
            Some(Subject::MissingReport { day, .. }) => Some(day),
            _ => None,
        })
        .collect();
    pending_days.sort();
    pending_days.dedup();
    let mut reported = HashSet::new();
    let mut stmt = conn.prepare_cached("SELECT village FROM daily_report WHERE date = ?1")?;
    for day in pending_days.iter().chain(std::iter::once(&today)) {
        for v in stmt.query_map([day.to_string()], |r| r.get::<_, String>(0))? {
            reported.insert((v?, *day));
        }
    }
    let counts: Vec<Count> = stock(conn)?
        .into_iter()
        .map(|s| Count {
            counted_at: from_db(&s.updated_at).unwrap_or(now),
            place: s.place,
            item: s.item,
            quantity: s.quantity,
        })
        .collect();
    let waiting: Vec<Waiting> = open_transports(conn)?
        .into_iter()
        .filter(|t| t.status == TripStatus::Requested)
        .map(|t| Waiting {
            requested_at: from_db(&t.requested_at).unwrap_or(now),
            id: t.id,
            village: t.village,
            severity: t.severity,
        })
        .collect();
    let capacity = super::facility::capacity(conn)?;
    let open_shift = current_shift_start(conn, now)?;
    let day_start = local_instant(today, chrono::NaiveTime::MIN, town.info.offset);
    let overdue_contacts: Vec<rules::overdue_contact::OverdueVillage> =
        super::people::overdue_by_village(conn, town, today)?
            .into_iter()
            .map(
                |(village, count, cadres)| rules::overdue_contact::OverdueVillage {
                    village,
                    count,
                    cadres,
                    since: day_start,
                },
            )
            .collect();
    let facts = Facts {
        now,
        today,
        cutoff,
        villages: &town.villages,
        reported: &reported,
        pending_days: &pending_days,
        stock: &counts,
        // the surge values while surge is on (issue 16)
        threshold_percent: town.info.stock_threshold_in_effect(),
        waiting: &waiting,
        critical_wait: crate::domain::time::minutes(town.info.critical_wait_in_effect()),
        severe_wait: crate::domain::time::minutes(town.info.severe_wait_in_effect()),
        health_centers: &town.health_centers,
        capacity: &capacity,
        min_oximeters_hc: town.info.min_oximeters_hc,
        open_shift,
        open_shift_date: local_date(open_shift, town.info.offset),
        // the surge grace while surge is on (issue 16)
        handover_grace: crate::domain::time::minutes(town.info.handover_grace_in_effect()),
        overdue_contacts: &overdue_contacts,
    };
    f(&facts, &open)
}

/// The first instant after `now` at which a rule pass could change something with no new
/// data: a rule's time threshold ([`rules::next_change`]) or an open escalation's deadline
/// mark ([`rules::next_mark`]). Until then, and while no one writes, a pass finds nothing.
pub fn next_wake(
    conn: &Connection,
    town: &Town,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>> {
    let tomorrow = local_date(now, town.info.offset).succ_opt();
    let day_ends = tomorrow
        .map(|d| local_instant(d, chrono::NaiveTime::MIN, town.info.offset))
        .unwrap_or(DateTime::<Utc>::MAX_UTC);
    let rule = with_facts(conn, town, now, |facts, _| {
        Ok(rules::next_change(facts, day_ends))
    })?;
    let marks = open_escalations(conn)?.into_iter().filter_map(|e| {
        rules::next_mark(
            e.due,
            e.grace,
            now,
            e.alerted_overdue_at.is_some(),
            e.escalated_at.is_some(),
        )
    });
    Ok(rule.into_iter().chain(marks).min())
}

/// Decides whether a console's periodic rule pass has anything to look at: it runs when
/// the database changed (`PRAGMA data_version`), the minute moved on, the clock went
/// back, or the next time threshold ([`next_wake`]) has come; otherwise it does no work.
#[derive(Debug, Clone, Default)]
pub struct Gate {
    last: Option<GateMark>,
}

#[derive(Debug, Clone, Copy)]
struct GateMark {
    version: i64,
    at: DateTime<Utc>,
    wake: Option<DateTime<Utc>>,
}

impl Gate {
    /// True when a pass at `now` could change something.
    pub fn due(&self, version: i64, now: DateTime<Utc>) -> bool {
        use chrono::Timelike;
        let Some(m) = self.last else {
            return true;
        };
        let minute = |t: DateTime<Utc>| (t.date_naive(), t.hour(), t.minute());
        m.version != version
            || now < m.at
            || minute(now) != minute(m.at)
            || m.wake.is_some_and(|w| now >= w)
    }

    /// Forgets the last pass (after a write of our own, which `data_version` does not show).
    pub fn reset(&mut self) {
        self.last = None;
    }

    /// Runs the rules at `ctx.now` if [`Gate::due`], then notes when the next pass is owed.
    /// `None` when the pass was skipped.
    pub fn run(
        &mut self,
        store: &mut Store,
        town: &Town,
        ctx: &Ctx,
        marks: Marks,
    ) -> Result<Option<Outcome>> {
        let version = store.data_version()?;
        if !self.due(version, ctx.now) {
            return Ok(None);
        }
        self.last = None;
        let out = run(store, town, ctx, marks)?;
        let wake = next_wake(store.conn(), town, ctx.now)?;
        self.last = Some(GateMark {
            version: store.data_version()?,
            at: ctx.now,
            wake,
        });
        Ok(Some(out))
    }
}

fn open_subjects(conn: &Connection) -> Result<Vec<OpenSubject>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, subject FROM escalation WHERE subject IS NOT NULL AND state <> 'resolved'",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok(OpenSubject {
                id: r.get(0)?,
                subject: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

fn resolved_by_person(conn: &Connection, subject: &str) -> Result<Option<DateTime<Utc>>> {
    let at: Option<String> = conn
        .prepare_cached(
            // one seek on escalation_resolved_by_subject, newest first (schema_010_perf)
            "SELECT resolved_at FROM escalation
             WHERE subject = ?1 AND state = 'resolved' AND resolved_by <> ?2
               AND resolved_at IS NOT NULL
             ORDER BY resolved_at DESC LIMIT 1",
        )?
        .query_row(params![subject, RULES_OPERATOR], |r| r.get(0))
        .optional()?;
    Ok(at.and_then(|s| from_db(&s)))
}

/// The English names of places, for the stored titles (displays re-render them).
fn english_name(town: &Town) -> impl Fn(&str) -> String + '_ {
    move |code| town.place_name(code, Lang::En)
}

fn apply_plan(w: &mut Writer<'_>, town: &Town, plan: Plan) -> Result<Outcome> {
    let mut out = Outcome::default();
    let name = english_name(town);
    for f in plan.raise {
        let kind = f.kind();
        let title =
            rules::overdue_contact::rule_title(&f.subject.to_string(), &f.details, Lang::En, &name)
                .unwrap_or_else(|| f.subject.title(Lang::En, &name));
        let id = raise(
            w,
            &NewEscalation {
                kind,
                title,
                village: f.village,
                place: f.place,
                details: f.details,
                direct: false,
                subject: Some(f.subject.to_string()),
                due: f.due,
                // an overdue handover is the duty leader's at once
                grace_minutes: if kind == crate::domain::escalation::Kind::HandoverOverdue {
                    0
                } else {
                    town.info.escalation_grace_minutes
                },
            },
        )?;
        out.raised.push(id);
    }
    for (id, subject) in plan.clear {
        let key = cleared_key(&subject);
        let note = Msg::new(key).render(Lang::En);
        let changed = w.tx.execute(
            "UPDATE escalation SET state = 'resolved', resolved_at = ?2, resolved_by = ?3,
               resolution_note = ?4 WHERE id = ?1 AND state <> 'resolved'",
            params![id, w.now_db(), w.ctx.operator, note],
        )?;
        if changed == 0 {
            continue;
        }
        let title: String =
            w.tx.query_row("SELECT title FROM escalation WHERE id = ?1", [id], |r| {
                r.get(0)
            })?;
        w.audit(
            AuditAction::EscalationAutoResolve,
            &format!("escalation:{id}"),
            json!({"note": note, "reason": key, "subject": subject}),
        )?;
        log_auto(
            w,
            LogCategory::Escalation,
            Msg::new("log.auto.escalation_cleared")
                .arg("id", id)
                .arg("title", &title)
                .arg("subject", &subject),
        )?;
        out.cleared.push(id);
    }
    Ok(out)
}

fn due(rows: &[EscalationRow], now: DateTime<Utc>) -> Vec<(i64, DueMarks)> {
    rows.iter()
        .map(|e| {
            (
                e.id,
                due_marks(
                    e.due,
                    e.grace,
                    now,
                    e.alerted_overdue_at.is_some(),
                    e.escalated_at.is_some(),
                ),
            )
        })
        .filter(|(_, m)| m.overdue || m.to_leader)
        .collect()
}

/// The duty leader of the current shift, if one is on the roster.
pub fn duty_leader(conn: &Connection, now: DateTime<Utc>) -> Result<Option<String>> {
    let start = current_shift_start(conn, now)?;
    Ok(roster(conn, start)?
        .into_iter()
        .find(|(_, d)| *d == Duty::Leader)
        .map(|(n, _)| n))
}

/// Keeps a rule escalation's subject on its log message (titles re-read per language).
fn subject_arg(m: Msg, e: &EscalationRow) -> Msg {
    match &e.subject {
        Some(s) => m.arg("subject", s),
        None => m,
    }
}

fn apply_marks(w: &mut Writer<'_>, out: &mut Outcome) -> Result<()> {
    let rows = open_escalations(w.tx)?;
    let marks = due(&rows, w.ctx.now);
    if marks.is_empty() {
        return Ok(());
    }
    let leader = duty_leader(w.tx, w.ctx.now)?.unwrap_or_default();
    for (id, m) in marks {
        let Some(e) = rows.iter().find(|e| e.id == id) else {
            continue;
        };
        if m.overdue {
            w.tx.execute(
                "UPDATE escalation SET alerted_overdue_at = ?2 WHERE id = ?1 AND alerted_overdue_at IS NULL",
                params![id, w.now_db()],
            )?;
            w.audit(
                AuditAction::EscalationOverdue,
                &format!("escalation:{id}"),
                json!({"due": crate::domain::time::to_db(e.due), "state": e.state.as_str()}),
            )?;
            // one log line per event: overdue and past the grace in one pass (a rule's
            // escalation has no grace) is said once, by the line below (issue 19)
            if !m.to_leader {
                log_auto(
                    w,
                    LogCategory::Escalation,
                    subject_arg(
                        Msg::new("log.auto.escalation_overdue")
                            .arg("id", id)
                            .arg("title", &e.title),
                        e,
                    ),
                )?;
            }
            out.overdue.push(id);
        }
        if m.to_leader {
            w.tx.execute(
                "UPDATE escalation SET escalated_at = ?2 WHERE id = ?1 AND escalated_at IS NULL",
                params![id, w.now_db()],
            )?;
            w.audit(
                AuditAction::EscalationToLeader,
                &format!("escalation:{id}"),
                json!({"leader": leader, "grace_minutes": e.grace.num_minutes()}),
            )?;
            log_auto(
                w,
                LogCategory::Escalation,
                subject_arg(
                    Msg::new("log.auto.escalation_to_leader")
                        .arg("id", id)
                        .arg("title", &e.title)
                        .arg("leader", &leader),
                    e,
                ),
            )?;
            out.to_leader.push(id);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use rusqlite::{Connection, params};

    /// The query before issue 18, kept to prove the rewrite answers the same.
    fn old(conn: &Connection, subject: &str) -> Option<String> {
        conn.query_row(
            "SELECT MAX(resolved_at) FROM escalation
             WHERE subject = ?1 AND state = 'resolved' AND resolved_by <> ?2",
            params![subject, super::RULES_OPERATOR],
            |r| r.get(0),
        )
        .unwrap()
    }

    fn db() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        super::super::schema::migrate(&mut conn).unwrap();
        let rows: [(&str, &str, Option<&str>, Option<&str>); 9] = [
            ("a", "resolved", Some("2026-11-20T01:00:00Z"), Some("wang")),
            ("a", "resolved", Some("2026-11-22T01:00:00Z"), Some("li")),
            (
                "a",
                "resolved",
                Some("2026-11-25T01:00:00Z"),
                Some("duty-desk"),
            ),
            ("a", "open", None, None),
            (
                "b",
                "resolved",
                Some("2026-11-21T01:00:00Z"),
                Some("duty-desk"),
            ),
            ("c", "acknowledged", None, None),
            ("d", "resolved", Some("2026-11-23T01:00:00Z"), None),
            ("e", "resolved", Some("2026-11-19T01:00:00Z"), Some("zhao")),
            ("e", "resolved", Some("2026-11-19T00:59:59Z"), Some("zhao")),
        ];
        for (subject, state, at, by) in rows {
            conn.execute(
                "INSERT INTO escalation (kind, title, subject, due, state, raised_at, raised_by,
                   resolved_at, resolved_by, resolution_note)
                 VALUES ('missing_report', 't', ?1, '2026-11-19T00:00:00Z', ?2,
                   '2026-11-19T00:00:00Z', 'x', ?3, ?4, 'n')",
                params![subject, state, at, by],
            )
            .unwrap();
        }
        conn
    }

    #[test]
    fn the_indexed_lookup_answers_as_the_scan_did() {
        let conn = db();
        for subject in ["a", "b", "c", "d", "e", "nothing"] {
            let new = super::resolved_by_person(&conn, subject).unwrap();
            let old = old(&conn, subject).and_then(|s| crate::domain::time::from_db(&s));
            assert_eq!(new, old, "subject {subject}");
        }
        assert!(super::resolved_by_person(&conn, "a").unwrap().is_some());
    }

    #[test]
    fn the_lookup_is_one_index_seek() {
        let conn = db();
        let plan: Vec<String> = conn
            .prepare(
                "EXPLAIN QUERY PLAN SELECT resolved_at FROM escalation
                 WHERE subject = ?1 AND state = 'resolved' AND resolved_by <> ?2
                   AND resolved_at IS NOT NULL
                 ORDER BY resolved_at DESC LIMIT 1",
            )
            .unwrap()
            .query_map(params!["a", super::RULES_OPERATOR], |r| r.get(3))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let plan = plan.join("\n");
        assert!(
            plan.contains("escalation_resolved_by_subject") && !plan.contains("TEMP B-TREE"),
            "{plan}"
        );
    }
}
