//! The audit chain and the PIN lockout at the store (issue 13): every write extends the
//! chain; `audit verify` (store and CLI) names the first row that an edit, a deletion or an
//! insertion made with sqlite3 broke, and a dropped or disarmed guard trigger; five wrong
//! PINs lock a person for 15 minutes in the one PIN check the console uses too.
use crate::common;

use chrono::Duration;
use duty_desk::domain::audit_chain::Break;
use duty_desk::store::audit::{self, ChainFault, GUARD_TRIGGERS};
use duty_desk::store::staff::{self, LOCK_MINUTES, Login, MAX_FAILURES};
use duty_desk::store::{Ctx, Store};
use serde_json::json;

fn ctx(operator: &str) -> Ctx {
    Ctx {
        operator: operator.to_string(),
        now: common::now(),
    }
}

fn raw(db: &std::path::Path) -> rusqlite::Connection {
    rusqlite::Connection::open(db).unwrap()
}

fn fault(db: &std::path::Path) -> Option<ChainFault> {
    let store = Store::open(db).unwrap();
    audit::verify(store.conn()).unwrap().fault
}

/// `audit verify` on the command line: exit 3 and the message, or exit 0.
fn cli_verify(db: &std::path::Path) -> (Option<i32>, String) {
    let out = common::cli(db).args(["audit", "verify"]).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code(), text)
}

const NO_UPDATE: &str = "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'duty-desk: audit log is append-only'); END;";
const NO_DELETE: &str = "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'duty-desk: audit log is append-only'); END;";

#[test]
fn writes_extend_the_chain_and_it_verifies() {
    let db = common::demo_db();
    let mut store = Store::open(&db.path).unwrap();
    let before = audit::verify(store.conn()).unwrap();
    assert_eq!(before.fault, None);
    assert!(before.walker.checked > 100, "the demo's history is chained");
    // several rows in one transaction chain in memory
    store
        .write(&ctx(common::DUTY_LEADER), |w| {
            for i in 0..3 {
                w.audit(
                    duty_desk::domain::audit_action::AuditAction::LogAdd,
                    &format!("test:{i}"),
                    json!({ "i": i }),
                )?;
            }
            Ok(())
        })
        .unwrap();
    let after = audit::verify(store.conn()).unwrap();
    assert_eq!(after.fault, None);
    assert_eq!(after.walker.checked, before.walker.checked + 3);
    // every row has its hash, and each follows from the one before
    let c = raw(&db.path);
    let unhashed: i64 = c
        .query_row("SELECT COUNT(*) FROM audit WHERE hash IS NULL", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(unhashed, 0);
    // an incremental check from the last good row finds nothing new to fault
    let again = audit::check_from(store.conn(), after.walker.clone()).unwrap();
    assert_eq!(again.fault, None);
    assert_eq!(again.walker.checked, after.walker.checked);
    let (code, text) = cli_verify(&db.path);
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.contains(&format!("{} rows checked", after.walker.checked)),
        "{text}"
    );
}

#[test]
fn an_edited_row_is_named() {
    let db = common::demo_db();
    let c = raw(&db.path);
    // the attack: drop the guard, rewrite history, put the guard back
    c.execute_batch(&format!(
        "DROP TRIGGER audit_no_update;
         UPDATE audit SET operator = '谭慧敏' WHERE id = 40;
         {NO_UPDATE}"
    ))
    .unwrap();
    assert_eq!(
        fault(&db.path),
        Some(ChainFault::Row(Break::Mismatch { id: 40 }))
    );
    let (code, text) = cli_verify(&db.path);
    assert_eq!(code, Some(3));
    assert!(text.contains("row 40"), "{text}");
}

#[test]
fn an_edit_with_a_hash_copied_from_another_row_is_named() {
    let db = common::demo_db();
    let c = raw(&db.path);
    c.execute_batch(&format!(
        "DROP TRIGGER audit_no_update;
         UPDATE audit SET detail = '{{}}', hash = (SELECT hash FROM audit WHERE id = 12) WHERE id = 40;
         {NO_UPDATE}"
    ))
    .unwrap();
    assert_eq!(
        fault(&db.path),
        Some(ChainFault::Row(Break::Mismatch { id: 40 }))
    );
}

#[test]
fn a_deleted_row_is_named_by_the_row_after_it() {
    let db = common::demo_db();
    let c = raw(&db.path);
    c.execute_batch(&format!(
        "DROP TRIGGER audit_no_delete;
         DELETE FROM audit WHERE id = 41;
         {NO_DELETE}"
    ))
    .unwrap();
    assert_eq!(
        fault(&db.path),
        Some(ChainFault::Row(Break::Gap { id: 42, after: 40 }))
    );
    let (code, text) = cli_verify(&db.path);
    assert_eq!(code, Some(3));
    assert!(text.contains("row 42") && text.contains("40"), "{text}");
}

#[test]
fn an_inserted_row_is_named() {
    // at the end, with a made-up hash
    let db = common::demo_db();
    let c = raw(&db.path);
    let last: i64 = c
        .query_row("SELECT MAX(id) FROM audit", [], |r| r.get(0))
        .unwrap();
    c.execute(
        "INSERT INTO audit (at, operator, action, subject, detail, hash)
         VALUES ('2026-11-26T01:00:00Z', '罗承志', 'report.reopen', 'day:2026-11-25', '{}', ?1)",
        ["0".repeat(64)],
    )
    .unwrap();
    assert_eq!(
        fault(&db.path),
        Some(ChainFault::Row(Break::Mismatch { id: last + 1 }))
    );
    // without any hash, the way sqlite3 would write it
    let db = common::demo_db();
    let c = raw(&db.path);
    c.execute(
        "INSERT INTO audit (at, operator, action, subject) VALUES ('2026-11-26T01:00:00Z', 'x', 'y', 'z')",
        [],
    )
    .unwrap();
    assert_eq!(
        fault(&db.path),
        Some(ChainFault::Row(Break::Unhashed { id: last + 1 }))
    );
    let (code, text) = cli_verify(&db.path);
    assert_eq!(code, Some(3));
    assert!(text.contains(&format!("row {}", last + 1)), "{text}");
    // the desk's next write does not paper over it
    let mut store = Store::open(&db.path).unwrap();
    store
        .write(&ctx(common::DUTY_LEADER), |w| {
            w.audit(
                duty_desk::domain::audit_action::AuditAction::LogAdd,
                "test:1",
                json!({}),
            )
        })
        .unwrap();
    assert_eq!(
        fault(&db.path),
        Some(ChainFault::Row(Break::Unhashed { id: last + 1 }))
    );
}

#[test]
fn a_row_inserted_in_the_middle_is_named() {
    let db = common::demo_db();
    let c = raw(&db.path);
    // make room by moving the tail up one id, then slip a row in
    c.execute_batch(&format!(
        "DROP TRIGGER audit_no_update;
         UPDATE audit SET id = -id WHERE id >= 50;
         UPDATE audit SET id = -id + 1 WHERE id < 0;
         INSERT INTO audit (id, at, operator, action, subject, detail, hash)
           SELECT 50, at, operator, action, subject, detail, hash FROM audit WHERE id = 49;
         {NO_UPDATE}"
    ))
    .unwrap();
    assert_eq!(
        fault(&db.path),
        Some(ChainFault::Row(Break::Mismatch { id: 50 }))
    );
}

#[test]
fn a_dropped_or_disarmed_guard_trigger_is_named() {
    for name in GUARD_TRIGGERS {
        let db = common::demo_db();
        raw(&db.path)
            .execute_batch(&format!("DROP TRIGGER {name};"))
            .unwrap();
        assert_eq!(
            fault(&db.path),
            Some(ChainFault::Trigger(name.to_string())),
            "{name}"
        );
        let (code, text) = cli_verify(&db.path);
        assert_eq!(code, Some(3), "{name}");
        assert!(text.contains(name), "{text}");
    }
    // replaced by one that lets everything through
    let db = common::demo_db();
    raw(&db.path)
        .execute_batch(
            "DROP TRIGGER audit_no_delete;
             CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT 1; END;",
        )
        .unwrap();
    assert_eq!(
        fault(&db.path),
        Some(ChainFault::Trigger("audit_no_delete".into()))
    );
}

#[test]
fn five_wrong_pins_lock_for_fifteen_minutes_in_the_shared_check() {
    let db = common::demo_db();
    let mut store = Store::open(&db.path).unwrap();
    let name = "何丽君";
    store
        .write(&ctx(name), |w| staff::set_pin(w, name, "2468"))
        .unwrap();
    let t0 = common::now();
    let conn = store.conn();
    for i in 1..MAX_FAILURES {
        assert_eq!(
            staff::login_at(conn, name, Some("0000"), t0).unwrap(),
            Login::WrongPin,
            "attempt {i}"
        );
    }
    // a right PIN before the fifth wrong one resets the count
    assert_eq!(
        staff::login_at(conn, name, Some("2468"), t0).unwrap(),
        Login::Accepted
    );
    for _ in 1..MAX_FAILURES {
        staff::login_at(conn, name, Some("0000"), t0).unwrap();
    }
    assert_eq!(
        staff::login_at(conn, name, Some("0000"), t0).unwrap(),
        Login::Locked
    );
    // locked: the right PIN is not even checked, and asking who needs a PIN says so
    assert_eq!(
        staff::login_at(conn, name, Some("2468"), t0 + Duration::minutes(14)).unwrap(),
        Login::Locked
    );
    assert_eq!(
        staff::login_at(conn, name, None, t0).unwrap(),
        Login::Locked
    );
    assert!(staff::has_pin(conn, name).unwrap());
    let until = staff::locked_until(conn, name, t0).unwrap().unwrap();
    assert_eq!(until, t0 + Duration::minutes(LOCK_MINUTES));
    // another person is not affected
    assert_eq!(
        staff::login_at(conn, "罗承志", None, t0).unwrap(),
        Login::Accepted
    );
    // over after 15 minutes
    let later = t0 + Duration::minutes(LOCK_MINUTES) + Duration::seconds(1);
    assert_eq!(
        staff::login_at(conn, name, Some("2468"), later).unwrap(),
        Login::Accepted
    );
    // every failure and the lock are audited, and the chain still holds
    let c = raw(&db.path);
    let count = |action: &str| -> i64 {
        c.query_row(
            "SELECT COUNT(*) FROM audit WHERE action = ?1 AND subject = ?2",
            [action, &format!("staff:{name}")],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert_eq!(count("operator.pin_failed"), 2 * MAX_FAILURES - 1);
    assert_eq!(count("operator.locked"), 1);
    assert_eq!(audit::verify(store.conn()).unwrap().fault, None);
}

#[test]
fn the_console_login_is_locked_out_too() {
    use duty_desk::app::{Action, login, update};
    let db = common::demo_db();
    let mut store = Store::open(&db.path).unwrap();
    store
        .write(&ctx("何丽君"), |w| staff::set_pin(w, "何丽君", "2468"))
        .unwrap();
    // `staff::login` is what the console's store thread calls: it follows DUTY_DESK_NOW,
    // unset here, so the system clock
    for _ in 0..MAX_FAILURES {
        staff::login(store.conn(), "何丽君", Some("0000")).unwrap();
    }
    let outcome = staff::login(store.conn(), "何丽君", Some("2468")).unwrap();
    assert_eq!(outcome, Login::Locked);
    let mut m = common::model(&db.path, duty_desk::i18n::Lang::En, "");
    login::start(&mut m, None);
    update(&mut m, Action::LoginChecked("何丽君".into(), outcome));
    assert!(m.operator.is_empty(), "the desk stays closed");
    let screen = common::render(&m, 100, 30);
    assert!(screen.contains("locked for 15 minutes"), "{screen}");
}

#[test]
fn the_chain_checked_a_slice_at_a_time_finds_the_same() {
    let db = common::demo_db();
    let store = Store::open(&db.path).unwrap();
    let whole = audit::verify(store.conn()).unwrap();
    let mut w = duty_desk::domain::audit_chain::Walker::default();
    let mut passes = 0;
    loop {
        let (check, done) = audit::check_some(store.conn(), w, 100).unwrap();
        assert_eq!(check.fault, None);
        w = check.walker;
        passes += 1;
        if done {
            break;
        }
    }
    assert_eq!(w, whole.walker);
    assert_eq!(passes, whole.walker.checked.div_ceil(100).max(1) as usize);
    raw(&db.path)
        .execute_batch(&format!(
            "DROP TRIGGER audit_no_update;
             UPDATE audit SET at = '2026-11-26T00:00:00Z' WHERE id = 250;
             {NO_UPDATE}"
        ))
        .unwrap();
    let mut w = duty_desk::domain::audit_chain::Walker::default();
    let fault = loop {
        let (check, done) = audit::check_some(store.conn(), w, 100).unwrap();
        if check.fault.is_some() || done {
            break check.fault;
        }
        w = check.walker;
    };
    assert_eq!(fault, Some(ChainFault::Row(Break::Mismatch { id: 250 })));
}

#[test]
fn require_pin_holds_in_the_store_for_the_console_too() {
    let dir = tempfile::tempdir().unwrap();
    let town = std::fs::read_to_string("data/demo/town.toml")
        .unwrap()
        .replacen("[rules]\n", "[rules]\nrequire_pin = true\n", 1);
    let file = dir.path().join("town.toml");
    std::fs::write(&file, town).unwrap();
    let db = dir.path().join("duty.db");
    common::cli(&db)
        .args(["init", "--town"])
        .arg(&file)
        .assert()
        .code(0);
    let mut store = Store::open(&db).unwrap();
    let add = |store: &mut Store| {
        store.write(&ctx("何丽君"), |w| {
            duty_desk::store::shiftlog::add_entry(
                w,
                duty_desk::domain::shift::LogCategory::Note,
                "x",
            )
        })
    };
    let refused = add(&mut store).unwrap_err();
    assert!(
        matches!(&refused, duty_desk::store::StoreError::NotPermitted(m) if m.key == "operators.pin_required"),
        "{refused:?}"
    );
    // a first PIN of one's own is allowed, then the same write goes through
    store
        .write(&ctx("何丽君"), |w| staff::set_pin(w, "何丽君", "2468"))
        .unwrap();
    add(&mut store).unwrap();
}

#[test]
fn guesses_in_parallel_get_no_more_than_five_answers_per_lock() {
    let db = common::demo_db();
    {
        let mut store = Store::open(&db.path).unwrap();
        store
            .write(&ctx("何丽君"), |w| staff::set_pin(w, "何丽君", "2468"))
            .unwrap();
    }
    let answers: Vec<Login> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..6)
            .map(|t| {
                let path = db.path.clone();
                s.spawn(move || {
                    let store = Store::open(&path).unwrap();
                    (0..4)
                        .map(|i| {
                            let guess = format!("{:04}", t * 10 + i);
                            staff::login_at(store.conn(), "何丽君", Some(&guess), common::now())
                                .unwrap()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert_eq!(answers.len(), 24);
    let wrong = answers.iter().filter(|a| **a == Login::WrongPin).count();
    assert_eq!(wrong, (MAX_FAILURES - 1) as usize, "{answers:?}");
    assert!(!answers.contains(&Login::Accepted));
    let c = raw(&db.path);
    let failed: i64 = c
        .query_row(
            "SELECT COUNT(*) FROM audit WHERE action = 'operator.pin_failed'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(failed, MAX_FAILURES);
    assert_eq!(audit::verify(&c).unwrap().fault, None);
}
