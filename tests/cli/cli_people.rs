//! `people …` on the command line (issue 15): the import's problems by file, line and
//! column, the summary, privacy of lists, the JSON contract, the concern and the hints,
//! who may run what, and bad input.
use crate::common;

use std::path::Path;

use serde_json::Value;

const HEADER: &str = "village,name,age,sex,phone,address,conditions,level,cadre,doctor";
const REGISTER: &str = "V01,测试甲,82,男,13800001111,一组3号,慢阻肺,red,李干部,王医生
青龙村,测试乙,70,女,,二组,,yellow,赵干部,周医生
V02,测试丙,66,,13900002222,,,green,赵干部,周医生
";

fn write_csv(dir: &Path, body: &str) -> std::path::PathBuf {
    let p = dir.join("people.csv");
    std::fs::write(&p, format!("{HEADER}\n{body}")).unwrap();
    p
}

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

fn imported(db: &common::DemoDb) {
    let f = write_csv(db.dir.path(), REGISTER);
    ok(&db.path, &["people", "import", f.to_str().unwrap()]);
}

fn id_of(rows: &Value, name: &str) -> i64 {
    rows.as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name)
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

#[test]
fn import_says_what_it_did_and_a_dry_run_writes_nothing() {
    let db = common::demo_db();
    let f = write_csv(db.dir.path(), REGISTER);
    let f = f.to_str().unwrap();
    let out = ok(&db.path, &["people", "import", f, "--dry-run"]);
    assert!(out.contains("3 new, 0 updated, 0 unchanged"), "{out}");
    let rows = json(&db.path, &["people", "list", "--format", "json"]);
    assert!(
        rows.as_array()
            .unwrap()
            .iter()
            .all(|r| r["name"] != "测试甲")
    );
    let out = ok(&db.path, &["people", "import", f]);
    assert!(out.contains("3 new, 0 updated, 0 unchanged"), "{out}");
    write_csv(db.dir.path(), &REGISTER.replace("测试乙,70", "测试乙,71"));
    let out = ok(&db.path, &["people", "import", f]);
    assert!(out.contains("0 new, 1 updated, 2 unchanged"), "{out}");
}

#[test]
fn every_problem_of_the_file_is_named_and_nothing_is_imported() {
    let db = common::demo_db();
    let f = write_csv(
        db.dir.path(),
        "V99,甲,70,男,13800001111,,,red,,
V01,,70,男,13800001111,,,red,,
V01,乙,200,男,13800001111,,,red,,
V01,丙,70,男,phone,,,red,,
V01,丁,70,男,13800001111,,,orange,,
V01,戊,70,男,13800001112,,,red,,
V01,戊,70,男,13800001112,,,red,,
V01,己\u{7},70,男,13800001113,,,red,,
V01,庚,70,?,13800001114,,,red,,
",
    );
    let out = run(&db.path, &["people", "import", f.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    let name = f.display().to_string();
    for want in [
        format!("{name}:2: village: unknown village: V99"),
        format!("{name}:3: name: required"),
        format!("{name}:4: age: not an age from 0 to 130: 200"),
        format!("{name}:5: phone: not a phone number (5 to 20 digits): phone"),
        format!("{name}:6: level: not a level (red, yellow, green): orange"),
        format!("{name}:8: name: the same person (village, name, phone) is already on line 7"),
        format!("{name}:9: name: control characters are not allowed"),
        format!("{name}:10: sex: not a sex (男, 女, male, female): ?"),
        "8 problem(s); nothing was imported.".to_string(),
    ] {
        assert!(err.contains(&want), "missing {want:?} in\n{err}");
    }
    let rows = json(&db.path, &["people", "list", "--format", "json"]);
    assert!(rows.as_array().unwrap().iter().all(|r| r["name"] != "戊"));
    // a wrong header is one line
    std::fs::write(&f, "village,name\nV01,a\n").unwrap();
    let out = run(&db.path, &["people", "import", f.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(":1: -: the first line must be the header")
    );
}

#[test]
fn lists_mask_names_and_phones_and_keep_conditions_for_the_detail() {
    let db = common::demo_db();
    imported(&db);
    let text = ok(&db.path, &["people", "list", "--village", "V01"]);
    assert!(
        text.contains("测*甲") && text.contains("138****1111"),
        "{text}"
    );
    assert!(
        !text.contains("测试甲") && !text.contains("13800001111"),
        "{text}"
    );
    assert!(
        !text.contains("慢阻肺"),
        "conditions only in the detail: {text}"
    );
    assert!(
        text.lines().next().unwrap().starts_with("id"),
        "a header row: {text}"
    );
    let rows = json(
        &db.path,
        &["people", "list", "--format", "json", "--village", "V01"],
    );
    let id = id_of(&rows, "测试甲");
    let p = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap();
    for key in [
        "id",
        "village",
        "name",
        "age",
        "level",
        "cadre",
        "doctor",
        "phone",
        "last_contact",
        "next_due",
        "overdue",
        "contacts_this_week",
        "required_per_week",
    ] {
        assert!(p.get(key).is_some(), "field {key}: {p}");
    }
    assert_eq!(p["phone"], "13800001111");
    assert!(p.get("conditions").is_none());
    let detail = ok(&db.path, &["people", "show", &id.to_string()]);
    assert!(
        detail.contains("测试甲") && detail.contains("慢阻肺") && detail.contains("13800001111")
    );
    let zh = ok(
        &db.path,
        &["--lang", "zh", "people", "list", "--village", "V01"],
    );
    assert!(
        zh.contains("测*甲") && zh.contains("红色") && !zh.contains("测试甲"),
        "{zh}"
    );
}

#[test]
fn due_lists_who_is_due_and_flags_the_overdue() {
    let db = common::demo_db();
    imported(&db);
    let rows = json(&db.path, &["people", "list", "--format", "json"]);
    let red = id_of(&rows, "测试甲");
    let green = id_of(&rows, "测试丙");
    // imported today (11-26): all due today, none overdue
    let due = json(&db.path, &["people", "due", "--format", "json"]);
    let mine = |v: &Value, id: i64| {
        v.as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .cloned()
    };
    assert_eq!(mine(&due, red).unwrap()["overdue"], false);
    ok(
        &db.path,
        &[
            "people",
            "contact",
            &red.to_string(),
            "--method",
            "visit",
            "--outcome",
            "stable",
        ],
    );
    let due = json(&db.path, &["people", "due", "--format", "json"]);
    assert!(mine(&due, red).is_none(), "contacted today: not due");
    // red every 2 days: due on the 28th, overdue on the 29th; green overdue from the 27th
    let on = |d: &str| {
        json(
            &db.path,
            &["people", "due", "--date", d, "--format", "json"],
        )
    };
    let d28 = on("2026-11-28");
    assert_eq!(mine(&d28, red).unwrap()["overdue"], false);
    assert_eq!(mine(&d28, red).unwrap()["next_due"], "2026-11-28");
    assert_eq!(mine(&d28, red).unwrap()["contacts_this_week"], 1);
    assert_eq!(mine(&on("2026-11-29"), red).unwrap()["overdue"], true);
    assert_eq!(mine(&on("2026-11-27"), green).unwrap()["overdue"], true);
    // a call on Sunday the 29th (same ISO week) is after the 28th: the 28th's standing is
    // unchanged, its week count included (found by an independent check of the rule: the
    // week's count took in the calls after the asked day while next_due did not)
    let sunday = common::cli(&db.path)
        .env("DUTY_DESK_NOW", "2026-11-29T09:00:00+08:00")
        .args(["people", "contact", &red.to_string()])
        .args(["--method", "phone", "--outcome", "stable"])
        .output()
        .unwrap();
    assert!(sunday.status.success(), "{sunday:?}");
    let d28 = on("2026-11-28");
    assert_eq!(mine(&d28, red).unwrap()["next_due"], "2026-11-28");
    assert_eq!(mine(&d28, red).unwrap()["contacts_this_week"], 1);
    let d29 = on("2026-11-29");
    assert!(mine(&d29, red).is_none(), "called on the 29th: not due");
    let v02 = json(
        &db.path,
        &["people", "due", "--village", "V02", "--format", "json"],
    );
    assert!(
        v02.as_array()
            .unwrap()
            .iter()
            .all(|r| r["village"] == "V02")
    );
    let out = run(&db.path, &["people", "due", "--date", "2026-13-01"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn worse_for_a_red_level_person_raises_a_concern_and_hints_at_transport() {
    let db = common::demo_db();
    imported(&db);
    let rows = json(&db.path, &["people", "list", "--format", "json"]);
    let red = id_of(&rows, "测试甲").to_string();
    let out = ok(
        &db.path,
        &[
            "people",
            "contact",
            &red,
            "--method",
            "phone",
            "--outcome",
            "worse",
            "--note",
            "气促",
        ],
    );
    assert!(out.contains("Concern #"), "{out}");
    assert!(
        out.contains("duty-desk transport request --village V01 --patient '测试甲' --age 82"),
        "{out}"
    );
    let escalations = json(&db.path, &["escalation", "list", "--format", "json"]);
    let concern = escalations
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "concern" && e["title"].as_str().unwrap().contains("测*甲"))
        .unwrap();
    assert_eq!(concern["due"], "2026-11-26T04:30:00Z");
    let out = ok(
        &db.path,
        &[
            "people",
            "contact",
            &red,
            "--method",
            "visit",
            "--outcome",
            "referred",
        ],
    );
    assert!(
        out.contains("escalation add --kind referral --village V01"),
        "{out}"
    );
    assert!(!out.contains("Concern #"), "{out}");
    let out = ok(
        &db.path,
        &[
            "people",
            "contact",
            &red,
            "--method",
            "phone",
            "--outcome",
            "unreachable",
            "--at",
            "2026-11-26 09:00",
        ],
    );
    assert!(out.contains("Concern #"), "{out}");
    let shown = json(&db.path, &["people", "show", &red, "--format", "json"]);
    assert_eq!(shown["contacts"].as_array().unwrap().len(), 3);
    assert_eq!(
        shown["contacts"][2]["at"], "2026-11-26T01:00:00Z",
        "town time 09:00"
    );
}

#[test]
fn the_week_sums_per_village_and_level() {
    let db = common::demo_db();
    imported(&db);
    let rows = json(&db.path, &["people", "list", "--format", "json"]);
    let yellow = id_of(&rows, "测试乙").to_string();
    ok(
        &db.path,
        &[
            "people",
            "contact",
            &yellow,
            "--method",
            "phone",
            "--outcome",
            "stable",
        ],
    );
    let week = json(&db.path, &["people", "week", "--format", "json"]);
    assert_eq!(week["week"], "2026-W48");
    let row = week["villages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "V02" && r["level"] == "yellow")
        .unwrap()
        .clone();
    for key in ["code", "level", "people", "required", "done"] {
        assert!(row.get(key).is_some(), "{key}");
    }
    assert!(row["done"].as_i64().unwrap() >= 1);
    let other = json(
        &db.path,
        &["people", "week", "--week", "2026-W53", "--format", "json"],
    );
    assert_eq!(other["week"], "2026-W53");
    let out = run(&db.path, &["people", "week", "--week", "2027-W53"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not an ISO week"));
}

#[test]
fn officers_record_contacts_and_only_the_shift_lead_imports_and_grades() {
    let db = common::demo_db();
    let f = write_csv(db.dir.path(), REGISTER);
    let out = common::cli(&db.path)
        .args([
            "--operator",
            "何丽君",
            "people",
            "import",
            f.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("import the key-population register"));
    let out = common::cli(&db.path)
        .args([
            "--operator",
            "冉小东",
            "people",
            "import",
            f.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = json(&db.path, &["people", "list", "--format", "json"]);
    let id = id_of(&rows, "测试丙").to_string();
    let as_ = |op: &str, args: &[&str]| {
        common::cli(&db.path)
            .args(["--operator", op])
            .args(args)
            .output()
            .unwrap()
    };
    let contact = [
        "people",
        "contact",
        &id,
        "--method",
        "phone",
        "--outcome",
        "stable",
    ];
    assert!(as_("何丽君", &contact).status.success());
    assert_eq!(
        as_("邓宇航", &contact).status.code(),
        Some(4),
        "dispatchers do not"
    );
    let level = ["people", "level", &id, "red", "--reason", "fell"];
    assert_eq!(as_("何丽君", &level).status.code(), Some(4));
    assert!(as_("冉小东", &level).status.success());
    assert_eq!(as_("冉小东", &level).status.code(), Some(2), "already red");
    // reading needs no operator and never writes
    let out = common::cli(&db.path)
        .env_remove("DUTY_DESK_OPERATOR")
        .args(["people", "due"])
        .output()
        .unwrap();
    assert!(out.status.success());
}

#[test]
fn bad_input_is_refused_with_exit_2() {
    let db = common::demo_db();
    imported(&db);
    for args in [
        vec![
            "people",
            "contact",
            "999999",
            "--method",
            "phone",
            "--outcome",
            "stable",
        ],
        vec![
            "people",
            "contact",
            "1",
            "--method",
            "fax",
            "--outcome",
            "stable",
        ],
        vec![
            "people",
            "contact",
            "1",
            "--method",
            "phone",
            "--outcome",
            "stable",
            "--at",
            "yesterday",
        ],
        vec![
            "people",
            "contact",
            "1",
            "--method",
            "phone",
            "--outcome",
            "stable",
            "--at",
            "2026-11-27 09:00",
        ],
        vec!["people", "list", "--village", "V99"],
        vec!["people", "list", "--level", "blue"],
        vec!["people", "level", "1", "red", "--reason", ""],
        vec!["people", "show", "999999"],
    ] {
        let out = run(&db.path, &args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let help = ok(&db.path, &["people", "--help"]);
    for cmd in ["import", "list", "show", "contact", "level", "due", "week"] {
        assert!(help.contains(cmd), "{cmd} in help");
    }
}

#[test]
fn the_demo_town_has_a_register_in_every_village_with_a_few_overdue() {
    let db = common::demo_db();
    let rows = json(&db.path, &["people", "list", "--format", "json"]);
    let rows = rows.as_array().unwrap();
    for v in [
        "V01", "V02", "V03", "V04", "V05", "V06", "V07", "V08", "V09", "V10", "V11", "V12",
    ] {
        let mine: Vec<_> = rows.iter().filter(|r| r["village"] == v).collect();
        assert!(mine.len() >= 10, "{v}: {}", mine.len());
        for level in ["red", "yellow", "green"] {
            assert!(mine.iter().any(|r| r["level"] == level), "{v} {level}");
        }
    }
    let overdue = rows.iter().filter(|r| r["overdue"] == true).count();
    assert_eq!(overdue, 3, "a few overdue");
    let due = json(&db.path, &["people", "due", "--format", "json"]);
    assert!(
        due.as_array()
            .unwrap()
            .iter()
            .any(|r| r["overdue"] == false),
        "some due today"
    );
    assert!(
        rows.iter()
            .any(|r| r["contacts_this_week"].as_i64().unwrap() > 0)
    );
}

#[test]
fn the_daily_report_carries_the_weekly_follow_up_mechanism() {
    let db = common::demo_db();
    let report = json(&db.path, &["report", "--format", "json"]);
    assert_eq!(report["follow_up"]["week"], "2026-W48");
    let rows = report["follow_up"]["villages"].as_array().unwrap();
    let week = json(&db.path, &["people", "week", "--format", "json"]);
    assert_eq!(
        rows,
        week["villages"].as_array().unwrap(),
        "the same figures as people week"
    );
    let v01_red = rows
        .iter()
        .find(|r| r["code"] == "V01" && r["level"] == "red")
        .unwrap();
    assert_eq!(v01_red["required"], v01_red["people"].as_i64().unwrap() * 3);
    // the fields the contract already had are still there
    for key in [
        "date", "town", "status", "totals", "change", "villages", "missing",
    ] {
        assert!(report.get(key).is_some(), "{key}");
    }
    let text = ok(&db.path, &["report"]);
    assert!(
        text.contains("Weekly follow-up mechanism (2026-W48)"),
        "{text}"
    );
    let md = ok(&db.path, &["--lang", "zh", "report", "--format", "md"]);
    assert!(md.contains("## 每周随访机制运行情况（2026-W48）"), "{md}");
    assert!(md.contains("| V01 石桥社区 | 红色 |"), "{md}");
}

#[test]
fn the_overdue_contact_rule_raises_one_per_village_and_clears() {
    let db = common::demo_db();
    let due = json(&db.path, &["people", "due", "--format", "json"]);
    let mut overdue: std::collections::BTreeMap<String, Vec<i64>> = Default::default();
    for r in due
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["overdue"] == true)
    {
        overdue
            .entry(r["village"].as_str().unwrap().to_string())
            .or_default()
            .push(r["id"].as_i64().unwrap());
    }
    assert!(!overdue.is_empty());
    let rule = |db: &Path| -> Vec<Value> {
        json(db, &["escalation", "list", "--format", "json"])
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["kind"] == "overdue_contact")
            .cloned()
            .collect()
    };
    let open = rule(&db.path);
    assert_eq!(open.len(), overdue.len(), "one per village: {open:?}");
    for (village, ids) in &overdue {
        let e = open
            .iter()
            .find(|e| e["village"] == village.as_str())
            .unwrap();
        let want = format!(
            ": {} key-population person(s) overdue for contact",
            ids.len()
        );
        assert!(e["title"].as_str().unwrap().ends_with(&want), "{e}");
    }
    // listed again: still one per village
    assert_eq!(rule(&db.path).len(), overdue.len());
    // the first village's people are called: its escalation clears, the others stay
    let (village, ids) = overdue.iter().next().unwrap();
    for id in ids {
        ok(
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
    }
    let after = rule(&db.path);
    assert_eq!(after.len(), overdue.len() - 1);
    assert!(after.iter().all(|e| e["village"] != village.as_str()));
    let all = json(
        &db.path,
        &["escalation", "list", "--all", "--format", "json"],
    );
    let cleared = all
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "overdue_contact" && e["village"] == village.as_str())
        .unwrap();
    assert_eq!(cleared["state"], "resolved");
    // in the handover's action list
    let handover = ok(&db.path, &["handover", "show", "--format", "json"]);
    assert!(handover.contains("overdue_contact"), "{handover}");
    let zh = ok(&db.path, &["--lang", "zh", "escalation", "list"]);
    assert!(zh.contains("名重点人群随访超期"), "{zh}");
}

#[test]
fn the_town_file_sets_the_contacts_a_week() {
    let db = common::demo_db();
    imported(&db);
    let shown = ok(&db.path, &["town", "show"]);
    assert!(
        shown.contains(
            "[key_populations]\nred_per_week = 3\nyellow_per_week = 2\ngreen_per_week = 1\n"
        ),
        "{shown}"
    );
    let rows = json(&db.path, &["people", "list", "--format", "json"]);
    let red = id_of(&rows, "测试甲").to_string();
    ok(
        &db.path,
        &[
            "people",
            "contact",
            &red,
            "--method",
            "phone",
            "--outcome",
            "stable",
        ],
    );
    let next = |db: &Path| {
        let rows = json(db, &["people", "list", "--format", "json"]);
        let p = rows
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == "测试甲")
            .unwrap()
            .clone();
        (
            p["next_due"].as_str().unwrap().to_string(),
            p["required_per_week"].as_i64().unwrap(),
        )
    };
    assert_eq!(next(&db.path), ("2026-11-28".to_string(), 3));
    let f = db.dir.path().join("town.toml");
    std::fs::write(&f, shown.replace("red_per_week = 3", "red_per_week = 7")).unwrap();
    let out = ok(&db.path, &["town", "apply", f.to_str().unwrap()]);
    assert!(out.contains("red_per_week"), "{out}");
    assert_eq!(next(&db.path), ("2026-11-27".to_string(), 7), "daily now");
    std::fs::write(&f, shown.replace("red_per_week = 3", "red_per_week = 8")).unwrap();
    let out = run(&db.path, &["town", "apply", f.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("key_populations.red_per_week"));
}

/// The count in an open overdue_contact escalation's title follows the village: one more
/// person overdue (or one fewer) while it stays open changes its title, not a new one.
#[test]
fn the_overdue_count_in_the_title_stays_current_while_open() {
    let db = common::demo_db();
    let title_of = |db: &Path, village: &str| -> (i64, String) {
        let all = json(db, &["escalation", "list", "--format", "json"]);
        let e = all
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["kind"] == "overdue_contact" && e["village"] == village)
            .unwrap()
            .clone();
        (
            e["id"].as_i64().unwrap(),
            e["title"].as_str().unwrap().to_string(),
        )
    };
    // the demo's V07 has two overdue
    let (id, title) = title_of(&db.path, "V07");
    assert!(
        title.ends_with(": 2 key-population person(s) overdue for contact"),
        "{title}"
    );
    let due = json(
        &db.path,
        &["people", "due", "--village", "V07", "--format", "json"],
    );
    let first = due
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["overdue"] == true)
        .unwrap()["id"]
        .to_string();
    ok(
        &db.path,
        &[
            "people",
            "contact",
            &first,
            "--method",
            "phone",
            "--outcome",
            "stable",
        ],
    );
    let (same, title) = title_of(&db.path, "V07");
    assert_eq!(same, id, "the same escalation");
    assert!(
        title.ends_with(": 1 key-population person(s) overdue for contact"),
        "{title}"
    );
    let zh = ok(&db.path, &["--lang", "zh", "escalation", "list"]);
    assert!(zh.contains("松坪村：1 名重点人群随访超期"), "{zh}");
}

/// The demo town's invented register gives way to the first real one imported: the call
/// list, the weekly figures and the overdue_contact escalations then hold only the real
/// people (a town trying the desk with its own register must not chase invented ones).
#[test]
fn the_first_real_register_retires_the_demo_towns_invented_people() {
    let db = common::demo_db();
    let before = json(&db.path, &["people", "list", "--format", "json"]);
    let invented = before.as_array().unwrap().len();
    assert!(invented > 100, "{invented}");
    let f = write_csv(db.dir.path(), REGISTER);
    let f = f.to_str().unwrap();
    // a dry run says so and changes nothing
    let out = ok(&db.path, &["people", "import", f, "--dry-run"]);
    assert!(
        out.contains(&format!("{invented} invented people")),
        "{out}"
    );
    let same = json(&db.path, &["people", "list", "--format", "json"]);
    assert_eq!(same.as_array().unwrap().len(), invented);
    let out = ok(&db.path, &["people", "import", f]);
    assert!(out.contains("3 new, 0 updated, 0 unchanged"), "{out}");
    assert!(
        out.contains(&format!("{invented} invented people")),
        "{out}"
    );
    let rows = json(&db.path, &["people", "list", "--format", "json"]);
    let mut names: Vec<_> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_string())
        .collect();
    names.sort();
    assert_eq!(names, ["测试丙", "测试乙", "测试甲"]);
    // nobody real is overdue on the day of import: no overdue_contact stays open
    let open = json(&db.path, &["escalation", "list", "--format", "json"]);
    assert!(
        open.as_array()
            .unwrap()
            .iter()
            .all(|e| e["kind"] != "overdue_contact"),
        "{open}"
    );
    let week = json(&db.path, &["people", "week", "--format", "json"]);
    let people: i64 = week["villages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["people"].as_i64().unwrap())
        .sum();
    assert_eq!(people, 3);
    // a second import retires nobody more and says nothing of the demo
    let out = ok(&db.path, &["people", "import", f]);
    assert!(!out.contains("invented"), "{out}");
    assert!(out.contains("0 new, 0 updated, 3 unchanged"), "{out}");
}
