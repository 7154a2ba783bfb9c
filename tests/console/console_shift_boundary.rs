//! The console at the shift boundary: the header and the Shift log name the open shift and
//! how late its handover is (both languages); the sign-over asks the incoming person's PIN
//! and refuses a wrong one; the roster a week ahead, planned from the screen; the full-size
//! handover scrolls with PgUp/PgDn/Home/End.

use crate::common;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use crossterm::event::KeyCode;
use duty_desk::app::shiftlog::{Form, apply};
use duty_desk::app::{Effect, Model, Screen, WriteCmd};
use duty_desk::domain::shift::Duty;
use duty_desk::i18n::Lang;
use duty_desk::store::{Ctx, Store, shiftlog, staff, town};

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// A desk made by `init` at 11-26 22:00 with its roster.
fn desk() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("duty.db");
    let file =
        duty_desk::domain::town::parse_town(include_str!("../../data/demo/town.toml")).unwrap();
    let c = Ctx {
        operator: "罗承志".into(),
        now: t("2026-11-26T22:00:00+08:00"),
    };
    let mut store = town::create(&path, &file, &c).unwrap();
    let shift = store.write(&c, shiftlog::open_first_shift).unwrap();
    for (n, d) in [
        ("罗承志", Duty::Leader),
        ("何丽君", Duty::Officer),
        ("黄晓峰", Duty::Officer),
    ] {
        store
            .write(&c, |w| shiftlog::set_roster(w, shift, n, d))
            .unwrap();
    }
    (dir, path)
}

fn run(m: &mut Model, db: &Path, effects: Vec<Effect>) -> Result<String, String> {
    let mut out = Err("no write".to_string());
    for e in effects {
        if let Effect::Write(WriteCmd::Shiftlog(w), view) = e {
            let mut store = Store::open(db).unwrap();
            let ctx = Ctx {
                operator: m.operator.clone(),
                now: m.now,
            };
            out = apply(&mut store, &m.town, &ctx, w)
                .map(|msg| msg.render(Lang::En))
                .map_err(|msg| msg.render(Lang::En));
            m.view = view;
        }
    }
    common::reload(m, db);
    out
}

#[test]
fn the_header_and_the_shift_log_say_when_the_handover_is_late_in_both_languages() {
    let (_d, db) = desk();
    let at = t("2026-11-27T09:15:00+08:00");
    let mut m = common::model_at(&db, Lang::En, "何丽君", at);
    let screen = common::render(&m, 140, 30);
    let header = screen.lines().next().unwrap();
    assert!(
        header.contains("shift 11-26 08:30: handover 45 min late"),
        "{header}"
    );
    common::show(&mut m, Screen::Shiftlog);
    let screen = common::render(&m, 120, 36);
    assert!(
        screen.contains("Shift 11-26 08:30 to 11-27 08:30"),
        "{screen}"
    );
    assert!(screen.contains("handover 45 min late"), "{screen}");
    let zh = common::model_at(&db, Lang::Zh, "何丽君", at);
    let header = common::render(&zh, 140, 30);
    assert!(header.contains("交接班已逾时45分钟"), "{header}");
    assert!(
        header.contains("11-26 08:30 班次：交接班已逾时45分钟"),
        "{header}"
    );
    // on time: nothing said
    let m = common::model_at(&db, Lang::En, "何丽君", t("2026-11-27T08:00:00+08:00"));
    let screen = common::render(&m, 140, 30);
    assert!(
        !screen.contains("late") && !screen.contains("shift 11-2"),
        "{screen}"
    );
    // signed early: the next shift has the desk before its start, and the header names it
    let mut s = Store::open(&db).unwrap();
    let town = town::load(s.conn()).unwrap();
    let c = Ctx {
        operator: "谭慧敏".into(),
        now: t("2026-11-27T08:00:00+08:00"),
    };
    s.write(&c, |w| duty_desk::store::handover::sign(w, &town, None))
        .unwrap();
    let m = common::model_at(&db, Lang::En, "谭慧敏", t("2026-11-27T08:10:00+08:00"));
    let header = common::render(&m, 140, 30);
    let header = header.lines().next().unwrap();
    assert!(header.contains("shift 11-27 08:30"), "{header}");
    assert!(!header.contains("late"), "{header}");
}

#[test]
fn the_incoming_person_signs_with_their_pin_and_a_wrong_one_changes_nothing() {
    let (_d, db) = desk();
    {
        let mut s = Store::open(&db).unwrap();
        let c = Ctx {
            operator: "谭慧敏".into(),
            now: t("2026-11-26T22:00:00+08:00"),
        };
        s.write(&c, |w| staff::set_pin(w, "谭慧敏", "2468"))
            .unwrap();
    }
    let at = t("2026-11-27T08:45:00+08:00");
    let mut m = common::model_at(&db, Lang::En, "何丽君", at);
    common::show(&mut m, Screen::Shiftlog);
    common::key(&mut m, KeyCode::Char('s'));
    // the first person off the shift is offered: 谭慧敏
    assert!(matches!(m.shiftlog.form, Some(Form::Sign { sel: 1, .. })));
    common::key(&mut m, KeyCode::Enter);
    for c in "1111".chars() {
        common::key(&mut m, KeyCode::Char(c));
    }
    let screen = common::render(&m, 120, 36);
    assert!(screen.contains("PIN of 谭慧敏"), "{screen}");
    assert!(screen.contains("****_"), "the PIN is never shown: {screen}");
    assert!(!screen.contains("1111"));
    let fx = common::key(&mut m, KeyCode::Enter);
    let r = run(&mut m, &db, fx);
    assert!(r.as_ref().is_err_and(|e| e.contains("wrong PIN")), "{r:?}");
    assert!(
        !shiftlog::shift_signed(
            Store::open(&db).unwrap().conn(),
            m.snapshot.as_ref().unwrap().shift_start
        )
        .unwrap()
    );
    // no PIN typed for someone who has one
    common::key(&mut m, KeyCode::Char('s'));
    common::key(&mut m, KeyCode::Enter);
    let fx = common::key(&mut m, KeyCode::Enter);
    let r = run(&mut m, &db, fx);
    assert!(r.as_ref().is_err_and(|e| e.contains("has a PIN")), "{r:?}");
    // an officer of the shift cannot take it over
    common::key(&mut m, KeyCode::Char('s'));
    common::key(&mut m, KeyCode::Up); // 罗承志, the leader
    for _ in 0..7 {
        common::key(&mut m, KeyCode::Down);
    }
    let Some(Form::Sign { sel, .. }) = m.shiftlog.form else {
        panic!("sign form")
    };
    assert_eq!(m.town.staff[sel].name, "何丽君");
    common::key(&mut m, KeyCode::Enter);
    let fx = common::key(&mut m, KeyCode::Enter);
    let r = run(&mut m, &db, fx);
    assert!(
        r.as_ref()
            .is_err_and(|e| e.contains("cannot sign it over to themselves")),
        "{r:?}"
    );
    // the right PIN signs the 11-26 shift, and the signature is 谭慧敏's
    let old = m.snapshot.as_ref().unwrap().shift_start;
    common::key(&mut m, KeyCode::Char('s'));
    common::key(&mut m, KeyCode::Enter);
    for c in "2468".chars() {
        common::key(&mut m, KeyCode::Char(c));
    }
    let fx = common::key(&mut m, KeyCode::Enter);
    let done = run(&mut m, &db, fx).unwrap();
    assert!(done.contains("handed over to 谭慧敏"), "{done}");
    let row = shiftlog::handover_row(Store::open(&db).unwrap().conn(), old)
        .unwrap()
        .unwrap();
    assert_eq!(row.signed_by.as_deref(), Some("谭慧敏"));
    assert_eq!(row.outgoing.as_deref(), Some("何丽君"));
    assert_eq!(old, t("2026-11-26T08:30:00+08:00"));
}

#[test]
fn the_roster_a_week_ahead_is_planned_from_the_shift_log() {
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::En, "冉小东");
    common::show(&mut m, Screen::Shiftlog);
    common::key(&mut m, KeyCode::Char('p'));
    let screen = common::render(&m, 120, 36);
    assert!(screen.contains("Roster, a week ahead"), "{screen}");
    assert!(screen.contains("11-26 Thu"), "{screen}");
    assert!(
        screen.contains("11-27 Fri") && screen.contains("12-02 Wed"),
        "{screen}"
    );
    assert!(screen.contains("nothing planned"), "{screen}");
    assert_eq!(m.snapshot.as_ref().unwrap().roster_week.len(), 7);
    // plan 11-27: 谭慧敏 leads, 陈思远 and 杨秀兰 on duty
    common::key(&mut m, KeyCode::Down);
    common::key(&mut m, KeyCode::Enter);
    assert!(matches!(m.shiftlog.form, Some(Form::Plan { .. })));
    assert!(common::render(&m, 120, 36).contains("Plan for 2026-11-27"));
    let pick = |m: &mut Model, name: &str, key: char| {
        let i = m.town.staff.iter().position(|p| p.name == name).unwrap();
        if let Some(Form::Plan { sel, .. }) = &mut m.shiftlog.form {
            *sel = i;
        }
        common::key(m, KeyCode::Char(key));
    };
    pick(&mut m, "谭慧敏", '1');
    pick(&mut m, "陈思远", '2');
    pick(&mut m, "杨秀兰", '2');
    let fx = common::key(&mut m, KeyCode::Enter);
    let done = run(&mut m, &db.path, fx).unwrap();
    assert!(done.contains("2026-11-27"), "{done}");
    let week = &m.snapshot.as_ref().unwrap().roster_week;
    assert_eq!(week[1].leader.as_deref(), Some("谭慧敏"));
    assert_eq!(week[1].officers, ["陈思远", "杨秀兰"]);
    insta::assert_snapshot!("shiftlog_roster_week_en", common::render(&m, 120, 36));
    // in Chinese the officers are listed with 、 (they were joined by ", " in every language)
    let mut z = common::model(&db.path, Lang::Zh, "冉小东");
    common::show(&mut z, Screen::Shiftlog);
    common::key(&mut z, KeyCode::Char('p'));
    let screen = common::render(&z, 120, 36);
    assert!(screen.contains("陈思远、杨秀兰"), "{screen}");
    // and the day's weekday is Chinese too (chrono's %a wrote "Thu")
    assert!(screen.contains("11-26 周四"), "{screen}");
    assert!(!screen.contains("Thu"), "{screen}");
    // a dispatcher may look, not plan: told on Enter, before choosing anyone
    let mut d = common::model(&db.path, Lang::En, "邓宇航");
    common::show(&mut d, Screen::Shiftlog);
    common::key(&mut d, KeyCode::Char('p'));
    common::key(&mut d, KeyCode::Down);
    common::key(&mut d, KeyCode::Down);
    let fx = common::key(&mut d, KeyCode::Enter);
    assert_eq!(fx, vec![Effect::Bell]);
    assert!(d.shiftlog.form.is_none());
    let said = d.status.as_ref().unwrap().msg.render(Lang::En);
    assert!(said.contains("may not plan the duty roster"), "{said}");
    // and a stale form is still refused before it reaches the store
    d.shiftlog.form = Some(Form::Plan {
        date: chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap(),
        sel: 0,
        leader: None,
        officers: Vec::new(),
        find: Default::default(),
    });
    common::key(&mut d, KeyCode::Char('1'));
    let fx = common::key(&mut d, KeyCode::Enter);
    assert_eq!(fx, vec![Effect::Bell], "refused before it is sent");
}

#[test]
fn the_full_size_handover_scrolls_by_page_and_to_either_end() {
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::En, "何丽君");
    common::show(&mut m, Screen::Shiftlog);
    common::key(&mut m, KeyCode::Char('h'));
    common::render(&m, 100, 24);
    let max = m.shiftlog.max_scroll.get();
    let page = m.shiftlog.page.get();
    assert!(
        max > page,
        "the demo handover is longer than a page ({max} {page})"
    );
    common::key(&mut m, KeyCode::PageDown);
    assert_eq!(m.shiftlog.scroll, page - 1);
    common::key(&mut m, KeyCode::End);
    assert_eq!(m.shiftlog.scroll, max);
    let bottom = common::render(&m, 100, 24);
    common::key(&mut m, KeyCode::PageUp);
    assert_eq!(m.shiftlog.scroll, max - (page - 1));
    common::key(&mut m, KeyCode::Home);
    assert_eq!(m.shiftlog.scroll, 0);
    assert_ne!(bottom, common::render(&m, 100, 24));
}
