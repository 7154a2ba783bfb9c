//! End to end: a PIN set with `staff set-pin` (on standard input), then the console started
//! without `--operator` asks who is on duty; a wrong PIN is refused, the right one lets the
//! officer in (shown in the header), `W` switches to a colleague without quitting.
use crate::common;

use std::time::Duration;

use common::pty::Pty;

const DOWN: &str = "\x1b[B";

#[test]
fn login_with_a_pin_then_switch_operator_then_quit() {
    let db = common::demo_db();
    common::cli(&db.path)
        .args(["staff", "set-pin", "黄晓峰"])
        .write_stdin("4821\n")
        .assert()
        .success()
        .stdout("PIN set for 黄晓峰.\n");
    // only a hash is stored
    let stored: String = rusqlite::Connection::open(&db.path)
        .unwrap()
        .query_row(
            "SELECT pin_hash FROM staff WHERE name = '黄晓峰'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(stored.starts_with("$argon2"), "{stored}");
    assert!(!stored.contains("4821"));

    let path = db.path.display().to_string();
    let mut p = Pty::spawn(&["--db", &path], &[("DUTY_DESK_NOW", common::NOW)], 120, 36);
    p.expect("Who is on duty?");
    // 黄晓峰 is ninth on the demo's staff list
    for _ in 0..8 {
        p.send(DOWN);
    }
    p.send("\r");
    p.expect("PIN for 黄晓峰 (duty officer):");
    p.send("1111");
    p.expect("> ****");
    assert!(!p.screen().contains("1111"), "the PIN is typed as stars");
    p.send("\r");
    p.expect("Wrong PIN for 黄晓峰");
    p.send("4821\r");
    p.expect("黄晓峰 (duty officer) is at the desk.");
    // the header marks the operator among the people on duty
    p.expect("[黄晓峰]");
    p.expect("Availability per village");

    // a colleague takes over without quitting: 罗承志 has no PIN
    p.send("W");
    p.expect("Who is on duty?");
    p.send("\x1b[H"); // Home: the first name
    p.send("\r");
    p.expect("罗承志 (duty leader) is at the desk.");
    p.expect("[罗承志]");
    p.send("q");
    assert_eq!(p.wait_exit(Duration::from_secs(30)), Some(0));
    // who took the keyboard is in the audit log, each under their own name
    let logins: Vec<String> = rusqlite::Connection::open(&db.path)
        .unwrap()
        .prepare("SELECT operator FROM audit WHERE action = 'operator.login' ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(logins, ["黄晓峰", "罗承志"]);
}

#[test]
fn a_named_operator_with_a_pin_is_still_asked_for_it() {
    let db = common::demo_db();
    common::cli(&db.path)
        .args(["staff", "set-pin", "何丽君"])
        .write_stdin("2580\n")
        .assert()
        .success();
    let path = db.path.display().to_string();
    let mut p = Pty::spawn(
        &["--db", &path, "--operator", "何丽君"],
        &[("DUTY_DESK_NOW", common::NOW)],
        120,
        36,
    );
    p.expect("PIN for 何丽君 (duty officer):");
    p.send("2580\r");
    p.expect("何丽君 (duty officer) is at the desk.");
    p.send("q");
    assert_eq!(p.wait_exit(Duration::from_secs(30)), Some(0));
}

#[test]
fn an_unknown_operator_is_refused_before_the_console_opens() {
    let db = common::demo_db();
    common::cli(&db.path)
        .args(["--operator", "Nobody"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--operator Nobody: not on this town's staff list",
        ));
}

#[test]
fn short_pins_and_unknown_names_are_refused() {
    let db = common::demo_db();
    common::cli(&db.path)
        .args(["staff", "set-pin", "黄晓峰"])
        .write_stdin("12\n")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("at least 4"));
    common::cli(&db.path)
        .args(["staff", "set-pin", "Nobody"])
        .write_stdin("123456\n")
        .assert()
        .code(2);
}
