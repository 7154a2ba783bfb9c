//! What a handover is compiled from, as the store reads it at one instant.

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::escalation::{Kind, State};
use crate::domain::report::Totals;
use crate::domain::shift::Duty;
use crate::domain::transport::{Severity, TripStatus};

/// An escalation as the handover needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct EscalationIn {
    /// Id.
    pub id: i64,
    /// Kind.
    pub kind: Kind,
    /// Title.
    pub title: String,
    /// Rule subject (automatic escalations), for titles in the reader's language.
    pub subject: Option<String>,
    /// Village code.
    pub village: Option<String>,
    /// Health center or clinic code (low stock).
    pub place: Option<String>,
    /// Who has it in hand (empty when nobody yet).
    pub owner: String,
    /// Deadline.
    pub due: DateTime<Utc>,
    /// State.
    pub state: State,
    /// When it was raised.
    pub raised_at: DateTime<Utc>,
}

/// A transport request or trip as the handover needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct TripIn {
    /// Id.
    pub id: i64,
    /// Village code.
    pub village: String,
    /// Patient.
    pub patient: String,
    /// Severity.
    pub severity: Severity,
    /// Destination code.
    pub destination: String,
    /// Status.
    pub status: TripStatus,
    /// Vehicle code.
    pub vehicle: Option<String>,
    /// When it was asked for.
    pub requested_at: DateTime<Utc>,
    /// When its status last changed.
    pub since: DateTime<Utc>,
}

/// A vehicle out of service.
#[derive(Debug, Clone, PartialEq)]
pub struct VehicleIn {
    /// Code.
    pub code: String,
    /// Base (health center or village code).
    pub base: String,
    /// Why.
    pub reason: String,
    /// Since when.
    pub since: DateTime<Utc>,
}

/// Everything a handover is compiled from, read at one instant.
#[derive(Debug, Clone, PartialEq)]
pub struct Inputs {
    /// The shift's start.
    pub shift_start: DateTime<Utc>,
    /// The shift's end.
    pub shift_end: DateTime<Utc>,
    /// When the handover is compiled.
    pub now: DateTime<Utc>,
    /// The report day the shift covers.
    pub day: NaiveDate,
    /// Villages expected to report.
    pub villages_expected: i64,
    /// Village codes with no report for `day`, in town order.
    pub missing: Vec<String>,
    /// True once the day's cutoff has passed (missing reports are then late).
    pub past_cutoff: bool,
    /// True when the day's report is signed.
    pub report_signed: bool,
    /// The day's town totals.
    pub totals: Totals,
    /// The day before's totals.
    pub before: Totals,
    /// Escalations (resolved ones are left out).
    pub escalations: Vec<EscalationIn>,
    /// Transports (closed ones are left out).
    pub transports: Vec<TripIn>,
    /// Vehicles out of service.
    pub out_of_service: Vec<VehicleIn>,
    /// The outgoing team's notes.
    pub notes: String,
    /// The outgoing team.
    pub roster: Vec<(String, Duty)>,
    /// How many entries the shift's log holds.
    pub log_entries: usize,
}
