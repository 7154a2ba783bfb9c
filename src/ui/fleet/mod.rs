//! The Fleet & dispatch screen: the transport queue with the suggestion for the selected
//! request, the vehicle board grouped by health center and village, the per-village
//! availability, and the popups (new request, vehicle chooser, next step, reason).

mod board;
mod popup;
mod queue;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};

use crate::app::Model;
use crate::app::fleet::queue_rows;
use crate::domain::town::Town;
use crate::domain::town::VehicleKind;
use crate::i18n::{Lang, Msg};

/// Width of the per-village availability panel.
const AVAILABILITY_WIDTH: u16 = 36;

/// Draws the Fleet & dispatch screen.
pub fn draw(f: &mut Frame<'_>, m: &Model, area: Rect) {
    let Some(s) = m.snapshot.as_deref() else {
        return;
    };
    let n_rows = queue_rows(s).len() as u16;
    let [queue_area, detail, bottom] = Layout::vertical([
        Constraint::Length(n_rows.clamp(2, 10) + 3),
        Constraint::Length(2),
        Constraint::Min(6),
    ])
    .areas(area);
    queue::draw(f, m, s, queue_area);
    queue::draw_detail(f, m, s, detail);
    let avail_w = if bottom.width >= 100 {
        AVAILABILITY_WIDTH
    } else {
        0
    };
    let [board_area, avail] =
        Layout::horizontal([Constraint::Min(40), Constraint::Length(avail_w)]).areas(bottom);
    board::draw(f, m, s, board_area);
    if avail_w > 0 {
        board::draw_availability(f, m, s, avail);
    }
    popup::draw(f, m, area);
}

/// A kind's display name.
fn kind_label(m: &Model, k: VehicleKind) -> &'static str {
    m.lang.t(match k {
        VehicleKind::Ambulance => "fleet.ambulance",
        VehicleKind::ReserveCar => "fleet.reserve_car",
    })
}

/// A message whose `place` / `village` arguments are codes, with names in `lang` instead.
fn with_place_names(msg: &Msg, town: &Town, lang: Lang) -> Msg {
    let mut out = msg.clone();
    for (k, v) in out.args.iter_mut() {
        if k == "place" || k == "village" {
            *v = town.place_name(v, lang);
        }
    }
    out
}

/// The Fleet & dispatch screen, for `ui::view`.
pub struct Drawing;

impl super::ScreenView for Drawing {
    fn draw(&self, f: &mut ratatui::Frame<'_>, m: &Model, area: ratatui::layout::Rect) {
        draw(f, m, area);
    }
}
