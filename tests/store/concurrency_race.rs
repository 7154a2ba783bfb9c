//! Concurrency at scale: 4 processes × 200 dispatch attempts over 5 vehicles on one file,
//! with readers running beside them: zero double bookings, no busy-database error, and
//! every loser told why.

use crate::common;

use std::process::Stdio;

use duty_desk::store::Store;

#[test]
fn four_racing_processes_never_double_book() {
    let db = common::demo_db();
    // the racers' rows are those after the demo's own
    let start: i64 = Store::open(&db.path)
        .unwrap()
        .conn()
        .query_row("SELECT MAX(id) FROM audit", [], |r| r.get(0))
        .unwrap();
    let vehicles = "AMB2,AMB3,RC01,RC02,RC03";
    let racers: Vec<_> = (1..=4)
        .map(|seed| {
            common::drill::command(&db.path, seed, Some(200), Some(vehicles))
                .env("DUTY_DESK_NOW", common::NOW)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let path = db.path.clone();
            std::thread::spawn(move || {
                for _ in 0..20 {
                    common::cli(&path)
                        .args(["vehicles", "--format", "json"])
                        .assert()
                        .success();
                    common::cli(&path)
                        .args(["transport", "list", "--format", "json"])
                        .assert()
                        .success();
                }
            })
        })
        .collect();
    let mut won = 0;
    let mut lost = 0;
    for r in racers {
        let out = r.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "a racer failed: {stderr}");
        assert!(
            !stderr.contains("locked") && !stderr.contains("busy"),
            "{stderr}"
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        for line in common::drill::output(&stdout) {
            if line.starts_with("WON ") {
                won += 1;
            } else if let Some(why) = line.strip_prefix("LOST ") {
                assert!(why.contains("is not free"), "loser not told why: {line}");
                lost += 1;
            } else {
                panic!("unexpected line {line}");
            }
        }
    }
    for r in readers {
        r.join().unwrap();
    }
    assert_eq!(won + lost, 800);
    assert!(won > 0, "nobody ever won");
    // replay the audit log per vehicle: a dispatch only ever follows a release
    let store = Store::open(&db.path).unwrap();
    let mut stmt = store
        .conn()
        .prepare(
            "SELECT action, detail FROM audit WHERE action IN ('transport.dispatch','transport.advance')
             AND id > ?1 ORDER BY id",
        )
        .unwrap();
    let rows: Vec<(String, String)> = stmt
        .query_map([start], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut busy = std::collections::HashSet::new();
    let mut dispatches = 0;
    for (action, detail) in rows {
        let d: serde_json::Value = serde_json::from_str(&detail).unwrap();
        let v = d["vehicle"].as_str().unwrap_or_default().to_string();
        if action == "transport.dispatch" {
            assert!(busy.insert(v.clone()), "{v} double-booked");
            dispatches += 1;
        } else if matches!(d["to"].as_str(), Some("back_in_service" | "cancelled")) && !v.is_empty()
        {
            busy.remove(&v);
        }
    }
    assert_eq!(dispatches, won);
}

/// The racers' process: `common::drill::command` re-runs this binary for this test alone.
#[test]
#[ignore = "the drill child: runs only when a test starts this binary as a racer"]
fn drill_child() {
    common::drill::serve();
}
