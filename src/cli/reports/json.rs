//! The daily report's JSON contract (DESIGN.md), written straight to the output (issue 18).
//!
//! Before, the report was built as a `serde_json::Value` tree (an owned `String` key and a
//! map node per figure of every village) and printed whole: 18 % of a `report --format
//! json` run was that allocation. Here the report is described by a small tree of values
//! borrowed from it, and serde writes it to the buffered output as it goes. The bytes are
//! exactly what `serde_json::to_string_pretty` printed for the old tree: its objects were
//! `BTreeMap`s, so every object here is written in sorted key order too (see [`obj`]);
//! the test below compares both on the demo town and on edge cases.

use std::borrow::Cow;
use std::io::{self, Write};

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use crate::domain::facility::FacilityRow;
use crate::domain::report::Field;
use crate::domain::town::Town;
use crate::i18n::Lang;
use crate::store::reports::DailyReport;

/// A JSON value borrowed from the report where it can be.
#[derive(Debug, Clone, PartialEq)]
pub enum J<'a> {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A number with a fraction (`null` when not finite, as `serde_json` writes it).
    Float(f64),
    /// A string.
    Str(Cow<'a, str>),
    /// An array.
    List(Vec<J<'a>>),
    /// An object, its keys sorted and unique ([`obj`]).
    Obj(Vec<(&'a str, J<'a>)>),
}

impl<'a> J<'a> {
    fn opt_int(v: Option<i64>) -> J<'a> {
        v.map_or(J::Null, J::Int)
    }

    fn opt_str(v: Option<&'a str>) -> J<'a> {
        v.map_or(J::Null, |s| J::Str(Cow::Borrowed(s)))
    }

    fn str(s: &'a str) -> J<'a> {
        J::Str(Cow::Borrowed(s))
    }

    fn owned(s: String) -> J<'a> {
        J::Str(Cow::Owned(s))
    }

    fn count(n: usize) -> J<'a> {
        J::Int(i64::try_from(n).unwrap_or(i64::MAX))
    }

    fn strs<S: AsRef<str>>(items: &'a [S]) -> J<'a> {
        J::List(items.iter().map(|s| J::str(s.as_ref())).collect())
    }
}

/// An object as a `serde_json::Map` (a `BTreeMap`) held it: keys in byte order, and a key
/// given twice keeps its last value.
pub fn obj<'a>(mut entries: Vec<(&'a str, J<'a>)>) -> J<'a> {
    entries.sort_by(|a, b| a.0.cmp(b.0)); // stable: equal keys stay in the order given
    let mut out: Vec<(&'a str, J<'a>)> = Vec::with_capacity(entries.len());
    for (k, v) in entries {
        match out.last_mut() {
            Some(last) if last.0 == k => last.1 = v,
            _ => out.push((k, v)),
        }
    }
    J::Obj(out)
}

impl Serialize for J<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            J::Null => s.serialize_unit(),
            J::Bool(b) => s.serialize_bool(*b),
            J::Int(n) => s.serialize_i64(*n),
            J::Float(f) if f.is_finite() => s.serialize_f64(*f),
            J::Float(_) => s.serialize_unit(),
            J::Str(t) => s.serialize_str(t),
            J::List(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for i in items {
                    seq.serialize_element(i)?;
                }
                seq.end()
            }
            J::Obj(entries) => {
                let mut map = s.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

/// Writes `v` as `serde_json::to_string_pretty` would, then a newline.
pub fn write_pretty(out: &mut dyn Write, v: &J<'_>) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, v).map_err(io::Error::other)?;
    out.write_all(b"\n")
}

/// A ratio rounded to six places, as the contract gives it.
fn ratio<'a>(v: Option<f64>) -> J<'a> {
    v.map_or(J::Null, |r| {
        J::Float((r * 1_000_000.0).round() / 1_000_000.0)
    })
}

/// Every figure of the contract, by name, with `extra` entries after them.
fn figures<'a>(get: impl Fn(Field) -> Option<i64>, extra: usize) -> Vec<(&'a str, J<'a>)> {
    let mut m = Vec::with_capacity(Field::ALL.len() + extra);
    for f in Field::ALL {
        m.push((f.as_str(), J::opt_int(get(f))));
    }
    m
}

fn village<'a>(
    v: &'a crate::domain::town::Village,
    row: Option<&'a crate::domain::report::StoredRow>,
    town: &Town,
    lang: Lang,
) -> J<'a> {
    let mut m = figures(|f| row.and_then(|x| x.figures.get(f)), 6);
    m.push(("code", J::str(&v.code)));
    m.push(("name", J::owned(town.place_name(&v.code, lang))));
    m.push(("population", J::Int(v.population)));
    m.push(("reported", J::Bool(row.is_some())));
    m.push(("late", J::Bool(row.is_some_and(|x| x.late))));
    let warnings = row.map_or_else(Vec::new, |x| {
        x.warnings
            .iter()
            .map(|(f, w)| {
                obj(vec![
                    ("field", J::opt_str(f.map(|f| f.as_str()))),
                    ("message", J::owned(w.render(lang))),
                ])
            })
            .collect()
    });
    m.push(("warnings", J::List(warnings)));
    obj(m)
}

fn facility<'a>(f: &'a FacilityRow, town: &Town, lang: Lang) -> J<'a> {
    let c = &f.capacity;
    obj(vec![
        ("code", J::str(&f.code)),
        ("name", J::owned(town.place_name(&f.code, lang))),
        ("beds", J::Int(f.beds)),
        ("beds_occupied", J::opt_int(c.beds_occupied)),
        ("oxygen_concentrators", J::opt_int(c.oxygen_concentrators)),
        ("oxygen_bags", J::opt_int(c.oxygen_bags)),
        ("oximeters", J::opt_int(c.oximeters)),
        (
            "fever_clinic",
            J::opt_str(
                c.fever_clinic
                    .map(crate::domain::facility::FeverClinic::as_str),
            ),
        ),
        ("drug_packs", J::opt_int(f.drug_packs)),
        ("antigen_kits", J::opt_int(f.antigen_kits)),
        ("reserve_line", J::opt_int(f.reserve_line)),
    ])
}

fn follow_up(r: &DailyReport) -> J<'_> {
    let rows = r
        .follow_up
        .1
        .iter()
        .map(|w| {
            obj(vec![
                ("code", J::str(&w.code)),
                ("level", J::str(w.level.as_str())),
                ("people", J::Int(w.people)),
                ("required", J::Int(w.required)),
                ("done", J::Int(w.done)),
            ])
        })
        .collect();
    obj(vec![
        (
            "week",
            J::owned(crate::domain::people::week_label(r.follow_up.0)),
        ),
        ("villages", J::List(rows)),
    ])
}

fn headline(r: &DailyReport) -> (J<'_>, J<'_>) {
    let sm = &r.summary;
    let mut totals = figures(|f| sm.get(f), 2);
    totals.push(("population", J::Int(r.population)));
    totals.push(("infection_ratio", ratio(sm.infection_ratio())));
    let mut ch = figures(|f| sm.change(f), 2);
    ch.push(("population", J::Int(0)));
    ch.push(("infection_ratio", ratio(sm.infection_ratio_change())));
    (obj(totals), obj(ch))
}

/// The report as the JSON contract of DESIGN.md (`past_cutoff`: the missing are late).
pub fn report<'a>(r: &'a DailyReport, town: &'a Town, lang: Lang, past_cutoff: bool) -> J<'a> {
    let sm = &r.summary;
    let missing = r.missing();
    let signed = r.sign.as_ref().filter(|s| s.signed);
    let (totals, change) = headline(r);
    obj(vec![
        ("date", J::owned(r.date.to_string())),
        ("town", J::str(town.name(lang))),
        (
            "status",
            J::str(if r.signed() { "signed" } else { "draft" }),
        ),
        ("villages_expected", J::count(r.rows.len())),
        (
            "villages_reported",
            J::count(r.rows.iter().filter(|(_, x)| x.is_some()).count()),
        ),
        ("missing_late", J::Bool(past_cutoff && !missing.is_empty())),
        (
            "missing",
            J::List(missing.into_iter().map(J::str).collect()),
        ),
        (
            "cutoff",
            J::owned(town.info.report_cutoff.format("%H:%M").to_string()),
        ),
        ("totals", totals),
        ("change", change),
        ("compared_villages", J::count(sm.compared)),
        ("carried_forward", J::strs(&sm.carried_forward)),
        ("never_reported", J::strs(&sm.never_reported)),
        ("comparison", J::owned(sm.words(lang))),
        (
            "missing_reason",
            J::opt_str(
                signed
                    .map(|s| s.missing_reason.as_str())
                    .filter(|s| !s.is_empty()),
            ),
        ),
        ("note", J::opt_str(r.note.as_ref().map(|n| n.text.as_str()))),
        (
            "note_by",
            J::opt_str(r.note.as_ref().map(|n| n.by.as_str())),
        ),
        ("signed_by", J::opt_str(signed.map(|s| s.by.as_str()))),
        ("week", week(r)),
        (
            "facilities",
            J::List(
                r.facilities
                    .iter()
                    .map(|f| facility(f, town, lang))
                    .collect(),
            ),
        ),
        ("follow_up", follow_up(r)),
        (
            "villages",
            J::List(
                r.rows
                    .iter()
                    .map(|(v, row)| village(v, row.as_ref(), town, lang))
                    .collect(),
            ),
        ),
    ])
}

fn week(r: &DailyReport) -> J<'_> {
    obj(vec![
        (
            "from",
            J::owned((r.date - chrono::Duration::days(6)).to_string()),
        ),
        ("to", J::owned(r.date.to_string())),
        (
            "emergency_visits",
            J::opt_int(r.week.get(Field::EmergencyVisits)),
        ),
        ("referrals", J::opt_int(r.week.get(Field::Referrals))),
    ])
}

#[cfg(test)]
mod tests {
    use serde_json::{Map, Value, json};

    use crate::domain::report::Field;
    use crate::i18n::{Lang, Msg};
    use crate::store::reports::DailyReport;

    // The report's JSON as it was built before issue 18's third pass (a `Value` tree
    // printed whole), kept as the reference the written JSON must equal byte for byte.
    fn figures_map(get: impl Fn(Field) -> Option<i64>) -> Map<String, Value> {
        let mut m = Map::new();
        for f in Field::ALL {
            m.insert(f.as_str().into(), json!(get(f)));
        }
        m
    }

    fn ratio(v: Option<f64>) -> Value {
        v.map_or(Value::Null, |r| {
            json!((r * 1_000_000.0).round() / 1_000_000.0)
        })
    }

    /// The report as the JSON contract of DESIGN.md (`past_cutoff`: the missing are late).
    fn to_json(
        r: &DailyReport,
        town: &crate::domain::town::Town,
        lang: Lang,
        past_cutoff: bool,
    ) -> Value {
        let sm = &r.summary;
        let mut totals = figures_map(|f| sm.get(f));
        totals.insert("population".into(), json!(r.population));
        totals.insert("infection_ratio".into(), ratio(sm.infection_ratio()));
        let mut ch = figures_map(|f| sm.change(f));
        ch.insert("population".into(), json!(0));
        ch.insert("infection_ratio".into(), ratio(sm.infection_ratio_change()));
        let villages: Vec<Value> = r
            .rows
            .iter()
            .map(|(v, row)| {
                let mut m = figures_map(|f| row.as_ref().and_then(|x| x.figures.get(f)));
                m.insert("code".into(), json!(v.code));
                m.insert("name".into(), json!(town.place_name(&v.code, lang)));
                m.insert("population".into(), json!(v.population));
                m.insert("reported".into(), json!(row.is_some()));
                m.insert("late".into(), json!(row.as_ref().is_some_and(|x| x.late)));
                m.insert(
                    "warnings".into(),
                    json!(row
                        .as_ref()
                        .map(|x| x
                            .warnings
                            .iter()
                            .map(|(f, w)| json!({"field": f.map(|f| f.as_str()), "message": w.render(lang)}))
                            .collect::<Vec<_>>())
                        .unwrap_or_default()),
                );
                Value::Object(m)
            })
            .collect();
        json!({
            "date": r.date.to_string(),
            "town": town.name(lang),
            "status": if r.signed() { "signed" } else { "draft" },
            "villages_expected": r.rows.len(),
            "villages_reported": r.rows.iter().filter(|(_, x)| x.is_some()).count(),
            "missing": r.missing(),
            "cutoff": town.info.report_cutoff.format("%H:%M").to_string(),
            "missing_late": past_cutoff && !r.missing().is_empty(),
            "totals": totals,
            "change": ch,
            "compared_villages": sm.compared,
            "carried_forward": sm.carried_forward,
            "never_reported": sm.never_reported,
            "comparison": sm.words(lang),
            "missing_reason": r.sign.as_ref().filter(|s| s.signed).map(|s| s.missing_reason.as_str()).filter(|s| !s.is_empty()),
            "note": r.note.as_ref().map(|n| n.text.as_str()),
            "note_by": r.note.as_ref().map(|n| n.by.as_str()),
            "signed_by": r.sign.as_ref().filter(|s| s.signed).map(|s| s.by.as_str()),
            "week": {
                "from": (r.date - chrono::Duration::days(6)).to_string(),
                "to": r.date.to_string(),
                "emergency_visits": r.week.get(Field::EmergencyVisits),
                "referrals": r.week.get(Field::Referrals),
            },
            "facilities": r
                .facilities
                .iter()
                .map(|f| crate::cli::facility::facility_json(f, town, lang))
                .collect::<Vec<_>>(),
            "follow_up": {
                "week": crate::domain::people::week_label(r.follow_up.0),
                "villages": r.follow_up.1,
            },
            "villages": villages,
        })
    }

    fn old(r: &DailyReport, town: &crate::domain::town::Town, lang: Lang, past: bool) -> String {
        format!(
            "{}\n",
            serde_json::to_string_pretty(&to_json(r, town, lang, past)).unwrap()
        )
    }

    fn new(r: &DailyReport, town: &crate::domain::town::Town, lang: Lang, past: bool) -> String {
        let mut out = Vec::new();
        super::write_pretty(&mut out, &super::report(r, town, lang, past)).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn same(r: &DailyReport, town: &crate::domain::town::Town, what: &str) {
        for lang in [Lang::En, Lang::Zh] {
            for past in [false, true] {
                assert_eq!(
                    new(r, town, lang, past),
                    old(r, town, lang, past),
                    "{what} {lang:?} {past}"
                );
            }
        }
    }

    const HOSTILE: &str = "\u{1b}[31mred\u{1b}]8;;http://x\u{7}link \"q\" \\ back\nline\ttab \u{0}nul \u{202e}bidi \u{85}c1 深夜 </script>";

    #[test]
    fn the_written_json_is_byte_identical_to_the_value_tree() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-30T10:00:00+08:00")
            .unwrap()
            .with_timezone(&chrono::Utc);
        let demo = crate::demo::build(now).unwrap();
        let store = crate::store::Store::open(&demo.path).unwrap();
        let town = crate::store::town::load(store.conn()).unwrap();
        let today = crate::domain::time::local_date(now, town.info.offset);
        let mut seen_missing = false;
        let mut seen_follow_up = false;
        for back in 0..10 {
            let date = today - chrono::Duration::days(back);
            let r = crate::store::reports::daily_report(store.conn(), &town, date).unwrap();
            seen_missing |= !r.missing().is_empty();
            seen_follow_up |= !r.follow_up.1.is_empty();
            same(&r, &town, &format!("demo day {date}"));
        }
        assert!(
            seen_missing && seen_follow_up,
            "the demo covers missing villages and follow-up"
        );

        // edge cases the demo may not hold: hostile text everywhere people type, a signed
        // day with a reason, warnings with and without a field, no villages at all
        let mut r = crate::store::reports::daily_report(store.conn(), &town, today).unwrap();
        r.note = Some(crate::store::reports::DayNote {
            text: HOSTILE.into(),
            by: HOSTILE.into(),
            at: "x".into(),
        });
        r.sign = Some(crate::store::reports::SignInfo {
            signed: true,
            by: HOSTILE.into(),
            at: "x".into(),
            reopen_reason: HOSTILE.into(),
            missing_reason: HOSTILE.into(),
        });
        if let Some((v, row)) = r.rows.first_mut() {
            v.code = HOSTILE.into();
            let mut row = row
                .clone()
                .unwrap_or_else(|| crate::domain::report::StoredRow {
                    figures: crate::domain::report::Figures::default(),
                    late: true,
                    warnings: Vec::new(),
                    entered_at: String::new(),
                    entered_by: String::new(),
                });
            row.late = true;
            row.warnings = vec![
                (
                    Some(Field::Referrals),
                    Msg::new("report.warn.spike")
                        .arg("value", HOSTILE)
                        .arg("median", 3),
                ),
                (
                    None,
                    Msg::new("report.warn.new_mismatch")
                        .arg("value", HOSTILE)
                        .arg("expected", "\""),
                ),
            ];
            *row_slot(&mut r.rows, 0) = Some(row);
        }
        if let Some(last) = r.rows.last_mut() {
            last.1 = None;
        }
        for w in &mut r.follow_up.1 {
            w.code = HOSTILE.into();
        }
        r.summary.carried_forward = vec![HOSTILE.into(), String::new()];
        r.summary.never_reported = vec![HOSTILE.into()];
        same(&r, &town, "hostile");
        r.sign = None;
        r.note = None;
        r.rows.clear();
        r.facilities.clear();
        r.follow_up.1.clear();
        same(&r, &town, "empty");
    }

    fn row_slot(
        rows: &mut [(
            crate::domain::town::Village,
            Option<crate::domain::report::StoredRow>,
        )],
        i: usize,
    ) -> &mut Option<crate::domain::report::StoredRow> {
        &mut rows[i].1
    }

    #[test]
    fn objects_keep_sorted_unique_keys_as_a_map_did() {
        let j = super::obj(vec![
            ("b", super::J::Int(1)),
            ("a", super::J::Int(2)),
            ("b", super::J::Int(3)),
            ("infection_ratio", super::J::Float(f64::NAN)),
        ]);
        let mut out = Vec::new();
        super::write_pretty(&mut out, &j).unwrap();
        let want = json!({"b": 1, "a": 2, "infection_ratio": null});
        let mut want_map = Map::new();
        if let Value::Object(m) = want {
            want_map = m;
        }
        want_map.insert("b".into(), json!(3));
        assert_eq!(
            String::from_utf8(out).unwrap(),
            format!(
                "{}\n",
                serde_json::to_string_pretty(&Value::Object(want_map)).unwrap()
            )
        );
    }
}
