//! The town after init: the difference between the town as it stands and a town file
//! (added, changed, retired, restored, per section), the town written back as a town file,
//! and the warnings for what the seeds require and a town lacks.

use std::collections::{BTreeMap, BTreeSet};

use super::audit_action::AuditAction;
use super::town::{
    HealthCenter, Hospital, Staff, TownFile, Vehicle, VehicleKind, Village, settings,
};
use crate::i18n::Msg;

/// The records that left the town: kept for history, shown nowhere else.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Retired {
    /// Retired health centers.
    pub health_centers: Vec<HealthCenter>,
    /// Retired referral hospitals.
    pub hospitals: Vec<Hospital>,
    /// Retired villages.
    pub villages: Vec<Village>,
    /// Retired vehicles.
    pub vehicles: Vec<Vehicle>,
    /// Retired staff.
    pub staff: Vec<Staff>,
}

/// A part of the town file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Section {
    /// `[town]`.
    Town,
    /// `[rules]`.
    Rules,
    /// `[[health_center]]`.
    HealthCenter,
    /// `[[hospital]]`.
    Hospital,
    /// `[[village]]`.
    Village,
    /// `[[vehicle]]`.
    Vehicle,
    /// `[[staff]]`.
    Staff,
    /// `[key_populations]` (issue 15).
    KeyPopulations,
}

impl Section {
    /// Every section, in the order of the town file.
    pub const ALL: [Section; 8] = [
        Section::Town,
        Section::Rules,
        Section::KeyPopulations,
        Section::HealthCenter,
        Section::Hospital,
        Section::Village,
        Section::Vehicle,
        Section::Staff,
    ];

    /// The section's name in the town file, also the audit subject's prefix.
    pub fn as_str(self) -> &'static str {
        match self {
            Section::Town => "town",
            Section::Rules => "rules",
            Section::HealthCenter => "health_center",
            Section::Hospital => "hospital",
            Section::Village => "village",
            Section::Vehicle => "vehicle",
            Section::Staff => "staff",
            Section::KeyPopulations => "key_populations",
        }
    }

    /// The catalogue key of the section's heading.
    pub fn label_key(self) -> &'static str {
        match self {
            Section::Town => "town_change.section.town",
            Section::Rules => "town_change.section.rules",
            Section::HealthCenter => "town_change.section.health_center",
            Section::Hospital => "town_change.section.hospital",
            Section::Village => "town_change.section.village",
            Section::Vehicle => "town_change.section.vehicle",
            Section::Staff => "town_change.section.staff",
            Section::KeyPopulations => "town_change.section.key_populations",
        }
    }
}

/// What happened to one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// New in the file.
    Added,
    /// In both, some fields differ.
    Changed,
    /// Gone from the file: kept, but out of service for good.
    Retired,
    /// Retired before, back in the file.
    Restored,
}

impl ChangeKind {
    /// The audit action of this kind of change.
    pub fn action(self) -> AuditAction {
        match self {
            ChangeKind::Added => AuditAction::TownAdd,
            ChangeKind::Changed => AuditAction::TownChange,
            ChangeKind::Retired => AuditAction::TownRetire,
            ChangeKind::Restored => AuditAction::TownRestore,
        }
    }

    /// The catalogue key of the kind's word.
    pub fn label_key(self) -> &'static str {
        match self {
            ChangeKind::Added => "town_change.kind.added",
            ChangeKind::Changed => "town_change.kind.changed",
            ChangeKind::Retired => "town_change.kind.retired",
            ChangeKind::Restored => "town_change.kind.restored",
        }
    }
}

/// One field's old and new value, as the town file writes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    /// The key in the town file.
    pub field: &'static str,
    /// Before (empty when added).
    pub old: String,
    /// After (empty when retired).
    pub new: String,
}

/// One record's change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Its section.
    pub section: Section,
    /// Its code (a person's name for staff; `town`/`rules` for the settings).
    pub key: String,
    /// What happened.
    pub kind: ChangeKind,
    /// The fields that differ (all of them for an added record, none for a retired one).
    pub fields: Vec<FieldChange>,
}

impl Change {
    /// The audit subject: `village:V01`, `staff:王一`, `town`.
    pub fn subject(&self) -> String {
        match self.section {
            Section::Town | Section::Rules | Section::KeyPopulations => "town".to_string(),
            s => format!("{}:{}", s.as_str(), self.key),
        }
    }

    /// The audit detail.
    pub fn detail(&self) -> serde_json::Value {
        let fields: serde_json::Map<String, serde_json::Value> = self
            .fields
            .iter()
            .map(|f| {
                (
                    f.field.to_string(),
                    serde_json::json!({"old": f.old, "new": f.new}),
                )
            })
            .collect();
        serde_json::json!({
            "section": self.section.as_str(),
            "key": self.key,
            "fields": fields,
        })
    }
}

type Fields = Vec<(&'static str, String)>;

fn hc_fields(h: &HealthCenter) -> Fields {
    vec![
        ("name", h.name.clone()),
        ("name_en", h.name_en.clone()),
        ("beds", h.beds.to_string()),
        ("phone", h.phone.clone()),
    ]
}

fn hospital_fields(h: &Hospital) -> Fields {
    vec![("name", h.name.clone()), ("name_en", h.name_en.clone())]
}

fn village_fields(v: &Village) -> Fields {
    let mut n = v.neighbours.clone();
    n.sort();
    n.dedup();
    vec![
        ("name", v.name.clone()),
        ("name_en", v.name_en.clone()),
        ("population", v.population.to_string()),
        ("clinic_phone", v.clinic_phone.clone()),
        ("health_center", v.health_center.clone()),
        ("neighbours", n.join(", ")),
    ]
}

fn vehicle_fields(v: &Vehicle) -> Fields {
    vec![
        ("kind", v.kind.as_str().to_string()),
        ("base", v.base.clone()),
        ("plate", v.plate.clone()),
        ("driver", v.driver.clone()),
        ("phone", v.phone.clone()),
    ]
}

fn staff_fields(s: &Staff) -> Fields {
    vec![
        ("role", s.role.as_str().to_string()),
        ("phone", s.phone.clone()),
    ]
}

fn field_diff(old: &Fields, new: &Fields) -> Vec<FieldChange> {
    old.iter()
        .zip(new)
        .filter(|(o, n)| o.1 != n.1)
        .map(|(o, n)| FieldChange {
            field: o.0,
            old: o.1.clone(),
            new: n.1.clone(),
        })
        .collect()
}

fn all_fields(new: &Fields) -> Vec<FieldChange> {
    new.iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(f, v)| FieldChange {
            field: f,
            old: String::new(),
            new: v.clone(),
        })
        .collect()
}

/// The changes of one section of keyed records.
fn diff_records<T>(
    section: Section,
    old: &[T],
    retired: &[T],
    new: &[T],
    key: impl Fn(&T) -> &str,
    fields: impl Fn(&T) -> Fields,
) -> Vec<Change> {
    let mut out = Vec::new();
    let old_by: BTreeMap<&str, &T> = old.iter().map(|r| (key(r), r)).collect();
    let retired_by: BTreeMap<&str, &T> = retired.iter().map(|r| (key(r), r)).collect();
    let new_keys: BTreeSet<&str> = new.iter().map(&key).collect();
    for r in new {
        let k = key(r);
        let (kind, fields) = match (old_by.get(k), retired_by.get(k)) {
            (Some(o), _) => (ChangeKind::Changed, field_diff(&fields(o), &fields(r))),
            (None, Some(o)) => (ChangeKind::Restored, field_diff(&fields(o), &fields(r))),
            (None, None) => (ChangeKind::Added, all_fields(&fields(r))),
        };
        if kind == ChangeKind::Changed && fields.is_empty() {
            continue;
        }
        out.push(Change {
            section,
            key: k.to_string(),
            kind,
            fields,
        });
    }
    for r in old {
        if !new_keys.contains(key(r)) {
            out.push(Change {
                section,
                key: key(r).to_string(),
                kind: ChangeKind::Retired,
                fields: Vec::new(),
            });
        }
    }
    out
}

/// Neighbourhood is symmetric even when a file lists it once: both sides are compared
/// (and stored) as the symmetric closure.
pub fn symmetric_neighbours(villages: &[Village]) -> Vec<Village> {
    let codes: BTreeSet<&str> = villages.iter().map(|v| v.code.as_str()).collect();
    let mut sets: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for v in villages {
        for n in &v.neighbours {
            if codes.contains(n.as_str()) && *n != v.code {
                sets.entry(v.code.as_str()).or_default().insert(n.clone());
                sets.entry(n.as_str()).or_default().insert(v.code.clone());
            }
        }
    }
    villages
        .iter()
        .map(|v| Village {
            neighbours: sets
                .get(v.code.as_str())
                .map(|s| s.iter().cloned().collect())
                .unwrap_or_default(),
            ..v.clone()
        })
        .collect()
}

/// Every difference between the town as it stands (`old`, its retired records in
/// `retired`) and the town file `new`, section by section, in file order.
pub fn diff(old: &TownFile, retired: &Retired, new: &TownFile) -> Vec<Change> {
    let mut out = Vec::new();
    for (section, _) in settings::SECTIONS {
        let fields = field_diff(
            &settings::fields(&old.town, section),
            &settings::fields(&new.town, section),
        );
        if !fields.is_empty() {
            out.push(Change {
                section,
                key: section.as_str().to_string(),
                kind: ChangeKind::Changed,
                fields,
            });
        }
    }
    out.extend(diff_records(
        Section::HealthCenter,
        &old.health_centers,
        &retired.health_centers,
        &new.health_centers,
        |h| &h.code,
        hc_fields,
    ));
    out.extend(diff_records(
        Section::Hospital,
        &old.hospitals,
        &retired.hospitals,
        &new.hospitals,
        |h| &h.code,
        hospital_fields,
    ));
    let old_villages = symmetric_neighbours(&old.villages);
    let new_villages = symmetric_neighbours(&new.villages);
    out.extend(diff_records(
        Section::Village,
        &old_villages,
        &retired.villages,
        &new_villages,
        |v| &v.code,
        village_fields,
    ));
    out.extend(diff_records(
        Section::Vehicle,
        &old.vehicles,
        &retired.vehicles,
        &new.vehicles,
        |v| &v.code,
        vehicle_fields,
    ));
    out.extend(diff_records(
        Section::Staff,
        &old.staff,
        &retired.staff,
        &new.staff,
        |s| &s.name,
        staff_fields,
    ));
    out
}

/// What the seeds require and a town lacks (warnings, never errors): a village without a
/// reserve car, a health center without an ambulance, a village without a clinic phone.
pub fn warnings(t: &TownFile) -> Vec<Msg> {
    let has =
        |kind: VehicleKind, base: &str| t.vehicles.iter().any(|v| v.kind == kind && v.base == base);
    let mut out = Vec::new();
    for h in &t.health_centers {
        if !has(VehicleKind::Ambulance, &h.code) {
            out.push(Msg::new("town_change.warn.no_ambulance").arg("code", &h.code));
        }
    }
    for v in &t.villages {
        if !has(VehicleKind::ReserveCar, &v.code) {
            out.push(Msg::new("town_change.warn.no_reserve_car").arg("code", &v.code));
        }
        if v.clinic_phone.trim().is_empty() {
            out.push(Msg::new("town_change.warn.no_clinic_phone").arg("code", &v.code));
        }
    }
    out
}

/// A TOML string, quoted and escaped.
fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Writes `key = value` lines for the optional text fields that are not empty.
fn opt(out: &mut String, key: &str, value: &str) {
    if !value.is_empty() {
        out.push_str(&format!("{key} = {}\n", q(value)));
    }
}

/// The town as a town file that `init` and `town apply` accept: applying it back changes
/// nothing.
pub fn to_toml(t: &TownFile) -> String {
    let mut out = settings::to_toml(&t.town);
    for h in &t.health_centers {
        out.push_str("\n[[health_center]]\n");
        out.push_str(&format!("code = {}\nname = {}\n", q(&h.code), q(&h.name)));
        opt(&mut out, "name_en", &h.name_en);
        out.push_str(&format!("beds = {}\n", h.beds));
        opt(&mut out, "phone", &h.phone);
    }
    for h in &t.hospitals {
        out.push_str("\n[[hospital]]\n");
        out.push_str(&format!("code = {}\nname = {}\n", q(&h.code), q(&h.name)));
        opt(&mut out, "name_en", &h.name_en);
    }
    for v in &t.villages {
        out.push_str("\n[[village]]\n");
        out.push_str(&format!("code = {}\nname = {}\n", q(&v.code), q(&v.name)));
        opt(&mut out, "name_en", &v.name_en);
        out.push_str(&format!("population = {}\n", v.population));
        opt(&mut out, "clinic_phone", &v.clinic_phone);
        out.push_str(&format!("health_center = {}\n", q(&v.health_center)));
        if !v.neighbours.is_empty() {
            let list: Vec<String> = v.neighbours.iter().map(|n| q(n)).collect();
            out.push_str(&format!("neighbours = [{}]\n", list.join(", ")));
        }
    }
    for v in &t.vehicles {
        out.push_str("\n[[vehicle]]\n");
        out.push_str(&format!(
            "code = {}\nkind = {}\nbase = {}\n",
            q(&v.code),
            q(v.kind.as_str()),
            q(&v.base)
        ));
        opt(&mut out, "plate", &v.plate);
        opt(&mut out, "driver", &v.driver);
        opt(&mut out, "phone", &v.phone);
    }
    for s in &t.staff {
        out.push_str("\n[[staff]]\n");
        out.push_str(&format!(
            "name = {}\nrole = {}\n",
            q(&s.name),
            q(s.role.as_str())
        ));
        opt(&mut out, "phone", &s.phone);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::town::parse_town;

    fn demo() -> TownFile {
        parse_town(include_str!("../../data/demo/town.toml")).expect("demo town")
    }

    #[test]
    fn the_demo_town_round_trips() {
        let t = demo();
        let back = parse_town(&to_toml(&t)).expect("written back parses");
        assert!(diff(&t, &Retired::default(), &back).is_empty());
        assert_eq!(back.villages.len(), t.villages.len());
    }

    #[test]
    fn each_kind_of_change_is_named() {
        let old = demo();
        let mut new = old.clone();
        new.vehicles[0].phone = "139-0000-0000".into();
        let gone = new.vehicles.remove(1);
        new.staff.push(Staff {
            name: "新人".into(),
            role: crate::domain::town::Role::DutyOfficer,
            phone: String::new(),
        });
        new.town.surge.stock_threshold_percent = 35.0;
        let retired = Retired {
            hospitals: vec![Hospital {
                code: "OLD".into(),
                name: "旧医院".into(),
                name_en: String::new(),
            }],
            ..Retired::default()
        };
        new.hospitals.push(Hospital {
            code: "OLD".into(),
            name: "旧医院".into(),
            name_en: "Old".into(),
        });
        let d = diff(&old, &retired, &new);
        let find = |s: Section, k: &str| d.iter().find(|c| c.section == s && c.key == k);
        let phone = find(Section::Vehicle, &old.vehicles[0].code).expect("changed");
        assert_eq!(phone.kind, ChangeKind::Changed);
        assert_eq!(phone.fields.len(), 1);
        assert_eq!(phone.fields[0].field, "phone");
        assert_eq!(
            find(Section::Vehicle, &gone.code).map(|c| c.kind),
            Some(ChangeKind::Retired)
        );
        assert_eq!(
            find(Section::Staff, "新人").map(|c| c.kind),
            Some(ChangeKind::Added)
        );
        assert_eq!(
            find(Section::Hospital, "OLD").map(|c| c.kind),
            Some(ChangeKind::Restored)
        );
        let rules = find(Section::Rules, "rules").expect("rules changed");
        assert_eq!(rules.fields[0].field, "surge_stock_threshold_percent");
        assert_eq!(d.len(), 5, "{d:?}");
    }

    #[test]
    fn neighbours_listed_once_are_not_a_change() {
        let old = demo();
        let mut new = old.clone();
        // the file lists each pair from one side only
        for v in &mut new.villages {
            let code = v.code.clone();
            v.neighbours.retain(|n| *n > code);
        }
        assert!(diff(&old, &Retired::default(), &new).is_empty());
    }

    #[test]
    fn warnings_name_what_the_seeds_require() {
        let mut t = demo();
        assert!(warnings(&t).is_empty(), "{:?}", warnings(&t));
        t.villages[0].clinic_phone.clear();
        let v = t.villages[1].code.clone();
        t.vehicles
            .retain(|x| !(x.kind == VehicleKind::ReserveCar && x.base == v));
        let hc = t.health_centers[0].code.clone();
        t.vehicles
            .retain(|x| !(x.kind == VehicleKind::Ambulance && x.base == hc));
        let keys: Vec<String> = warnings(&t).iter().map(|m| m.key.to_string()).collect();
        assert_eq!(
            keys,
            [
                "town_change.warn.no_ambulance",
                "town_change.warn.no_clinic_phone",
                "town_change.warn.no_reserve_car"
            ]
        );
    }
}
