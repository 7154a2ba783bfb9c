//! Issue 18: the long listings are written as their rows are read. Their JSON stays byte
//! for byte what `serde_json` printed for the whole array (pretty for transports,
//! escalations and the log, compact for the audit log), in the same order as before.
use crate::common;

use duty_desk::domain::escalation::{State, queue_key};
use duty_desk::store::escalations::all_escalations;
use duty_desk::store::fleet::recent_transports;
use duty_desk::store::{Store, audit};
use serde_json::Value;

fn run(db: &std::path::Path, args: &[&str]) -> String {
    let out = common::cli(db).args(args).assert().success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

/// The output parsed, and the whole array printed again by serde_json as it was before.
fn reprinted(out: &str, pretty: bool) -> (Vec<Value>, String) {
    let v: Value = serde_json::from_str(out).unwrap();
    let again = if pretty {
        serde_json::to_string_pretty(&v).unwrap()
    } else {
        v.to_string()
    };
    (v.as_array().unwrap().clone(), format!("{again}\n"))
}

fn ids(items: &[Value]) -> Vec<i64> {
    items.iter().map(|v| v["id"].as_i64().unwrap()).collect()
}

#[test]
fn transport_list_all_json_is_the_same_bytes_newest_first() {
    let db = common::demo_db();
    let out = run(
        &db.path,
        &["transport", "list", "--all", "--format", "json"],
    );
    let (items, again) = reprinted(&out, true);
    assert_eq!(out, again);
    let s = Store::open(&db.path).unwrap();
    let before: Vec<i64> = recent_transports(s.conn(), i64::MAX)
        .unwrap()
        .iter()
        .map(|t| t.id)
        .collect();
    assert!(before.len() > 2);
    assert_eq!(ids(&items), before);
    let text = run(&db.path, &["transport", "list", "--all"]);
    // one header row (issue 19), then a line per transport
    assert_eq!(text.lines().count(), before.len() + 1);
}

#[test]
fn escalation_list_all_json_is_the_same_bytes_in_the_queue_order() {
    let db = common::demo_db();
    // one resolved by a person, so resolved rows come last
    common::cli(&db.path)
        .args(["escalation", "resolve", "1", "--note", "checked by phone"])
        .assert()
        .success();
    let out = run(
        &db.path,
        &["escalation", "list", "--all", "--format", "json"],
    );
    let (items, again) = reprinted(&out, true);
    assert_eq!(out, again);
    let s = Store::open(&db.path).unwrap();
    let mut rows = all_escalations(s.conn()).unwrap();
    rows.sort_by_key(|e| {
        (
            e.state == State::Resolved,
            queue_key(e.due, e.grace, e.direct, common::now()),
        )
    });
    assert!(rows.iter().any(|e| e.state == State::Resolved));
    assert!(rows.len() > 3);
    assert_eq!(ids(&items), rows.iter().map(|e| e.id).collect::<Vec<_>>());
    let open = run(&db.path, &["escalation", "list", "--format", "json"]);
    let (open_items, again) = reprinted(&open, true);
    assert_eq!(open, again);
    let unresolved: Vec<i64> = rows
        .iter()
        .filter(|e| e.state != State::Resolved)
        .map(|e| e.id)
        .collect();
    assert_eq!(ids(&open_items), unresolved);
}

#[test]
fn log_and_audit_lists_are_the_same_bytes_in_order() {
    let db = common::demo_db();
    let out = run(&db.path, &["log", "list", "--format", "json"]);
    let (items, again) = reprinted(&out, true);
    assert_eq!(out, again);
    assert!(!items.is_empty());
    let out = run(&db.path, &["audit", "list", "--format", "json"]);
    let (items, again) = reprinted(&out, false);
    assert_eq!(out, again);
    let s = Store::open(&db.path).unwrap();
    let all = audit::list(s.conn(), &audit::Filter::default()).unwrap();
    // the listing itself may be audited after it is read: compare what it printed
    let printed = ids(&items);
    let before: Vec<i64> = all.iter().map(|r| r.id).take(printed.len()).collect();
    assert_eq!(printed, before);
    let some = run(
        &db.path,
        &[
            "audit",
            "list",
            "--subject",
            "transport",
            "--format",
            "json",
        ],
    );
    let (items, _) = reprinted(&some, false);
    assert!(
        items
            .iter()
            .all(|v| v["subject"].as_str().unwrap().starts_with("transport:"))
    );
    let empty = run(
        &db.path,
        &[
            "audit",
            "list",
            "--subject",
            "nothing-here",
            "--format",
            "json",
        ],
    );
    assert_eq!(empty, "[]\n");
}
