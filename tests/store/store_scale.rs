//! The shortcuts that keep cost flat with history must give the same answers as the
//! plain queries: day totals kept by triggers, and the bulk check contexts.

use crate::common;

use chrono::Duration;
use duty_desk::domain::report::{Field, Figures};
use duty_desk::store::reports::{self, check_context, check_contexts, totals_range};
use duty_desk::store::{Ctx, Store, town};

fn plain_totals(store: &Store, date: &str) -> (i64, i64, Vec<(i64, i64)>) {
    let c = store.conn();
    let mut sums = Vec::new();
    for f in Field::ALL {
        let (s, n): (i64, i64) = c
            .query_row(
                &format!(
                    "SELECT COALESCE(SUM({0}), 0), COUNT({0}) FROM daily_report WHERE date = ?1",
                    f.as_str()
                ),
                [date],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        sums.push((s, n));
    }
    let reported: i64 = c
        .query_row(
            "SELECT COUNT(*) FROM daily_report WHERE date = ?1",
            [date],
            |r| r.get(0),
        )
        .unwrap();
    let pop: i64 = c
        .query_row(
            "SELECT COALESCE(SUM(v.population), 0) FROM daily_report r JOIN village v ON v.code = r.village
             WHERE r.date = ?1 AND r.cumulative_infections IS NOT NULL",
            [date],
            |r| r.get(0),
        )
        .unwrap();
    (reported, pop, sums)
}

fn assert_same(store: &Store, from: chrono::NaiveDate, to: chrono::NaiveDate) {
    let kept = totals_range(store.conn(), from, to).unwrap();
    let mut d = from;
    while d <= to {
        let (reported, pop, sums) = plain_totals(store, &d.to_string());
        match kept.iter().find(|t| t.date == Some(d)) {
            None => assert_eq!(reported, 0, "{d}: no kept totals but {reported} rows"),
            Some(t) => {
                assert_eq!(t.reported, reported, "{d} reported");
                assert_eq!(t.population_reported, pop, "{d} population");
                for (i, f) in Field::ALL.iter().enumerate() {
                    let want = (sums[i].1 > 0).then_some(sums[i].0);
                    assert_eq!(t.get(*f), want, "{d} {}", f.as_str());
                }
            }
        }
        d += Duration::days(1);
    }
}

#[test]
fn day_totals_follow_inserts_replacements_and_deletes() {
    let db = common::demo_db();
    let today = common::now()
        .with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).unwrap())
        .date_naive();
    let mut store = Store::open(&db.path).unwrap();
    assert_same(&store, today - Duration::days(40), today);
    let t = town::load(store.conn()).unwrap();
    let ctx = Ctx {
        operator: "罗承志".into(),
        now: common::now(),
    };
    // a new row for a missing village, then a replacement with a value taken away
    let v04 = t.village("V04").unwrap().clone();
    let prev = reports::stored_row(store.conn(), "V04", today - Duration::days(1))
        .unwrap()
        .unwrap();
    let cum = prev.figures.get(Field::CumulativeInfections).unwrap();
    let mut fig = Figures::default();
    fig.set(Field::NewInfections, Some(3));
    fig.set(Field::CumulativeInfections, Some(cum + 3));
    fig.set(Field::Outpatients, Some(9));
    store
        .write(&ctx, |w| reports::save(w, &t, &v04, today, &fig, false))
        .unwrap();
    assert_same(&store, today, today);
    fig.set(Field::Outpatients, None);
    fig.set(Field::CumulativeInfections, None);
    store
        .write(&ctx, |w| reports::save(w, &t, &v04, today, &fig, true))
        .unwrap();
    assert_same(&store, today - Duration::days(2), today);
    // a delete (only possible by hand, but the totals must follow it too)
    store
        .conn()
        .execute(
            "DELETE FROM daily_report WHERE date = ?1 AND village = 'V01'",
            [today.to_string()],
        )
        .unwrap();
    assert_same(&store, today - Duration::days(2), today);
}

#[test]
fn bulk_check_contexts_equal_the_per_village_ones() {
    let db = common::demo_db();
    let store = Store::open(&db.path).unwrap();
    let t = town::load(store.conn()).unwrap();
    let today = common::now()
        .with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).unwrap())
        .date_naive();
    // early days fall back to the exact queries; later days use the two-week window
    for back in [0, 1, 3, 8, 20, 29, 30, 35] {
        let date = today - Duration::days(back);
        let bulk = check_contexts(store.conn(), &t, date, today).unwrap();
        for v in &t.villages {
            let one = check_context(store.conn(), v, date, today).unwrap();
            let b = &bulk[&v.code];
            assert_eq!(
                b.previous_cumulative, one.previous_cumulative,
                "{date} {}",
                v.code
            );
            assert_eq!(b.history, one.history, "{date} {}", v.code);
            assert_eq!(b.day_signed, one.day_signed);
            assert_eq!(b.in_future, one.in_future);
        }
    }
}
