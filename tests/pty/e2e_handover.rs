//! End to end in a pseudo-terminal, the late sign-over of issue 11 done right: a night shift
//! with entries, the incoming person signs with their PIN at 08:45 in the console, the next
//! entry lands in the new shift, and the old one refuses edits (console and command line).

use crate::common;

use std::path::Path;
use std::time::Duration;

use common::pty::Pty;
use serde_json::Value;

fn cli(db: &Path, at: &str, op: &str) -> assert_cmd::Command {
    let mut c = common::cli(db);
    c.env("DUTY_DESK_NOW", at).args(["--operator", op]);
    c
}

fn author(db: &Path, date: &str, text: &str) -> String {
    let out = cli(db, "2026-11-27T09:00:00+08:00", "罗承志")
        .args(["log", "list", "--format", "json", "--date", date])
        .assert()
        .success();
    let v: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .find(|e| e["text"] == text)
        .map(|e| e["author"].as_str().unwrap().to_string())
        .unwrap_or_default()
}

fn ids(db: &Path, date: &str) -> Vec<(i64, String)> {
    let out = cli(db, "2026-11-27T09:00:00+08:00", "罗承志")
        .args(["log", "list", "--format", "json", "--date", date])
        .assert()
        .success();
    let v: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["id"].as_i64().unwrap(),
                e["text"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn the_incoming_person_signs_with_their_pin_at_0845_and_the_day_starts_in_the_new_shift() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("duty.db");
    let night = "2026-11-26T22:00:00+08:00";
    cli(&db, night, "罗承志")
        .args(["init", "--town", "data/demo/town.toml"])
        .assert()
        .success();
    cli(&db, night, "冉小东")
        .args([
            "roster",
            "set",
            "--date",
            "2026-11-26",
            "--leader",
            "罗承志",
        ])
        .args(["--officers", "何丽君,黄晓峰"])
        .assert()
        .success();
    let entry = cli(&db, "2026-11-26T23:10:00+08:00", "何丽君")
        .args([
            "log",
            "add",
            "V03 clinic called about oxygen",
            "--category",
            "call",
        ])
        .assert()
        .success();
    let entry = String::from_utf8(entry.get_output().stdout.clone()).unwrap();
    cli(&db, "2026-11-27T03:20:00+08:00", "黄晓峰")
        .args(["log", "add", "AMB2 back from the district hospital"])
        .assert()
        .success();
    cli(&db, night, "谭慧敏")
        .args(["staff", "set-pin", "谭慧敏"])
        .write_stdin("2468\n2468\n")
        .assert()
        .success();

    // 08:45: the console of the outgoing officer; the incoming person signs with her PIN
    let path = db.to_str().unwrap().to_string();
    let mut p = Pty::spawn(
        &["--db", &path, "--operator", "何丽君"],
        &[("DUTY_DESK_NOW", "2026-11-27T08:45:00+08:00")],
        120,
        36,
    );
    p.expect("handover 15 min late");
    p.send("5");
    p.expect("Shift 11-26 08:30 to 11-27 08:30");
    p.expect("AMB2 back from the district hospital");
    p.send("s");
    p.expect("Incoming person: pick your name");
    p.send("\r"); // 谭慧敏, the first one off the shift
    p.expect("PIN of 谭慧敏");
    p.send("1357\r");
    p.expect("wrong PIN for 谭慧敏");
    p.send("s");
    p.expect("Incoming person: pick your name");
    p.send("\r");
    p.expect("PIN of 谭慧敏");
    p.send("2468\r");
    p.expect("handed over to 谭慧敏");
    p.expect("Shift 11-27 08:30 to 11-28 08:30");
    // the next entry lands in the new shift
    p.send("n");
    p.expect("New entry");
    p.send("Day team in, vehicles checked\r");
    p.expect("Day team in, vehicles checked");
    // the old one: read-only
    p.send("[");
    p.expect("PAST SHIFT, read-only");
    p.expect("HANDED OVER, signed by 谭慧敏");
    p.send("e");
    p.expect("the shift is handed over and read-only");
    p.send("q");
    assert_eq!(p.wait_exit(Duration::from_secs(30)), Some(0));

    let old = ids(&db, "2026-11-26");
    let new = ids(&db, "2026-11-27");
    assert!(
        old.iter()
            .any(|(_, t)| t == "AMB2 back from the district hospital")
    );
    assert!(
        new.iter()
            .any(|(_, t)| t == "Day team in, vehicles checked"),
        "{new:?}"
    );
    assert!(
        !old.iter()
            .any(|(_, t)| t == "Day team in, vehicles checked")
    );
    // the desk is the incoming person's once she has signed
    assert_eq!(
        author(&db, "2026-11-27", "Day team in, vehicles checked"),
        "谭慧敏"
    );
    // the next entry from the command line, at 09:00, too (she has a PIN: she proves it
    // once with a session, as every command-line writer with a PIN must)
    cli(&db, "2026-11-27T09:00:00+08:00", "谭慧敏")
        .args(["login", "--pin-stdin"])
        .write_stdin("2468\n")
        .assert()
        .success();
    cli(&db, "2026-11-27T09:00:00+08:00", "谭慧敏")
        .args(["log", "add", "first call of the day"])
        .assert()
        .success();
    assert!(
        ids(&db, "2026-11-27")
            .iter()
            .any(|(_, t)| t == "first call of the day")
    );
    assert!(ids(&db, "2026-11-28").is_empty(), "no day skipped");
    cli(&db, "2026-11-27T09:05:00+08:00", "何丽君")
        .args(["log", "edit", entry.trim(), "changed afterwards"])
        .assert()
        .code(3);
}
