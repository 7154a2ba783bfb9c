//! The demo town's key-population register (issue 15): a dozen invented people in every
//! village, all three levels, contacts over the past two weeks at each level's pace, and
//! three people overdue in two villages, so that the call list and the `overdue_contact`
//! rule have work.

use chrono::{DateTime, Duration, NaiveTime, Utc};

use crate::domain::people::csv::{NewPerson, PersonDetails};
use crate::domain::people::{Cadence, Level, Method, Outcome, Sex};
use crate::domain::time::{local_date, local_instant};
use crate::domain::town::Town;
use crate::i18n::Lang;
use crate::store::people::{self, NewContact};
use crate::store::{Ctx, Store, StoreError};

/// People per village in the demo register.
pub const PER_VILLAGE: usize = 12;
/// Days before "now" the register was imported.
pub const IMPORTED_DAYS_AGO: i64 = 21;

const SURNAMES: [&str; 16] = [
    "赵", "钱", "孙", "李", "周", "吴", "郑", "冯", "陈", "褚", "卫", "蒋", "沈", "韩", "杨", "朱",
];
const GIVEN: [&str; 16] = [
    "桂", "秀", "德", "永", "春", "玉", "福", "兰", "明", "凤", "世", "淑", "长", "家", "金", "翠",
];
const CONDITIONS: [&str; 8] = [
    "高血压",
    "糖尿病",
    "慢阻肺",
    "冠心病",
    "独居",
    "孕产妇",
    "残疾",
    "脑卒中后遗症",
];
const CADRES: [&str; 6] = ["甘振林", "苏红梅", "岳海波", "葛春来", "龚晓丽", "邬建平"];
const DOCTORS: [&str; 4] = ["闵德华", "景秋萍", "包立新", "尤晓燕"];

/// The level of the `i`-th person of a village: 3 red, 4 yellow, 5 green.
fn level_of(i: usize) -> Level {
    match i {
        0..=2 => Level::Red,
        3..=6 => Level::Yellow,
        _ => Level::Green,
    }
}

/// The demo people of one village (`v` its position in the town).
pub fn village_people(code: &str, v: usize) -> Vec<NewPerson> {
    (0..PER_VILLAGE)
        .map(|i| {
            let k = v * PER_VILLAGE + i;
            let name = format!(
                "{}{}{}",
                SURNAMES[(k * 7 + v) % SURNAMES.len()],
                GIVEN[(k * 5 + 3) % GIVEN.len()],
                GIVEN[(k * 11 + v + 1) % GIVEN.len()]
            );
            NewPerson {
                line: 0,
                details: PersonDetails {
                    village: code.to_string(),
                    name,
                    age: 60 + ((k * 13) % 36) as i64,
                    sex: Some(if k.is_multiple_of(2) {
                        Sex::Female
                    } else {
                        Sex::Male
                    }),
                    phone: format!("1390000{:04}", k),
                    address: format!("{}组{}号", i % 5 + 1, (k * 3) % 40 + 1),
                    conditions: CONDITIONS[k % CONDITIONS.len()].to_string(),
                    level: level_of(i),
                    cadre: CADRES[(v + i / 6) % CADRES.len()].to_string(),
                    doctor: DOCTORS[v % DOCTORS.len()].to_string(),
                },
            }
        })
        .collect()
}

/// Whether the `i`-th person of village `v` is left overdue in the demo (days since the
/// last contact; negative: never contacted since the import): a red-level person in the
/// second and seventh villages, and a green-level one never called in the seventh.
fn left_overdue(v: usize, i: usize) -> Option<i64> {
    match (v, i) {
        (1, 0) | (6, 0) => Some(5),
        (6, 11) => Some(-1),
        _ => None,
    }
}

/// Adds the register to the demo database: imported by the shift lead three weeks ago,
/// contacts recorded by a duty officer.
pub fn add(
    store: &mut Store,
    town: &Town,
    now: DateTime<Utc>,
    shift_lead: &str,
    officer: &str,
) -> Result<(), StoreError> {
    let ctx = |operator: &str, at: DateTime<Utc>| Ctx {
        operator: operator.to_string(),
        now: at,
    };
    let rows: Vec<NewPerson> = town
        .villages
        .iter()
        .enumerate()
        .flat_map(|(v, village)| village_people(&village.code, v))
        .collect();
    store.write(
        &ctx(shift_lead, now - Duration::days(IMPORTED_DAYS_AGO)),
        |w| {
            people::import(w, town, &rows)?;
            people::mark_demo(w)
        },
    )?;
    let off = town.info.offset;
    let today = local_date(now, off);
    let cadence = Cadence::default();
    let listed = people::people(store.conn())?;
    let nine_thirty = NaiveTime::from_hms_opt(9, 30, 0).unwrap_or(NaiveTime::MIN);
    let latest = now - Duration::minutes(1);
    let mut contacts = Vec::new();
    for (v, village) in town.villages.iter().enumerate() {
        let mine: Vec<_> = listed
            .iter()
            .filter(|p| p.details.village == village.code)
            .collect();
        for (i, p) in mine.iter().enumerate() {
            let interval = cadence.interval_days(p.details.level);
            // days since the last contact: 1 to the interval, so some are due today, none overdue
            let since = match left_overdue(v, i) {
                Some(d) if d < 0 => continue,
                Some(d) => d,
                None => ((v + i) as i64) % interval + 1,
            };
            for n in 0..3 {
                let day = today - Duration::days(since + n * interval);
                let at = local_instant(day, nine_thirty, off).min(latest);
                let outcome = if n > 0
                    && p.details.level != Level::Red
                    && (v + i + n as usize).is_multiple_of(9)
                {
                    Outcome::Unreachable
                } else {
                    Outcome::Stable
                };
                contacts.push(NewContact {
                    person: p.id,
                    method: if (i + n as usize).is_multiple_of(3) {
                        Method::Visit
                    } else {
                        Method::Phone
                    },
                    outcome,
                    note: String::new(),
                    at: Some(at),
                    lang: Lang::Zh,
                });
            }
        }
    }
    store.write(&ctx(officer, now), |w| {
        for c in &contacts {
            people::record_contact(w, town, c)?;
        }
        Ok(())
    })
}
