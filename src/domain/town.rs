//! The town file (`town.toml`): its typed form and the validation that names every
//! problem with its key, so that a clerk can fix the whole file in one pass.

use std::collections::{BTreeSet, HashSet};

use chrono::{FixedOffset, NaiveTime};

use super::time::{parse_hhmm, parse_offset};
use crate::i18n::Msg;

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

    fn positive_int(&mut self, k: &'static str, required: bool, default: i64) -> i64 {
        match self.get(k) {
            Some(toml::Value::Integer(n)) if *n > 0 => *n,
            Some(v) => {
                self.problem(
                    k,
                    Msg::new("town.err.not_positive_int").arg("value", v.to_string()),
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
                self.problem(
                    k,
                    Msg::new("town.err.not_percent").arg("value", v.to_string()),
                );
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
                    self.problem(k, Msg::new("town.err.bad_time").arg("value", s));
                    fallback
                }
            },
            Some(v) => {
                self.problem(k, Msg::new("town.err.bad_time").arg("value", v.to_string()));
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
                        toml::Value::String(s) => out.push(s.trim().to_string()),
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

/// Parses and validates a town file; returns every problem found, not only the first.
pub fn parse_town(src: &str) -> Result<TownFile, Vec<Problem>> {
    let root: toml::Table = match toml::from_str(src) {
        Ok(t) => t,
        Err(e) => {
            let line = e
                .span()
                .map(|s| src[..s.start.min(src.len())].lines().count().max(1))
                .unwrap_or(0);
            return Err(vec![Problem {
                key: format!("line {line}"),
                msg: Msg::new("town.err.syntax").arg("detail", e.message()),
            }]);
        }
    };
    let mut problems = Vec::new();

    // top level
    let known_top = [
        "town",
        "rules",
        "health_center",
        "hospital",
        "village",
        "vehicle",
        "staff",
    ];
    let mut top_unknown: Vec<&String> = root
        .keys()
        .filter(|k| !known_top.contains(&k.as_str()))
        .collect();
    top_unknown.sort();
    for k in top_unknown {
        problems.push(Problem {
            key: k.clone(),
            msg: Msg::new("town.err.unknown_key"),
        });
    }

    let empty = toml::Table::new();
    let town_table = match root.get("town") {
        Some(toml::Value::Table(t)) => t,
        Some(_) => {
            problems.push(Problem {
                key: "town".into(),
                msg: Msg::new("town.err.not_table"),
            });
            &empty
        }
        None => {
            problems.push(Problem {
                key: "town".into(),
                msg: Msg::new("town.err.missing"),
            });
            &empty
        }
    };
    let mut r = Reader::new("town".into(), town_table, &mut problems);
    let name = r.string("name", true);
    let name_en = r.string("name_en", false);
    let offset_text = r.string("utc_offset", false);
    let report_cutoff = r.time("report_cutoff", "10:00");
    let shift_start = r.time("shift_start", "08:30");
    r.finish();
    let offset = if offset_text.is_empty() {
        FixedOffset::east_opt(8 * 3600)
    } else {
        parse_offset(&offset_text)
    };
    let offset = match offset {
        Some(o) => o,
        None => {
            problems.push(Problem {
                key: "town.utc_offset".into(),
                msg: Msg::new("town.err.bad_offset").arg("value", &offset_text),
            });
            chrono::Offset::fix(&chrono::Utc)
        }
    };

    let rules_table = match root.get("rules") {
        Some(toml::Value::Table(t)) => t,
        Some(_) => {
            problems.push(Problem {
                key: "rules".into(),
                msg: Msg::new("town.err.not_table"),
            });
            &empty
        }
        None => &empty,
    };
    let mut r = Reader::new("rules".into(), rules_table, &mut problems);
    let stock_threshold_percent = r.percent("stock_threshold_percent", 15.0);
    let critical_wait_minutes = r.positive_int("critical_wait_minutes", false, 10);
    let severe_wait_minutes = r.positive_int("severe_wait_minutes", false, 30);
    let escalation_grace_minutes = r.positive_int("escalation_grace_minutes", false, 60);
    let handover_grace_minutes = r.positive_int("handover_grace_minutes", false, 30);
    let notifications = r.boolean("notifications", true);
    r.finish();

    let town = TownInfo {
        name,
        name_en,
        offset,
        report_cutoff,
        shift_start,
        stock_threshold_percent,
        critical_wait_minutes,
        severe_wait_minutes,
        escalation_grace_minutes,
        handover_grace_minutes,
        notifications,
    };

    let mut codes = HashSet::new();
    let mut health_centers = Vec::new();
    for (key, t) in array_of_tables(&root, "health_center", &mut problems) {
        let mut r = Reader::new(key.clone(), t, &mut problems);
        let hc = HealthCenter {
            code: r.string("code", true),
            name: r.string("name", true),
            name_en: r.string("name_en", false),
            beds: r.positive_int("beds", false, 0),
            phone: r.string("phone", false),
        };
        r.finish();
        check_code(&key, &hc.code, &mut codes, &mut problems);
        health_centers.push(hc);
    }
    if health_centers.is_empty() {
        problems.push(Problem {
            key: "health_center".into(),
            msg: Msg::new("town.err.need_one"),
        });
    }

    let mut hospitals = Vec::new();
    for (key, t) in array_of_tables(&root, "hospital", &mut problems) {
        let mut r = Reader::new(key.clone(), t, &mut problems);
        let h = Hospital {
            code: r.string("code", true),
            name: r.string("name", true),
            name_en: r.string("name_en", false),
        };
        r.finish();
        check_code(&key, &h.code, &mut codes, &mut problems);
        hospitals.push(h);
    }

    let hc_codes: BTreeSet<&str> = health_centers.iter().map(|h| h.code.as_str()).collect();
    let mut villages = Vec::new();
    let mut village_keys = Vec::new();
    for (key, t) in array_of_tables(&root, "village", &mut problems) {
        let mut r = Reader::new(key.clone(), t, &mut problems);
        let v = Village {
            code: r.string("code", true),
            name: r.string("name", true),
            name_en: r.string("name_en", false),
            population: r.positive_int("population", true, 1),
            clinic_phone: r.string("clinic_phone", false),
            health_center: r.string("health_center", true),
            neighbours: r.string_list("neighbours"),
        };
        r.finish();
        check_code(&key, &v.code, &mut codes, &mut problems);
        if !v.health_center.is_empty() && !hc_codes.contains(v.health_center.as_str()) {
            problems.push(Problem {
                key: format!("{key}.health_center"),
                msg: Msg::new("town.err.unknown_health_center").arg("code", &v.health_center),
            });
        }
        villages.push(v);
        village_keys.push(key);
    }
    if villages.is_empty() {
        problems.push(Problem {
            key: "village".into(),
            msg: Msg::new("town.err.need_one"),
        });
    }
    let village_codes: BTreeSet<&str> = villages.iter().map(|v| v.code.as_str()).collect();
    let mut village_names = HashSet::new();
    for (v, key) in villages.iter().zip(&village_keys) {
        for n in &v.neighbours {
            if !village_codes.contains(n.as_str()) || *n == v.code {
                problems.push(Problem {
                    key: format!("{key}.neighbours"),
                    msg: Msg::new("town.err.unknown_village").arg("code", n),
                });
            }
        }
        for n in [&v.name, &v.name_en] {
            if !n.is_empty() && !village_names.insert(n.clone()) {
                problems.push(Problem {
                    key: format!("{key}.name"),
                    msg: Msg::new("town.err.duplicate_name").arg("name", n),
                });
            }
        }
    }

    let mut vehicles = Vec::new();
    for (key, t) in array_of_tables(&root, "vehicle", &mut problems) {
        let mut r = Reader::new(key.clone(), t, &mut problems);
        let code = r.string("code", true);
        let kind_text = r.string("kind", true);
        let base = r.string("base", true);
        let plate = r.string("plate", false);
        let driver = r.string("driver", false);
        let phone = r.string("phone", false);
        r.finish();
        check_code(&key, &code, &mut codes, &mut problems);
        let kind = match VehicleKind::parse(&kind_text) {
            Some(k) => k,
            None => {
                if !kind_text.is_empty() {
                    problems.push(Problem {
                        key: format!("{key}.kind"),
                        msg: Msg::new("town.err.bad_kind").arg("value", &kind_text),
                    });
                }
                VehicleKind::Ambulance
            }
        };
        if !base.is_empty() {
            let ok = match kind {
                VehicleKind::Ambulance => hc_codes.contains(base.as_str()),
                VehicleKind::ReserveCar => village_codes.contains(base.as_str()),
            };
            if !ok {
                let msg =
                    if hc_codes.contains(base.as_str()) || village_codes.contains(base.as_str()) {
                        Msg::new("town.err.wrong_base").arg("code", &base)
                    } else {
                        Msg::new("town.err.unknown_base").arg("code", &base)
                    };
                problems.push(Problem {
                    key: format!("{key}.base"),
                    msg,
                });
            }
        }
        vehicles.push(Vehicle {
            code,
            kind,
            base,
            plate,
            driver,
            phone,
        });
    }

    let mut staff = Vec::new();
    let mut staff_names = HashSet::new();
    for (key, t) in array_of_tables(&root, "staff", &mut problems) {
        let mut r = Reader::new(key.clone(), t, &mut problems);
        let name = r.string("name", true);
        let role_text = r.string("role", true);
        let phone = r.string("phone", false);
        r.finish();
        let role = match Role::parse(&role_text) {
            Some(role) => role,
            None => {
                if !role_text.is_empty() {
                    problems.push(Problem {
                        key: format!("{key}.role"),
                        msg: Msg::new("town.err.bad_role").arg("value", &role_text),
                    });
                }
                Role::Viewer
            }
        };
        if !name.is_empty() && !staff_names.insert(name.clone()) {
            problems.push(Problem {
                key: format!("{key}.name"),
                msg: Msg::new("town.err.duplicate_name").arg("name", &name),
            });
        }
        staff.push(Staff { name, role, phone });
    }

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

    #[test]
    fn syntax_errors_give_a_line() {
        let p = parse_town("[town\nname=1").unwrap_err();
        assert!(p[0].key.starts_with("line "), "{:?}", p[0]);
    }
}
