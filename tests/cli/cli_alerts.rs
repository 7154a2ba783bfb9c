//! `watch` and `alert list` through the real binary (issue 14): a watcher journey under a
//! fixed clock with a capturing hook, two watcher passes racing on one database, hook
//! failure, timeout and retry, one running watcher per database, and the two example
//! hooks in contrib/hooks (the SMS one against a stub HTTP server on 127.0.0.1).
use crate::common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// The repository's example hook `name`.
fn contrib(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("contrib/hooks")
        .join(name)
}

/// A settings file in `dir` whose alert command is `command`.
fn settings(dir: &Path, command: &[&str], timeout: u64) -> PathBuf {
    let path = dir.join("settings.toml");
    let words: Vec<String> = command.iter().map(|w| format!("{w:?}")).collect();
    std::fs::write(
        &path,
        format!(
            "[alerts]\ncommand = [{}]\ntimeout_secs = {timeout}\n",
            words.join(", ")
        ),
    )
    .unwrap();
    path
}

/// A hook script in `dir` that appends its stdin, one line per alert, to `got.jsonl`
/// (the line read first, then written with one `printf` under an exclusive `flock`, so
/// hooks running at once never interleave inside a line).
fn capturing_hook(dir: &Path, delay: &str) -> (PathBuf, PathBuf) {
    let got = dir.join("got.jsonl");
    let script = dir.join("hook.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nsleep {delay}\nline=$(cat)\nflock '{0}.lock' printf '%s\\n' \"$line\" >> '{0}'\n",
            got.display()
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    (script, got)
}

fn received(got: &Path) -> Vec<Value> {
    std::fs::read_to_string(got)
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn watch_once(db: &Path, config: &Path, now: &str) -> String {
    let out = common::cli(db)
        .env("DUTY_DESK_NOW", now)
        .arg("--config")
        .arg(config)
        .args(["watch", "--once"])
        .assert()
        .success();
    String::from_utf8_lossy(&out.get_output().stdout).to_string()
}

fn alert_list(db: &Path) -> Vec<Value> {
    let out = common::cli(db)
        .args(["alert", "list", "--all", "--format", "json"])
        .assert()
        .success();
    serde_json::from_slice(&out.get_output().stdout).unwrap()
}

#[test]
fn watcher_journey_an_escalation_goes_overdue_and_the_hook_receives_it_once() {
    let db = common::demo_db();
    let (hook, got) = capturing_hook(db.dir.path(), "0");
    let config = settings(db.dir.path(), &[hook.to_str().unwrap()], 10);
    let out = common::cli(&db.path)
        .args([
            "escalation",
            "add",
            "--kind",
            "concern",
            "--title",
            "Check on the well",
        ])
        .args(["--village", "V01", "--due", "30m"])
        .assert()
        .success();
    let id: i64 = String::from_utf8_lossy(&out.get_output().stdout)
        .split(|c: char| !c.is_ascii_digit())
        .find(|s| !s.is_empty())
        .unwrap()
        .parse()
        .unwrap();
    // 10:30: the demo's overdue concern and critical request go out; ours is not due yet
    let said = watch_once(&db.path, &config, common::NOW);
    assert!(said.contains("2 delivered"), "{said}");
    let about_ours = |v: &[Value]| {
        v.iter()
            .filter(|a| a["subject"] == "escalation" && a["subject_id"] == id)
            .cloned()
            .collect::<Vec<_>>()
    };
    assert!(about_ours(&received(&got)).is_empty());
    // 11:01, nobody at the screen: overdue, delivered once to the people on duty
    watch_once(&db.path, &config, "2026-11-26T11:01:00+08:00");
    watch_once(&db.path, &config, "2026-11-26T11:02:00+08:00");
    let ours = about_ours(&received(&got));
    assert_eq!(ours.len(), 1, "{ours:?}");
    let a = &ours[0];
    assert_eq!(a["event"], "overdue");
    assert_eq!(a["kind"], "concern");
    assert_eq!(a["title"], "Check on the well");
    assert_eq!(a["village"], "V01");
    assert_eq!(a["due"], "2026-11-26T03:00:00Z");
    let phones: Vec<&str> = a["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["phone"].as_str().unwrap())
        .collect();
    assert!(
        !phones.is_empty() && phones.iter().all(|p| !p.is_empty()),
        "{a}"
    );
    // the record says delivered, one attempt
    let rec = alert_list(&db.path)
        .into_iter()
        .find(|r| r["subject_id"] == id && r["event"] == "overdue")
        .unwrap();
    assert_eq!(rec["attempts"], 1);
    assert!(rec["delivered_at"].is_string());
    assert_eq!(rec["retired"], false);
    assert_eq!(rec["seen_by"], Value::Null);
    // the deadline mark and its log entry were made without a console too
    let log = common::cli(&db.path)
        .args(["log", "list", "--format", "json"])
        .assert()
        .success();
    assert!(String::from_utf8_lossy(&log.get_output().stdout).contains("Check on the well"));
}

#[test]
fn two_watcher_passes_racing_deliver_each_alert_once() {
    let db = common::demo_db();
    let (hook, got) = capturing_hook(db.dir.path(), "0.3");
    let config = settings(db.dir.path(), &[hook.to_str().unwrap()], 10);
    let spawn = || {
        let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("duty-desk"));
        c.env("DUTY_DESK_NOW", "2026-11-26T12:30:00+08:00")
            .env("LANG", "en_US.UTF-8")
            .env("XDG_CONFIG_HOME", db.dir.path())
            .arg("--db")
            .arg(&db.path)
            .arg("--config")
            .arg(&config)
            .args(["watch", "--once"])
            .stdout(std::process::Stdio::null());
        c.spawn().unwrap()
    };
    let mut a = spawn();
    let mut b = spawn();
    assert!(a.wait().unwrap().success());
    assert!(b.wait().unwrap().success());
    let got = received(&got);
    let mut ids: Vec<i64> = got.iter().map(|v| v["id"].as_i64().unwrap()).collect();
    ids.sort();
    let n = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), n, "an alert delivered twice: {got:?}");
    let live: Vec<i64> = alert_list(&db.path)
        .iter()
        .filter(|r| r["retired"] == false)
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert!(live.len() >= 3, "{live:?}");
    assert_eq!(ids, live, "every live alert delivered, once");
    assert!(
        alert_list(&db.path)
            .iter()
            .filter(|r| r["retired"] == false)
            .all(|r| r["attempts"] == 1)
    );
}

#[test]
fn a_failing_or_hanging_hook_is_recorded_and_retried_with_backoff() {
    let db = common::demo_db();
    let config = settings(db.dir.path(), &["/bin/sh", "-c", "sleep 5"], 1);
    let said = watch_once(&db.path, &config, common::NOW);
    assert!(said.contains("0 delivered, 2 failed"), "{said}");
    let recs = alert_list(&db.path);
    assert!(recs.iter().all(|r| {
        r["attempts"] == 1
            && r["delivered_at"].is_null()
            && r["last_error"]
                .as_str()
                .unwrap()
                .starts_with("timed out after 1 s")
    }));
    // the same instant again: waiting for the backoff, nothing tried
    watch_once(&db.path, &config, common::NOW);
    assert!(alert_list(&db.path).iter().all(|r| r["attempts"] == 1));
    // 30 s later the hook works again
    let config = settings(
        db.dir.path(),
        &["/bin/sh", "-c", "echo refused >&2; exit 3"],
        1,
    );
    watch_once(&db.path, &config, "2026-11-26T10:30:30+08:00");
    let recs = alert_list(&db.path);
    assert!(
        recs.iter()
            .all(|r| r["attempts"] == 2 && r["last_error"] == "exit status 3: refused"),
        "{recs:?}"
    );
    let config = settings(db.dir.path(), &["/bin/true"], 1);
    watch_once(&db.path, &config, "2026-11-26T10:31:30+08:00");
    assert!(
        alert_list(&db.path)
            .iter()
            .all(|r| r["attempts"] == 3 && r["delivered_at"].is_string())
    );
}

#[test]
fn one_running_watcher_per_database() {
    let db = common::demo_db();
    let mut first = std::process::Command::new(assert_cmd::cargo::cargo_bin("duty-desk"))
        .env("DUTY_DESK_NOW", common::NOW)
        .env("LANG", "en_US.UTF-8")
        .env("XDG_CONFIG_HOME", db.dir.path())
        .arg("--db")
        .arg(&db.path)
        .args(["watch", "--interval", "3600"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // wait until it holds the lock
    let mut held = false;
    for _ in 0..200 {
        if duty_desk::watch::lock(&db.path).unwrap().is_none() {
            held = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let second = common::cli(&db.path).args(["watch"]).assert();
    let _ = first.kill();
    let _ = first.wait();
    assert!(held, "the first watcher never took the lock");
    let second = second.code(3);
    let err = String::from_utf8_lossy(&second.get_output().stderr).to_string();
    assert!(err.contains("another watcher is running"), "{err}");
    // a one-off pass needs no lock, and the lock is free again once the first has gone
    assert!(duty_desk::watch::lock(&db.path).unwrap().is_some());
}

#[test]
fn alert_list_reads_only_and_gives_the_contract_fields() {
    let db = common::demo_db();
    // nothing noticed yet: an empty list, and the database untouched
    let before = std::fs::read(&db.path).unwrap();
    assert_eq!(alert_list(&db.path), Vec::<Value>::new());
    assert_eq!(std::fs::read(&db.path).unwrap(), before);
    // the rules run by `escalation list` record the alerts as a console or watcher would
    common::cli(&db.path)
        .args(["escalation", "list"])
        .assert()
        .success();
    let recs = alert_list(&db.path);
    assert_eq!(recs.len(), 2);
    for key in [
        "id",
        "event",
        "subject",
        "subject_id",
        "title",
        "created_at",
        "delivered_at",
        "attempts",
        "seen_by",
        "retired",
    ] {
        assert!(recs[0].get(key).is_some(), "{key} missing: {}", recs[0]);
    }
    let text = common::cli(&db.path)
        .args(["--lang", "zh", "alert", "list"])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&text.get_output().stdout).to_string();
    assert!(text.contains("已超时") && text.contains("待发送"), "{text}");
}

#[test]
fn the_log_hook_appends_one_line_per_alert() {
    let db = common::demo_db();
    let log = db.dir.path().join("alerts.log");
    let hook = contrib("log-alert.sh");
    let config = settings(
        db.dir.path(),
        &[hook.to_str().unwrap(), log.to_str().unwrap()],
        10,
    );
    let said = watch_once(&db.path, &config, common::NOW);
    assert!(said.contains("2 delivered"), "{said}");
    let text = std::fs::read_to_string(&log).unwrap();
    assert_eq!(text.lines().count(), 2, "{text}");
    for line in text.lines() {
        let (_, json) = line.split_once(' ').unwrap();
        let v: Value = serde_json::from_str(json).unwrap();
        assert!(v["recipients"].is_array(), "{v}");
    }
}

/// A stub SMS gateway: answers each request with `status`, and hands back the bodies.
fn stub_gateway(status: &'static str) -> (String, std::sync::mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/api/alert", listener.local_addr().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut len = 0usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    break;
                }
                let l = line.trim_end().to_ascii_lowercase();
                if l.is_empty() {
                    break;
                }
                if let Some(v) = l.strip_prefix("content-length:") {
                    len = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; len];
            let _ = reader.read_exact(&mut body);
            let _ = tx.send(String::from_utf8_lossy(&body).to_string());
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
    (url, rx)
}

#[test]
fn the_sms_hook_posts_each_alert_to_the_gateway() {
    let db = common::demo_db();
    let hook = contrib("sms-gateway.sh");
    let (url, bodies) = stub_gateway("200 OK");
    let config = settings(db.dir.path(), &[hook.to_str().unwrap(), &url], 10);
    let said = watch_once(&db.path, &config, common::NOW);
    assert!(said.contains("2 delivered"), "{said}");
    let got: Vec<Value> = bodies
        .try_iter()
        .map(|b| serde_json::from_str(&b).unwrap())
        .collect();
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(
        got.iter()
            .any(|v| v["event"] == "new" && v["kind"] == "critical")
    );
    assert!(got.iter().all(|v| v["recipients"][0]["phone"].is_string()));

    // a gateway that refuses: recorded as failed with curl's words, retried later
    let db = common::demo_db();
    let (url, _bodies) = stub_gateway("500 Internal Server Error");
    let config = settings(db.dir.path(), &[hook.to_str().unwrap(), &url], 10);
    let said = watch_once(&db.path, &config, common::NOW);
    assert!(said.contains("2 failed"), "{said}");
    let recs = alert_list(&db.path);
    assert!(
        recs.iter()
            .all(|r| r["last_error"].as_str().unwrap().contains("500")),
        "{recs:?}"
    );
}

#[test]
fn a_watcher_on_a_file_that_is_not_a_database_exits_2_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let bogus = dir.path().join("notes.txt");
    std::fs::write(&bogus, "not a database").unwrap();
    let out = common::cli(&bogus)
        .args(["watch", "--interval", "1"])
        .timeout(std::time::Duration::from_secs(10))
        .assert()
        .code(2);
    assert!(!String::from_utf8_lossy(&out.get_output().stderr).is_empty());
    assert_eq!(std::fs::read_to_string(&bogus).unwrap(), "not a database");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no lock file left"
    );
}
