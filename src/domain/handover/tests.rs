//! Unit tests of the handover compilation: what goes in, in what order, what carries over.

use chrono::{DateTime, NaiveDate, Utc};

use super::*;
use crate::domain::escalation::Kind;
use crate::domain::report::Totals;
use crate::domain::shift::Duty;
use crate::domain::time::from_db;

fn t(s: &str) -> DateTime<Utc> {
    from_db(s).unwrap()
}

const START: &str = "2026-11-26T00:30:00Z";
const NOW: &str = "2026-11-26T02:30:00Z";

fn esc(id: i64, due: &str, raised: &str, state: State) -> EscalationIn {
    EscalationIn {
        id,
        kind: Kind::Concern,
        title: format!("concern {id}"),
        subject: None,
        village: Some("V01".into()),
        place: None,
        owner: if state == State::Acknowledged {
            "A".into()
        } else {
            String::new()
        },
        due: t(due),
        state,
        raised_at: t(raised),
    }
}

fn trip(id: i64, status: TripStatus, severity: Severity, requested: &str) -> TripIn {
    TripIn {
        id,
        village: "V02".into(),
        patient: format!("P{id}"),
        severity,
        destination: "HC1".into(),
        status,
        vehicle: status.holds_vehicle().then(|| format!("AMB{id}")),
        requested_at: t(requested),
        since: t(requested),
    }
}

fn inputs() -> Inputs {
    Inputs {
        shift_start: t(START),
        shift_end: t("2026-11-27T00:30:00Z"),
        now: t(NOW),
        day: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
        villages_expected: 3,
        missing: vec![],
        past_cutoff: true,
        report_signed: false,
        totals: Totals::default(),
        before: Totals::default(),
        escalations: vec![],
        transports: vec![],
        out_of_service: vec![],
        notes: String::new(),
        roster: vec![("Lead".into(), Duty::Leader), ("Off".into(), Duty::Officer)],
        log_entries: 0,
    }
}

fn ids(h: &Handover) -> Vec<String> {
    h.actions
        .iter()
        .map(|a| match a {
            ActionItem::Escalation { id, .. } => format!("E{id}"),
            ActionItem::Transport { id, .. } => format!("T{id}"),
        })
        .collect()
}

#[test]
fn a_quiet_shift_says_so() {
    let h = compile(&inputs());
    assert_eq!(h.status.level, Level::Quiet);
    assert!(h.actions.is_empty() && h.trips.is_empty() && h.out_of_service.is_empty());
    assert_eq!(h.outgoing.len(), 2);
    assert_eq!(h.outgoing[0].duty, "leader");
    assert_eq!(h.shift_start, START);
    assert_eq!(h.compiled_at, NOW);
}

#[test]
fn open_work_goes_in_and_finished_work_stays_out() {
    let mut i = inputs();
    i.escalations = vec![
        esc(
            1,
            "2026-11-26T06:00:00Z",
            "2026-11-26T01:00:00Z",
            State::Open,
        ),
        esc(
            2,
            "2026-11-26T05:00:00Z",
            "2026-11-26T01:00:00Z",
            State::Resolved,
        ),
    ];
    i.transports = vec![
        trip(
            3,
            TripStatus::EnRoute,
            Severity::Severe,
            "2026-11-26T02:00:00Z",
        ),
        trip(
            4,
            TripStatus::BackInService,
            Severity::Severe,
            "2026-11-26T01:00:00Z",
        ),
        trip(
            5,
            TripStatus::Cancelled,
            Severity::Stable,
            "2026-11-26T01:00:00Z",
        ),
    ];
    i.out_of_service = vec![VehicleIn {
        code: "RC09".into(),
        base: "V09".into(),
        reason: "brakes".into(),
        since: t("2026-11-26T00:00:00Z"),
    }];
    i.notes = "  watch V03 tonight \n".into();
    let h = compile(&i);
    assert_eq!(ids(&h), ["E1"]);
    assert_eq!(h.trips.len(), 1);
    assert_eq!(h.trips[0].id, 3);
    assert_eq!(h.trips[0].vehicle, "AMB3");
    assert_eq!(h.trips[0].status, "en_route");
    assert_eq!(h.out_of_service[0].reason, "brakes");
    assert_eq!(h.notes, "watch V03 tonight");
    assert_eq!(h.status.level, Level::Attention);
    assert_eq!(h.status.open_escalations, 1);
    assert_eq!(h.status.under_way, 1);
    assert_eq!(h.status.out_of_service, 1);
}

#[test]
fn overdue_first_then_waiting_patients_by_severity_then_the_rest_by_deadline() {
    let mut i = inputs();
    i.escalations = vec![
        esc(
            10,
            "2026-11-26T09:00:00Z",
            "2026-11-26T01:00:00Z",
            State::Open,
        ),
        esc(
            11,
            "2026-11-26T02:00:00Z",
            "2026-11-26T01:00:00Z",
            State::Acknowledged,
        ),
        esc(
            12,
            "2026-11-26T04:00:00Z",
            "2026-11-26T01:00:00Z",
            State::Open,
        ),
        esc(
            13,
            "2026-11-26T01:00:00Z",
            "2026-11-26T00:40:00Z",
            State::Open,
        ),
    ];
    i.transports = vec![
        trip(
            20,
            TripStatus::Requested,
            Severity::Stable,
            "2026-11-26T01:00:00Z",
        ),
        trip(
            21,
            TripStatus::Requested,
            Severity::Critical,
            "2026-11-26T02:10:00Z",
        ),
    ];
    let h = compile(&i);
    assert_eq!(ids(&h), ["E13", "E11", "T21", "T20", "E12", "E10"]);
    assert_eq!(h.status.level, Level::Urgent);
    assert_eq!(h.status.overdue, 2);
    assert_eq!(h.status.waiting, 2);
    match &h.actions[1] {
        ActionItem::Escalation {
            overdue,
            owner,
            state,
            ..
        } => {
            assert!(overdue);
            assert_eq!(owner, "A");
            assert_eq!(state, "acknowledged");
        }
        other @ ActionItem::Transport { .. } => panic!("{other:?}"),
    }
    match &h.actions[2] {
        ActionItem::Transport {
            waited_minutes,
            severity,
            ..
        } => {
            assert_eq!(*waited_minutes, 20);
            assert_eq!(severity, "critical");
        }
        other @ ActionItem::Escalation { .. } => panic!("{other:?}"),
    }
}

#[test]
fn items_from_earlier_shifts_carry_over_until_closed() {
    let mut i = inputs();
    // raised yesterday, still open: comes back, marked as carried over
    i.escalations = vec![
        esc(
            1,
            "2026-11-26T08:00:00Z",
            "2026-11-25T10:00:00Z",
            State::Open,
        ),
        esc(
            2,
            "2026-11-26T08:00:00Z",
            "2026-11-26T01:00:00Z",
            State::Open,
        ),
    ];
    i.transports = vec![trip(
        3,
        TripStatus::Requested,
        Severity::Severe,
        "2026-11-26T00:20:00Z",
    )];
    let h = compile(&i);
    let carried: Vec<bool> = h
        .actions
        .iter()
        .map(|a| match a {
            ActionItem::Escalation { carried, .. } | ActionItem::Transport { carried, .. } => {
                *carried
            }
        })
        .collect();
    assert_eq!(ids(&h), ["T3", "E1", "E2"]);
    assert_eq!(carried, [true, true, false]);

    // the next shift, once #1 is resolved and the patient picked up: only #2 comes back
    let mut next = i.clone();
    next.shift_start = t("2026-11-27T00:30:00Z");
    next.now = t("2026-11-27T01:00:00Z");
    next.escalations[0].state = State::Resolved;
    next.transports[0].status = TripStatus::BackInService;
    let h2 = compile(&next);
    assert_eq!(ids(&h2), ["E2"]);
    match &h2.actions[0] {
        ActionItem::Escalation {
            carried, overdue, ..
        } => assert!(*carried && *overdue),
        other @ ActionItem::Transport { .. } => panic!("{other:?}"),
    }
}

#[test]
fn the_days_figures_and_missing_reports() {
    let mut i = inputs();
    let mut today = Totals::default();
    let mut fig = crate::domain::report::Figures::default();
    fig.set(Field::NewInfections, Some(12));
    fig.set(Field::CumulativeInfections, Some(300));
    today.add(&fig, 1000);
    let mut before = Totals::default();
    fig.set(Field::NewInfections, Some(20));
    before.add(&fig, 1000);
    i.totals = today;
    i.before = before;
    i.missing = vec!["V02".into(), "V03".into()];
    let h = compile(&i);
    assert_eq!(h.day.villages_reported, 1);
    assert_eq!(h.day.missing, ["V02", "V03"]);
    assert!(h.day.late);
    assert_eq!(h.status.missing_reports, 2);
    assert_eq!(h.status.level, Level::Attention);
    let new = h
        .day
        .figures
        .iter()
        .find(|f| f.field == "new_infections")
        .unwrap();
    assert_eq!((new.value, new.change), (Some(12), Some(-8)));
    assert_eq!(h.day.infection_ratio, Some(0.3));

    // before the cutoff, missing reports are not yet a reason for attention
    i.past_cutoff = false;
    assert_eq!(compile(&i).status.level, Level::Quiet);
}

#[test]
fn the_compiled_handover_round_trips_through_json() {
    let mut i = inputs();
    i.escalations = vec![esc(
        1,
        "2026-11-26T06:00:00Z",
        "2026-11-26T01:00:00Z",
        State::Open,
    )];
    i.transports = vec![trip(
        2,
        TripStatus::Requested,
        Severity::Stable,
        "2026-11-26T01:00:00Z",
    )];
    let h = compile(&i);
    let v = serde_json::to_value(&h).unwrap();
    assert_eq!(v["actions"][0]["type"], "transport");
    assert_eq!(v["status"]["level"], "urgent");
    let back: Handover = serde_json::from_value(v).unwrap();
    assert_eq!(back, h);
}
