//! Store: the console pages back through a shift's log longer than its window (issue 18).
//! Each page is a keyset range on (at, id) named by an entry, never an OFFSET; the count
//! of entries before a page is exact, ties of time included.

use crate::common;

use chrono::{DateTime, Duration, Utc};
use duty_desk::domain::shift::{LogCategory, LogRow};
use duty_desk::store::shiftlog::{self, LogPage};
use duty_desk::store::snapshot::{self, LOG_WINDOW, View};
use duty_desk::store::{Ctx, Store, town};

fn ctx(at: DateTime<Utc>) -> Ctx {
    Ctx {
        operator: common::DUTY_LEADER.into(),
        now: at,
    }
}

/// Ids in the log's (at, id) order.
fn by_key(all: &[LogRow]) -> Vec<i64> {
    let mut k: Vec<(&str, i64)> = all.iter().map(|e| (e.at.as_str(), e.id)).collect();
    k.sort_unstable();
    k.into_iter().map(|(_, id)| id).collect()
}

fn sorted(ids: impl IntoIterator<Item = i64>) -> Vec<i64> {
    let mut v: Vec<i64> = ids.into_iter().collect();
    v.sort_unstable();
    v
}

/// A demo database whose open shift holds `extra` more entries, written in transactions of
/// 100 that share one instant (so many entries tie on time); returns it with the shift.
fn long_shift(extra: usize) -> (common::DemoDb, Store, DateTime<Utc>) {
    let db = common::demo_db();
    let mut store = Store::open(&db.path).unwrap();
    let now = common::now();
    let shift = shiftlog::current_shift_start(store.conn(), now).unwrap();
    let first = now - Duration::seconds(extra as i64 + 5);
    let mut written = 0;
    while written < extra {
        let at = first + Duration::seconds(written as i64);
        store
            .write(&ctx(at), |w| {
                for i in written..(written + 100).min(extra) {
                    shiftlog::add_entry(w, LogCategory::Call, &format!("call {i}"))?;
                }
                Ok(())
            })
            .unwrap();
        written += 100;
    }
    (db, store, shift)
}

#[test]
fn paging_back_from_the_newest_reaches_the_first_entry_with_exact_counts() {
    let extra = 2 * LOG_WINDOW + 137;
    let (_db, store, shift) = long_shift(extra);
    let conn = store.conn();
    let all = shiftlog::entries(conn, shift).unwrap();
    let total = all.len();
    assert_eq!(total, shiftlog::count_entries(conn, shift).unwrap());
    let keys = by_key(&all);

    let mut page = LogPage::Newest;
    let mut seen = std::collections::BTreeSet::new();
    let mut pages = 0;
    loop {
        let w = shiftlog::log_page(conn, shift, page, LOG_WINDOW, total).unwrap();
        pages += 1;
        assert!(w.entries.len() <= LOG_WINDOW);
        // the page is the contiguous run of the log that starts after `older` entries
        let want = sorted(keys[w.older..w.older + w.entries.len()].iter().copied());
        assert_eq!(
            sorted(w.entries.iter().map(|e| e.id)),
            want,
            "page {page:?}"
        );
        // in the log's own order (each amendment after its entry)
        let order: Vec<i64> = all
            .iter()
            .filter(|e| want.binary_search(&e.id).is_ok())
            .map(|e| e.id)
            .collect();
        assert_eq!(w.entries.iter().map(|e| e.id).collect::<Vec<_>>(), order);
        seen.extend(w.entries.iter().map(|e| e.id));
        if w.older == 0 {
            break;
        }
        // the next older page ends at this page's oldest entry
        page = LogPage::Until(keys[w.older]);
        assert!(pages < 10, "paging back ends");
    }
    assert_eq!(seen.len(), total, "every entry was on a page");
    assert!(pages >= 3);

    let oldest = shiftlog::log_page(conn, shift, LogPage::Oldest, LOG_WINDOW, total).unwrap();
    assert_eq!(oldest.older, 0);
    assert_eq!(
        sorted(oldest.entries.iter().map(|e| e.id)),
        sorted(keys[..LOG_WINDOW].iter().copied())
    );
    // a page forward from an entry in the middle of a tie of times
    let mid = total / 2;
    let from =
        shiftlog::log_page(conn, shift, LogPage::From(keys[mid]), LOG_WINDOW, total).unwrap();
    assert_eq!(from.older, mid);
    assert_eq!(
        sorted(from.entries.iter().map(|e| e.id)),
        sorted(keys[mid..mid + LOG_WINDOW].iter().copied())
    );
    let until =
        shiftlog::log_page(conn, shift, LogPage::Until(keys[mid]), LOG_WINDOW, total).unwrap();
    assert_eq!(until.older, mid + 1 - LOG_WINDOW);
    // an entry of no such shift: the newest page
    let newest = shiftlog::log_page(conn, shift, LogPage::Newest, LOG_WINDOW, total).unwrap();
    let gone = shiftlog::log_page(conn, shift, LogPage::Until(-7), LOG_WINDOW, total).unwrap();
    assert_eq!(gone, newest);
    assert_eq!(newest.older, total - LOG_WINDOW);
}

#[test]
fn a_page_is_an_index_range_not_a_scan() {
    let (_db, store, shift) = long_shift(10);
    let conn = store.conn();
    for (range, key) in [
        ("ORDER BY at, id", None),
        (
            "AND at <= (SELECT at FROM log_entry WHERE id = ?3)
             AND NOT (at = (SELECT at FROM log_entry WHERE id = ?3) AND id > ?3)
             ORDER BY at DESC, id DESC",
            Some(3),
        ),
    ] {
        let sql = format!(
            "EXPLAIN QUERY PLAN SELECT * FROM log_entry WHERE shift_start = ?1 {range} LIMIT ?2"
        );
        let mut stmt = conn.prepare(&sql).unwrap();
        let shift = duty_desk::domain::time::to_db(shift);
        let read = |r: &rusqlite::Row<'_>| r.get::<_, String>(3);
        let rows: Vec<String> = match key {
            Some(k) => stmt
                .query_map(rusqlite::params![shift, 500, k], read)
                .unwrap()
                .collect::<Result<_, _>>(),
            None => stmt
                .query_map(rusqlite::params![shift, 500], read)
                .unwrap()
                .collect::<Result<_, _>>(),
        }
        .unwrap();
        let rows = rows.join("\n");
        assert!(rows.contains("log_entry_by_shift"), "{rows}");
        assert!(!rows.contains("TEMP B-TREE"), "read in index order: {rows}");
    }
}

#[test]
fn the_snapshot_reads_the_viewed_page_and_counts_the_whole_log() {
    let extra = LOG_WINDOW + 60;
    let (_db, store, shift) = long_shift(extra);
    let town = town::load(store.conn()).unwrap();
    let now = common::now();
    let all = shiftlog::entries(store.conn(), shift).unwrap();
    let view = View {
        log_page: LogPage::Oldest,
        ..View::default()
    };
    let s = snapshot::load(store.conn(), &town, &view, now).unwrap();
    assert_eq!(s.log_page, LogPage::Oldest);
    assert_eq!(s.log_total, all.len());
    assert_eq!(s.log_older, 0);
    assert_eq!(s.log.len(), LOG_WINDOW);
    assert_eq!(s.log_newer(), all.len() - LOG_WINDOW);
    assert_eq!(s.log.first().map(|e| e.id), all.first().map(|e| e.id));
    let s = snapshot::load(store.conn(), &town, &View::default(), now).unwrap();
    assert_eq!(s.log_older, all.len() - LOG_WINDOW);
    assert_eq!(s.log_newer(), 0);
}
