//! The rule pass against a real database: one open escalation per subject even when several
//! consoles run it at once, and each condition clearing by itself with the fact recorded.
use crate::common;

use std::path::Path;

use chrono::{DateTime, Duration, Utc};
use duty_desk::domain::escalation::Kind;
use duty_desk::store::escalations::{history, open_escalations};
use duty_desk::store::rules::{self, Marks, Outcome};
use duty_desk::store::{Ctx, Store, town};

fn at(minutes: i64) -> DateTime<Utc> {
    common::now() + Duration::minutes(minutes)
}

fn pass(db: &Path, now: DateTime<Utc>) -> Outcome {
    let mut s = Store::open(db).unwrap();
    let t = town::load(s.conn()).unwrap();
    let ctx = Ctx {
        operator: "test".into(),
        now,
    };
    rules::run(&mut s, &t, &ctx, Marks::Yes).unwrap()
}

fn open_of(db: &Path, kind: Kind) -> Vec<i64> {
    let s = Store::open(db).unwrap();
    open_escalations(s.conn())
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == kind)
        .map(|e| e.id)
        .collect()
}

#[test]
fn concurrent_passes_raise_each_subject_once_and_mark_once() {
    let db = common::demo_db();
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let path = db.path.clone();
            std::thread::spawn(move || pass(&path, common::now()))
        })
        .collect();
    let outs: Vec<Outcome> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let raised: usize = outs.iter().map(|o| o.raised.len()).sum();
    let overdue: usize = outs.iter().map(|o| o.overdue.len()).sum();
    assert_eq!(
        raised, 8,
        "4 missing reports + 2 low stocks + 2 villages with key-population contacts overdue: {outs:?}"
    );
    assert_eq!(overdue, 1, "the demo's overdue concern, once: {outs:?}");
    assert_eq!(open_of(&db.path, Kind::MissingReport).len(), 4);
    assert_eq!(open_of(&db.path, Kind::LowStock).len(), 2);
    assert_eq!(open_of(&db.path, Kind::OverdueContact).len(), 2);
    assert!(pass(&db.path, common::now()).is_empty());
}

#[test]
fn a_dispatched_request_clears_its_escalation_with_the_fact_recorded() {
    let db = common::demo_db();
    pass(&db.path, common::now());
    assert!(
        open_of(&db.path, Kind::TransportWaiting).is_empty(),
        "4 minutes: not yet"
    );
    let out = pass(&db.path, at(7));
    let waiting = open_of(&db.path, Kind::TransportWaiting);
    assert_eq!(waiting.len(), 1);
    assert!(out.overdue.contains(&waiting[0]), "it is overdue at once");
    common::cli(&db.path)
        .env("DUTY_DESK_NOW", "2026-11-26T10:38:00+08:00")
        .args(["transport", "dispatch", "4", "--vehicle", "AMB3"])
        .assert()
        .success();
    let out = pass(&db.path, at(8));
    assert_eq!(out.cleared, waiting);
    let s = Store::open(&db.path).unwrap();
    let h = history(s.conn(), waiting[0]).unwrap();
    let last = h.last().unwrap();
    assert_eq!(last.action, "escalation.auto_resolve");
    assert_eq!(last.operator, rules::RULES_OPERATOR);
    assert!(last.detail.contains("rule.cleared.transport_waiting"));
}

#[test]
fn a_late_report_clears_the_missing_report_escalation() {
    let db = common::demo_db();
    pass(&db.path, common::now());
    let before = open_of(&db.path, Kind::MissingReport);
    assert_eq!(before.len(), 4);
    let csv = db.dir.path().join("late.csv");
    std::fs::write(
        &csv,
        "date,village,new_infections,cumulative_infections,outpatients,inpatients,severe,deaths,emergency_visits,referrals\n\
         2026-11-26,V04,12,494,13,3,0,0,1,0\n",
    )
    .unwrap();
    common::cli(&db.path)
        .args(["import", "reports"])
        .arg(&csv)
        .assert()
        .success();
    let out = pass(&db.path, at(1));
    assert_eq!(out.cleared.len(), 1);
    assert_eq!(open_of(&db.path, Kind::MissingReport).len(), 3);
}
