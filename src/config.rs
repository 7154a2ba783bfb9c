//! The operator's settings file (`config.toml` in the platform config directory, or
//! `--config PATH`): language, theme, key bindings, notifications, refresh interval.
//! Unknown keys and bad values are refused with the file, the key and what is wrong.

use std::path::{Path, PathBuf};

use crate::i18n::{Lang, Msg};

/// Which palette (`theme` in the settings file); `ui::theme` turns it into styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ThemeName {
    /// Light text on a dark terminal.
    #[default]
    Dark,
    /// Dark text on a light terminal.
    Light,
    /// Strong contrast, bold accents.
    HighContrast,
}

impl ThemeName {
    /// Reads a theme name.
    pub fn parse(s: &str) -> Option<ThemeName> {
        match s.trim() {
            "dark" => Some(ThemeName::Dark),
            "light" => Some(ThemeName::Light),
            "high-contrast" | "high_contrast" => Some(ThemeName::HighContrast),
            _ => None,
        }
    }

    /// Name in the config file.
    pub fn as_str(self) -> &'static str {
        match self {
            ThemeName::Dark => "dark",
            ThemeName::Light => "light",
            ThemeName::HighContrast => "high-contrast",
        }
    }
}

/// Which extra key set is active beside the arrows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KeySet {
    /// Arrows, Tab, PageUp/PageDown only.
    #[default]
    Arrows,
    /// Also h j k l, g G, Ctrl-d Ctrl-u.
    Vim,
}

impl KeySet {
    /// Name in the file.
    pub fn as_str(self) -> &'static str {
        match self {
            KeySet::Arrows => "arrows",
            KeySet::Vim => "vim",
        }
    }
}

/// Effective settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Language, when the file sets one.
    pub lang: Option<Lang>,
    /// Theme.
    pub theme: ThemeName,
    /// Key set.
    pub keys: KeySet,
    /// Desktop notifications.
    pub notifications: bool,
    /// How often the console looks for other processes' changes, in milliseconds.
    pub refresh_ms: u64,
    /// Alert delivery (`[alerts]`).
    pub alerts: AlertSettings,
    /// The file the settings came from, if any.
    pub source: Option<PathBuf>,
}

/// How alerts leave the desk (`[alerts]`): a command run once per alert with its JSON on
/// standard input (DESIGN.md "Alerts beyond the console").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertSettings {
    /// The program and its arguments; empty: alerts are recorded but not delivered.
    pub command: Vec<String>,
    /// How long the command may run before it is killed, in seconds.
    pub timeout_secs: u64,
}

impl Default for AlertSettings {
    fn default() -> Self {
        AlertSettings {
            command: Vec::new(),
            timeout_secs: 10,
        }
    }
}

/// Reads the `[alerts]` table; every problem with its dotted key.
fn parse_alerts(t: &toml::Table, out: &mut AlertSettings) -> Vec<(String, Msg)> {
    let mut problems = Vec::new();
    for (k, v) in t {
        let key = format!("alerts.{k}");
        match (k.as_str(), v) {
            ("command", toml::Value::Array(items)) => {
                let words: Option<Vec<String>> = items
                    .iter()
                    .map(|i| i.as_str().map(str::to_string))
                    .collect();
                match words {
                    Some(w) if !w.is_empty() && !w[0].trim().is_empty() => out.command = w,
                    _ => problems.push((key, Msg::new("alerts.config.command").quoted("value", v))),
                }
            }
            ("timeout_secs", toml::Value::Integer(n))
                if (1..=crate::domain::alerts::MAX_TIMEOUT_SECS as i64).contains(n) =>
            {
                out.timeout_secs = *n as u64
            }
            ("command", other) => problems.push((
                key,
                Msg::new("alerts.config.command").quoted("value", other),
            )),
            ("timeout_secs", other) => problems.push((
                key,
                Msg::new("alerts.config.timeout").quoted("value", other),
            )),
            _ => problems.push((key, Msg::new("alerts.config.unknown_key"))),
        }
    }
    problems
}

impl Default for Config {
    fn default() -> Self {
        Config {
            lang: None,
            theme: ThemeName::Dark,
            keys: KeySet::Arrows,
            notifications: true,
            refresh_ms: 200,
            alerts: AlertSettings::default(),
            source: None,
        }
    }
}

/// The default settings file path.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "duty-desk").map(|d| d.config_dir().join("config.toml"))
}

/// One problem in a settings file.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigProblem {
    /// The key (or `line N` for syntax errors).
    pub key: String,
    /// What is wrong.
    pub msg: Msg,
}

/// Parses a settings file's text; every problem is returned.
pub fn parse(text: &str) -> Result<Config, Vec<ConfigProblem>> {
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].lines().count().max(1))
            .unwrap_or(1);
        vec![ConfigProblem {
            key: format!("line {line}"),
            msg: Msg::new("config.err.syntax").arg("detail", e.message()),
        }]
    })?;
    let mut c = Config::default();
    let mut problems = Vec::new();
    let mut bad = |key: &str, msg: Msg| {
        problems.push(ConfigProblem {
            key: key.to_string(),
            msg,
        })
    };
    for (k, v) in &table {
        match (k.as_str(), v) {
            ("language", toml::Value::String(s)) => match Lang::parse(s) {
                Some(l) => c.lang = Some(l),
                None => bad(k, Msg::new("config.err.language").quoted("value", s)),
            },
            ("theme", toml::Value::String(s)) => match ThemeName::parse(s) {
                Some(t) => c.theme = t,
                None => bad(k, Msg::new("config.err.theme").quoted("value", s)),
            },
            ("keys", toml::Value::String(s)) => match s.as_str() {
                "arrows" => c.keys = KeySet::Arrows,
                "vim" => c.keys = KeySet::Vim,
                _ => bad(k, Msg::new("config.err.keys").quoted("value", s)),
            },
            ("notifications", toml::Value::Boolean(b)) => c.notifications = *b,
            ("refresh_ms", toml::Value::Integer(n)) if (100..=60_000).contains(n) => {
                c.refresh_ms = *n as u64
            }
            ("alerts", toml::Value::Table(t)) => {
                for (key, msg) in parse_alerts(t, &mut c.alerts) {
                    bad(&key, msg);
                }
            }
            ("alerts", other) => bad(
                k,
                Msg::new("alerts.config.not_table").quoted("value", other),
            ),
            ("refresh_ms", other) => bad(k, Msg::new("config.err.refresh").quoted("value", other)),
            ("language" | "theme" | "keys", other) => {
                bad(k, Msg::new("config.err.not_text").quoted("value", other))
            }
            ("notifications", other) => {
                bad(k, Msg::new("config.err.not_bool").quoted("value", other))
            }
            _ => bad(k, Msg::new("config.err.unknown_key")),
        }
    }
    if problems.is_empty() {
        Ok(c)
    } else {
        problems.sort_by(|a, b| a.key.cmp(&b.key));
        Err(problems)
    }
}

/// Loads the settings: `explicit` must exist; the default file is optional.
pub fn load(explicit: Option<&Path>, lang: Lang) -> Result<Config, Vec<String>> {
    let (path, required) = match explicit {
        Some(p) => (p.to_path_buf(), true),
        None => match default_path() {
            Some(p) => (p, false),
            None => return Ok(Config::default()),
        },
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Config::default());
        }
        Err(e) => {
            return Err(vec![format!("{}: {e}", path.display())]);
        }
    };
    match parse(&text) {
        Ok(mut c) => {
            c.source = Some(path);
            Ok(c)
        }
        Err(problems) => Err(problems
            .iter()
            .map(|p| format!("{}: {}: {}", path.display(), p.key, p.msg.render(lang)))
            .collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_file() {
        let c = parse(
            "language = \"zh\"\ntheme = \"high-contrast\"\nkeys = \"vim\"\nnotifications = false\nrefresh_ms = 500\n",
        )
        .unwrap();
        assert_eq!(c.lang, Some(Lang::Zh));
        assert_eq!(c.theme, ThemeName::HighContrast);
        assert_eq!(c.keys, KeySet::Vim);
        assert!(!c.notifications);
        assert_eq!(c.refresh_ms, 500);
    }

    #[test]
    fn refresh_ms_at_its_limits_names_its_range() {
        for (n, ok) in [
            ("99", false),
            ("100", true),
            ("60000", true),
            ("60001", false),
            ("0", false),
            ("-1", false),
            ("9223372036854775807", false),
            ("-9223372036854775808", false),
        ] {
            match parse(&format!("refresh_ms = {n}\n")) {
                Ok(c) => {
                    assert!(ok, "{n} accepted");
                    assert_eq!(c.refresh_ms.to_string(), n);
                }
                Err(p) => {
                    assert!(!ok, "{n} refused");
                    assert_eq!(p[0].key, "refresh_ms");
                    let m = p[0].msg.render(Lang::En);
                    assert!(m.contains("100 to 60000"), "{m}");
                }
            }
        }
        // a huge value of the wrong type is quoted, bounded
        let p = parse(&format!("refresh_ms = \"{}\"\n", "x".repeat(100_000))).unwrap_err();
        assert!(p[0].msg.render(Lang::En).len() < 300);
    }

    #[test]
    fn the_alerts_table() {
        let c = parse("[alerts]\ncommand = [\"/bin/hook\", \"-v\"]\ntimeout_secs = 3\n").unwrap();
        assert_eq!(c.alerts.command, ["/bin/hook", "-v"]);
        assert_eq!(c.alerts.timeout_secs, 3);
        assert_eq!(parse("").unwrap().alerts.timeout_secs, 10);
        assert_eq!(keys_of("[alerts]\ncommand = \"hook\""), ["alerts.command"]);
        assert_eq!(keys_of("[alerts]\ncommand = []"), ["alerts.command"]);
        assert_eq!(keys_of("[alerts]\ncommand = [1]"), ["alerts.command"]);
        assert_eq!(
            keys_of("[alerts]\ntimeout_secs = 0"),
            ["alerts.timeout_secs"]
        );
        assert_eq!(
            keys_of("[alerts]\ntimeout_secs = 61"),
            ["alerts.timeout_secs"]
        );
        assert_eq!(keys_of("[alerts]\nsms = 1"), ["alerts.sms"]);
        assert_eq!(keys_of("alerts = 1"), ["alerts"]);
    }

    #[test]
    fn an_empty_file_is_the_defaults() {
        assert_eq!(parse("").unwrap(), Config::default());
    }

    fn keys_of(text: &str) -> Vec<String> {
        parse(text)
            .unwrap_err()
            .into_iter()
            .map(|p| p.key)
            .collect()
    }

    #[test]
    fn every_error_is_named_with_its_key() {
        assert_eq!(keys_of("colour = \"red\""), ["colour"]);
        assert_eq!(keys_of("language = \"fr\""), ["language"]);
        assert_eq!(keys_of("language = 3"), ["language"]);
        assert_eq!(keys_of("theme = \"pink\""), ["theme"]);
        assert_eq!(keys_of("keys = \"emacs\""), ["keys"]);
        assert_eq!(keys_of("notifications = \"yes\""), ["notifications"]);
        assert_eq!(keys_of("refresh_ms = 5"), ["refresh_ms"]);
        assert_eq!(keys_of("refresh_ms = \"fast\""), ["refresh_ms"]);
        assert_eq!(
            keys_of("theme = \"pink\"\nkeys = \"emacs\"\nx = 1"),
            ["keys", "theme", "x"]
        );
        assert!(keys_of("language = ")[0].starts_with("line 1"));
    }

    #[test]
    fn a_missing_explicit_file_is_an_error_but_the_default_is_optional() {
        assert!(load(Some(Path::new("/nonexistent/duty.toml")), Lang::En).is_err());
    }
}
