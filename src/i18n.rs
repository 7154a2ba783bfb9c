//! The string catalogue: every user-facing string comes from `assets/i18n/<lang>/*.toml`
//! (one file per feature, merged; a key may be defined only once).
//!
//! Keys are flat (`section.name`). `{name}` placeholders are filled by [`Msg`] or
//! [`Lang::fmt`]. Both catalogues must hold the same keys (a unit test checks it).

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::sync::LazyLock;

/// The two languages the console speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Simplified Chinese.
    Zh,
}

/// The catalogue files, per language, in merge order.
static EN_SRC: [(&str, &str); 23] = [
    ("core", include_str!("../assets/i18n/en/core.toml")),
    ("report", include_str!("../assets/i18n/en/report.toml")),
    ("fleet", include_str!("../assets/i18n/en/fleet.toml")),
    (
        "escalations",
        include_str!("../assets/i18n/en/escalations.toml"),
    ),
    ("shiftlog", include_str!("../assets/i18n/en/shiftlog.toml")),
    ("access", include_str!("../assets/i18n/en/access.toml")),
    ("bounds", include_str!("../assets/i18n/en/bounds.toml")),
    ("open", include_str!("../assets/i18n/en/open.toml")),
    ("daily", include_str!("../assets/i18n/en/daily.toml")),
    (
        "town_change",
        include_str!("../assets/i18n/en/town_change.toml"),
    ),
    (
        "operators",
        include_str!("../assets/i18n/en/operators.toml"),
    ),
    ("roster", include_str!("../assets/i18n/en/roster.toml")),
    ("alerts", include_str!("../assets/i18n/en/alerts.toml")),
    (
        "ergonomics",
        include_str!("../assets/i18n/en/ergonomics.toml"),
    ),
    ("keymap", include_str!("../assets/i18n/en/keymap.toml")),
    (
        "keymap_forms",
        include_str!("../assets/i18n/en/keymap_forms.toml"),
    ),
    ("cli_text", include_str!("../assets/i18n/en/cli_text.toml")),
    ("mends", include_str!("../assets/i18n/en/mends.toml")),
    ("input", include_str!("../assets/i18n/en/input.toml")),
    ("people", include_str!("../assets/i18n/en/people.toml")),
    (
        "people_isp",
        include_str!("../assets/i18n/en/people_isp.toml"),
    ),
    (
        "cli_steps",
        include_str!("../assets/i18n/en/cli_steps.toml"),
    ),
    (
        "columns_r2",
        include_str!("../assets/i18n/en/columns_r2.toml"),
    ),
];
static ZH_SRC: [(&str, &str); 23] = [
    ("core", include_str!("../assets/i18n/zh-CN/core.toml")),
    ("report", include_str!("../assets/i18n/zh-CN/report.toml")),
    ("fleet", include_str!("../assets/i18n/zh-CN/fleet.toml")),
    (
        "escalations",
        include_str!("../assets/i18n/zh-CN/escalations.toml"),
    ),
    (
        "shiftlog",
        include_str!("../assets/i18n/zh-CN/shiftlog.toml"),
    ),
    ("access", include_str!("../assets/i18n/zh-CN/access.toml")),
    ("bounds", include_str!("../assets/i18n/zh-CN/bounds.toml")),
    ("open", include_str!("../assets/i18n/zh-CN/open.toml")),
    ("daily", include_str!("../assets/i18n/zh-CN/daily.toml")),
    (
        "town_change",
        include_str!("../assets/i18n/zh-CN/town_change.toml"),
    ),
    (
        "operators",
        include_str!("../assets/i18n/zh-CN/operators.toml"),
    ),
    ("roster", include_str!("../assets/i18n/zh-CN/roster.toml")),
    ("alerts", include_str!("../assets/i18n/zh-CN/alerts.toml")),
    (
        "ergonomics",
        include_str!("../assets/i18n/zh-CN/ergonomics.toml"),
    ),
    ("keymap", include_str!("../assets/i18n/zh-CN/keymap.toml")),
    (
        "keymap_forms",
        include_str!("../assets/i18n/zh-CN/keymap_forms.toml"),
    ),
    (
        "cli_text",
        include_str!("../assets/i18n/zh-CN/cli_text.toml"),
    ),
    ("mends", include_str!("../assets/i18n/zh-CN/mends.toml")),
    ("input", include_str!("../assets/i18n/zh-CN/input.toml")),
    ("people", include_str!("../assets/i18n/zh-CN/people.toml")),
    (
        "people_isp",
        include_str!("../assets/i18n/zh-CN/people_isp.toml"),
    ),
    (
        "cli_steps",
        include_str!("../assets/i18n/zh-CN/cli_steps.toml"),
    ),
    (
        "columns_r2",
        include_str!("../assets/i18n/zh-CN/columns_r2.toml"),
    ),
];

fn parse_catalogue(files: &[(&str, &str)]) -> HashMap<String, String> {
    // The catalogues are compiled in and checked by tests, so a parse failure is a
    // build defect; fall back to an empty table rather than panic at run time.
    let mut out = HashMap::with_capacity(2048);
    for (_, src) in files {
        // the quick reading covers the form every catalogue is written in; anything else
        // goes through the TOML parser
        if let Some(pairs) = parse_simple(src) {
            out.extend(pairs);
            continue;
        }
        let table: toml::Table = toml::from_str(src).unwrap_or_default();
        flatten("", &table, &mut out);
    }
    out
}

/// Reads a catalogue file written as comments, `[section]` headers and `key = "text"`
/// lines (TOML basic strings), which is all the catalogues use; `None` for anything else,
/// which the caller then reads as full TOML. Parsing every file with the TOML parser cost
/// each short command about a millisecond at start (issue 18); a test checks this gives
/// what the TOML parser gives for every catalogue file.
fn parse_simple(src: &str) -> Option<Vec<(String, String)>> {
    fn bare(k: &str) -> bool {
        !k.is_empty()
            && k.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    }
    let mut out: Vec<(String, String)> = Vec::with_capacity(256);
    let mut keys = std::collections::HashSet::new();
    let mut sections = std::collections::HashSet::new();
    let mut prefix = String::new();
    for line in src.lines() {
        let t = line.trim_matches([' ', '\t']);
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if let Some(inner) = t.strip_prefix('[') {
            let inner = inner.strip_suffix(']')?;
            if !inner.split('.').all(bare) || !sections.insert(inner.to_string()) {
                return None;
            }
            prefix = format!("{inner}.");
            continue;
        }
        let (key, rest) = t.split_once('=')?;
        let key = key.trim_matches([' ', '\t']);
        // a bare key, or a quoted one without escapes (`"report.sort" = …`: one key)
        let key = match key.strip_prefix('"').and_then(|k| k.strip_suffix('"')) {
            Some(k)
                if !k.is_empty() && !k.contains(['"', '\\']) && !k.contains(char::is_control) =>
            {
                k
            }
            Some(_) => return None,
            None if bare(key) => key,
            None => return None,
        };
        let rest = rest.trim_start_matches([' ', '\t']).strip_prefix('"')?;
        if rest.starts_with("\"\"") {
            return None;
        }
        let (value, end) = basic_string(rest)?;
        let after = rest[end..].trim_matches([' ', '\t']);
        if !(after.is_empty() || after.starts_with('#')) {
            return None;
        }
        let full = format!("{prefix}{key}");
        if !keys.insert(full.clone()) {
            return None;
        }
        out.push((full, value));
    }
    // a key that is also a section (or inside one taken as a key) is TOML's to judge
    if out.iter().any(|(k, _)| sections.contains(k))
        || sections
            .iter()
            .any(|s| s.match_indices('.').any(|(i, _)| keys.contains(&s[..i])))
    {
        return None;
    }
    Some(out)
}

/// A TOML basic string's text after its opening quote: the value with its escapes read,
/// and the index just past its closing quote; `None` for what a catalogue never holds.
fn basic_string(rest: &str) -> Option<(String, usize)> {
    let mut value = String::with_capacity(rest.len());
    let mut chars = rest.char_indices();
    let end = loop {
        let (i, c) = chars.next()?;
        match c {
            '"' => break i + 1,
            '\\' => {
                let (_, e) = chars.next()?;
                match e {
                    'b' => value.push('\u{8}'),
                    't' => value.push('\t'),
                    'n' => value.push('\n'),
                    'f' => value.push('\u{c}'),
                    'r' => value.push('\r'),
                    '"' => value.push('"'),
                    '\\' => value.push('\\'),
                    'u' | 'U' => {
                        let n = if e == 'u' { 4 } else { 8 };
                        let mut code = 0u32;
                        for _ in 0..n {
                            code = code * 16 + chars.next()?.1.to_digit(16)?;
                        }
                        value.push(char::from_u32(code)?);
                    }
                    _ => return None,
                }
            }
            c if c.is_control() && c != '\t' => return None,
            c => value.push(c),
        }
    };
    Some((value, end))
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut HashMap<String, String>) {
    for (k, v) in table {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            toml::Value::String(s) => {
                out.insert(key, s.clone());
            }
            toml::Value::Table(t) => flatten(&key, t, out),
            other => {
                out.insert(key, other.to_string());
            }
        }
    }
}

static EN: LazyLock<HashMap<String, String>> = LazyLock::new(|| parse_catalogue(&EN_SRC));
static ZH: LazyLock<HashMap<String, String>> = LazyLock::new(|| parse_catalogue(&ZH_SRC));

impl Lang {
    /// Picks the language from a `--lang` value (`en`, `zh`, `zh-CN`, `zh_CN.UTF-8` …).
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        if s.starts_with("zh") {
            Some(Lang::Zh)
        } else if s.starts_with("en") || s == "c" || s == "posix" || s.starts_with("c.") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The language a user's locale asks for (`LC_ALL`, `LC_MESSAGES`, `LANG`), English otherwise.
    pub fn from_env() -> Lang {
        for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let Ok(v) = std::env::var(var)
                && !v.is_empty()
            {
                return Lang::parse(&v).unwrap_or(Lang::En);
            }
        }
        Lang::En
    }

    /// The catalogue code, as used in file names and `config show`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }

    fn map(self) -> &'static HashMap<String, String> {
        match self {
            Lang::En => &EN,
            Lang::Zh => &ZH,
        }
    }

    /// The string for `key`; a missing key shows itself so that it is noticed, never panics.
    pub fn t<'a>(self, key: &'a str) -> &'a str
    where
        'static: 'a,
    {
        match self.map().get(key) {
            Some(s) => s.as_str(),
            None => match Lang::En.map().get(key) {
                Some(s) => s.as_str(),
                None => key,
            },
        }
    }

    /// The string for `key` with `{name}` placeholders filled in.
    pub fn fmt(self, key: &str, args: &[(&str, &str)]) -> String {
        fill(self.t(key), args)
    }

    /// The text of a key built at run time (e.g. the keymap's `keymap.label.<id>`), for
    /// the life of the program; English when this catalogue lacks it, the key itself when
    /// both do not "?" (tests check both catalogues hold every such key).
    pub fn t_static(self, key: &str) -> &'static str {
        match self.map().get(key).or_else(|| Lang::En.map().get(key)) {
            Some(s) => s.as_str(),
            None => "?",
        }
    }

    /// All keys of the catalogue, for tests.
    pub fn keys(self) -> Vec<&'static str> {
        let mut v: Vec<&'static str> = self.map().keys().map(|k| k.as_str()).collect();
        v.sort_unstable();
        v
    }
}

/// Puts the values into the template's `{name}` placeholders in one pass over the
/// template, so a value that itself contains `{name}` (people type anything) is never
/// expanded again. An unknown placeholder is left as written.
fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            args.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v, close))
        });
        match value {
            Some((v, close)) => {
                out.push_str(v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Starts a label value ([`Msg::label`]): catalogue keys, each after this mark. Typed text
/// never holds it (control characters are cleaned on entry and on display).
const LABEL_MARK: char = '\u{1}';

/// Starts a list value ([`Msg::list`]): the values, each after this mark. Typed text never
/// holds it (control characters are cleaned on entry and on display).
const LIST_MARK: char = '\u{2}';

/// A message to show a user, kept as a key and arguments until the language is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    /// Catalogue key.
    pub key: Cow<'static, str>,
    /// Placeholder values.
    pub args: Vec<(Cow<'static, str>, String)>,
    /// What the message is about (a field or key), shown before it as `context: …`.
    pub context: Option<String>,
}

impl Msg {
    /// A message with no arguments yet.
    pub fn new(key: &'static str) -> Msg {
        Msg {
            key: Cow::Borrowed(key),
            args: Vec::new(),
            context: None,
        }
    }

    /// A message whose key was read back from storage.
    pub fn from_parts(key: String, args: Vec<(String, String)>) -> Msg {
        Msg {
            key: Cow::Owned(key),
            args: args.into_iter().map(|(k, v)| (Cow::Owned(k), v)).collect(),
            context: None,
        }
    }

    /// The message as JSON (`{"key": …, "args": {…}}`), to be stored and rendered later.
    pub fn to_json(&self) -> serde_json::Value {
        let args: serde_json::Map<String, serde_json::Value> = self
            .args
            .iter()
            .map(|(k, v)| (k.to_string(), serde_json::Value::String(v.clone())))
            .collect();
        serde_json::json!({"key": self.key, "args": args})
    }

    /// Reads a message stored with [`Msg::to_json`].
    pub fn from_json(v: &serde_json::Value) -> Option<Msg> {
        let key = v.get("key")?.as_str()?.to_string();
        let args = v
            .get("args")
            .and_then(|a| a.as_object())
            .map(|o| {
                o.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                    .collect()
            })
            .unwrap_or_default();
        Some(Msg::from_parts(key, args))
    }

    /// Adds a `{name}` value.
    pub fn arg(mut self, name: &'static str, value: impl fmt::Display) -> Msg {
        self.args.push((Cow::Borrowed(name), value.to_string()));
        self
    }

    /// Adds a `{name}` value shown as the catalogue's label for `key` in the language the
    /// message is rendered in (a role, a permission, a status): people never see the
    /// internal name, and a stored message still renders in either language.
    pub fn label(self, name: &'static str, key: &'static str) -> Msg {
        self.labels(name, &[key])
    }

    /// Like [`Msg::label`] for a list of labels, joined by the language's list separator.
    pub fn labels(mut self, name: &'static str, keys: &[&'static str]) -> Msg {
        let mut v = String::new();
        for k in keys {
            v.push(LABEL_MARK);
            v.push_str(k);
        }
        self.args.push((Cow::Borrowed(name), v));
        self
    }

    /// Adds a `{name}` value that is a list of values (village codes, names), joined by
    /// the separator of the language the message is rendered in (`, ` or `、`), each
    /// value shown as [`text::display`](crate::domain::text::display).
    pub fn list<S: AsRef<str>>(mut self, name: &'static str, values: &[S]) -> Msg {
        let mut v = String::new();
        for s in values {
            v.push(LIST_MARK);
            v.push_str(&s.as_ref().replace(LIST_MARK, ""));
        }
        self.args.push((Cow::Borrowed(name), v));
        self
    }

    /// Adds a `{name}` value that someone typed or a file held: quoted to about 80
    /// characters ([`crate::domain::text::quote`]), so an error is one short line.
    pub fn quoted(self, name: &'static str, value: impl fmt::Display) -> Msg {
        let v = crate::domain::text::quote(&value.to_string(), crate::domain::text::QUOTE_MAX);
        self.arg(name, v)
    }

    /// Names what the message is about (a field, a key), shown before it.
    pub fn context(mut self, context: impl Into<String>) -> Msg {
        self.context = Some(context.into());
        self
    }

    /// The message in `lang`. Every value and the context are shown as
    /// [`text::display`](crate::domain::text::display) (a value may be a village's
    /// spreadsheet cell or a file name): a message is always one clean line of its own.
    pub fn render(&self, lang: Lang) -> String {
        use crate::domain::text::display;
        let shown: Vec<Cow<'_, str>> = self
            .args
            .iter()
            .map(|(_, v)| match v.strip_prefix(LABEL_MARK) {
                Some(keys) => Cow::Owned(
                    keys.split(LABEL_MARK)
                        .map(|k| lang.t(k))
                        .collect::<Vec<_>>()
                        .join(lang.t("list.sep")),
                ),
                None => match v.strip_prefix(LIST_MARK) {
                    Some(values) => Cow::Owned(
                        values
                            .split(LIST_MARK)
                            .map(display)
                            .collect::<Vec<_>>()
                            .join(lang.t("list.sep")),
                    ),
                    None => display(v),
                },
            })
            .collect();
        let args: Vec<(&str, &str)> = self
            .args
            .iter()
            .zip(&shown)
            .map(|((k, _), v)| (k.as_ref(), v.as_ref()))
            .collect();
        let text = lang.fmt(&self.key, &args);
        match &self.context {
            Some(c) => format!("{}: {text}", display(c)),
            None => text,
        }
    }
}

impl fmt::Display for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

#[cfg(test)]
mod tests {
    /// Issue 20: a value containing another placeholder's name was expanded again.
    #[test]
    fn a_value_is_never_expanded_again() {
        let out = super::fill(
            "{subject}: {text}",
            &[("subject", "#7"), ("text", "caller said {subject} and {x}")],
        );
        assert_eq!(out, "#7: caller said {subject} and {x}");
        assert_eq!(
            super::fill("{a}{b} {c", &[("a", "{b}"), ("b", "B")]),
            "{b}B {c"
        );
        assert_eq!(super::fill("费用{n}元", &[("n", "5")]), "费用5元");
    }

    use super::*;

    /// The quick reading of the catalogues gives exactly what the TOML parser gives, for
    /// every file of both languages, and leaves anything unusual to the TOML parser.
    #[test]
    fn the_quick_catalogue_reading_equals_the_toml_parser() {
        for (name, src) in EN_SRC.iter().chain(ZH_SRC.iter()) {
            let quick: HashMap<String, String> = parse_simple(src)
                .unwrap_or_else(|| panic!("catalogue {name} is not in the simple form"))
                .into_iter()
                .collect();
            let table: toml::Table = toml::from_str(src).unwrap();
            let mut full = HashMap::new();
            flatten("", &table, &mut full);
            assert_eq!(quick, full, "catalogue {name}");
        }
        let quoted = parse_simple("[s]\n\"a.b\" = \"x\"\nc = \"y\"\n").unwrap();
        assert_eq!(
            quoted,
            vec![
                ("s.a.b".to_string(), "x".to_string()),
                ("s.c".to_string(), "y".to_string())
            ]
        );
        let escapes = "[a]\nk = \"q \\\" \\\\ \\n \\t \\u00e9 \\U0001F600\" # c\n";
        let quick = parse_simple(escapes).unwrap();
        assert_eq!(
            quick,
            vec![("a.k".to_string(), "q \" \\ \n \t é 😀".to_string())]
        );
        for unusual in [
            "k = 3\n",
            "k = 'literal'\n",
            "k = \"\"\"multi\nline\"\"\"\n",
            "[[array]]\nk = \"v\"\n",
            "a.b = \"dotted\"\n",
            "k = \"v\"\nk = \"again\"\n",
            "[s]\n[s]\n",
            "k = \"v\" trailing\n",
            "\"a\\\"b\" = \"escaped quote in a key\"\n",
            "\"\" = \"empty key\"\n",
            "k = \"\\x\"\n",
            "a = \"v\"\n[a]\nb = \"w\"\n",
            "a = \"v\"\n[a.b]\nc = \"w\"\n",
        ] {
            assert_eq!(parse_simple(unusual), None, "{unusual:?}");
        }
        // and the catalogue built from them is the TOML parser's
        let mut full = HashMap::new();
        for (_, src) in EN_SRC.iter() {
            flatten("", &toml::from_str::<toml::Table>(src).unwrap(), &mut full);
        }
        assert_eq!(parse_catalogue(&EN_SRC), full);
    }

    #[test]
    fn every_catalogue_file_parses_and_defines_each_key_once() {
        for files in [&EN_SRC, &ZH_SRC] {
            let mut seen: HashMap<String, &str> = HashMap::new();
            for (name, src) in files.iter() {
                let table: toml::Table =
                    toml::from_str(src).unwrap_or_else(|e| panic!("catalogue {name}: {e}"));
                let mut keys = HashMap::new();
                flatten("", &table, &mut keys);
                for k in keys.keys() {
                    if let Some(other) = seen.insert(k.clone(), name) {
                        panic!("key {k} defined in both {other} and {name}");
                    }
                }
            }
        }
    }

    #[test]
    fn catalogues_parse_and_hold_the_same_keys() {
        let en = Lang::En.keys();
        let zh = Lang::Zh.keys();
        assert!(en.len() > 50, "catalogue too small: {}", en.len());
        let missing_zh: Vec<_> = en.iter().filter(|k| !zh.contains(k)).collect();
        let missing_en: Vec<_> = zh.iter().filter(|k| !en.contains(k)).collect();
        assert!(missing_zh.is_empty(), "missing in zh-CN: {missing_zh:?}");
        assert!(missing_en.is_empty(), "missing in en: {missing_en:?}");
    }

    #[test]
    fn placeholders_match_between_languages() {
        for key in Lang::En.keys() {
            let holes = |s: &str| {
                let mut v: Vec<String> = s
                    .split('{')
                    .skip(1)
                    .filter_map(|p| p.split_once('}').map(|(a, _)| a.to_string()))
                    .collect();
                v.sort();
                v
            };
            assert_eq!(
                holes(Lang::En.t(key)),
                holes(Lang::Zh.t(key)),
                "placeholders differ for {key}"
            );
        }
    }

    #[test]
    fn every_key_used_in_the_source_exists() {
        let mut missing = Vec::new();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut stack = vec![root];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                for pat in [".t(\"", ".fmt(\"", "Msg::new(\""] {
                    for part in text.split(pat).skip(1) {
                        let key = part.split('"').next().unwrap();
                        if !key.contains('{') && !Lang::En.keys().contains(&key) {
                            missing.push(format!("{}: {key}", path.display()));
                        }
                    }
                }
            }
        }
        assert!(missing.is_empty(), "keys not in catalogue: {missing:#?}");
    }

    #[test]
    fn parse_lang_values() {
        assert_eq!(Lang::parse("zh_CN.UTF-8"), Some(Lang::Zh));
        assert_eq!(Lang::parse("zh"), Some(Lang::Zh));
        assert_eq!(Lang::parse("en_US.UTF-8"), Some(Lang::En));
        assert_eq!(Lang::parse("C.UTF-8"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
    }

    /// Issue 19: refusals showed internal names (`duty_officer`, `sign_report`).
    #[test]
    fn label_args_render_in_the_message_language() {
        let m = Msg::new("deny.not_permitted")
            .label("role", "role.duty_officer")
            .label("permission", "perm.sign_report");
        let en = m.render(Lang::En);
        assert!(en.contains("duty officer") && en.contains("sign"), "{en}");
        assert!(!en.contains('_'), "{en}");
        let zh = m.render(Lang::Zh);
        assert!(zh.contains("值班员") && zh.contains("签署日报"), "{zh}");
        let back = Msg::from_json(&m.to_json()).unwrap();
        assert_eq!(back.render(Lang::Zh), zh);
        let list = Msg::new("deny.bad_step")
            .label("from", "trip.en_route")
            .label("to", "trip.requested")
            .labels("allowed", &["trip.on_scene", "trip.cancelled"]);
        let en = list.render(Lang::En);
        assert!(!en.contains("en_route") && !en.contains('\u{1}'), "{en}");
        assert!(list.render(Lang::Zh).contains('、'));
    }

    /// Lists of values were joined with a literal ", " whatever the language.
    #[test]
    fn list_args_are_joined_in_the_message_language() {
        let m = Msg::new("daily.err.reason_for_missing")
            .arg("n", 2)
            .list("list", &["A2", "A3\u{1b}[31m"]);
        assert!(
            m.render(Lang::En).contains("(A2, A3)"),
            "{}",
            m.render(Lang::En)
        );
        assert!(
            m.render(Lang::Zh).contains("（A2、A3）"),
            "{}",
            m.render(Lang::Zh)
        );
        let back = Msg::from_json(&m.to_json()).unwrap();
        assert_eq!(back.render(Lang::Zh), m.render(Lang::Zh));
        let none = Msg::new("daily.err.reason_for_missing").list::<&str>("list", &[]);
        assert!(
            none.render(Lang::En).contains("()"),
            "{}",
            none.render(Lang::En)
        );
    }

    #[test]
    fn msg_fills_placeholders() {
        let m = Msg::new("err.vehicle_not_free").arg("vehicle", "AMB1");
        assert!(m.render(Lang::En).contains("AMB1"));
        assert!(m.render(Lang::Zh).contains("AMB1"));
    }
}
