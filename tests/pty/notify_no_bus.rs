//! With no D-Bus session at all an alert costs no noticeable time and raises no error; the
//! console keeps working and says so once, in its log file, never on the screen.
use crate::common;

use std::process::Command;
use std::time::{Duration, Instant};

const INNER: &str = "DUTY_DESK_NO_BUS_INNER";

#[test]
fn an_alert_without_a_session_bus_is_instant_and_silent() {
    match std::env::var(INNER).as_deref() {
        Ok("none") => {
            assert!(!duty_desk::notify::session_bus_available());
            let start = Instant::now();
            for i in 0..20 {
                duty_desk::notify::send(format!("alert {i}"), "body".into());
            }
            // one wait for a bus costs TIMEOUT: twenty sends and a blocking one in less
            // than that waited for nothing (generous for a slow, loaded machine)
            assert!(
                start.elapsed() < duty_desk::notify::TIMEOUT,
                "{:?}",
                start.elapsed()
            );
            assert!(duty_desk::notify::send_blocking("s", "b").is_err());
            assert!(
                start.elapsed() < duty_desk::notify::TIMEOUT,
                "{:?}",
                start.elapsed()
            );
            return;
        }
        Ok("dead") => {
            // a bus address that leads nowhere: still no wait for the caller
            let start = Instant::now();
            duty_desk::notify::send("s".into(), "b".into());
            assert!(
                start.elapsed() < duty_desk::notify::TIMEOUT,
                "{:?}",
                start.elapsed()
            );
            assert!(duty_desk::notify::send_blocking("s", "b").is_err());
            // D-Bus's own timeout is 25 s: well under it means TIMEOUT gave up
            assert!(
                start.elapsed() <= duty_desk::notify::TIMEOUT + Duration::from_secs(10),
                "{:?}",
                start.elapsed()
            );
            return;
        }
        _ => {}
    }
    let exe = std::env::current_exe().unwrap();
    for (mode, bus) in [
        ("none", None),
        ("dead", Some("unix:path=/nonexistent/duty-desk-bus")),
    ] {
        let mut cmd = Command::new(&exe);
        // the harness names the test by its module path inside the `pty` binary
        let module = module_path!().split_once("::").map_or("", |(_, m)| m);
        cmd.args([
            "--exact",
            &format!("{module}::an_alert_without_a_session_bus_is_instant_and_silent"),
        ])
        .env(INNER, mode)
        .env_remove("DBUS_SESSION_BUS_ADDRESS");
        if let Some(b) = bus {
            cmd.env("DBUS_SESSION_BUS_ADDRESS", b);
        }
        let out = cmd.output().unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "{mode}: {text}");
        // a filter that matches nothing also succeeds: the inner test must have run
        assert!(
            text.contains("1 passed"),
            "{mode}: the inner test did not run: {text}"
        );
    }
}

#[test]
fn the_console_without_a_bus_alerts_on_screen_and_logs_the_missing_bus_once() {
    let db = common::demo_db();
    let logs = tempfile::tempdir().unwrap();
    let db_path = db.path.to_str().unwrap().to_string();
    // Pty::spawn removes DBUS_SESSION_BUS_ADDRESS
    let mut p = common::pty::Pty::spawn(
        &["--db", &db_path, "--operator", "何丽君"],
        &[
            ("DUTY_DESK_NOW", common::NOW),
            ("DUTY_DESK_LOG_DIR", logs.path().to_str().unwrap()),
        ],
        120,
        36,
    );
    // the banner: the oldest unseen alert, and how many more (the demo's critical #4)
    p.expect("ALERT: Escalation #2 overdue");
    p.expect("+1 more");
    let raw = p.raw.lock().unwrap().clone();
    assert!(raw.contains(&0x07), "the terminal bell rang");
    // a second alert: a new critical request from another process
    common::cli(&db.path)
        .args([
            "transport",
            "request",
            "--village",
            "V03",
            "--patient",
            "Test Patient",
            "--severity",
            "critical",
            "--to",
            "DH",
        ])
        .assert()
        .success();
    p.expect("+2 more");
    // still responsive, and nothing about D-Bus on the screen
    p.send("3");
    p.expect("Escalations: 12 open");
    // each Esc marks the banner's alert seen, oldest first
    p.send("\x1b");
    p.expect("ALERT: Critical transport request #4");
    p.send("\x1b");
    p.expect("ALERT: Critical transport request #5");
    p.send("\x1b");
    assert!(p.wait_for("kind: all", Duration::from_secs(30)));
    std::thread::sleep(Duration::from_millis(300));
    assert!(!p.screen().contains("ALERT"), "Esc dismisses the banner");
    assert!(!p.screen().contains("D-Bus"));
    p.send("q");
    assert_eq!(p.wait_exit(Duration::from_secs(30)), Some(0));
    let mut log = String::new();
    for entry in std::fs::read_dir(logs.path()).unwrap() {
        log.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default());
    }
    assert_eq!(
        log.matches("no D-Bus session bus").count(),
        1,
        "said once in the log file:\n{log}"
    );
}
