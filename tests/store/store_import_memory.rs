//! Store: `import reports` keeps each village's last rows in memory for the per-row
//! history checks (issue 18). Its findings and the rows it stores must be exactly those
//! of reading the history back from the database row by row.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use duty_desk::domain::report_csv::CsvRow;
use duty_desk::store::reports::{self, ImportOptions, SaveOutcome};
use duty_desk::store::{Ctx, Store, town};

use crate::common;

fn ctx(at: DateTime<Utc>) -> Ctx {
    Ctx {
        operator: common::DUTY_LEADER.into(),
        now: at,
    }
}

/// A fresh demo town with no report yet.
fn fresh(dir: &tempfile::TempDir, name: &str) -> Store {
    let file =
        duty_desk::domain::town::parse_town(include_str!("../../data/demo/town.toml")).unwrap();
    town::create(&dir.path().join(name), &file, &ctx(common::now())).unwrap()
}

fn row(line: u64, date: NaiveDate, village: &str, cells: [&str; 8]) -> CsvRow {
    CsvRow {
        line,
        date: date.to_string(),
        village: village.into(),
        cells: cells.map(String::from),
    }
}

/// Eleven days of three villages: steady figures with a missing day, days without a
/// cumulative figure (the check looks further back), a spike against the week's median
/// and new infections that disagree with the cumulative's rise.
fn rows() -> Vec<CsvRow> {
    let first = NaiveDate::from_ymd_opt(2026, 11, 10).unwrap();
    let mut out = Vec::new();
    let mut line = 1;
    for v in ["V01", "V02", "V03"] {
        let mut cum = 100;
        for d in 0..11 {
            line += 1;
            if v == "V02" && d == 4 {
                continue; // did not report that day
            }
            let date = first + Duration::days(d);
            let mut new = 2;
            if v == "V01" && d == 9 {
                new = 40; // a spike against the last seven days
            }
            cum += new;
            let shown_new = if v == "V03" && d == 6 { 5 } else { new };
            let cum_cell = if v == "V02" && (d == 2 || d == 3 || d == 5) {
                String::new() // the next day's check looks further back
            } else {
                cum.to_string()
            };
            let new_cell = shown_new.to_string();
            out.push(row(
                line,
                date,
                v,
                [&new_cell, &cum_cell, "8", "1", "0", "0", "1", "0"],
            ));
        }
    }
    out
}

/// Every stored report row with its stored findings, in key order.
fn stored(store: &Store) -> Vec<(String, String, Option<i64>, String, bool)> {
    let mut stmt = store
        .conn()
        .prepare(
            "SELECT date, village, new_infections, warnings, late FROM daily_report
             ORDER BY date, village",
        )
        .unwrap();
    stmt.query_map([], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
    })
    .unwrap()
    .collect::<Result<Vec<_>, _>>()
    .unwrap()
}

/// (date, village) → (outcome, warning keys) of an import.
fn findings(r: &reports::ImportReport) -> Vec<((NaiveDate, String), SaveOutcome, Vec<String>)> {
    let mut out: Vec<_> = r
        .changes
        .iter()
        .map(|c| {
            (
                (c.date, c.village.clone()),
                c.outcome,
                c.warnings
                    .iter()
                    .map(|(f, m)| format!("{f:?} {}", m.render(duty_desk::i18n::Lang::En)))
                    .collect(),
            )
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn one_import_finds_and_stores_what_row_by_row_imports_reading_the_database_find() {
    let dir = tempfile::tempdir().unwrap();
    let now = common::now();
    let rows = rows();

    // V01 has a later day stored already (the import fills in history before it)
    let later = vec![row(
        99,
        NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
        "V01",
        ["2", "150", "8", "1", "0", "0", "1", "0"],
    )];
    // one import: every village's history kept in memory as it is written
    let mut whole = fresh(&dir, "whole.db");
    let t = town::load(whole.conn()).unwrap();
    reports::import(&mut whole, &ctx(now), &t, &later, ImportOptions::default()).unwrap();
    let all = reports::import(&mut whole, &ctx(now), &t, &rows, ImportOptions::default()).unwrap();
    assert!(all.problems.is_empty(), "{:?}", all.problems);
    assert_eq!(all.count(SaveOutcome::New), rows.len());

    // the same rows one import each, in date order: each check reads the database
    let mut single = fresh(&dir, "single.db");
    reports::import(&mut single, &ctx(now), &t, &later, ImportOptions::default()).unwrap();
    let mut sorted = rows.clone();
    sorted.sort_by(|a, b| (&a.date, a.line).cmp(&(&b.date, b.line)));
    let mut one_by_one = reports::ImportReport::default();
    for r in &sorted {
        let got = reports::import(
            &mut single,
            &ctx(now),
            &t,
            std::slice::from_ref(r),
            ImportOptions::default(),
        )
        .unwrap();
        assert!(got.problems.is_empty(), "{:?}", got.problems);
        one_by_one.changes.extend(got.changes);
    }

    let found = findings(&all);
    assert_eq!(found, findings(&one_by_one));
    // the history mattered: the spike, the mismatch and the looked-further-back cumulative
    let warned: Vec<_> = found.iter().filter(|f| !f.2.is_empty()).collect();
    assert!(
        warned
            .iter()
            .any(|f| f.0.1 == "V01" && f.2.iter().any(|w| w.contains("40"))),
        "the spike is found: {warned:?}"
    );
    assert!(
        warned.iter().any(|f| f.0.1 == "V03"),
        "the mismatch is found: {warned:?}"
    );
    assert_eq!(stored(&whole), stored(&single));
}

#[test]
fn a_village_with_a_stored_row_after_its_first_imported_day_is_checked_against_it() {
    let dir = tempfile::tempdir().unwrap();
    let now = common::now();
    let rows = rows();

    let mut whole = fresh(&dir, "whole.db");
    let t = town::load(whole.conn()).unwrap();
    let all = reports::import(&mut whole, &ctx(now), &t, &rows, ImportOptions::default()).unwrap();
    assert!(all.problems.is_empty(), "{:?}", all.problems);

    // V01's sixth day is stored first; the rest then come in one import, whose checks of
    // V01's later days must see that stored row
    let mut ahead = fresh(&dir, "ahead.db");
    let pick = |r: &CsvRow| r.village == "V01" && r.date == "2026-11-15";
    let (early, rest): (Vec<CsvRow>, Vec<CsvRow>) = rows.iter().cloned().partition(pick);
    assert_eq!(early.len(), 1);
    let first =
        reports::import(&mut ahead, &ctx(now), &t, &early, ImportOptions::default()).unwrap();
    assert!(first.problems.is_empty(), "{:?}", first.problems);
    let later =
        reports::import(&mut ahead, &ctx(now), &t, &rest, ImportOptions::default()).unwrap();
    assert!(later.problems.is_empty(), "{:?}", later.problems);

    let mut expected = findings(&all);
    expected.retain(|f| !(f.0.1 == "V01" && f.0.0.to_string() == "2026-11-15"));
    let got = findings(&later);
    assert_eq!(got, expected);
    // the stored findings differ only for the row stored on its own (it saw no history)
    let strip = |v: Vec<(String, String, Option<i64>, String, bool)>| {
        v.into_iter()
            .filter(|r| !(r.1 == "V01" && r.0 == "2026-11-15"))
            .collect::<Vec<_>>()
    };
    assert_eq!(strip(stored(&ahead)), strip(stored(&whole)));
}
