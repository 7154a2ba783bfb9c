//! The alert banner names its keys by the keymap's global rows (issue 19): `Esc` marks the
//! alert seen and `!` opens the inbox, written and labelled as the footer and the `?` help
//! write them, in both languages; a narrow banner keeps the alert's text first.

use crate::common;

use duty_desk::app::keymap::{self, Scope};
use duty_desk::i18n::Lang;

#[test]
fn the_alert_banners_keys_are_the_global_rows_seen_and_inbox() {
    let db = common::demo_db();
    {
        let mut s = duty_desk::store::Store::open(&db.path).unwrap();
        let t = duty_desk::store::town::load(s.conn()).unwrap();
        let ctx = duty_desk::store::Ctx {
            operator: "test".into(),
            now: common::now(),
        };
        duty_desk::store::rules::run(&mut s, &t, &ctx, duty_desk::store::rules::Marks::Yes)
            .unwrap();
    }
    for lang in [Lang::En, Lang::Zh] {
        let m = common::model(&db.path, lang, common::DUTY_LEADER);
        assert!(m.escalations.alerts.showing());
        let row = |id: &str| {
            let b = keymap::of(Scope::Global).find(|b| b.id == id).unwrap();
            format!("{} {}", b.shown, lang.t_static(&b.label_key()))
        };
        let both = format!("{}  {}", row("global.seen"), row("global.inbox"));
        // at 80 columns the keys take a third at most, so the English banner keeps the
        // alert's text and names only Esc (the footer names both)
        let narrow = match lang {
            Lang::En => row("global.seen"),
            Lang::Zh => both.clone(),
        };
        for (w, h, keys) in [(80, 24, narrow), (120, 36, both)] {
            let screen = common::render(&m, w, h);
            let banner = lang.t("alerts.console.banner");
            let head = banner.split('{').next().unwrap_or_default();
            let line = screen
                .lines()
                .find(|l| l.contains(head))
                .unwrap_or_else(|| panic!("no banner: {screen}"));
            assert!(line.trim_end().ends_with(&keys), "{lang:?} {w}: {line}");
            let footer = screen.lines().last().unwrap_or_default();
            assert!(footer.starts_with(&row("global.seen")), "{footer}");
        }
    }
}
