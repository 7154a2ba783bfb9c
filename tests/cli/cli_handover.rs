//! CLI: the late sign-over of issue 11 reproduced, every wrong signer refused with nothing
//! changed, and the roster plan (`roster set|show|import`).

use crate::common;

use std::path::{Path, PathBuf};

use predicates::prelude::*;
use serde_json::Value;

/// A database made by `init --town` at `at` (the demo town file, +08:00, shifts at 08:30).
fn init(at: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("duty.db");
    at_time(&db, at)
        .args(["init", "--town", "data/demo/town.toml"])
        .assert()
        .success();
    (dir, db)
}

fn at_time(db: &Path, at: &str) -> assert_cmd::Command {
    let mut c = common::cli(db);
    c.env("DUTY_DESK_NOW", at);
    c
}

fn as_op(db: &Path, at: &str, op: &str) -> assert_cmd::Command {
    let mut c = at_time(db, at);
    c.args(["--operator", op]);
    c
}

fn json(a: assert_cmd::assert::Assert) -> Value {
    serde_json::from_slice(&a.get_output().stdout).unwrap()
}

fn audit_rows(db: &Path) -> i64 {
    let c = rusqlite::Connection::open(db).unwrap();
    c.query_row("SELECT COUNT(*) FROM audit", [], |r| r.get(0))
        .unwrap()
}

const NIGHT: &str = "2026-11-26T22:00:00+08:00";
const LATE: &str = "2026-11-27T08:45:00+08:00";

#[test]
fn a_late_sign_over_signs_the_shift_that_ended_and_the_next_entry_lands_in_the_new_one() {
    let (_d, db) = init(NIGHT);
    let night = as_op(&db, NIGHT, "何丽君")
        .args(["log", "add", "quiet night so far"])
        .assert()
        .success();
    let night_id = String::from_utf8(night.get_output().stdout.clone()).unwrap();
    // 08:45, a quarter of an hour after the nominal change
    as_op(&db, LATE, "谭慧敏")
        .args(["handover", "sign", "--incoming", "谭慧敏"])
        .assert()
        .success()
        .stdout(predicate::str::contains("11-26 08:30").and(predicate::str::contains("谭慧敏")));
    let old = json(
        at_time(&db, LATE)
            .args([
                "handover",
                "show",
                "--date",
                "2026-11-26",
                "--format",
                "json",
            ])
            .assert()
            .success(),
    );
    assert_eq!(old["signed_by"], "谭慧敏");
    let new = json(
        at_time(&db, LATE)
            .args([
                "handover",
                "show",
                "--date",
                "2026-11-27",
                "--format",
                "json",
            ])
            .assert()
            .success(),
    );
    assert_eq!(
        new["signed_by"],
        Value::Null,
        "the shift begun is not signed"
    );
    // the new team's first entry at 09:00 is filed under the 11-27 shift
    let first = as_op(&db, "2026-11-27T09:00:00+08:00", "谭慧敏")
        .args(["log", "add", "took over, all vehicles checked"])
        .assert()
        .success();
    let first: i64 = String::from_utf8(first.get_output().stdout.clone())
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let ids = |date: &str| -> Vec<i64> {
        json(
            at_time(&db, "2026-11-27T09:00:00+08:00")
                .args(["log", "list", "--format", "json", "--date", date])
                .assert()
                .success(),
        )
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .collect()
    };
    assert_eq!(ids("2026-11-27"), vec![first]);
    assert!(!ids("2026-11-26").contains(&first));
    assert!(ids("2026-11-28").is_empty());
    // the default shift of `log list` is the open one
    let open = json(
        at_time(&db, "2026-11-27T09:00:00+08:00")
            .args(["log", "list", "--format", "json"])
            .assert()
            .success(),
    );
    assert_eq!(open[0]["id"], first);
    // the old one refuses edits
    as_op(&db, "2026-11-27T09:05:00+08:00", "何丽君")
        .args(["log", "edit", night_id.trim(), "changed"])
        .assert()
        .code(3);
}

#[test]
fn each_wrong_signer_is_refused_with_a_clear_message_and_nothing_changes() {
    let (_d, db) = init(NIGHT);
    as_op(&db, NIGHT, "冉小东")
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
    let before = audit_rows(&db);
    // an outgoing officer signing the shift over to themselves
    as_op(&db, LATE, "何丽君")
        .args(["handover", "sign", "--incoming", "何丽君"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains(
            "cannot sign it over to themselves",
        ));
    // a dispatcher signing "to" the duty leader
    as_op(&db, LATE, "邓宇航")
        .args(["handover", "sign", "--incoming", "罗承志"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "罗承志 is not the operator (邓宇航)",
        ));
    // not on the staff list
    as_op(&db, LATE, "路人甲")
        .args(["handover", "sign"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("not on the staff list"));
    // no permission: a viewer
    as_op(&db, LATE, "蒋文斌")
        .args(["handover", "sign"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("may not sign a handover"));
    assert_eq!(audit_rows(&db), before, "nothing changed");
    let v = json(
        at_time(&db, LATE)
            .args(["handover", "show", "--format", "json"])
            .assert()
            .success(),
    );
    assert_eq!(v["signed_by"], Value::Null);
    assert_eq!(v["shift_start"], "2026-11-26T00:30:00Z");
    // the same in Chinese
    as_op(&db, LATE, "何丽君")
        .args(["--lang", "zh", "handover", "sign"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("不能把本班交接给自己"));
}

#[test]
fn the_roster_plan_is_set_shown_as_json_and_imported_all_or_nothing() {
    let (dir, db) = init(NIGHT);
    as_op(&db, NIGHT, "冉小东")
        .args([
            "roster",
            "set",
            "--date",
            "2026-11-28",
            "--leader",
            "谭慧敏",
        ])
        .args(["--officers", "陈思远, 杨秀兰"])
        .assert()
        .success();
    // a dispatcher may not plan; an unknown officer is bad input; the past is history
    as_op(&db, NIGHT, "邓宇航")
        .args([
            "roster",
            "set",
            "--date",
            "2026-11-29",
            "--leader",
            "谭慧敏",
        ])
        .args(["--officers", "陈思远"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("may not plan the duty roster"));
    as_op(&db, NIGHT, "罗承志")
        .args([
            "roster",
            "set",
            "--date",
            "2026-11-29",
            "--leader",
            "谭慧敏",
        ])
        .args(["--officers", "Nobody"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("officers").and(predicate::str::contains("Nobody")));
    as_op(&db, NIGHT, "罗承志")
        .args([
            "roster",
            "set",
            "--date",
            "2026-11-25",
            "--leader",
            "谭慧敏",
        ])
        .args(["--officers", "陈思远"])
        .assert()
        .code(3);
    let show = || {
        json(
            at_time(&db, NIGHT)
                .args([
                    "roster",
                    "show",
                    "--from",
                    "2026-11-26",
                    "--to",
                    "2026-11-29",
                ])
                .args(["--format", "json"])
                .assert()
                .success(),
        )
    };
    let v = show();
    let days = v.as_array().unwrap();
    let dates: Vec<&str> = days.iter().map(|d| d["date"].as_str().unwrap()).collect();
    assert_eq!(
        dates,
        ["2026-11-26", "2026-11-27", "2026-11-28", "2026-11-29"],
        "no day skipped"
    );
    let d28 = &days[2];
    assert_eq!(d28["start"], "2026-11-28T00:30:00Z");
    assert_eq!(d28["leader"], "谭慧敏");
    assert_eq!(d28["officers"], serde_json::json!(["陈思远", "杨秀兰"]));
    assert_eq!(d28["signed_by"], Value::Null);
    assert_eq!(d28["signed_at"], Value::Null);
    assert_eq!(days[3]["leader"], Value::Null);

    // a bad file: every problem as FILE:LINE: column: message, and nothing planned
    let bad = dir.path().join("plan.csv");
    std::fs::write(
        &bad,
        "date,leader,officers\n2026-11-29,罗承志,何丽君;黄晓峰\n2026-11-30,Nobody,何丽君\n2026-13-01,罗承志,何丽君\n",
    )
    .unwrap();
    let before = show();
    as_op(&db, NIGHT, "冉小东")
        .args(["roster", "import", bad.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("plan.csv:3: leader: Nobody is not on the staff list")
                .and(predicate::str::contains("plan.csv:4: date:")),
        );
    assert_eq!(show(), before, "all or nothing");
    // a file that is not there is bad input (exit 2), as for every other import
    let missing = dir.path().join("nowhere.csv");
    as_op(&db, NIGHT, "冉小东")
        .args(["roster", "import", missing.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("cannot read").and(predicate::str::contains("nowhere.csv")),
        );
    assert_eq!(show(), before);
    // a good one
    let good = dir.path().join("good.csv");
    std::fs::write(
        &good,
        "date,leader,officers\n2026-11-29,罗承志,何丽君;黄晓峰\n2026-11-30,谭慧敏,陈思远\n",
    )
    .unwrap();
    as_op(&db, NIGHT, "冉小东")
        .args(["roster", "import", good.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains("2"));
    let v = show();
    assert_eq!(v[3]["leader"], "罗承志");
    assert_eq!(v[3]["officers"], serde_json::json!(["何丽君", "黄晓峰"]));
    // text output, a week from the open shift's day by default
    let text = at_time(&db, NIGHT)
        .args(["roster", "show"])
        .assert()
        .success();
    let text = String::from_utf8(text.get_output().stdout.clone()).unwrap();
    assert_eq!(text.lines().count(), 7, "{text}");
    assert!(
        text.contains("2026-11-28  leader: 谭慧敏  officers: 陈思远, 杨秀兰"),
        "{text}"
    );
}

/// Found by hand after issue 11 landed: with no roster planned (a desk fresh from `init`),
/// the officer who worked the night could sign it over to herself.
#[test]
fn whoever_worked_an_unplanned_shift_cannot_sign_it_over_to_themselves() {
    let (_d, db) = init(NIGHT);
    as_op(&db, NIGHT, "何丽君")
        .args(["log", "add", "night call from Fenglin"])
        .assert()
        .success();
    let before = audit_rows(&db);
    as_op(&db, LATE, "何丽君")
        .args(["handover", "sign"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("何丽君"));
    assert_eq!(audit_rows(&db), before, "nothing changed");
    as_op(&db, LATE, "陈思远")
        .args(["handover", "sign"])
        .assert()
        .success();
}

/// Found by hand after issue 11 landed: with no roster planned (a desk fresh from `init`),
/// each sign-over added its incoming person to the next team without anyone leaving, so
/// after a week everyone was "on duty". The leader stays; the officers hand over.
#[test]
fn teams_do_not_pile_up_from_one_sign_over_to_the_next() {
    let (_d, db) = init(NIGHT);
    as_op(&db, LATE, "陈思远")
        .args(["handover", "sign"])
        .assert()
        .success();
    let next_day = "2026-11-28T08:40:00+08:00";
    as_op(&db, next_day, "黄晓峰")
        .args(["handover", "sign"])
        .assert()
        .success();
    let plan = json(
        at_time(&db, next_day)
            .args([
                "roster",
                "show",
                "--from",
                "2026-11-28",
                "--to",
                "2026-11-28",
                "--format",
                "json",
            ])
            .assert()
            .success(),
    );
    let officers: Vec<&str> = plan[0]["officers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(officers, vec!["黄晓峰"], "{plan}");
}
