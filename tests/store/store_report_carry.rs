//! Store: the day's honest figures take each village's last cumulative figure from the day
//! before's rows when it is there and seek further back only for the others (issue 18).
//! They must be exactly what seeking every village gives.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use duty_desk::domain::day_summary::summarize;
use duty_desk::domain::report::Figures;
use duty_desk::domain::report_csv::CsvRow;
use duty_desk::store::reports::{self, ImportOptions};
use duty_desk::store::{Ctx, Store, town};

use crate::common;

fn figures(conn: &rusqlite::Connection, date: NaiveDate) -> HashMap<String, Figures> {
    reports::day_rows(conn, date)
        .unwrap()
        .into_iter()
        .map(|(k, r)| (k, r.figures))
        .collect()
}

#[test]
fn each_days_summary_equals_seeking_every_villages_last_cumulative() {
    let db = common::demo_db();
    let mut store = Store::open(&db.path).unwrap();
    let t = town::load(store.conn()).unwrap();
    let now = common::now();
    // gaps in the history: a village silent for days, then a row without a cumulative
    let day = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
    let rows = vec![CsvRow {
        line: 2,
        date: "2026-11-27".into(),
        village: "V01".into(),
        cells: ["1", "", "3", "0", "0", "0", "0", "0"].map(String::from),
    }];
    let ctx = Ctx {
        operator: common::DUTY_LEADER.into(),
        now: now + Duration::days(1),
    };
    let done = reports::import(&mut store, &ctx, &t, &rows, ImportOptions::default()).unwrap();
    assert!(done.problems.is_empty(), "{:?}", done.problems);

    let conn = store.conn();
    let places = reports::places(&t);
    let mut carried = 0;
    let mut d = day("2026-10-20");
    while d <= day("2026-11-29") {
        let seek_all = summarize(
            d,
            &places,
            &figures(conn, d),
            &figures(conn, d - Duration::days(1)),
            &reports::last_cumulative_before(conn, d).unwrap(),
        );
        let got = reports::day_summary(conn, &t, d).unwrap();
        assert_eq!(got, seek_all, "{d}");
        carried += got.carried_forward.len();
        d += Duration::days(1);
    }
    assert!(
        carried > 0,
        "some day carries a village's cumulative forward"
    );
}
