//! `escalation` and `stock` on the command line: the JSON contract, the life cycle, the
//! rules evaluated before `list`, and bad input.
use crate::common;

use serde_json::Value;

fn list(db: &std::path::Path, now: &str, extra: &[&str]) -> Vec<Value> {
    let out = common::cli(db)
        .env("DUTY_DESK_NOW", now)
        .args(["escalation", "list", "--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn add(db: &std::path::Path, args: &[&str]) -> i64 {
    let out = common::cli(db)
        .args(["escalation", "add"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

fn by_id(rows: &[Value], id: i64) -> Option<&Value> {
    rows.iter().find(|r| r["id"] == id)
}

#[test]
fn added_escalation_follows_the_json_contract_and_its_life_cycle() {
    let db = common::demo_db();
    let id = add(
        &db.path,
        &[
            "--kind",
            "referral",
            "--title",
            "Grandmother to district hospital",
            "--village",
            "V06",
            "--details",
            "84, fever",
            "--direct",
            "--due",
            "2h",
        ],
    );
    let rows = list(&db.path, common::NOW, &[]);
    let e = by_id(&rows, id).expect("listed");
    for key in [
        "id", "kind", "title", "village", "place", "due", "state", "overdue",
    ] {
        assert!(e.get(key).is_some(), "missing {key} in {e}");
    }
    assert_eq!(e["kind"], "referral");
    assert_eq!(e["title"], "Grandmother to district hospital");
    assert_eq!(e["village"], "V06");
    assert_eq!(e["place"], Value::Null);
    // 10:30 +08:00 plus two hours, stored in UTC
    assert_eq!(e["due"], "2026-11-26T04:30:00Z");
    assert_eq!(e["state"], "open");
    assert_eq!(e["overdue"], false);
    assert_eq!(e["direct"], true);

    common::cli(&db.path)
        .args(["escalation", "ack", &id.to_string()])
        .assert()
        .success();
    let e = by_id(&list(&db.path, common::NOW, &[]), id)
        .unwrap()
        .clone();
    assert_eq!(e["state"], "acknowledged");

    // acknowledged and past its deadline: still listed, and overdue
    let later = "2026-11-26T12:31:00+08:00";
    let e = by_id(&list(&db.path, later, &[]), id).unwrap().clone();
    assert_eq!(e["overdue"], true);

    // a note is required
    common::cli(&db.path)
        .args(["escalation", "resolve", &id.to_string(), "--note", "  "])
        .assert()
        .code(2);
    common::cli(&db.path)
        .args([
            "escalation",
            "resolve",
            &id.to_string(),
            "--note",
            "Admitted at DH",
        ])
        .assert()
        .success();
    assert!(
        by_id(&list(&db.path, common::NOW, &[]), id).is_none(),
        "resolved leaves the open list"
    );
    let all = list(&db.path, common::NOW, &["--all"]);
    let e = by_id(&all, id).unwrap();
    assert_eq!(e["state"], "resolved");
    assert_eq!(e["resolution_note"], "Admitted at DH");
    assert_eq!(e["overdue"], false);
    // a resolved escalation cannot be resolved again: conflict
    common::cli(&db.path)
        .args(["escalation", "resolve", &id.to_string(), "--note", "again"])
        .assert()
        .code(3);
}

#[test]
fn list_runs_the_rules_first_without_duplicates() {
    let db = common::demo_db();
    let rows = list(&db.path, common::NOW, &[]);
    let kinds = |rows: &[Value], k: &str| -> Vec<Value> {
        rows.iter().filter(|r| r["kind"] == k).cloned().collect()
    };
    // 10:30 is past the 10:00 cutoff; four demo villages have not reported
    let missing = kinds(&rows, "missing_report");
    assert_eq!(missing.len(), 4, "{missing:#?}");
    assert!(
        missing
            .iter()
            .all(|r| r["state"] == "open" && r["village"].is_string())
    );
    assert_eq!(
        missing[0]["due"], "2026-11-26T03:00:00Z",
        "cutoff + 1 h to chase"
    );
    // low on purpose in the demo: V05 antigen kits and HC2 drug packs
    let low = kinds(&rows, "low_stock");
    let mut places: Vec<&str> = low.iter().map(|r| r["place"].as_str().unwrap()).collect();
    places.sort();
    assert_eq!(places, ["HC2", "V05"]);
    // the critical request is 4 minutes old: not yet
    assert!(kinds(&rows, "transport_waiting").is_empty());

    // the same answer again: no duplicates
    let again = list(&db.path, common::NOW, &[]);
    assert_eq!(again.len(), rows.len());

    // seven minutes later the critical request has waited 11 minutes
    let waiting = kinds(
        &list(&db.path, "2026-11-26T10:37:00+08:00", &[]),
        "transport_waiting",
    );
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0]["overdue"], true);
}

#[test]
fn a_cleared_condition_resolves_itself_with_a_note() {
    let db = common::demo_db();
    let low = list(&db.path, common::NOW, &[]);
    let v05 = low
        .iter()
        .find(|r| r["kind"] == "low_stock" && r["place"] == "V05")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    common::cli(&db.path)
        .args([
            "stock",
            "set",
            "--place",
            "V05",
            "--item",
            "antigen_kits",
            "--quantity",
            "900",
        ])
        .assert()
        .success();
    let rows = list(&db.path, common::NOW, &[]);
    assert!(by_id(&rows, v05).is_none());
    let all = list(&db.path, common::NOW, &["--all"]);
    let e = by_id(&all, v05).unwrap();
    assert_eq!(e["state"], "resolved");
    assert!(
        e["resolution_note"]
            .as_str()
            .unwrap()
            .contains("automatically")
    );

    // the log recorded it too
    let log = common::cli(&db.path)
        .args(["log", "list", "--format", "json"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&log.stdout);
    assert!(text.contains(&format!("#{v05} cleared")), "{text}");
}

#[test]
fn a_person_s_resolution_of_a_rule_escalation_is_not_undone_by_the_rules() {
    let db = common::demo_db();
    let rows = list(&db.path, common::NOW, &[]);
    let hc2 = rows
        .iter()
        .find(|r| r["kind"] == "low_stock" && r["place"] == "HC2")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    common::cli(&db.path)
        .args([
            "escalation",
            "resolve",
            &hc2.to_string(),
            "--note",
            "Delivery booked for tomorrow",
        ])
        .assert()
        .success();
    let rows = list(&db.path, common::NOW, &[]);
    assert!(
        !rows
            .iter()
            .any(|r| r["kind"] == "low_stock" && r["place"] == "HC2")
    );
}

#[test]
fn chinese_titles_for_rule_escalations() {
    let db = common::demo_db();
    let out = common::cli(&db.path)
        .args(["--lang", "zh", "escalation", "list", "--format", "json"])
        .output()
        .unwrap();
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let t = rows.iter().find(|r| r["kind"] == "missing_report").unwrap()["title"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(t.contains("日报未报"), "{t}");
}

#[test]
fn bad_input_is_refused_with_exit_2_and_changes_nothing() {
    let db = common::demo_db();
    let before = list(&db.path, common::NOW, &["--all"]).len();
    for args in [
        &["--kind", "low_stock", "--title", "x", "--due", "1h"][..],
        &["--kind", "concern", "--title", "x", "--due", "soonish"],
        &[
            "--kind",
            "concern",
            "--title",
            "x",
            "--village",
            "Atlantis",
            "--due",
            "1h",
        ],
        &["--kind", "concern", "--title", " ", "--due", "1h"],
    ] {
        common::cli(&db.path)
            .args(["escalation", "add"])
            .args(args)
            .assert()
            .code(2);
    }
    common::cli(&db.path)
        .args([
            "stock",
            "set",
            "--place",
            "V01",
            "--item",
            "masks",
            "--quantity",
            "5",
        ])
        .assert()
        .code(2);
    common::cli(&db.path)
        .args([
            "stock",
            "set",
            "--place",
            "NOWHERE",
            "--item",
            "drug_packs",
            "--quantity",
            "5",
        ])
        .assert()
        .code(2);
    common::cli(&db.path)
        .args(["escalation", "ack", "9999"])
        .assert()
        .code(2);
    assert_eq!(list(&db.path, common::NOW, &["--all"]).len(), before);
}

#[test]
fn stock_list_shows_the_reserve_line() {
    let db = common::demo_db();
    let out = common::cli(&db.path)
        .args(["stock", "list", "--format", "json"])
        .output()
        .unwrap();
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let hc2 = rows
        .iter()
        .find(|r| r["place"] == "HC2" && r["item"] == "drug_packs")
        .unwrap();
    assert_eq!(hc2["quantity"], 1280);
    assert_eq!(hc2["served_population"], 9990);
    assert_eq!(hc2["line"], 1499);
    assert_eq!(hc2["below"], true);
    common::cli(&db.path)
        .args([
            "stock",
            "set",
            "--place",
            "HC2",
            "--item",
            "drug_packs",
            "--quantity",
            "1499",
        ])
        .assert()
        .success();
    let out = common::cli(&db.path)
        .args(["stock", "list", "--format", "json"])
        .output()
        .unwrap();
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        rows.iter()
            .all(|r| !(r["place"] == "HC2" && r["item"] == "drug_packs") || r["below"] == false)
    );
}

#[test]
fn roles_are_checked_viewer_and_dispatcher_refused_with_exit_4() {
    let db = common::demo_db();
    common::cli(&db.path)
        .args([
            "--operator",
            "蒋文斌",
            "escalation",
            "add",
            "--kind",
            "other",
            "--title",
            "x",
            "--due",
            "1h",
        ])
        .assert()
        .code(4);
    common::cli(&db.path)
        .args(["--operator", "蒋文斌", "escalation", "ack", "1"])
        .assert()
        .code(4);
    // a dispatcher handles escalations but does not count stock
    common::cli(&db.path)
        .args(["--operator", "邓宇航", "escalation", "ack", "1"])
        .assert()
        .success();
    common::cli(&db.path)
        .args([
            "--operator",
            "邓宇航",
            "stock",
            "set",
            "--place",
            "V01",
            "--item",
            "drug_packs",
            "--quantity",
            "5",
        ])
        .assert()
        .code(4);
    // the viewer may still read, and reading runs the rules (as the desk, not as the viewer)
    common::cli(&db.path)
        .args(["--operator", "蒋文斌", "escalation", "list"])
        .assert()
        .success();
}
