//! Automatic escalations: the pure decisions of what the desk must chase. One function per
//! rule over [`Facts`]; [`plan`] turns findings into what to raise and what has cleared, so
//! the next rule (overdue key-population contacts) is one more function in [`RULES`] and
//! one more [`Subject`] variant (its stored form, title and kind).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::escalation::{Kind, StockItem, Urgency, urgency};
use super::town::Village;
use super::transport::Severity;
use crate::i18n::Lang;

mod subject;
pub use subject::{Equipment, Subject};

/// How long the desk has to chase a village's missing report after the cutoff.
pub const MISSING_REPORT_CHASE_MINUTES: i64 = 60;
/// How long a health center or clinic has to restock after its reserve falls below the line.
pub const LOW_STOCK_WINDOW_HOURS: i64 = 24;

/// A transport request still waiting for a vehicle.
#[derive(Debug, Clone, PartialEq)]
pub struct Waiting {
    /// Request id.
    pub id: i64,
    /// Village code.
    pub village: String,
    /// How urgent.
    pub severity: Severity,
    /// When it was asked for.
    pub requested_at: DateTime<Utc>,
}

/// One stock count, as the rules see it.
#[derive(Debug, Clone, PartialEq)]
pub struct Count {
    /// Health center or village code.
    pub place: String,
    /// Item.
    pub item: StockItem,
    /// Quantity on hand.
    pub quantity: i64,
    /// When it was counted.
    pub counted_at: DateTime<Utc>,
}

/// Everything the rules look at, read in one go by the store.
#[derive(Debug, Clone)]
pub struct Facts<'a> {
    /// The instant of evaluation.
    pub now: DateTime<Utc>,
    /// The town's date at `now`.
    pub today: NaiveDate,
    /// Today's report cutoff as an instant.
    pub cutoff: DateTime<Utc>,
    /// The town's villages.
    pub villages: &'a [Village],
    /// (village, date) pairs that have a report, for today and every day in `pending_days`.
    pub reported: &'a HashSet<(String, NaiveDate)>,
    /// Past days that still have an open missing-report escalation.
    pub pending_days: &'a [NaiveDate],
    /// Stock counts.
    pub stock: &'a [Count],
    /// Reserve line, percent of the population served.
    pub threshold_percent: f64,
    /// Requests waiting for a vehicle.
    pub waiting: &'a [Waiting],
    /// A critical request may wait this long.
    pub critical_wait: Duration,
    /// A severe request may wait this long.
    pub severe_wait: Duration,
    /// The health centers (their beds).
    pub health_centers: &'a [super::town::HealthCenter],
    /// Each health center's recorded facilities.
    pub capacity: &'a [super::facility::Capacity],
    /// Fewer oximeters than this at a health center is an escalation.
    pub min_oximeters_hc: i64,
    /// The open shift's start (the earliest started shift not signed over).
    pub open_shift: DateTime<Utc>,
    /// The town's date on which the open shift started.
    pub open_shift_date: NaiveDate,
    /// How long after its end the open shift may stay unsigned before the leader is told.
    pub handover_grace: Duration,
    /// Villages with key-population people overdue for contact today (issue 15).
    pub overdue_contacts: &'a [overdue_contact::OverdueVillage],
}

/// Something a rule says must be chased, keyed by its subject (one open escalation each).
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// The condition's identity, stored as e.g. `low_stock:HC2:drug_packs`.
    pub subject: Subject,
    /// Village concerned.
    pub village: Option<String>,
    /// Health center or clinic concerned (low stock).
    pub place: Option<String>,
    /// Figures behind it, language-neutral.
    pub details: String,
    /// Deadline.
    pub due: DateTime<Utc>,
    /// When the condition's evidence last changed; a person's resolution after this holds.
    pub evidence_at: DateTime<Utc>,
}

impl Finding {
    /// Kind of escalation, from the subject.
    pub fn kind(&self) -> Kind {
        self.subject.kind()
    }
}

/// The rule set, in order. Add the next rule here.
pub const RULES: [fn(&Facts<'_>) -> Vec<Finding>; 6] = [
    missing_reports,
    low_stock,
    transports_waiting,
    low_equipment,
    handover_overdue,
    overdue_contact::overdue_contact,
];

/// Runs every rule.
pub fn evaluate(f: &Facts<'_>) -> Vec<Finding> {
    RULES.iter().flat_map(|rule| rule(f)).collect()
}

/// Rule: a village with no report for today after the cutoff (and past days still missing).
pub fn missing_reports(f: &Facts<'_>) -> Vec<Finding> {
    let mut days: Vec<NaiveDate> = f
        .pending_days
        .iter()
        .copied()
        .filter(|d| *d < f.today)
        .collect();
    if f.now >= f.cutoff {
        days.push(f.today);
    }
    days.sort();
    days.dedup();
    let chase = Duration::minutes(MISSING_REPORT_CHASE_MINUTES);
    let mut out = Vec::new();
    for day in days {
        let cutoff = super::time::minus(f.cutoff, f.today - day);
        for v in f.villages {
            if f.reported.contains(&(v.code.clone(), day)) {
                continue;
            }
            out.push(Finding {
                subject: Subject::MissingReport {
                    village: v.code.clone(),
                    day,
                },
                village: Some(v.code.clone()),
                place: None,
                details: day.to_string(),
                due: super::time::plus(cutoff, chase),
                evidence_at: cutoff,
            });
        }
    }
    // a past day's missing report is kept only while its escalation is open
    out
}

/// The population a place serves: a health center its villages, a clinic its village.
pub fn served_population(place: &str, villages: &[Village]) -> Option<i64> {
    if let Some(v) = villages.iter().find(|v| v.code == place) {
        return Some(v.population);
    }
    let sum: i64 = villages
        .iter()
        .filter(|v| v.health_center == place)
        .fold(0i64, |a, v| a.saturating_add(v.population));
    (sum > 0).then_some(sum)
}

/// The reserve line: `percent` of `population`, rounded up.
pub fn reserve_line(population: i64, percent: f64) -> i64 {
    (population as f64 * percent / 100.0).ceil() as i64
}

/// Rule: drug packs or antigen kits below the reserve line at a health center or clinic.
pub fn low_stock(f: &Facts<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for c in f.stock {
        let Some(served) = served_population(&c.place, f.villages) else {
            continue;
        };
        let line = reserve_line(served, f.threshold_percent);
        if c.quantity >= line {
            continue;
        }
        let village = f
            .villages
            .iter()
            .find(|v| v.code == c.place)
            .map(|v| v.code.clone());
        out.push(Finding {
            subject: Subject::LowStock {
                place: c.place.clone(),
                item: c.item,
            },
            village,
            place: Some(c.place.clone()),
            details: format!(
                "{} {} < {line} ({}% x {served})",
                c.item.as_str(),
                c.quantity,
                f.threshold_percent
            ),
            due: super::time::plus(f.now, Duration::hours(LOW_STOCK_WINDOW_HOURS)),
            evidence_at: c.counted_at,
        });
    }
    out
}

/// Rule: a critical (or severe) request not dispatched within its allowed wait.
pub fn transports_waiting(f: &Facts<'_>) -> Vec<Finding> {
    f.waiting
        .iter()
        .filter_map(|t| {
            let limit = match t.severity {
                Severity::Critical => f.critical_wait,
                Severity::Severe => f.severe_wait,
                Severity::Stable => return None,
            };
            let due = super::time::plus(t.requested_at, limit);
            (f.now > due).then(|| Finding {
                subject: Subject::TransportWaiting {
                    id: t.id.to_string(),
                    severity: t.severity,
                },
                village: Some(t.village.clone()),
                place: None,
                details: format!("#{} {}", t.id, t.severity.as_str()),
                due,
                evidence_at: t.requested_at,
            })
        })
        .collect()
}

/// Rule: a health center short of oximeters or with its beds nearly full.
pub fn low_equipment(f: &Facts<'_>) -> Vec<Finding> {
    super::facility::low_equipment(f.capacity, f.health_centers, f.min_oximeters_hc, f.now)
}

/// When the open shift's handover is due at the latest: its end plus the grace (checked
/// arithmetic, as for every stored or configured span).
fn handover_due(f: &Facts<'_>) -> DateTime<Utc> {
    super::time::plus(
        super::time::plus(f.open_shift, super::shift::SHIFT_LENGTH),
        f.handover_grace,
    )
}

/// Rule: the open shift still unsigned `handover_grace` after its end. It is for the duty
/// leader at once (the escalation's own grace is zero); the sign-over clears it, since the
/// open shift moves on.
pub fn handover_overdue(f: &Facts<'_>) -> Vec<Finding> {
    let end = super::time::plus(f.open_shift, super::shift::SHIFT_LENGTH);
    let due = handover_due(f);
    if f.now < due {
        return Vec::new();
    }
    vec![Finding {
        subject: Subject::HandoverOverdue {
            day: f.open_shift_date,
        },
        village: None,
        place: None,
        details: format!(
            "{} +{}m",
            super::time::to_db(end),
            f.handover_grace.num_minutes()
        ),
        due,
        evidence_at: end,
    }]
}

/// An unresolved rule-raised escalation, as the planner sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenSubject {
    /// Escalation id.
    pub id: i64,
    /// Its subject.
    pub subject: String,
}

/// What a rule pass changes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    /// New escalations to raise.
    pub raise: Vec<Finding>,
    /// Open escalations whose condition has cleared: (id, subject).
    pub clear: Vec<(i64, String)>,
}

impl Plan {
    /// True when nothing changes.
    pub fn is_empty(&self) -> bool {
        self.raise.is_empty() && self.clear.is_empty()
    }
}

/// Decides what to raise and what to clear: one open escalation per subject; a subject a
/// person resolved stays resolved until its evidence changes (a new count, a new day).
pub fn plan(
    findings: Vec<Finding>,
    open: &[OpenSubject],
    resolved_by_person: &HashMap<String, DateTime<Utc>>,
) -> Plan {
    let open_subjects: HashSet<&str> = open.iter().map(|o| o.subject.as_str()).collect();
    let found: HashSet<String> = findings.iter().map(|f| f.subject.to_string()).collect();
    let clear = open
        .iter()
        .filter(|o| !found.contains(o.subject.as_str()))
        .map(|o| (o.id, o.subject.clone()))
        .collect();
    let mut seen = HashSet::new();
    let raise = findings
        .into_iter()
        .filter(|f| {
            let stored = f.subject.to_string();
            !open_subjects.contains(stored.as_str())
                && resolved_by_person
                    .get(&stored)
                    .is_none_or(|at| *at < f.evidence_at)
                && seen.insert(stored)
        })
        .collect();
    Plan { raise, clear }
}

/// The deadline marks an unresolved escalation is owed at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueMarks {
    /// It has just passed its deadline (open or acknowledged): alert.
    pub overdue: bool,
    /// It is overdue by more than its grace: raise to the duty leader and alert again.
    pub to_leader: bool,
}

/// Which marks an escalation needs, given the ones it already has.
pub fn due_marks(
    due: DateTime<Utc>,
    grace: Duration,
    now: DateTime<Utc>,
    alerted_overdue: bool,
    escalated: bool,
) -> DueMarks {
    let u = urgency(due, grace, now);
    DueMarks {
        overdue: u != Urgency::Pending && !alerted_overdue,
        to_leader: u == Urgency::RaisedToLeader && !escalated,
    }
}

/// The catalogue key of the note recorded when a rule's condition clears, from the stored
/// subject (`rule.cleared.other` for text no rule writes).
pub fn cleared_key(subject: &str) -> &'static str {
    Subject::parse(subject).map_or(Kind::Other.cleared_key(), |s| s.cleared_key())
}

/// The title of a rule-raised escalation in `lang`, from its stored subject; `name` maps a
/// code to a place name in that language. `None` for text no rule writes.
pub fn title(subject: &str, lang: Lang, name: &dyn Fn(&str) -> String) -> Option<String> {
    Subject::parse(subject).map(|s| s.title(lang, name))
}

/// The first instant after `f.now` at which [`evaluate`] could find something different
/// with no change to the data, time alone moving on: today's cutoff, the day's end
/// (`day_ends`, the town's next midnight), a request's allowed wait running out, the open
/// shift's handover grace running out. A console skips its rule pass until then (or until
/// the data changes). A condition written `now > t` first holds just after `t`.
pub fn next_change(f: &Facts<'_>, day_ends: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let after = |t: DateTime<Utc>| super::time::plus(t, Duration::nanoseconds(1));
    let mut candidates = vec![f.cutoff, day_ends];
    candidates.extend(f.waiting.iter().filter_map(|t| {
        let limit = match t.severity {
            Severity::Critical => f.critical_wait,
            Severity::Severe => f.severe_wait,
            Severity::Stable => return None,
        };
        Some(after(super::time::plus(t.requested_at, limit)))
    }));
    candidates.push(handover_due(f));
    candidates.into_iter().filter(|t| *t > f.now).min()
}

/// The first instant after `now` at which [`due_marks`] owes an escalation a mark it does
/// not have yet (its deadline, then its deadline plus grace, each first passed just after).
pub fn next_mark(
    due: DateTime<Utc>,
    grace: Duration,
    now: DateTime<Utc>,
    alerted_overdue: bool,
    escalated: bool,
) -> Option<DateTime<Utc>> {
    let after = |t: DateTime<Utc>| super::time::plus(t, Duration::nanoseconds(1));
    let overdue = (!alerted_overdue).then(|| after(due));
    let leader = (!escalated).then(|| after(super::time::plus(due, grace)));
    overdue.into_iter().chain(leader).filter(|t| *t > now).min()
}

pub mod overdue_contact;

#[cfg(test)]
mod tests;
