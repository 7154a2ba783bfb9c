//! The daily report says only what is so (review mends): a village retired from the town
//! is not "missing", and the facilities' reserve line is the one in effect (surge).

use crate::common;

use duty_desk::domain::rules::{reserve_line, served_population};
use duty_desk::domain::time::local_date;
use duty_desk::store::{Ctx, Store, facility, reports, town};

fn ctx() -> Ctx {
    Ctx {
        operator: common::DUTY_LEADER.into(),
        now: common::now(),
    }
}

/// `missing_villages` (which decides whether signing needs a reason) listed retired
/// villages as missing, though the report no longer shows them.
#[test]
fn a_retired_village_is_not_missing() {
    let db = common::demo_db();
    let mut store = Store::open(&db.path).unwrap();
    let t = town::load(store.conn()).unwrap();
    let today = local_date(common::now(), t.info.offset);
    let missing = reports::missing_villages(store.conn(), today).unwrap();
    assert!(missing.len() >= 2, "{missing:?}");
    let gone = missing[0].clone();
    let mut file = t.to_file();
    file.villages.retain(|v| v.code != gone);
    store
        .write(&ctx(), |w| town::apply(w, &file, false).map(|_| ()))
        .unwrap();
    let t = town::load(store.conn()).unwrap();
    assert!(t.village(&gone).is_none(), "{gone} is retired");
    let after = reports::missing_villages(store.conn(), today).unwrap();
    assert_eq!(after, missing[1..].to_vec());
    // the same list as the report's own
    let report = reports::daily_report(store.conn(), &t, today).unwrap();
    assert_eq!(
        report.missing(),
        after.iter().map(String::as_str).collect::<Vec<_>>()
    );
}

/// The report's facilities panel drew the reserve line at the normal percentage while
/// surge was on (the rules and `stock list` use the surge one).
#[test]
fn the_facilities_reserve_line_follows_surge() {
    let db = common::demo_db();
    let mut store = Store::open(&db.path).unwrap();
    store
        .write(&ctx(), |w| town::set_surge(w, true).map(|_| ()))
        .unwrap();
    let t = town::load(store.conn()).unwrap();
    assert!(t.info.surge.on);
    assert_ne!(
        t.info.surge.stock_threshold_percent,
        t.info.stock_threshold_percent
    );
    let rows = facility::facilities(store.conn(), &t).unwrap();
    assert!(!rows.is_empty());
    for r in &rows {
        let served = served_population(&r.code, &t.villages);
        assert!(served.is_some(), "{}", r.code);
        assert_eq!(
            r.reserve_line,
            served.map(|p| reserve_line(p, t.info.surge.stock_threshold_percent)),
            "{}",
            r.code
        );
    }
}
