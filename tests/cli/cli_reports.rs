//! `import reports` and `report`: every import error with its exact line, BOM/CRLF/spaces,
//! all-or-nothing, `--replace`, `--dry-run`, signed days, and the JSON contract computed
//! by hand for a small known town.

use crate::common;

use std::path::{Path, PathBuf};

use duty_desk::domain::report_csv::HEADER;
use duty_desk::store::Store;
use predicates::prelude::*;
use serde_json::{Value, json};

/// A three-village town, small enough to add up by hand.
const TOWN: &str = r#"
[town]
name = "试验镇"
name_en = "Test Town"
utc_offset = "+08:00"
report_cutoff = "10:00"
shift_start = "08:30"

[[health_center]]
code = "HC1"
name = "试验镇卫生院"
name_en = "Test Health Center"

[[village]]
code = "A1"
name = "东坡村"
name_en = "Dongpo Village"
population = 1000
health_center = "HC1"

[[village]]
code = "A2"
name = "西岭村"
name_en = "Xiling Village"
population = 2000
health_center = "HC1"

[[village]]
code = "A3"
name = "南溪村"
name_en = "Nanxi Village"
population = 500
health_center = "HC1"

[[staff]]
name = "王一"
role = "shift_lead"

[[staff]]
name = "李二"
role = "duty_leader"
"#;

struct Town {
    dir: tempfile::TempDir,
    db: PathBuf,
}

impl Town {
    fn new() -> Town {
        let dir = tempfile::tempdir().unwrap();
        let town = dir.path().join("town.toml");
        std::fs::write(&town, TOWN).unwrap();
        let db = dir.path().join("duty.db");
        common::cli(&db)
            .args(["init", "--town"])
            .arg(&town)
            .assert()
            .success();
        Town { dir, db }
    }

    /// Writes `rows` under the header to a CSV file; returns its path.
    fn csv(&self, name: &str, rows: &str) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, format!("{HEADER}\n{rows}")).unwrap();
        p
    }

    fn cmd(&self) -> assert_cmd::Command {
        let mut c = common::cli(&self.db);
        c.args(["--operator", "王一"]);
        c
    }

    fn import(&self, file: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
        self.cmd()
            .args(["import", "reports"])
            .args(extra)
            .arg(file)
            .assert()
    }

    fn json(&self, date: &str) -> Value {
        let out = self
            .cmd()
            .args(["report", "--format", "json", "--date", date])
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

fn stderr_lines(a: &assert_cmd::assert::Assert) -> Vec<String> {
    String::from_utf8_lossy(&a.get_output().stderr)
        .lines()
        .map(str::to_string)
        .collect()
}

const DAY1: &str = "2026-11-25,A1,10,100,20,5,1,0,2,1
2026-11-25,A2,20,200,30,6,2,1,3,2
2026-11-25,A3,5,50,10,1,0,0,1,0
";

#[test]
fn every_import_error_is_named_with_its_line_and_column_and_nothing_is_imported() {
    let t = Town::new();
    let f = t.csv(
        "bad.csv",
        "2026-11-25,A1,10,100,20,5,1,0,2,1
2026-13-01,A1,1,1,1,1,1,0,1,1
2026-11-25,Z9,1,1,1,1,1,0,1,1
2026-11-25,A2,1,10,-1,1,1.5,0,1,1
2026-11-25,A3,1,600,1,1,1,0,1,1
2026-11-24,A2,50,40,1,1,1,0,1,1
2026-11-23,A2,1,40,1,1,1,41,1,1
2026-11-27,A3,1,1,1,1,1,0,1,1
2026-11-26,A1,0,90,1,1,1,0,1,1
2026-11-25,A1,10,100,20,5,1,0,2,1
2026-11-25,A3,1,2
2026-11-25,东坡村,1,1,1,1,1,0,1,1
2026-11-24,A3,,,,,,,,
",
    );
    let a = t.import(&f, &[]).code(2);
    let name = f.display().to_string();
    let expected: Vec<String> = [
        "3: date: not a date (YYYY-MM-DD): 2026-13-01",
        "4: village: unknown village: Z9",
        "5: outpatients: not a whole number >= 0: -1",
        "5: severe: not a whole number >= 0: 1.5",
        "6: cumulative_infections: cumulative infections 600 are above the village population 500",
        "7: new_infections: new infections 50 are above cumulative infections 40",
        "8: deaths: deaths 41 are above cumulative infections 40",
        "9: date: the date is in the future",
        "10: cumulative_infections: cumulative infections 90 are lower than the previous reported day's 100",
        "11: village: same village and date as line 2",
        "12: -: 4 cells, expected 10",
        "13: village: same village and date as line 2",
        "14: -: no figure given (leave the village out until it reports)",
    ]
    .iter()
    .map(|l| format!("{name}:{l}"))
    .chain(["13 problem(s); nothing was imported.".to_string()])
    .collect();
    assert_eq!(stderr_lines(&a), expected);
    // all or nothing: line 2 was good, yet nothing was stored
    assert_eq!(t.json("2026-11-25")["villages_reported"], json!(0));
}

#[test]
fn bom_crlf_spaces_and_village_names_are_accepted() {
    let t = Town::new();
    let p = t.dir.path().join("bom.csv");
    let text = format!(
        "\u{feff}{}\r\n 2026-11-25 , 东坡村 , 10 ,100,20,5,1,0,2,1\r\n2026-11-25,Xiling Village,20,200,30,6,2,1,3,2\r\n\r\n2026-11-25,  A3,5,50,10,1,0,0,1,0\r\n",
        HEADER.replace(',', " , ")
    );
    std::fs::write(&p, text).unwrap();
    t.import(&p, &[])
        .success()
        .stdout("Imported: 3 new, 0 replaced, 0 unchanged, 0 warning(s).\n");
    let j = t.json("2026-11-25");
    assert_eq!(j["villages_reported"], json!(3));
    assert_eq!(j["totals"]["new_infections"], json!(35));
}

#[test]
fn names_must_match_exactly() {
    let t = Town::new();
    let f = t.csv(
        "n.csv",
        "2026-11-25,dongpo village,1,1,1,1,1,0,1,1\n2026-11-25,东坡,1,1,1,1,1,0,1,1\n",
    );
    let a = t.import(&f, &[]).code(2);
    let lines = stderr_lines(&a);
    assert!(
        lines[0].ends_with(":2: village: unknown village: dongpo village"),
        "{lines:?}"
    );
    assert!(
        lines[1].ends_with(":3: village: unknown village: 东坡"),
        "{lines:?}"
    );
}

#[test]
fn identical_rows_are_no_ops_and_differing_rows_need_replace() {
    let t = Town::new();
    let f = t.csv("d1.csv", DAY1);
    t.import(&f, &[]).success();
    t.import(&f, &[])
        .success()
        .stdout("Imported: 0 new, 0 replaced, 3 unchanged, 0 warning(s).\n");
    let changed = t.csv(
        "d1b.csv",
        "2026-11-25,A1,10,100,20,5,1,0,2,1\n2026-11-25,A2,20,200,31,6,2,1,3,2\n",
    );
    let a = t.import(&changed, &[]).code(2);
    assert_eq!(
        stderr_lines(&a),
        [
            format!(
                "{}:3: -: A2 already has different figures for 2026-11-25 (use --replace to replace them)",
                changed.display()
            ),
            "1 problem(s); nothing was imported.".to_string()
        ]
    );
    t.import(&changed, &["--replace"])
        .success()
        .stdout("Imported: 0 new, 1 replaced, 1 unchanged, 0 warning(s).\n");
    assert_eq!(
        t.json("2026-11-25")["villages"][1]["outpatients"],
        json!(31)
    );
    // the old values stay in the audit log
    let store = Store::open(&t.db).unwrap();
    let audit = store.audit_for("report:2026-11-25:A2").unwrap();
    let actions: Vec<&str> = audit.iter().map(|a| a.action.as_str()).collect();
    assert_eq!(actions, ["report.save", "report.replace"]);
    let detail: Value = serde_json::from_str(&audit[1].detail).unwrap();
    assert_eq!(detail["old"]["outpatients"], json!(30));
    assert_eq!(detail["new"]["outpatients"], json!(31));
    assert_eq!(audit[1].operator, "王一");
}

#[test]
fn dry_run_prints_what_would_change_and_writes_nothing() {
    let t = Town::new();
    t.import(&t.csv("d1.csv", DAY1), &[]).success();
    let f = t.csv(
        "d2.csv",
        "2026-11-25,A1,10,100,20,5,1,0,2,1
2026-11-25,A2,20,200,31,6,2,1,3,2
2026-11-26,A1,9,112,20,5,1,0,2,1
",
    );
    let name = f.display().to_string();
    t.import(&f, &["--dry-run", "--replace"]).success().stdout(format!(
        "{name}:3: would replace A2 2026-11-25
{name}:4: new_infections: warning: new infections 9 differ from cumulative minus the previous day (12)
{name}:4: would add A1 2026-11-26
Dry run, nothing written: 1 new, 1 replaced, 1 unchanged, 1 warning(s).
"
    ));
    assert_eq!(
        t.json("2026-11-25")["villages"][1]["outpatients"],
        json!(30)
    );
    assert_eq!(t.json("2026-11-26")["villages_reported"], json!(0));
    // a dry run with problems lists them and exits 2 like a real import
    t.import(
        &t.csv("bad.csv", "2026-11-26,A1,1,99,1,1,1,0,1,1\n"),
        &["--dry-run"],
    )
    .code(2)
    .stderr(predicate::str::contains(
        "lower than the previous reported day's 100",
    ));
}

#[test]
fn warnings_are_saved_and_listed() {
    let t = Town::new();
    t.import(&t.csv("d1.csv", DAY1), &[]).success();
    let f = t.csv("w.csv", "2026-11-26,A1,9,112,20,5,1,0,2,1\n");
    t.import(&f, &[]).success().stdout(predicate::str::contains(
        "Imported: 1 new, 0 replaced, 0 unchanged, 1 warning(s).",
    ));
    let j = t.json("2026-11-26");
    assert_eq!(
        j["villages"][0]["warnings"][0]["field"],
        json!("new_infections")
    );
    t.cmd()
        .args(["report", "--format", "text", "--date", "2026-11-26"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "A1 new_infections: new infections 9 differ from cumulative minus the previous day (12)",
        ));
}

#[test]
fn a_signed_day_refuses_changes_with_exit_3_until_reopened() {
    let t = Town::new();
    let f = t.csv("d1.csv", DAY1);
    t.import(&f, &[]).success();
    t.cmd()
        .args(["report", "sign", "--date", "2026-11-25"])
        .assert()
        .success()
        .stdout("Report for 2026-11-25 signed; it is now read-only.\n");
    t.cmd()
        .args(["report", "sign", "--date", "2026-11-25"])
        .assert()
        .code(3)
        .stderr("duty-desk: the report for 2026-11-25 is already signed\n");
    t.cmd()
        .args(["report", "sign", "--date", "2026-11-27"])
        .assert()
        .code(2)
        .stderr("--date: the date is in the future\n");
    assert_eq!(t.json("2026-11-25")["status"], json!("signed"));
    // re-importing the same rows changes nothing, so it is allowed
    t.import(&f, &[])
        .success()
        .stdout("Imported: 0 new, 0 replaced, 3 unchanged, 0 warning(s).\n");
    let changed = t.csv("c.csv", "2026-11-25,A2,20,200,31,6,2,1,3,2\n");
    let a = t.import(&changed, &["--replace"]).code(3);
    let lines = stderr_lines(&a);
    assert_eq!(
        lines[0],
        format!(
            "{}:2: date: the day is signed and read-only (a duty leader may reopen it)",
            changed.display()
        )
    );
    // only a duty leader reopens a signed day
    t.cmd()
        .args(["report", "reopen", "--date", "2026-11-25", "--reason", "x"])
        .assert()
        .code(4)
        .stderr(predicates::str::contains("may not reopen a signed day"));
    common::cli(&t.db)
        .args(["--operator", "李二"])
        .args([
            "report",
            "reopen",
            "--date",
            "2026-11-25",
            "--reason",
            "A2 corrected",
        ])
        .assert()
        .success();
    assert_eq!(t.json("2026-11-25")["status"], json!("draft"));
    t.import(&changed, &["--replace"]).success();
    t.cmd()
        .args(["report", "sign", "--date", "2026-11-25"])
        .assert()
        .success();
    let store = Store::open(&t.db).unwrap();
    let actions: Vec<String> = store
        .audit_for("day:2026-11-25")
        .unwrap()
        .into_iter()
        .map(|a| a.action)
        .collect();
    assert_eq!(actions, ["report.sign", "report.reopen", "report.resign"]);
}

#[test]
fn json_contract_for_a_known_data_set() {
    let t = Town::new();
    t.import(&t.csv("d1.csv", DAY1), &[]).success();
    // day 2: A2 leaves outpatients empty (not reported), A3 does not report at all
    t.import(
        &t.csv(
            "d2.csv",
            "2026-11-26,A1,12,112,25,7,2,0,4,2\n2026-11-26,A2,30,230,,8,3,1,0,1\n",
        ),
        &[],
    )
    .success();
    let j = t.json("2026-11-26");
    assert_eq!(j["date"], json!("2026-11-26"));
    assert_eq!(j["town"], json!("Test Town"));
    assert_eq!(j["status"], json!("draft"));
    assert_eq!(j["villages_expected"], json!(3));
    assert_eq!(j["villages_reported"], json!(2));
    assert_eq!(j["missing"], json!(["A3"]));
    // computed by hand: sums over the rows that give each figure; the cumulative count
    // carries A3's 50 from the day before (issue 17: it may never fall)
    assert_eq!(
        j["totals"],
        json!({
            "population": 3500,
            "new_infections": 42,
            "cumulative_infections": 392,
            // 392 / 3500: the whole town, not only the villages that reported
            "infection_ratio": 0.112,
            "outpatients": 25,
            "inpatients": 15,
            "severe": 5,
            "deaths": 1,
            "emergency_visits": 4,
            "referrals": 3,
        })
    );
    assert_eq!(j["carried_forward"], json!(["A3"]));
    // like for like: A1 and A2 reported on both days, A3 only on day 1 (issue 17: the
    // old change compared 2 villages with 3 and showed cumulative -8, outpatients -35)
    assert_eq!(j["compared_villages"], json!(2));
    assert_eq!(
        j["change"],
        json!({
            "population": 0,
            // (12 - 10) + (30 - 20)
            "new_infections": 12,
            // (112 - 100) + (230 - 200)
            "cumulative_infections": 42,
            // 42 / 3500
            "infection_ratio": 0.012,
            // A2 gave no outpatients on day 2: A1 only, 25 - 20
            "outpatients": 5,
            "inpatients": 4,
            "severe": 2,
            "deaths": 0,
            // (4 - 2) + (0 - 3)
            "emergency_visits": -1,
            "referrals": 0,
        })
    );
    assert_eq!(
        j["comparison"],
        json!(
            "* Change compares the 2 of 3 villages that reported on both days; cumulative carries the last reported count of A3"
        )
    );
    assert_eq!(
        j["week"],
        json!({"from": "2026-11-20", "to": "2026-11-26", "emergency_visits": 10, "referrals": 6})
    );
    let v = &j["villages"];
    assert_eq!(v.as_array().unwrap().len(), 3);
    assert_eq!(v[0]["code"], json!("A1"));
    assert_eq!(v[0]["name"], json!("Dongpo Village"));
    assert_eq!(v[0]["population"], json!(1000));
    assert_eq!(v[0]["reported"], json!(true));
    assert_eq!(v[0]["new_infections"], json!(12));
    assert_eq!(v[0]["referrals"], json!(2));
    assert_eq!(
        v[1]["outpatients"],
        Value::Null,
        "empty is not reported, never 0"
    );
    assert_eq!(v[1]["cumulative_infections"], json!(230));
    assert_eq!(v[2]["reported"], json!(false));
    assert_eq!(v[2]["new_infections"], Value::Null);
    // entered at 10:30, after the 10:00 cutoff
    assert_eq!(v[0]["late"], json!(true));
    assert_eq!(j["missing_late"], json!(true));
    // the Chinese report names the villages in Chinese
    let out = t
        .cmd()
        .args([
            "--lang",
            "zh",
            "report",
            "--format",
            "json",
            "--date",
            "2026-11-26",
        ])
        .output()
        .unwrap();
    let zh: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(zh["town"], json!("试验镇"));
    assert_eq!(zh["villages"][2]["name"], json!("南溪村"));
}

#[test]
fn text_and_markdown_reports_mark_late_and_missing_villages() {
    let t = Town::new();
    t.import(&t.csv("d1.csv", DAY1), &[]).success();
    t.import(&t.csv("d2.csv", "2026-11-26,A1,12,112,25,7,2,0,4,2\n"), &[])
        .success();
    t.cmd()
        .args(["report", "--format", "text", "--date", "2026-11-26"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "LATE, not reported by the 10:00 cutoff: A2 Xiling Village, A3 Nanxi Village",
        ))
        .stdout(predicate::str::contains("Villages reported: 1 of 3"))
        .stdout(predicate::str::contains(
            "New infections                 12       +2",
        ));
    t.cmd()
        .args([
            "--lang",
            "zh",
            "report",
            "--format",
            "md",
            "--date",
            "2026-11-26",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "# 试验镇疫情防控每日情况报告（2026-11-26）",
        ))
        .stdout(predicate::str::contains("| A1 东坡村 迟报 |"))
        .stdout(predicate::str::contains("| A3 南溪村 逾期未报 |"));
    t.cmd()
        .args(["report", "--format", "csv", "--date", "2026-11-26"])
        .assert()
        .success()
        .stdout(format!("{HEADER}\n2026-11-26,A1,12,112,25,7,2,0,4,2\n"));
}

#[test]
fn report_date_defaults_to_today_and_bad_dates_exit_2() {
    let t = Town::new();
    assert_eq!(t.json_today()["date"], json!("2026-11-26"));
    t.cmd()
        .args(["report", "--date", "26/11/2026"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--date: not a date (YYYY-MM-DD): 26/11/2026",
        ));
}

impl Town {
    fn json_today(&self) -> Value {
        let out = self
            .cmd()
            .args(["report", "--format", "json"])
            .output()
            .unwrap();
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

#[test]
fn the_checks_look_at_the_previous_reported_days_only() {
    let t = Town::new();
    // outpatients: 100, then 5 x4, then 100 x3; the previous 7 reported days' median is 5
    // (with the 8th day back it would be 52.5 and 16 would not warn)
    let mut rows = String::new();
    for (day, out) in [
        (10, 100),
        (11, 5),
        (12, 5),
        (13, 5),
        (14, 5),
        (15, 100),
        (16, 100),
        (17, 100),
    ] {
        rows.push_str(&format!("2026-11-{day},A1,,100,{out},,,,,\n"));
    }
    rows.push_str("2026-11-18,A1,,100,16,,,,,\n");
    // a day without cumulative infections is skipped when looking for the previous one
    rows.push_str("2026-11-19,A1,,,5,,,,,\n");
    let f = t.csv("h.csv", &rows);
    let out = t.import(&f, &[]).success().get_output().stdout.clone();
    let out = String::from_utf8(out).unwrap();
    // days 15-17 jump to 100 against a median of 5; day 18's 16 warns only because the
    // 8th day back (100) is not counted
    let warned: Vec<&str> = out
        .lines()
        .filter(|l| l.contains("warning:"))
        .map(|l| l.rsplit_once(".csv:").unwrap().1)
        .collect();
    assert_eq!(
        warned,
        [
            "7: outpatients: warning: 100 is more than 3 times the median of the previous 7 days (5)",
            "8: outpatients: warning: 100 is more than 3 times the median of the previous 7 days (5)",
            "9: outpatients: warning: 100 is more than 3 times the median of the previous 7 days (5)",
            "10: outpatients: warning: 16 is more than 3 times the median of the previous 7 days (5)",
        ]
    );
    assert!(out.ends_with("Imported: 10 new, 0 replaced, 0 unchanged, 4 warning(s).\n"));
    let bad = t.csv("b.csv", "2026-11-20,A1,,99,5,,,,,\n");
    t.import(&bad, &[]).code(2).stderr(predicate::str::contains(
        "b.csv:2: cumulative_infections: cumulative infections 99 are lower than the previous reported day's 100",
    ));
    // the spike must also be above 10: 10 against a median of 1 is fine, 11 is not
    let mut rows = String::new();
    for v in ["A2", "A3"] {
        for day in 17..=19 {
            rows.push_str(&format!("2026-11-{day},{v},,,1,,,,,\n"));
        }
    }
    rows.push_str("2026-11-20,A2,,,10,,,,,\n2026-11-20,A3,,,11,,,,,\n");
    let small = t.csv("s.csv", &rows);
    t.import(&small, &[]).success().stdout(format!(
        "{}:9: outpatients: warning: 11 is more than 3 times the median of the previous 7 days (1)\n\
         Imported: 8 new, 0 replaced, 0 unchanged, 1 warning(s).\n",
        small.display()
    ));
}
