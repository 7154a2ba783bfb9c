//! Issue 17: `county report --dir`, the county desk's roll-up of the towns' JSON reports,
//! with a town that has not sent its report and one whose report is not signed; the
//! totals are checked against the towns' own files.

use crate::common;

use std::path::Path;

use predicates::prelude::*;
use serde_json::{Value, json};

const DAY: &str = "2026-11-26";

/// Exports a town's report for DAY (in Chinese: the county roster names towns so).
fn export(db: &Path, to: &Path) -> Value {
    let out = common::cli(db)
        .args(["--lang", "zh", "report", "--format", "json", "--date", DAY])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    std::fs::write(to, &out.stdout).unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The demo town (8 of 12 in, draft) and the second demo town (signed with B03 missing).
fn county_dir() -> (tempfile::TempDir, common::DemoDb, Value, Value) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo");
    let dir = tempfile::tempdir().unwrap();
    let demo = common::demo_db();
    let qingshi = export(&demo.path, &dir.path().join("qingshi.json"));
    let b = dir.path().join("baixi.db");
    common::cli(&b)
        .args(["init", "--town"])
        .arg(root.join("town_b.toml"))
        .assert()
        .success();
    common::cli(&b)
        .args(["--operator", "向雨桐", "import", "reports"])
        .arg(root.join("reports_b.csv"))
        .assert()
        .success();
    common::cli(&b)
        .args(["--operator", "向雨桐", "report", "sign", "--date", DAY])
        .args(["--reason", "竹林村通信中断"])
        .assert()
        .success();
    let baixi = export(&b, &dir.path().join("baixi.json"));
    std::fs::remove_file(&b).unwrap();
    std::fs::write(
        dir.path().join("county.toml"),
        "towns = [\"青石镇\", \"柏溪镇\", \"远山镇\"]\n",
    )
    .unwrap();
    (dir, demo, qingshi, baixi)
}

fn county(dir: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    let mut c = common::cli(&dir.join("no.db"));
    c.args(["county", "report", "--dir"]).arg(dir).args(extra);
    c.assert()
}

#[test]
fn a_row_per_town_totals_and_the_towns_missing_or_unsigned() {
    let (dir, _demo, qingshi, baixi) = county_dir();
    let out = county(dir.path(), &["--date", DAY, "--format", "json"]).success();
    let j: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(j["date"], json!(DAY));
    assert_eq!(j["towns_reported"], json!(2));
    assert_eq!(j["towns_expected"], json!(3));
    assert_eq!(j["missing"], json!(["远山镇"]));
    assert_eq!(j["unsigned"], json!(["青石镇"]));
    // the county's totals are the towns' own totals added up
    for k in [
        "population",
        "new_infections",
        "cumulative_infections",
        "outpatients",
        "inpatients",
        "severe",
        "deaths",
        "emergency_visits",
        "referrals",
    ] {
        let sum = qingshi["totals"][k].as_i64().unwrap() + baixi["totals"][k].as_i64().unwrap();
        assert_eq!(j["totals"][k], json!(sum), "{k}");
    }
    // 柏溪镇 by hand: B01, B02, B04 on the 26th, B03 carried at 249
    let b = j["towns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["town"] == json!("柏溪镇"))
        .unwrap();
    assert_eq!(b["status"], json!("signed"));
    assert_eq!(
        b["totals"]["cumulative_infections"],
        json!(632 + 314 + 249 + 175)
    );
    assert_eq!(b["totals"]["new_infections"], json!(18));
    assert_eq!(b["totals"]["population"], json!(3920 + 2150 + 1870 + 1460));
    assert_eq!(b["missing_reason"], json!("竹林村通信中断"));
    assert_eq!(b["villages_reported"], json!(3));
    // without --date: the newest day in the files
    let out = county(dir.path(), &["--format", "json"]).success();
    let again: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(again, j);
}

#[test]
fn markdown_and_csv() {
    let (dir, ..) = county_dir();
    county(dir.path(), &["--date", DAY])
        .success()
        .stdout(predicate::str::contains("Towns reported: 2 of 3"))
        .stdout(predicate::str::contains("- Missing: 远山镇"))
        .stdout(predicate::str::contains("- Not signed yet: 青石镇"))
        .stdout(predicate::str::contains(
            "| 柏溪镇 | signed | 3/4 | 9400 | 18 | 1370 |",
        ))
        .stdout(predicate::str::contains("| 远山镇 | missing |"))
        .stdout(predicate::str::contains("- 柏溪镇: 竹林村通信中断"));
    let out = county(dir.path(), &["--date", DAY, "--format", "csv"]).success();
    let csv = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "date,town,status,villages_expected,villages_reported,population,new_infections,cumulative_infections,outpatients,inpatients,severe,deaths,emergency_visits,referrals,infection_ratio"
    );
    assert!(
        lines[1].starts_with("2026-11-26,柏溪镇,signed,4,3,9400,18,1370,"),
        "{csv}"
    );
    assert!(
        lines[2].starts_with("2026-11-26,青石镇,draft,12,8,"),
        "{csv}"
    );
    assert_eq!(lines[3], "2026-11-26,远山镇,missing,,,,,,,,,,,,");
    assert!(lines[4].starts_with("2026-11-26,,total,,,"), "{csv}");
    assert_eq!(lines.len(), 5);
}

#[test]
fn another_day_has_every_town_missing_and_junk_is_refused() {
    let (dir, ..) = county_dir();
    let out = county(dir.path(), &["--date", "2026-11-20", "--format", "json"]).success();
    let j: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(j["towns_reported"], json!(0));
    assert_eq!(j["missing"], json!(["柏溪镇", "远山镇", "青石镇"]));
    assert_eq!(j["totals"]["population"], Value::Null);
    std::fs::write(dir.path().join("junk.json"), "{\"hello\": 1}").unwrap();
    county(dir.path(), &["--date", DAY])
        .code(2)
        .stderr(predicate::str::contains(
            "junk.json: not a town's daily report (no date)",
        ));
    std::fs::write(dir.path().join("junk.json"), "not json").unwrap();
    county(dir.path(), &["--date", DAY])
        .code(2)
        .stderr(predicate::str::contains("junk.json: not JSON"));
    county(&dir.path().join("nowhere"), &[]).code(2);
}
