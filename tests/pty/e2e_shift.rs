//! End to end, a shift under a fixed clock: entries from the command line and the console,
//! a dispatch that logs itself, the handover, the sign-over in the console, and a refused
//! edit afterwards (console and command line).

use crate::common;

use std::time::Duration;

use common::pty::Pty;
use predicates::prelude::*;

fn out(a: assert_cmd::assert::Assert) -> String {
    String::from_utf8(a.get_output().stdout.clone()).unwrap()
}

#[test]
fn a_shift_from_first_entry_to_sign_over() {
    let db = common::demo_db();
    let cli = || {
        let mut c = common::cli(&db.path);
        c.args(["--operator", "何丽君"]);
        c
    };
    // entries and a dispatch from the command line
    let call = out(cli()
        .args(["log", "add", "Caller from V08: elderly man short of breath"])
        .args(["--category", "call"])
        .assert()
        .success());
    let req = out(cli()
        .args([
            "transport",
            "request",
            "--village",
            "V08",
            "--patient",
            "Wang Jun",
        ])
        .args(["--severity", "severe", "--to", "HC1"])
        .assert()
        .success());
    let req = req
        .split_whitespace()
        .find_map(|w| w.trim_start_matches('#').parse::<i64>().ok());
    let req = req.expect("request id").to_string();
    cli()
        .args(["transport", "dispatch", &req, "--vehicle", "AMB2"])
        .assert()
        .success();
    let log = out(cli().args(["log", "list"]).assert().success());
    assert!(
        log.contains(&format!("Transport #{req}: AMB2 dispatched")),
        "the dispatch logged itself:\n{log}"
    );
    cli()
        .args(["handover", "notes", "AMB2 out to V08 at handover time"])
        .assert()
        .success();
    let md = out(cli()
        .args(["handover", "show", "--format", "md"])
        .assert()
        .success());
    assert!(
        md.contains(&format!("Transport #{req}: AMB2 dispatched")),
        "{md}"
    );
    assert!(md.contains("AMB2 out to V08 at handover time"), "{md}");
    assert!(md.contains("not yet signed"), "{md}");

    // the console: an entry, the handover, the sign-over
    let path = db.path.to_str().unwrap().to_string();
    let mut p = Pty::spawn(
        &["--db", &path, "--operator", "何丽君"],
        &[("DUTY_DESK_NOW", common::NOW)],
        120,
        36,
    );
    p.expect("Qingshi Town");
    p.send("5");
    p.expect("Handover (compiled live)");
    p.expect("Caller from V08");
    p.send("n");
    p.expect("New entry");
    p.send("Family of Wang Jun informed");
    p.send("\t\t\t\t"); // note -> call -> dispatch -> report -> escalation
    p.expect("<escalation>");
    p.send("\t\r"); // back to note, save
    p.expect("Family of Wang Jun informed");
    p.send("s");
    p.expect("Incoming person: pick your name");
    p.send("\r");
    p.expect("Take over the shift as 谭慧敏?");
    p.send("\r"); // 谭慧敏 has no PIN: Enter alone
    p.expect("handed over to 谭慧敏");
    // the new shift has the incoming officer; the old one is history, read-only
    p.expect("Shift 11-27 08:30 to 11-28 08:30");
    p.send("[");
    p.expect("PAST SHIFT, read-only");
    p.expect("HANDED OVER, signed by 谭慧敏");
    p.send("e");
    p.expect("the shift is handed over and read-only");
    p.send("q");
    assert_eq!(p.wait_exit(Duration::from_secs(30)), Some(0));

    // the command line refuses to change it too, and files what was handed over
    cli()
        .args(["log", "edit", call.trim(), "changed later"])
        .assert()
        .code(3);
    let filed = out(cli()
        .args(["handover", "show", "--date", "2026-11-26"])
        .assert()
        .success());
    assert!(filed.contains("Signed over to 谭慧敏"), "{filed}");
    assert!(
        filed.contains("AMB2 out to V08 at handover time"),
        "{filed}"
    );
    cli()
        .args(["log", "amend", call.trim(), "caller was the son, 138xxxx"])
        .assert()
        .success()
        .stdout(predicate::str::is_match(r"^\d+\n$").unwrap());
}
