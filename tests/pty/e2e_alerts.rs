//! End to end (issue 14): a console and a watcher racing on one database with the same
//! delivery hook: every alert reaches the hook once, whoever noticed it first.
use crate::common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::pty::Pty;
use serde_json::Value;

fn alert_list(db: &Path) -> Vec<Value> {
    let out = common::cli(db)
        .args(["alert", "list", "--all", "--format", "json"])
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn a_console_and_a_watcher_deliver_each_alert_once() {
    let db = common::demo_db();
    let dir = db.dir.path();
    let got = dir.join("got.jsonl");
    let hook = dir.join("hook.sh");
    std::fs::write(
        &hook,
        format!(
            "#!/bin/sh\nsleep 0.3\nline=$(cat)\nflock '{0}.lock' printf '%s\\n' \"$line\" >> '{0}'\n",
            got.display()
        ),
    )
    .unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let config = dir.join("settings.toml");
    std::fs::write(
        &config,
        format!("[alerts]\ncommand = [{:?}]\n", hook.display().to_string()),
    )
    .unwrap();
    let logs = tempfile::tempdir().unwrap();
    let db_path = db.path.to_str().unwrap().to_string();
    let mut p = Pty::spawn(
        &[
            "--db",
            &db_path,
            "--operator",
            "何丽君",
            "--config",
            config.to_str().unwrap(),
        ],
        &[
            ("DUTY_DESK_NOW", "2026-11-26T12:30:00+08:00"),
            ("DUTY_DESK_LOG_DIR", logs.path().to_str().unwrap()),
        ],
        120,
        36,
    );
    // watcher passes racing the console's rules and deliveries
    let mut watchers: Vec<std::process::Child> = (0..3)
        .map(|_| {
            std::process::Command::new(env!("CARGO_BIN_EXE_duty-desk"))
                .env("DUTY_DESK_NOW", "2026-11-26T12:30:00+08:00")
                .env("LANG", "en_US.UTF-8")
                .env("XDG_CONFIG_HOME", dir)
                .arg("--db")
                .arg(&db.path)
                .arg("--config")
                .arg(&config)
                .args(["watch", "--once"])
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    p.expect("ALERT:");
    for w in &mut watchers {
        assert!(w.wait().unwrap().success());
    }
    // the console keeps delivering what is left (every 2 s) until all are delivered
    let start = Instant::now();
    loop {
        let recs = alert_list(&db.path);
        let live: Vec<&Value> = recs.iter().filter(|r| r["retired"] == false).collect();
        if !live.is_empty() && live.iter().all(|r| r["delivered_at"].is_string()) {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "not all delivered: {recs:?}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    p.send("q");
    assert_eq!(p.wait_exit(Duration::from_secs(30)), Some(0));
    let text = std::fs::read_to_string(&got).unwrap();
    let mut ids: Vec<i64> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["id"]
                .as_i64()
                .unwrap()
        })
        .collect();
    ids.sort();
    let n = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), n, "an alert reached the hook twice:\n{text}");
    let recs = alert_list(&db.path);
    assert_eq!(
        n,
        recs.iter()
            .filter(|r| r["delivered_at"].is_string())
            .count()
    );
    assert!(
        recs.iter().all(|r| r["attempts"].as_i64().unwrap() <= 1),
        "{recs:?}"
    );
}
