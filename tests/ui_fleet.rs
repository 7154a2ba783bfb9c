//! Fleet & dispatch screen: snapshots in both languages at 120x36, and the screen's keys
//! driven through the reducer (forms, chooser, steps) down to the writes they ask for.

mod common;

use chrono::Duration;
use crossterm::event::KeyCode;
use duty_desk::app::fleet::{FleetWrite, Focus, Popup};
use duty_desk::app::{Effect, Screen, WriteCmd};
use duty_desk::domain::transport::TripStatus;
use duty_desk::i18n::Lang;

fn fleet_model(lang: Lang) -> (common::DemoDb, duty_desk::app::Model) {
    let db = common::demo_db();
    let mut m = common::model(&db.path, lang, &db.operator);
    common::show(&mut m, Screen::Fleet);
    (db, m)
}

#[test]
fn fleet_screen_english() {
    let (_db, m) = fleet_model(Lang::En);
    insta::assert_snapshot!("fleet_en", common::render(&m, 120, 36));
}

#[test]
fn fleet_screen_chinese() {
    let (_db, m) = fleet_model(Lang::Zh);
    insta::assert_snapshot!("fleet_zh", common::render(&m, 120, 36));
}
