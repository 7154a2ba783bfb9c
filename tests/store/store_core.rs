//! Store: migrations, connection settings, the audit log and its append-only trigger.

use crate::common;

use duty_desk::store::escalations::{StockItem, set_stock};
use duty_desk::store::{Ctx, Store, StoreError};

fn ctx(op: &str) -> Ctx {
    Ctx {
        operator: op.into(),
        now: common::now(),
    }
}

#[test]
fn a_new_database_is_migrated_from_empty_and_reopens() {
    let db = common::demo_db();
    let store = Store::open(&db.path).unwrap();
    let version: i64 = store
        .conn()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        version,
        duty_desk::store::open::current_schema_version(),
        "every migration applied"
    );
    assert!(version >= 3);
    for table in [
        "town",
        "health_center",
        "hospital",
        "village",
        "village_neighbour",
        "staff",
        "vehicle",
        "daily_report",
        "day_signoff",
        "transport",
        "escalation",
        "stock",
        "shift_roster",
        "handover",
        "log_entry",
        "audit",
        "day_totals",
        "session",
        "pin_attempt",
        "roster_plan",
    ] {
        let n: i64 = store
            .conn()
            .query_row(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
                [table],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 1, "table {table}");
    }
    drop(store);
    // opening again runs the migrations as a no-op
    let again = Store::open(&db.path).unwrap();
    let version: i64 = again
        .conn()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, duty_desk::store::open::current_schema_version());
}

#[test]
fn connections_use_wal_full_sync_foreign_keys_and_a_busy_timeout() {
    let db = common::demo_db();
    let store = Store::open(&db.path).unwrap();
    let c = store.conn();
    let mode: String = c
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    let sync: i64 = c.query_row("PRAGMA synchronous", [], |r| r.get(0)).unwrap();
    let fk: i64 = c
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    let busy: i64 = c
        .query_row("PRAGMA busy_timeout", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    assert_eq!(sync, 2, "synchronous=FULL");
    assert_eq!(fk, 1);
    assert!(busy >= 1000, "busy timeout {busy}");
}

#[test]
fn a_write_appends_its_audit_row() {
    let db = common::demo_db();
    let mut store = Store::open(&db.path).unwrap();
    let before = store.audit_recent(1).unwrap()[0].id;
    store
        .write(&ctx("何丽君"), |w| {
            set_stock(w, "V01", StockItem::DrugPacks, 321)
        })
        .unwrap();
    let rows = store.audit_for("stock:V01:drug_packs").unwrap();
    let last = rows.last().unwrap();
    assert!(last.id > before);
    assert_eq!(last.operator, "何丽君");
    assert_eq!(last.action, "stock.set");
    assert_eq!(last.at, "2026-11-26T02:30:00Z");
    assert!(last.detail.contains("321"), "{}", last.detail);
}

#[test]
fn a_write_without_an_audit_row_is_refused_and_rolled_back() {
    let db = common::demo_db();
    let mut store = Store::open(&db.path).unwrap();
    let r = store.write(&ctx("何丽君"), |w| {
        w.tx.execute("UPDATE stock SET quantity = 1 WHERE place = 'V01'", [])?;
        Ok(())
    });
    assert!(matches!(r, Err(StoreError::Open(_))), "{r:?}");
    let q: i64 = store
        .conn()
        .query_row(
            "SELECT MIN(quantity) FROM stock WHERE place = 'V01'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_ne!(q, 1, "the unaudited change must not be committed");
}

#[test]
fn the_audit_log_refuses_update_and_delete() {
    let db = common::demo_db();
    let store = Store::open(&db.path).unwrap();
    let c = store.conn();
    let upd = c.execute("UPDATE audit SET operator = 'someone else'", []);
    assert!(upd.unwrap_err().to_string().contains("append-only"));
    let del = c.execute("DELETE FROM audit", []);
    assert!(del.unwrap_err().to_string().contains("append-only"));
    let n: i64 = c
        .query_row("SELECT COUNT(*) FROM audit", [], |r| r.get(0))
        .unwrap();
    assert!(n > 0);
}

#[test]
fn a_failed_write_changes_nothing() {
    let db = common::demo_db();
    let mut store = Store::open(&db.path).unwrap();
    let n_before: i64 = store
        .conn()
        .query_row("SELECT COUNT(*) FROM audit", [], |r| r.get(0))
        .unwrap();
    let r = store.write(&ctx("何丽君"), |w| {
        set_stock(w, "V01", StockItem::AntigenKits, 5)?;
        set_stock(w, "NOWHERE", StockItem::AntigenKits, 5)
    });
    assert!(matches!(r, Err(StoreError::Invalid(_))));
    let n_after: i64 = store
        .conn()
        .query_row("SELECT COUNT(*) FROM audit", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n_before, n_after);
}
