//! Styles named by meaning. Screens ask for `theme.overdue()`, never for a colour.

use ratatui::style::{Color, Modifier, Style};

use crate::config::ThemeName;

/// The palette in use; `no_color` keeps only attributes (bold, reverse, underline).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Theme {
    /// Palette.
    pub name: ThemeName,
    /// `NO_COLOR` is set.
    pub no_color: bool,
}

impl Theme {
    /// The default theme, honouring `NO_COLOR`.
    pub fn from_env(name: ThemeName) -> Theme {
        Theme {
            name,
            no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
        }
    }

    fn fg(&self, dark: Color, light: Color, hc: Color) -> Style {
        if self.no_color {
            return Style::default();
        }
        Style::default().fg(match self.name {
            ThemeName::Dark => dark,
            ThemeName::Light => light,
            ThemeName::HighContrast => hc,
        })
    }

    /// Plain text.
    pub fn text(&self) -> Style {
        Style::default()
    }

    /// Secondary text: units, timestamps, hints.
    pub fn muted(&self) -> Style {
        if self.no_color {
            return Style::default().add_modifier(Modifier::DIM);
        }
        self.fg(Color::DarkGray, Color::Gray, Color::Gray)
    }

    /// A key the help lists that does not apply now (not in this state, or not for this
    /// operator).
    pub fn unavailable(&self) -> Style {
        self.muted().add_modifier(Modifier::DIM)
    }

    /// A key in the footer the operator may not use (the help says why).
    pub fn refused(&self) -> Style {
        self.unavailable().add_modifier(Modifier::CROSSED_OUT)
    }

    /// Titles of panels.
    pub fn title(&self) -> Style {
        self.fg(Color::Cyan, Color::Blue, Color::White)
            .add_modifier(Modifier::BOLD)
    }

    /// The header bar.
    pub fn header(&self) -> Style {
        if self.no_color {
            return Style::default().add_modifier(Modifier::REVERSED);
        }
        match self.name {
            ThemeName::Dark => Style::default().bg(Color::Blue).fg(Color::White),
            ThemeName::Light => Style::default().bg(Color::LightBlue).fg(Color::Black),
            ThemeName::HighContrast => Style::default()
                .bg(Color::Black)
                .fg(Color::White)
                .add_modifier(Modifier::BOLD),
        }
    }

    /// The active tab.
    pub fn tab_active(&self) -> Style {
        self.fg(Color::Yellow, Color::Blue, Color::Yellow)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }

    /// Other tabs.
    pub fn tab(&self) -> Style {
        self.text()
    }

    /// Good news: available, reported, resolved.
    pub fn ok(&self) -> Style {
        self.fg(Color::Green, Color::Green, Color::LightGreen)
    }

    /// Needs attention soon: warnings, waiting.
    pub fn warn(&self) -> Style {
        let s = self.fg(Color::Yellow, Color::Rgb(160, 100, 0), Color::LightYellow);
        if self.no_color {
            s.add_modifier(Modifier::UNDERLINED)
        } else {
            s
        }
    }

    /// Past a deadline, late, missing after cutoff.
    pub fn overdue(&self) -> Style {
        self.fg(Color::LightRed, Color::Red, Color::LightRed)
            .add_modifier(Modifier::BOLD)
    }

    /// Critical patients and alerts.
    pub fn critical(&self) -> Style {
        if self.no_color {
            return Style::default().add_modifier(Modifier::BOLD | Modifier::REVERSED);
        }
        Style::default()
            .fg(Color::White)
            .bg(Color::Red)
            .add_modifier(Modifier::BOLD)
    }

    /// The selected row: its own foreground over its own background, so nothing drawn in
    /// it (a muted grey time, a coloured status) can vanish into the highlight (issue 19:
    /// the grey time on the grey selection). Each pair reads at a contrast of at least 4.5
    /// in the xterm palette (`tests/contrast_19.rs`).
    pub fn selected(&self) -> Style {
        if self.no_color {
            return Style::default().add_modifier(Modifier::REVERSED);
        }
        match self.name {
            ThemeName::Dark => Style::default()
                .fg(Color::White)
                .bg(Color::Blue)
                .add_modifier(Modifier::BOLD),
            ThemeName::Light => Style::default()
                .fg(Color::Black)
                .bg(Color::Gray)
                .add_modifier(Modifier::BOLD),
            ThemeName::HighContrast => Style::default()
                .fg(Color::Black)
                .bg(Color::White)
                .add_modifier(Modifier::BOLD),
        }
    }

    /// A key name in hints.
    pub fn key(&self) -> Style {
        self.fg(Color::Cyan, Color::Blue, Color::LightCyan)
            .add_modifier(Modifier::BOLD)
    }

    /// Panel borders.
    pub fn border(&self) -> Style {
        self.fg(Color::DarkGray, Color::Gray, Color::White)
    }

    /// A read-only or locked marker.
    pub fn locked(&self) -> Style {
        self.fg(Color::Magenta, Color::Magenta, Color::LightMagenta)
            .add_modifier(Modifier::BOLD)
    }

    /// A vehicle's status: free, on a trip, out of service.
    pub fn vehicle_status(&self, st: crate::domain::transport::VehicleStatus) -> Style {
        use crate::domain::transport::VehicleStatus;
        match st {
            VehicleStatus::Available => self.ok(),
            VehicleStatus::OutOfService => self.overdue(),
            VehicleStatus::OnTrip(_) => self.warn(),
        }
    }

    /// A patient's severity.
    pub fn severity(&self, s: crate::domain::transport::Severity) -> Style {
        use crate::domain::transport::Severity;
        match s {
            Severity::Critical => self.critical(),
            Severity::Severe => self.overdue(),
            Severity::Stable => self.text(),
        }
    }

    /// An error message.
    pub fn error(&self) -> Style {
        self.overdue()
    }
}
