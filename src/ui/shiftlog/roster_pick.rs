//! The roster chooser (`d` on the Shift log): who is on the open shift, found by typing
//! a name, its pinyin or initials (the shared picker), so the role keys are digits.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::Model;
use crate::app::picker::Picker;
use crate::domain::shift::Duty;
use crate::store::snapshot::Snapshot;
use crate::ui::centered;
use crate::ui::widgets::{hints, pad, panel};

/// Draws the chooser over `area`: the search line, the people found (everyone before a
/// search), each with their duty on the shift, and the keys.
pub fn draw(f: &mut Frame<'_>, m: &Model, s: &Snapshot, area: Rect, sel: usize, find: &Picker) {
    let th = m.theme();
    let searching = !find.input.text().trim().is_empty();
    let order: Vec<usize> = if searching {
        find.matches(&crate::app::picker::people(&m.town))
    } else {
        (0..m.town.staff.len()).collect()
    };
    let mut spans = vec![Span::styled(
        format!(" {}", m.t("people_pick.find")),
        th.muted(),
    )];
    spans.extend(crate::ui::widgets::input_spans(
        &find.input,
        16,
        true,
        th.text(),
        th.key(),
    ));
    spans.push(Span::styled(
        format!("  {}", m.t("people_pick.type_what")),
        th.muted(),
    ));
    let mut lines = vec![Line::from(spans)];
    if searching && order.is_empty() {
        lines.push(Line::from(Span::styled(
            format!(" {}", m.t("people_pick.none")),
            th.warn(),
        )));
    }
    let top = lines.len();
    for (i, p) in order
        .iter()
        .filter_map(|&i| m.town.staff.get(i).map(|p| (i, p)))
    {
        let duty = s
            .roster
            .iter()
            .find(|(n, _)| *n == p.name)
            .map(|(_, d)| match d {
                Duty::Leader => m.t("duty.leader"),
                Duty::Officer => m.t("duty.officer"),
            })
            .unwrap_or("");
        let text = format!(
            " {} {} {} ",
            pad(&p.name, 8),
            pad(m.t(p.role.label_key()), 12),
            pad(duty, 12)
        );
        let style = if i == sel { th.selected() } else { th.text() };
        lines.push(Line::from(Span::styled(text, style)));
    }
    let keys = [
        ("1", m.t("duty.leader")),
        ("2", m.t("duty.officer")),
        ("0", m.t("log.keys.off_shift")),
        ("Esc", m.t("log.keys.done")),
    ];
    lines.push(Line::from(""));
    lines.push(hints(&keys, &th));
    let h = (lines.len() as u16 + 2).min(area.height);
    let r = centered(area, 62, h);
    // keep the highlighted person visible in a short terminal
    let inner = h.saturating_sub(2) as usize;
    let row = top + order.iter().position(|&i| i == sel).unwrap_or(0);
    let scroll = (row + 3).saturating_sub(inner) as u16;
    crate::ui::widgets::clear_popup(f, r);
    f.render_widget(
        Paragraph::new(lines)
            .scroll((scroll, 0))
            .block(panel(m.t("log.roster_title"), &th)),
        r,
    );
}
