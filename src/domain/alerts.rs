//! Alert events (issue 14): which events an escalation or a transport request owes at a
//! given instant, who is told of each, the delivery retry schedule and the JSON a delivery
//! hook receives. Pure: the store records the events, the watcher and consoles deliver.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use super::escalation::State;
use super::town::Role;
use crate::i18n::Lang;

/// How long a failed delivery is retried after the alert was made.
pub const RETRY_FOR: Duration = Duration::hours(1);

/// How long a claim on an alert keeps other processes from delivering it (longer than
/// any hook may run, so a live claim is never taken over).
pub const CLAIM_FOR: Duration = Duration::minutes(2);

/// The longest a hook may be given, in seconds (settings `[alerts] timeout_secs`).
pub const MAX_TIMEOUT_SECS: u64 = 60;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Event {
    /// A new critical transport request.
    New,
    /// An escalation passed its deadline.
    Overdue,
    /// An overdue escalation nobody has taken in hand half its grace later.
    Realert,
    /// An escalation overdue past its grace: raised to the duty leader.
    Raised,
}

impl Event {
    /// Name in the database and the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Event::New => "new",
            Event::Overdue => "overdue",
            Event::Realert => "realert",
            Event::Raised => "raised",
        }
    }

    /// The event named `s`.
    pub fn parse(s: &str) -> Option<Event> {
        [Event::New, Event::Overdue, Event::Realert, Event::Raised]
            .into_iter()
            .find(|e| e.as_str() == s)
    }
}

/// What an alert is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Subject {
    /// An escalation.
    Escalation,
    /// A transport request.
    Transport,
}

impl Subject {
    /// Name in the database and the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Subject::Escalation => "escalation",
            Subject::Transport => "transport",
        }
    }

    /// The subject named `s`.
    pub fn parse(s: &str) -> Option<Subject> {
        match s {
            "escalation" => Some(Subject::Escalation),
            "transport" => Some(Subject::Transport),
            _ => None,
        }
    }
}

/// The events an unresolved escalation has fallen due for at `now`, least urgent first;
/// the store records only the last (the most urgent) one not yet told.
pub fn escalation_events(
    due: DateTime<Utc>,
    grace: Duration,
    state: State,
    now: DateTime<Utc>,
) -> Vec<Event> {
    if state == State::Resolved || now <= due {
        return Vec::new();
    }
    let mut out = vec![Event::Overdue];
    let half = super::time::plus(due, grace / 2);
    if state == State::Open && now > half {
        out.push(Event::Realert);
    }
    if now > super::time::plus(due, grace) {
        out.push(Event::Raised);
    }
    out
}

/// The wait before the next attempt after `attempts` failed ones: 30 s, doubling, at
/// most 10 minutes.
pub fn backoff(attempts: i64) -> Duration {
    let n = attempts.clamp(1, 6) as u32;
    Duration::seconds(30 * 2_i64.pow(n - 1)).min(Duration::minutes(10))
}

/// When to try again after a failure at `now`, or `None` when the hour of retries is over.
pub fn next_attempt(
    created: DateTime<Utc>,
    attempts: i64,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let next = super::time::plus(now, backoff(attempts));
    (next <= super::time::plus(created, RETRY_FOR)).then_some(next)
}

/// One person told of an alert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recipient {
    /// Name.
    pub name: String,
    /// Role in the staff list (`duty_officer`, `shift_lead`, `duty_leader`, ...).
    pub role: String,
    /// Phone ("" when the staff list has none).
    pub phone: String,
}

/// Who is on the open shift, and who leads, as the recipients are chosen from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OnDuty {
    /// The open shift's duty officers (roster), with role and phone from the staff list.
    pub officers: Vec<Recipient>,
    /// The open shift's duty leader (roster), else the staff list's duty leaders.
    pub leaders: Vec<Recipient>,
    /// The staff list's shift leads.
    pub shift_leads: Vec<Recipient>,
}

/// The people told of `event`: those on duty; the shift lead too for a re-alert; the duty
/// leader too when raised. Each person once, in that order.
pub fn recipients(event: Event, duty: &OnDuty) -> Vec<Recipient> {
    let mut out: Vec<Recipient> = duty.officers.clone();
    match event {
        Event::Realert => out.extend(duty.shift_leads.iter().cloned()),
        Event::Raised => out.extend(duty.leaders.iter().cloned()),
        Event::New | Event::Overdue => {}
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|r| seen.insert(r.name.clone()));
    out
}

/// A role's name for the recipients list.
pub fn role_name(role: Option<Role>) -> String {
    role.map(|r| r.as_str().to_string()).unwrap_or_default()
}

/// The JSON object a delivery hook reads on its standard input (DESIGN.md "Alerts beyond
/// the console").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Payload {
    /// Alert id.
    pub id: i64,
    /// `new`, `overdue`, `realert` or `raised`.
    pub event: &'static str,
    /// `escalation` or `transport`.
    pub subject: &'static str,
    /// The escalation's or transport's id.
    pub subject_id: i64,
    /// The escalation kind, or the patient's severity for a transport.
    pub kind: String,
    /// The title as stored (English for rule escalations).
    pub title: String,
    /// Village code, when there is one.
    pub village: Option<String>,
    /// The deadline (RFC 3339), for escalations.
    pub due: Option<String>,
    /// Who is to be told.
    pub recipients: Vec<Recipient>,
}

/// One alert record.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertRow {
    /// Id.
    pub id: i64,
    /// What happened.
    pub event: Event,
    /// What it is about.
    pub subject: Subject,
    /// The escalation's or transport's id.
    pub subject_id: i64,
    /// Title as stored (English; displays re-render rule titles).
    pub title: String,
    /// When it was noticed.
    pub created_at: String,
    /// When the hook took it.
    pub delivered_at: Option<String>,
    /// Delivery attempts so far.
    pub attempts: i64,
    /// The last failed attempt's error.
    pub last_error: Option<String>,
    /// When the hour of retries ended without a delivery.
    pub gave_up_at: Option<String>,
    /// Who marked it seen in a console.
    pub seen_by: Option<String>,
    /// When it was marked seen.
    pub seen_at: Option<String>,
    /// When its cause went away.
    pub retired_at: Option<String>,
}

/// The catalogue key naming an event for people.
pub fn event_key(e: Event) -> &'static str {
    match e {
        Event::New => "alerts.event.new",
        Event::Overdue => "alerts.event.overdue",
        Event::Realert => "alerts.event.realert",
        Event::Raised => "alerts.event.raised",
    }
}

/// An alert as the console shows it (titles in both languages, read once per snapshot).
#[derive(Debug, Clone, PartialEq)]
pub struct InboxItem {
    /// The record.
    pub row: AlertRow,
    /// Its title in English.
    pub title_en: String,
    /// Its title in Chinese.
    pub title_zh: String,
}

impl InboxItem {
    /// The title in `lang`.
    pub fn title(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.title_en,
            Lang::Zh => &self.title_zh,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::from_db;

    fn at(s: &str) -> DateTime<Utc> {
        from_db(s).unwrap()
    }

    #[test]
    fn an_escalation_owes_overdue_then_realert_then_raised() {
        let due = at("2026-11-26T02:00:00Z");
        let g = Duration::hours(1);
        assert!(escalation_events(due, g, State::Open, due).is_empty());
        let m = |mins| escalation_events(due, g, State::Open, due + Duration::minutes(mins));
        assert_eq!(m(1), [Event::Overdue]);
        assert_eq!(m(30), [Event::Overdue], "half the grace is not yet past");
        assert_eq!(m(31), [Event::Overdue, Event::Realert]);
        assert_eq!(m(61), [Event::Overdue, Event::Realert, Event::Raised]);
        // taken in hand: no re-alert, but still raised past the grace
        let a = escalation_events(due, g, State::Acknowledged, due + Duration::minutes(61));
        assert_eq!(a, [Event::Overdue, Event::Raised]);
        assert!(escalation_events(due, g, State::Resolved, due + Duration::hours(5)).is_empty());
    }

    #[test]
    fn backoff_doubles_and_gives_up_after_an_hour() {
        let secs: Vec<i64> = (1..=8).map(|n| backoff(n).num_seconds()).collect();
        assert_eq!(secs, [30, 60, 120, 240, 480, 600, 600, 600]);
        let t0 = at("2026-11-26T02:00:00Z");
        assert_eq!(next_attempt(t0, 1, t0), Some(t0 + Duration::seconds(30)));
        assert_eq!(
            next_attempt(t0, 6, t0 + Duration::minutes(55)),
            None,
            "the next try would fall past the hour"
        );
    }

    fn person(name: &str, role: &str) -> Recipient {
        Recipient {
            name: name.into(),
            role: role.into(),
            phone: "1".into(),
        }
    }

    #[test]
    fn recipients_per_event() {
        let duty = OnDuty {
            officers: vec![person("o1", "duty_officer"), person("o2", "duty_officer")],
            leaders: vec![person("L", "duty_leader")],
            shift_leads: vec![person("S", "shift_lead"), person("o1", "duty_officer")],
        };
        let names = |e| {
            recipients(e, &duty)
                .into_iter()
                .map(|r| r.name)
                .collect::<Vec<_>>()
        };
        assert_eq!(names(Event::New), ["o1", "o2"]);
        assert_eq!(names(Event::Overdue), ["o1", "o2"]);
        assert_eq!(names(Event::Realert), ["o1", "o2", "S"], "each person once");
        assert_eq!(names(Event::Raised), ["o1", "o2", "L"]);
    }

    #[test]
    fn event_names_round_trip() {
        for e in [Event::New, Event::Overdue, Event::Realert, Event::Raised] {
            assert_eq!(Event::parse(e.as_str()), Some(e));
        }
        assert_eq!(Subject::parse("transport"), Some(Subject::Transport));
        assert_eq!(Event::parse("x"), None);
    }
}
