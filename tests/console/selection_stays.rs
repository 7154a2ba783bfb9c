//! A list that re-sorts under the operator (the clock makes an escalation overdue, another
//! operator's write arrives) keeps the selection on the same record.

use crate::common;

use chrono::Duration;
use crossterm::event::KeyCode;
use duty_desk::app::{Action, Screen, escalations, update};
use duty_desk::i18n::Lang;

#[test]
fn the_selected_escalation_stays_selected_when_the_queue_reorders() {
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::En, &db.operator);
    common::show(&mut m, Screen::Escalations);
    // select the last row: an escalation due later than the others
    common::key(&mut m, KeyCode::End);
    let chosen = escalations::selected(&m).unwrap().id;
    let order_before: Vec<i64> = escalations::visible(&m).iter().map(|e| e.id).collect();
    // two hours later several escalations are overdue and move to the top
    update(&mut m, Action::Tick(common::now() + Duration::hours(2)));
    let order_after: Vec<i64> = escalations::visible(&m).iter().map(|e| e.id).collect();
    assert_ne!(order_before, order_after, "the test needs a reordering");
    assert_eq!(escalations::selected(&m).unwrap().id, chosen);
}

#[test]
fn the_selected_village_stays_selected_after_a_reload() {
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::En, &db.operator);
    common::show(&mut m, Screen::Report);
    common::key(&mut m, KeyCode::Down);
    common::key(&mut m, KeyCode::Down);
    let chosen = duty_desk::app::report::ordered(&m)[m.selected[Screen::Report.index()]]
        .code
        .clone();
    common::reload(&mut m, &db.path);
    let now_sel = duty_desk::app::report::ordered(&m)[m.selected[Screen::Report.index()]]
        .code
        .clone();
    assert_eq!(now_sel, chosen);
}
