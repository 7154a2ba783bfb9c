//! Hostile typing: random key sequences on every screen, with every form and popup they
//! open, never panic the console's model or its rendering (writes are not carried out).

use crate::common;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use duty_desk::app::{Action, Screen, update};
use duty_desk::i18n::Lang;
use proptest::prelude::*;

fn key() -> impl Strategy<Value = KeyEvent> {
    let code = prop_oneof![
        4 => "[a-zA-Z0-9 \\-:/.,]".prop_map(|s| KeyCode::Char(s.chars().next().unwrap_or('x'))),
        2 => "[\u{4e00}-\u{4e50}０-９]".prop_map(|s| KeyCode::Char(s.chars().next().unwrap_or('中'))),
        1 => Just(KeyCode::Enter),
        1 => Just(KeyCode::Esc),
        1 => Just(KeyCode::Tab),
        1 => Just(KeyCode::BackTab),
        1 => Just(KeyCode::Backspace),
        1 => Just(KeyCode::Up),
        1 => Just(KeyCode::Down),
        1 => Just(KeyCode::Left),
        1 => Just(KeyCode::Right),
        1 => Just(KeyCode::PageDown),
        1 => Just(KeyCode::Home),
        1 => Just(KeyCode::End),
    ];
    (code, prop::bool::weighted(0.05)).prop_map(|(c, shift)| {
        KeyEvent::new(
            c,
            if shift {
                KeyModifiers::SHIFT
            } else {
                KeyModifiers::NONE
            },
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn random_keys_never_panic(
        screen in 0usize..5,
        zh in any::<bool>(),
        keys in proptest::collection::vec(key(), 1..60),
    ) {
        let db = common::demo_db();
        let lang = if zh { Lang::Zh } else { Lang::En };
        let mut m = common::model(&db.path, lang, &db.operator);
        common::show(&mut m, Screen::ALL[screen]);
        for k in keys {
            // `q` would quit and Ctrl-C is not generated; keep the console open
            if k.code == KeyCode::Char('q') && !m.modal() {
                continue;
            }
            let _ = update(&mut m, Action::Key(k));
            let _ = common::render(&m, 120, 36);
            let _ = common::render(&m, 70, 18);
        }
    }
}
