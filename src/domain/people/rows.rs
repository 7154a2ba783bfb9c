//! The key-population register's plain rows (issue 15): what the store reads and writes,
//! what the command line prints and the console shows. No I/O here.

use chrono::{DateTime, NaiveDate, Utc};

use super::{Level, Method, Outcome, Sex};
use crate::i18n::Lang;

/// A person as a village's sheet describes them and the register keeps them: shared by a
/// row to import ([`super::csv::NewPerson`]) and a stored row ([`PersonRow`]).
#[derive(Debug, Clone, PartialEq)]
pub struct PersonDetails {
    /// Village code (resolved from a code or exact name).
    pub village: String,
    /// Full name.
    pub name: String,
    /// Age in years.
    pub age: i64,
    /// Sex, when known.
    pub sex: Option<Sex>,
    /// Phone (may be empty: some have none).
    pub phone: String,
    /// Address.
    pub address: String,
    /// Health conditions (shown only in the detail view).
    pub conditions: String,
    /// Risk level.
    pub level: Level,
    /// The village cadre paired with the household.
    pub cadre: String,
    /// The family doctor paired with the household.
    pub doctor: String,
}

impl PersonDetails {
    /// The identity of a person: village + name + phone.
    pub fn key(&self) -> (String, String, String) {
        (self.village.clone(), self.name.clone(), self.phone.clone())
    }
}

/// One person of the register as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonRow {
    /// Id (`people contact ID`).
    pub id: i64,
    /// Who they are.
    pub details: PersonDetails,
    /// The town's date of the first import.
    pub imported_on: NaiveDate,
    /// Newest contact that reached them.
    pub last_contact: Option<DateTime<Utc>>,
}

/// One recorded contact.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ContactRow {
    /// Id.
    pub id: i64,
    /// When (UTC).
    pub at: String,
    /// phone or visit.
    pub method: String,
    /// stable, worse, unreachable or referred.
    pub outcome: String,
    /// Note.
    pub note: String,
    /// Who recorded it.
    pub operator: String,
}

/// A person on the call list, as `people list`/`people due` print it (JSON field names
/// are the contract's).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Listed {
    /// Id.
    pub id: i64,
    /// Village code.
    pub village: String,
    /// Full name.
    pub name: String,
    /// Age.
    pub age: i64,
    /// Level.
    pub level: Level,
    /// Village cadre.
    pub cadre: String,
    /// Family doctor.
    pub doctor: String,
    /// Phone.
    pub phone: String,
    /// Newest counted contact on or before the asked date (UTC).
    pub last_contact: Option<String>,
    /// When next due.
    pub next_due: NaiveDate,
    /// Due before the asked date.
    pub overdue: bool,
    /// Counted contacts in the asked date's ISO week.
    pub contacts_this_week: i64,
    /// Contacts required a week at this level.
    pub required_per_week: i64,
    /// Due on the asked date (not in the contract's JSON list; the call list filters on it).
    #[serde(skip)]
    pub due: bool,
    /// Address (the console's detail lines; not in the list's JSON).
    #[serde(skip)]
    pub address: String,
    /// Health conditions (the console's detail lines only).
    #[serde(skip)]
    pub conditions: String,
    /// Retired from the register (`people list --all` only: the field is left out of the
    /// JSON for everyone on it, so the contract's shape is unchanged).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub retired: bool,
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// People added.
    pub new: usize,
    /// Known people whose details changed.
    pub updated: usize,
    /// Known people as before.
    pub unchanged: usize,
    /// The demo town's invented people retired by this first real register.
    pub demo_retired: usize,
    /// Retired people the file brings back onto the register (counted in `updated` too).
    pub restored: usize,
}

/// A contact to record.
#[derive(Debug, Clone, PartialEq)]
pub struct NewContact {
    /// The person's id.
    pub person: i64,
    /// phone or visit.
    pub method: Method,
    /// What it found.
    pub outcome: Outcome,
    /// Note.
    pub note: String,
    /// When it happened (default: now); never in the future.
    pub at: Option<DateTime<Utc>>,
    /// The language of the concern's stored title.
    pub lang: Lang,
}

/// What recording a contact did.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    /// The contact's id.
    pub id: i64,
    /// The concern raised (a red-level person worse or unreachable).
    pub concern: Option<i64>,
    /// The person as they were.
    pub person: PersonRow,
}

/// One line of the console's call list: a person due today, and their name spelled in
/// pinyin once for the search.
#[derive(Debug, Clone, PartialEq)]
pub struct CallRow {
    /// The person as they stand today.
    pub listed: Listed,
    /// Their name in pinyin (full and initials).
    pub spelled: super::search::Spelled,
}
