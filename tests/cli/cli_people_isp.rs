//! `people retire` and `people list --all` (issue 15, the last gaps): a retired person
//! leaves the due list, the `overdue_contact` rule's count and this week's figures, is kept
//! in history, and a re-import brings them back and says so.
use crate::common;

use std::path::Path;

use serde_json::Value;

fn run(db: &Path, args: &[&str]) -> std::process::Output {
    common::cli(db).args(args).output().unwrap()
}

fn ok(db: &Path, args: &[&str]) -> String {
    let out = run(db, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json(db: &Path, args: &[&str]) -> Value {
    serde_json::from_str(&ok(db, args)).unwrap()
}

fn rows(v: &Value) -> &Vec<Value> {
    v.as_array().unwrap()
}

/// The `overdue_contact` escalation's title for a village, if open.
fn rule_title(db: &Path, village: &str) -> Option<String> {
    rows(&json(db, &["escalation", "list", "--format", "json"]))
        .iter()
        .find(|e| e["kind"] == "overdue_contact" && e["village"] == village)
        .map(|e| e["title"].as_str().unwrap().to_string())
}

/// The week's people at a village and level.
fn week_people(db: &Path, week: &str, village: &str, level: &str) -> i64 {
    json(db, &["people", "week", "--week", week, "--format", "json"])["villages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == village && r["level"] == level)
        .map_or(0, |r| r["people"].as_i64().unwrap())
}

#[test]
fn a_retired_person_leaves_the_due_list_the_rule_and_the_week_and_stays_in_history() {
    let db = common::demo_db();
    let due = json(&db.path, &["people", "due", "--format", "json"]);
    let p = rows(&due)
        .iter()
        .find(|r| r["overdue"] == true)
        .unwrap()
        .clone();
    let id = p["id"].as_i64().unwrap();
    let village = p["village"].as_str().unwrap();
    let level = p["level"].as_str().unwrap();
    let overdue_there = rows(&due)
        .iter()
        .filter(|r| r["overdue"] == true && r["village"] == village)
        .count();
    let before = rule_title(&db.path, village).unwrap();
    assert!(
        before.contains(&format!(": {overdue_there} key-population")),
        "{before}"
    );
    let (this_week, last_week) = (
        week_people(&db.path, "2026-W48", village, level),
        week_people(&db.path, "2026-W47", village, level),
    );
    let out = ok(
        &db.path,
        &[
            "people",
            "retire",
            &id.to_string(),
            "--reason",
            "moved to the county town",
        ],
    );
    assert!(
        out.contains("leaves the register: moved to the county town"),
        "{out}"
    );
    assert!(
        !out.contains(p["name"].as_str().unwrap()),
        "the name is masked: {out}"
    );

    let due = json(&db.path, &["people", "due", "--format", "json"]);
    assert!(rows(&due).iter().all(|r| r["id"] != id));
    let list = json(&db.path, &["people", "list", "--format", "json"]);
    assert!(rows(&list).iter().all(|r| r["id"] != id));
    assert!(
        rows(&list).iter().all(|r| r.get("retired").is_none()),
        "shape unchanged"
    );
    match rule_title(&db.path, village) {
        Some(t) => assert!(
            t.contains(&format!(": {} key-population", overdue_there - 1)),
            "{t}"
        ),
        None => assert_eq!(overdue_there, 1, "cleared only when nobody is left"),
    }
    assert_eq!(
        week_people(&db.path, "2026-W48", village, level),
        this_week - 1
    );
    assert_eq!(
        week_people(&db.path, "2026-W47", village, level),
        last_week,
        "the weeks before keep them"
    );
    // kept in history: `--all`, `show`, the audit
    let all = json(&db.path, &["people", "list", "--all", "--format", "json"]);
    let kept = rows(&all).iter().find(|r| r["id"] == id).unwrap();
    assert_eq!(kept["retired"], true);
    assert_eq!(kept["overdue"], false);
    assert!(
        rows(&all)
            .iter()
            .filter(|r| r["id"] != id)
            .all(|r| r.get("retired").is_none())
    );
    let text = ok(&db.path, &["people", "list", "--all"]);
    assert!(
        text.contains(&format!("#{id:<5}")) && text.contains("retired"),
        "{text}"
    );
    let shown = ok(&db.path, &["people", "show", &id.to_string()]);
    assert!(
        shown.contains("Retired from the register on 2026-11-26: moved to the county town"),
        "{shown}"
    );
    let shown = json(
        &db.path,
        &["people", "show", &id.to_string(), "--format", "json"],
    );
    assert_eq!(shown["retired"]["on"], "2026-11-26");
    let audit = json(
        &db.path,
        &[
            "audit",
            "list",
            "--subject",
            &format!("person:{id}"),
            "--format",
            "json",
        ],
    );
    let row = rows(&audit)
        .iter()
        .find(|a| a["action"] == "people.retire")
        .unwrap();
    assert!(
        row["detail"]
            .to_string()
            .contains("moved to the county town"),
        "{row}"
    );

    // twice: a conflict; a contact for them: unknown
    let again = run(
        &db.path,
        &["people", "retire", &id.to_string(), "--reason", "x"],
    );
    assert_eq!(again.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already retired"));
    let contact = run(
        &db.path,
        &[
            "people",
            "contact",
            &id.to_string(),
            "--method",
            "phone",
            "--outcome",
            "stable",
        ],
    );
    assert_eq!(contact.status.code(), Some(2));
}

#[test]
fn retiring_needs_a_reason_and_the_shift_lead() {
    let db = common::demo_db();
    let due = json(&db.path, &["people", "due", "--format", "json"]);
    let id = rows(&due)[0]["id"].as_i64().unwrap().to_string();
    for args in [
        vec!["people", "retire", id.as_str()],
        vec!["people", "retire", id.as_str(), "--reason", "  "],
        vec!["people", "retire", "999999", "--reason", "gone"],
    ] {
        let out = run(&db.path, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
    let out = common::cli(&db.path)
        .args([
            "--operator",
            "何丽君",
            "people",
            "retire",
            &id,
            "--reason",
            "gone",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    let due = json(&db.path, &["people", "due", "--format", "json"]);
    assert!(
        rows(&due)
            .iter()
            .any(|r| r["id"].as_i64() == id.parse().ok()),
        "nothing changed"
    );
    let zh = common::cli(&db.path)
        .args(["--lang", "zh", "people", "retire", &id, "--reason", "迁出"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&zh.stdout).contains("已移出名册：迁出"));
}

#[test]
fn a_re_import_brings_a_retired_person_back_and_says_so() {
    let db = common::demo_db();
    let f = db.dir.path().join("people.csv");
    std::fs::write(
        &f,
        "village,name,age,sex,phone,address,conditions,level,cadre,doctor
V01,测试甲,82,男,13800001111,一组3号,慢阻肺,red,李干部,王医生
V02,测试丙,66,,13900002222,,,green,赵干部,周医生
",
    )
    .unwrap();
    let f = f.to_str().unwrap();
    ok(&db.path, &["people", "import", f]);
    let list = json(&db.path, &["people", "list", "--format", "json"]);
    let id = rows(&list).iter().find(|r| r["name"] == "测试甲").unwrap()["id"]
        .as_i64()
        .unwrap();
    ok(
        &db.path,
        &[
            "people",
            "retire",
            &id.to_string(),
            "--reason",
            "in hospital",
        ],
    );
    let dry = ok(&db.path, &["people", "import", f, "--dry-run"]);
    assert!(dry.contains("0 new, 1 updated, 1 unchanged"), "{dry}");
    assert!(
        dry.contains("1 retired people are back on the register"),
        "{dry}"
    );
    let list = json(&db.path, &["people", "list", "--format", "json"]);
    assert!(
        rows(&list).iter().all(|r| r["id"] != id),
        "a dry run writes nothing"
    );
    let out = ok(&db.path, &["people", "import", f]);
    assert!(
        out.contains("1 retired people are back on the register"),
        "{out}"
    );
    let list = json(&db.path, &["people", "list", "--format", "json"]);
    assert!(rows(&list).iter().any(|r| r["id"] == id));
    let again = ok(&db.path, &["people", "import", f]);
    assert!(
        again.contains("0 new, 0 updated, 2 unchanged") && !again.contains("back"),
        "{again}"
    );
}
