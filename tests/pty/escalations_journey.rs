//! End to end: a resident's concern raised on the command line with a one-minute deadline
//! under a fixed clock; the console started two minutes later sees it overdue (and alerts),
//! the officer takes it in hand, looks at its history and resolves it with a note.
use crate::common;

use std::time::Duration;

use common::pty::Pty;
use serde_json::Value;

const LATER: &str = "2026-11-26T10:32:00+08:00";

fn wait_gone(p: &Pty, text: &str) {
    let start = std::time::Instant::now();
    while p.screen().contains(text) {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "{text:?} stayed:\n{}",
            p.screen()
        );
        std::thread::sleep(Duration::from_millis(25));
    }
}

#[test]
fn concern_with_a_deadline_goes_overdue_is_taken_in_hand_and_resolved() {
    let db = common::demo_db();
    let out = common::cli(&db.path)
        .args([
            "escalation",
            "add",
            "--kind",
            "concern",
            "--title",
            "Streetlight out by the clinic",
            "--village",
            "V01",
            "--due",
            "1m",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let id: i64 = String::from_utf8(out.stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap();

    let logs = tempfile::tempdir().unwrap();
    let db_path = db.path.to_str().unwrap().to_string();
    let mut p = Pty::spawn(
        &["--db", &db_path, "--operator", "何丽君"],
        &[
            ("DUTY_DESK_NOW", LATER),
            ("DUTY_DESK_LOG_DIR", logs.path().to_str().unwrap()),
        ],
        120,
        36,
    );
    // the banner shows the oldest unseen alert (the demo's own overdue concern) and how
    // many more: ours and the demo's critical request
    p.expect("ALERT: Escalation #2 overdue");
    p.expect("+2 more");
    p.send("3");
    p.expect("Escalations: 13 open");
    p.expect("overdue 1m");
    // each Esc marks only the banner's alert seen (a lone Esc: the next key waits, or
    // the terminal reads Alt+key, so each is awaited)
    p.send("\x1b");
    p.expect(&format!(
        "ALERT: Escalation #{id} overdue: Streetlight out by the clinic"
    ));
    p.expect("+1 more");
    p.send("\x1b");
    p.expect("ALERT: Critical transport request #4");
    p.send("\x1b");
    wait_gone(&p, "ALERT");
    // overdue first, by deadline: the demo's older concern, then ours
    p.send("\x1b[B"); // Down
    p.send("a");
    p.expect(&format!("Escalation #{id} is in your hands."));
    p.expect("in hand");
    // the detail view shows who did what when
    p.send("\r");
    p.expect("History");
    p.expect("took it in hand");
    p.expect("became overdue");
    p.send("r");
    p.expect(&format!("Resolve #{id}"));
    p.send("\r");
    p.expect("a resolution note is required");
    p.send("Electrician replaced the bulb");
    p.send("\r");
    p.expect(&format!("Escalation #{id} resolved."));
    p.expect("resolved it");
    p.send("\x1b");
    p.expect("Escalations: 12 open");
    p.send("q");
    assert_eq!(p.wait_exit(Duration::from_secs(30)), Some(0));

    let out = common::cli(&db.path)
        .env("DUTY_DESK_NOW", LATER)
        .args(["escalation", "list", "--all", "--format", "json"])
        .output()
        .unwrap();
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let e = rows.iter().find(|r| r["id"] == id).unwrap();
    assert_eq!(e["state"], "resolved");
    assert_eq!(e["resolution_note"], "Electrician replaced the bulb");
    assert_eq!(e["owner"], "何丽君");

    // the three Escs are on record: each alert seen by the operator; ours retired with
    // its escalation
    let out = common::cli(&db.path)
        .args(["alert", "list", "--all", "--format", "json"])
        .output()
        .unwrap();
    let alerts: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(alerts.len(), 3, "{alerts:?}");
    assert!(
        alerts.iter().all(|a| a["seen_by"] == "何丽君"),
        "{alerts:?}"
    );
    let ours = alerts.iter().find(|a| a["subject_id"] == id).unwrap();
    assert_eq!(ours["retired"], true);
}
