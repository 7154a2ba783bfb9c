//! Alert records against a real database (issue 14): each event recorded once whichever
//! process notices it, seen by whom, retired when its cause goes; deliveries claimed so
//! racing processes run the hook once; failures retried with backoff, then given up.
use crate::common;

use std::path::Path;

use chrono::{DateTime, Duration, Utc};
use duty_desk::config::AlertSettings;
use duty_desk::domain::alerts::AlertRow;
use duty_desk::domain::alerts::Event;
use duty_desk::domain::time::Clock;
use duty_desk::store::alerts;
use duty_desk::store::escalations;
use duty_desk::store::rules::{self, Marks};
use duty_desk::store::{Ctx, Store, town};

fn at(minutes: i64) -> DateTime<Utc> {
    common::now() + Duration::minutes(minutes)
}

fn ctx(who: &str, now: DateTime<Utc>) -> Ctx {
    Ctx {
        operator: who.into(),
        now,
    }
}

fn pass(db: &Path, now: DateTime<Utc>) -> rules::Outcome {
    let mut s = Store::open(db).unwrap();
    let t = town::load(s.conn()).unwrap();
    rules::run(&mut s, &t, &ctx("test", now), Marks::Yes).unwrap()
}

fn all(db: &Path) -> Vec<AlertRow> {
    alerts::list(Store::open(db).unwrap().conn(), true).unwrap()
}

fn of(db: &Path, event: Event, subject_id: i64) -> Option<AlertRow> {
    all(db)
        .into_iter()
        .find(|a| a.event == event && a.subject_id == subject_id)
}

/// The demo at 10:30: escalation #2 is 20 minutes overdue (grace 60), request #4 is a
/// critical one waiting for a vehicle.
#[test]
fn inbox_life_cycle_new_seen_retired() {
    let db = common::demo_db();
    let out = pass(&db.path, common::now());
    assert_eq!(out.alerts.len(), 2, "{out:?}");
    let overdue = of(&db.path, Event::Overdue, 2).unwrap();
    let critical = of(&db.path, Event::New, 4).unwrap();
    assert!(overdue.seen_by.is_none() && overdue.retired_at.is_none());
    assert_eq!(
        critical.title,
        "Critical transport request #4 from Longtan Village"
    );
    // a second pass records nothing more
    assert!(pass(&db.path, common::now()).alerts.is_empty());
    assert_eq!(all(&db.path).len(), 2);

    // seen: by the operator who pressed Esc, once
    let mut s = Store::open(&db.path).unwrap();
    let c = ctx("何丽君", at(1));
    assert!(s.write(&c, |w| alerts::mark_seen(w, overdue.id)).unwrap());
    let again = s.write_or_rollback(&ctx("黄晓峰", at(2)), |w| {
        Ok((alerts::mark_seen(w, overdue.id)?, false))
    });
    assert!(!again.unwrap(), "the first mark stands");
    let seen = of(&db.path, Event::Overdue, 2).unwrap();
    assert_eq!(seen.seen_by.as_deref(), Some("何丽君"));
    let unseen: Vec<i64> = alerts::unseen(s.conn())
        .unwrap()
        .iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(unseen, [critical.id]);
    assert_eq!(alerts::unseen_count(s.conn()).unwrap(), 1);

    // retired: the escalation resolved, the request dispatched
    s.write(&ctx(common::DUTY_LEADER, at(3)), |w| {
        escalations::resolve(w, 2, "medicine delivered")
    })
    .unwrap();
    s.write(&ctx(common::DUTY_LEADER, at(3)), |w| {
        duty_desk::store::fleet::advance(w, 4, duty_desk::domain::transport::TripStatus::Cancelled)
    })
    .unwrap();
    drop(s);
    let out = pass(&db.path, at(4));
    assert!(out.retired_alerts.contains(&overdue.id), "{out:?}");
    assert!(out.retired_alerts.contains(&critical.id), "{out:?}");
    assert!(
        of(&db.path, Event::Overdue, 2)
            .unwrap()
            .retired_at
            .is_some()
    );
    // nothing new about a resolved escalation, however late it gets
    pass(&db.path, at(300));
    assert!(of(&db.path, Event::Raised, 2).is_none());
}

#[test]
fn later_events_follow_and_a_late_first_look_tells_only_the_last() {
    let db = common::demo_db();
    pass(&db.path, common::now());
    // half the grace past the deadline (02:10Z + 30 min), still not taken in hand
    pass(&db.path, at(11));
    let re = of(&db.path, Event::Realert, 2).unwrap();
    assert!(re.retired_at.is_none());
    // taking it in hand retires the re-alert, not the overdue alert
    let mut s = Store::open(&db.path).unwrap();
    s.write(&ctx(common::DUTY_LEADER, at(12)), |w| {
        escalations::acknowledge(w, 2)
    })
    .unwrap();
    drop(s);
    pass(&db.path, at(13));
    assert!(
        of(&db.path, Event::Realert, 2)
            .unwrap()
            .retired_at
            .is_some()
    );
    assert!(
        of(&db.path, Event::Overdue, 2)
            .unwrap()
            .retired_at
            .is_none()
    );
    pass(&db.path, at(41));
    assert!(of(&db.path, Event::Raised, 2).unwrap().retired_at.is_none());

    // a database nobody watched for two hours: overdue, re-alert and raise all fell due;
    // only the raise is told, and nothing older follows it
    let db = common::demo_db();
    pass(&db.path, at(120));
    pass(&db.path, at(121));
    assert!(of(&db.path, Event::Overdue, 2).is_none());
    assert!(of(&db.path, Event::Realert, 2).is_none());
    assert!(of(&db.path, Event::Raised, 2).unwrap().retired_at.is_none());
}

#[test]
fn concurrent_passes_record_each_alert_once() {
    let db = common::demo_db();
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let path = db.path.clone();
            std::thread::spawn(move || pass(&path, common::now()))
        })
        .collect();
    let made: usize = handles
        .into_iter()
        .map(|h| h.join().unwrap().alerts.len())
        .sum();
    assert_eq!(made, 2);
    assert_eq!(all(&db.path).len(), 2);
}

fn claim_at(db: &Path, now: DateTime<Utc>, who: &str) -> Option<alerts::Claimed> {
    let mut s = Store::open(db).unwrap();
    let t = town::load(s.conn()).unwrap();
    alerts::claim(&mut s, &t, &ctx(who, now), who).unwrap()
}

fn finish_at(db: &Path, now: DateTime<Utc>, who: &str, id: i64, r: Result<(), String>) {
    let mut s = Store::open(db).unwrap();
    alerts::finish(&mut s, &ctx(who, now), who, id, r).unwrap();
}

#[test]
fn a_failed_delivery_is_retried_with_backoff_then_given_up_after_an_hour() {
    let db = common::demo_db();
    pass(&db.path, common::now());
    let t0 = common::now();
    let first = claim_at(&db.path, t0, "w").unwrap();
    // claimed: another process finds only the other alert
    let other = claim_at(&db.path, t0, "c").unwrap();
    assert_ne!(other.id, first.id);
    finish_at(&db.path, t0, "c", other.id, Ok(()));
    assert!(
        claim_at(&db.path, t0, "c").is_none(),
        "a live claim is not taken"
    );
    finish_at(&db.path, t0, "w", first.id, Err("exit status 1".into()));
    let a = all(&db.path)
        .into_iter()
        .find(|a| a.id == first.id)
        .unwrap();
    assert_eq!(
        (a.attempts, a.last_error.as_deref()),
        (1, Some("exit status 1"))
    );
    // backoff: 30 s, then 60 s
    assert!(claim_at(&db.path, t0 + Duration::seconds(29), "w").is_none());
    let second = claim_at(&db.path, t0 + Duration::seconds(30), "w").unwrap();
    assert_eq!(second.id, first.id);
    let t1 = t0 + Duration::seconds(30);
    finish_at(
        &db.path,
        t1,
        "w",
        first.id,
        Err("timed out after 10 s, killed".into()),
    );
    assert!(claim_at(&db.path, t1 + Duration::seconds(59), "w").is_none());
    assert!(claim_at(&db.path, t1 + Duration::seconds(60), "w").is_some());
    finish_at(
        &db.path,
        t1 + Duration::seconds(60),
        "w",
        first.id,
        Err("x".into()),
    );
    // past the hour: given up, never claimed again
    let late = t0 + Duration::minutes(58);
    let c = claim_at(&db.path, late, "w").unwrap();
    finish_at(&db.path, late, "w", c.id, Err("still down".into()));
    let a = all(&db.path)
        .into_iter()
        .find(|a| a.id == first.id)
        .unwrap();
    assert_eq!(a.attempts, 4);
    assert!(a.gave_up_at.is_some() && a.delivered_at.is_none());
    assert!(claim_at(&db.path, t0 + Duration::hours(3), "w").is_none());
}

#[test]
fn recipients_per_event_from_the_roster_and_the_staff_list() {
    let db = common::demo_db();
    pass(&db.path, at(120)); // only the raise is told
    pass(&db.path, at(120));
    let mut claims = Vec::new();
    while let Some(c) = claim_at(&db.path, at(120), "w") {
        claims.push(c);
    }
    let names = |c: &alerts::Claimed| {
        c.payload
            .recipients
            .iter()
            .map(|r| (r.name.clone(), r.role.clone()))
            .collect::<Vec<_>>()
    };
    let c = claims
        .iter()
        .find(|c| c.payload.subject == "escalation" && c.payload.subject_id == 2)
        .unwrap();
    assert_eq!(c.payload.event, "raised", "only the last event is live");
    let got = names(c);
    assert!(
        got.contains(&("何丽君".into(), "duty_officer".into())),
        "{got:?}"
    );
    assert!(
        got.iter().any(|(_, r)| r == "duty_leader"),
        "the leader when raised: {got:?}"
    );
    assert!(!got.iter().any(|(_, r)| r == "shift_lead"), "{got:?}");
    assert_eq!(c.payload.kind, "concern");
    assert_eq!(c.payload.due.as_deref(), Some("2026-11-26T02:10:00Z"));
    let n = claims
        .iter()
        .find(|c| c.payload.subject == "transport")
        .unwrap();
    assert_eq!((n.payload.event, n.payload.subject_id), ("new", 4));
    assert_eq!(n.payload.kind, "critical");
    assert!(
        !names(n).iter().any(|(_, r)| r == "duty_leader"),
        "{:?}",
        names(n)
    );

    // a re-alert adds the shift leads
    let db = common::demo_db();
    pass(&db.path, common::now());
    pass(&db.path, at(11));
    let mut got = Vec::new();
    while let Some(c) = claim_at(&db.path, at(11), "w") {
        got.push((c.payload.event, c.payload.subject_id, names(&c)));
    }
    let (_, _, re) = got
        .iter()
        .find(|(e, id, _)| *e == "realert" && *id == 2)
        .unwrap();
    assert!(re.iter().any(|(_, r)| r == "shift_lead"), "{re:?}");
    assert!(!re.iter().any(|(_, r)| r == "duty_leader"), "{re:?}");
}

#[test]
fn racing_deliverers_run_the_hook_once_per_alert() {
    let db = common::demo_db();
    pass(&db.path, common::now());
    let out = db.dir.path().join("got.jsonl");
    let hook = AlertSettings {
        command: vec![
            "/bin/sh".into(),
            "-c".into(),
            format!(
                "sleep 0.2; line=$(cat); flock '{0}.lock' printf '%s\\n' \"$line\" >> '{0}'",
                out.display()
            ),
        ],
        timeout_secs: 10,
    };
    let handles: Vec<_> = (0..3)
        .map(|i| {
            let path = db.path.clone();
            let hook = hook.clone();
            std::thread::spawn(move || {
                let mut s = Store::open(&path).unwrap();
                let t = town::load(s.conn()).unwrap();
                let clock = Clock::Fixed(common::now());
                duty_desk::watch::deliver_due(&mut s, &t, &hook, clock, &format!("p{i}")).unwrap()
            })
        })
        .collect();
    let delivered: usize = handles.into_iter().map(|h| h.join().unwrap().0).sum();
    assert_eq!(delivered, 2);
    let text = std::fs::read_to_string(&out).unwrap();
    let mut ids: Vec<i64> = text
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                .as_i64()
                .unwrap()
        })
        .collect();
    ids.sort();
    assert_eq!(ids, [1, 2], "{text}");
    assert!(
        all(&db.path)
            .iter()
            .all(|a| a.delivered_at.is_some() && a.attempts == 1)
    );
}
