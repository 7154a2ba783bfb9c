//! Issue 17: `capacity set|list`, the report's `facilities`, and the `low_equipment` rule
//! (fewer oximeters than town `[rules] min_oximeters_hc` at a health center, or beds
//! occupied at 90 % or more), raised and cleared like the other rules.

use crate::common;

use serde_json::{Value, json};

fn json_out(db: &std::path::Path, args: &[&str]) -> Value {
    let out = common::cli(db).args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {out:?}");
    serde_json::from_slice(&out.stdout).unwrap()
}

fn equipment_subjects(db: &std::path::Path) -> Vec<(String, String)> {
    let v = json_out(db, &["escalation", "list", "--format", "json"]);
    v.as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == json!("low_equipment"))
        .map(|e| {
            (
                e["place"].as_str().unwrap_or("").to_string(),
                e["title"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn capacity_is_recorded_listed_and_in_the_report() {
    let db = common::demo_db();
    let p = &db.path;
    common::cli(p)
        .args([
            "capacity",
            "set",
            "--place",
            "HC1",
            "--beds-occupied",
            "30",
            "--oximeters",
            "25",
            "--oxygen-concentrators",
            "3",
            "--oxygen-bags",
            "20",
            "--fever-clinic",
            "open",
        ])
        .assert()
        .success()
        .stdout("Facilities recorded for Qingshi Central Health Center.\n");
    // only the figures given change
    common::cli(p)
        .args(["capacity", "set", "--place", "HC1", "--oxygen-bags", "18"])
        .assert()
        .success();
    let list = json_out(p, &["capacity", "list", "--format", "json"]);
    assert_eq!(
        list[0],
        json!({
            "code": "HC1", "name": "Qingshi Central Health Center", "beds": 40,
            "beds_occupied": 30, "oxygen_concentrators": 3, "oxygen_bags": 18,
            "oximeters": 25, "fever_clinic": "open",
            "drug_packs": 4100, "antigen_kits": 3800, "reserve_line": 2655,
        })
    );
    assert_eq!(list[1]["code"], json!("HC2"));
    assert_eq!(
        list[1]["beds_occupied"],
        Value::Null,
        "never given is null, not 0"
    );
    let report = json_out(p, &["report", "--format", "json"]);
    assert_eq!(report["facilities"], list);
    let text = common::cli(p).args(["report"]).output().unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("Health center facilities"), "{text}");
    assert!(text.contains("30/40"), "{text}");
    // refused: not a health center, more beds than it has, nothing to record, a bad
    // fever-clinic state, a negative count; nothing changes
    for (args, msg) in [
        (
            vec!["--place", "V01", "--oximeters", "3"],
            "--place: not a health center: V01",
        ),
        (
            vec!["--place", "HC2", "--beds-occupied", "21"],
            "--beds-occupied: 21 beds occupied, but the health center has 20",
        ),
        (vec!["--place", "HC2"], "nothing to record"),
        (
            vec!["--place", "HC2", "--fever-clinic", "maybe"],
            "--fever-clinic: the fever clinic is open or closed",
        ),
        (vec!["--place", "HC2", "--oximeters=-1"], "--oximeters"),
    ] {
        common::cli(p)
            .args(["capacity", "set"])
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(msg));
    }
    assert_eq!(json_out(p, &["capacity", "list", "--format", "json"]), list);
    // a village doctor may not record a health center's facilities
    common::cli(p)
        .args([
            "--operator",
            "蒋文斌",
            "capacity",
            "set",
            "--place",
            "HC1",
            "--oximeters",
            "1",
        ])
        .assert()
        .code(4);
    let store = duty_desk::store::Store::open(p).unwrap();
    let actions: Vec<String> = store
        .audit_for("capacity:HC1")
        .unwrap()
        .into_iter()
        .map(|a| a.action)
        .collect();
    assert_eq!(actions, ["capacity.set", "capacity.set"]);
}

#[test]
fn low_equipment_is_raised_and_cleared() {
    let db = common::demo_db();
    let p = &db.path;
    assert!(equipment_subjects(p).is_empty());
    // 19 oximeters: one short of the seeds' 20; 36 of 40 beds: 90 %
    common::cli(p)
        .args([
            "capacity",
            "set",
            "--place",
            "HC1",
            "--oximeters",
            "19",
            "--beds-occupied",
            "35",
        ])
        .assert()
        .success();
    assert_eq!(
        equipment_subjects(p),
        [(
            "HC1".to_string(),
            "Fewer pulse oximeters than required at Qingshi Central Health Center".to_string()
        )]
    );
    common::cli(p)
        .args(["capacity", "set", "--place", "HC1", "--beds-occupied", "36"])
        .assert()
        .success();
    assert_eq!(equipment_subjects(p).len(), 2);
    // enough oximeters, beds freed: both clear by themselves
    common::cli(p)
        .args([
            "capacity",
            "set",
            "--place",
            "HC1",
            "--oximeters",
            "20",
            "--beds-occupied",
            "10",
        ])
        .assert()
        .success();
    assert!(equipment_subjects(p).is_empty());
    let all = json_out(p, &["escalation", "list", "--all", "--format", "json"]);
    let resolved = all
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == json!("low_equipment") && e["state"] == json!("resolved"))
        .count();
    assert_eq!(resolved, 2);
}

#[test]
fn the_town_sets_its_own_oximeter_minimum() {
    let dir = tempfile::tempdir().unwrap();
    let town = dir.path().join("town.toml");
    let demo = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo/town.toml"),
    )
    .unwrap();
    let src = if demo.contains("[rules]") {
        demo.replacen("[rules]", "[rules]\nmin_oximeters_hc = 5", 1)
    } else {
        format!("{demo}\n[rules]\nmin_oximeters_hc = 5\n")
    };
    std::fs::write(&town, src).unwrap();
    let db = dir.path().join("duty.db");
    common::cli(&db)
        .args(["init", "--town"])
        .arg(&town)
        .assert()
        .success();
    common::cli(&db)
        .args(["capacity", "set", "--place", "HC2", "--oximeters", "5"])
        .assert()
        .success();
    assert!(equipment_subjects(&db).is_empty());
    common::cli(&db)
        .args(["capacity", "set", "--place", "HC2", "--oximeters", "4"])
        .assert()
        .success();
    assert_eq!(equipment_subjects(&db).len(), 1);
    // out of range is refused with its range
    let bad = std::fs::read_to_string(&town)
        .unwrap()
        .replace("min_oximeters_hc = 5", "min_oximeters_hc = -1");
    std::fs::write(&town, bad).unwrap();
    common::cli(&dir.path().join("other.db"))
        .args(["init", "--town"])
        .arg(&town)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("min_oximeters_hc"));
}
