//! `duty-desk init --town FILE.toml`: a good file, one test per validation error, and the
//! never-overwrite rule.

use crate::common;

use predicates::str::contains;

const GOOD: &str = r#"
[town]
name = "测试镇"
name_en = "Test Town"
report_cutoff = "10:00"
shift_start = "08:30"

[[health_center]]
code = "HC1"
name = "测试镇卫生院"

[[hospital]]
code = "DH"
name = "区人民医院"

[[village]]
code = "V1"
name = "一村"
name_en = "Yi Village"
population = 1000
health_center = "HC1"
neighbours = ["V2"]

[[village]]
code = "V2"
name = "二村"
population = 800
health_center = "HC1"

[[vehicle]]
code = "AMB1"
kind = "ambulance"
base = "HC1"

[[vehicle]]
code = "RC1"
kind = "reserve_car"
base = "V1"
driver = "李四"

[[staff]]
name = "王一"
role = "duty_leader"
"#;

fn init_with(
    text: &str,
) -> (
    tempfile::TempDir,
    std::path::PathBuf,
    assert_cmd::assert::Assert,
) {
    let dir = tempfile::tempdir().unwrap();
    let town = dir.path().join("town.toml");
    std::fs::write(&town, text).unwrap();
    let db = dir.path().join("town.db");
    let a = common::cli(&db)
        .args(["init", "--town"])
        .arg(&town)
        .assert();
    (dir, db, a)
}

fn refused(text: &str, key: &str, words: &str) {
    let (_dir, db, a) = init_with(text);
    a.code(2).stderr(contains(key)).stderr(contains(words));
    assert!(!db.exists(), "no database may be created from a bad file");
}

#[test]
fn a_good_town_file_creates_a_database() {
    let (_dir, db, a) = init_with(GOOD);
    a.success().stdout(contains("2 villages"));
    assert!(db.exists());
    common::cli(&db)
        .args(["vehicles", "--format", "json"])
        .assert()
        .success()
        .stdout(contains("\"RC1\""))
        .stdout(contains("\"available\""));
}

#[test]
fn an_unknown_key_is_named() {
    refused(
        &GOOD.replace("shift_start", "colour = \"red\"\nshift_start"),
        "town.colour",
        "unknown key",
    );
}

#[test]
fn a_duplicate_code_is_named() {
    refused(
        &GOOD.replace("code = \"V2\"", "code = \"V1\""),
        "village[2].code",
        "duplicate code V1",
    );
}

#[test]
fn a_vehicle_based_at_a_place_that_does_not_exist_is_named() {
    refused(
        &GOOD.replace("base = \"V1\"", "base = \"V9\""),
        "vehicle[2].base",
        "V9",
    );
}

#[test]
fn a_village_served_by_an_unknown_health_center_is_named() {
    refused(
        &GOOD.replace(
            "population = 800\nhealth_center = \"HC1\"",
            "population = 800\nhealth_center = \"HC7\"",
        ),
        "village[2].health_center",
        "HC7",
    );
}

#[test]
fn a_population_that_is_not_a_positive_integer_is_named() {
    refused(
        &GOOD.replace("population = 1000", "population = 0"),
        "village[1].population",
        "from 1 to 10000000",
    );
    refused(
        &GOOD.replace("population = 1000", "population = \"many\""),
        "village[1].population",
        "from 1 to 10000000",
    );
    refused(
        &GOOD.replace("population = 1000", "population = 10.5"),
        "village[1].population",
        "from 1 to 10000000",
    );
}

#[test]
fn malformed_times_are_named() {
    refused(
        &GOOD.replace("\"10:00\"", "\"25:00\""),
        "town.report_cutoff",
        "25:00",
    );
    refused(
        &GOOD.replace("\"08:30\"", "\"half past eight\""),
        "town.shift_start",
        "half past eight",
    );
}

#[test]
fn every_problem_is_listed_not_only_the_first() {
    let bad = GOOD
        .replace("population = 1000", "population = -1")
        .replace("base = \"V1\"", "base = \"V9\"")
        .replace("\"10:00\"", "\"10h\"");
    let (_dir, _db, a) = init_with(&bad);
    let out = a.code(2).get_output().stderr.clone();
    let text = String::from_utf8(out).unwrap();
    assert!(text.lines().count() >= 3, "{text}");
    for key in [
        "village[1].population",
        "vehicle[2].base",
        "town.report_cutoff",
    ] {
        assert!(text.contains(key), "{key} missing from:\n{text}");
    }
}

#[test]
fn problems_are_explained_in_chinese_too() {
    let dir = tempfile::tempdir().unwrap();
    let town = dir.path().join("town.toml");
    std::fs::write(&town, GOOD.replace("population = 1000", "population = 0")).unwrap();
    common::cli(&dir.path().join("x.db"))
        .args(["--lang", "zh", "init", "--town"])
        .arg(&town)
        .assert()
        .code(2)
        .stderr(contains("应为 1 至 10000000 之间的整数"));
}

#[test]
fn init_never_overwrites_an_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    let town = dir.path().join("town.toml");
    std::fs::write(&town, GOOD).unwrap();
    let db = dir.path().join("town.db");
    let content = b"not a database, but somebody's file".to_vec();
    std::fs::write(&db, &content).unwrap();
    common::cli(&db)
        .args(["init", "--town"])
        .arg(&town)
        .assert()
        .code(2)
        .stderr(contains("already exists"));
    assert_eq!(
        std::fs::read(&db).unwrap(),
        content,
        "file must be unchanged byte for byte"
    );
}

#[test]
fn init_never_overwrites_an_existing_database() {
    let (_dir, db, a) = init_with(GOOD);
    a.success();
    let before = std::fs::read(&db).unwrap();
    let town = db.parent().unwrap().join("town.toml");
    common::cli(&db)
        .args(["init", "--town"])
        .arg(&town)
        .assert()
        .code(2);
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn a_missing_town_file_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    common::cli(&dir.path().join("x.db"))
        .args(["init", "--town", "/nonexistent/town.toml"])
        .assert()
        .code(2)
        .stderr(contains("/nonexistent/town.toml"));
}

#[test]
fn the_demo_town_file_is_valid() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    common::cli(&db)
        .args([
            "init",
            "--town",
            concat!(env!("CARGO_MANIFEST_DIR"), "/data/demo/town.toml"),
        ])
        .assert()
        .success()
        .stdout(contains("12 villages"));
}
