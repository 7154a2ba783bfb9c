//! The daily case report: the figures a village sends, the town totals, and the checks
//! (hard: refused; soft: saved with a warning) shared by the form, the import and the store.

use chrono::NaiveDate;

use crate::i18n::Msg;

/// One column of the daily report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// New infections today.
    NewInfections,
    /// Cumulative infections to date.
    CumulativeInfections,
    /// Outpatients (fever clinic visits).
    Outpatients,
    /// Inpatients.
    Inpatients,
    /// Severe cases.
    Severe,
    /// Deaths.
    Deaths,
    /// Village-clinic emergency visits.
    EmergencyVisits,
    /// Referrals.
    Referrals,
}

/// Number of report fields.
pub const N_FIELDS: usize = 8;

impl Field {
    /// The fields in CSV order.
    pub const ALL: [Field; N_FIELDS] = [
        Field::NewInfections,
        Field::CumulativeInfections,
        Field::Outpatients,
        Field::Inpatients,
        Field::Severe,
        Field::Deaths,
        Field::EmergencyVisits,
        Field::Referrals,
    ];

    /// Position in [`Figures::values`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The CSV column and JSON key.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::NewInfections => "new_infections",
            Field::CumulativeInfections => "cumulative_infections",
            Field::Outpatients => "outpatients",
            Field::Inpatients => "inpatients",
            Field::Severe => "severe",
            Field::Deaths => "deaths",
            Field::EmergencyVisits => "emergency_visits",
            Field::Referrals => "referrals",
        }
    }

    /// Reads a CSV column name.
    pub fn parse(s: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.as_str() == s.trim())
    }

    /// Catalogue key of the column's display name.
    pub fn label_key(self) -> &'static str {
        match self {
            Field::NewInfections => "field.new_infections",
            Field::CumulativeInfections => "field.cumulative_infections",
            Field::Outpatients => "field.outpatients",
            Field::Inpatients => "field.inpatients",
            Field::Severe => "field.severe",
            Field::Deaths => "field.deaths",
            Field::EmergencyVisits => "field.emergency_visits",
            Field::Referrals => "field.referrals",
        }
    }

    /// Catalogue key of the short column heading.
    pub fn short_key(self) -> &'static str {
        match self {
            Field::NewInfections => "field_short.new_infections",
            Field::CumulativeInfections => "field_short.cumulative_infections",
            Field::Outpatients => "field_short.outpatients",
            Field::Inpatients => "field_short.inpatients",
            Field::Severe => "field_short.severe",
            Field::Deaths => "field_short.deaths",
            Field::EmergencyVisits => "field_short.emergency_visits",
            Field::Referrals => "field_short.referrals",
        }
    }

    /// Whether the spike rule applies (daily flows, not running totals).
    pub fn is_daily_flow(self) -> bool {
        self != Field::CumulativeInfections
    }
}

/// One village's figures for one day; `None` is "not reported", never zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Figures {
    /// Values in [`Field::ALL`] order.
    pub values: [Option<i64>; N_FIELDS],
}

impl Figures {
    /// The value of one field.
    pub fn get(&self, f: Field) -> Option<i64> {
        self.values[f.index()]
    }

    /// Sets one field.
    pub fn set(&mut self, f: Field, v: Option<i64>) {
        self.values[f.index()] = v;
    }

    /// True when no field is filled in.
    pub fn is_empty(&self) -> bool {
        self.values.iter().all(Option::is_none)
    }
}

/// The largest count a daily report may carry (no village is bigger); with it every total
/// fits an `i64` many times over.
pub const MAX_FIGURE: i64 = 10_000_000;

/// Reads one cell: empty is "not reported"; anything else must be a whole number from 0
/// to [`MAX_FIGURE`].
pub fn parse_cell(text: &str) -> Result<Option<i64>, Msg> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Msg::new("report.err.not_whole").quoted("value", t));
    }
    match t.parse::<i64>() {
        Ok(v) if v <= MAX_FIGURE => Ok(Some(v)),
        _ => Err(too_large(t)),
    }
}

fn too_large(value: impl std::fmt::Display) -> Msg {
    Msg::new("bounds.figure_too_large")
        .quoted("value", value)
        .arg("max", MAX_FIGURE)
}

/// What the checks need to know besides the figures.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CheckContext {
    /// The village's resident population.
    pub population: i64,
    /// Cumulative infections on the village's previous reported day.
    pub previous_cumulative: Option<i64>,
    /// Each field's values on the village's previous up to 7 reported days.
    pub history: [Vec<i64>; N_FIELDS],
    /// The report's date is after today.
    pub in_future: bool,
    /// The day is signed.
    pub day_signed: bool,
}

/// A problem with one field (or the whole row when `field` is `None`).
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// The field concerned.
    pub field: Option<Field>,
    /// What is wrong.
    pub msg: Msg,
}

/// The outcome of checking one row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Checked {
    /// Refusals: the row is not saved.
    pub errors: Vec<Finding>,
    /// Warnings: the row is saved and the warning shown beside it.
    pub warnings: Vec<Finding>,
}

fn median(v: &[i64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    let mut s = v.to_vec();
    s.sort_unstable();
    let n = s.len();
    Some(if n % 2 == 1 {
        s[n / 2] as f64
    } else {
        (s[n / 2 - 1] as f64 + s[n / 2] as f64) / 2.0
    })
}

/// Applies every hard and soft rule to one village's figures for one day.
pub fn check(fig: &Figures, cx: &CheckContext) -> Checked {
    let mut out = Checked::default();
    let err = |out: &mut Checked, field: Option<Field>, msg: Msg| {
        out.errors.push(Finding { field, msg });
    };
    if cx.in_future {
        err(&mut out, None, Msg::new("report.err.future"));
    }
    if cx.day_signed {
        err(&mut out, None, Msg::new("err.day_signed"));
    }
    let before_bounds = out.errors.len();
    for f in Field::ALL {
        match fig.get(f) {
            Some(v) if !(0..=MAX_FIGURE).contains(&v) => err(&mut out, Some(f), too_large(v)),
            Some(v) if v > cx.population && f != Field::CumulativeInfections => err(
                &mut out,
                Some(f),
                Msg::new("bounds.figure_above_population")
                    .arg("value", v)
                    .arg("population", cx.population),
            ),
            _ => {}
        }
    }
    if out.errors.len() > before_bounds {
        // the relations below assume figures in range
        return out;
    }
    relations(fig, cx, &mut out);
    warnings(fig, cx, &mut out);
    out
}

/// The hard rules between figures (cumulative never falls, nothing above it or the
/// population), for figures already in range.
fn relations(fig: &Figures, cx: &CheckContext, out: &mut Checked) {
    let err = |out: &mut Checked, field: Option<Field>, msg: Msg| {
        out.errors.push(Finding { field, msg });
    };
    let cum = fig.get(Field::CumulativeInfections);
    if let (Some(c), Some(p)) = (cum, cx.previous_cumulative)
        && c < p
    {
        err(
            out,
            Some(Field::CumulativeInfections),
            Msg::new("report.err.cumulative_fell")
                .arg("value", c)
                .arg("previous", p),
        );
    }
    if let Some(c) = cum
        && c > cx.population
    {
        err(
            out,
            Some(Field::CumulativeInfections),
            Msg::new("report.err.above_population")
                .arg("value", c)
                .arg("population", cx.population),
        );
    }
    if let (Some(n), Some(c)) = (fig.get(Field::NewInfections), cum)
        && n > c
    {
        err(
            out,
            Some(Field::NewInfections),
            Msg::new("report.err.new_above_cumulative")
                .arg("value", n)
                .arg("cumulative", c),
        );
    }
    if let (Some(d), Some(c)) = (fig.get(Field::Deaths), cum)
        && d > c
    {
        err(
            out,
            Some(Field::Deaths),
            Msg::new("report.err.deaths_above_cumulative")
                .arg("value", d)
                .arg("cumulative", c),
        );
    }
}

/// The soft rules: new infections that do not match the cumulative's rise, a spike.
fn warnings(fig: &Figures, cx: &CheckContext, out: &mut Checked) {
    let cum = fig.get(Field::CumulativeInfections);
    if let (Some(n), Some(c), Some(p)) =
        (fig.get(Field::NewInfections), cum, cx.previous_cumulative)
        && let Some(expected) = c.checked_sub(p)
        && expected >= 0
        && n != expected
    {
        out.warnings.push(Finding {
            field: Some(Field::NewInfections),
            msg: Msg::new("report.warn.new_mismatch")
                .arg("value", n)
                .arg("expected", expected),
        });
    }
    for f in Field::ALL.into_iter().filter(|f| f.is_daily_flow()) {
        if let (Some(v), Some(m)) = (fig.get(f), median(&cx.history[f.index()]))
            && v > 10
            && (v as f64) > 3.0 * m
        {
            out.warnings.push(Finding {
                field: Some(f),
                msg: Msg::new("report.warn.spike")
                    .arg("value", v)
                    .arg("median", format_median(m)),
            });
        }
    }
}

fn format_median(m: f64) -> String {
    if m.fract() == 0.0 {
        format!("{m:.0}")
    } else {
        format!("{m:.1}")
    }
}

/// Town totals for one day, over the villages that reported.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Totals {
    /// The day.
    pub date: Option<NaiveDate>,
    /// Villages with a report row.
    pub reported: i64,
    /// Population of the villages whose cumulative infections are known.
    pub population_reported: i64,
    /// Sum of each field over the rows where it is filled in; `None` when nobody gave it.
    pub sums: [Option<i64>; N_FIELDS],
}

impl Totals {
    /// Adds one village's row.
    pub fn add(&mut self, fig: &Figures, population: i64) {
        self.reported += 1;
        if fig.get(Field::CumulativeInfections).is_some() {
            self.population_reported = self.population_reported.saturating_add(population);
        }
        for f in Field::ALL {
            if let Some(v) = fig.get(f) {
                let s = self.sums[f.index()].get_or_insert(0);
                *s = s.saturating_add(v);
            }
        }
    }

    /// One field's total.
    pub fn get(&self, f: Field) -> Option<i64> {
        self.sums[f.index()]
    }

    /// Cumulative infections / population, over the villages that reported them.
    pub fn infection_ratio(&self) -> Option<f64> {
        let c = self.get(Field::CumulativeInfections)?;
        if self.population_reported <= 0 {
            return None;
        }
        Some(c as f64 / self.population_reported as f64)
    }
}

/// Change of one total against the day before (`None` when either side is unknown).
pub fn change(today: &Totals, before: &Totals, f: Field) -> Option<i64> {
    today.get(f)?.checked_sub(before.get(f)?)
}

/// One stored row.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRow {
    /// The figures.
    pub figures: Figures,
    /// Entered after the day's cutoff.
    pub late: bool,
    /// Soft-rule warnings saved with the row.
    pub warnings: Vec<(Option<Field>, Msg)>,
    /// When it was entered.
    pub entered_at: String,
    /// Who entered it.
    pub entered_by: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fig(vals: [Option<i64>; N_FIELDS]) -> Figures {
        Figures { values: vals }
    }

    fn cx() -> CheckContext {
        CheckContext {
            population: 1000,
            previous_cumulative: Some(100),
            ..Default::default()
        }
    }

    fn base() -> Figures {
        fig([
            Some(5),
            Some(105),
            Some(20),
            Some(3),
            Some(1),
            Some(0),
            Some(2),
            Some(1),
        ])
    }

    fn error_fields(c: &Checked) -> Vec<Option<Field>> {
        c.errors.iter().map(|f| f.field).collect()
    }

    #[test]
    fn a_consistent_row_passes_clean() {
        let c = check(&base(), &cx());
        assert!(c.errors.is_empty() && c.warnings.is_empty(), "{c:?}");
    }

    #[test]
    fn cells_must_be_whole_numbers() {
        assert_eq!(parse_cell(" 12 "), Ok(Some(12)));
        assert_eq!(parse_cell(""), Ok(None));
        assert_eq!(parse_cell("  "), Ok(None));
        for bad in ["-1", "1.5", "x", "1e3", "+3", "99999999999999999999"] {
            assert!(parse_cell(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn cumulative_may_not_fall() {
        let mut f = base();
        f.set(Field::CumulativeInfections, Some(99));
        f.set(Field::NewInfections, Some(0));
        assert_eq!(
            error_fields(&check(&f, &cx())),
            vec![Some(Field::CumulativeInfections)]
        );
    }

    #[test]
    fn cumulative_may_not_exceed_population() {
        let mut f = base();
        f.set(Field::CumulativeInfections, Some(1001));
        f.set(Field::NewInfections, None);
        assert_eq!(
            error_fields(&check(&f, &cx())),
            vec![Some(Field::CumulativeInfections)]
        );
    }

    #[test]
    fn new_may_not_exceed_cumulative() {
        let mut f = base();
        f.set(Field::NewInfections, Some(106));
        let c = check(
            &f,
            &CheckContext {
                previous_cumulative: None,
                ..cx()
            },
        );
        assert_eq!(error_fields(&c), vec![Some(Field::NewInfections)]);
    }

    #[test]
    fn deaths_may_not_exceed_cumulative() {
        let mut f = base();
        f.set(Field::Deaths, Some(106));
        assert_eq!(error_fields(&check(&f, &cx())), vec![Some(Field::Deaths)]);
    }

    #[test]
    fn future_and_signed_days_are_refused() {
        let c = check(
            &base(),
            &CheckContext {
                in_future: true,
                day_signed: true,
                ..cx()
            },
        );
        assert_eq!(error_fields(&c), vec![None, None]);
    }

    #[test]
    fn new_infections_mismatch_is_a_warning() {
        let mut f = base();
        f.set(Field::NewInfections, Some(4));
        let c = check(&f, &cx());
        assert!(c.errors.is_empty());
        assert_eq!(c.warnings.len(), 1);
        assert_eq!(c.warnings[0].field, Some(Field::NewInfections));
    }

    #[test]
    fn spikes_over_three_times_the_median_and_above_ten_warn() {
        let mut hist: [Vec<i64>; N_FIELDS] = Default::default();
        hist[Field::Outpatients.index()] = vec![4, 5, 6, 5, 4, 6, 5];
        let c = CheckContext {
            history: hist.clone(),
            ..cx()
        };
        let mut f = base();
        f.set(Field::Outpatients, Some(16)); // > 15 and > 10
        assert_eq!(check(&f, &c).warnings.len(), 1);
        f.set(Field::Outpatients, Some(15)); // not more than 3x
        assert!(check(&f, &c).warnings.is_empty());
        // small numbers never warn
        hist[Field::Outpatients.index()] = vec![1, 1, 1];
        let c = CheckContext {
            history: hist,
            ..cx()
        };
        f.set(Field::Outpatients, Some(10));
        assert!(check(&f, &c).warnings.is_empty());
    }

    #[test]
    fn empty_fields_are_not_checked_as_zero() {
        let f = fig([None; N_FIELDS]);
        assert!(check(&f, &cx()).errors.is_empty());
    }

    #[test]
    fn totals_skip_missing_values() {
        let mut t = Totals::default();
        t.add(&base(), 1000);
        let mut other = Figures::default();
        other.set(Field::Outpatients, Some(7));
        t.add(&other, 500);
        assert_eq!(t.reported, 2);
        assert_eq!(t.get(Field::Outpatients), Some(27));
        assert_eq!(t.get(Field::CumulativeInfections), Some(105));
        assert_eq!(t.population_reported, 1000);
        assert!((t.infection_ratio().unwrap() - 0.105).abs() < 1e-9);
        assert_eq!(Totals::default().get(Field::Deaths), None);
    }
}
