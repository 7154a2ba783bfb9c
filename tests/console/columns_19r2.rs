//! Columns sized by content and priority (issue 19, item 6), the second round: the Shift
//! log table, the Overview's panels, the alert inbox, the escalation detail's history and
//! the report form, at 80×24, 120×36 and 200×50 in both languages. Fixed widths cut
//! "New infectio", "criti", "waiti" and "Shiqiao Commu" at 80 columns beside empty ones,
//! and padded Chinese labels to 24 columns. Each test reads the rendered screen and checks
//! that a column's whole text is there.

use crate::common;

use chrono::Duration;
use crossterm::event::KeyCode;
use duty_desk::app::{Model, Screen};
use duty_desk::domain::report::Field;
use duty_desk::i18n::Lang;
use duty_desk::store::rules::{self, Marks};
use duty_desk::store::{Ctx, Store, town};

const SIZES: [(u16, u16); 3] = [(80, 24), (120, 36), (200, 50)];

fn tag(lang: Lang, w: u16, h: u16) -> String {
    let l = if lang == Lang::En { "en" } else { "zh" };
    format!("{l}_{w}x{h}")
}

/// Runs the rules at `now` (escalations for late reports, alerts).
fn rules_at(db: &std::path::Path, now: chrono::DateTime<chrono::Utc>) {
    let mut s = Store::open(db).unwrap();
    let t = town::load(s.conn()).unwrap();
    let ctx = Ctx {
        operator: "test".into(),
        now,
    };
    rules::run(&mut s, &t, &ctx, Marks::Yes).unwrap();
}

/// The rendered lines holding `text`.
fn lines_with<'a>(screen: &'a str, text: &str) -> Vec<&'a str> {
    screen.lines().filter(|l| l.contains(text)).collect()
}

#[test]
fn the_shift_log_shows_every_author_and_kind_whole_at_every_size() {
    let db = common::demo_db();
    for lang in [Lang::En, Lang::Zh] {
        for (w, h) in SIZES {
            let mut m = common::model(&db.path, lang, common::DUTY_LEADER);
            common::show(&mut m, Screen::Shiftlog);
            let screen = common::render(&m, w, h);
            let s = m.snapshot.as_deref().unwrap();
            // the rows shown are the newest that fit: each one's time, kind and author whole
            let shown: Vec<_> = s
                .log
                .iter()
                .filter(|e| {
                    screen.contains(&duty_desk::ui::widgets::hhmm_db(&e.at, m.town.info.offset))
                })
                .collect();
            assert!(shown.len() >= 5, "{}\n{screen}", tag(lang, w, h));
            for e in shown {
                let time = duty_desk::ui::widgets::hhmm_db(&e.at, m.town.info.offset);
                let kind = lang.t(e.category.label_key());
                assert!(
                    lines_with(&screen, &time)
                        .iter()
                        .any(|l| l.contains(&format!("{time} {kind}")) && l.contains(&e.author)),
                    "{}: {time} {kind} {}\n{screen}",
                    tag(lang, w, h),
                    e.author
                );
            }
        }
    }
}

#[test]
fn the_overview_panels_keep_figures_severities_statuses_and_times_whole() {
    let db = common::demo_db();
    for lang in [Lang::En, Lang::Zh] {
        for (w, h) in SIZES {
            let mut m = common::model(&db.path, lang, common::DUTY_LEADER);
            common::show(&mut m, Screen::Overview);
            let screen = common::render(&m, w, h);
            let t = tag(lang, w, h);
            insta::assert_snapshot!(format!("overview_{t}"), screen.clone());
            let s = m.snapshot.as_deref().unwrap();
            // today's figures: the label whole (at 80 columns in English the "vs yesterday"
            // heading gives way to "+/-", not "Cumulative infections" to "Cumulative i") on
            // the line of its figure and change
            for fl in Field::ALL {
                let label = lang.t(fl.label_key());
                let figure = duty_desk::ui::widgets::num(s.today_summary.get(fl));
                let change = duty_desk::ui::widgets::change(s.today_summary.change(fl));
                assert!(
                    screen.lines().any(|l| l.contains(label)
                        && l.contains(&format!(" {figure} "))
                        && l.contains(&change)),
                    "{t}: {label} {figure} {change}\n{screen}"
                );
            }
            // the trips: number, severity, vehicle, status and time whole on one line
            for tr in &s.transports {
                let sev = lang.t(tr.severity.label_key());
                let status = lang.t(tr.status.label_key());
                let vehicle = tr.vehicle.clone().unwrap_or_else(|| "-".into());
                let line = lines_with(&screen, &format!("#{} {sev}", tr.id));
                assert!(
                    line.iter()
                        .any(|l| l.contains(&format!(" {vehicle} ")) && l.contains(status)),
                    "{t}: #{} {sev} {vehicle} {status}\n{screen}",
                    tr.id
                );
                if w >= 120 {
                    let place = m.town.place_name(&tr.village, lang);
                    assert!(
                        line.iter().any(|l| l.contains(&place)),
                        "{t}: {place}\n{screen}"
                    );
                }
            }
            // availability: its three headings whole, and the first village's name whole
            let heads = [
                lang.t("overview.village"),
                lang.t("overview.reserve_car"),
                lang.t("overview.ambulances"),
            ];
            assert!(
                screen.lines().any(|l| heads.iter().all(|x| l.contains(x))),
                "{t}: {heads:?}\n{screen}"
            );
            let first = m.town.place_name(&m.town.villages[0].code, lang);
            assert!(screen.contains(&first), "{t}: {first}\n{screen}");
        }
    }
}

#[test]
fn the_alert_inbox_keeps_when_the_event_and_what_whole() {
    let db = common::demo_db();
    let later = common::now() + Duration::hours(2);
    rules_at(&db.path, common::now());
    rules_at(&db.path, later);
    for lang in [Lang::En, Lang::Zh] {
        for (w, h) in SIZES {
            let mut m = common::model_at(&db.path, lang, common::DUTY_LEADER, later);
            common::key(&mut m, KeyCode::Char('!'));
            assert!(m.escalations.alerts.inbox.is_some());
            let screen = common::render(&m, w, h);
            let t = tag(lang, w, h);
            insta::assert_snapshot!(format!("inbox_{t}"), screen.clone());
            let s = m.snapshot.as_deref().unwrap();
            let rows = (h as usize).saturating_sub(6).min(s.alerts_recent.len());
            assert!(rows >= 5, "{t}");
            for a in &s.alerts_recent[..rows] {
                let when =
                    duty_desk::ui::widgets::day_time_db(&a.row.created_at, m.town.info.offset);
                let event = lang.t(duty_desk::domain::alerts::event_key(a.row.event));
                let title = duty_desk::domain::text::display(a.title(lang)).into_owned();
                // the title whole when the screen is wide enough for it, else its start
                let room = usize::from(w) - 30;
                let start: String = if unicode_width::UnicodeWidthStr::width(title.as_str()) <= room
                {
                    title.clone()
                } else {
                    title.chars().take(12).collect()
                };
                assert!(
                    screen
                        .lines()
                        .any(|l| l.contains(&when) && l.contains(event) && l.contains(&start)),
                    "{t}: {when} {event} {start}\n{screen}"
                );
            }
        }
    }
}

/// Opens the first escalation of the queue and loads its history.
fn detail(db: &common::DemoDb, lang: Lang) -> Model {
    let mut m = common::model(&db.path, lang, "何丽君");
    common::show(&mut m, Screen::Escalations);
    common::key(&mut m, KeyCode::Enter);
    common::reload(&mut m, &db.path);
    m
}

#[test]
fn the_escalation_history_keeps_when_who_and_what_whole() {
    let db = common::demo_db();
    rules_at(&db.path, common::now());
    for lang in [Lang::En, Lang::Zh] {
        for (w, h) in SIZES {
            let m = detail(&db, lang);
            let screen = common::render(&m, w, h);
            let t = tag(lang, w, h);
            insta::assert_snapshot!(format!("esc_detail_{t}"), screen.clone());
            let s = m.snapshot.as_deref().unwrap();
            assert!(!s.esc_history.is_empty(), "{t}");
            for a in &s.esc_history {
                let when = duty_desk::ui::widgets::day_time_db(&a.at, m.town.info.offset);
                assert!(
                    screen
                        .lines()
                        .any(|l| l.contains(&format!("{when} {}", a.operator))),
                    "{t}: {when} {}\n{screen}",
                    a.operator
                );
            }
            let raised = lang.t("esc.action.raise");
            assert!(
                screen.lines().any(|l| l.contains(&format!(" {raised} "))),
                "{t}: {raised}\n{screen}"
            );
        }
    }
}

#[test]
fn the_report_form_keeps_every_label_whole_and_gives_the_rest_to_the_findings() {
    let db = common::demo_db();
    for lang in [Lang::En, Lang::Zh] {
        for (w, h) in SIZES {
            let mut m = common::model(&db.path, lang, &db.operator);
            common::show(&mut m, Screen::Report);
            common::key(&mut m, KeyCode::Enter);
            assert!(m.report.form.is_some());
            common::key(&mut m, KeyCode::Delete);
            common::key(&mut m, KeyCode::Char('-'));
            let screen = common::render(&m, w, h);
            let t = tag(lang, w, h);
            insta::assert_snapshot!(format!("report_form_{t}"), screen.clone());
            let widest = Field::ALL
                .iter()
                .map(|f| unicode_width::UnicodeWidthStr::width(lang.t(f.label_key())))
                .max()
                .unwrap();
            for fl in Field::ALL {
                let label = lang.t(fl.label_key());
                // the form's own lines (the town's totals under it name some fields too)
                let line: Vec<&str> = lines_with(&screen, label)
                    .into_iter()
                    .filter(|l| l.starts_with('│') && l.contains('['))
                    .collect();
                assert_eq!(line.len(), 1, "{t}: {label}\n{screen}");
                // the input's box starts one column after the widest label, not at 25
                let at = line[0].find('[').unwrap();
                let before = unicode_width::UnicodeWidthStr::width(&line[0][..at]);
                assert_eq!(before, 1 + widest + 1, "{t}: {}", line[0]);
            }
            // the refusal beside the first field: its start whole even at 80 columns
            let said = if lang == Lang::En {
                "is not a digit"
            } else {
                "不是数字"
            };
            let first = lines_with(&screen, lang.t(Field::NewInfections.label_key()));
            assert!(first[0].contains(said), "{t}: {}", first[0]);
        }
    }
}

/// The selection stays obvious with content-sized columns: the selected row of the Shift
/// log and of the alert inbox is drawn in the theme's selected colours across the whole
/// line, not only under its cells, in every theme and at every size.
#[test]
fn the_selected_row_is_marked_across_the_whole_line_in_every_theme() {
    use duty_desk::config::ThemeName;
    use duty_desk::ui::theme::Theme;
    let db = common::demo_db();
    let later = common::now() + Duration::hours(2);
    rules_at(&db.path, later);
    for name in [ThemeName::Dark, ThemeName::Light, ThemeName::HighContrast] {
        let theme = Theme {
            name,
            no_color: false,
        };
        let bg = theme.selected().bg.unwrap();
        for inbox in [false, true] {
            for (w, h) in SIZES {
                let mut m = common::model_at(&db.path, Lang::Zh, common::DUTY_LEADER, later);
                m.theme = theme;
                if inbox {
                    common::key(&mut m, KeyCode::Char('!'));
                } else {
                    common::show(&mut m, Screen::Shiftlog);
                }
                common::key(&mut m, KeyCode::Down);
                let mut term =
                    ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
                term.draw(|f| duty_desk::ui::draw(f, &m)).unwrap();
                let buf = term.backend().buffer();
                let rows: Vec<u16> = (3..h.saturating_sub(1))
                    .filter(|&y| (0..w).filter(|&x| buf[(x, y)].bg == bg).count() > 10)
                    .collect();
                assert_eq!(rows.len(), 1, "{name:?} inbox={inbox} {w}x{h}: {rows:?}");
                let y = rows[0];
                // the panel's inside: from after its left border to its right border (the
                // Shift log's table is the left panel when the handover is beside it)
                let right = (1..w)
                    .find(|&x| buf[(x, y)].symbol() == "│")
                    .unwrap_or(w - 1);
                let mut x = 1;
                while x < right {
                    let c = &buf[(x, y)];
                    // a wide character's second column is not a cell of its own
                    let step = unicode_width::UnicodeWidthStr::width(c.symbol()).max(1);
                    assert_eq!(c.bg, bg, "{name:?} inbox={inbox} {w}x{h}: ({x},{y})");
                    assert_ne!(c.fg, bg, "{name:?} inbox={inbox} {w}x{h}: ({x},{y})");
                    x += step as u16;
                }
            }
        }
    }
}
