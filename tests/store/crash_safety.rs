//! Crash safety: a writer process doing dispatches, trip steps, report rows and log
//! entries is killed with SIGKILL at random moments; after each kill the database must be
//! intact, hold every write the writer printed (it prints only after commit), and hold no
//! half-done action (a dispatched trip always has its vehicle marked, and the reverse).

use crate::common;

use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use duty_desk::store::Store;

/// Starts the writer, kills it `wait_ms` after its start (or after its first printed write
/// when `after_first_write`), checks the database and returns how many writes it printed.
fn kill_and_check(db: &std::path::Path, seed: u64, wait_ms: u64, after_first_write: bool) -> usize {
    let mut child = common::drill::command(db, seed, None, None)
        .env("DUTY_DESK_NOW", common::NOW)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let lines = Arc::new(Mutex::new(Vec::new()));
    let l2 = lines.clone();
    let reader = std::thread::spawn(move || {
        for line in common::drill::lines(stdout) {
            match line {
                Ok(l) => l2.lock().unwrap().push(l),
                Err(_) => break,
            }
        }
    });
    if after_first_write {
        // a slow, loaded machine may take longer than any fixed pause to start the writer
        let start = std::time::Instant::now();
        while lines.lock().unwrap().is_empty() {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "the writer printed no write in 30 s"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    }
    std::thread::sleep(Duration::from_millis(wait_ms));
    child.kill().unwrap(); // SIGKILL on Unix
    let status = child.wait().unwrap();
    reader.join().unwrap();
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        use std::io::Read;
        let _ = e.read_to_string(&mut stderr);
    }
    assert!(
        stderr.is_empty() || !status.success(),
        "writer failed before the kill: {stderr}"
    );
    assert!(
        !stderr.contains("drill:"),
        "the writer hit an error (e.g. a busy database): {stderr}"
    );
    let printed = lines.lock().unwrap().clone();
    check(db, &printed);
    printed.len()
}

fn check(db: &std::path::Path, printed: &[String]) {
    let store = Store::open(db).unwrap();
    let c = store.conn();
    let ok: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    for line in printed {
        let parts: Vec<&str> = line.split(' ').collect();
        match parts[0] {
            "DISPATCH" => {
                let (vehicle, dispatched): (Option<String>, Option<String>) = c
                    .query_row(
                        "SELECT vehicle, dispatched_at FROM transport WHERE id = ?1",
                        [parts[1]],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .unwrap();
                assert_eq!(vehicle.as_deref(), Some(parts[2]), "{line}");
                assert!(dispatched.is_some(), "{line}");
            }
            "STEP" => {
                let col = format!("{}_at", parts[2]);
                assert!(
                    [
                        "en_route_at",
                        "on_scene_at",
                        "transporting_at",
                        "at_destination_at",
                        "back_in_service_at"
                    ]
                    .contains(&col.as_str())
                );
                let at: Option<String> = c
                    .query_row(
                        &format!("SELECT {col} FROM transport WHERE id = ?1"),
                        [parts[1]],
                        |r| r.get(0),
                    )
                    .unwrap();
                assert!(at.is_some(), "{line}");
            }
            "REPORT" => {
                let n: i64 = c
                    .query_row(
                        "SELECT COUNT(*) FROM daily_report WHERE date = ?1 AND village = ?2",
                        [parts[1], parts[2]],
                        |r| r.get(0),
                    )
                    .unwrap();
                assert_eq!(n, 1, "{line}");
            }
            "LOG" => {
                let n: i64 = c
                    .query_row(
                        "SELECT COUNT(*) FROM log_entry WHERE id = ?1",
                        [parts[1]],
                        |r| r.get(0),
                    )
                    .unwrap();
                assert_eq!(n, 1, "{line}");
            }
            other => panic!("unexpected line {other}"),
        }
    }
    // no half-done action: vehicle and trip always agree
    let bad_vehicles: i64 = c
        .query_row(
            "SELECT COUNT(*) FROM vehicle v LEFT JOIN transport t ON t.id = v.transport
             WHERE v.transport IS NOT NULL AND (t.id IS NULL OR t.status <> v.status OR t.vehicle <> v.code)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        bad_vehicles, 0,
        "a vehicle points at a trip that does not hold it"
    );
    let bad_trips: i64 = c
        .query_row(
            "SELECT COUNT(*) FROM transport t LEFT JOIN vehicle v ON v.transport = t.id
             WHERE t.status IN ('dispatched','en_route','on_scene','transporting','at_destination')
               AND v.code IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(bad_trips, 0, "an active trip whose vehicle is not marked");
    let orphan_audit: i64 = c
        .query_row(
            "SELECT COUNT(*) FROM transport t WHERE NOT EXISTS
               (SELECT 1 FROM audit a WHERE a.subject = 'transport:' || t.id)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(orphan_audit, 0, "every trip has its audit rows");
}

fn run(kills: u64) {
    let db = common::demo_db();
    let mut total = 0;
    for i in 0..kills {
        // kill moments spread from "still opening" to "well into its writes": one kill in
        // three counts from the start, the others from the first write
        let wait = 5 + (i * 37 + 11) % 120;
        total += kill_and_check(&db.path, i + 1, wait, i % 3 != 0);
    }
    // every kill counted from the first write interrupted a writer that had written
    assert!(
        total >= (kills - kills.div_ceil(3)) as usize,
        "the writer made too few writes to test anything: {total}"
    );
}

#[test]
fn fifty_kills_lose_nothing_committed() {
    run(50);
}

#[test]
#[ignore = "long: run with --ignored"]
fn five_hundred_kills_lose_nothing_committed() {
    run(500);
}

/// The drill's process: `common::drill::command` re-runs this binary for this test alone.
#[test]
#[ignore = "the drill child: runs only when a test starts this binary as the writer"]
fn drill_child() {
    common::drill::serve();
}
