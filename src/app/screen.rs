//! The console's screens: one enum, from which the tab bar, the digit keys, the footer's
//! and the help's digit hints, and the per-screen selection are all derived.
//!
//! A new screen is a variant in the `screens!` list below (tab order) plus its module
//! pair `app/<screen>/` and `ui/<screen>/`; the compiler then flags every `match` on
//! [`Screen`] that needs an arm (none of them has a `_` arm).

use crossterm::event::KeyEvent;

use super::{Effect, Model};

/// Declares [`Screen`] and [`Screen::ALL`] from one list, so `ALL` cannot miss a variant.
macro_rules! screens {
    ($($(#[$meta:meta])* $variant:ident,)+) => {
        /// The console's screens, in tab order.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
        pub enum Screen {
            $($(#[$meta])* $variant,)+
        }

        impl Screen {
            /// Every screen, in tab order (the order of the declaration).
            pub const ALL: [Screen; [$(Screen::$variant),+].len()] = [$(Screen::$variant),+];
        }
    };
}

screens! {
    /// Today at a glance.
    #[default]
    Overview,
    /// The daily case report.
    Report,
    /// What must not wait.
    Escalations,
    /// Vehicles and transport requests.
    Fleet,
    /// The shift log and handover.
    Shiftlog,
    /// Key populations: who is due a call today (issue 15).
    People,
}

/// The digit keys' footer hint for `n` screens (`"1-5"`), indexed by `n - 1`.
const DIGIT_RANGES: [&str; 9] = ["1", "1-2", "1-3", "1-4", "1-5", "1-6", "1-7", "1-8", "1-9"];
/// The digit keys' help row for `n` screens (`"1 2 3 4 5"`), indexed by `n - 1`.
const DIGIT_ROWS: [&str; 9] = [
    "1",
    "1 2",
    "1 2 3",
    "1 2 3 4",
    "1 2 3 4 5",
    "1 2 3 4 5 6",
    "1 2 3 4 5 6 7",
    "1 2 3 4 5 6 7 8",
    "1 2 3 4 5 6 7 8 9",
];

impl Screen {
    /// How many screens there are (the length of per-screen arrays).
    pub const COUNT: usize = Screen::ALL.len();

    /// The footer hint for the digit keys, e.g. `"1-5"` (a tenth screen fails to compile:
    /// screens are chosen by one digit).
    pub const DIGIT_HINT: &'static str = DIGIT_RANGES[Screen::COUNT - 1];

    /// The help overlay's row for the digit keys, e.g. `"1 2 3 4 5"`.
    pub const DIGIT_ROW: &'static str = DIGIT_ROWS[Screen::COUNT - 1];

    /// Position in the tab bar (and in per-screen arrays such as `Model::selected`).
    pub const fn index(self) -> usize {
        // `ALL` is the declaration order, so the discriminant is the position
        self as usize
    }

    /// The digit key that shows this screen (`'1'` for the first tab).
    pub fn digit(self) -> char {
        // COUNT <= 9 (see DIGIT_HINT), so the digit is one of '1'..='9'
        char::from(b'1' + self.index() as u8)
    }

    /// The screen a digit key shows, if any.
    pub fn from_digit(c: char) -> Option<Screen> {
        let i = c.to_digit(10)?.checked_sub(1)?;
        Screen::ALL.get(i as usize).copied()
    }

    /// The next screen in tab order (`Tab`), wrapping around.
    pub fn next(self) -> Screen {
        Screen::ALL[(self.index() + 1) % Screen::COUNT]
    }

    /// The previous screen in tab order (`Shift-Tab`), wrapping around.
    pub fn prev(self) -> Screen {
        Screen::ALL[(self.index() + Screen::COUNT - 1) % Screen::COUNT]
    }

    /// The screen's keys and state, for the reducer.
    pub fn logic(self) -> &'static dyn ScreenLogic {
        match self {
            Screen::Overview => &super::overview::Logic,
            Screen::Report => &super::report::Logic,
            Screen::Escalations => &super::escalations::Logic,
            Screen::Fleet => &super::fleet::Logic,
            Screen::Shiftlog => &super::shiftlog::Logic,
            Screen::People => &super::people::Logic,
        }
    }

    /// Catalogue key of the short tab title, used when the full titles do not fit the
    /// terminal's width (six English titles at 80 columns).
    pub fn short_title_key(self) -> &'static str {
        match self {
            Screen::Overview => "screen_short.overview",
            Screen::Report => "screen_short.report",
            Screen::Escalations => "screen_short.escalations",
            Screen::Fleet => "screen_short.fleet",
            Screen::Shiftlog => "screen_short.shiftlog",
            Screen::People => "screen_short.people",
        }
    }

    /// Catalogue key of the tab title.
    pub fn title_key(self) -> &'static str {
        match self {
            Screen::Overview => "screen.overview",
            Screen::Report => "screen.report",
            Screen::Escalations => "screen.escalations",
            Screen::Fleet => "screen.fleet",
            Screen::Shiftlog => "screen.shiftlog",
            Screen::People => "screen.people",
        }
    }
}

/// What the reducer asks of every screen: each `app/<screen>/mod.rs` implements it on a
/// unit struct `Logic` (drawing is `ui::ScreenView`).
pub trait ScreenLogic {
    /// True while the screen's form or popup owns the keyboard.
    fn modal(&self, m: &Model) -> bool;
    /// How many rows the screen's list has, which bounds its `Model::selected` (asked only
    /// once a snapshot is loaded).
    fn rows(&self, m: &Model) -> usize;
    /// The screen's own keys; `None` leaves the key to the global ones.
    fn on_key(&self, m: &mut Model, k: KeyEvent) -> Option<Vec<Effect>>;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Exhaustive on purpose: a new variant does not compile here until it is listed,
    /// and the test then checks `ALL` holds it.
    fn listed(s: Screen) -> bool {
        match s {
            Screen::Overview
            | Screen::Report
            | Screen::Escalations
            | Screen::Fleet
            | Screen::Shiftlog
            | Screen::People => Screen::ALL.contains(&s),
        }
    }

    #[test]
    fn all_covers_every_variant_once_in_declaration_order() {
        for (i, s) in Screen::ALL.into_iter().enumerate() {
            assert!(listed(s));
            assert_eq!(s.index(), i, "{s:?}");
        }
        for s in [
            Screen::Overview,
            Screen::Report,
            Screen::Escalations,
            Screen::Fleet,
            Screen::Shiftlog,
            Screen::People,
        ] {
            assert!(listed(s), "{s:?}");
        }
        assert_eq!(Screen::default(), Screen::ALL[0]);
    }

    #[test]
    fn digits_and_titles_are_unique_and_round_trip() {
        let mut digits: Vec<char> = Screen::ALL.iter().map(|s| s.digit()).collect();
        let mut titles: Vec<&str> = Screen::ALL.iter().map(|s| s.title_key()).collect();
        digits.sort_unstable();
        digits.dedup();
        titles.sort_unstable();
        titles.dedup();
        assert_eq!(digits.len(), Screen::COUNT);
        assert_eq!(titles.len(), Screen::COUNT);
        for s in Screen::ALL {
            assert_eq!(Screen::from_digit(s.digit()), Some(s));
            // the key-use test only sees literal keys: check the titles here
            for lang in [crate::i18n::Lang::En, crate::i18n::Lang::Zh] {
                assert!(lang.keys().contains(&s.title_key()), "{s:?} {lang:?}");
                assert!(lang.keys().contains(&s.short_title_key()), "{s:?} {lang:?}");
            }
        }
        assert_eq!(Screen::from_digit('0'), None);
        assert_eq!(
            Screen::from_digit(char::from(b'1' + Screen::COUNT as u8)),
            None
        );
        assert_eq!(Screen::from_digit('x'), None);
    }

    #[test]
    fn tab_order_wraps_and_digit_hints_follow_the_count() {
        for s in Screen::ALL {
            assert_eq!(s.next().prev(), s);
        }
        assert_eq!(Screen::ALL[Screen::COUNT - 1].next(), Screen::ALL[0]);
        let last = Screen::ALL[Screen::COUNT - 1].digit();
        assert_eq!(Screen::DIGIT_HINT, format!("1-{last}"));
        let row: Vec<String> = Screen::ALL.iter().map(|s| s.digit().to_string()).collect();
        assert_eq!(Screen::DIGIT_ROW, row.join(" "));
    }
}
