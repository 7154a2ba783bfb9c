//! The town's settings keys (`[town]` and `[rules]` of the town file), in one table:
//! [`SETTINGS`] gives each key's section, type, default and bounds, and how to read and
//! write it on [`TownInfo`]. Parsing the file, `town show`, the differences of `town
//! apply` and the store's `town` row (`store::town::write_settings`, `load`) all walk it,
//! so a new key is one line here, one field on [`TownInfo`] and one migration adding the
//! column (named [`Setting::column`]).

use chrono::{FixedOffset, NaiveTime};

use super::{
    BEDS, MAX_SESSION_HOURS, PER_WEEK, Problem, Range, Reader, Surge, TownInfo, WAIT_MINUTES,
};
use crate::domain::time::{format_offset, parse_offset};
use crate::domain::town_change::Section;
use crate::i18n::Msg;

/// A key's type, default and bounds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Type {
    /// One line of text; `required` keys may not be missing or empty (optional ones are
    /// left out of `town show` when empty).
    Text {
        /// Must be given.
        required: bool,
    },
    /// A UTC offset such as `+08:00`; empty or missing is `+08:00`.
    Offset,
    /// A time of day `HH:MM`.
    Time {
        /// When missing.
        default: &'static str,
    },
    /// A percentage above 0 up to 100.
    Percent {
        /// When missing.
        default: f64,
    },
    /// A whole number in a range.
    Int {
        /// When missing.
        default: i64,
        /// Bounds, both included.
        range: Range,
    },
    /// Hours of a command-line session, 1 to [`MAX_SESSION_HOURS`].
    Hours {
        /// When missing.
        default: i64,
    },
    /// `true` or `false`.
    Bool {
        /// When missing.
        default: bool,
    },
}

/// A key's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// [`Type::Text`].
    Text(String),
    /// [`Type::Offset`].
    Offset(FixedOffset),
    /// [`Type::Time`].
    Time(NaiveTime),
    /// [`Type::Percent`].
    Percent(f64),
    /// [`Type::Int`] and [`Type::Hours`].
    Int(i64),
    /// [`Type::Bool`].
    Bool(bool),
}

impl Value {
    /// The value as the town file writes it, unquoted (shown in differences).
    pub fn file_text(&self) -> String {
        match self {
            Value::Text(s) => s.clone(),
            Value::Offset(o) => format_offset(*o),
            Value::Time(t) => t.format("%H:%M").to_string(),
            Value::Percent(p) => format!("{p}"),
            Value::Int(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
        }
    }

    /// The value as a TOML value (text quoted and escaped).
    pub fn toml(&self) -> String {
        match self {
            Value::Text(_) | Value::Offset(_) | Value::Time(_) => {
                toml::Value::String(self.file_text()).to_string()
            }
            _ => self.file_text(),
        }
    }
}

/// One settings key.
#[derive(Debug, Clone, Copy)]
pub struct Setting {
    /// `Section::Town` or `Section::Rules` (later sections may follow).
    pub section: Section,
    /// The key in the town file.
    pub key: &'static str,
    /// The column of the `town` row that keeps it.
    pub column: &'static str,
    /// Type, default and bounds.
    pub ty: Type,
    /// Reads it from the town.
    pub get: fn(&TownInfo) -> Value,
    /// Writes it on the town (a value of another type is ignored; a test checks every
    /// key's getter and setter agree).
    pub set: fn(&mut TownInfo, Value),
}

/// One table entry: section, key (also the column), type, the field of `TownInfo`, and
/// the `Value` variant that carries it.
macro_rules! setting {
    ($section:ident, $key:literal, $ty:expr, $variant:ident, $($field:ident).+) => {
        Setting {
            section: Section::$section,
            key: $key,
            column: $key,
            ty: $ty,
            get: |t| Value::$variant(t.$($field).+.clone()),
            set: |t, v| {
                if let Value::$variant(x) = v {
                    t.$($field).+ = x;
                }
            },
        }
    };
}

/// Every settings key, in the order `town show` writes them.
pub const SETTINGS: [Setting; 21] = [
    setting!(Town, "name", Type::Text { required: true }, Text, name),
    setting!(
        Town,
        "name_en",
        Type::Text { required: false },
        Text,
        name_en
    ),
    setting!(Town, "utc_offset", Type::Offset, Offset, offset),
    setting!(
        Town,
        "report_cutoff",
        Type::Time { default: "10:00" },
        Time,
        report_cutoff
    ),
    setting!(
        Town,
        "shift_start",
        Type::Time { default: "08:30" },
        Time,
        shift_start
    ),
    setting!(
        Rules,
        "stock_threshold_percent",
        Type::Percent { default: 15.0 },
        Percent,
        stock_threshold_percent
    ),
    setting!(
        Rules,
        "critical_wait_minutes",
        Type::Int {
            default: 10,
            range: WAIT_MINUTES
        },
        Int,
        critical_wait_minutes
    ),
    setting!(
        Rules,
        "severe_wait_minutes",
        Type::Int {
            default: 30,
            range: WAIT_MINUTES
        },
        Int,
        severe_wait_minutes
    ),
    setting!(
        Rules,
        "escalation_grace_minutes",
        Type::Int {
            default: 60,
            range: WAIT_MINUTES
        },
        Int,
        escalation_grace_minutes
    ),
    setting!(
        Rules,
        "notifications",
        Type::Bool { default: true },
        Bool,
        notifications
    ),
    setting!(
        Rules,
        "handover_grace_minutes",
        Type::Int {
            default: 30,
            range: WAIT_MINUTES
        },
        Int,
        handover_grace_minutes
    ),
    setting!(
        Rules,
        "min_oximeters_hc",
        Type::Int {
            default: crate::domain::facility::MIN_OXIMETERS_HC,
            range: BEDS
        },
        Int,
        min_oximeters_hc
    ),
    setting!(
        Rules,
        "session_hours",
        Type::Hours { default: 12 },
        Int,
        session_hours
    ),
    setting!(
        Rules,
        "require_pin",
        Type::Bool { default: false },
        Bool,
        require_pin
    ),
    setting!(
        Rules,
        "surge_stock_threshold_percent",
        Type::Percent {
            default: Surge::DEFAULT.stock_threshold_percent
        },
        Percent,
        surge.stock_threshold_percent
    ),
    setting!(
        Rules,
        "surge_critical_wait_minutes",
        Type::Int {
            default: Surge::DEFAULT.critical_wait_minutes,
            range: WAIT_MINUTES
        },
        Int,
        surge.critical_wait_minutes
    ),
    setting!(
        Rules,
        "surge_severe_wait_minutes",
        Type::Int {
            default: Surge::DEFAULT.severe_wait_minutes,
            range: WAIT_MINUTES
        },
        Int,
        surge.severe_wait_minutes
    ),
    setting!(
        Rules,
        "surge_handover_grace_minutes",
        Type::Int {
            default: Surge::DEFAULT.handover_grace_minutes,
            range: WAIT_MINUTES
        },
        Int,
        surge.handover_grace_minutes
    ),
    // issue 15: contacts a week per key-population level, 3/2/1 (seeds 002 §2, 000 (十一))
    setting!(
        KeyPopulations,
        "red_per_week",
        Type::Int {
            default: crate::domain::people::Cadence::DEFAULT.red_per_week,
            range: PER_WEEK
        },
        Int,
        key_populations.red_per_week
    ),
    setting!(
        KeyPopulations,
        "yellow_per_week",
        Type::Int {
            default: crate::domain::people::Cadence::DEFAULT.yellow_per_week,
            range: PER_WEEK
        },
        Int,
        key_populations.yellow_per_week
    ),
    setting!(
        KeyPopulations,
        "green_per_week",
        Type::Int {
            default: crate::domain::people::Cadence::DEFAULT.green_per_week,
            range: PER_WEEK
        },
        Int,
        key_populations.green_per_week
    ),
];

/// The settings sections, in file order, and whether the file must have each.
pub const SECTIONS: [(Section, bool); 3] = [
    (Section::Town, true),
    (Section::Rules, false),
    (Section::KeyPopulations, false),
];

/// The keys of one section, in table order.
pub fn of(section: Section) -> impl Iterator<Item = &'static Setting> {
    SETTINGS.iter().filter(move |s| s.section == section)
}

/// The section's keys as (key, value as the file writes it), for the differences.
pub fn fields(info: &TownInfo, section: Section) -> Vec<(&'static str, String)> {
    of(section)
        .map(|s| (s.key, (s.get)(info).file_text()))
        .collect()
}

/// The settings sections of a town file: `[section]` headers and `key = value` lines,
/// a blank line between sections (empty optional text left out).
pub fn to_toml(info: &TownInfo) -> String {
    let mut out = String::new();
    for (i, (section, _)) in SECTIONS.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&format!("[{}]\n", section.as_str()));
        out.push_str(&toml_lines(info, *section));
    }
    out
}

/// The section's `key = value` lines of a town file (empty optional text left out).
fn toml_lines(info: &TownInfo, section: Section) -> String {
    let mut out = String::new();
    for s in of(section) {
        let v = (s.get)(info);
        if s.ty == (Type::Text { required: false }) && v == Value::Text(String::new()) {
            continue;
        }
        out.push_str(&format!("{} = {}\n", s.key, v.toml()));
    }
    out
}

/// A town with every setting empty or zero, for the parser to fill.
pub fn blank() -> TownInfo {
    TownInfo {
        name: String::new(),
        name_en: String::new(),
        offset: chrono::Offset::fix(&chrono::Utc),
        report_cutoff: NaiveTime::MIN,
        shift_start: NaiveTime::MIN,
        stock_threshold_percent: 0.0,
        critical_wait_minutes: 0,
        severe_wait_minutes: 0,
        escalation_grace_minutes: 0,
        handover_grace_minutes: 0,
        notifications: false,
        min_oximeters_hc: 0,
        session_hours: 0,
        require_pin: false,
        surge: Surge::DEFAULT,
        key_populations: crate::domain::people::Cadence::DEFAULT,
    }
}

/// Reads the keys of `section` from `r` onto `info`. Problems found after the value is
/// read (a bad offset) go to `late`, named in full, to follow the section's other problems.
pub(super) fn read(
    r: &mut Reader<'_>,
    section: Section,
    info: &mut TownInfo,
    late: &mut Vec<Problem>,
) {
    for s in of(section) {
        let value = read_one(r, s, late);
        (s.set)(info, value);
    }
}

fn read_one(r: &mut Reader<'_>, s: &Setting, late: &mut Vec<Problem>) -> Value {
    let k = s.key;
    match s.ty {
        Type::Text { required } => Value::Text(r.string(k, required)),
        Type::Offset => {
            let text = r.string(k, false);
            let parsed = if text.is_empty() {
                FixedOffset::east_opt(8 * 3600)
            } else {
                parse_offset(&text)
            };
            Value::Offset(parsed.unwrap_or_else(|| {
                late.push(Problem {
                    key: r.key(k),
                    msg: Msg::new("town.err.bad_offset").quoted("value", &text),
                });
                chrono::Offset::fix(&chrono::Utc)
            }))
        }
        Type::Time { default } => Value::Time(r.time(k, default)),
        Type::Percent { default } => Value::Percent(r.percent(k, default)),
        Type::Int { default, range } => Value::Int(r.int_in(k, false, default, range)),
        Type::Hours { default } => {
            let hours = r.positive_int(k, false, default);
            if (1..=MAX_SESSION_HOURS).contains(&hours) {
                Value::Int(hours)
            } else {
                r.problem(
                    k,
                    Msg::new("operators.bad_session_hours")
                        .arg("value", hours)
                        .arg("max", MAX_SESSION_HOURS),
                );
                Value::Int(default)
            }
        }
        Type::Bool { default } => Value::Bool(r.boolean(k, default)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> TownInfo {
        let src = include_str!("../../../data/demo/town.toml");
        super::super::parse_town(src).unwrap().town
    }

    #[test]
    fn every_getter_and_setter_agree_with_the_type() {
        let mut info = sample();
        for s in &SETTINGS {
            let v = (s.get)(&info);
            let fits = matches!(
                (s.ty, &v),
                (Type::Text { .. }, Value::Text(_))
                    | (Type::Offset, Value::Offset(_))
                    | (Type::Time { .. }, Value::Time(_))
                    | (Type::Percent { .. }, Value::Percent(_))
                    | (Type::Int { .. } | Type::Hours { .. }, Value::Int(_))
                    | (Type::Bool { .. }, Value::Bool(_))
            );
            assert!(fits, "{}: {v:?}", s.key);
            // a changed value is read back: the setter writes the field the getter reads
            let changed = match v {
                Value::Text(t) => Value::Text(format!("{t}x")),
                Value::Offset(_) => Value::Offset(FixedOffset::east_opt(3600).unwrap()),
                Value::Time(t) => Value::Time(t + chrono::Duration::minutes(7)),
                Value::Percent(p) => Value::Percent(p + 0.5),
                Value::Int(n) => Value::Int(n + 1),
                Value::Bool(b) => Value::Bool(!b),
            };
            (s.set)(&mut info, changed.clone());
            assert_eq!((s.get)(&info), changed, "{}", s.key);
        }
    }

    #[test]
    fn keys_and_columns_are_unique() {
        let mut keys: Vec<(Section, &str)> = SETTINGS.iter().map(|s| (s.section, s.key)).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), SETTINGS.len());
        let mut cols: Vec<&str> = SETTINGS.iter().map(|s| s.column).collect();
        cols.sort();
        cols.dedup();
        assert_eq!(cols.len(), SETTINGS.len());
    }

    #[test]
    fn the_surge_defaults_are_the_surge_defaults() {
        assert_eq!(Surge::DEFAULT, Surge::default());
        let info = super::super::parse_town(
            &include_str!("../../../data/demo/town.toml")
                .lines()
                .filter(|l| !l.starts_with("surge_"))
                .collect::<Vec<_>>()
                .join("\n"),
        )
        .unwrap()
        .town;
        assert_eq!(info.surge, Surge::default());
    }
}
