//! Escalations and stock counts as plain data (the store fills them from its tables), and
//! the title an escalation is shown under.

use chrono::{DateTime, Duration, Utc};

use super::{Kind, State, StockItem};
use crate::domain::rules;
use crate::domain::town::Town;
use crate::i18n::Lang;

/// One escalation.
#[derive(Debug, Clone, PartialEq)]
pub struct EscalationRow {
    /// Id.
    pub id: i64,
    /// Kind.
    pub kind: Kind,
    /// Title.
    pub title: String,
    /// Village code.
    pub village: Option<String>,
    /// Health center or clinic (for low stock).
    pub place: Option<String>,
    /// Details.
    pub details: String,
    /// A direct referral (elderly or child with a tendency to severe illness).
    pub direct: bool,
    /// Rule subject (automatic ones).
    pub subject: Option<String>,
    /// Deadline.
    pub due: DateTime<Utc>,
    /// Grace period past the deadline before the duty leader is told.
    pub grace: Duration,
    /// State.
    pub state: State,
    /// Raised when.
    pub raised_at: String,
    /// Raised by.
    pub raised_by: String,
    /// Who has it in hand.
    pub owner: String,
    /// Resolution note.
    pub resolution_note: Option<String>,
    /// When the duty leader was told.
    pub escalated_at: Option<String>,
    /// When the overdue alert went out.
    pub alerted_overdue_at: Option<String>,
}

impl EscalationRow {
    /// Past its deadline and not resolved.
    pub fn overdue(&self, now: DateTime<Utc>) -> bool {
        self.state != State::Resolved && now > self.due
    }
}

/// One stock count.
#[derive(Debug, Clone, PartialEq)]
pub struct StockRow {
    /// Health center or village code.
    pub place: String,
    /// Item.
    pub item: StockItem,
    /// Quantity on hand.
    pub quantity: i64,
    /// When counted.
    pub updated_at: String,
    /// By whom.
    pub updated_by: String,
}

/// The title to show: rule-raised escalations are re-rendered in `lang` from their subject.
pub fn display_title(e: &EscalationRow, town: &Town, lang: Lang) -> String {
    e.subject
        .as_deref()
        .and_then(|s| {
            rules::overdue_contact::rule_title(s, &e.details, lang, &|c| town.place_name(c, lang))
        })
        .unwrap_or_else(|| e.title.clone())
}
