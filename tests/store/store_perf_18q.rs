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

/// The rule pass's alert plan (run by `escalation list` and every console each second)
/// looked up, for each open escalation, the events already told by searching every alert:
/// quadratic, 2.8 s of a 3.5 s `escalation list` on a generated county with 77,000 open
/// escalations. With 30,000 open and told it must take well under a second (the quadratic
/// search took many seconds here) and owe nothing new.
#[test]
fn the_alert_plan_with_many_open_escalations_is_not_quadratic() {
    let db = common::demo_db();
    let store = Store::open(&db.path).unwrap();
    let t = town::load(store.conn()).unwrap();
    let now = common::now();
    let before = duty_desk::store::alerts::plan(store.conn(), &t, now).unwrap();
    let n = 30_000;
    store
        .conn()
        .execute_batch(&format!(
            "BEGIN;
             WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < {n})
             INSERT INTO escalation (kind, title, due, state, raised_at, raised_by)
               SELECT 'concern', 'told ' || i, '2026-01-01T00:00:00Z', 'acknowledged',
                      '2026-01-01T00:00:00Z', 'x' FROM k;
             INSERT INTO alert (event, subject, subject_id, title, created_at)
               SELECT ev.e, 'escalation', e.id, e.title, '2026-01-01T02:00:00Z'
               FROM escalation e, (SELECT 'overdue' AS e UNION ALL SELECT 'raised') ev
               WHERE e.title LIKE 'told %';
             COMMIT;"
        ))
        .unwrap();
    let started = std::time::Instant::now();
    let after = duty_desk::store::alerts::plan(store.conn(), &t, now).unwrap();
    let took = started.elapsed();
    assert_eq!(
        after, before,
        "escalations told of their latest event owe nothing"
    );
    assert!(
        took < std::time::Duration::from_millis(1500),
        "the alert plan took {took:?} with {n} open escalations"
    );
}

/// The daily report counts its follow-up section with one grouped query (issue 18); it
/// must give exactly the weekly rows `people::week` gives, on every day of a few weeks,
/// before and after more contacts, a level change and a retired person.
#[test]
fn the_reports_follow_up_equals_the_weekly_figures() {
    use duty_desk::domain::people::week_of;
    use duty_desk::store::{people, reports};
    let db = common::demo_db();
    let store = Store::open(&db.path).unwrap();
    let t = town::load(store.conn()).unwrap();
    let today = duty_desk::domain::time::local_date(common::now(), t.info.offset);
    let check = |what: &str| {
        let mut rows_seen = 0;
        for back in 0..21 {
            let date = today - chrono::Duration::days(back);
            let r = reports::daily_report(store.conn(), &t, date).unwrap();
            let want = people::week(store.conn(), &t, week_of(date)).unwrap();
            assert_eq!(r.follow_up.1, want, "{what}: {date}");
            rows_seen += want.len();
        }
        assert!(rows_seen > 0, "the demo has a register");
    };
    check("demo");
    // a person retired, one moved to another level, a contact of each kind this week
    store
        .conn()
        .execute_batch(
            "UPDATE person SET retired = 1 WHERE id = (SELECT MIN(id) FROM person);
             UPDATE person SET level = 'green' WHERE id = (SELECT MAX(id) FROM person);",
        )
        .unwrap();
    check("changed");
}

/// Found by the county bench after the generator began resolving concerns (97,000 resolved
/// escalations): `escalation list` scanned the whole table for its open queue.
#[test]
fn the_open_queue_reads_the_open_escalations_index_not_every_escalation() {
    use duty_desk::store::escalations::queue_sql;
    let db = common::demo_db();
    let store = Store::open(&db.path).unwrap();
    for analyzed in [false, true] {
        if analyzed {
            store.conn().execute_batch("ANALYZE").unwrap();
        }
        let p = plan(store.conn(), &queue_sql(false), ["2026-11-26T02:30:00Z"]);
        assert!(p.contains("escalation_open"), "analyzed {analyzed}: {p}");
        assert!(!p.starts_with("SCAN escalation\n"), "{p}");
    }
    // the whole history is still a whole read, and both answer the same open rows first
    // (one escalation resolved by hand: the demo's are all open)
    store
        .conn()
        .execute_batch(
            "UPDATE escalation SET state = 'resolved', resolved_at = '2026-11-26T02:00:00Z',
                    resolved_by = '罗承志', resolution_note = 'done'
              WHERE id = (SELECT MIN(id) FROM escalation)",
        )
        .unwrap();
    let ids = |all: bool| -> Vec<i64> {
        let mut stmt = store.conn().prepare(&queue_sql(all)).unwrap();
        stmt.query_map(["2026-11-26T02:30:00Z"], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let (open, all) = (ids(false), ids(true));
    assert!(
        !open.is_empty() && all.len() > open.len(),
        "{open:?} {all:?}"
    );
    assert_eq!(&all[..open.len()], &open[..]);
}

/// Found by profiling `escalation list` on the county: the rule pass's look-up of alerts
/// about waiting requests scanned every trip ever made (the open-trip index is partial).
#[test]
fn the_waiting_requests_alerts_are_found_through_the_open_trips_index() {
    use duty_desk::store::alerts::EXISTING_TRANSPORT_SQL;
    let db = common::demo_db();
    let store = Store::open(&db.path).unwrap();
    for analyzed in [false, true] {
        if analyzed {
            store.conn().execute_batch("ANALYZE").unwrap();
        }
        let p = plan(store.conn(), EXISTING_TRANSPORT_SQL, []);
        assert!(p.contains("transport_open"), "analyzed {analyzed}: {p}");
        assert!(!p.contains("SCAN transport"), "{p}");
    }
}
