//! The Shift log pages through a shift longer than the window the console reads (issue
//! 18): Home reaches the shift's first entry, Up at the top of the window reads the page
//! before it, End comes back to the newest, and the title counts the whole log throughout.

use crate::common;

use chrono::{DateTime, Duration, Utc};
use crossterm::event::KeyCode;
use duty_desk::app::{Effect, Model, Screen};
use duty_desk::domain::shift::LogCategory;
use duty_desk::i18n::Lang;
use duty_desk::store::shiftlog::{self, LogPage};
use duty_desk::store::snapshot::LOG_WINDOW;
use duty_desk::store::{Ctx, Store};

/// The demo with `extra` more entries in its open shift (100 per transaction, each
/// transaction's entries at one instant); returns the shift's entries in the log's order.
fn long_shift(db: &std::path::Path, extra: usize) -> Vec<i64> {
    let mut store = Store::open(db).unwrap();
    let now = common::now();
    let first = now - Duration::seconds(extra as i64 + 5);
    let mut written = 0;
    while written < extra {
        let at: DateTime<Utc> = first + Duration::seconds(written as i64);
        let ctx = Ctx {
            operator: common::DUTY_LEADER.into(),
            now: at,
        };
        store
            .write(&ctx, |w| {
                for i in written..(written + 100).min(extra) {
                    shiftlog::add_entry(w, LogCategory::Call, &format!("paged call {i}"))?;
                }
                Ok(())
            })
            .unwrap();
        written += 100;
    }
    let shift = shiftlog::current_shift_start(store.conn(), now).unwrap();
    shiftlog::entries(store.conn(), shift)
        .unwrap()
        .into_iter()
        .map(|e| e.id)
        .collect()
}

/// Sends a key and, when it asks for a page, reads it as the store thread would.
fn press(m: &mut Model, db: &std::path::Path, code: KeyCode) -> bool {
    let effects = common::key(m, code);
    let reload = effects.iter().any(|e| matches!(e, Effect::Reload(_)));
    if reload {
        common::reload(m, db);
    }
    reload
}

fn selected(m: &Model) -> i64 {
    let s = m.snapshot.as_deref().unwrap();
    s.log[m.selected[Screen::Shiftlog.index()]].id
}

#[test]
fn home_reaches_the_first_entry_of_a_shift_longer_than_the_window() {
    let db = common::demo_db();
    let all = long_shift(&db.path, 2 * LOG_WINDOW + 70);
    let total = all.len();
    let mut m = common::model(&db.path, Lang::En, "何丽君");
    common::show(&mut m, Screen::Shiftlog);
    let title = format!("Log ({total} entries)");
    assert!(common::render(&m, 160, 50).contains(&title));
    {
        let s = m.snapshot.as_deref().unwrap();
        assert_eq!(s.log.len(), LOG_WINDOW);
        assert_eq!(s.log_total, total);
    }

    assert!(
        press(&mut m, &db.path, KeyCode::Home),
        "Home reads the oldest page"
    );
    assert_eq!(selected(&m), all[0], "the shift's first entry");
    let screen = common::render(&m, 160, 50);
    assert!(
        screen.contains(&title),
        "the count stays the whole log's\n{screen}"
    );
    common::key(&mut m, KeyCode::Enter);
    let detail = common::render(&m, 160, 50);
    assert!(detail.contains(&format!("1 of {total}")), "{detail}");
    common::key(&mut m, KeyCode::Esc);
    assert!(
        !press(&mut m, &db.path, KeyCode::Up),
        "nothing before the first"
    );
    assert_eq!(selected(&m), all[0]);

    // Down through the whole log, a page read whenever the window runs out
    let mut seen = vec![selected(&m)];
    let mut pages = 0;
    for _ in 0..total {
        pages += usize::from(press(&mut m, &db.path, KeyCode::Down));
        seen.push(selected(&m));
    }
    seen.dedup();
    assert_eq!(seen, all, "every entry once, in the log's order");
    assert!(pages >= 3, "{pages} pages");
    assert!(
        common::render(&m, 160, 50).contains(&title),
        "the count stays the whole log's"
    );
    assert_eq!(
        m.view.log_page,
        LogPage::Newest,
        "the newest page follows new entries"
    );

    // and Up back to the first, again page by page
    let mut seen = vec![selected(&m)];
    for _ in 0..total {
        press(&mut m, &db.path, KeyCode::Up);
        seen.push(selected(&m));
    }
    seen.dedup();
    seen.reverse();
    assert_eq!(seen, all);
    {
        let s = m.snapshot.as_deref().unwrap();
        assert!(s.log.len() <= LOG_WINDOW, "one window held");
        assert_eq!(s.log_older, 0);
    }

    assert!(
        press(&mut m, &db.path, KeyCode::End),
        "End reads the newest page"
    );
    assert_eq!(selected(&m), *all.last().unwrap());
    assert_eq!(m.view.log_page, LogPage::Newest);
}
