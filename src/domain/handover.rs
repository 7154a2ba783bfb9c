//! The shift handover, compiled from the live state in the spirit of I-PASS/SBAR: the
//! status in one line, the day's figures, the action list, the situation, the notes.
//!
//! Compilation is pure: the store reads [`Inputs`] and [`compile`] decides what goes in.
//! Open items are read live, so whatever is still open comes back in every handover until
//! it is closed; the result is frozen as JSON only when the incoming officer signs.

use chrono::Duration;
use serde::{Deserialize, Serialize};

use super::escalation::State;
use super::report::{Field, change};
use super::time::to_db;
use super::transport::{Severity, TripStatus};

mod inputs;
pub use inputs::{EscalationIn, Inputs, TripIn, VehicleIn};

/// How the shift stands, in one word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Something overdue or a patient waiting for a vehicle.
    Urgent,
    /// Open work, but nothing late.
    Attention,
    /// Nothing open.
    Quiet,
}

impl Level {
    /// Catalogue key of the word.
    pub fn label_key(self) -> &'static str {
        match self {
            Level::Urgent => "handover.level.urgent",
            Level::Attention => "handover.level.attention",
            Level::Quiet => "handover.level.quiet",
        }
    }
}

/// The one-line status: counts of what the incoming team takes over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Status {
    /// Overall level.
    pub level: Level,
    /// Unresolved escalations.
    pub open_escalations: usize,
    /// Of which past their deadline.
    pub overdue: usize,
    /// Transport requests waiting for a vehicle.
    pub waiting: usize,
    /// Trips under way.
    pub under_way: usize,
    /// Vehicles out of service.
    pub out_of_service: usize,
    /// Villages that have not reported.
    pub missing_reports: usize,
}

/// A team member on the handover.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// Name.
    pub name: String,
    /// `leader` or `officer`.
    pub duty: String,
}

/// One of the day's figures with its change since the day before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figure {
    /// Field name (`new_infections`, …).
    pub field: String,
    /// The town's total, `None` when nobody reported it.
    pub value: Option<i64>,
    /// Change since the day before.
    pub change: Option<i64>,
}

/// The day's figures and who is missing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayFigures {
    /// The day (YYYY-MM-DD).
    pub date: String,
    /// Villages expected.
    pub villages_expected: i64,
    /// Villages reported.
    pub villages_reported: i64,
    /// Village codes not reported.
    pub missing: Vec<String>,
    /// True when the cutoff has passed (the missing ones are late).
    pub late: bool,
    /// True when the day's report is signed.
    pub signed: bool,
    /// Cumulative infections / population of the villages that reported.
    pub infection_ratio: Option<f64>,
    /// Each figure.
    pub figures: Vec<Figure>,
}

/// Something the incoming team must act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ActionItem {
    /// An unresolved escalation.
    Escalation {
        /// Id.
        id: i64,
        /// Kind name.
        kind: String,
        /// Title.
        title: String,
        /// Rule subject, so a rule's title reads in the reader's language.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        subject: Option<String>,
        /// Village code.
        village: Option<String>,
        /// Place code (low stock).
        place: Option<String>,
        /// Who has it in hand (empty when nobody).
        owner: String,
        /// Deadline (UTC text).
        due: String,
        /// `open` or `acknowledged`.
        state: String,
        /// Past its deadline when compiled.
        overdue: bool,
        /// Raised before this shift began: handed over before and still open.
        carried: bool,
    },
    /// A transport request waiting for a vehicle.
    Transport {
        /// Id.
        id: i64,
        /// Village code.
        village: String,
        /// Patient.
        patient: String,
        /// Severity name.
        severity: String,
        /// Destination code.
        destination: String,
        /// When it was asked for (UTC text).
        requested_at: String,
        /// Minutes waited when compiled.
        waited_minutes: i64,
        /// Requested before this shift began.
        carried: bool,
    },
}

/// A trip under way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TripItem {
    /// Id.
    pub id: i64,
    /// Vehicle code.
    pub vehicle: String,
    /// Status name.
    pub status: String,
    /// Village code.
    pub village: String,
    /// Patient.
    pub patient: String,
    /// Severity name.
    pub severity: String,
    /// Destination code.
    pub destination: String,
    /// Since when in this status (UTC text).
    pub since: String,
}

/// A vehicle out of service and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VehicleItem {
    /// Code.
    pub code: String,
    /// Base code.
    pub base: String,
    /// Why.
    pub reason: String,
    /// Since (UTC text).
    pub since: String,
}

/// The compiled handover, as shown, printed, and frozen at signing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Handover {
    /// Shift start (UTC text).
    pub shift_start: String,
    /// Shift end (UTC text).
    pub shift_end: String,
    /// When compiled (UTC text).
    pub compiled_at: String,
    /// The outgoing team.
    pub outgoing: Vec<Member>,
    /// The status line.
    pub status: Status,
    /// The day's figures.
    pub day: DayFigures,
    /// What must be acted on, most pressing first.
    pub actions: Vec<ActionItem>,
    /// Trips under way.
    pub trips: Vec<TripItem>,
    /// Vehicles out of service.
    pub out_of_service: Vec<VehicleItem>,
    /// The outgoing team's notes.
    pub notes: String,
    /// Entries in the shift's log.
    pub log_entries: usize,
}

fn escalation_item(e: &EscalationIn, i: &Inputs) -> ActionItem {
    ActionItem::Escalation {
        id: e.id,
        kind: e.kind.as_str().into(),
        title: e.title.clone(),
        subject: e.subject.clone(),
        village: e.village.clone(),
        place: e.place.clone(),
        owner: e.owner.clone(),
        due: to_db(e.due),
        state: e.state.as_str().into(),
        overdue: i.now > e.due,
        carried: e.raised_at < i.shift_start,
    }
}

fn severity_rank(s: Severity) -> u8 {
    match s {
        Severity::Critical => 0,
        Severity::Severe => 1,
        Severity::Stable => 2,
    }
}

/// Compiles the handover: what goes in and in which order.
pub fn compile(i: &Inputs) -> Handover {
    let mut open: Vec<&EscalationIn> = i
        .escalations
        .iter()
        .filter(|e| e.state != State::Resolved)
        .collect();
    open.sort_by_key(|e| (e.due, e.id));
    let (overdue, pending): (Vec<&EscalationIn>, Vec<&EscalationIn>) =
        open.iter().partition(|e| i.now > e.due);
    let mut waiting: Vec<&TripIn> = i
        .transports
        .iter()
        .filter(|t| t.status == TripStatus::Requested)
        .collect();
    waiting.sort_by_key(|t| (severity_rank(t.severity), t.requested_at, t.id));
    let mut under_way: Vec<&TripIn> = i
        .transports
        .iter()
        .filter(|t| t.status.holds_vehicle())
        .collect();
    under_way.sort_by_key(|t| (t.requested_at, t.id));

    // what must be done first: overdue escalations, waiting requests, then the rest
    let mut actions: Vec<ActionItem> = overdue.iter().map(|e| escalation_item(e, i)).collect();
    actions.extend(waiting.iter().map(|t| waiting_item(t, i)));
    actions.extend(pending.iter().map(|e| escalation_item(e, i)));
    let counts = Status {
        level: Level::Quiet,
        open_escalations: open.len(),
        overdue: overdue.len(),
        waiting: waiting.len(),
        under_way: under_way.len(),
        out_of_service: i.out_of_service.len(),
        missing_reports: i.missing.len(),
    };
    Handover {
        shift_start: to_db(i.shift_start),
        shift_end: to_db(i.shift_end),
        compiled_at: to_db(i.now),
        outgoing: i
            .roster
            .iter()
            .map(|(n, d)| Member {
                name: n.clone(),
                duty: d.as_str().into(),
            })
            .collect(),
        status: Status {
            level: level(&counts, i.past_cutoff),
            ..counts
        },
        day: day_figures(i),
        actions,
        trips: under_way.iter().map(|t| trip_item(t)).collect(),
        out_of_service: i
            .out_of_service
            .iter()
            .map(|v| VehicleItem {
                code: v.code.clone(),
                base: v.base.clone(),
                reason: v.reason.clone(),
                since: to_db(v.since),
            })
            .collect(),
        notes: i.notes.trim().to_string(),
        log_entries: i.log_entries,
    }
}

/// Urgent while something is overdue or waiting; attention while anything is open, under
/// way, out of service or (after the cutoff) missing; quiet otherwise.
fn level(s: &Status, past_cutoff: bool) -> Level {
    if s.overdue > 0 || s.waiting > 0 {
        Level::Urgent
    } else if s.open_escalations > 0
        || s.under_way > 0
        || s.out_of_service > 0
        || (past_cutoff && s.missing_reports > 0)
    {
        Level::Attention
    } else {
        Level::Quiet
    }
}

/// A request waiting for a vehicle, as an action.
fn waiting_item(t: &TripIn, i: &Inputs) -> ActionItem {
    ActionItem::Transport {
        id: t.id,
        village: t.village.clone(),
        patient: t.patient.clone(),
        severity: t.severity.as_str().into(),
        destination: t.destination.clone(),
        requested_at: to_db(t.requested_at),
        waited_minutes: (i.now - t.requested_at).max(Duration::zero()).num_minutes(),
        carried: t.requested_at < i.shift_start,
    }
}

/// A trip under way.
fn trip_item(t: &TripIn) -> TripItem {
    TripItem {
        id: t.id,
        vehicle: t.vehicle.clone().unwrap_or_default(),
        status: t.status.as_str().into(),
        village: t.village.clone(),
        patient: t.patient.clone(),
        severity: t.severity.as_str().into(),
        destination: t.destination.clone(),
        since: to_db(t.since),
    }
}

/// The day's report in the handover: who reported, who is missing, the figures.
fn day_figures(i: &Inputs) -> DayFigures {
    let figures = Field::ALL
        .iter()
        .map(|f| Figure {
            field: f.as_str().into(),
            value: i.totals.get(*f),
            change: change(&i.totals, &i.before, *f),
        })
        .collect();
    DayFigures {
        date: i.day.to_string(),
        villages_expected: i.villages_expected,
        villages_reported: i.totals.reported,
        missing: i.missing.clone(),
        late: i.past_cutoff,
        signed: i.report_signed,
        infection_ratio: i.totals.infection_ratio(),
        figures,
    }
}

#[cfg(test)]
mod tests;
