//! Bounds on every figure (issue 12): a count is at most the village's population and at
//! most 10,000,000, refused in the form (app reducer), the import (FILE:LINE: column) and
//! the store (CHECK constraints and triggers); a huge figure can no longer take a day down.

use crate::common;

use std::path::{Path, PathBuf};

use crossterm::event::KeyCode;
use duty_desk::app::{Effect, Screen};
use duty_desk::domain::report::{Field, Figures, MAX_FIGURE};
use duty_desk::domain::report_csv::HEADER;
use duty_desk::i18n::Lang;
use duty_desk::store::snapshot::{self, View};
use duty_desk::store::{Ctx, Store, StoreError, reports, town};
use predicates::prelude::*;

/// Two villages: a small one (1000 people) and one of exactly 10,000,000.
const TOWN: &str = r#"
[town]
name = "界限镇"
name_en = "Bounds Town"
utc_offset = "+08:00"

[[health_center]]
code = "HC1"
name = "界限镇卫生院"

[[village]]
code = "A1"
name = "小村"
population = 1000
health_center = "HC1"

[[village]]
code = "BIG"
name = "大村"
population = 10000000
health_center = "HC1"

[[staff]]
name = "王一"
role = "duty_leader"
"#;

struct Town {
    dir: tempfile::TempDir,
    db: PathBuf,
}

impl Town {
    fn new() -> Town {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("town.toml");
        std::fs::write(&file, TOWN).unwrap();
        let db = dir.path().join("duty.db");
        common::cli(&db)
            .args(["init", "--town"])
            .arg(&file)
            .assert()
            .success();
        Town { dir, db }
    }

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

    fn import(&self, file: &Path) -> assert_cmd::assert::Assert {
        self.cmd().args(["import", "reports"]).arg(file).assert()
    }
}

fn stderr(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}

/// A row for village `v` on 2026-11-25 with `outpatients` set to `value`.
fn outpatients_row(v: &str, value: &str) -> String {
    format!("2026-11-25,{v},,,{value},,,,,\n")
}

#[test]
fn i64_max_outpatients_is_refused_and_the_day_and_the_next_still_read() {
    let t = Town::new();
    let f = t.csv("huge.csv", &outpatients_row("A1", "9223372036854775807"));
    let a = t.import(&f).code(2);
    let err = stderr(&a);
    assert!(
        err.contains(&format!("{}:2: outpatients:", f.display())),
        "{err}"
    );
    assert!(err.contains("10000000"), "{err}");
    // a good row for the day, then every reader of that day and the next still works
    t.import(&t.csv("ok.csv", &outpatients_row("A1", "7")))
        .success();
    for date in ["2026-11-25", "2026-11-26"] {
        for format in ["text", "md", "csv", "json"] {
            t.cmd()
                .args(["report", "--date", date, "--format", format])
                .assert()
                .success();
        }
    }
    t.cmd().args(["handover", "show"]).assert().success();
    let store = Store::open(&t.db).unwrap();
    let tw = town::load(store.conn()).unwrap();
    for at in [common::now(), common::now() - chrono::Duration::days(1)] {
        let s = snapshot::load(store.conn(), &tw, &View::default(), at).unwrap();
        assert!(s.totals_on(s.today).reported <= 2);
    }
    let kinds: Vec<String> = store
        .conn()
        .prepare("SELECT DISTINCT typeof(s_outpatients) FROM day_totals")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(kinds, vec!["integer".to_string()]);
}

#[test]
fn import_edges_population_and_ten_million() {
    let t = Town::new();
    let cases = [
        ("A1", "1000", true),
        ("A1", "1001", false),
        ("BIG", "10000000", true),
        ("BIG", "10000001", false),
        ("BIG", "9223372036854775807", false),
        ("BIG", "99999999999999999999999", false),
    ];
    for (i, (v, value, ok)) in cases.into_iter().enumerate() {
        let f = t.csv(&format!("c{i}.csv"), &outpatients_row(v, value));
        let a = t
            .cmd()
            .args(["import", "reports", "--dry-run"])
            .arg(&f)
            .assert();
        if ok {
            a.success();
        } else {
            let a = a.code(2);
            let err = stderr(&a);
            assert!(
                err.contains(&format!("{}:2: outpatients:", f.display())),
                "{v} {value}: {err}"
            );
        }
    }
    // the message for a long cell is bounded
    let long = "9".repeat(100_000);
    let f = t.csv("long.csv", &outpatients_row("A1", &long));
    let a = t.import(&f).code(2);
    assert!(stderr(&a).len() < 1000, "{}", stderr(&a).len());
}

fn ctx() -> Ctx {
    Ctx {
        operator: "王一".into(),
        now: common::now(),
    }
}

fn save(store: &mut Store, village: &str, value: i64) -> Result<(), StoreError> {
    let tw = town::load(store.conn()).unwrap();
    let v = tw.village(village).unwrap().clone();
    let mut fig = Figures::default();
    fig.set(Field::Outpatients, Some(value));
    let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    store
        .write(&ctx(), |w| reports::save(w, &tw, &v, date, &fig, true))
        .map(|_| ())
}

#[test]
fn store_edges_through_the_write_functions() {
    let t = Town::new();
    let mut store = Store::open(&t.db).unwrap();
    assert!(save(&mut store, "A1", 1000).is_ok());
    assert!(matches!(
        save(&mut store, "A1", 1001),
        Err(StoreError::Invalid(_))
    ));
    assert!(save(&mut store, "BIG", MAX_FIGURE).is_ok());
    for v in [MAX_FIGURE + 1, i64::MAX, -1, i64::MIN] {
        let e = save(&mut store, "BIG", v).unwrap_err();
        assert!(matches!(e, StoreError::Invalid(_)), "{v}: {e:?}");
    }
}

/// Raw SQL past the domain checks: the schema itself refuses.
#[test]
fn store_edges_in_the_schema() {
    let t = Town::new();
    let store = Store::open(&t.db).unwrap();
    let insert = |village: &str, value: i64| {
        store.conn().execute(
            "INSERT OR REPLACE INTO daily_report (date, village, outpatients, entered_at, entered_by)
             VALUES ('2026-11-24', ?1, ?2, '2026-11-24T02:00:00Z', 'x')",
            rusqlite::params![village, value],
        )
    };
    assert!(insert("A1", 1000).is_ok());
    assert!(insert("A1", 1001).is_err());
    assert!(insert("BIG", 10_000_000).is_ok());
    assert!(insert("BIG", 10_000_001).is_err());
    assert!(insert("BIG", i64::MAX).is_err());
    assert!(insert("BIG", -1).is_err());
    let real = store.conn().execute(
        "INSERT OR REPLACE INTO daily_report (date, village, outpatients, entered_at, entered_by)
         VALUES ('2026-11-23', 'A1', 1.5, '2026-11-24T02:00:00Z', 'x')",
        [],
    );
    assert!(real.is_err());
    let pop = store.conn().execute(
        "UPDATE village SET population = 10000001 WHERE code = 'A1'",
        [],
    );
    assert!(pop.is_err());
}

fn form_save(value: &str) -> (Vec<Effect>, Option<String>) {
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::En, &db.operator);
    common::show(&mut m, Screen::Report);
    // Fenglin (V04, population 1730, not reported today)
    common::key(&mut m, KeyCode::Home);
    for _ in 0..3 {
        common::key(&mut m, KeyCode::Down);
    }
    common::key(&mut m, KeyCode::Enter);
    let form = m.report.form.as_mut().unwrap();
    assert_eq!(form.village, "V04");
    form.inputs[Field::Outpatients.index()].set(value);
    let effects = common::key(&mut m, KeyCode::Enter);
    let status = m
        .status
        .as_ref()
        .filter(|s| s.error)
        .map(|s| s.msg.render(Lang::En));
    (effects, status)
}

#[test]
fn form_edges_in_the_reducer() {
    let (effects, status) = form_save("1730");
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Write(..))),
        "{status:?}"
    );
    for value in ["1731", "10000000", "10000001", "9223372036854775807"] {
        let (effects, status) = form_save(value);
        assert!(
            !effects.iter().any(|e| matches!(e, Effect::Write(..))),
            "{value} saved"
        );
        let status = status.unwrap_or_default();
        assert!(
            status.starts_with("Not saved: Outpatients:"),
            "{value}: {status}"
        );
    }
}

#[test]
fn a_huge_population_in_the_town_file_is_refused_with_its_range() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("town.toml");
    std::fs::write(
        &file,
        TOWN.replace("population = 10000000", "population = 10000001"),
    )
    .unwrap();
    common::cli(&dir.path().join("duty.db"))
        .args(["init", "--town"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("village[2].population")
                .and(predicate::str::contains("1 to 10000000")),
        );
}

#[test]
fn a_huge_critical_wait_is_refused_at_init_with_its_range() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("town.toml");
    std::fs::write(
        &file,
        format!("{TOWN}\n[rules]\ncritical_wait_minutes = 10000000000000\n"),
    )
    .unwrap();
    let db = dir.path().join("duty.db");
    common::cli(&db)
        .args(["init", "--town"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("rules.critical_wait_minutes")
                .and(predicate::str::contains("from 1 to 10080")),
        );
    assert!(!db.exists());
}

/// A database whose stored rules and escalations hold absurd numbers (written by an old
/// version or by hand): no command, rule pass or console screen panics.
#[test]
fn huge_stored_rules_never_panic() {
    let db = common::demo_db();
    {
        let store = Store::open(&db.path).unwrap();
        store
            .conn()
            .execute_batch(
                "UPDATE town SET critical_wait_minutes = 9223372036854775807,
                     severe_wait_minutes = 10000000000000,
                     escalation_grace_minutes = 9223372036854775807;
                 UPDATE escalation SET grace_minutes = 9223372036854775807 WHERE id % 2 = 0;
                 UPDATE escalation SET grace_minutes = -9223372036854775808 WHERE id % 2 = 1;",
            )
            .unwrap();
    }
    for args in [
        &["escalation", "list"][..],
        &["escalation", "list", "--all", "--format", "json"],
        &["transport", "list"],
        &["handover", "show"],
        &["report"],
        &["vehicles"],
    ] {
        common::cli(&db.path).args(args).assert().success();
    }
    common::cli(&db.path)
        .args([
            "escalation",
            "add",
            "--kind",
            "concern",
            "--title",
            "t",
            "--due",
            "2h",
        ])
        .assert()
        .success();
    let mut store = Store::open(&db.path).unwrap();
    let tw = town::load(store.conn()).unwrap();
    for marks in [
        duty_desk::store::rules::Marks::No,
        duty_desk::store::rules::Marks::Yes,
    ] {
        duty_desk::store::rules::run(&mut store, &tw, &ctx(), marks).unwrap();
    }
    let mut m = common::model(&db.path, Lang::En, &db.operator);
    for screen in [
        Screen::Overview,
        Screen::Report,
        Screen::Escalations,
        Screen::Fleet,
        Screen::Shiftlog,
    ] {
        common::show(&mut m, screen);
        common::render(&m, 120, 40);
    }
}

#[test]
fn absurd_dates_are_refused_in_import_sign_and_due() {
    let t = Town::new();
    for date in ["0000-01-01", "1999-12-31", "2101-01-01", "9999-12-31"] {
        let f = t.csv("d.csv", &format!("{date},A1,1,1,,,,,,\n"));
        let a = t.import(&f).code(2);
        let err = stderr(&a);
        assert!(
            err.contains(":2: date:") && err.contains("2000-01-01"),
            "{err}"
        );
        t.cmd()
            .args(["report", "sign", "--date", date])
            .assert()
            .code(2);
        t.cmd().args(["report", "--date", date]).assert().code(2);
    }
    for due in ["0000-01-01T00:00:00Z", "9999-12-31T00:00:00Z"] {
        t.cmd()
            .args([
                "escalation",
                "add",
                "--kind",
                "concern",
                "--title",
                "t",
                "--due",
                due,
            ])
            .assert()
            .code(2);
    }
    // the edges are accepted
    let f = t.csv("e.csv", "2000-01-01,A1,1,1,,,,,,\n");
    t.import(&f).success();
}

#[test]
fn a_fixed_clock_outside_the_window_is_refused_not_a_panic() {
    let t = Town::new();
    for now in ["9999-12-31T23:59:59Z", "0000-01-01T00:00:00Z"] {
        t.cmd()
            .env("DUTY_DESK_NOW", now)
            .args(["escalation", "list"])
            .assert()
            .failure()
            .code(predicate::ne(101));
    }
}

/// A day total that is not a whole number (what the overflow stored before the bounds)
/// makes that total unknown; the day, the next day and the console still read.
#[test]
fn a_real_day_total_is_unknown_not_fatal() {
    let t = Town::new();
    t.import(&t.csv("ok.csv", "2026-11-25,A1,1,1,7,,,,,\n"))
        .success();
    {
        let store = Store::open(&t.db).unwrap();
        store
            .conn()
            .execute_batch(
                "ALTER TABLE day_totals RENAME TO day_totals_checked;
                 CREATE TABLE day_totals AS SELECT * FROM day_totals_checked;
                 UPDATE day_totals SET s_outpatients = 1.8446744073709552e19;",
            )
            .unwrap();
    }
    let out = t
        .cmd()
        .args(["report", "--date", "2026-11-25", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // the day's totals are summed from its rows (issue 17: carried and compared village
    // by village), so the damaged aggregate no longer reaches them at all
    assert_eq!(v["totals"]["outpatients"], 7);
    assert_eq!(v["totals"]["new_infections"], 1);
    t.cmd()
        .args(["report", "--date", "2026-11-26"])
        .assert()
        .success();
    t.cmd().args(["handover", "show"]).assert().success();
    let store = Store::open(&t.db).unwrap();
    let tw = town::load(store.conn()).unwrap();
    snapshot::load(store.conn(), &tw, &View::default(), common::now()).unwrap();
}

#[test]
fn stock_counts_are_bounded_too() {
    let t = Town::new();
    for (q, ok) in [
        ("10000000", true),
        ("10000001", false),
        ("9223372036854775807", false),
    ] {
        let a = t
            .cmd()
            .args([
                "stock",
                "set",
                "--place",
                "HC1",
                "--item",
                "drug_packs",
                "--quantity",
                q,
            ])
            .assert();
        if ok {
            a.success();
        } else {
            a.code(2).stderr(
                predicate::str::contains("quantity").and(predicate::str::contains("0 to 10000000")),
            );
        }
    }
}

/// The form at ten million, on a village that big: accepted; one more: refused with the
/// range; i64::MAX: refused, never a panic.
#[test]
fn form_edges_at_ten_million() {
    let t = Town::new();
    for (value, ok) in [
        ("10000000", true),
        ("10000001", false),
        ("9223372036854775807", false),
        ("99999999999999999999", false),
    ] {
        let mut m = common::model(&t.db, Lang::En, "王一");
        common::show(&mut m, Screen::Report);
        let idx = duty_desk::app::report::ordered(&m)
            .iter()
            .position(|v| v.code == "BIG")
            .unwrap();
        m.selected[Screen::Report.index()] = idx;
        common::key(&mut m, KeyCode::Enter);
        let form = m.report.form.as_mut().unwrap();
        assert_eq!(form.village, "BIG");
        form.inputs[Field::Outpatients.index()].set(value);
        let effects = common::key(&mut m, KeyCode::Enter);
        let saved = effects.iter().any(|e| matches!(e, Effect::Write(..)));
        assert_eq!(saved, ok, "{value}");
        if !ok {
            let status = m.status.as_ref().unwrap().msg.render(Lang::En);
            assert!(status.contains("from 0 to 10000000"), "{status}");
        }
    }
}
