//! Issue 17 on the command line: the report's like-for-like change and carried cumulative
//! in every export, signing with villages missing needs a reason, the shift lead's
//! analysis (`report note`), and the range export that imports back unchanged.

use crate::common;

use std::path::{Path, PathBuf};

use duty_desk::domain::report_csv::HEADER;
use duty_desk::store::Store;
use predicates::prelude::*;
use serde_json::{Value, json};

/// Three villages, small enough to add up by hand.
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

/// 2026-11-20: all three; 21: A1, A2; 22-23: nobody; 24: A1, A3 (A2 last at 200 on the
/// 21st); 25: all three; 26 (today): A1 only.
const HISTORY: &str = "2026-11-20,A1,10,100,20,5,1,0,2,1
2026-11-20,A2,20,180,30,6,2,1,3,2
2026-11-20,A3,5,50,10,1,0,0,1,0
2026-11-21,A1,4,104,18,5,1,0,1,0
2026-11-21,A2,20,200,25,7,2,0,2,1
2026-11-24,A1,6,110,15,4,1,0,,1
2026-11-24,A3,2,52,9,1,0,0,1,0
2026-11-25,A1,3,113,12,4,1,0,2,1
2026-11-25,A2,10,215,20,5,1,0,1,1
2026-11-25,A3,1,53,8,1,0,0,0,0
2026-11-26,A1,2,115,10,3,0,0,1,0
";

struct Town {
    dir: tempfile::TempDir,
    db: PathBuf,
}

impl Town {
    fn new() -> Town {
        Town::new_at("duty.db")
    }

    fn new_at(name: &str) -> Town {
        let dir = tempfile::tempdir().unwrap();
        let town = dir.path().join("town.toml");
        std::fs::write(&town, TOWN).unwrap();
        let db = dir.path().join(name);
        common::cli(&db)
            .args(["init", "--town"])
            .arg(&town)
            .assert()
            .success();
        Town { dir, db }
    }

    fn with_history() -> Town {
        let t = Town::new();
        let f = t.dir.path().join("h.csv");
        std::fs::write(&f, format!("{HEADER}\n{HISTORY}")).unwrap();
        t.cmd()
            .args(["import", "reports"])
            .arg(&f)
            .assert()
            .success();
        t
    }

    fn cmd(&self) -> assert_cmd::Command {
        let mut c = common::cli(&self.db);
        c.args(["--operator", "王一"]);
        c
    }

    fn out(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {out:?}");
        String::from_utf8(out.stdout).unwrap()
    }

    fn json(&self, date: &str) -> Value {
        serde_json::from_str(&self.out(&["report", "--format", "json", "--date", date])).unwrap()
    }
}

fn audit(db: &Path, subject: &str) -> Vec<(String, String)> {
    Store::open(db)
        .unwrap()
        .audit_for(subject)
        .unwrap()
        .into_iter()
        .map(|a| (a.action, a.detail))
        .collect()
}

/// Every figure of every day, computed by hand from HISTORY.
#[test]
fn change_and_carry_forward_over_gaps_by_hand() {
    let t = Town::with_history();
    // the 21st: A1 and A2 on both days; A3 carried at 50
    let j = t.json("2026-11-21");
    assert_eq!(j["compared_villages"], json!(2));
    assert_eq!(j["carried_forward"], json!(["A3"]));
    assert_eq!(j["totals"]["cumulative_infections"], json!(354));
    assert_eq!(j["totals"]["infection_ratio"], json!(0.101143)); // 354 / 3500
    assert_eq!(j["change"]["cumulative_infections"], json!(24)); // 4 + 20
    assert_eq!(j["change"]["new_infections"], json!(-6)); // -6 + 0
    assert_eq!(j["change"]["outpatients"], json!(-7)); // -2 - 5
    // the 22nd: nobody; everything carried, nothing compared
    let j = t.json("2026-11-22");
    assert_eq!(j["villages_reported"], json!(0));
    assert_eq!(j["compared_villages"], json!(0));
    assert_eq!(j["carried_forward"], json!(["A1", "A2", "A3"]));
    assert_eq!(j["totals"]["cumulative_infections"], json!(354));
    assert_eq!(j["totals"]["new_infections"], Value::Null);
    assert_eq!(j["change"]["cumulative_infections"], Value::Null);
    // the 24th: after two silent days nothing is compared; A2 carried from the 21st
    let j = t.json("2026-11-24");
    assert_eq!(j["compared_villages"], json!(0));
    assert_eq!(j["carried_forward"], json!(["A2"]));
    assert_eq!(j["totals"]["cumulative_infections"], json!(362)); // 110 + 200 + 52
    assert_eq!(j["change"]["new_infections"], Value::Null);
    // the 25th: A1 and A3 on both days; A2 back
    let j = t.json("2026-11-25");
    assert_eq!(j["compared_villages"], json!(2));
    assert_eq!(j["carried_forward"], json!([]));
    assert_eq!(j["totals"]["cumulative_infections"], json!(381));
    assert_eq!(j["change"]["cumulative_infections"], json!(4)); // 3 + 1
    // A1 gave no emergency visits on the 24th: A3 only, 0 - 1
    assert_eq!(j["change"]["emergency_visits"], json!(-1));
    assert_eq!(j["change"]["infection_ratio"], json!(0.001143)); // 4 / 3500
    // the 26th, the issue's case: one village in, the others carried, nothing "falls"
    let j = t.json("2026-11-26");
    assert_eq!(j["compared_villages"], json!(1));
    assert_eq!(j["carried_forward"], json!(["A2", "A3"]));
    assert_eq!(j["totals"]["cumulative_infections"], json!(383)); // 115 + 215 + 53
    assert_eq!(j["change"]["cumulative_infections"], json!(2));
    assert_eq!(j["change"]["outpatients"], json!(-2));
    // the weekly figures, on their own: the 20th to the 26th
    assert_eq!(
        j["week"],
        json!({"from": "2026-11-20", "to": "2026-11-26", "emergency_visits": 14, "referrals": 7})
    );
}

#[test]
fn text_and_markdown_say_what_is_compared_and_carried() {
    let t = Town::with_history();
    let text = t.out(&["report", "--date", "2026-11-26"]);
    assert!(
        text.contains("* Change compares the 1 of 3 villages that reported on both days; cumulative carries the last reported count of A2, A3"),
        "{text}"
    );
    assert!(
        text.contains("Cumulative infections*        383       +2"),
        "{text}"
    );
    assert!(text.contains("Weekly figures"), "{text}");
    let md = t.out(&[
        "--lang",
        "zh",
        "report",
        "--format",
        "md",
        "--date",
        "2026-11-26",
    ]);
    assert!(md.contains("| 累计感染人数\\* | 383 | +2 |"), "{md}");
    assert!(
        md.contains("变化仅比较两日均已上报的 1 个村（共 3 个）"),
        "{md}"
    );
    assert!(md.contains("## 每周数据"), "{md}");
}

#[test]
fn signing_with_villages_missing_needs_a_reason() {
    let t = Town::with_history();
    t.cmd()
        .args(["report", "sign", "--date", "2026-11-26"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "2 villages have not reported (A2, A3): give the reason with --reason",
        ));
    // in Chinese the list is joined by 、 (it was a literal ", " in every language)
    t.cmd()
        .args(["--lang", "zh", "report", "sign", "--date", "2026-11-26"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("尚有 2 个村未上报（A2、A3）"));
    t.cmd()
        .args(["report", "sign", "--date", "2026-11-26", "--reason", "  "])
        .assert()
        .code(2);
    assert_eq!(t.json("2026-11-26")["status"], json!("draft"));
    assert!(audit(&t.db, "day:2026-11-26").is_empty());
    // a complete day needs none
    t.cmd()
        .args(["report", "sign", "--date", "2026-11-25"])
        .assert()
        .success();
    t.cmd()
        .args([
            "report",
            "sign",
            "--date",
            "2026-11-26",
            "--reason",
            "A2 phone line down; A3 road closed",
        ])
        .assert()
        .success();
    let j = t.json("2026-11-26");
    assert_eq!(j["status"], json!("signed"));
    assert_eq!(
        j["missing_reason"],
        json!("A2 phone line down; A3 road closed")
    );
    let text = t.out(&["report", "--date", "2026-11-26"]);
    assert!(
        text.contains("Signed with villages missing because: A2 phone line down; A3 road closed"),
        "{text}"
    );
    let md = t.out(&[
        "--lang",
        "zh",
        "report",
        "--format",
        "md",
        "--date",
        "2026-11-26",
    ]);
    assert!(
        md.contains("缺报签发理由：A2 phone line down; A3 road closed"),
        "{md}"
    );
    let a = audit(&t.db, "day:2026-11-26");
    assert_eq!(a[0].0, "report.sign");
    assert!(
        a[0].1.contains("A3 road closed") && a[0].1.contains("A2"),
        "{a:?}"
    );
}

#[test]
fn the_analysis_is_in_every_export_and_frozen_once_signed() {
    let t = Town::with_history();
    // hostile text: an escape sequence and a line that would be a heading
    t.cmd()
        .args([
            "report",
            "note",
            "--date",
            "2026-11-26",
            "Fever clinic visits falling.\n# not a heading \u{1b}[31mred",
        ])
        .assert()
        .success()
        .stdout("Analysis saved for 2026-11-26.\n");
    let j = t.json("2026-11-26");
    assert_eq!(
        j["note"],
        json!("Fever clinic visits falling.\n# not a heading red")
    );
    assert_eq!(j["note_by"], json!("王一"));
    let text = t.out(&["report", "--date", "2026-11-26"]);
    assert!(
        text.contains("Shift lead's analysis\n  Fever clinic visits falling.\n  # not a heading"),
        "{text}"
    );
    assert!(!text.contains('\u{1b}'));
    let md = t.out(&["report", "--format", "md", "--date", "2026-11-26"]);
    assert!(md.contains("## Shift lead's analysis"), "{md}");
    assert!(md.contains("\n\\# not a heading"), "{md}");
    assert!(!md.lines().any(|l| l.starts_with("# not")), "{md}");
    // rewriting is allowed until the day is signed, then exit 3
    t.cmd()
        .args(["report", "note", "--date", "2026-11-26", "Visits falling."])
        .assert()
        .success();
    t.cmd()
        .args([
            "report",
            "sign",
            "--date",
            "2026-11-26",
            "--reason",
            "drill",
        ])
        .assert()
        .success();
    t.cmd()
        .args(["report", "note", "--date", "2026-11-26", "too late"])
        .assert()
        .code(3);
    t.cmd()
        .args(["report", "note", "--date", "2026-11-25", " "])
        .assert()
        .code(2);
    assert_eq!(t.json("2026-11-26")["note"], json!("Visits falling."));
    let actions: Vec<String> = audit(&t.db, "day:2026-11-26")
        .into_iter()
        .map(|a| a.0)
        .collect();
    assert_eq!(actions, ["report.note", "report.note", "report.sign"]);
}

#[test]
fn a_range_exports_as_csv_that_imports_back_unchanged_and_as_json() {
    let t = Town::with_history();
    let csv = t.out(&[
        "report",
        "--from",
        "2026-11-19",
        "--to",
        "2026-11-26",
        "--format",
        "csv",
    ]);
    assert_eq!(csv, format!("{HEADER}\n{HISTORY}"));
    // into a fresh database, then out again: the same bytes
    let fresh = Town::new_at("fresh.db");
    let f = fresh.dir.path().join("range.csv");
    std::fs::write(&f, &csv).unwrap();
    fresh
        .cmd()
        .args(["import", "reports"])
        .arg(&f)
        .assert()
        .success();
    let again = fresh.out(&[
        "report",
        "--from",
        "2026-11-19",
        "--to",
        "2026-11-26",
        "--format",
        "csv",
    ]);
    assert_eq!(again, csv);
    // JSON: one report per day, the same as each day's own report, streamed through
    // cli::stream as every long listing: the bytes serde_json prints for the whole array
    let text = t.out(&[
        "report",
        "--from",
        "2026-11-21",
        "--to",
        "2026-11-26",
        "--format",
        "json",
    ]);
    let arr: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        text,
        format!("{}\n", serde_json::to_string_pretty(&arr).unwrap())
    );
    let arr = arr.as_array().unwrap();
    assert_eq!(arr.len(), 6);
    for (i, day) in ["21", "22", "23", "24", "25", "26"].iter().enumerate() {
        assert_eq!(arr[i], t.json(&format!("2026-11-{day}")), "{day}");
    }
    // a range is csv or json, and runs forward
    t.cmd()
        .args(["report", "--from", "2026-11-21", "--to", "2026-11-26"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("csv or json"));
    t.cmd()
        .args([
            "report",
            "--from",
            "2026-11-26",
            "--to",
            "2026-11-21",
            "--format",
            "csv",
        ])
        .assert()
        .code(2);
    t.cmd()
        .args(["report", "--from", "2026-11-21", "--format", "csv"])
        .assert()
        .code(2);
}
