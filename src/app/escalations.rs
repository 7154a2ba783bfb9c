//! Console behaviour of the Escalations (screen 3): its UI state, its keys and its writes.

use crossterm::event::KeyEvent;

use super::Effect;
use super::model::Model;
use crate::i18n::Msg;
use crate::store::town::Town;
use crate::store::{Ctx, Store};

/// What the screen remembers between frames (selection, open form, filters).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EscUi {}

impl EscUi {
    /// True while a form or popup owns the keyboard (global keys are not applied).
    pub fn modal(&self) -> bool {
        false
    }
}

/// Handles a key on this screen; `None` when the key is not the screen's.
pub fn on_key(_m: &mut Model, _k: KeyEvent) -> Option<Vec<Effect>> {
    None
}

/// The writes this screen asks the store thread to make.
#[derive(Debug, Clone, PartialEq)]
pub enum EscWrite {}

/// Carries out one of this screen's writes on the store thread.
pub fn apply(_store: &mut Store, _town: &Town, _ctx: &Ctx, w: EscWrite) -> Result<Msg, Msg> {
    match w {}
}
