//! The town after init on the command line (issue 16): `town show` round-trips, `town
//! apply` adds, changes, retires and restores with one audit row per change and refuses
//! what it must (nothing changed), retired records stay in history and leave the boards
//! and the report, surge switches the thresholds and the rules' outcomes, and `init` and
//! `apply` warn about what the seeds require.

use crate::common;

use std::path::Path;

use predicates::prelude::*;
use serde_json::Value;

fn json(cmd: &mut assert_cmd::Command) -> Value {
    let out = cmd.assert().success().get_output().stdout.clone();
    serde_json::from_slice(&out).unwrap()
}

fn audit_count(db: &Path) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("SELECT COUNT(*) FROM audit", [], |r| r.get(0))
        .unwrap()
}

fn audit_rows(db: &Path, action: &str) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare("SELECT subject, detail FROM audit WHERE action = ?1 ORDER BY id")
        .unwrap();
    stmt.query_map([action], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap()
}

fn show(db: &Path) -> String {
    let out = common::cli(db)
        .args(["town", "show"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

/// Writes `text` as a town file beside the database.
fn file(db: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = db.parent().unwrap().join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// Removes the `[[section]]` block whose first line after the header is `first`.
fn without_block(town: &str, section: &str, first: &str) -> String {
    let header = format!("[[{section}]]\n{first}\n");
    let start = town
        .find(&header)
        .unwrap_or_else(|| panic!("{header} not found"));
    let rest = &town[start + header.len()..];
    let end = rest
        .find("\n[")
        .map_or(town.len(), |e| start + header.len() + e + 1);
    format!("{}{}", &town[..start], &town[end..])
}

fn vehicle_codes(db: &Path) -> Vec<String> {
    json(common::cli(db).args(["vehicles", "--format", "json"]))
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn show_piped_into_apply_changes_nothing() {
    let db = common::demo_db();
    let before = std::fs::read(&db.path).unwrap();
    let audits = audit_count(&db.path);
    let text = show(&db.path);
    // `town show` is a read: the database file is as it was
    assert_eq!(std::fs::read(&db.path).unwrap(), before);
    assert!(text.contains("[[vehicle]]") && text.contains("surge_stock_threshold_percent"));
    common::cli(&db.path)
        .args(["town", "apply", "-"])
        .write_stdin(text.clone())
        .assert()
        .success()
        .stdout(predicate::str::contains("No differences"));
    assert_eq!(audit_count(&db.path), audits);
    assert_eq!(show(&db.path), text, "show is stable");
}

#[test]
fn dry_run_shows_the_differences_and_changes_nothing() {
    let db = common::demo_db();
    let town = show(&db.path).replace("population = 4680", "population = 4700");
    let f = file(&db.path, "t.toml", &town);
    let audits = audit_count(&db.path);
    let before = std::fs::read(&db.path).unwrap();
    common::cli(&db.path)
        .args(["town", "apply", "--dry-run"])
        .arg(&f)
        .assert()
        .success()
        .stdout(predicate::str::contains("changed: V01"))
        .stdout(predicate::str::contains("population: 4680 → 4700"))
        .stdout(predicate::str::contains("Dry run"));
    assert_eq!(audit_count(&db.path), audits);
    assert_eq!(std::fs::read(&db.path).unwrap(), before);
    assert!(show(&db.path).contains("population = 4680"));
}

#[test]
fn each_kind_of_change_is_applied_and_audited_once() {
    let db = common::demo_db();
    let mut town = show(&db.path);
    // changed: a driver's phone
    town = town.replace(
        "driver = \"张红军\"\nphone = ",
        "driver = \"张红军\"\nphone = \"139-0000-0001\"\n#",
    );
    // retired: village V12 with its reserve car, a viewer, a hospital
    town = without_block(&town, "village", "code = \"V12\"");
    town = town
        .replace(", \"V12\"", "")
        .replace("\"V12\", ", "")
        .replace("[\"V12\"]", "[]");
    town = without_block(&town, "vehicle", "code = \"RC12\"");
    town = without_block(&town, "staff", "name = \"蒋文斌\"");
    town = without_block(&town, "hospital", "code = \"DTCM\"");
    // added: a person and a vehicle
    town.push_str("\n[[staff]]\nname = \"新同事\"\nrole = \"duty_officer\"\n");
    town.push_str(
        "\n[[vehicle]]\ncode = \"RC13\"\nkind = \"reserve_car\"\nbase = \"V01\"\ndriver = \"张二\"\n",
    );
    let f = file(&db.path, "t.toml", &town);
    let audits = audit_count(&db.path);
    common::cli(&db.path)
        .args(["town", "apply"])
        .arg(&f)
        .assert()
        .success()
        .stdout(predicate::str::contains("retired: V12"))
        .stdout(predicate::str::contains("retired: RC12"))
        .stdout(predicate::str::contains("added: RC13"))
        .stdout(predicate::str::contains("added: 新同事"))
        .stdout(predicate::str::contains("changed: RC01"))
        .stdout(predicate::str::contains("Applied"));
    let changed = audit_rows(&db.path, "town.change");
    let retired = audit_rows(&db.path, "town.retire");
    let added = audit_rows(&db.path, "town.add");
    let subjects =
        |rows: &[(String, String)]| -> Vec<String> { rows.iter().map(|r| r.0.clone()).collect() };
    assert!(
        subjects(&changed).contains(&"vehicle:RC01".to_string()),
        "{changed:?}"
    );
    let mut r = subjects(&retired);
    r.sort();
    assert_eq!(
        r,
        [
            "hospital:DTCM",
            "staff:蒋文斌",
            "vehicle:RC12",
            "village:V12"
        ],
        "one row per retired record"
    );
    assert_eq!(subjects(&added), ["vehicle:RC13", "staff:新同事"]);
    assert_eq!(
        audit_count(&db.path),
        audits + (changed.len() + retired.len() + added.len()) as i64,
        "one audit row per change, nothing else"
    );
    // the boards and the report no longer show what was retired
    let codes = vehicle_codes(&db.path);
    assert!(!codes.contains(&"RC12".to_string()) && codes.contains(&"RC13".to_string()));
    let report = json(common::cli(&db.path).args(["report", "--format", "json"]));
    assert_eq!(report["villages_expected"], 11, "{report}");
    let missing: Vec<&str> = report["missing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(!missing.contains(&"V12"), "{missing:?}");
    assert!(
        report["villages"]
            .as_array()
            .unwrap()
            .iter()
            .all(|v| v["code"] != "V12")
    );
    // a day V12 reported, before it was retired, still shows its row
    let yesterday =
        json(common::cli(&db.path).args(["report", "--date", "2026-11-25", "--format", "json"]));
    let v12 = yesterday["villages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["code"] == "V12")
        .cloned();
    assert!(
        v12.is_some_and(|v| v["reported"] == true),
        "{}",
        yesterday["villages"]
    );
    // applying the same file again changes nothing
    let audits = audit_count(&db.path);
    common::cli(&db.path)
        .args(["town", "apply"])
        .arg(&f)
        .assert()
        .success()
        .stdout(predicate::str::contains("No differences"));
    assert_eq!(audit_count(&db.path), audits);
    // the retired person can no longer operate, and says why
    common::cli(&db.path)
        .args(["--operator", "蒋文斌", "log", "add", "hello"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("retired"));
    // put back in the file: restored, not added
    let restored = show(&db.path) + "\n[[staff]]\nname = \"蒋文斌\"\nrole = \"viewer\"\n";
    let f2 = file(&db.path, "t2.toml", &restored);
    common::cli(&db.path)
        .args(["town", "apply"])
        .arg(&f2)
        .assert()
        .success()
        .stdout(predicate::str::contains("back in service: 蒋文斌"));
    assert_eq!(audit_rows(&db.path, "town.restore").len(), 1);
    // every row went into the audit chain
    common::cli(&db.path)
        .args(["audit", "verify"])
        .assert()
        .success();
}

#[test]
fn a_retired_vehicle_stays_in_history() {
    let db = common::demo_db();
    // AMB2 took trip 1, now back in service
    let town = without_block(&show(&db.path), "vehicle", "code = \"AMB2\"");
    let f = file(&db.path, "t.toml", &town);
    common::cli(&db.path)
        .args(["town", "apply"])
        .arg(&f)
        .assert()
        .success();
    assert!(!vehicle_codes(&db.path).contains(&"AMB2".to_string()));
    let all = json(common::cli(&db.path).args(["transport", "list", "--all", "--format", "json"]));
    let trip1 = all
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == 1)
        .unwrap();
    assert_eq!(trip1["vehicle"], "AMB2");
    // and it can no longer be dispatched
    common::cli(&db.path)
        .args(["transport", "dispatch", "4", "--vehicle", "AMB2"])
        .assert()
        .code(2);
}

#[test]
fn a_vehicle_on_a_trip_cannot_be_retired() {
    let db = common::demo_db();
    let town = without_block(&show(&db.path), "vehicle", "code = \"AMB1\"")
        .replace("population = 4680", "population = 4700");
    let f = file(&db.path, "t.toml", &town);
    let audits = audit_count(&db.path);
    let before = show(&db.path);
    for dry in [false, true] {
        let mut c = common::cli(&db.path);
        c.args(["town", "apply"]).arg(&f);
        if dry {
            c.arg("--dry-run");
        }
        c.assert()
            .code(3)
            .stderr(predicate::str::contains("AMB1").and(predicate::str::contains("trip 3")));
    }
    assert_eq!(audit_count(&db.path), audits);
    assert_eq!(
        show(&db.path),
        before,
        "nothing changed, not even the population"
    );
}

#[test]
fn a_broken_file_changes_nothing() {
    let db = common::demo_db();
    let audits = audit_count(&db.path);
    let town = show(&db.path)
        .replace("population = 4680", "population = -1")
        .replace("base = \"V03\"", "base = \"V99\"");
    let f = file(&db.path, "t.toml", &town);
    common::cli(&db.path)
        .args(["town", "apply"])
        .arg(&f)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("village[1].population"))
        .stderr(predicate::str::contains(".base"));
    let f = file(&db.path, "bad.toml", "[town\nname=");
    common::cli(&db.path)
        .args(["town", "apply"])
        .arg(&f)
        .assert()
        .code(2);
    assert_eq!(audit_count(&db.path), audits);
}

#[test]
fn only_a_duty_leader_changes_the_town() {
    let db = common::demo_db();
    let f = file(&db.path, "t.toml", &show(&db.path));
    common::cli(&db.path)
        .args(["--operator", "邓宇航", "town", "apply"])
        .arg(&f)
        .assert()
        .code(4);
    common::cli(&db.path)
        .args(["--operator", "冉小东", "town", "surge", "on"])
        .assert()
        .code(4);
    // anyone may read it
    common::cli(&db.path)
        .args(["--operator", "蒋文斌", "town", "show"])
        .assert()
        .success();
}

fn low_stock_places(db: &Path) -> Vec<String> {
    let list = json(common::cli(db).args(["escalation", "list", "--format", "json"]));
    let mut out: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "low_stock" && e["state"] != "resolved")
        .map(|e| e["place"].as_str().unwrap_or("").to_string())
        .collect();
    out.sort();
    out.dedup();
    out
}

#[test]
fn surge_switches_the_reserve_line_and_the_rules() {
    let db = common::demo_db();
    let line = |db: &Path| -> i64 {
        let rows = json(common::cli(db).args(["stock", "list", "--format", "json"]));
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| r["place"] == "HC1" && r["item"] == "drug_packs")
            .unwrap()["line"]
            .as_i64()
            .unwrap()
    };
    assert_eq!(line(&db.path), 2655, "15 % of 17,700");
    assert!(!low_stock_places(&db.path).contains(&"HC1".to_string()));
    common::cli(&db.path)
        .args(["town", "surge", "on"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Surge is on"));
    assert_eq!(line(&db.path), 5310, "30 % of 17,700");
    let low = low_stock_places(&db.path);
    assert!(
        low.contains(&"HC1".to_string()) && low.contains(&"HC2".to_string()),
        "{low:?}"
    );
    // a second switch to the same state writes nothing
    let audits = audit_count(&db.path);
    common::cli(&db.path)
        .args(["town", "surge", "on"])
        .assert()
        .success()
        .stdout(predicate::str::contains("already"));
    assert_eq!(audit_count(&db.path), audits);
    common::cli(&db.path)
        .args(["town", "surge", "off"])
        .assert()
        .success();
    assert_eq!(line(&db.path), 2655);
    assert_eq!(audit_rows(&db.path, "town.surge").len(), 2);
    let log = json(common::cli(&db.path).args(["log", "list", "--format", "json"]));
    let texts: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["text"].as_str().unwrap())
        .collect();
    assert!(
        texts.iter().any(|t| t.contains("Surge switched on")),
        "{texts:?}"
    );
    assert!(
        texts.iter().any(|t| t.contains("Surge switched off")),
        "{texts:?}"
    );
}

#[test]
fn surge_shortens_the_waiting_limits() {
    let db = common::demo_db();
    // a critical request 7 minutes old: within the normal 10, past the surge 5
    common::cli(&db.path)
        .args([
            "transport",
            "request",
            "--village",
            "V02",
            "--patient",
            "病人",
            "--severity",
            "critical",
            "--to",
            "HC1",
        ])
        .assert()
        .success();
    let later = "2026-11-26T10:37:00+08:00";
    let waiting = |db: &Path| -> usize {
        let list = json(common::cli(db).env("DUTY_DESK_NOW", later).args([
            "escalation",
            "list",
            "--format",
            "json",
        ]));
        list.as_array()
            .unwrap()
            .iter()
            .filter(|e| e["kind"] == "transport_waiting" && e["state"] != "resolved")
            .count()
    };
    let before = waiting(&db.path);
    common::cli(&db.path)
        .env("DUTY_DESK_NOW", later)
        .args(["town", "surge", "on"])
        .assert()
        .success();
    assert_eq!(waiting(&db.path), before + 1);
}

#[test]
fn init_and_apply_warn_about_what_the_seeds_require() {
    let db = common::demo_db();
    let town = without_block(&show(&db.path), "vehicle", "code = \"RC05\"")
        .replace("clinic_phone = \"023-46821356\"\n", "");
    let f = file(&db.path, "t.toml", &town);
    let new_db = db.path.parent().unwrap().join("new.db");
    common::cli(&new_db)
        .args(["init", "--town"])
        .arg(&f)
        .assert()
        .success()
        .stderr(predicate::str::contains("V05 has no reserve car"))
        .stderr(predicate::str::contains("V01 has no clinic phone"));
    let town = without_block(&show(&db.path), "vehicle", "code = \"AMB3\"");
    let f = file(&db.path, "t2.toml", &town);
    common::cli(&db.path)
        .args(["town", "apply", "--dry-run"])
        .arg(&f)
        .assert()
        .success()
        .stderr(predicate::str::contains("HC2 has no ambulance"));
}

#[test]
fn a_village_retired_today_leaves_todays_report_and_keeps_yesterdays() {
    let db = common::demo_db();
    let mut town = without_block(&show(&db.path), "village", "code = \"V09\"");
    town = town
        .replace(", \"V09\"", "")
        .replace("\"V09\", ", "")
        .replace("[\"V09\"]", "[]");
    town = without_block(&town, "vehicle", "code = \"RC09\"");
    let f = file(&db.path, "t.toml", &town);
    common::cli(&db.path)
        .args(["town", "apply"])
        .arg(&f)
        .assert()
        .success();
    let codes = |date: &str| -> Vec<String> {
        let r = json(common::cli(&db.path).args(["report", "--date", date, "--format", "json"]));
        r["villages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["code"].as_str().unwrap().to_string())
            .collect()
    };
    // V09 reported today, before it was retired: today it is gone, yesterday it stays
    assert!(!codes("2026-11-26").contains(&"V09".to_string()));
    assert!(codes("2026-11-25").contains(&"V09".to_string()));
    // its trip stays in the queue, named
    let open = json(common::cli(&db.path).args(["transport", "list", "--format", "json"]));
    assert!(
        open.as_array()
            .unwrap()
            .iter()
            .any(|t| t["village"] == "V09")
    );
    // its clinic's stock is no longer on the list
    let stock = json(common::cli(&db.path).args(["stock", "list", "--format", "json"]));
    let places: Vec<&str> = stock
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["place"].as_str().unwrap())
        .collect();
    assert!(
        places.contains(&"V08") && !places.contains(&"V09"),
        "{places:?}"
    );
}

#[test]
fn surge_shortens_the_handover_grace() {
    let db = common::demo_db();
    // 20 minutes after the open shift's end: within the normal 30, past the surge 15
    let later = "2026-11-27T08:50:00+08:00";
    let overdue = |db: &Path| -> usize {
        let list = json(common::cli(db).env("DUTY_DESK_NOW", later).args([
            "escalation",
            "list",
            "--format",
            "json",
        ]));
        list.as_array()
            .unwrap()
            .iter()
            .filter(|e| e["kind"] == "handover_overdue")
            .count()
    };
    assert_eq!(overdue(&db.path), 0);
    common::cli(&db.path)
        .env("DUTY_DESK_NOW", later)
        .args(["town", "surge", "on"])
        .assert()
        .success();
    assert_eq!(overdue(&db.path), 1);
}
