//! The Daily report screen's lower band: town totals with change, the trend chart and
//! the warnings list.

use chrono::Duration;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, Borders, Chart, Dataset, GraphType, Paragraph};

use crate::app::Model;
use crate::domain::report::Field;
use crate::store::snapshot::Snapshot;
use crate::ui::widgets::{change, fit, num, pad, pad_left, panel, percent};

/// One chart line: the figure, its style, its points (day index, value).
type Series = (Field, Style, Vec<(f64, f64)>);

/// Draws totals, trend and warnings side by side.
pub fn draw(f: &mut Frame<'_>, m: &Model, s: &Snapshot, area: Rect) {
    let [totals, chart, warnings] = Layout::horizontal([
        Constraint::Length(40),
        Constraint::Min(30),
        Constraint::Percentage(28),
    ])
    .areas(area);
    draw_totals(f, m, s, totals);
    // the health centers' facilities under the trend: two lines per center
    let fac_h = if s.facilities.is_empty() {
        0
    } else {
        (2 * s.facilities.len() as u16 + 2).min(chart.height / 2)
    };
    let [chart, facilities] =
        Layout::vertical([Constraint::Min(4), Constraint::Length(fac_h)]).areas(chart);
    draw_trend(f, m, s, chart);
    if fac_h > 0 {
        draw_facilities(f, m, s, facilities);
    }
    draw_warnings(f, m, s, warnings);
}

/// On a short terminal: the town totals with change, the week and the warnings as text.
pub fn draw_compact(f: &mut Frame<'_>, m: &Model, s: &Snapshot, area: Rect) {
    let th = m.theme();
    let today = &s.report_summary;
    let mut head = vec![Span::styled(
        format!("{}: ", m.t("report.town_total")),
        th.title(),
    )];
    for fl in [
        Field::NewInfections,
        Field::CumulativeInfections,
        Field::Inpatients,
        Field::Severe,
        Field::Deaths,
    ] {
        head.push(Span::raw(format!(
            "{} {} ({})  ",
            m.t(fl.short_key()),
            num(today.get(fl)),
            change(today.change(fl))
        )));
    }
    head.push(Span::raw(format!(
        "{} {}",
        m.t("overview.infection_ratio"),
        percent(today.infection_ratio())
    )));
    let mut lines = vec![
        Line::from(head),
        Line::from(Span::styled(today.words_short(m.lang), th.muted())),
    ];
    let mut warnings = Vec::new();
    for v in &m.town.villages {
        if let Some(r) = s.report_rows.get(&v.code) {
            for (fl, w) in &r.warnings {
                let field = fl.map_or("-", |f| m.t(f.short_key()));
                warnings.push(Line::from(Span::styled(
                    format!("{} {field}: {}", v.code, w.render(m.lang)),
                    th.warn(),
                )));
            }
        }
    }
    lines.push(Line::from(Span::styled(
        m.lang.fmt(
            "report.warnings_title",
            &[("n", &warnings.len().to_string())],
        ),
        th.muted(),
    )));
    lines.extend(warnings);
    f.render_widget(
        Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: true }),
        area,
    );
}

fn draw_totals(f: &mut Frame<'_>, m: &Model, s: &Snapshot, area: Rect) {
    let th = m.theme();
    let today = &s.report_summary;
    let label_w = (area.width as usize).saturating_sub(2 + 14).max(8);
    let line = |label: &str, value: String, ch: String| {
        Line::from(vec![
            Span::raw(pad(label, label_w)),
            Span::styled(pad_left(&value, 7), th.text()),
            Span::styled(pad_left(&ch, 7), th.muted()),
        ])
    };
    let mut lines: Vec<Line<'_>> = Field::ALL
        .iter()
        .map(|fl| {
            // a cumulative count that carries silent villages says so beside its value
            let label = crate::ui::overview::carried_label(m, today, *fl);
            line(&label, num(today.get(*fl)), change(today.change(*fl)))
        })
        .collect();
    lines.push(line(
        m.t("overview.infection_ratio"),
        percent(today.infection_ratio()),
        crate::ui::overview::ratio_change(today.infection_ratio_change()),
    ));
    // the weekly figures: the last 7 days ending on the report's day
    let from = s.report_date - Duration::days(6);
    let week = |fl: Field| {
        let vals: Vec<i64> = s
            .report_trend
            .iter()
            .filter(|t| t.date.is_some_and(|d| d >= from && d <= s.report_date))
            .filter_map(|t| t.get(fl))
            .collect();
        if vals.is_empty() {
            None
        } else {
            Some(vals.iter().fold(0i64, |a, v| a.saturating_add(*v)))
        }
    };
    for fl in [Field::EmergencyVisits, Field::Referrals] {
        let label = m
            .lang
            .fmt("report.week_figure", &[("figure", m.t(fl.label_key()))]);
        lines.push(line(&label, num(week(fl)), String::new()));
    }
    let compared = m.lang.fmt(
        "daily.compared_short",
        &[
            ("n", &today.compared.to_string()),
            ("expected", &today.expected.to_string()),
        ],
    );
    lines.push(Line::from(Span::styled(
        fit(&compared, area.width.saturating_sub(2) as usize),
        th.muted(),
    )));
    let title = m.t("report.totals_title");
    let mut block = panel(title, &th);
    if !today.carried_forward.is_empty() {
        block = block.title_bottom(Span::styled(
            format!(" {} ", m.t("daily.carried_mark")),
            th.muted(),
        ));
    }
    f.render_widget(Paragraph::new(lines).block(block), area);
}

fn draw_trend(f: &mut Frame<'_>, m: &Model, s: &Snapshot, area: Rect) {
    let th = m.theme();
    let days = m.report.trend_days();
    let start = s.report_date - Duration::days(days - 1);
    let series = |fl: Field| -> Vec<(f64, f64)> {
        s.report_trend
            .iter()
            .filter_map(|t| {
                let d = t.date?;
                if d < start || d > s.report_date {
                    return None;
                }
                Some(((d - start).num_days() as f64, t.get(fl)? as f64))
            })
            .collect()
    };
    let styles: [(Field, Style); 3] = [
        (Field::NewInfections, th.warn()),
        (Field::Inpatients, th.key()),
        (Field::Severe, th.overdue()),
    ];
    let data: Vec<Series> = styles
        .iter()
        .map(|(fl, st)| (*fl, *st, series(*fl)))
        .collect();
    let max = data
        .iter()
        .flat_map(|(_, _, pts)| pts.iter().map(|p| p.1))
        .fold(1.0, f64::max);
    let datasets: Vec<Dataset<'_>> = data
        .iter()
        .map(|(_, st, pts)| {
            Dataset::default()
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(*st)
                .data(pts)
        })
        .collect();
    let title = m
        .lang
        .fmt("report.trend_title", &[("days", &days.to_string())]);
    // the legend sits in the title, where it never covers a line
    let mut legend = vec![Span::styled(format!(" {title} "), th.title())];
    for (fl, st, _) in &data {
        legend.push(Span::styled(format!("-- {} ", m.t(fl.short_key())), *st));
    }
    let mid = start + Duration::days(days / 2);
    let chart = Chart::new(datasets)
        .block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(th.border())
                .title(Line::from(legend)),
        )
        .x_axis(Axis::default().bounds([0.0, (days - 1) as f64]).labels([
            Span::styled(start.format("%m-%d").to_string(), th.muted()),
            Span::styled(mid.format("%m-%d").to_string(), th.muted()),
            Span::styled(s.report_date.format("%m-%d").to_string(), th.muted()),
        ]))
        .y_axis(
            Axis::default()
                .bounds([0.0, max * 1.1])
                .labels([Span::raw("0"), Span::raw(format!("{max:.0}"))]),
        );
    f.render_widget(chart, area);
}

fn draw_warnings(f: &mut Frame<'_>, m: &Model, s: &Snapshot, area: Rect) {
    let th = m.theme();
    let width = area.width.saturating_sub(2) as usize;
    let mut lines: Vec<Line<'_>> = Vec::new();
    // why the day was signed with villages missing, then the shift lead's analysis:
    // what the leaders read first
    if let Some(si) = s
        .report_sign
        .as_ref()
        .filter(|x| x.signed && !x.missing_reason.is_empty())
    {
        lines.push(Line::from(Span::styled(
            m.lang.fmt(
                "daily.missing_reason",
                &[("reason", &crate::domain::text::display(&si.missing_reason))],
            ),
            th.locked(),
        )));
    }
    if let Some(note) = &s.report_note {
        lines.push(Line::from(vec![
            Span::styled(m.t("daily.note_label"), th.title()),
            Span::raw(crate::domain::text::display(&note.text).into_owned()),
        ]));
    }
    let n_note = lines.len();
    for v in &m.town.villages {
        let Some(r) = s.report_rows.get(&v.code) else {
            continue;
        };
        for (fl, w) in &r.warnings {
            let field = fl.map_or("-", |f| m.t(f.short_key()));
            lines.push(Line::from(vec![
                Span::styled(format!("{} {field}: ", v.code), th.warn()),
                Span::raw(w.render(m.lang)),
            ]));
        }
    }
    let n = lines.len() - n_note;
    if n == 0 {
        lines.push(Line::from(Span::styled(
            fit(m.t("report.no_warnings"), width),
            th.ok(),
        )));
    }
    let title = m
        .lang
        .fmt("report.warnings_title", &[("n", &n.to_string())]);
    f.render_widget(
        Paragraph::new(lines)
            .wrap(ratatui::widgets::Wrap { trim: true })
            .block(panel(&title, &th)),
        area,
    );
}

fn draw_facilities(f: &mut Frame<'_>, m: &Model, s: &Snapshot, area: Rect) {
    let th = m.theme();
    let width = area.width.saturating_sub(2) as usize;
    let mut lines = Vec::new();
    for r in &s.facilities {
        let c = &r.capacity;
        let full = c
            .beds_occupied
            .is_some_and(|n| crate::domain::facility::beds_nearly_full(n, r.beds));
        let few = c
            .oximeters
            .is_some_and(|n| n < m.town.info.min_oximeters_hc);
        let fever = c.fever_clinic.map_or("-", |x| m.t(x.label_key()));
        let first = m.lang.fmt(
            "facility.panel_line",
            &[
                ("code", &r.code),
                ("occupied", &num(c.beds_occupied)),
                ("beds", &r.beds.to_string()),
                ("oximeters", &num(c.oximeters)),
                ("fever", fever),
            ],
        );
        lines.push(Line::from(Span::styled(
            fit(&first, width),
            if full || few { th.warn() } else { th.text() },
        )));
        // each reserve against its line: "4100/2655"
        let against = |v: Option<i64>| match (v, r.reserve_line) {
            (Some(v), Some(l)) => format!("{v}/{l}"),
            (v, _) => num(v),
        };
        let low = |v: Option<i64>| v.zip(r.reserve_line).is_some_and(|(v, l)| v < l);
        let second = m.lang.fmt(
            "facility.panel_reserve",
            &[
                ("concentrators", &num(c.oxygen_concentrators)),
                ("bags", &num(c.oxygen_bags)),
                ("drugs", &against(r.drug_packs)),
                ("kits", &against(r.antigen_kits)),
            ],
        );
        lines.push(Line::from(Span::styled(
            fit(&second, width),
            if low(r.drug_packs) || low(r.antigen_kits) {
                th.warn()
            } else {
                th.muted()
            },
        )));
    }
    f.render_widget(
        Paragraph::new(lines).block(panel(m.t("facility.title"), &th)),
        area,
    );
}
