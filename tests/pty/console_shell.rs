//! End to end: the real binary in a pseudo-terminal, on the demo town.

use crate::common;

use std::time::Duration;

use common::pty::Pty;

/// Issue 20: `ratatui::init()` panicked (exit 101, a backtrace and a stray escape
/// sequence on stdout) when the console was started without a terminal.
#[test]
fn the_console_without_a_terminal_says_so_instead_of_panicking() {
    let demo = common::demo_db();
    let out = common::cli(&demo.path).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("needs a terminal"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(out.stdout.is_empty(), "nothing drawn: {:?}", out.stdout);
}

#[test]
fn demo_opens_switches_screens_and_quits_cleanly() {
    let mut p = Pty::spawn(&["--demo"], &[("DUTY_DESK_NOW", common::NOW)], 120, 36);
    p.expect("Qingshi Town");
    assert!(
        p.alternate_screen(),
        "console should use the alternate screen"
    );
    p.expect("Availability per village");
    p.send("2");
    p.expect("Daily report 2026-11-26");
    p.send("3");
    // four demo escalations plus what the rules raise: 4 missing reports, 2 low stocks
    p.expect("Escalations: 12 open");
    p.send("4");
    p.expect("Transport requests and trips");
    p.send("5");
    p.expect("Shift 11-26 08:30 to 11-27 08:30");
    p.send("1");
    p.expect("Availability per village");
    p.send("q");
    assert_eq!(p.wait_exit(Duration::from_secs(30)), Some(0));
    assert!(
        !p.alternate_screen(),
        "alternate screen must be left on quit"
    );
}

#[test]
fn chinese_console_shows_the_town_in_chinese() {
    let mut p = Pty::spawn(
        &["--demo", "--lang", "zh"],
        &[("DUTY_DESK_NOW", common::NOW)],
        120,
        36,
    );
    p.expect("青石镇");
    p.expect("各村车辆可用情况");
    p.send("q");
    assert_eq!(p.wait_exit(Duration::from_secs(30)), Some(0));
}

#[test]
fn a_tiny_terminal_gets_a_notice_not_a_panic() {
    let mut p = Pty::spawn(&["--demo"], &[("DUTY_DESK_NOW", common::NOW)], 20, 5);
    p.expect("Terminal too");
    p.send("q");
    assert_eq!(p.wait_exit(Duration::from_secs(30)), Some(0));
    assert!(!p.alternate_screen());
}

#[test]
fn another_process_write_shows_without_a_key_press() {
    let db = common::demo_db();
    let path = db.path.to_str().unwrap().to_string();
    let mut p = Pty::spawn(
        &["--db", &path, "--operator", "何丽君"],
        &[("DUTY_DESK_NOW", common::NOW)],
        120,
        36,
    );
    p.expect("LATE, not reported after 10:00: 4");
    // another process: the CLI imports Fenglin's report
    let csv = db.dir.path().join("v04.csv");
    std::fs::write(
        &csv,
        format!(
            "{}\n2026-11-26,V04,12,700,14,3,1,0,1,0\n",
            duty_desk::domain::report_csv::HEADER
        ),
    )
    .unwrap();
    common::cli(&db.path)
        .args(["import", "reports"])
        .arg(&csv)
        .assert()
        .success();
    // the console looks for other processes' writes every 200 ms; the guard is generous so
    // that a slow, loaded machine does not fail the test, and a console that never looks
    // still does
    assert!(
        p.wait_for("LATE, not reported after 10:00: 3", Duration::from_secs(30)),
        "screen did not refresh:\n{}",
        p.screen()
    );
    p.send("q");
    assert_eq!(p.wait_exit(Duration::from_secs(30)), Some(0));
}
