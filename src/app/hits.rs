//! Where clickable things were last drawn (list rows, key hints, the login's names), so a
//! mouse click can be turned into the selection or key it stands for. Drawing records them
//! through a cell; only `update` reads them.

use std::cell::RefCell;

use crossterm::event::KeyCode;
use ratatui::layout::Rect;

/// What a click at some place means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hit {
    /// Row `n` of the current screen's list.
    Row(usize),
    /// A key hint in the footer, pressed as a button.
    Key(KeyCode),
    /// Name `n` of the login's staff list.
    Login(usize),
    /// A trip in the Fleet screen's request list, by id.
    Trip(i64),
    /// Vehicle `n` (board order) on the Fleet screen's board.
    Vehicle(usize),
}

/// The clickable places of the last frame.
#[derive(Debug, Default)]
pub struct Hits(RefCell<Vec<(Rect, Hit)>>);

impl Clone for Hits {
    fn clone(&self) -> Hits {
        Hits(RefCell::new(self.0.borrow().clone()))
    }
}

impl Hits {
    /// Forgets the previous frame's places (at the start of a draw).
    pub fn clear(&self) {
        self.0.borrow_mut().clear();
    }

    /// Records a clickable place.
    pub fn add(&self, area: Rect, hit: Hit) {
        if area.width > 0 && area.height > 0 {
            self.0.borrow_mut().push((area, hit));
        }
    }

    /// Records the visible rows of a list drawn in `rows` (one line each) from `offset`.
    pub fn rows(&self, rows: Rect, offset: usize, count: usize) {
        for i in 0..(rows.height as usize).min(count.saturating_sub(offset)) {
            let r = Rect {
                y: rows.y + i as u16,
                height: 1,
                ..rows
            };
            self.add(r, Hit::Row(offset + i));
        }
    }

    /// What was drawn last at (`column`, `row`): overlays are drawn after what they cover.
    pub fn at(&self, column: u16, row: u16) -> Option<Hit> {
        self.0
            .borrow()
            .iter()
            .rev()
            .find(|(r, _)| r.contains(ratatui::layout::Position::new(column, row)))
            .map(|(_, h)| *h)
    }
}
