//! Key populations (重点人群): the register's plain types and the contact cadence. A
//! person is graded red, yellow or green and contacted 3, 2 or 1 times a week (town
//! `[key_populations]`); `next_due` is the last contact's date plus the level's interval,
//! or the import date for someone never contacted. Pure; the store reads and writes.

pub mod csv;
pub mod rows;
pub mod search;

use chrono::{Datelike, Duration, IsoWeek, NaiveDate, Weekday};

/// Risk grade of a person in the register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Highest risk: very old, living alone, severe chronic disease.
    Red,
    /// Middle risk.
    Yellow,
    /// Lowest risk.
    Green,
}

impl Level {
    /// Every level, red first (the order of lists).
    pub const ALL: [Level; 3] = [Level::Red, Level::Yellow, Level::Green];

    /// Name in the database, files and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Red => "red",
            Level::Yellow => "yellow",
            Level::Green => "green",
        }
    }

    /// Reads a level name (`red`, `yellow`, `green`, or 红/黄/绿).
    pub fn parse(s: &str) -> Option<Level> {
        // the stored names first: the call list reads thousands of them
        match s {
            "red" => return Some(Level::Red),
            "yellow" => return Some(Level::Yellow),
            "green" => return Some(Level::Green),
            _ => {}
        }
        match s.trim().to_ascii_lowercase().as_str() {
            "red" | "红" | "红色" => Some(Level::Red),
            "yellow" | "黄" | "黄色" => Some(Level::Yellow),
            "green" | "绿" | "绿色" => Some(Level::Green),
            _ => None,
        }
    }

    /// Catalogue key of the display name.
    pub fn label_key(self) -> &'static str {
        match self {
            Level::Red => "people.level.red",
            Level::Yellow => "people.level.yellow",
            Level::Green => "people.level.green",
        }
    }
}

/// A person's sex, when the village's sheet gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sex {
    /// 男.
    Male,
    /// 女.
    Female,
}

impl Sex {
    /// Name in the database and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Male => "male",
            Sex::Female => "female",
        }
    }

    /// Reads `男`/`女`/`male`/`female`.
    pub fn parse(s: &str) -> Option<Sex> {
        match s {
            "male" => return Some(Sex::Male),
            "female" => return Some(Sex::Female),
            _ => {}
        }
        match s.trim().to_ascii_lowercase().as_str() {
            "男" | "male" | "m" => Some(Sex::Male),
            "女" | "female" | "f" => Some(Sex::Female),
            _ => None,
        }
    }

    /// Catalogue key of the display name.
    pub fn label_key(self) -> &'static str {
        match self {
            Sex::Male => "people.sex.male",
            Sex::Female => "people.sex.female",
        }
    }
}

/// How a person was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// By telephone or WeChat.
    Phone,
    /// At home.
    Visit,
}

impl Method {
    /// Every method.
    pub const ALL: [Method; 2] = [Method::Phone, Method::Visit];

    /// Name in the database and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Phone => "phone",
            Method::Visit => "visit",
        }
    }

    /// Reads a method name.
    pub fn parse(s: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.as_str() == s.trim())
    }

    /// Catalogue key of the display name.
    pub fn label_key(self) -> &'static str {
        match self {
            Method::Phone => "people.method.phone",
            Method::Visit => "people.method.visit",
        }
    }
}

/// What a contact found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// As before.
    Stable,
    /// Getting worse: may need transport.
    Worse,
    /// Nobody answered: recorded, but not a contact.
    Unreachable,
    /// Sent on to a doctor or hospital.
    Referred,
}

impl Outcome {
    /// Every outcome.
    pub const ALL: [Outcome; 4] = [
        Outcome::Stable,
        Outcome::Worse,
        Outcome::Unreachable,
        Outcome::Referred,
    ];

    /// Name in the database and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Stable => "stable",
            Outcome::Worse => "worse",
            Outcome::Unreachable => "unreachable",
            Outcome::Referred => "referred",
        }
    }

    /// Reads an outcome name.
    pub fn parse(s: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.as_str() == s.trim())
    }

    /// Catalogue key of the display name.
    pub fn label_key(self) -> &'static str {
        match self {
            Outcome::Stable => "people.outcome.stable",
            Outcome::Worse => "people.outcome.worse",
            Outcome::Unreachable => "people.outcome.unreachable",
            Outcome::Referred => "people.outcome.referred",
        }
    }

    /// True when the call reached the person: it counts as done and moves `next_due`
    /// (an unreachable call is recorded but does neither).
    pub fn counts(self) -> bool {
        self != Outcome::Unreachable
    }

    /// True when, for a red-level person, it raises a `concern` due in 2 hours.
    pub fn concerns_red(self) -> bool {
        matches!(self, Outcome::Worse | Outcome::Unreachable)
    }
}

/// How long the desk has to act on a red-level person found worse or not reached.
pub const CONCERN_HOURS: i64 = 2;

/// Contacts required a week per level: the town's `[key_populations]` settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cadence {
    /// Red-level contacts a week (default 3).
    pub red_per_week: i64,
    /// Yellow-level contacts a week (default 2).
    pub yellow_per_week: i64,
    /// Green-level contacts a week (default 1).
    pub green_per_week: i64,
}

/// The bounds of each `*_per_week` setting.
pub const PER_WEEK_RANGE: std::ops::RangeInclusive<i64> = 1..=7;

impl Cadence {
    /// The seeds' cadence: red 3, yellow 2, green 1 a week.
    pub const DEFAULT: Cadence = Cadence {
        red_per_week: 3,
        yellow_per_week: 2,
        green_per_week: 1,
    };
}

impl Default for Cadence {
    fn default() -> Self {
        Cadence::DEFAULT
    }
}

impl Cadence {
    /// Contacts required a week at `level` (held inside 1..=7 whatever was stored).
    pub fn required(&self, level: Level) -> i64 {
        let n = match level {
            Level::Red => self.red_per_week,
            Level::Yellow => self.yellow_per_week,
            Level::Green => self.green_per_week,
        };
        n.clamp(*PER_WEEK_RANGE.start(), *PER_WEEK_RANGE.end())
    }

    /// Days between contacts at `level`: 7 div required (red 2, yellow 3, green 7).
    pub fn interval_days(&self, level: Level) -> i64 {
        7 / self.required(level)
    }
}

/// The date a person is next due: the last contact's date (town time) plus the level's
/// interval; never contacted, the date they were imported.
pub fn next_due(
    cadence: &Cadence,
    level: Level,
    last_contact: Option<NaiveDate>,
    imported: NaiveDate,
) -> NaiveDate {
    match last_contact {
        None => imported,
        Some(d) => d
            .checked_add_signed(Duration::days(cadence.interval_days(level)))
            .unwrap_or(NaiveDate::MAX),
    }
}

/// On the call list of `date`: due that day or before.
pub fn is_due(next_due: NaiveDate, date: NaiveDate) -> bool {
    next_due <= date
}

/// Overdue on `date`: due before that day.
pub fn is_overdue(next_due: NaiveDate, date: NaiveDate) -> bool {
    next_due < date
}

/// The ISO week (Monday to Sunday) of a town date.
pub fn week_of(date: NaiveDate) -> IsoWeek {
    date.iso_week()
}

/// The Monday and Sunday of an ISO week.
pub fn week_days(week: IsoWeek) -> Option<(NaiveDate, NaiveDate)> {
    let monday = NaiveDate::from_isoywd_opt(week.year(), week.week(), Weekday::Mon)?;
    let sunday = NaiveDate::from_isoywd_opt(week.year(), week.week(), Weekday::Sun)?;
    Some((monday, sunday))
}

/// `YYYY-Www`, as `people week` prints and reads it.
pub fn week_label(week: IsoWeek) -> String {
    format!("{:04}-W{:02}", week.year(), week.week())
}

/// Reads `YYYY-Www` (e.g. `2026-W53`); a week the year does not have is refused.
pub fn parse_week(s: &str) -> Option<IsoWeek> {
    let (y, w) = s.trim().split_once(['-'])?;
    let w = w.strip_prefix('W').or_else(|| w.strip_prefix('w'))?;
    if y.len() != 4 || w.is_empty() || w.len() > 2 {
        return None;
    }
    let y: i32 = y.parse().ok()?;
    let w: u32 = w.parse().ok()?;
    let monday = NaiveDate::from_isoywd_opt(y, w, Weekday::Mon)?;
    super::time::date_in_range(monday).then(|| monday.iso_week())
}

/// A person as the cadence sees them.
#[derive(Debug, Clone, PartialEq)]
pub struct Standing {
    /// When next due.
    pub next_due: NaiveDate,
    /// Due on the asked date (next_due <= date).
    pub due: bool,
    /// Overdue on the asked date (next_due < date).
    pub overdue: bool,
    /// Contacts required this week.
    pub required: i64,
}

/// Where a person stands on `date` given their level, last counted contact and import date.
pub fn standing(
    cadence: &Cadence,
    level: Level,
    last_contact: Option<NaiveDate>,
    imported: NaiveDate,
    date: NaiveDate,
) -> Standing {
    let next = next_due(cadence, level, last_contact, imported);
    Standing {
        next_due: next,
        due: is_due(next, date),
        overdue: is_overdue(next, date),
        required: cadence.required(level),
    }
}

/// One row of the weekly figures: a village and level, how many people, how many
/// contacts were required and how many were done (every contact that reached someone).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct WeekRow {
    /// Village code.
    pub code: String,
    /// Level.
    pub level: Level,
    /// People at that level.
    pub people: i64,
    /// Contacts required this week (people × per week).
    pub required: i64,
    /// Contacts done this week (reached, not unreachable).
    pub done: i64,
}

/// Sums people into week rows by (village, level), in `village_order` then red first;
/// each input is (village, level, contacts done this week).
pub fn week_rows(
    cadence: &Cadence,
    village_order: &[String],
    people: impl IntoIterator<Item = (String, Level, i64)>,
) -> Vec<WeekRow> {
    week_rows_grouped(
        cadence,
        village_order,
        people
            .into_iter()
            .map(|(village, level, done)| (village, level, 1, done.max(0))),
    )
}

/// [`week_rows`] from people already counted by (village, level): each input is (village,
/// level, how many people, contacts done this week by them), as one grouped query gives it
/// (the daily report's follow-up section, issue 18).
pub fn week_rows_grouped(
    cadence: &Cadence,
    village_order: &[String],
    groups: impl IntoIterator<Item = (String, Level, i64, i64)>,
) -> Vec<WeekRow> {
    use std::collections::{BTreeMap, HashMap};
    // each village's place looked up, not searched for: a search per person was two
    // million string comparisons in a county's report (10,000 people, 200 villages)
    let mut place: HashMap<&str, usize> = HashMap::with_capacity(village_order.len());
    for (i, v) in village_order.iter().enumerate() {
        place.entry(v.as_str()).or_insert(i);
    }
    let mut sums: BTreeMap<(usize, Level), WeekRow> = BTreeMap::new();
    for (village, level, people, done) in groups {
        let pos = place.get(village.as_str()).copied().unwrap_or(usize::MAX);
        let row = sums.entry((pos, level)).or_insert_with(|| WeekRow {
            code: village.clone(),
            level,
            people: 0,
            required: 0,
            done: 0,
        });
        row.people += people;
        row.required += cadence.required(level) * people;
        row.done += done.max(0);
    }
    sums.into_values().collect()
}

#[cfg(test)]
mod tests;
