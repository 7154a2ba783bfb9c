//! A date argument is read by one parser with one message (review mends): `report`,
//! `report --from/--to`, `roster show`, `log list` and `county report` said "not a date"
//! for a well-formed date outside the desk's range, or named the range, each its own way.

use crate::common;

use std::path::Path;

use predicates::prelude::*;

/// Every command with a date argument, the argument last (its value is appended).
fn commands(dir: &Path) -> Vec<(Vec<String>, &'static str)> {
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    vec![
        (s(&["report", "--date"]), "--date"),
        (s(&["report", "sign", "--date"]), "--date"),
        (
            s(&["report", "--format", "csv", "--to", "2026-11-26", "--from"]),
            "--from",
        ),
        (s(&["roster", "show", "--from"]), "--from"),
        (s(&["log", "list", "--date"]), "--date"),
        (s(&["handover", "show", "--date"]), "--date"),
        (
            vec![
                "county".into(),
                "report".into(),
                "--dir".into(),
                dir.display().to_string(),
                "--date".into(),
            ],
            "--date",
        ),
    ]
}

#[test]
fn every_date_argument_gives_the_same_two_messages() {
    let db = common::demo_db();
    let dir = tempfile::tempdir().unwrap();
    let report = common::cli(&db.path)
        .args(["report", "--format", "json"])
        .output()
        .unwrap();
    std::fs::write(dir.path().join("town.json"), &report.stdout).unwrap();
    // a well-formed date the desk does not accept names the range; anything else is
    // not a date
    let cases = [
        ("1800-01-01", "not a date the desk accepts (from "),
        ("next tuesday", "not a date (YYYY-MM-DD)"),
    ];
    for (args, flag) in commands(dir.path()) {
        for (value, says) in cases {
            common::cli(&db.path)
                .args(&args)
                .arg(value)
                .assert()
                .code(2)
                .stderr(
                    predicate::str::contains(format!("{flag}: "))
                        .and(predicate::str::contains(value))
                        .and(predicate::str::contains(says)),
                );
        }
    }
}
