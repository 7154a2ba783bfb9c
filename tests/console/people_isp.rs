//! The Key populations screen, the last gaps of issue 15: the call list is read only while
//! its screen is shown (the reducer asks for it when the screen opens and stops when it
//! closes).
use crate::common;

use crossterm::event::KeyCode;
use duty_desk::app::{Effect, Screen};
use duty_desk::i18n::Lang;
use duty_desk::store::snapshot::{self, View};
use duty_desk::store::{Store, town};

const OFFICER: &str = "何丽君";

#[test]
fn the_call_list_is_read_only_while_its_screen_is_shown() {
    let db = common::demo_db();
    let store = Store::open(&db.path).unwrap();
    let t = town::load(store.conn()).unwrap();
    let hidden = snapshot::load(store.conn(), &t, &View::default(), common::now()).unwrap();
    assert!(hidden.call_list.is_empty(), "not shown: not read");
    let shown = View {
        people: true,
        ..View::default()
    };
    let s = snapshot::load(store.conn(), &t, &shown, common::now()).unwrap();
    assert!(!s.call_list.is_empty(), "the demo has people due");

    let mut m = common::model(&db.path, Lang::En, OFFICER);
    assert_eq!(m.screen, Screen::Overview);
    let digit = Screen::People.digit();
    let fx = common::key(&mut m, KeyCode::Char(digit));
    assert_eq!(m.screen, Screen::People);
    assert!(m.view.people);
    assert!(fx.contains(&Effect::Reload(m.view)), "{fx:?}");
    // a key on the screen asks nothing more
    let fx = common::key(&mut m, KeyCode::Down);
    assert!(!fx.iter().any(|e| matches!(e, Effect::Reload(_))), "{fx:?}");
    let fx = common::key(&mut m, KeyCode::Char('1'));
    assert_eq!(m.screen, Screen::Overview);
    assert!(!m.view.people);
    assert!(fx.contains(&Effect::Reload(m.view)), "{fx:?}");
}
