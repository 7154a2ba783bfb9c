//! The town file (`town.toml`): its typed form and the validation that names every
//! problem with its key, so that a clerk can fix the whole file in one pass.

mod loaded;

pub use loaded::Town;

use std::collections::{BTreeSet, HashSet};

use chrono::{FixedOffset, NaiveTime};

use super::text::display;
use super::time::parse_hhmm;
use super::town_change::Section;
use crate::i18n::Msg;

pub mod settings;

/// What a person may do at the desk; the permission table lives in `domain::roles`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Reads everything, changes nothing.
    Viewer,
    /// Watches overnight, logs, raises and handles escalations, dispatches.
    DutyOfficer,
    /// Assigns transport.
    Dispatcher,
    /// Compiles and signs the daily report.
    ShiftLead,
    /// Leads the shift; may reopen a signed day.
    DutyLeader,
}

impl Role {
    /// All roles, in the order of the town file's documentation.
    pub const ALL: [Role; 5] = [
        Role::Viewer,
        Role::DutyOfficer,
        Role::Dispatcher,
        Role::ShiftLead,
        Role::DutyLeader,
    ];

    /// The role's name in files and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::DutyOfficer => "duty_officer",
            Role::Dispatcher => "dispatcher",
            Role::ShiftLead => "shift_lead",
            Role::DutyLeader => "duty_leader",
        }
    }

    /// Reads a role name.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The catalogue key of the role's display name.
    pub fn label_key(self) -> &'static str {
        match self {
            Role::Viewer => "role.viewer",
            Role::DutyOfficer => "role.duty_officer",
            Role::Dispatcher => "role.dispatcher",
            Role::ShiftLead => "role.shift_lead",
            Role::DutyLeader => "role.duty_leader",
        }
    }
}

/// Ambulance of a health center, or a village's reserve car.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VehicleKind {
    /// A health center's ambulance.
    Ambulance,
    /// A village's designated reserve transport car, driven by a cadre.
    ReserveCar,
}

impl VehicleKind {
    /// The kind's name in files and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            VehicleKind::Ambulance => "ambulance",
            VehicleKind::ReserveCar => "reserve_car",
        }
    }

    /// Reads a kind name.
    pub fn parse(s: &str) -> Option<VehicleKind> {
        match s {
            "ambulance" => Some(VehicleKind::Ambulance),
            "reserve_car" => Some(VehicleKind::ReserveCar),
            _ => None,
        }
    }
}

/// Longest command-line session a town may set (`[rules] session_hours`): 31 days.
pub const MAX_SESSION_HOURS: i64 = 24 * 31;

/// The town and its settings.
#[derive(Debug, Clone, PartialEq)]
pub struct TownInfo {
    /// Chinese name.
    pub name: String,
    /// English name.
    pub name_en: String,
    /// The town's offset from UTC.
    pub offset: FixedOffset,
    /// After this time of day a missing village report is late.
    pub report_cutoff: NaiveTime,
    /// 24-hour shifts start at this time of day.
    pub shift_start: NaiveTime,
    /// Stock below this percentage of the served population is an escalation.
    pub stock_threshold_percent: f64,
    /// A critical request waiting longer than this is an escalation.
    pub critical_wait_minutes: i64,
    /// A severe request waiting longer than this is an escalation.
    pub severe_wait_minutes: i64,
    /// How long past its deadline an escalation may stay before the duty leader is told.
    pub escalation_grace_minutes: i64,
    /// How long after its end a shift may stay unsigned before the duty leader is told.
    pub handover_grace_minutes: i64,
    /// Whether desktop notifications are sent.
    pub notifications: bool,
    /// Fewer pulse oximeters than this at a health center is an escalation (seed 000 (六)).
    pub min_oximeters_hc: i64,
    /// How long a command-line session lasts (`duty-desk login`), in hours.
    pub session_hours: i64,
    /// Every writer must have a PIN (and prove it).
    pub require_pin: bool,
    /// The surge settings (`[rules] surge_*`) and whether surge is on.
    pub surge: Surge,
    /// Key-population contacts required a week per level (`[key_populations]`, issue 15).
    pub key_populations: crate::domain::people::Cadence,
}

/// Surge: when the epidemic peaks the duty leader raises the reserve line and shortens
/// the waits (seeds 000 §4, 002 §1). Switched with `town surge on|off`, never by the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Surge {
    /// Whether surge is on (a desk state, not a town-file key).
    pub on: bool,
    /// The reserve line while surge is on, percent of the served population.
    pub stock_threshold_percent: f64,
    /// A critical request waiting longer than this is an escalation, while surge is on.
    pub critical_wait_minutes: i64,
    /// A severe request waiting longer than this is an escalation, while surge is on.
    pub severe_wait_minutes: i64,
    /// How long after its end an unsigned shift may stay, while surge is on.
    pub handover_grace_minutes: i64,
}

impl Surge {
    /// The surge values of a town file that names none, surge off.
    pub const DEFAULT: Surge = Surge {
        on: false,
        stock_threshold_percent: 30.0,
        critical_wait_minutes: 5,
        severe_wait_minutes: 15,
        handover_grace_minutes: 15,
    };
}

impl Default for Surge {
    fn default() -> Self {
        Surge::DEFAULT
    }
}

impl TownInfo {
    /// The reserve line in effect (the surge one while surge is on).
    pub fn stock_threshold_in_effect(&self) -> f64 {
        if self.surge.on {
            self.surge.stock_threshold_percent
        } else {
            self.stock_threshold_percent
        }
    }

    /// The critical-request wait limit in effect, minutes.
    pub fn critical_wait_in_effect(&self) -> i64 {
        if self.surge.on {
            self.surge.critical_wait_minutes
        } else {
            self.critical_wait_minutes
        }
    }

    /// The severe-request wait limit in effect, minutes.
    pub fn severe_wait_in_effect(&self) -> i64 {
        if self.surge.on {
            self.surge.severe_wait_minutes
        } else {
            self.severe_wait_minutes
        }
    }

    /// The handover grace in effect, minutes, given the normal one.
    pub fn handover_grace_in_effect(&self) -> i64 {
        if self.surge.on {
            self.surge.handover_grace_minutes
        } else {
            self.handover_grace_minutes
        }
    }
}

/// A township health center.
#[derive(Debug, Clone, PartialEq)]
pub struct HealthCenter {
    /// Short code.
    pub code: String,
    /// Chinese name.
    pub name: String,
    /// English name.
    pub name_en: String,
    /// Hospital beds.
    pub beds: i64,
    /// Duty phone.
    pub phone: String,
}

/// A referral hospital beyond the health centers.
#[derive(Debug, Clone, PartialEq)]
pub struct Hospital {
    /// Short code.
    pub code: String,
    /// Chinese name.
    pub name: String,
    /// English name.
    pub name_en: String,
}

/// A village or community.
#[derive(Debug, Clone, PartialEq)]
pub struct Village {
    /// Short code.
    pub code: String,
    /// Chinese name.
    pub name: String,
    /// English name.
    pub name_en: String,
    /// Resident population.
    pub population: i64,
    /// Village clinic phone.
    pub clinic_phone: String,
    /// Code of the health center serving it.
    pub health_center: String,
    /// Codes of neighbouring villages.
    pub neighbours: Vec<String>,
}

/// A vehicle in the town's transport ledger.
#[derive(Debug, Clone, PartialEq)]
pub struct Vehicle {
    /// Short code.
    pub code: String,
    /// Ambulance or reserve car.
    pub kind: VehicleKind,
    /// Code of the base: a health center or a village.
    pub base: String,
    /// Number plate.
    pub plate: String,
    /// Driver (the cadre, for a reserve car).
    pub driver: String,
    /// Driver's phone.
    pub phone: String,
}

/// A person on the duty roster.
#[derive(Debug, Clone, PartialEq)]
pub struct Staff {
    /// Name (unique).
    pub name: String,
    /// Role.
    pub role: Role,
    /// Phone.
    pub phone: String,
}

/// A whole town file, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct TownFile {
    /// The town.
    pub town: TownInfo,
    /// Health centers.
    pub health_centers: Vec<HealthCenter>,
    /// Referral hospitals.
    pub hospitals: Vec<Hospital>,
    /// Villages.
    pub villages: Vec<Village>,
    /// Vehicles.
    pub vehicles: Vec<Vehicle>,
    /// Staff.
    pub staff: Vec<Staff>,
}

/// One problem in a town file: the key it is at and what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Dotted key, e.g. `village[3].population`.
    pub key: String,
    /// What is wrong.
    pub msg: Msg,
}

/// An inclusive range of a town-file number: (least, most).
pub type Range = (i64, i64);

/// `critical_wait_minutes`, `severe_wait_minutes`, `escalation_grace_minutes`: a minute to
/// a week.
pub const WAIT_MINUTES: Range = (1, 7 * 24 * 60);
/// A village's resident population: as many as a daily report figure may count.
pub const POPULATION: Range = (1, crate::domain::report::MAX_FIGURE);
/// Any other positive town-file number (minutes, hours, counts).
pub const POSITIVE: Range = (1, 1_000_000);
/// A health center's beds.
pub const BEDS: Range = (0, 100_000);
/// Bounds of `[key_populations] *_per_week`: at least once a week, at most daily.
pub const PER_WEEK: Range = (1, 7);

struct Reader<'a> {
    path: String,
    table: &'a toml::Table,
    used: HashSet<&'static str>,
    problems: &'a mut Vec<Problem>,
}

impl<'a> Reader<'a> {
    fn new(path: String, table: &'a toml::Table, problems: &'a mut Vec<Problem>) -> Self {
        Reader {
            path,
            table,
            used: HashSet::new(),
            problems,
        }
    }

    fn key(&self, k: &str) -> String {
        if self.path.is_empty() {
            k.to_string()
        } else {
            format!("{}.{k}", self.path)
        }
    }

    fn problem(&mut self, k: &str, msg: Msg) {
        let key = self.key(k);
        self.problems.push(Problem { key, msg });
    }

    fn get(&mut self, k: &'static str) -> Option<&'a toml::Value> {
        self.used.insert(k);
        self.table.get(k)
    }

    fn string(&mut self, k: &'static str, required: bool) -> String {
        match self.get(k) {
            Some(toml::Value::String(s)) if display(s) != s.as_str() => {
                // a name, code or phone is one line of plain text: no control characters,
                // escape sequences or bidirectional overrides
                self.problem(k, Msg::new("bounds.control_chars"));
                String::new()
            }
            Some(toml::Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
            Some(toml::Value::String(_)) if required => {
                self.problem(k, Msg::new("town.err.empty"));
                String::new()
            }
            Some(toml::Value::String(_)) => String::new(),
            Some(_) => {
                self.problem(k, Msg::new("town.err.not_text"));
                String::new()
            }
            None if required => {
                self.problem(k, Msg::new("town.err.missing"));
                String::new()
            }
            None => String::new(),
        }
    }

    /// A staff name exactly as written: names are compared after trimming, so surrounding
    /// spaces or control characters would make two people out of one.
    fn exact_name(&mut self, k: &'static str) -> String {
        if let Some(toml::Value::String(raw)) = self.table.get(k)
            && !raw.trim().is_empty()
            && (raw.trim() != raw || raw.chars().any(char::is_control))
        {
            self.used.insert(k);
            self.problem(k, Msg::new("operators.bad_staff_name").quoted("value", raw));
            return String::new();
        }
        self.string(k, true)
    }

    /// A positive whole number up to [`POSITIVE`] (for keys that have no range of their
    /// own yet; give a key its own range with [`Reader::int_in`]).
    fn positive_int(&mut self, k: &'static str, required: bool, default: i64) -> i64 {
        self.int_in(k, required, default, POSITIVE)
    }

    /// A whole number in `min..=max`; anything else is a problem naming the range.
    fn int_in(&mut self, k: &'static str, required: bool, default: i64, range: Range) -> i64 {
        let (min, max) = range;
        match self.get(k) {
            Some(toml::Value::Integer(n)) if (min..=max).contains(n) => *n,
            Some(v) => {
                // a string is shown as typed, anything else as the file wrote it
                let shown = match v {
                    toml::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                self.problem(
                    k,
                    Msg::new("bounds.range")
                        .arg("min", min)
                        .arg("max", max)
                        .quoted("value", shown),
                );
                default
            }
            None if required => {
                self.problem(k, Msg::new("town.err.missing"));
                default
            }
            None => default,
        }
    }

    fn percent(&mut self, k: &'static str, default: f64) -> f64 {
        let v = match self.get(k) {
            None => return default,
            Some(toml::Value::Integer(n)) => *n as f64,
            Some(toml::Value::Float(f)) => *f,
            Some(v) => {
                self.problem(k, Msg::new("town.err.not_percent").quoted("value", v));
                return default;
            }
        };
        if v > 0.0 && v <= 100.0 {
            v
        } else {
            self.problem(k, Msg::new("town.err.not_percent").arg("value", v));
            default
        }
    }

    fn boolean(&mut self, k: &'static str, default: bool) -> bool {
        match self.get(k) {
            None => default,
            Some(toml::Value::Boolean(b)) => *b,
            Some(_) => {
                self.problem(k, Msg::new("town.err.not_bool"));
                default
            }
        }
    }

    fn time(&mut self, k: &'static str, default: &str) -> NaiveTime {
        let fallback = parse_hhmm(default).unwrap_or(NaiveTime::MIN);
        match self.get(k) {
            None => fallback,
            Some(toml::Value::String(s)) => match parse_hhmm(s) {
                Some(t) => t,
                None => {
                    self.problem(k, Msg::new("town.err.bad_time").quoted("value", s));
                    fallback
                }
            },
            Some(v) => {
                self.problem(
                    k,
                    Msg::new("town.err.bad_time").quoted("value", v.to_string()),
                );
                fallback
            }
        }
    }

    fn string_list(&mut self, k: &'static str) -> Vec<String> {
        match self.get(k) {
            None => Vec::new(),
            Some(toml::Value::Array(items)) => {
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    match item {
                        toml::Value::String(s) if display(s) == s.as_str() => {
                            out.push(s.trim().to_string())
                        }
                        _ => {
                            let key = format!("{k}[{}]", i + 1);
                            self.problems.push(Problem {
                                key: self.key(&key),
                                msg: Msg::new("town.err.not_text"),
                            });
                        }
                    }
                }
                out
            }
            Some(_) => {
                self.problem(k, Msg::new("town.err.not_list"));
                Vec::new()
            }
        }
    }

    fn finish(self) {
        let mut unknown: Vec<&String> = self
            .table
            .keys()
            .filter(|k| !self.used.contains(k.as_str()))
            .collect();
        unknown.sort();
        for k in unknown {
            let key = self.key(k);
            self.problems.push(Problem {
                key,
                msg: Msg::new("town.err.unknown_key"),
            });
        }
    }
}

fn array_of_tables<'a>(
    root: &'a toml::Table,
    name: &str,
    problems: &mut Vec<Problem>,
) -> Vec<(String, &'a toml::Table)> {
    match root.get(name) {
        None => Vec::new(),
        Some(toml::Value::Array(items)) => items
            .iter()
            .enumerate()
            .filter_map(|(i, v)| {
                let key = format!("{name}[{}]", i + 1);
                match v {
                    toml::Value::Table(t) => Some((key, t)),
                    _ => {
                        problems.push(Problem {
                            key,
                            msg: Msg::new("town.err.not_table"),
                        });
                        None
                    }
                }
            })
            .collect(),
        Some(_) => {
            problems.push(Problem {
                key: name.to_string(),
                msg: Msg::new("town.err.not_list_of_tables"),
            });
            Vec::new()
        }
    }
}

fn check_code(key: &str, code: &str, seen: &mut HashSet<String>, problems: &mut Vec<Problem>) {
    if code.is_empty() {
        return;
    }
    if !code
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        problems.push(Problem {
            key: format!("{key}.code"),
            msg: Msg::new("town.err.bad_code").arg("code", code),
        });
    }
    if !seen.insert(code.to_string()) {
        problems.push(Problem {
            key: format!("{key}.code"),
            msg: Msg::new("town.err.duplicate_code").arg("code", code),
        });
    }
}

/// The settings table `name` of the file (`empty` when it is missing, or not a table:
/// each a problem, missing only when `required`).
fn section_table<'a>(
    root: &'a toml::Table,
    name: &str,
    required: bool,
    problems: &mut Vec<Problem>,
    empty: &'a toml::Table,
) -> &'a toml::Table {
    match root.get(name) {
        Some(toml::Value::Table(t)) => t,
        Some(_) => {
            problems.push(Problem {
                key: name.into(),
                msg: Msg::new("town.err.not_table"),
            });
            empty
        }
        None if required => {
            problems.push(Problem {
                key: name.into(),
                msg: Msg::new("town.err.missing"),
            });
            empty
        }
        None => empty,
    }
}

/// Parses and validates a town file; returns every problem found, not only the first.
pub fn parse_town(src: &str) -> Result<TownFile, Vec<Problem>> {
    let root = read_toml(src).map_err(|p| vec![p])?;
    let mut problems = Vec::new();
    unknown_sections(&root, &mut problems);
    let town = read_settings(&root, &mut problems);
    let mut codes = HashSet::new();
    let health_centers = read_health_centers(&root, &mut codes, &mut problems);
    let hospitals = read_hospitals(&root, &mut codes, &mut problems);
    let hc_codes: BTreeSet<&str> = health_centers.iter().map(|h| h.code.as_str()).collect();
    let (villages, village_keys) = read_villages(&root, &hc_codes, &mut codes, &mut problems);
    let village_codes: BTreeSet<&str> = villages.iter().map(|v| v.code.as_str()).collect();
    check_villages(&villages, &village_keys, &village_codes, &mut problems);
    let bases = Bases {
        health_centers: &hc_codes,
        villages: &village_codes,
    };
    let vehicles = read_vehicles(&root, &bases, &mut codes, &mut problems);
    let staff = read_staff(&root, &mut problems);
    if problems.is_empty() {
        Ok(TownFile {
            town,
            health_centers,
            hospitals,
            villages,
            vehicles,
            staff,
        })
    } else {
        Err(problems)
    }
}

/// The file as TOML, or its syntax error with the line.
fn read_toml(src: &str) -> Result<toml::Table, Problem> {
    toml::from_str(src).map_err(|e: toml::de::Error| {
        let line = e
            .span()
            .map(|s| src[..s.start.min(src.len())].lines().count().max(1))
            .unwrap_or(0);
        Problem {
            key: format!("line {line}"),
            msg: Msg::new("town.err.syntax").arg("detail", e.message()),
        }
    })
}

/// Top-level keys that are no section of a town file, in name order.
fn unknown_sections(root: &toml::Table, problems: &mut Vec<Problem>) {
    let mut unknown: Vec<&String> = root
        .keys()
        .filter(|k| !Section::ALL.iter().any(|s| s.as_str() == k.as_str()))
        .collect();
    unknown.sort();
    for k in unknown {
        problems.push(Problem {
            key: k.clone(),
            msg: Msg::new("town.err.unknown_key"),
        });
    }
}

/// The settings sections (`[town]`, `[rules]`), through [`settings::SETTINGS`].
fn read_settings(root: &toml::Table, problems: &mut Vec<Problem>) -> TownInfo {
    let empty = toml::Table::new();
    let mut town = settings::blank();
    for (section, required) in settings::SECTIONS {
        let table = section_table(root, section.as_str(), required, problems, &empty);
        let mut late = Vec::new();
        let mut r = Reader::new(section.as_str().into(), table, problems);
        settings::read(&mut r, section, &mut town, &mut late);
        r.finish();
        problems.extend(late);
    }
    town
}

/// A problem when a section that needs at least one record has none.
fn need_one(empty: bool, section: &str, problems: &mut Vec<Problem>) {
    if empty {
        problems.push(Problem {
            key: section.into(),
            msg: Msg::new("town.err.need_one"),
        });
    }
}

fn read_health_centers(
    root: &toml::Table,
    codes: &mut HashSet<String>,
    problems: &mut Vec<Problem>,
) -> Vec<HealthCenter> {
    let mut out = Vec::new();
    for (key, t) in array_of_tables(root, "health_center", problems) {
        let mut r = Reader::new(key.clone(), t, problems);
        let hc = HealthCenter {
            code: r.string("code", true),
            name: r.string("name", true),
            name_en: r.string("name_en", false),
            beds: r.int_in("beds", false, 0, BEDS),
            phone: r.string("phone", false),
        };
        r.finish();
        check_code(&key, &hc.code, codes, problems);
        out.push(hc);
    }
    need_one(out.is_empty(), "health_center", problems);
    out
}

fn read_hospitals(
    root: &toml::Table,
    codes: &mut HashSet<String>,
    problems: &mut Vec<Problem>,
) -> Vec<Hospital> {
    let mut out = Vec::new();
    for (key, t) in array_of_tables(root, "hospital", problems) {
        let mut r = Reader::new(key.clone(), t, problems);
        let h = Hospital {
            code: r.string("code", true),
            name: r.string("name", true),
            name_en: r.string("name_en", false),
        };
        r.finish();
        check_code(&key, &h.code, codes, problems);
        out.push(h);
    }
    out
}

/// The villages and the key each was read under (`village[2]`), for later problems.
fn read_villages(
    root: &toml::Table,
    hc_codes: &BTreeSet<&str>,
    codes: &mut HashSet<String>,
    problems: &mut Vec<Problem>,
) -> (Vec<Village>, Vec<String>) {
    let mut villages = Vec::new();
    let mut keys = Vec::new();
    for (key, t) in array_of_tables(root, "village", problems) {
        let mut r = Reader::new(key.clone(), t, problems);
        let v = Village {
            code: r.string("code", true),
            name: r.string("name", true),
            name_en: r.string("name_en", false),
            population: r.int_in("population", true, 1, POPULATION),
            clinic_phone: r.string("clinic_phone", false),
            health_center: r.string("health_center", true),
            neighbours: r.string_list("neighbours"),
        };
        r.finish();
        check_code(&key, &v.code, codes, problems);
        if !v.health_center.is_empty() && !hc_codes.contains(v.health_center.as_str()) {
            problems.push(Problem {
                key: format!("{key}.health_center"),
                msg: Msg::new("town.err.unknown_health_center").arg("code", &v.health_center),
            });
        }
        villages.push(v);
        keys.push(key);
    }
    need_one(villages.is_empty(), "village", problems);
    (villages, keys)
}

/// Neighbours must be other villages of the file; names (Chinese or English) unique.
fn check_villages(
    villages: &[Village],
    keys: &[String],
    codes: &BTreeSet<&str>,
    problems: &mut Vec<Problem>,
) {
    let mut names = HashSet::new();
    for (v, key) in villages.iter().zip(keys) {
        for n in &v.neighbours {
            if !codes.contains(n.as_str()) || *n == v.code {
                problems.push(Problem {
                    key: format!("{key}.neighbours"),
                    msg: Msg::new("town.err.unknown_village").arg("code", n),
                });
            }
        }
        for n in [&v.name, &v.name_en] {
            if !n.is_empty() && !names.insert(n.clone()) {
                problems.push(Problem {
                    key: format!("{key}.name"),
                    msg: Msg::new("town.err.duplicate_name").arg("name", n),
                });
            }
        }
    }
}

/// Where vehicles may be based: ambulances at health centers, reserve cars in villages.
struct Bases<'a> {
    health_centers: &'a BTreeSet<&'a str>,
    villages: &'a BTreeSet<&'a str>,
}

impl Bases<'_> {
    /// The problem with basing a `kind` at `base`, if any.
    fn check(&self, kind: VehicleKind, base: &str) -> Option<Msg> {
        let ok = match kind {
            VehicleKind::Ambulance => self.health_centers.contains(base),
            VehicleKind::ReserveCar => self.villages.contains(base),
        };
        if base.is_empty() || ok {
            None
        } else if self.health_centers.contains(base) || self.villages.contains(base) {
            Some(Msg::new("town.err.wrong_base").arg("code", base))
        } else {
            Some(Msg::new("town.err.unknown_base").arg("code", base))
        }
    }
}

fn read_vehicles(
    root: &toml::Table,
    bases: &Bases<'_>,
    codes: &mut HashSet<String>,
    problems: &mut Vec<Problem>,
) -> Vec<Vehicle> {
    let mut out = Vec::new();
    for (key, t) in array_of_tables(root, "vehicle", problems) {
        let mut r = Reader::new(key.clone(), t, problems);
        let code = r.string("code", true);
        let kind_text = r.string("kind", true);
        let base = r.string("base", true);
        let plate = r.string("plate", false);
        let driver = r.string("driver", false);
        let phone = r.string("phone", false);
        r.finish();
        check_code(&key, &code, codes, problems);
        let kind = VehicleKind::parse(&kind_text).unwrap_or_else(|| {
            if !kind_text.is_empty() {
                problems.push(Problem {
                    key: format!("{key}.kind"),
                    msg: Msg::new("town.err.bad_kind").quoted("value", &kind_text),
                });
            }
            VehicleKind::Ambulance
        });
        if let Some(msg) = bases.check(kind, &base) {
            problems.push(Problem {
                key: format!("{key}.base"),
                msg,
            });
        }
        out.push(Vehicle {
            code,
            kind,
            base,
            plate,
            driver,
            phone,
        });
    }
    out
}

fn read_staff(root: &toml::Table, problems: &mut Vec<Problem>) -> Vec<Staff> {
    let mut out = Vec::new();
    let mut names = HashSet::new();
    for (key, t) in array_of_tables(root, "staff", problems) {
        let mut r = Reader::new(key.clone(), t, problems);
        let name = r.exact_name("name");
        let role_text = r.string("role", true);
        let phone = r.string("phone", false);
        r.finish();
        let role = Role::parse(&role_text).unwrap_or_else(|| {
            if !role_text.is_empty() {
                problems.push(Problem {
                    key: format!("{key}.role"),
                    msg: Msg::new("town.err.bad_role").quoted("value", &role_text),
                });
            }
            Role::Viewer
        });
        if !name.is_empty() && !names.insert(name.clone()) {
            problems.push(Problem {
                key: format!("{key}.name"),
                msg: Msg::new("town.err.duplicate_name").arg("name", &name),
            });
        }
        out.push(Staff { name, role, phone });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[town]
name = "测试镇"
name_en = "Test Town"
report_cutoff = "10:00"
shift_start = "08:30"

[[health_center]]
code = "HC1"
name = "中心卫生院"

[[village]]
code = "V1"
name = "一村"
population = 1000
health_center = "HC1"
neighbours = ["V2"]

[[village]]
code = "V2"
name = "二村"
population = 800
health_center = "HC1"

[[vehicle]]
code = "AMB1"
kind = "ambulance"
base = "HC1"

[[vehicle]]
code = "RC1"
kind = "reserve_car"
base = "V1"

[[staff]]
name = "王一"
role = "duty_leader"
"#;

    fn keys(src: &str) -> Vec<String> {
        parse_town(src)
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|p| p.key)
            .collect()
    }

    #[test]
    fn good_file_parses() {
        let t = parse_town(GOOD).expect("valid");
        assert_eq!(t.villages.len(), 2);
        assert_eq!(t.town.offset.local_minus_utc(), 8 * 3600);
        assert_eq!(t.town.stock_threshold_percent, 15.0);
    }

    /// Issue 15: `[key_populations]` sets the contacts a week per level; 3/2/1 without it.
    #[test]
    fn key_population_cadence_comes_from_the_town_file() {
        let t = parse_town(GOOD).unwrap();
        assert_eq!(
            t.town.key_populations,
            crate::domain::people::Cadence::default()
        );
        let t = parse_town(&format!(
            "{GOOD}\n[key_populations]\nred_per_week = 7\ngreen_per_week = 2\n"
        ))
        .unwrap();
        let k = t.town.key_populations;
        assert_eq!(
            (k.red_per_week, k.yellow_per_week, k.green_per_week),
            (7, 2, 2)
        );
        let k = keys(&format!("{GOOD}\n[key_populations]\nblue_per_week = 1\n"));
        assert!(
            k.contains(&"key_populations.blue_per_week".to_string()),
            "{k:?}"
        );
    }

    #[test]
    fn every_problem_is_named() {
        let bad = GOOD
            .replace("population = 1000", "population = -5")
            .replace("base = \"V1\"", "base = \"V9\"")
            .replace(
                "report_cutoff = \"10:00\"",
                "report_cutoff = \"25:00\"\ncolour = 1",
            );
        let k = keys(&bad);
        assert!(k.contains(&"village[1].population".to_string()), "{k:?}");
        assert!(k.contains(&"vehicle[2].base".to_string()), "{k:?}");
        assert!(k.contains(&"town.report_cutoff".to_string()), "{k:?}");
        assert!(k.contains(&"town.colour".to_string()), "{k:?}");
    }

    /// Every numeric key of the town file, with its range: at each limit, one past it,
    /// and at the ends of `i64`, the file parses or names the key and the range; no panic.
    #[test]
    fn every_number_at_its_limits() {
        let cases: [(&str, &str, Range); 11] = [
            ("rules", "critical_wait_minutes", WAIT_MINUTES),
            ("rules", "surge_critical_wait_minutes", WAIT_MINUTES),
            ("rules", "surge_severe_wait_minutes", WAIT_MINUTES),
            ("rules", "surge_handover_grace_minutes", WAIT_MINUTES),
            ("rules", "severe_wait_minutes", WAIT_MINUTES),
            ("rules", "escalation_grace_minutes", WAIT_MINUTES),
            ("health_center", "beds", BEDS),
            ("village", "population", POPULATION),
            ("key_populations", "red_per_week", PER_WEEK),
            ("key_populations", "yellow_per_week", PER_WEEK),
            ("key_populations", "green_per_week", PER_WEEK),
        ];
        for (table, key, (min, max)) in cases {
            let values = [
                (min, true),
                (max, true),
                (min - 1, false),
                (max + 1, false),
                (i64::MAX, false),
                (i64::MIN, false),
                (10_000_000_000_000, false),
            ];
            for (v, ok) in values {
                let src = match table {
                    "rules" => format!("{GOOD}\n[rules]\n{key} = {v}\n"),
                    "key_populations" => format!("{GOOD}\n[key_populations]\n{key} = {v}\n"),
                    "health_center" => GOOD.replace(
                        "name = \"中心卫生院\"",
                        &format!("name = \"中心卫生院\"\n{key} = {v}"),
                    ),
                    _ => GOOD.replace("population = 1000", &format!("population = {v}")),
                };
                let full = match table {
                    "rules" => format!("rules.{key}"),
                    "key_populations" => format!("key_populations.{key}"),
                    "health_center" => format!("health_center[1].{key}"),
                    _ => format!("village[1].{key}"),
                };
                match parse_town(&src) {
                    Ok(_) => assert!(ok, "{key} = {v} accepted"),
                    Err(p) => {
                        assert!(!ok, "{key} = {v} refused: {p:?}");
                        let hit = p.iter().find(|p| p.key == full).expect("key named");
                        let m = hit.msg.render(crate::i18n::Lang::En);
                        assert!(m.contains(&format!("from {min} to {max}")), "{m}");
                    }
                }
            }
        }
        // the percent key keeps its own range
        for (v, ok) in [
            ("0.0", false),
            ("0.5", true),
            ("100", true),
            ("100.5", false),
            ("1e308", false),
        ] {
            for key in ["stock_threshold_percent", "surge_stock_threshold_percent"] {
                let src = format!("{GOOD}\n[rules]\n{key} = {v}\n");
                assert_eq!(parse_town(&src).is_ok(), ok, "{key} = {v}");
            }
        }
    }

    #[test]
    fn names_with_control_characters_are_refused() {
        let bad = GOOD.replace("name = \"一村\"", "name = \"一村\\u001b]0;x\\u0007\"");
        assert!(keys(&bad).contains(&"village[1].name".to_string()));
        let bidi = GOOD.replace("name = \"王一\"", "name = \"王\\u202e一\"");
        assert!(keys(&bidi).contains(&"staff[1].name".to_string()));
    }

    #[test]
    fn syntax_errors_give_a_line() {
        let p = parse_town("[town\nname=1").unwrap_err();
        assert!(p[0].key.starts_with("line "), "{:?}", p[0]);
    }
}
