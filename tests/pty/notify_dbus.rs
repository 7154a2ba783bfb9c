//! Desktop notifications under a private D-Bus session (`dbus-run-session`) with a small fake
//! notification service owning `org.freedesktop.Notifications`: the summary and body it
//! receives, in English and Chinese, from the library and from the real console.
//!
//! The outer test re-runs this test binary inside `dbus-run-session`. Both tests are
//! ignored unless asked for (`cargo test --test pty -- --ignored notify_dbus`): they need
//! `dbus-run-session` (`apt-get install dbus`), and fail, not skip, when it is missing.
//! `.ci/run` installs dbus and runs them.
use crate::common;

use std::collections::HashMap;
use std::process::Command;
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::{Duration, Instant};

const INNER: &str = "DUTY_DESK_NOTIFY_INNER";

/// One Notify call as the service saw it.
#[derive(Debug, Clone)]
struct Received {
    app: String,
    summary: String,
    body: String,
}

struct FakeNotifications {
    tx: Sender<Received>,
    /// Registered but never answering: the case that blocks a naive caller for 25 s.
    hang: bool,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl FakeNotifications {
    #[allow(clippy::too_many_arguments)]
    async fn notify(
        &self,
        app_name: String,
        _replaces_id: u32,
        _app_icon: String,
        summary: String,
        body: String,
        _actions: Vec<String>,
        _hints: HashMap<String, zbus::OwnedVariant>,
        _expire_timeout: i32,
    ) -> u32 {
        let _ = self.tx.send(Received {
            app: app_name,
            summary,
            body,
        });
        if self.hang {
            std::future::pending::<()>().await;
        }
        1
    }

    fn get_capabilities(&self) -> Vec<String> {
        vec!["body".into()]
    }

    fn get_server_information(&self) -> (String, String, String, String) {
        (
            "fake".into(),
            "duty-desk tests".into(),
            "1".into(),
            "1.2".into(),
        )
    }

    fn close_notification(&self, _id: u32) {}
}

/// Starts the fake service on the session bus; returns what it receives.
fn start_fake(hang: bool) -> Receiver<Received> {
    let (tx, rx) = mpsc::channel();
    let (ready_tx, ready_rx) = mpsc::channel();
    std::thread::spawn(move || {
        zbus::block_on(async move {
            let conn = zbus::connection::Builder::session()
                .name("org.freedesktop.Notifications")
                .serve_at(
                    "/org/freedesktop/Notifications",
                    FakeNotifications { tx, hang },
                )
                .build()
                .await;
            match conn {
                Ok(conn) => {
                    let _ = ready_tx.send(Ok(()));
                    // keep the connection (and the name) for the rest of the test
                    std::future::pending::<()>().await;
                    drop(conn);
                }
                Err(e) => {
                    let _ = ready_tx.send(Err(e.to_string()));
                }
            }
        });
    });
    ready_rx
        .recv_timeout(Duration::from_secs(10))
        .expect("fake service did not start")
        .expect("fake service could not own its name");
    rx
}

fn next(rx: &Receiver<Received>, within: Duration) -> Received {
    rx.recv_timeout(within)
        .expect("the notification service received nothing")
}

/// Why the tests here are ignored by default.
const NEEDS_DBUS: &str = "needs dbus-run-session (apt-get install dbus): run with --ignored";

/// This module's test `name` as the test harness lists it (`notify_dbus::name`).
fn test_path(name: &str) -> String {
    let module = module_path!().split_once("::").map_or("", |(_, m)| m);
    format!("{module}::{name}")
}

/// Runs this binary's test `name` again inside a private session bus.
fn inside_dbus(name: &str) {
    assert!(
        Command::new("dbus-run-session")
            .arg("--version")
            .output()
            .is_ok(),
        "{NEEDS_DBUS}: dbus-run-session is not installed"
    );
    let exe = std::env::current_exe().unwrap();
    let out = Command::new("dbus-run-session")
        .arg("--")
        .arg(exe)
        .args([
            "--exact",
            &test_path(name),
            "--include-ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(INNER, "1")
        .output()
        .unwrap();
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "inner run failed:\n{text}");
    assert!(
        text.contains("1 passed"),
        "the inner test did not run:\n{text}"
    );
}

#[test]
#[ignore = "needs dbus-run-session (apt-get install dbus): run with --ignored"]
fn notifications_reach_the_notification_service_in_english_and_chinese() {
    if std::env::var_os(INNER).is_some() {
        inner();
    } else {
        inside_dbus("notifications_reach_the_notification_service_in_english_and_chinese");
    }
}

#[test]
#[ignore = "needs dbus-run-session (apt-get install dbus): run with --ignored"]
fn a_service_that_never_answers_costs_the_console_nothing() {
    if std::env::var_os(INNER).is_none() {
        inside_dbus("a_service_that_never_answers_costs_the_console_nothing");
        return;
    }
    let rx = start_fake(true);
    let start = Instant::now();
    duty_desk::notify::send("s".into(), "b".into());
    // waiting for this service would cost at least TIMEOUT: anything less did not wait
    assert!(
        start.elapsed() < duty_desk::notify::TIMEOUT,
        "send must not wait: {:?}",
        start.elapsed()
    );
    next(&rx, Duration::from_secs(3));
    let start = Instant::now();
    assert!(duty_desk::notify::send_blocking("s", "b").is_err());
    // D-Bus's own timeout is 25 s: well under it means the TIMEOUT gave up
    assert!(
        start.elapsed() < duty_desk::notify::TIMEOUT + Duration::from_secs(10),
        "gave up after {:?}",
        start.elapsed()
    );

    // the console: the alert's notification hangs, the screen and keys do not
    let db = common::demo_db();
    let logs = tempfile::tempdir().unwrap();
    let bus = std::env::var("DBUS_SESSION_BUS_ADDRESS").unwrap();
    let db_path = db.path.to_str().unwrap().to_string();
    let mut p = common::pty::Pty::spawn(
        &["--db", &db_path, "--operator", "何丽君"],
        &[
            ("DUTY_DESK_NOW", common::NOW),
            ("DBUS_SESSION_BUS_ADDRESS", &bus),
            ("DUTY_DESK_LOG_DIR", logs.path().to_str().unwrap()),
        ],
        120,
        36,
    );
    p.expect("ALERT: Escalation #2 overdue");
    next(&rx, Duration::from_secs(5));
    // a console waiting on the hung call would not answer for D-Bus's 25 s
    let start = Instant::now();
    p.send("3");
    assert!(p.wait_for("Escalations: 12 open", Duration::from_secs(10)));
    p.send("4");
    assert!(p.wait_for("Transport requests", Duration::from_secs(10)));
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
    p.send("q");
    assert_eq!(p.wait_exit(Duration::from_secs(30)), Some(0));
}

fn inner() {
    assert!(
        duty_desk::notify::session_bus_available(),
        "dbus-run-session should set DBUS_SESSION_BUS_ADDRESS"
    );
    let rx = start_fake(false);

    // the library, waiting for the answer
    duty_desk::notify::send_blocking("Escalation overdue", "Escalation #5 overdue: Call back")
        .unwrap();
    let r = next(&rx, Duration::from_secs(3));
    assert_eq!(r.app, "duty-desk");
    assert_eq!(r.summary, "Escalation overdue");
    assert_eq!(r.body, "Escalation #5 overdue: Call back");

    // the console's path: off the caller's thread, returning at once
    let start = Instant::now();
    duty_desk::notify::send("督办事项超时".into(), "督办 #5 已超时：回复群众诉求".into());
    assert!(
        start.elapsed() < duty_desk::notify::TIMEOUT,
        "send must not wait: {:?}",
        start.elapsed()
    );
    let r = next(&rx, Duration::from_secs(3));
    assert_eq!(r.summary, "督办事项超时");
    assert_eq!(r.body, "督办 #5 已超时：回复群众诉求");

    // the real console in Chinese: the demo's overdue concern alerts when it starts
    let db = common::demo_db();
    let logs = tempfile::tempdir().unwrap();
    let bus = std::env::var("DBUS_SESSION_BUS_ADDRESS").unwrap();
    let db_path = db.path.to_str().unwrap().to_string();
    let mut p = common::pty::Pty::spawn(
        &["--db", &db_path, "--lang", "zh", "--operator", "何丽君"],
        &[
            ("DUTY_DESK_NOW", common::NOW),
            ("DBUS_SESSION_BUS_ADDRESS", &bus),
            ("DUTY_DESK_LOG_DIR", logs.path().to_str().unwrap()),
        ],
        120,
        36,
    );
    p.expect("提醒：督办 #2 已超时");
    let r = next(&rx, Duration::from_secs(5));
    assert_eq!(r.summary, "督办事项超时");
    assert_eq!(r.body, "督办 #2 已超时：独居老人反映药未送到");
    p.send("q");
    assert_eq!(p.wait_exit(Duration::from_secs(30)), Some(0));

    // turned off with --no-notify: the banner still shows, nothing is sent
    let db = common::demo_db();
    let db_path = db.path.to_str().unwrap().to_string();
    let mut p = common::pty::Pty::spawn(
        &["--db", &db_path, "--no-notify"],
        &[
            ("DUTY_DESK_NOW", common::NOW),
            ("DBUS_SESSION_BUS_ADDRESS", &bus),
            ("DUTY_DESK_LOG_DIR", logs.path().to_str().unwrap()),
        ],
        120,
        36,
    );
    p.expect("ALERT: Escalation #2 overdue");
    assert!(
        rx.recv_timeout(Duration::from_secs(2)).is_err(),
        "--no-notify must not send"
    );
    // no --operator: the login chooser is open, where letters find a person and Esc leaves
    p.send("\x1b");
    assert_eq!(p.wait_exit(Duration::from_secs(30)), Some(0));
}
