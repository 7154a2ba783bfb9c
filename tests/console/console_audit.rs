//! The audit log in the console (issue 13): the broken-chain banner, found at start and on
//! later changes, and the duty leaders' audit view reachable from the Shift log screen.
use crate::common;

use crossterm::event::KeyCode;
use duty_desk::app::audit::Watch;
use duty_desk::app::{Action, Effect, Screen, update};
use duty_desk::i18n::Lang;
use duty_desk::store::Store;

fn checked(watch: &mut Watch, db: &std::path::Path, open: bool) -> Action {
    let store = Store::open(db).unwrap();
    watch.after_reload(&store, open)
}

#[test]
fn an_intact_chain_shows_no_banner_and_a_tampered_one_does() {
    let db = common::demo_db();
    let mut watch = Watch::default();
    let mut m = common::model(&db.path, Lang::En, common::DUTY_LEADER);
    let a = checked(&mut watch, &db.path, false);
    assert!(matches!(&a, Action::AuditChecked(None, None)), "{a:?}");
    update(&mut m, a);
    let screen = common::render(&m, 120, 30);
    assert!(!screen.contains("TAMPERED"), "{screen}");

    // a row slipped in with sqlite3 after the console started: found on the next change
    rusqlite::Connection::open(&db.path)
        .unwrap()
        .execute(
            "INSERT INTO audit (at, operator, action, subject) VALUES ('2026-11-26T01:00:00Z', 'x', 'y', 'z')",
            [],
        )
        .unwrap();
    let a = checked(&mut watch, &db.path, false);
    let fx = update(&mut m, a);
    assert!(fx.contains(&Effect::Bell), "the first sight of it rings");
    let screen = common::render(&m, 120, 30);
    assert!(screen.contains("AUDIT LOG TAMPERED"), "{screen}");
    // it stays reported on later checks
    let a = checked(&mut watch, &db.path, false);
    assert!(matches!(&a, Action::AuditChecked(Some(_), None)), "{a:?}");
}

#[test]
fn a_dropped_trigger_is_found_by_the_incremental_check_and_an_old_edit_at_start() {
    let db = common::demo_db();
    let mut watch = Watch::default();
    assert!(matches!(
        checked(&mut watch, &db.path, false),
        Action::AuditChecked(None, None)
    ));
    rusqlite::Connection::open(&db.path)
        .unwrap()
        .execute_batch("DROP TRIGGER handover_signed_update;")
        .unwrap();
    let Action::AuditChecked(Some(why), _) = checked(&mut watch, &db.path, false) else {
        panic!("not found");
    };
    assert!(why.render(Lang::En).contains("handover_signed_update"));

    // an edit of an old row, made while no console ran, is found when one starts
    let db = common::demo_db();
    rusqlite::Connection::open(&db.path)
        .unwrap()
        .execute_batch(
            "DROP TRIGGER audit_no_update;
             UPDATE audit SET operator = 'x' WHERE id = 3;
             CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
             BEGIN SELECT RAISE(ABORT, 'duty-desk: audit log is append-only'); END;",
        )
        .unwrap();
    let Action::AuditChecked(Some(why), _) = checked(&mut Watch::default(), &db.path, false) else {
        panic!("not found");
    };
    assert!(why.render(Lang::En).contains("row 3"), "{why:?}");
}

#[test]
fn duty_leaders_open_the_audit_view_from_the_shift_log() {
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::En, common::DUTY_LEADER);
    common::show(&mut m, Screen::Shiftlog);
    let footer = common::render(&m, 160, 30);
    assert!(footer.contains("A audit log"), "{footer}");
    let fx = common::key(&mut m, KeyCode::Char('A'));
    assert!(m.audit.open);
    assert_eq!(fx, vec![Effect::Reload(m.view)]);
    assert!(m.view.audit, "the store is asked for the rows");
    let rows = checked(&mut Watch::default(), &db.path, m.view.audit);
    update(&mut m, rows);
    assert!(!m.audit.rows.is_empty());
    assert!(
        m.audit.rows.windows(2).all(|w| w[0].id > w[1].id),
        "newest first"
    );
    let screen = common::render(&m, 160, 30);
    assert!(screen.contains("Audit log"), "{screen}");
    let newest = &m.audit.rows[0];
    assert!(screen.contains(&newest.id.to_string()) && screen.contains(&newest.action));
    // keys stay in the view; Esc closes it and the rows go
    common::key(&mut m, KeyCode::Down);
    assert_eq!(m.audit.selected, 1);
    assert_eq!(m.screen, Screen::Shiftlog);
    common::key(&mut m, KeyCode::Esc);
    assert!(!m.audit.open && !m.view.audit && m.audit.rows.is_empty());
}

#[test]
fn others_are_told_the_audit_view_is_for_duty_leaders() {
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::Zh, "何丽君");
    common::show(&mut m, Screen::Shiftlog);
    let screen = common::render(&m, 160, 30);
    assert!(!screen.contains("审计日志"), "no key shown: {screen}");
    let fx = common::key(&mut m, KeyCode::Char('A'));
    assert!(!m.audit.open && !m.view.audit);
    assert_eq!(fx, vec![Effect::Bell]);
    let screen = common::render(&m, 160, 30);
    assert!(screen.contains("审计日志仅供带班领导查看"), "{screen}");
}

#[test]
fn an_old_row_edited_while_the_console_runs_is_found_by_the_periodic_recheck() {
    let db = common::demo_db();
    let mut watch = Watch::default();
    assert!(matches!(
        checked(&mut watch, &db.path, false),
        Action::AuditChecked(None, None)
    ));
    rusqlite::Connection::open(&db.path)
        .unwrap()
        .execute_batch(
            "DROP TRIGGER audit_no_update;
             UPDATE audit SET detail = '{}' WHERE id = 7;
             CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
             BEGIN SELECT RAISE(ABORT, 'duty-desk: audit log is append-only'); END;",
        )
        .unwrap();
    let store = Store::open(&db.path).unwrap();
    // the incremental check looks at new rows only, and the re-check is not due yet
    assert!(matches!(
        watch.after_reload(&store, false),
        Action::AuditChecked(None, None)
    ));
    assert!(watch.tick(&store).is_none());
    watch.rescan_now();
    let Some(Action::AuditChecked(Some(why), None)) = watch.tick(&store) else {
        panic!("the re-check did not find it");
    };
    assert!(why.render(Lang::En).contains("row 7"), "{why:?}");
    // from then on every reload says so
    assert!(matches!(
        watch.after_reload(&store, false),
        Action::AuditChecked(Some(_), None)
    ));
}

#[test]
fn the_newest_rows_deleted_while_the_console_runs_are_noticed() {
    let db = common::demo_db();
    let mut watch = Watch::default();
    assert!(matches!(
        checked(&mut watch, &db.path, false),
        Action::AuditChecked(None, None)
    ));
    rusqlite::Connection::open(&db.path)
        .unwrap()
        .execute_batch(
            "DROP TRIGGER audit_no_delete;
             DELETE FROM audit WHERE id = (SELECT MAX(id) FROM audit);
             CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
             BEGIN SELECT RAISE(ABORT, 'duty-desk: audit log is append-only'); END;",
        )
        .unwrap();
    let Action::AuditChecked(Some(why), _) = checked(&mut watch, &db.path, false) else {
        panic!("not noticed");
    };
    let text = why.render(Lang::En);
    assert!(text.contains("were deleted"), "{text}");
}

#[test]
fn esc_closes_the_audit_view_before_it_dismisses_an_alert() {
    let db = common::demo_db();
    // unseen alerts on the banner: the rules' pass records them
    {
        let mut s = duty_desk::store::Store::open(&db.path).unwrap();
        let t = duty_desk::store::town::load(s.conn()).unwrap();
        let ctx = duty_desk::store::Ctx {
            operator: "test".into(),
            now: common::now(),
        };
        duty_desk::store::rules::run(&mut s, &t, &ctx, duty_desk::store::rules::Marks::Yes)
            .unwrap();
    }
    let mut m = common::model(&db.path, Lang::En, common::DUTY_LEADER);
    assert!(m.escalations.alerts.showing());
    common::show(&mut m, Screen::Shiftlog);
    common::key(&mut m, KeyCode::Char('A'));
    assert!(m.audit.open);
    common::key(&mut m, KeyCode::Esc);
    assert!(!m.audit.open);
    assert!(m.escalations.alerts.showing(), "the alert is still unseen");
}
