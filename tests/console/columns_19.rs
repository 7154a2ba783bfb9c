//! Columns and focus (issue 19, item 6): list columns sized by content and priority at
//! every width (at 200 columns the Village column took 100 characters while "To" and
//! "Vehicle" were cut; at 80×24 deadlines read "due in 2"); on Fleet only the focused list
//! shows the selection marker; every theme's selected row keeps its text readable (the
//! grey time vanished on the grey selection).

use crate::common;

use crossterm::event::KeyCode;
use duty_desk::app::{Model, Screen};
use duty_desk::config::ThemeName;
use duty_desk::i18n::Lang;
use duty_desk::ui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Color;

const SIZES: [(u16, u16); 3] = [(80, 24), (120, 36), (200, 50)];

fn draw(m: &Model, w: u16, h: u16) -> Buffer {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| duty_desk::ui::draw(f, m)).unwrap();
    term.backend().buffer().clone()
}

/// The first rendered line holding every one of `cells` (a table's header row).
fn header_row<'a>(screen: &'a str, cells: &[&str]) -> Option<&'a str> {
    screen.lines().find(|l| {
        cells
            .iter()
            .all(|c| l.contains(&format!(" {c}")) || l.contains(&format!("│{c}")))
    })
}

#[test]
fn list_screens_at_three_sizes_in_both_languages_show_every_kept_header_whole() {
    let db = common::demo_db();
    for lang in [Lang::En, Lang::Zh] {
        // the columns that must show at every width, by screen
        let must: [(Screen, Vec<&str>); 4] = [
            (
                Screen::Fleet,
                vec![
                    lang.t("fleet.col_severity"),
                    lang.t("fleet.col_village"),
                    lang.t("fleet.col_status"),
                    lang.t("fleet.col_vehicle"),
                    lang.t("fleet.col_waited"),
                ],
            ),
            (
                Screen::Escalations,
                vec![lang.t("esc.col_when"), lang.t("esc.col_title")],
            ),
            (
                Screen::Shiftlog,
                vec![
                    lang.t("log.col_time"),
                    lang.t("log.col_category"),
                    lang.t("log.col_author"),
                    lang.t("log.col_text"),
                ],
            ),
            (Screen::Report, vec![lang.t("report.col_village")]),
        ];
        for (screen, cells) in &must {
            for (w, h) in SIZES {
                let mut m = common::model(&db.path, lang, common::DUTY_LEADER);
                common::show(&mut m, *screen);
                let text = common::render(&m, w, h);
                let row = header_row(&text, cells);
                assert!(
                    row.is_some(),
                    "{screen:?} {lang:?} {w}x{h}: {cells:?}\n{text}"
                );
                let name = format!(
                    "{}_{}_{w}x{h}",
                    format!("{screen:?}").to_lowercase(),
                    if lang == Lang::En { "en" } else { "zh" }
                );
                insta::assert_snapshot!(name, text);
            }
        }
    }
}

#[test]
fn at_200_columns_the_village_takes_what_it_needs_and_to_and_vehicle_show_whole() {
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::En, common::DUTY_LEADER);
    common::show(&mut m, Screen::Fleet);
    let text = common::render(&m, 200, 50);
    let head = header_row(&text, &["Village", "To", "Vehicle", "Total"]).expect(&text);
    let at = |c: &str| head.find(c).unwrap();
    // "Longtan Village" is the longest village shown: the column is its width, not 100
    assert!(at("Patient") - at("Village") < 25, "{head}");
    for row in text
        .lines()
        .filter(|l| l.contains("Longtan Village"))
        .take(1)
    {
        assert!(!row.contains('~'), "{row}");
    }
    // every destination whole (a cut one ends in ~)
    let queue: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("│>#") || l.starts_with("│ #"))
        .collect();
    assert!(!queue.is_empty(), "{text}");
    for row in queue {
        assert!(!row.contains('~'), "{row}");
    }
}

#[test]
fn at_80x24_deadlines_read_whole_in_both_languages() {
    let db = common::demo_db();
    for lang in [Lang::En, Lang::Zh] {
        let mut m = common::model(&db.path, lang, common::DUTY_LEADER);
        common::show(&mut m, Screen::Escalations);
        let text = common::render(&m, 80, 24);
        let rows = duty_desk::app::escalations::visible(&m);
        for e in rows.iter().take(10) {
            let when = duty_desk::ui::escalations::when(&m, e);
            assert!(text.contains(&when), "{lang:?}: {when:?} cut\n{text}");
        }
    }
}

#[test]
fn the_console_reads_durations_in_its_language() {
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::Zh, common::DUTY_LEADER);
    common::show(&mut m, Screen::Escalations);
    let text = common::render(&m, 120, 36);
    assert!(text.contains("分钟"), "{text}");
    // ASCII `20m` / `1h05m` gone from the Chinese queue
    assert!(!text.contains("20m"), "{text}");
    common::show(&mut m, Screen::Fleet);
    let text = common::render(&m, 120, 36);
    assert!(text.contains("4分钟"), "{text}");
}

/// The columns where a `>` marker is drawn in the body (inside the panels).
fn markers(text: &str) -> usize {
    text.lines()
        .skip(2)
        .filter(|l| l.starts_with("│>") || l.contains("││>"))
        .count()
}

#[test]
fn on_fleet_only_the_focused_list_shows_the_selection_marker() {
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::En, common::DUTY_LEADER);
    common::show(&mut m, Screen::Fleet);
    let text = common::render(&m, 120, 36);
    assert_eq!(markers(&text), 1, "queue focused\n{text}");
    assert!(text.contains("│>#"), "{text}");
    common::key(&mut m, KeyCode::Right);
    let text = common::render(&m, 120, 36);
    assert_eq!(markers(&text), 1, "board focused\n{text}");
    assert!(
        !text.contains("│>#"),
        "the queue still shows its marker\n{text}"
    );
}

/// The xterm palette's colour for a named colour (what the contrast is computed from).
fn rgb(c: Color) -> Option<(u8, u8, u8)> {
    Some(match c {
        Color::Black => (0, 0, 0),
        Color::Red => (205, 0, 0),
        Color::Green => (0, 205, 0),
        Color::Yellow => (205, 205, 0),
        Color::Blue => (0, 0, 238),
        Color::Magenta => (205, 0, 205),
        Color::Cyan => (0, 205, 205),
        Color::Gray => (229, 229, 229),
        Color::DarkGray => (127, 127, 127),
        Color::LightRed => (255, 0, 0),
        Color::LightGreen => (0, 255, 0),
        Color::LightYellow => (255, 255, 0),
        Color::LightBlue => (92, 92, 255),
        Color::LightMagenta => (255, 0, 255),
        Color::LightCyan => (0, 255, 255),
        Color::White => (255, 255, 255),
        Color::Rgb(r, g, b) => (r, g, b),
        _ => return None,
    })
}

/// WCAG contrast ratio of two colours.
fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    let lum = |(r, g, b): (u8, u8, u8)| {
        let ch = |v: u8| {
            let v = f64::from(v) / 255.0;
            if v <= 0.03928 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b)
    };
    let (x, y) = (lum(a), lum(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

#[test]
fn every_themes_selection_colours_read_at_4_5_or_more() {
    for name in [ThemeName::Dark, ThemeName::Light, ThemeName::HighContrast] {
        let sel = Theme {
            name,
            no_color: false,
        }
        .selected();
        let (fg, bg) = (sel.fg.unwrap(), sel.bg.unwrap());
        let ratio = contrast(rgb(fg).unwrap(), rgb(bg).unwrap());
        assert!(ratio >= 4.5, "{name:?}: {fg:?} on {bg:?} is {ratio:.2}");
    }
}

#[test]
fn every_cell_of_a_selected_row_reads_in_every_theme() {
    let db = common::demo_db();
    for name in [ThemeName::Dark, ThemeName::Light, ThemeName::HighContrast] {
        let theme = Theme {
            name,
            no_color: false,
        };
        let bg = theme.selected().bg.unwrap();
        for (screen, right) in [
            (Screen::Shiftlog, false),
            (Screen::Fleet, false),
            (Screen::Fleet, true),
            (Screen::Escalations, false),
            (Screen::Report, false),
            (Screen::Overview, false),
        ] {
            let mut m = common::model(&db.path, Lang::En, common::DUTY_LEADER);
            m.theme = theme;
            common::show(&mut m, screen);
            if right {
                common::key(&mut m, KeyCode::Right);
            }
            common::key(&mut m, KeyCode::Down);
            let buf = draw(&m, 120, 36);
            let mut seen = 0;
            for y in 2..35 {
                for x in 0..120 {
                    let c = &buf[(x, y)];
                    if c.bg != bg || c.symbol().trim().is_empty() {
                        continue;
                    }
                    seen += 1;
                    let fg = if c.fg == Color::Reset {
                        Color::White
                    } else {
                        c.fg
                    };
                    let ratio = contrast(rgb(fg).unwrap(), rgb(bg).unwrap());
                    assert!(
                        ratio >= 4.5,
                        "{name:?} {screen:?}: {:?} ({fg:?} on {bg:?}) at {x},{y} is {ratio:.2}",
                        c.symbol()
                    );
                }
            }
            assert!(seen > 0, "{name:?} {screen:?}: no selected row drawn");
        }
    }
}
