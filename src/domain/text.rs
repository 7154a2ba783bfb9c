//! Text typed by people (log entries, titles, notes, names, reasons, CSV cells) comes from
//! village phone calls and spreadsheets: an attack surface. This module is the one path it
//! takes on the way in ([`entry`]) and on the way out to a terminal, a text file or
//! Markdown ([`display`], [`display_md`]). JSON keeps the stored text.

pub mod layout;

use std::borrow::Cow;

/// What a newline inside a field is shown as, so it can never start a record line or a
/// heading of its own.
pub const NEWLINE_MARK: &str = " / ";

/// True for the invisible characters that reorder or hide text (bidirectional overrides,
/// isolates and marks, the byte-order mark, zero-width joiners used to hide content).
fn is_format_trick(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2069}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
    )
}

/// True when `s` needs no cleaning for a terminal (no control character, no
/// bidirectional override or invisible mark).
pub fn is_clean(s: &str) -> bool {
    // read as bytes: every listing line passes through here (issue 18: `audit list` spent a
    // quarter of its time decoding characters). In UTF-8 the characters refused are the
    // ASCII controls, C2 80..9F (U+0080..U+009F), D8 9C (U+061C), E2 80 8B..8F, E2 80
    // AA..AE, E2 81 A0..A9 (U+200B..U+2069's marks), EF BB BF (U+FEFF) and EF BF B9..BB
    // (U+FFF9..U+FFFB); continuation bytes (80..BF) never match a lead byte below.
    let b = s.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        let next = |k: usize| b.get(i + k).copied().unwrap_or(0);
        let bad = match c {
            0x00..=0x1F | 0x7F => true,
            0x20..=0x7E => false,
            0xC2 => next(1) <= 0x9F,
            0xD8 => next(1) == 0x9C,
            0xE2 => matches!(
                (next(1), next(2)),
                (0x80, 0x8B..=0x8F | 0xAA..=0xAE) | (0x81, 0xA0..=0xA9)
            ),
            0xEF => matches!((next(1), next(2)), (0xBB, 0xBF) | (0xBF, 0xB9..=0xBB)),
            _ => false,
        };
        if bad {
            return false;
        }
    }
    true
}

/// Removes terminal escape sequences (CSI, OSC, DCS/APC/PM/SOS strings, two-byte escapes,
/// and their 8-bit C1 forms), so that none of their payload survives either.
fn strip_escapes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        let kind = match c {
            '\u{1b}' => match it.peek() {
                Some('[') => {
                    it.next();
                    Some('[')
                }
                Some(']') => {
                    it.next();
                    Some(']')
                }
                Some('P' | 'X' | '^' | '_') => {
                    it.next();
                    Some(']')
                }
                Some(_) => {
                    // a two-character escape (ESC 7, ESC c, ESC ( B ...): drop both
                    it.next();
                    None
                }
                None => None,
            },
            '\u{9b}' => Some('['),
            '\u{9d}' | '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => Some(']'),
            _ => {
                out.push(c);
                continue;
            }
        };
        match kind {
            Some('[') => {
                // parameters and intermediates, then one final byte in @..~
                for d in it.by_ref() {
                    if ('@'..='~').contains(&d) {
                        break;
                    }
                }
            }
            Some(_) => {
                // a string: up to BEL, ST (ESC \) or the 8-bit ST
                while let Some(d) = it.next() {
                    if d == '\u{7}' || d == '\u{9c}' {
                        break;
                    }
                    if d == '\u{1b}' {
                        if it.peek() == Some(&'\\') {
                            it.next();
                        }
                        break;
                    }
                }
            }
            None => {}
        }
    }
    out
}

/// One field as shown on a terminal or in a text file: escape sequences, control
/// characters and bidirectional overrides removed, a tab as a space, and every line break
/// shown as [`NEWLINE_MARK`] so the field stays on its own line.
pub fn display(s: &str) -> Cow<'_, str> {
    if is_clean(s) {
        return Cow::Borrowed(s);
    }
    let stripped = strip_escapes(s);
    let mut out = String::with_capacity(stripped.len());
    let mut chars = stripped.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' | '\n' | '\u{2028}' | '\u{2029}' | '\u{85}' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str(NEWLINE_MARK);
            }
            '\t' => out.push(' '),
            c if c.is_control() || is_format_trick(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// One field as written into Markdown: [`display`], then the characters Markdown would
/// read as markup escaped, so a field cannot open a heading, a list, a table cell, a link
/// or raw HTML.
pub fn display_md(s: &str) -> String {
    let shown = display(s);
    let mut out = String::with_capacity(shown.len() + 8);
    for c in shown.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '!'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Text as stored when a person types it: control characters other than newline and tab
/// removed (escape sequences with their payload), nothing else changed. Leading and
/// trailing white space is kept as typed; callers that want a trimmed value trim.
pub fn entry(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Cow::Borrowed(s);
    }
    let stripped = strip_escapes(s);
    let mut out = String::with_capacity(stripped.len());
    let mut chars = stripped.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            // CRLF and a lone CR both become a newline
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            out.push('\n');
        } else if c == '\n' || c == '\t' || !c.is_control() {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// How many characters of a value an error message quotes.
pub const QUOTE_MAX: usize = 80;

/// A value quoted in an error message: shown as [`display`] and cut to about `max`
/// characters, so a 10 MB cell gives a one-line message.
pub fn quote(s: &str, max: usize) -> String {
    let shown = display(s);
    let count = shown.chars().count();
    if count <= max {
        return shown.into_owned();
    }
    let mut out: String = shown.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out.push_str(&format!(" ({count} characters)"));
    out
}

#[cfg(test)]
mod tests {
    /// The byte-level `is_clean` agrees with the character rule it stands for, for every
    /// character alone and between others.
    #[test]
    fn is_clean_reads_bytes_as_the_character_rule_says() {
        let rule = |s: &str| {
            !s.chars()
                .any(|c| c.is_control() || super::is_format_trick(c))
        };
        for c in (0u32..=0x10FFFF).filter_map(char::from_u32) {
            for s in [c.to_string(), format!("a{c}中"), format!("{c}{c}")] {
                assert_eq!(super::is_clean(&s), rule(&s), "U+{:04X}", c as u32);
            }
        }
        assert!(super::is_clean(
            "值班员 report:2026-11-26:V01 {\"new\":1}…，（）"
        ));
        assert!(!super::is_clean("a\u{202E}b"));
        assert!(!super::is_clean("\u{85}"));
    }

    use super::*;

    #[test]
    fn clean_text_is_borrowed() {
        assert!(matches!(display("杉木村 ok"), Cow::Borrowed(_)));
        assert!(matches!(entry("two\nlines\tok"), Cow::Borrowed(_)));
    }

    #[test]
    fn osc_title_and_clear_screen_are_removed_with_their_payload() {
        let s = "x\u{1b}]0;pwned\u{7}\u{1b}[2Jy";
        assert_eq!(display(s), "xy");
        assert_eq!(entry(s), "xy");
    }

    #[test]
    fn osc52_and_osc8_with_string_terminator() {
        let s = "a\u{1b}]52;c;ZXZpbA==\u{1b}\\b\u{1b}]8;;http://x\u{1b}\\link\u{1b}]8;;\u{1b}\\c";
        assert_eq!(display(s), "ablinkc");
    }

    #[test]
    fn eight_bit_csi_and_c1_are_removed() {
        assert_eq!(display("a\u{9b}31mb\u{85}c"), "ab / c");
    }

    #[test]
    fn bidi_override_is_removed_on_display_kept_on_entry() {
        let s = "abc\u{202E}fed";
        assert_eq!(display(s), "abcfed");
        assert_eq!(entry(s), s);
    }

    #[test]
    fn newline_never_starts_a_line() {
        let s = "ok\n## forged heading\r\n09:00 forged entry";
        let d = display(s);
        assert!(!d.contains('\n') && !d.contains('\r'));
        assert_eq!(d, "ok / ## forged heading / 09:00 forged entry");
        assert_eq!(entry(s), "ok\n## forged heading\n09:00 forged entry");
    }

    #[test]
    fn markdown_markup_is_escaped() {
        assert_eq!(display_md("# a | b"), "\\# a \\| b");
        assert_eq!(display_md("[x](y)"), "\\[x\\](y)");
    }

    #[test]
    fn quote_is_bounded() {
        let big = "x".repeat(10_000_000);
        let q = quote(&big, 80);
        assert!(q.chars().count() < 120, "{}", q.len());
        assert!(q.contains("10000000"));
        assert_eq!(quote("short", 80), "short");
    }

    #[test]
    fn unterminated_sequences_end_quietly() {
        assert_eq!(display("a\u{1b}"), "a");
        assert_eq!(display("a\u{1b}]0;never ends"), "a");
        assert_eq!(display("a\u{1b}[12"), "a");
    }
}
