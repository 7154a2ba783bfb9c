//! Finding one village, vehicle, person or destination among a town's few hundred by
//! what a dispatcher types: its code (`V10`, `v10`), its Chinese name (`杉木`), its English
//! name, its full pinyin (`shanmu`) or its pinyin initials (`sm`).
//!
//! A ranked prefix/substring/subsequence match is enough here: the lists are short (a town
//! has at most a few hundred villages and people) and the keys are short names, so a fuzzy
//! scorer such as `nucleo-matcher` would add a dependency without changing which entry
//! comes first. Ranking: an exact key, then a key that starts with the query, then one that
//! contains it, then one holding its letters in order; ties go to the shorter key, then to
//! the list's own order.

use pinyin::ToPinyinMulti;

/// How well a query matched one entry: lower is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rank {
    /// A key equals the query (case-insensitive).
    Exact,
    /// A key starts with the query.
    Prefix,
    /// A key contains the query.
    Contains,
    /// A key holds the query's characters in order.
    Fuzzy,
}

/// The most readings of one name kept for its pinyin (a few characters have several:
/// 长 is chang or zhang); beyond it, only the first reading of the rest.
const MAX_READINGS: usize = 8;

/// The forms of one entry that a query is matched against, made once per list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keys {
    /// Every searchable form, lower-case: the code, each name, each name's full pinyin
    /// and pinyin initials.
    forms: Vec<String>,
}

impl Keys {
    /// The keys of an entry with this code and these names (Chinese, English, or both;
    /// empty names are skipped).
    pub fn new(code: &str, names: &[&str]) -> Keys {
        let mut forms = Vec::new();
        let mut add = |s: String| {
            if !s.is_empty() && !forms.contains(&s) {
                forms.push(s);
            }
        };
        add(fold(code));
        for name in names {
            add(fold(name));
            for (full, initials) in readings(name) {
                add(full);
                add(initials);
            }
        }
        Keys { forms }
    }

    /// How well `query` matches, or `None` when it does not. An empty query matches
    /// everything as [`Rank::Fuzzy`] (the whole list, in its order).
    pub fn rank(&self, query: &str) -> Option<(Rank, usize)> {
        let q = fold(query);
        if q.is_empty() {
            return Some((Rank::Fuzzy, 0));
        }
        self.forms
            .iter()
            .filter_map(|f| rank_one(f, &q).map(|r| (r, f.chars().count())))
            .min()
    }
}

fn rank_one(form: &str, q: &str) -> Option<Rank> {
    if form == q {
        Some(Rank::Exact)
    } else if form.starts_with(q) {
        Some(Rank::Prefix)
    } else if form.contains(q) {
        Some(Rank::Contains)
    } else if is_subsequence(q, form) {
        Some(Rank::Fuzzy)
    } else {
        None
    }
}

fn is_subsequence(q: &str, form: &str) -> bool {
    let mut it = form.chars();
    q.chars().all(|c| it.any(|f| f == c))
}

/// Lower case without spaces, so `V10`, `v10` and `shan mu` read as `v10` and `shanmu`.
fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '_' | '\''))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The full pinyin and the initials of `name`, one pair per reading kept (only for names
/// with at least one Chinese character). Characters without pinyin are kept as they are.
fn readings(name: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = vec![(String::new(), String::new())];
    let mut any = false;
    for (c, multi) in name.chars().zip(name.to_pinyin_multi()) {
        match multi {
            Some(m) => {
                any = true;
                let mut plains: Vec<&str> = Vec::new();
                for p in m.into_iter() {
                    if !plains.contains(&p.plain()) {
                        plains.push(p.plain());
                    }
                }
                let mut next = Vec::new();
                for (full, initials) in &out {
                    for (k, p) in plains.iter().enumerate() {
                        // the first reading always; others while there is room
                        if k > 0 && next.len() >= MAX_READINGS {
                            break;
                        }
                        let first = p.chars().next().map(String::from).unwrap_or_default();
                        next.push((format!("{full}{p}"), format!("{initials}{first}")));
                    }
                }
                out = next;
            }
            None => {
                for c in fold(&c.to_string()).chars() {
                    for (full, initials) in out.iter_mut() {
                        full.push(c);
                        initials.push(c);
                    }
                }
            }
        }
    }
    if any { out } else { Vec::new() }
}

/// What a list searched carries its search keys in (the keys themselves, or a picker's
/// entries), so a search borrows them rather than copying every entry's keys first.
pub trait Searchable {
    /// The entry's search keys.
    fn search_keys(&self) -> &Keys;
}

impl Searchable for Keys {
    fn search_keys(&self) -> &Keys {
        self
    }
}

/// The indices of `items` matching `query`, best first (rank, then the shorter matching
/// key, then the list's order).
pub fn search<T: Searchable>(items: &[T], query: &str) -> Vec<usize> {
    let mut hits: Vec<((Rank, usize), usize)> = items
        .iter()
        .enumerate()
        .filter_map(|(i, k)| k.search_keys().rank(query).map(|r| (r, i)))
        .collect();
    hits.sort();
    hits.into_iter().map(|(_, i)| i).collect()
}

/// The one entry `query` names without doubt: the only exact match, else the only
/// match at all. `None` when nothing or several entries fit.
pub fn unique<T: Searchable>(items: &[T], query: &str) -> Option<usize> {
    if fold(query).is_empty() {
        return None;
    }
    let exact: Vec<usize> = items
        .iter()
        .enumerate()
        .filter(|(_, k)| matches!(k.search_keys().rank(query), Some((Rank::Exact, _))))
        .map(|(i, _)| i)
        .collect();
    match exact.as_slice() {
        [one] => return Some(*one),
        [] => {}
        _ => return None,
    }
    match search(items, query).as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn villages() -> Vec<Keys> {
        vec![
            Keys::new("V01", &["石门村", "Shimen"]),
            Keys::new("V10", &["杉木村", "Shanmu"]),
            Keys::new("V11", &["杉木坪村", "Shanmuping"]),
            Keys::new("V12", &["上马村", "Shangma"]),
            Keys::new("V100", &["长岭村", "Changling"]),
        ]
    }

    #[test]
    fn every_way_of_naming_finds_shanmu() {
        let v = villages();
        for q in [
            "shanmu",
            "杉木",
            "V10",
            "v10",
            "杉木村",
            "Shanmu",
            "shan mu",
            "SM",
        ] {
            let hits = search(&v[1..], q);
            assert_eq!(hits.first(), Some(&0), "{q} finds 杉木村 first: {hits:?}");
            assert!(search(&v, q).contains(&1), "{q} finds 杉木村 among all");
        }
        // 石门村 has the same initials: "sm" lists both, neither is taken for the other
        let hits = search(&v, "sm");
        assert_eq!(&hits[..2], &[0, 1]);
        assert_eq!(unique(&v, "sm"), None);
    }

    #[test]
    fn exact_before_prefix_before_fuzzy() {
        let v = villages();
        // V10 exactly, then V100 (prefix)
        assert_eq!(search(&v, "v10"), vec![1, 4]);
        // smc is 杉木村's initials exactly; 石门村 (smc too) ties, so the list order
        let hits = search(&v, "smc");
        assert_eq!(&hits[..2], &[0, 1]);
        // "smp": initials of 杉木坪村 start with it (prefix); nothing else holds it
        assert_eq!(search(&v, "smp"), vec![2]);
        // letters in order only: the shortest holder first (shanmu)
        let hits = search(&v, "shmu");
        assert_eq!(hits.first(), Some(&1));
        assert!(
            hits.iter()
                .all(|&i| v[i].rank("shmu").map(|r| r.0) == Some(Rank::Fuzzy))
        );
    }

    #[test]
    fn ranks_are_ordered() {
        let k = Keys::new("V10", &["杉木村", "Shanmu"]);
        assert_eq!(k.rank("shanmu").map(|r| r.0), Some(Rank::Exact));
        assert_eq!(k.rank("shan").map(|r| r.0), Some(Rank::Prefix));
        assert_eq!(k.rank("mucun").map(|r| r.0), Some(Rank::Contains));
        assert_eq!(k.rank("sncn").map(|r| r.0), Some(Rank::Fuzzy));
        assert_eq!(k.rank("xyz"), None);
        assert!(Rank::Exact < Rank::Prefix && Rank::Prefix < Rank::Contains);
        assert!(Rank::Contains < Rank::Fuzzy);
    }

    #[test]
    fn several_readings_are_kept() {
        // 长 reads chang or zhang: both find 长岭村
        let k = Keys::new("V100", &["长岭村"]);
        assert!(k.rank("changling").is_some());
        assert!(k.rank("zhangling").is_some());
        assert!(k.rank("cl").is_some());
    }

    #[test]
    fn people_by_initials() {
        let people = vec![
            Keys::new("", &["王建国"]),
            Keys::new("", &["李秀英"]),
            Keys::new("", &["王秀兰"]),
        ];
        assert_eq!(search(&people, "wjg"), vec![0]);
        assert_eq!(search(&people, "lxy"), vec![1]);
        let mut wang = search(&people, "wang");
        wang.sort();
        assert_eq!(wang, vec![0, 2]);
    }

    #[test]
    fn unique_names_one_entry_or_none() {
        let v = villages();
        assert_eq!(unique(&v, "V10"), Some(1));
        assert_eq!(
            unique(&v, "shanmu"),
            Some(1),
            "exact beats the prefix of shanmuping"
        );
        assert_eq!(unique(&v, "杉木"), None, "杉木村 and 杉木坪村 both fit");
        assert_eq!(unique(&v, "Shangma"), Some(3));
        assert_eq!(unique(&v, ""), None);
        assert_eq!(unique(&v, "zzz"), None);
    }

    #[test]
    fn empty_query_keeps_the_list_order() {
        assert_eq!(search(&villages(), " "), vec![0, 1, 2, 3, 4]);
    }
}
