//! End to end: an operator enters a missing village's figures through the form of the real
//! console in a pseudo-terminal, and the command line's JSON report then shows them.

use crate::common;

use std::time::Duration;

use common::pty::Pty;
use serde_json::{Value, json};

const DOWN: &str = "\x1b[B";

#[test]
fn figures_entered_in_the_form_appear_in_the_json_report() {
    let db = common::demo_db();
    let path = db.path.to_str().unwrap().to_string();
    let mut p = Pty::spawn(
        &["--db", &path, "--operator", &db.operator],
        &[("DUTY_DESK_NOW", common::NOW)],
        120,
        36,
    );
    p.expect("Availability per village");
    p.send("2");
    p.expect("Daily report 2026-11-26: 8/12 reported");
    // Songping (V07) has not reported: the seventh row
    for _ in 0..6 {
        p.send(DOWN);
    }
    p.send("\r");
    p.expect("V07 Songping Village, 2026-11-26");
    p.expect("cumulative infections on the previous reported day: 365");
    // new 8, cumulative 373, outpatients 9, inpatients 3, severe 1, deaths 0;
    // emergency visits left empty (not reported), referrals 1
    p.send("8\t373\t9\t3\t1\t0\t\t1");
    p.expect("[1 ");
    p.send("\r");
    p.expect("Saved Songping Village for 2026-11-26.");
    p.expect("Daily report 2026-11-26: 9/12 reported");
    p.send("q");
    assert_eq!(p.wait_exit(Duration::from_secs(30)), Some(0));

    let out = common::cli(&db.path)
        .args(["report", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["villages_reported"], json!(9));
    assert_eq!(j["missing"], json!(["V04", "V10", "V12"]));
    let v07 = j["villages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["code"] == json!("V07"))
        .unwrap();
    assert_eq!(v07["reported"], json!(true));
    assert_eq!(v07["new_infections"], json!(8));
    assert_eq!(v07["cumulative_infections"], json!(373));
    assert_eq!(v07["outpatients"], json!(9));
    assert_eq!(v07["deaths"], json!(0));
    assert_eq!(v07["emergency_visits"], Value::Null);
    assert_eq!(v07["referrals"], json!(1));
    assert_eq!(v07["late"], json!(true));
    assert_eq!(v07["warnings"], json!([]));
}

/// Issue 19, typing is lossy: in the real terminal a bracketed paste into the report form
/// goes into the focused figure whole. Before, it was typed key by key: its `q` asked to
/// quit the console and `-5` could be saved as 5. Now `-5q` stays in the field, is named
/// beside it, and saving says it was not saved; the store is untouched.
#[test]
fn a_paste_into_the_report_form_stays_in_its_field_and_is_never_saved() {
    let db = common::demo_db();
    let path = db.path.to_str().unwrap().to_string();
    let mut p = Pty::spawn(
        &["--db", &path, "--operator", &db.operator],
        &[("DUTY_DESK_NOW", common::NOW)],
        120,
        36,
    );
    p.expect("Availability per village");
    p.send("2");
    p.expect("Daily report 2026-11-26: 8/12 reported");
    for _ in 0..6 {
        p.send(DOWN);
    }
    p.send("\r");
    p.expect("V07 Songping Village, 2026-11-26");
    p.send("\x1b[200~-5q\r\n\x1b[201~");
    p.expect("[-5q _");
    p.expect("is not a digit");
    assert!(
        !p.screen().contains("Quit? (y/n)"),
        "the pasted q asked to quit:\n{}",
        p.screen()
    );
    p.send("\r");
    p.expect("Not saved");
    p.expect("V07 Songping Village, 2026-11-26");
    // Esc asks before the typed figure is thrown away
    p.send("\x1b");
    p.expect("Discard your changes?");
    p.send("y");
    p.expect("Daily report 2026-11-26: 8/12 reported");
    p.send("q");
    assert_eq!(p.wait_exit(Duration::from_secs(30)), Some(0));
    let out = common::cli(&db.path)
        .args(["report", "--format", "json"])
        .output()
        .unwrap();
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["villages_reported"], json!(8), "nothing was saved");
}
