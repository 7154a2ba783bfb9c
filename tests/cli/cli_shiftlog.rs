//! CLI: `log add|list|amend|edit` and `handover show|sign|notes`, with their exit codes.

use crate::common;

use predicates::prelude::*;
use serde_json::Value;

fn json(out: &[u8]) -> Value {
    serde_json::from_slice(out).unwrap()
}

fn stdout(a: assert_cmd::assert::Assert) -> String {
    String::from_utf8(a.get_output().stdout.clone()).unwrap()
}

#[test]
fn log_add_records_the_operator_and_list_gives_the_json_contract() {
    let db = common::demo_db();
    let id = stdout(
        common::cli(&db.path)
            .args([
                "--operator",
                "何丽君",
                "log",
                "add",
                "V03 clinic: two fever calls",
            ])
            .args(["--category", "call"])
            .assert()
            .success(),
    );
    let id: i64 = id.trim().parse().unwrap();
    let out = common::cli(&db.path)
        .args(["log", "list", "--format", "json"])
        .assert()
        .success();
    let v = json(&out.get_output().stdout);
    let rows = v.as_array().unwrap();
    let mine = rows.iter().find(|r| r["id"] == id).unwrap();
    assert_eq!(mine["category"], "call");
    assert_eq!(mine["author"], "何丽君");
    assert_eq!(mine["text"], "V03 clinic: two fever calls");
    assert_eq!(mine["at"], "2026-11-26T02:30:00Z");
    for r in rows {
        for k in ["id", "at", "category", "author", "text"] {
            assert!(r.get(k).is_some(), "{k} missing in {r}");
        }
        let cat = r["category"].as_str().unwrap();
        assert!(
            ["call", "dispatch", "report", "escalation", "note"].contains(&cat),
            "{cat}"
        );
    }
    // automatic entries render in the reader's language
    let zh = stdout(
        common::cli(&db.path)
            .args(["--lang", "zh", "log", "list"])
            .assert()
            .success(),
    );
    assert!(zh.contains("新增督办 #4"), "{zh}");
}

#[test]
fn bad_input_exits_2_and_changes_nothing() {
    let db = common::demo_db();
    let before = stdout(
        common::cli(&db.path)
            .args(["log", "list", "--format", "json"])
            .assert(),
    );
    common::cli(&db.path)
        .args(["log", "add", "x", "--category", "gossip"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--category"));
    common::cli(&db.path)
        .args(["log", "add", "   "])
        .assert()
        .code(2);
    common::cli(&db.path)
        .args(["log", "amend", "9999", "text"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("9999"));
    common::cli(&db.path)
        .args(["handover", "sign", "--incoming", "Nobody"])
        .assert()
        .code(2);
    common::cli(&db.path)
        .args(["--operator", "蒋文斌", "handover", "sign"])
        .assert()
        .code(4);
    common::cli(&db.path)
        .args(["log", "list", "--shift", "yesterday"])
        .assert()
        .code(2);
    let after = stdout(
        common::cli(&db.path)
            .args(["log", "list", "--format", "json"])
            .assert(),
    );
    assert_eq!(before, after);
}

#[test]
fn handover_show_md_in_both_languages_and_json() {
    let db = common::demo_db();
    common::cli(&db.path)
        .args(["handover", "notes", "RC09 back tomorrow morning"])
        .assert()
        .success();
    let md = stdout(
        common::cli(&db.path)
            .args(["handover", "show"])
            .assert()
            .success(),
    );
    insta::assert_snapshot!("handover_md_en", md);
    let zh = stdout(
        common::cli(&db.path)
            .args(["--lang", "zh", "handover", "show", "--format", "md"])
            .assert()
            .success(),
    );
    insta::assert_snapshot!("handover_md_zh", zh);
    let v = json(
        &common::cli(&db.path)
            .args(["handover", "show", "--format", "json"])
            .assert()
            .success()
            .get_output()
            .stdout,
    );
    assert_eq!(v["shift_start"], "2026-11-26T00:30:00Z");
    assert_eq!(v["status"]["level"], "urgent");
    assert_eq!(v["notes"], "RC09 back tomorrow morning");
    assert_eq!(v["signed_by"], Value::Null);
    assert_eq!(v["day"]["missing"].as_array().unwrap().len(), 4);
    assert_eq!(v["out_of_service"][0]["code"], "RC09");
    assert_eq!(v["trips"].as_array().unwrap().len(), 2);
}

#[test]
fn after_the_sign_over_edits_exit_3_and_amendments_are_linked() {
    let db = common::demo_db();
    let id = stdout(
        common::cli(&db.path)
            .args(["--operator", "何丽君", "log", "add", "AMB2 oxygen refilled"])
            .assert()
            .success(),
    );
    let id = id.trim().to_string();
    let id_n: i64 = id.parse().unwrap();
    common::cli(&db.path)
        .args(["log", "edit", &id, "AMB2 and AMB3 oxygen refilled"])
        .assert()
        .success();
    common::cli(&db.path)
        .args([
            "--operator",
            "谭慧敏",
            "handover",
            "sign",
            "--incoming",
            "谭慧敏",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("handed over to 谭慧敏"));
    common::cli(&db.path)
        .args(["log", "edit", &id, "changed afterwards"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("read-only"));
    common::cli(&db.path)
        .args(["--operator", "陈思远", "handover", "sign"])
        .assert()
        .code(3);
    let new = stdout(
        common::cli(&db.path)
            .args(["log", "amend", &id, "AMB1 as well"])
            .assert()
            .success(),
    );
    // the signed shift, picked by date or by start: the amendment follows its original
    for pick in [
        ["--date", "2026-11-26"],
        ["--shift", "2026-11-26T08:30:00+08:00"],
    ] {
        let v = json(
            &common::cli(&db.path)
                .args(["log", "list", "--format", "json"])
                .args(pick)
                .assert()
                .success()
                .get_output()
                .stdout,
        );
        let rows = v.as_array().unwrap();
        let pos = rows.iter().position(|r| r["id"] == id_n).unwrap();
        assert_eq!(rows[pos]["text"], "AMB2 and AMB3 oxygen refilled");
        assert_eq!(rows[pos + 1]["id"].to_string(), new.trim());
        assert_eq!(rows[pos + 1]["amends"], id_n);
    }
    // the current shift is now the next one: it holds none of this
    let cur = json(
        &common::cli(&db.path)
            .args(["log", "list", "--format", "json"])
            .assert()
            .success()
            .get_output()
            .stdout,
    );
    assert_eq!(cur.as_array().unwrap().len(), 0);
    // the filed handover of the signed shift carries its signature
    let v = json(
        &common::cli(&db.path)
            .args([
                "handover",
                "show",
                "--format",
                "json",
                "--date",
                "2026-11-26",
            ])
            .assert()
            .success()
            .get_output()
            .stdout,
    );
    assert_eq!(v["signed_by"], "谭慧敏");
    assert_eq!(v["handed_over_by"], "罗承志");
}
