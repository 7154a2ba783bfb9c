//! One log line per event (issue 19, item 7): an escalation that the rule pass finds
//! overdue and past its grace at once (rule-raised escalations have no grace) wrote two
//! Shift log lines, "is overdue" and "is overdue past its grace period; raised to …". The
//! pass still records both marks (two audit rows, both alerts); the log says it once.
use crate::common;

use chrono::{DateTime, Duration, Utc};
use duty_desk::i18n::Lang;
use duty_desk::store::rules::{self, Marks, Outcome};
use duty_desk::store::shiftlog::{current_shift_start, entries};
use duty_desk::store::{Ctx, Store, town};

fn pass(db: &std::path::Path, now: DateTime<Utc>) -> Outcome {
    let mut s = Store::open(db).unwrap();
    let t = town::load(s.conn()).unwrap();
    let ctx = Ctx {
        operator: "test".into(),
        now,
    };
    rules::run(&mut s, &t, &ctx, Marks::Yes).unwrap()
}

/// The Shift log lines that say escalation `id` is overdue.
fn overdue_lines(db: &std::path::Path, now: DateTime<Utc>, id: i64) -> Vec<String> {
    let s = Store::open(db).unwrap();
    let start = current_shift_start(s.conn(), now).unwrap();
    let head = format!("Escalation #{id} is overdue");
    entries(s.conn(), start)
        .unwrap()
        .into_iter()
        .map(|e| e.text_in(Lang::En))
        .filter(|t| t.starts_with(&head))
        .collect()
}

#[test]
fn an_escalation_overdue_and_past_its_grace_at_once_writes_one_log_line() {
    let db = common::demo_db();
    pass(&db.path, common::now());
    // three hours on, the same shift: the rule-raised escalations are overdue, with no grace
    let later = common::now() + Duration::hours(3);
    let out = pass(&db.path, later);
    let both: Vec<i64> = out
        .overdue
        .iter()
        .copied()
        .filter(|id| out.to_leader.contains(id))
        .collect();
    assert!(!both.is_empty(), "the case under test: {out:?}");
    for id in both {
        let lines = overdue_lines(&db.path, later, id);
        assert_eq!(lines.len(), 1, "#{id}: {lines:#?}");
        // the one line says all of it: overdue, and raised to the duty leader
        assert!(lines[0].contains("raised to duty leader"), "{}", lines[0]);
    }
}

#[test]
fn overdue_then_past_the_grace_later_are_two_events_and_two_lines() {
    let db = common::demo_db();
    // the demo's overdue concern has a grace: overdue now, raised to the leader later
    let out = pass(&db.path, common::now());
    let id = *out.overdue.first().expect("the demo's overdue concern");
    assert!(!out.to_leader.contains(&id), "{out:?}");
    assert_eq!(overdue_lines(&db.path, common::now(), id).len(), 1);
    let later = common::now() + Duration::hours(3);
    let out = pass(&db.path, later);
    assert!(out.to_leader.contains(&id), "{out:?}");
    assert_eq!(overdue_lines(&db.path, later, id).len(), 2);
}
