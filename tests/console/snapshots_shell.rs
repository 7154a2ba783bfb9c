//! Screens of the shell and the Overview, rendered to a `TestBackend`, in English and
//! Chinese, at a normal size and at tiny sizes.

use crate::common;

use crossterm::event::KeyCode;
use duty_desk::app::Screen;
use duty_desk::i18n::Lang;

#[test]
fn overview_in_english_at_120x36() {
    let db = common::demo_db();
    let m = common::model(&db.path, Lang::En, &db.operator);
    insta::assert_snapshot!("overview_en_120x36", common::render(&m, 120, 36));
}

#[test]
fn overview_in_chinese_at_120x36() {
    let db = common::demo_db();
    let m = common::model(&db.path, Lang::Zh, &db.operator);
    insta::assert_snapshot!("overview_zh_120x36", common::render(&m, 120, 36));
}

#[test]
fn overview_at_80x24_keeps_the_header_and_footer() {
    let db = common::demo_db();
    let m = common::model(&db.path, Lang::En, &db.operator);
    let text = common::render(&m, 80, 24);
    assert!(
        text.lines().next().unwrap().contains("Qingshi Town"),
        "{text}"
    );
    assert!(text.lines().nth(23).unwrap().contains("q quit"), "{text}");
    insta::assert_snapshot!("overview_en_80x24", text);
}

#[test]
fn help_overlay_in_both_languages() {
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::En, &db.operator);
    common::key(&mut m, KeyCode::Char('?'));
    assert!(m.help);
    insta::assert_snapshot!("help_en_120x36", common::render(&m, 120, 36));
    m.lang = Lang::Zh;
    insta::assert_snapshot!("help_zh_120x36", common::render(&m, 120, 36));
    common::key(&mut m, KeyCode::Esc);
    assert!(!m.help);
}

#[test]
fn tiny_sizes_show_a_notice() {
    let db = common::demo_db();
    let m = common::model(&db.path, Lang::En, &db.operator);
    insta::assert_snapshot!("tiny_en_20x5", common::render(&m, 20, 5));
    let zh = common::model(&db.path, Lang::Zh, &db.operator);
    insta::assert_snapshot!("tiny_zh_20x5", common::render(&zh, 20, 5));
    insta::assert_snapshot!("tiny_en_1x1", common::render(&m, 1, 1));
}

#[test]
fn every_screen_renders_at_every_size_without_panicking() {
    let db = common::demo_db();
    for lang in [Lang::En, Lang::Zh] {
        let mut m = common::model(&db.path, lang, &db.operator);
        for screen in Screen::ALL {
            common::show(&mut m, screen);
            for w in (1..=200).step_by(7) {
                for h in (1..=60).step_by(5) {
                    let _ = common::render(&m, w, h);
                }
            }
        }
    }
}

#[test]
fn number_keys_and_tab_switch_screens() {
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::En, &db.operator);
    for (k, s) in [
        ('2', Screen::Report),
        ('3', Screen::Escalations),
        ('4', Screen::Fleet),
        ('5', Screen::Shiftlog),
        ('1', Screen::Overview),
    ] {
        common::key(&mut m, KeyCode::Char(k));
        assert_eq!(m.screen, s);
    }
    common::key(&mut m, KeyCode::Tab);
    assert_eq!(m.screen, Screen::Report);
    common::key(&mut m, KeyCode::BackTab);
    assert_eq!(m.screen, Screen::Overview);
    let effects = common::key(&mut m, KeyCode::Char('q'));
    assert!(m.quit);
    assert_eq!(effects, vec![duty_desk::app::Effect::Quit]);
}
