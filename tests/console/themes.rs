//! The three themes and NO_COLOR on the Overview: a compact description of the styled
//! runs of the header and the first panel rows (style, then the text it covers), so a
//! change of palette shows up as a small readable diff.
use crate::common;

use duty_desk::config::ThemeName;
use duty_desk::i18n::Lang;
use duty_desk::ui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::{Color, Modifier};

/// Rows 0..`rows` of the Overview drawn with `theme`, as runs of one style each.
fn styled_runs(theme: Theme, rows: u16) -> String {
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::En, &db.operator);
    m.theme = theme;
    let mut term = Terminal::new(TestBackend::new(100, 30)).unwrap();
    term.draw(|f| duty_desk::ui::draw(f, &m)).unwrap();
    let buf = term.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..rows {
        let mut runs: Vec<(String, String)> = Vec::new();
        let mut skip = 0;
        for x in 0..buf.area.width {
            // the cell after a wide (CJK) character is its continuation
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let c = &buf[(x, y)];
            skip = unicode_width::UnicodeWidthStr::width(c.symbol()).saturating_sub(1);
            let style = describe(c.fg, c.bg, c.modifier);
            match runs.last_mut() {
                Some((s, text)) if *s == style => text.push_str(c.symbol()),
                _ => runs.push((style, c.symbol().to_string())),
            }
        }
        out.push_str(&format!("row {y}:\n"));
        for (style, text) in runs {
            let text = text.trim_end();
            if text.trim().is_empty() && style == "plain" {
                continue;
            }
            out.push_str(&format!("  {style:<28} {text:?}\n"));
        }
    }
    out
}

fn describe(fg: Color, bg: Color, m: Modifier) -> String {
    let mut parts = Vec::new();
    if fg != Color::Reset {
        parts.push(format!("fg={fg:?}"));
    }
    if bg != Color::Reset {
        parts.push(format!("bg={bg:?}"));
    }
    if !m.is_empty() {
        parts.push(format!("{m:?}").replace("Modifier(", "").replace(')', ""));
    }
    if parts.is_empty() {
        "plain".into()
    } else {
        parts.join(" ")
    }
}

#[test]
fn dark() {
    let t = Theme {
        name: ThemeName::Dark,
        no_color: false,
    };
    insta::assert_snapshot!("theme_dark", styled_runs(t, 5));
}

#[test]
fn light() {
    let t = Theme {
        name: ThemeName::Light,
        no_color: false,
    };
    insta::assert_snapshot!("theme_light", styled_runs(t, 5));
}

#[test]
fn high_contrast() {
    let t = Theme {
        name: ThemeName::HighContrast,
        no_color: false,
    };
    insta::assert_snapshot!("theme_high_contrast", styled_runs(t, 5));
}

#[test]
fn no_color_keeps_attributes_only() {
    let t = Theme {
        name: ThemeName::HighContrast,
        no_color: true,
    };
    let runs = styled_runs(t, 5);
    assert!(!runs.contains("fg="), "{runs}");
    assert!(!runs.contains("bg="), "{runs}");
    insta::assert_snapshot!("theme_no_color", runs);
}

#[test]
fn the_themes_differ() {
    let a = |name| {
        styled_runs(
            Theme {
                name,
                no_color: false,
            },
            5,
        )
    };
    let (d, l, h) = (
        a(ThemeName::Dark),
        a(ThemeName::Light),
        a(ThemeName::HighContrast),
    );
    assert_ne!(d, l);
    assert_ne!(d, h);
    assert_ne!(l, h);
}
