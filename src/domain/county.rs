//! The county desk's roll-up of the towns' daily reports (each town's
//! `report --format json`): a row per town, county totals, towns missing or unsigned.

use serde_json::{Map, Value, json};

use super::report::Field;

/// The figures the county adds up, in the report JSON's `totals` names.
pub const FIGURES: [&str; 9] = [
    "population",
    "new_infections",
    "cumulative_infections",
    "outpatients",
    "inpatients",
    "severe",
    "deaths",
    "emergency_visits",
    "referrals",
];

/// One town's report as the county reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct TownReport {
    /// The town's name as its report gives it.
    pub town: String,
    /// The file it came from (its name only).
    pub file: String,
    /// Signed by the town's shift lead.
    pub signed: bool,
    /// Villages expected and reported.
    pub villages_expected: i64,
    /// Villages that reported.
    pub villages_reported: i64,
    /// Each of [`FIGURES`] (`None`: not given).
    pub figures: [Option<i64>; 9],
    /// Why the town signed with villages missing, if it did.
    pub missing_reason: Option<String>,
}

/// Why a file is not a town's daily report.
#[derive(Debug, Clone, PartialEq)]
pub enum NotAReport {
    /// A field is missing or has the wrong type.
    Field(&'static str),
}

fn int(v: &Value) -> Option<i64> {
    v.as_i64()
}

/// Reads one town's report for `date` from a `report --format json` value (a day's
/// object, or an array of them from a range export). `Ok(None)`: the file is a report,
/// but not of that day.
pub fn read(v: &Value, file: &str, date: &str) -> Result<Option<TownReport>, NotAReport> {
    if let Some(days) = v.as_array() {
        for d in days {
            if let Some(r) = read(d, file, date)? {
                return Ok(Some(r));
            }
        }
        return Ok(None);
    }
    let day = v
        .get("date")
        .and_then(Value::as_str)
        .ok_or(NotAReport::Field("date"))?;
    let town = v
        .get("town")
        .and_then(Value::as_str)
        .ok_or(NotAReport::Field("town"))?;
    let totals = v
        .get("totals")
        .and_then(Value::as_object)
        .ok_or(NotAReport::Field("totals"))?;
    let status = v
        .get("status")
        .and_then(Value::as_str)
        .ok_or(NotAReport::Field("status"))?;
    if day != date {
        return Ok(None);
    }
    let mut figures = [None; 9];
    for (i, k) in FIGURES.iter().enumerate() {
        figures[i] = totals.get(*k).and_then(int);
    }
    Ok(Some(TownReport {
        town: town.to_string(),
        file: file.to_string(),
        signed: status == "signed",
        villages_expected: v.get("villages_expected").and_then(int).unwrap_or(0),
        villages_reported: v.get("villages_reported").and_then(int).unwrap_or(0),
        figures,
        missing_reason: v
            .get("missing_reason")
            .and_then(Value::as_str)
            .map(str::to_string),
    }))
}

/// The county's day: the towns that reported (in name order), the expected ones that
/// did not, and the totals.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Rollup {
    /// The day.
    pub date: String,
    /// Each town's report.
    pub towns: Vec<TownReport>,
    /// Expected towns with no report for the day.
    pub missing: Vec<String>,
    /// Each figure summed over the towns that gave it.
    pub totals: [Option<i64>; 9],
}

impl Rollup {
    /// Builds the roll-up; `expected` lists the towns the county waits for.
    pub fn new(date: &str, mut towns: Vec<TownReport>, expected: &[String]) -> Rollup {
        towns.sort_by(|a, b| a.town.cmp(&b.town).then(a.file.cmp(&b.file)));
        let mut totals = [None; 9];
        for t in &towns {
            for (i, v) in t.figures.iter().enumerate() {
                if let Some(v) = v {
                    let s: &mut i64 = totals[i].get_or_insert(0);
                    *s = s.saturating_add(*v);
                }
            }
        }
        let mut missing: Vec<String> = expected
            .iter()
            .filter(|e| !towns.iter().any(|t| &t.town == *e))
            .cloned()
            .collect();
        missing.sort();
        missing.dedup();
        Rollup {
            date: date.to_string(),
            towns,
            missing,
            totals,
        }
    }

    /// Towns whose report is still a draft.
    pub fn unsigned(&self) -> Vec<&str> {
        self.towns
            .iter()
            .filter(|t| !t.signed)
            .map(|t| t.town.as_str())
            .collect()
    }

    /// The county's infection ratio: cumulative infections over the population of the
    /// towns that reported.
    pub fn infection_ratio(&self) -> Option<f64> {
        ratio(&self.totals)
    }

    /// The roll-up as JSON.
    pub fn to_json(&self) -> Value {
        let towns: Vec<Value> = self
            .towns
            .iter()
            .map(|t| {
                json!({
                    "town": t.town,
                    "file": t.file,
                    "status": if t.signed { "signed" } else { "draft" },
                    "villages_expected": t.villages_expected,
                    "villages_reported": t.villages_reported,
                    "missing_reason": t.missing_reason,
                    "totals": figures_json(&t.figures),
                })
            })
            .collect();
        json!({
            "date": self.date,
            "towns_reported": self.towns.len(),
            "towns_expected": self.towns.len() + self.missing.len(),
            "missing": self.missing,
            "unsigned": self.unsigned(),
            "totals": figures_json(&self.totals),
            "towns": towns,
        })
    }
}

/// Cumulative infections over population of one row of [`FIGURES`] (`None` without
/// either, or with no population): the ratio every county output shows.
pub fn ratio(f: &[Option<i64>; 9]) -> Option<f64> {
    let pop = f[0]?;
    let cum = f[2]?;
    (pop > 0).then(|| cum as f64 / pop as f64)
}

fn figures_json(f: &[Option<i64>; 9]) -> Value {
    let mut m = Map::new();
    for (i, k) in FIGURES.iter().enumerate() {
        m.insert((*k).into(), json!(f[i]));
    }
    m.insert(
        "infection_ratio".into(),
        ratio(f).map_or(Value::Null, |r| {
            json!((r * 1_000_000.0).round() / 1_000_000.0)
        }),
    );
    Value::Object(m)
}

/// The catalogue key of each of [`FIGURES`]' display names.
pub fn label_key(i: usize) -> &'static str {
    match i {
        0 => "county.population",
        n => Field::ALL
            .get(n - 1)
            .map_or("county.population", |f| f.short_key()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(town: &str, date: &str, status: &str, new: i64, cum: i64, pop: i64) -> Value {
        json!({
            "date": date, "town": town, "status": status,
            "villages_expected": 3, "villages_reported": 2,
            "totals": {"population": pop, "new_infections": new,
                       "cumulative_infections": cum, "outpatients": null},
        })
    }

    #[test]
    fn a_row_per_town_totals_missing_and_unsigned() {
        let a = read(
            &report("甲镇", "2026-11-26", "signed", 5, 100, 1000),
            "a.json",
            "2026-11-26",
        )
        .unwrap()
        .unwrap();
        let b = read(
            &report("乙镇", "2026-11-26", "draft", 7, 300, 3000),
            "b.json",
            "2026-11-26",
        )
        .unwrap()
        .unwrap();
        // another day's report is not this day's
        assert_eq!(
            read(
                &report("丙镇", "2026-11-25", "signed", 1, 1, 10),
                "c.json",
                "2026-11-26"
            ),
            Ok(None)
        );
        let r = Rollup::new(
            "2026-11-26",
            vec![b, a],
            &["甲镇".into(), "乙镇".into(), "丙镇".into()],
        );
        assert_eq!(r.towns[0].town, "乙镇", "in name order");
        assert_eq!(r.missing, ["丙镇"]);
        assert_eq!(r.unsigned(), ["乙镇"]);
        assert_eq!(r.totals[1], Some(12));
        assert_eq!(r.totals[2], Some(400));
        assert_eq!(r.totals[3], None, "nobody gave outpatients");
        assert_eq!(r.infection_ratio(), Some(0.1));
        let j = r.to_json();
        assert_eq!(j["towns_expected"], json!(3));
        assert_eq!(j["totals"]["infection_ratio"], json!(0.1));
    }

    #[test]
    fn a_range_export_gives_its_day_and_junk_is_named() {
        let arr = json!([
            report("甲镇", "2026-11-25", "signed", 1, 90, 1000),
            report("甲镇", "2026-11-26", "draft", 5, 100, 1000),
        ]);
        let r = read(&arr, "a.json", "2026-11-26").unwrap().unwrap();
        assert_eq!(r.figures[2], Some(100));
        assert!(!r.signed);
        assert_eq!(
            read(&json!({"date": "x"}), "j", "x"),
            Err(NotAReport::Field("town"))
        );
        assert_eq!(read(&json!(3), "j", "x"), Err(NotAReport::Field("date")));
    }
}
