//! The town's figures for one day, told honestly (issue 17): the change against the day
//! before compares only villages that reported on both days, the cumulative count carries
//! each silent village's last reported value forward, and the infection ratio is over the
//! whole town's population.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::report::{Field, Figures, N_FIELDS, Totals};
use crate::i18n::Lang;

/// One village as the summary needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// Village code.
    pub code: String,
    /// Resident population.
    pub population: i64,
}

/// A day's town figures with a like-for-like change and a carried-forward cumulative.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DaySummary {
    /// The day.
    pub date: Option<NaiveDate>,
    /// Villages expected (the whole town).
    pub expected: usize,
    /// Villages with a row this day.
    pub reported: usize,
    /// The whole town's population.
    pub population: i64,
    /// Each field summed over the villages that gave it this day; the cumulative count
    /// also carries the silent villages' last reported value.
    pub totals: [Option<i64>; N_FIELDS],
    /// Each field's change over the villages that reported on both days and gave the
    /// field on both (`None` when no village did).
    pub change: [Option<i64>; N_FIELDS],
    /// Villages with a row on this day and on the day before.
    pub compared: usize,
    /// Villages without a cumulative count this day whose last reported one is carried.
    pub carried_forward: Vec<String>,
    /// The value carried for each village in `carried_forward`.
    pub carried_values: HashMap<String, i64>,
    /// Villages that never reported a cumulative count up to this day (nothing to carry).
    pub never_reported: Vec<String>,
}

impl DaySummary {
    /// One field's total.
    pub fn get(&self, f: Field) -> Option<i64> {
        self.totals[f.index()]
    }

    /// One field's like-for-like change.
    pub fn change(&self, f: Field) -> Option<i64> {
        self.change[f.index()]
    }

    /// Cumulative infections (carried forward) over the whole town's population.
    pub fn infection_ratio(&self) -> Option<f64> {
        let c = self.get(Field::CumulativeInfections)?;
        (self.population > 0).then(|| c as f64 / self.population as f64)
    }

    /// The ratio's change: the like-for-like cumulative change over the whole population.
    pub fn infection_ratio_change(&self) -> Option<f64> {
        let c = self.change(Field::CumulativeInfections)?;
        (self.population > 0).then(|| c as f64 / self.population as f64)
    }

    /// The day as a pair of [`Totals`] (the day, and a "day before" whose difference is
    /// the like-for-like change), for readers that take two totals, such as the handover:
    /// the ratio comes out over the whole town and the change village by village.
    pub fn as_totals(&self) -> (Totals, Totals) {
        let today = Totals {
            date: self.date,
            reported: self.reported as i64,
            population_reported: self.population,
            sums: self.totals,
        };
        let mut before = Totals {
            date: self.date.and_then(|d| d.pred_opt()),
            reported: self.compared as i64,
            population_reported: self.population,
            sums: [None; N_FIELDS],
        };
        for f in Field::ALL {
            if let (Some(t), Some(c)) = (self.get(f), self.change(f)) {
                before.sums[f.index()] = Some(t.saturating_sub(c));
            }
        }
        (today, before)
    }

    /// The same in a few words, for the console's panels: "change: 8 of 12 on both days",
    /// and "* carried forward" when the cumulative count (marked `*`) carries some.
    pub fn words_short(&self, lang: Lang) -> String {
        let mut out = lang.fmt(
            "daily.compared_short",
            &[
                ("n", &self.compared.to_string()),
                ("expected", &self.expected.to_string()),
            ],
        );
        if !self.carried_forward.is_empty() {
            out.push_str(lang.t("daily.sep"));
            out.push_str(lang.t("daily.carried_mark"));
        }
        out
    }

    /// What the change compares and what the cumulative count carries, in words (every
    /// export and the console say it, not only a footnote).
    pub fn words(&self, lang: Lang) -> String {
        let mut out = lang.fmt(
            "daily.compared",
            &[
                ("n", &self.compared.to_string()),
                ("expected", &self.expected.to_string()),
            ],
        );
        for (key, list) in [
            ("daily.carried", &self.carried_forward),
            ("daily.never", &self.never_reported),
        ] {
            if !list.is_empty() {
                out.push_str(lang.t("daily.sep"));
                out.push_str(&lang.fmt(key, &[("list", &list.join(lang.t("list.sep")))]));
            }
        }
        out
    }
}

/// Sums a day. `today` and `before` are the rows of the day and of the day before, keyed
/// by village code; `last_cumulative` is each village's last reported cumulative count
/// on a day before this one (any number of days back).
pub fn summarize(
    date: NaiveDate,
    places: &[Place],
    today: &HashMap<String, Figures>,
    before: &HashMap<String, Figures>,
    last_cumulative: &HashMap<String, i64>,
) -> DaySummary {
    let mut s = DaySummary {
        date: Some(date),
        expected: places.len(),
        population: places
            .iter()
            .fold(0i64, |a, p| a.saturating_add(p.population)),
        ..Default::default()
    };
    let add = |slot: &mut Option<i64>, v: i64| {
        let t = slot.get_or_insert(0);
        *t = t.saturating_add(v);
    };
    for p in places {
        let row = today.get(&p.code);
        if let Some(row) = row {
            s.reported += 1;
            for f in Field::ALL {
                if let Some(v) = row.get(f) {
                    add(&mut s.totals[f.index()], v);
                }
            }
        }
        if row
            .and_then(|r| r.get(Field::CumulativeInfections))
            .is_none()
        {
            match last_cumulative.get(&p.code) {
                Some(&c) => {
                    add(&mut s.totals[Field::CumulativeInfections.index()], c);
                    s.carried_forward.push(p.code.clone());
                    s.carried_values.insert(p.code.clone(), c);
                }
                None => s.never_reported.push(p.code.clone()),
            }
        }
        if let (Some(row), Some(prev)) = (row, before.get(&p.code)) {
            s.compared += 1;
            for f in Field::ALL {
                if let (Some(a), Some(b)) = (row.get(f), prev.get(f)) {
                    add(&mut s.change[f.index()], a.saturating_sub(b));
                }
            }
        }
    }
    s
}

/// Carries the last cumulative counts over one day: what [`summarize`] needs for the next
/// day once `today`'s rows are known (a range export walks days with it, so its memory
/// is one entry per village, not per day).
pub fn carry(last_cumulative: &mut HashMap<String, i64>, today: &HashMap<String, Figures>) {
    for (code, fig) in today {
        if let Some(c) = fig.get(Field::CumulativeInfections) {
            last_cumulative.insert(code.clone(), c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The village lists were joined with a literal ", " in Chinese text too.
    #[test]
    fn lists_are_joined_by_the_languages_separator() {
        let s = DaySummary {
            carried_forward: vec!["A".into(), "B".into()],
            never_reported: vec!["C".into(), "D".into()],
            ..Default::default()
        };
        let zh = s.words(Lang::Zh);
        assert!(zh.contains("A、B") && zh.contains("C、D"), "{zh}");
        assert!(!zh.contains(", "), "{zh}");
        let en = s.words(Lang::En);
        assert!(en.contains("A, B") && en.contains("C, D"), "{en}");
    }

    fn places() -> Vec<Place> {
        [("A", 1000), ("B", 2000), ("C", 3000), ("D", 4000)]
            .into_iter()
            .map(|(c, p)| Place {
                code: c.into(),
                population: p,
            })
            .collect()
    }

    /// A row with new infections, cumulative and outpatients (others not given).
    fn row(new: i64, cum: i64, out: i64) -> Figures {
        let mut f = Figures::default();
        f.set(Field::NewInfections, Some(new));
        f.set(Field::CumulativeInfections, Some(cum));
        f.set(Field::Outpatients, Some(out));
        f
    }

    fn day(rows: &[(&str, Figures)]) -> HashMap<String, Figures> {
        rows.iter().map(|(c, f)| (c.to_string(), *f)).collect()
    }

    fn d(n: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, n).unwrap()
    }

    /// Walks days like the store does: each day's summary from its rows, the day
    /// before's rows (empty after a gap) and the carried counts.
    fn walk(days: &[(u32, HashMap<String, Figures>)]) -> Vec<DaySummary> {
        let mut last = HashMap::new();
        let mut out = Vec::new();
        let mut prev: Option<(u32, &HashMap<String, Figures>)> = None;
        let empty = HashMap::new();
        for (n, rows) in days {
            let before = match prev {
                Some((p, r)) if p + 1 == *n => r,
                _ => &empty,
            };
            out.push(summarize(d(*n), &places(), rows, before, &last));
            carry(&mut last, rows);
            prev = Some((*n, rows));
        }
        out
    }

    #[test]
    fn first_day_has_no_change_and_nothing_to_carry() {
        let s = walk(&[(1, day(&[("A", row(5, 50, 10)), ("B", row(2, 20, 4))]))]);
        let s = &s[0];
        assert_eq!(s.reported, 2);
        assert_eq!(s.compared, 0);
        assert_eq!(s.get(Field::CumulativeInfections), Some(70));
        assert_eq!(s.get(Field::Outpatients), Some(14));
        assert_eq!(s.change, [None; N_FIELDS]);
        assert!(s.carried_forward.is_empty());
        assert_eq!(s.never_reported, vec!["C", "D"]);
        // 70 over the whole town of 10,000, not over the 3,000 who reported
        assert_eq!(s.infection_ratio(), Some(0.007));
        assert_eq!(s.population, 10_000);
    }

    /// The case: yesterday 4 villages, today only 2 of them. The old change
    /// subtracted 4 villages from 2 and showed the cumulative count falling.
    #[test]
    fn change_compares_only_villages_reported_on_both_days() {
        let s = walk(&[
            (
                1,
                day(&[
                    ("A", row(5, 50, 10)),
                    ("B", row(2, 20, 4)),
                    ("C", row(3, 30, 6)),
                    ("D", row(1, 10, 2)),
                ]),
            ),
            (2, day(&[("A", row(7, 57, 12)), ("C", row(1, 31, 9))])),
        ]);
        let s = &s[1];
        assert_eq!(s.compared, 2);
        // A: 7-5 and C: 1-3 → +0; cumulative A +7, C +1 → +8; outpatients +2 +3 → +5
        assert_eq!(s.change(Field::NewInfections), Some(0));
        assert_eq!(s.change(Field::CumulativeInfections), Some(8));
        assert_eq!(s.change(Field::Outpatients), Some(5));
        assert_eq!(s.change(Field::Deaths), None, "nobody gave it");
        // cumulative: 57 + 31 reported, B 20 and D 10 carried → 118, never below 110
        assert_eq!(s.get(Field::CumulativeInfections), Some(118));
        assert_eq!(s.carried_forward, vec!["B", "D"]);
        // flows are today's villages only
        assert_eq!(s.get(Field::NewInfections), Some(8));
        assert_eq!(s.get(Field::Outpatients), Some(21));
        assert_eq!(s.infection_ratio(), Some(0.0118));
        assert_eq!(s.infection_ratio_change(), Some(0.0008));
    }

    #[test]
    fn a_gap_of_several_days_carries_the_last_value_and_compares_nothing() {
        let s = walk(&[
            (1, day(&[("A", row(5, 50, 10)), ("B", row(2, 20, 4))])),
            (2, day(&[("A", row(1, 51, 3))])),
            // 3, 4 and 5: nobody reported
            (6, day(&[("A", row(4, 60, 8))])),
            (7, day(&[("A", row(2, 62, 5)), ("B", row(9, 35, 1))])),
        ]);
        // day 6: the day before had no rows at all
        assert_eq!(s[2].compared, 0);
        assert_eq!(s[2].change, [None; N_FIELDS]);
        // B's 20 from day 1 is carried five days on
        assert_eq!(s[2].get(Field::CumulativeInfections), Some(80));
        assert_eq!(s[2].carried_forward, vec!["B"]);
        // day 7: only A is on both days; B's jump from 20 to 35 is not a one-day change
        assert_eq!(s[3].compared, 1);
        assert_eq!(s[3].change(Field::CumulativeInfections), Some(2));
        assert_eq!(s[3].change(Field::NewInfections), Some(-2));
        assert_eq!(s[3].get(Field::CumulativeInfections), Some(97));
        assert!(s[3].carried_forward.is_empty());
        assert_eq!(s[3].never_reported, vec!["C", "D"]);
    }

    #[test]
    fn different_villages_missing_on_each_day() {
        let s = walk(&[
            (
                1,
                day(&[
                    ("A", row(5, 50, 10)),
                    ("B", row(2, 20, 4)),
                    ("C", row(3, 30, 6)),
                ]),
            ),
            (
                2,
                day(&[
                    ("B", row(1, 21, 5)),
                    ("C", row(0, 30, 6)),
                    ("D", row(4, 40, 7)),
                ]),
            ),
            (
                3,
                day(&[
                    ("A", row(2, 52, 3)),
                    ("C", row(6, 36, 1)),
                    ("D", row(1, 41, 2)),
                ]),
            ),
        ]);
        // day 2: B and C on both days; A carried at 50; D first time
        assert_eq!(s[1].compared, 2);
        assert_eq!(s[1].change(Field::CumulativeInfections), Some(1));
        assert_eq!(s[1].change(Field::Outpatients), Some(1));
        assert_eq!(s[1].get(Field::CumulativeInfections), Some(141));
        assert_eq!(s[1].carried_forward, vec!["A"]);
        assert!(s[1].never_reported.is_empty());
        // day 3: C and D on both days; B carried at 21
        assert_eq!(s[2].compared, 2);
        assert_eq!(s[2].change(Field::CumulativeInfections), Some(7));
        assert_eq!(s[2].change(Field::NewInfections), Some(3));
        assert_eq!(s[2].change(Field::Outpatients), Some(-10));
        assert_eq!(s[2].get(Field::CumulativeInfections), Some(150));
        assert_eq!(s[2].carried_forward, vec!["B"]);
        assert_eq!(s[2].infection_ratio(), Some(0.015));
    }

    #[test]
    fn a_village_that_never_reported_is_neither_carried_nor_counted() {
        let s = walk(&[
            (1, day(&[("A", row(1, 10, 1))])),
            (2, day(&[("A", row(1, 11, 1))])),
        ]);
        assert_eq!(s[1].never_reported, vec!["B", "C", "D"]);
        assert!(s[1].carried_forward.is_empty());
        assert_eq!(s[1].get(Field::CumulativeInfections), Some(11));
        assert_eq!(s[1].compared, 1);
    }

    #[test]
    fn a_row_without_cumulative_carries_it_too() {
        let mut partial = Figures::default();
        partial.set(Field::Outpatients, Some(3));
        let s = walk(&[
            (1, day(&[("A", row(1, 10, 1))])),
            (2, day(&[("A", partial)])),
        ]);
        assert_eq!(s[1].get(Field::CumulativeInfections), Some(10));
        assert_eq!(s[1].carried_forward, vec!["A"]);
        assert_eq!(s[1].change(Field::CumulativeInfections), None);
        assert_eq!(s[1].change(Field::Outpatients), Some(2));
    }

    #[test]
    fn as_totals_gives_the_honest_change_and_ratio() {
        let s = walk(&[
            (1, day(&[("A", row(5, 50, 10)), ("B", row(2, 20, 4))])),
            (2, day(&[("A", row(7, 57, 12))])),
        ]);
        let (t, b) = s[1].as_totals();
        assert_eq!(
            crate::domain::report::change(&t, &b, Field::CumulativeInfections),
            Some(7)
        );
        assert_eq!(
            crate::domain::report::change(&t, &b, Field::NewInfections),
            Some(2)
        );
        assert_eq!(t.get(Field::CumulativeInfections), Some(77));
        assert_eq!(t.infection_ratio(), Some(0.0077));
    }

    #[test]
    fn nobody_ever_reported() {
        let s = walk(&[(1, HashMap::new())]);
        assert_eq!(s[0].get(Field::CumulativeInfections), None);
        assert_eq!(s[0].infection_ratio(), None);
        assert_eq!(s[0].never_reported.len(), 4);
    }
}
