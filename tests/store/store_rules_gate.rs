//! Issue 18: the console's once-a-second rule pass does no work while nothing it looks at
//! can have changed, and runs as soon as a deadline passes or the data changes (fixed
//! clock throughout). The rewritten per-subject query answers as the old one did.
use crate::common;

use chrono::{DateTime, Duration, Utc};
use duty_desk::domain::escalation::Kind;
use duty_desk::store::escalations::open_escalations;
use duty_desk::store::rules::{self, Gate, Marks, Outcome};
use duty_desk::store::{Ctx, Store, town};

fn ctx(now: DateTime<Utc>) -> Ctx {
    Ctx {
        operator: "test".into(),
        now,
    }
}

fn gated(s: &mut Store, gate: &mut Gate, now: DateTime<Utc>) -> Option<Outcome> {
    let t = town::load(s.conn()).unwrap();
    gate.run(s, &t, &ctx(now), Marks::Yes).unwrap()
}

#[test]
fn the_pass_is_skipped_until_a_deadline_passes() {
    let db = common::demo_db();
    let mut s = Store::open(&db.path).unwrap();
    let t = town::load(s.conn()).unwrap();
    let mut gate = Gate::default();
    // the demo's critical request runs out of its allowed wait a few minutes from now
    let wake = rules::next_wake(s.conn(), &t, common::now())
        .unwrap()
        .unwrap();
    assert!(wake > common::now() && wake < common::now() + Duration::minutes(10));
    let just_before = wake - Duration::nanoseconds(1);
    assert!(
        gated(&mut s, &mut gate, just_before).is_some(),
        "first pass runs"
    );
    assert!(
        open_escalations(s.conn())
            .unwrap()
            .iter()
            .all(|e| e.kind != Kind::TransportWaiting),
        "not waiting too long yet"
    );
    assert_eq!(
        gated(&mut s, &mut gate, just_before),
        None,
        "nothing changed: skipped"
    );
    let out = gated(&mut s, &mut gate, wake).expect("the deadline passed: it runs");
    assert_eq!(out.raised.len(), 1, "{out:?}");
    assert!(
        open_escalations(s.conn())
            .unwrap()
            .iter()
            .any(|e| e.kind == Kind::TransportWaiting)
    );
    // that escalation's own deadline is now the next thing owed
    let w2 = rules::next_wake(s.conn(), &t, wake).unwrap().unwrap();
    assert!(w2 > wake);
    assert_eq!(gated(&mut s, &mut gate, wake), None);
}

#[test]
fn another_process_writing_or_the_minute_moving_on_runs_the_pass() {
    let db = common::demo_db();
    let mut s = Store::open(&db.path).unwrap();
    let mut gate = Gate::default();
    let now = common::now();
    assert!(gated(&mut s, &mut gate, now).is_some());
    assert_eq!(gated(&mut s, &mut gate, now), None);
    common::cli(&db.path)
        .args(["log", "add", "a note from another console"])
        .assert()
        .success();
    assert!(
        gated(&mut s, &mut gate, now).is_some(),
        "data_version moved: it runs"
    );
    assert_eq!(gated(&mut s, &mut gate, now), None);
    let next_minute = now + Duration::seconds(61);
    assert!(gated(&mut s, &mut gate, next_minute).is_some());
    assert!(
        gated(&mut s, &mut gate, now).is_some(),
        "the clock went back: it runs"
    );
    gate.reset();
    assert!(
        gated(&mut s, &mut gate, now).is_some(),
        "after our own write"
    );
}
