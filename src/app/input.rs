//! The one text input every form uses (issue 19, item 3): a cursor moved by grapheme
//! (←/→, Home/End, Backspace/Delete), paste, a length limit that says so, and characters
//! that cannot be typed refused with a message instead of dropped silently.
//!
//! Our own small module rather than the `tui-input` crate: the console needs the refusal
//! messages through the catalogue, a digits-only kind, and paste that turns a newline into
//! a space (a pasted newline never presses Enter); `tui-input` has none of these, so it
//! would be wrapped as much as written.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use crate::i18n::Msg;

/// What may be typed into an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Kind {
    /// Any printable text on one line.
    #[default]
    Line,
    /// Printable text; a pasted line break is kept (Alt+Enter adds one).
    Lines,
    /// Digits only.
    Digits,
    /// A figure (the daily report form): a full-width digit becomes its ASCII digit; any
    /// other printable character is kept, with a notice naming it, so that `-5` stays `-5`
    /// (marked, and refused on save) and never becomes `5` (issue 19).
    Figure,
}

/// One text input: its text, the cursor, its limit, and what it last refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextInput {
    text: String,
    /// Byte offset of the cursor, always on a grapheme boundary.
    cursor: usize,
    /// The most characters it holds.
    limit: usize,
    kind: Kind,
    /// What the last key or paste could not do (shown beside the field until the next edit).
    pub notice: Option<Msg>,
}

impl Default for TextInput {
    fn default() -> Self {
        TextInput::new(Kind::Line, 200)
    }
}

/// What a key did to an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edited {
    /// The text changed.
    Changed,
    /// Only the cursor moved, or a refusal was noted.
    Kept,
    /// Not an editing key: the form decides (Enter, Esc, Tab, ↑/↓…).
    NotMine,
}

impl TextInput {
    /// An empty input.
    pub fn new(kind: Kind, limit: usize) -> TextInput {
        TextInput {
            text: String::new(),
            cursor: 0,
            limit,
            kind,
            notice: None,
        }
    }

    /// An input holding `text` (cut to the limit), the cursor at its end.
    pub fn with_text(kind: Kind, limit: usize, text: &str) -> TextInput {
        let mut i = TextInput::new(kind, limit);
        i.set(text);
        i
    }

    /// The text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The cursor's byte offset in [`TextInput::text`].
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// The limit in characters.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// The display columns before the cursor (a Chinese character counts two).
    pub fn cursor_column(&self) -> usize {
        self.text[..self.cursor].width()
    }

    /// Replaces the text (cut to the limit, kept characters only), the cursor at its end.
    pub fn set(&mut self, text: &str) {
        self.text.clear();
        self.cursor = 0;
        self.insert(text, false);
        self.notice = None;
    }

    /// Empties the input.
    pub fn clear(&mut self) {
        self.text.clear();
        self.cursor = 0;
        self.notice = None;
    }

    /// True when nothing is typed.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Applies one key.
    pub fn key(&mut self, k: KeyEvent) -> Edited {
        let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
        match k.code {
            KeyCode::Left => self.move_to(self.prev_boundary()),
            KeyCode::Right => self.move_to(self.next_boundary()),
            KeyCode::Home => self.move_to(0),
            KeyCode::End => self.move_to(self.text.len()),
            KeyCode::Char('a') if ctrl => self.move_to(0),
            KeyCode::Char('e') if ctrl => self.move_to(self.text.len()),
            KeyCode::Backspace => {
                let from = self.prev_boundary();
                self.remove(from, self.cursor)
            }
            KeyCode::Delete => {
                let to = self.next_boundary();
                self.remove(self.cursor, to)
            }
            KeyCode::Enter
                if self.kind == Kind::Lines && k.modifiers.contains(KeyModifiers::ALT) =>
            {
                self.insert("\n", false)
            }
            KeyCode::Char(_) if ctrl => Edited::NotMine,
            KeyCode::Char(c) => self.insert(c.encode_utf8(&mut [0; 4]), true),
            _ => Edited::NotMine,
        }
    }

    /// Inserts pasted text at the cursor. A line break becomes a space on a one-line input
    /// (it never presses Enter), a tab a space; whatever cannot be typed is left out, and
    /// the notice says so.
    pub fn paste(&mut self, s: &str) -> Edited {
        let s = s
            .replace("\r\n", "\n")
            .replace('\r', "\n")
            .replace('\t', " ");
        let s = if self.kind == Kind::Lines {
            s
        } else {
            s.replace('\n', " ")
        };
        self.insert(&s, true)
    }

    fn move_to(&mut self, at: usize) -> Edited {
        self.cursor = at;
        Edited::Kept
    }

    fn prev_boundary(&self) -> usize {
        self.text[..self.cursor]
            .grapheme_indices(true)
            .next_back()
            .map_or(0, |(i, _)| i)
    }

    fn next_boundary(&self) -> usize {
        self.text[self.cursor..]
            .graphemes(true)
            .next()
            .map_or(self.cursor, |g| self.cursor + g.len())
    }

    fn remove(&mut self, from: usize, to: usize) -> Edited {
        if from == to {
            return Edited::Kept;
        }
        self.text.replace_range(from..to, "");
        self.cursor = from;
        self.notice = None;
        Edited::Changed
    }

    fn allowed(&self, c: char) -> bool {
        match self.kind {
            Kind::Digits => c.is_ascii_digit(),
            Kind::Lines if c == '\n' => true,
            _ => crate::domain::text::is_clean(c.encode_utf8(&mut [0; 4])),
        }
    }

    /// Inserts what may be typed of `s` at the cursor, up to the limit; `say` notes what
    /// was refused.
    fn insert(&mut self, s: &str, say: bool) -> Edited {
        let mut refused: Option<char> = None;
        let mut cut = false;
        let mut count = self.text.chars().count();
        let mut add = String::new();
        let mut not_digit: Option<char> = None;
        for c in s.chars() {
            let c = if self.kind == Kind::Figure {
                full_width_digit(c)
            } else {
                c
            };
            if !self.allowed(c) {
                refused.get_or_insert(c);
                continue;
            }
            if count >= self.limit {
                cut = true;
                break;
            }
            if self.kind == Kind::Figure && !c.is_ascii_digit() {
                not_digit.get_or_insert(c);
            }
            add.push(c);
            count += 1;
        }
        // an insertion may join the grapheme before the cursor (a combining accent): the
        // cursor goes after what was added, then back to a boundary if it is not on one
        self.text.insert_str(self.cursor, &add);
        let end = self.cursor + add.len();
        self.cursor = self.boundary_at_or_after(end);
        self.notice = if !say {
            None
        } else if cut {
            Some(Msg::new("input.too_long").arg("limit", self.limit))
        } else if let Some(c) = not_digit.filter(|_| refused.is_none()) {
            Some(Msg::new("rform.bad_char").quoted("char", c))
        } else if let Some(c) = refused {
            Some(match self.kind {
                Kind::Digits => Msg::new("input.digits_only"),
                _ => Msg::new("input.refused").arg("char", format!("U+{:04X}", c as u32)),
            })
        } else {
            None
        };
        if add.is_empty() {
            Edited::Kept
        } else {
            Edited::Changed
        }
    }

    fn boundary_at_or_after(&self, at: usize) -> usize {
        let mut pos = 0;
        for g in self.text.graphemes(true) {
            if pos >= at {
                return pos;
            }
            pos += g.len();
        }
        self.text.len()
    }
}

/// A full-width digit from a Chinese input method (`２`) as its ASCII digit; any other
/// character as it is.
fn full_width_digit(c: char) -> char {
    match c {
        '\u{ff10}'..='\u{ff19}' => char::from_digit(c as u32 - 0xff10, 10).unwrap_or(c),
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn k(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn typed(i: &mut TextInput, s: &str) {
        for c in s.chars() {
            i.key(k(KeyCode::Char(c)));
        }
    }

    #[test]
    fn the_cursor_moves_by_grapheme_and_edits_in_the_middle() {
        let mut i = TextInput::default();
        typed(&mut i, "杉木村");
        assert_eq!(i.cursor_column(), 6, "a Chinese character is two columns");
        i.key(k(KeyCode::Left));
        i.key(k(KeyCode::Left));
        assert_eq!(i.cursor_column(), 2);
        typed(&mut i, "x");
        assert_eq!(i.text(), "杉x木村");
        i.key(k(KeyCode::Delete));
        assert_eq!(i.text(), "杉x村");
        i.key(k(KeyCode::Backspace));
        i.key(k(KeyCode::Backspace));
        assert_eq!(i.text(), "村");
        i.key(k(KeyCode::Backspace));
        assert_eq!(i.text(), "村", "nothing before the cursor");
        i.key(k(KeyCode::End));
        typed(&mut i, "e\u{301}");
        assert_eq!(i.text(), "村e\u{301}");
        i.key(k(KeyCode::Left));
        assert_eq!(i.cursor(), "村".len(), "e and its accent are one step");
        i.key(k(KeyCode::Home));
        assert_eq!(i.cursor(), 0);
    }

    #[test]
    fn refusals_say_so() {
        let mut i = TextInput::new(Kind::Digits, 3);
        typed(&mut i, "-5");
        assert_eq!(i.text(), "5");
        assert_eq!(i.notice, None, "the 5 cleared the refusal of -");
        typed(&mut i, "a");
        assert_eq!(
            i.notice.as_ref().map(|m| m.key.as_ref()),
            Some("input.digits_only")
        );
        typed(&mut i, "123");
        assert_eq!(i.text(), "512");
        assert_eq!(
            i.notice.as_ref().map(|m| m.key.as_ref()),
            Some("input.too_long")
        );
        let mut t = TextInput::default();
        typed(&mut t, "a\u{202E}b");
        assert_eq!(t.text(), "ab");
        t.key(k(KeyCode::Char('\u{7}')));
        let n = t.notice.clone().unwrap();
        assert_eq!(n.key, "input.refused");
        assert_eq!(n.args[0].1, "U+0007");
    }

    #[test]
    fn a_pasted_newline_is_a_space_on_one_line_and_kept_on_several() {
        let mut i = TextInput::default();
        assert_eq!(i.paste("发热\r\n三天\tx"), Edited::Changed);
        assert_eq!(i.text(), "发热 三天 x");
        let mut l = TextInput::new(Kind::Lines, 100);
        l.paste("a\nb");
        assert_eq!(l.text(), "a\nb");
        // a key never gives Enter to the input: the form owns it
        assert_eq!(i.key(k(KeyCode::Enter)), Edited::NotMine);
    }

    #[test]
    fn set_cuts_to_the_limit_silently() {
        let i = TextInput::with_text(Kind::Line, 3, "abcdef");
        assert_eq!(i.text(), "abc");
        assert_eq!(i.cursor(), 3);
        assert_eq!(i.notice, None);
    }

    #[derive(Debug, Clone)]
    enum Op {
        Key(KeyCode),
        Paste(String),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            Just(Op::Key(KeyCode::Left)),
            Just(Op::Key(KeyCode::Right)),
            Just(Op::Key(KeyCode::Home)),
            Just(Op::Key(KeyCode::End)),
            Just(Op::Key(KeyCode::Backspace)),
            Just(Op::Key(KeyCode::Delete)),
            Just(Op::Key(KeyCode::Enter)),
            prop::sample::select(vec![
                'a', '杉', '\u{301}', '👩', '\u{200d}', '\n', '\u{1b}', '5'
            ])
            .prop_map(|c| Op::Key(KeyCode::Char(c))),
            "[a-z杉木村\u{301}\u{200d}👩\n\r\t\u{1b}0-9]{0,12}".prop_map(Op::Paste),
        ]
    }

    proptest! {
        #[test]
        fn any_edits_keep_the_cursor_on_a_boundary_and_within_the_limit(
            ops in prop::collection::vec(op(), 0..60),
            limit in 1usize..20,
            kind in prop::sample::select(vec![Kind::Line, Kind::Lines, Kind::Digits, Kind::Figure]),
        ) {
            let mut i = TextInput::new(kind, limit);
            for o in ops {
                match o {
                    Op::Key(c) => { i.key(k(c)); }
                    Op::Paste(s) => { i.paste(&s); }
                }
                prop_assert!(i.cursor() <= i.text().len());
                prop_assert!(i.text().is_char_boundary(i.cursor()));
                prop_assert!(i.text().chars().count() <= limit);
                prop_assert!(i.cursor_column() <= i.text().width());
                if kind != Kind::Lines {
                    prop_assert!(!i.text().contains('\n'), "a newline only in a several-line input");
                }
                if kind == Kind::Digits {
                    prop_assert!(i.text().chars().all(|c| c.is_ascii_digit()));
                }
                let escape = i.text().contains('\u{1b}');
                prop_assert!(!escape, "an escape is never typed");
            }
        }
    }
}
