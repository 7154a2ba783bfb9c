//! `transport advance --at HH:MM` / `--reason`, and a likely repeated `transport request`
//! refused unless `--force` (issue 19, item 5 on the command line), in both languages.
//!
//! The demo at the test clock (10:30 town time): trip #3 en route since 10:21, request #4
//! (V09, patient 余桂芳, caller 龙潭村村医 田春花) waiting since 10:26.

use crate::common;

use duty_desk::store::Store;
use predicates::prelude::*;
use serde_json::Value;

fn trip(db: &std::path::Path, id: i64) -> Value {
    let out = common::cli(db)
        .args(["transport", "list", "--all", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let all: Value = serde_json::from_slice(&out).unwrap();
    all.as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == id)
        .unwrap()
        .clone()
}

fn zh(mut c: assert_cmd::Command) -> assert_cmd::Command {
    c.env("LANG", "zh_CN.UTF-8");
    c
}

#[test]
fn a_stated_step_time_is_kept() {
    let db = common::demo_db();
    common::cli(&db.path)
        .args(["transport", "advance", "3", "on_scene", "--at", "10:25"])
        .assert()
        .success();
    let t = trip(&db.path, 3);
    assert_eq!(t["status"], "on_scene");
    assert_eq!(t["times"]["on_scene"], "2026-11-26T02:25:00Z");
    // no --at: now, as before
    common::cli(&db.path)
        .args(["transport", "advance", "3", "transporting"])
        .assert()
        .success();
    assert_eq!(
        trip(&db.path, 3)["times"]["transporting"],
        "2026-11-26T02:30:00Z"
    );
}

#[test]
fn a_step_time_before_the_previous_step_or_in_the_future_is_refused() {
    let db = common::demo_db();
    common::cli(&db.path)
        .args(["transport", "advance", "3", "on_scene", "--at", "10:03"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "10:03 is before the trip's previous step at 10:21: not saved",
        ));
    common::cli(&db.path)
        .args(["transport", "advance", "3", "on_scene", "--at", "10:45"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "10:45 is in the future: not saved",
        ));
    common::cli(&db.path)
        .args(["transport", "advance", "3", "on_scene", "--at", "ten"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--at: not a time"));
    zh(common::cli(&db.path))
        .args(["transport", "advance", "3", "on_scene", "--at", "10:03"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "10:03 早于本趟上一步的时间 10:21：未保存",
        ));
    zh(common::cli(&db.path))
        .args(["transport", "advance", "3", "on_scene", "--at", "10:45"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("10:45 尚未到来：未保存"));
    let t = trip(&db.path, 3);
    assert_eq!(t["status"], "en_route", "nothing saved");
    assert_eq!(t["times"]["on_scene"], Value::Null);
}

#[test]
fn a_cancel_without_a_reason_is_refused_and_one_with_a_reason_kept_and_audited() {
    let db = common::demo_db();
    common::cli(&db.path)
        .args(["transport", "advance", "4", "cancelled"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cancelling needs a reason: add --reason",
        ));
    zh(common::cli(&db.path))
        .args(["transport", "advance", "4", "cancelled", "--reason", "  "])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("取消需要说明原因"));
    // a reason with another step is refused rather than silently dropped
    common::cli(&db.path)
        .args(["transport", "advance", "3", "on_scene", "--reason", "x"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--reason is kept only with cancelled",
        ));
    assert_eq!(trip(&db.path, 4)["status"], "requested", "nothing saved");
    zh(common::cli(&db.path))
        .args([
            "transport",
            "advance",
            "4",
            "cancelled",
            "--reason",
            "家属已自行送医",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("#4"));
    assert_eq!(trip(&db.path, 4)["status"], "cancelled");
    let audit = Store::open(&db.path)
        .unwrap()
        .audit_for("transport:4")
        .unwrap();
    assert!(
        audit.iter().any(|a| a.action == "transport.advance"
            && a.detail.contains("\"reason\":\"家属已自行送医\"")
            && a.detail.contains("\"to\":\"cancelled\"")),
        "{audit:?}"
    );
}

fn repeat(db: &std::path::Path) -> assert_cmd::Command {
    let mut c = common::cli(db);
    c.args([
        "transport",
        "request",
        "--village",
        "V09",
        "--patient",
        "余桂芳",
        "--severity",
        "critical",
        "--to",
        "DH",
    ]);
    c
}

#[test]
fn a_likely_repeated_request_is_refused_unless_forced() {
    let db = common::demo_db();
    repeat(&db.path)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("likely the same as #4"))
        .stderr(predicate::str::contains("asked 10:26"))
        .stderr(predicate::str::contains("add --force"));
    zh(repeat(&db.path))
        .assert()
        .code(3)
        .stderr(predicate::str::contains("可能与 #4 重复"))
        .stderr(predicate::str::contains("--force"));
    assert_eq!(
        Store::open(&db.path)
            .unwrap()
            .audit_for("transport:5")
            .unwrap()
            .len(),
        0,
        "nothing saved"
    );
    // someone else from the same village is a new call
    common::cli(&db.path)
        .args([
            "transport",
            "request",
            "--village",
            "V09",
            "--patient",
            "田大山",
            "--severity",
            "stable",
            "--to",
            "DH",
        ])
        .assert()
        .success()
        .stdout("5\n");
    repeat(&db.path)
        .arg("--force")
        .assert()
        .success()
        .stdout("6\n");
}

#[test]
fn transport_list_json_gives_the_cancel_reason_and_null_when_there_is_none() {
    let db = common::demo_db();
    let before = trip(&db.path, 4);
    assert_eq!(before["cancel_reason"], Value::Null, "{before}");
    common::cli(&db.path)
        .args([
            "transport",
            "advance",
            "4",
            "cancelled",
            "--reason",
            "家属已自行送医",
        ])
        .assert()
        .success();
    let after = trip(&db.path, 4);
    assert_eq!(after["cancel_reason"], "家属已自行送医", "{after}");
    assert_eq!(trip(&db.path, 3)["cancel_reason"], Value::Null);
    // every other field is kept: the same keys as before, plus none
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&before), keys(&after));
    for k in [
        "id",
        "village",
        "patient",
        "age",
        "severity",
        "destination",
        "status",
        "vehicle",
        "requested_at",
        "caller",
        "note",
        "times",
        "response_seconds",
        "total_seconds",
        "cancel_reason",
    ] {
        assert!(after.get(k).is_some(), "{k} missing: {after}");
    }
}
