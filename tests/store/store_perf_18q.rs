//! Store: queries whose cost must not grow with history (issue 18, third pass): each is
//! checked to answer as before and to read through its index (`EXPLAIN QUERY PLAN`).

use crate::common;

use duty_desk::store::{Store, town};
use rusqlite::Connection;

/// The plan SQLite chooses for `sql`, its detail lines joined.
fn plan(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> String {
    let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
    let rows: Vec<String> = stmt
        .query_map(params, |r| r.get::<_, String>(3))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    rows.join("\n")
}

#[test]
fn the_town_history_reads_its_partial_index_not_the_audit_log() {
    let db = common::demo_db();
    let store = Store::open(&db.path).unwrap();
    let p = plan(store.conn(), town::TOWN_HISTORY_SQL, [200]);
    assert!(p.contains("audit_town_by_id"), "{p}");
    assert!(!p.contains("TEMP B-TREE"), "no sort: {p}");
    // still so once `PRAGMA optimize` has left statistics behind
    store.conn().execute_batch("ANALYZE").unwrap();
    let p = plan(store.conn(), town::TOWN_HISTORY_SQL, [200]);
    assert!(p.contains("audit_town_by_id"), "after ANALYZE: {p}");
}

#[test]
fn the_town_history_answers_as_the_like_scan_did() {
    let db = common::demo_db();
    let store = Store::open(&db.path).unwrap();
    let old = |limit: i64| -> Vec<(i64, String)> {
        let mut stmt = store
            .conn()
            .prepare(
                "SELECT id, action FROM audit WHERE action LIKE 'town.%' ORDER BY id DESC LIMIT ?1",
            )
            .unwrap();
        stmt.query_map([limit], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let all_town = old(i64::MAX);
    assert!(!all_town.is_empty(), "the demo town has town rows");
    let audit_rows: i64 = store
        .conn()
        .query_row("SELECT COUNT(*) FROM audit", [], |r| r.get(0))
        .unwrap();
    assert!(
        audit_rows > all_town.len() as i64,
        "and other rows around them"
    );
    for limit in [1, 2, 200] {
        let new: Vec<(i64, String)> = town::town_history(store.conn(), limit)
            .unwrap()
            .into_iter()
            .map(|a| (a.id, a.action))
            .collect();
        assert_eq!(new, old(limit), "limit {limit}");
    }
}
