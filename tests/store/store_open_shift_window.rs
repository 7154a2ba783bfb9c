//! Store: the console reads a bounded window of a shift's log (issue 18). A desk that
//! never signs over keeps its whole history in one open shift; the snapshot must not read
//! it whole, while the count it shows and the handover's count stay the whole log's.

use crate::common;

use chrono::{DateTime, Duration, Utc};
use duty_desk::domain::shift::{LogCategory, LogRow};
use duty_desk::store::shiftlog;
use duty_desk::store::snapshot::{self, LOG_WINDOW, View};
use duty_desk::store::{Ctx, Store, handover, town};

fn ctx(at: DateTime<Utc>) -> Ctx {
    Ctx {
        operator: common::DUTY_LEADER.into(),
        now: at,
    }
}

/// The newest `k` entries by (time, id), as ids, sorted.
fn newest_ids(all: &[LogRow], k: usize) -> Vec<i64> {
    let mut by_time: Vec<(&str, i64)> = all.iter().map(|e| (e.at.as_str(), e.id)).collect();
    by_time.sort_unstable();
    let mut ids: Vec<i64> = by_time.iter().rev().take(k).map(|(_, id)| *id).collect();
    ids.sort_unstable();
    ids
}

#[test]
fn an_open_shift_longer_than_the_window_is_read_as_its_newest_entries_with_the_whole_count() {
    let db = common::demo_db();
    let mut store = Store::open(&db.path).unwrap();
    let town = town::load(store.conn()).unwrap();
    let now = common::now();
    let shift = shiftlog::current_shift_start(store.conn(), now).unwrap();
    let before = shiftlog::entries(store.conn(), shift).unwrap().len();
    let extra = LOG_WINDOW + 40;
    // written over the last minutes, in a few transactions
    let first = now - Duration::seconds(extra as i64 + 5);
    let mut ids = Vec::new();
    for chunk in 0..4 {
        let at = first + Duration::seconds((chunk * extra / 4) as i64);
        store
            .write(&ctx(at), |w| {
                for i in 0..extra / 4 {
                    ids.push(shiftlog::add_entry(
                        w,
                        LogCategory::Call,
                        &format!("call {chunk}-{i}"),
                    )?);
                }
                Ok(())
            })
            .unwrap();
    }
    // a late amendment of an entry that falls outside the window
    let amended = ids[0];
    let amendment = store
        .write(&ctx(now), |w| {
            shiftlog::amend_entry(w, amended, "wrong number, called back")
        })
        .unwrap();
    let total = before + extra + 1;

    let s = snapshot::load(store.conn(), &town, &View::default(), now).unwrap();
    assert_eq!(s.current_shift, shift);
    assert!(
        s.log.len() <= LOG_WINDOW,
        "the snapshot read {} entries, more than its window of {LOG_WINDOW}",
        s.log.len()
    );
    assert_eq!(s.log.len(), LOG_WINDOW, "a full window is read");
    assert_eq!(s.log_total, total, "the count is the whole log's");
    assert_eq!(shiftlog::count_entries(store.conn(), shift).unwrap(), total);

    // the window is the newest entries, in the log's own order
    let all = shiftlog::entries(store.conn(), shift).unwrap();
    assert_eq!(all.len(), total);
    let mut window_ids: Vec<i64> = s.log.iter().map(|e| e.id).collect();
    window_ids.sort_unstable();
    assert_eq!(window_ids, newest_ids(&all, LOG_WINDOW));
    assert!(
        s.log.iter().any(|e| e.id == amendment),
        "the newest entry is shown"
    );
    let order: Vec<i64> = all
        .iter()
        .filter(|e| window_ids.binary_search(&e.id).is_ok())
        .map(|e| e.id)
        .collect();
    assert_eq!(
        s.log.iter().map(|e| e.id).collect::<Vec<_>>(),
        order,
        "the window keeps the log's order"
    );

    // the handover (console and `handover show`) counts the whole log
    assert_eq!(s.handover_doc.handover.log_entries, total);
    let filed = handover::filed(store.conn(), &town, shift, now).unwrap();
    assert_eq!(filed.handover.log_entries, total);
}

#[test]
fn a_shift_within_the_window_is_read_whole_and_any_window_is_its_newest_entries() {
    let db = common::demo_db();
    let store = Store::open(&db.path).unwrap();
    let town = town::load(store.conn()).unwrap();
    let now = common::now();
    let shift = shiftlog::current_shift_start(store.conn(), now).unwrap();
    let all = shiftlog::entries(store.conn(), shift).unwrap();
    assert!(all.len() > 3, "the demo's open shift has a log");
    assert!(all.len() < LOG_WINDOW);

    let s = snapshot::load(store.conn(), &town, &View::default(), now).unwrap();
    assert_eq!(
        s.log, all,
        "a shift within the window comes back whole, in order"
    );
    assert_eq!(s.log_total, all.len());
    assert_eq!(s.handover_doc.handover.log_entries, all.len());

    for k in 0..=all.len() + 1 {
        let w = shiftlog::entries_window(store.conn(), shift, k).unwrap();
        assert_eq!(w.len(), k.min(all.len()), "window {k}");
        let mut ids: Vec<i64> = w.iter().map(|e| e.id).collect();
        ids.sort_unstable();
        assert_eq!(ids, newest_ids(&all, k), "window {k}");
    }
}
