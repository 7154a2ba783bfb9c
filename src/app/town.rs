//! The town after init in the console (issue 16): the town popup (`T`: villages, vehicles,
//! staff, and the town's change history), the surge switch (`S` on the Overview or in the
//! popup), and the small in-place edit forms of a duty leader (`e` in the popup, or on the
//! fleet board for a vehicle).

use crossterm::event::{KeyCode, KeyEvent};

use super::model::Model;
use super::screen::Screen;
use super::{Effect, WriteCmd};
use crate::domain::roles::Permission;
use crate::domain::town::{Role, TownFile};
use crate::i18n::Msg;
use crate::store::{Ctx, Store};

/// A write about the town.
#[derive(Debug, Clone, PartialEq)]
pub enum TownWrite {
    /// Switch surge on (true) or off.
    Surge(bool),
    /// A vehicle's driver and phone.
    Vehicle {
        /// Vehicle code.
        code: String,
        /// Driver.
        driver: String,
        /// Driver's phone.
        phone: String,
    },
    /// A person's phone and role.
    Staff {
        /// Name.
        name: String,
        /// Phone.
        phone: String,
        /// Role.
        role: Role,
    },
    /// A village's clinic phone and population.
    Village {
        /// Village code.
        code: String,
        /// Clinic phone.
        clinic_phone: String,
        /// Population.
        population: i64,
    },
}

/// The lists of the town popup.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TownTab {
    /// Villages.
    #[default]
    Villages,
    /// Vehicles.
    Vehicles,
    /// Staff.
    Staff,
    /// The town's change history.
    History,
}

impl TownTab {
    /// In order.
    pub const ALL: [TownTab; 4] = [
        TownTab::Villages,
        TownTab::Vehicles,
        TownTab::Staff,
        TownTab::History,
    ];

    /// Catalogue key of the tab's title.
    pub fn title_key(self) -> &'static str {
        match self {
            TownTab::Villages => "town_change.section.village",
            TownTab::Vehicles => "town_change.section.vehicle",
            TownTab::Staff => "town_change.section.staff",
            TownTab::History => "town_change.ui.history_title",
        }
    }
}

/// The edit form's focused input, for a paste.
pub fn focused_input(m: &mut Model) -> Option<&mut crate::app::input::TextInput> {
    let form = m.town_ui.form.as_mut()?;
    let focus = form.focus;
    form.fields.get_mut(focus).map(|f| &mut f.value)
}

/// What an edit form changes.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// A vehicle, by code.
    Vehicle(String),
    /// A person, by name.
    Staff(String),
    /// A village, by code.
    Village(String),
}

/// The longest value an edit form field takes (names, phones, roles, a population).
pub const FIELD_LIMIT: usize = 100;

/// One field of an edit form.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Catalogue key of its label.
    pub label: &'static str,
    /// The text as typed (the shared input: cursor, paste, refusals that say so).
    pub value: crate::app::input::TextInput,
}

/// A small form editing one record in place.
#[derive(Debug, Clone, PartialEq)]
pub struct EditForm {
    /// The record.
    pub target: Target,
    /// Its fields.
    pub fields: Vec<Field>,
    /// The field with the cursor.
    pub focus: usize,
    /// Why the last save was refused.
    pub error: Option<Msg>,
}

/// The town popup's state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TownUi {
    /// The popup is open.
    pub open: bool,
    /// Its list shown.
    pub tab: TownTab,
    /// The selected row of that list.
    pub sel: usize,
    /// The edit form, over the popup or the fleet board.
    pub form: Option<EditForm>,
}

impl TownUi {
    /// True while the popup or a form owns the keyboard.
    pub fn modal(&self) -> bool {
        self.open || self.form.is_some()
    }
}

/// Rows in the popup's current list.
pub fn rows(m: &Model) -> usize {
    match m.town_ui.tab {
        TownTab::Villages => m.town.villages.len(),
        TownTab::Vehicles => m.town.vehicles.len(),
        TownTab::Staff => m.town.staff.len(),
        TownTab::History => m.snapshot.as_ref().map_or(0, |s| s.town_history.len()),
    }
}

/// Opens the town popup (`T`, from any screen); its change history is read from now on.
pub fn open(m: &mut Model) -> Vec<Effect> {
    m.town_ui.open = true;
    m.town_ui.sel = 0;
    m.view.town = true;
    vec![Effect::Reload(m.view)]
}

fn surge_write(m: &Model) -> Vec<Effect> {
    let on = !m.town.info.surge.on;
    vec![Effect::Write(WriteCmd::Town(TownWrite::Surge(on)), m.view)]
}

/// The Overview's key: `S` switches surge.
pub fn overview_key(m: &mut Model, k: KeyEvent) -> Option<Vec<Effect>> {
    match k.code {
        KeyCode::Char('S') => Some(surge_write(m)),
        _ => None,
    }
}

/// `e` on the fleet board: edit the selected vehicle's driver and phone.
pub fn edit_selected_vehicle(m: &mut Model) -> Vec<Effect> {
    let Some(code) = super::fleet::selected_vehicle(m).map(|v| v.code.clone()) else {
        return Vec::new();
    };
    start_edit(m, Target::Vehicle(code))
}

/// Opens the form for `target`, for a duty leader only (others are told why).
fn start_edit(m: &mut Model, target: Target) -> Vec<Effect> {
    if super::access::allowed(m, Permission::EditTown).is_err() {
        return m.say(Msg::new("town_change.ui.leaders_only"), true);
    }
    let field = |label, value: &str| Field {
        label,
        value: crate::app::input::TextInput::with_text(
            crate::app::input::Kind::Line,
            FIELD_LIMIT,
            value,
        ),
    };
    let fields = match &target {
        Target::Vehicle(code) => {
            let Some(v) = m.town.vehicles.iter().find(|v| &v.code == code) else {
                return Vec::new();
            };
            vec![
                field("town_change.ui.driver", &v.driver),
                field("town_change.ui.phone", &v.phone),
            ]
        }
        Target::Staff(name) => {
            let Some(s) = m.town.staff_member(name) else {
                return Vec::new();
            };
            vec![
                field("town_change.ui.phone", &s.phone),
                field("town_change.ui.role", s.role.as_str()),
            ]
        }
        Target::Village(code) => {
            let Some(v) = m.town.villages.iter().find(|v| &v.code == code) else {
                return Vec::new();
            };
            vec![
                field("town_change.ui.clinic_phone", &v.clinic_phone),
                field("town_change.ui.population", &v.population.to_string()),
            ]
        }
    };
    m.town_ui.form = Some(EditForm {
        target,
        fields,
        focus: 0,
        error: None,
    });
    Vec::new()
}

/// Keys while the popup or a form is open.
pub fn on_key(m: &mut Model, k: KeyEvent) -> Vec<Effect> {
    if m.town_ui.form.is_some() {
        return form_key(m, k);
    }
    let n = rows(m);
    let ui = &mut m.town_ui;
    match k.code {
        KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('T') => {
            ui.open = false;
            m.view.town = false;
            Vec::new()
        }
        KeyCode::Left | KeyCode::BackTab => {
            let i = TownTab::ALL.iter().position(|t| *t == ui.tab).unwrap_or(0);
            ui.tab = TownTab::ALL[(i + TownTab::ALL.len() - 1) % TownTab::ALL.len()];
            ui.sel = 0;
            Vec::new()
        }
        KeyCode::Right | KeyCode::Tab => {
            let i = TownTab::ALL.iter().position(|t| *t == ui.tab).unwrap_or(0);
            ui.tab = TownTab::ALL[(i + 1) % TownTab::ALL.len()];
            ui.sel = 0;
            Vec::new()
        }
        KeyCode::Up => {
            ui.sel = ui.sel.saturating_sub(1);
            Vec::new()
        }
        KeyCode::Down => {
            ui.sel = (ui.sel + 1).min(n.saturating_sub(1));
            Vec::new()
        }
        KeyCode::PageUp => {
            ui.sel = ui.sel.saturating_sub(10);
            Vec::new()
        }
        KeyCode::PageDown => {
            ui.sel = (ui.sel + 10).min(n.saturating_sub(1));
            Vec::new()
        }
        KeyCode::Char('S') => surge_write(m),
        KeyCode::Char('e') | KeyCode::Enter => {
            let sel = ui.sel;
            let target = match ui.tab {
                TownTab::Villages => m
                    .town
                    .villages
                    .get(sel)
                    .map(|v| Target::Village(v.code.clone())),
                TownTab::Vehicles => m
                    .town
                    .vehicles
                    .get(sel)
                    .map(|v| Target::Vehicle(v.code.clone())),
                TownTab::Staff => m.town.staff.get(sel).map(|s| Target::Staff(s.name.clone())),
                TownTab::History => None,
            };
            match target {
                Some(t) => start_edit(m, t),
                None => Vec::new(),
            }
        }
        _ => Vec::new(),
    }
}

fn form_key(m: &mut Model, k: KeyEvent) -> Vec<Effect> {
    let Some(form) = m.town_ui.form.as_mut() else {
        return Vec::new();
    };
    let n = form.fields.len();
    match k.code {
        KeyCode::Esc => {
            m.town_ui.form = None;
            m.dirty = false;
            Vec::new()
        }
        KeyCode::Tab | KeyCode::Down => {
            form.focus = (form.focus + 1) % n;
            Vec::new()
        }
        KeyCode::BackTab | KeyCode::Up => {
            form.focus = (form.focus + n - 1) % n;
            Vec::new()
        }
        _ if form.fields[form.focus].value.key(k) != crate::app::input::Edited::NotMine => {
            m.dirty = true;
            Vec::new()
        }
        KeyCode::Enter => match write_of(form) {
            Ok(w) => {
                m.town_ui.form = None;
                m.dirty = false;
                vec![Effect::Write(WriteCmd::Town(w), m.view)]
            }
            Err(msg) => {
                form.error = Some(msg);
                vec![Effect::Bell]
            }
        },
        _ => Vec::new(),
    }
}

/// The form's write, or why it cannot be one (a number that is not one, a role unknown).
fn write_of(form: &EditForm) -> Result<TownWrite, Msg> {
    let value = |i: usize| {
        form.fields
            .get(i)
            .map(|f| {
                crate::domain::text::entry(f.value.text())
                    .trim()
                    .to_string()
            })
            .unwrap_or_default()
    };
    Ok(match &form.target {
        Target::Vehicle(code) => TownWrite::Vehicle {
            code: code.clone(),
            driver: value(0),
            phone: value(1),
        },
        Target::Staff(name) => TownWrite::Staff {
            name: name.clone(),
            phone: value(0),
            role: Role::parse(&value(1)).ok_or_else(|| {
                let roles: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
                Msg::new("town_change.ui.bad_role").list("roles", &roles)
            })?,
        },
        Target::Village(code) => TownWrite::Village {
            code: code.clone(),
            clinic_phone: value(0),
            population: value(1).parse().map_err(|_| {
                Msg::new("town_change.ui.bad_number").label("field", "town_change.ui.population")
            })?,
        },
    })
}

/// The edit applied to the town file as it stands.
fn change_file(w: &TownWrite, f: &mut TownFile) -> Result<(), Msg> {
    match w {
        TownWrite::Surge(_) => Ok(()),
        TownWrite::Vehicle {
            code,
            driver,
            phone,
        } => {
            let v = f
                .vehicles
                .iter_mut()
                .find(|v| &v.code == code)
                .ok_or_else(|| Msg::new("town_change.err.no_vehicle").arg("code", code))?;
            v.driver = driver.clone();
            v.phone = phone.clone();
            Ok(())
        }
        TownWrite::Staff { name, phone, role } => {
            let s = f
                .staff
                .iter_mut()
                .find(|s| &s.name == name)
                .ok_or_else(|| Msg::new("town_change.err.no_staff").arg("name", name))?;
            s.phone = phone.clone();
            s.role = *role;
            Ok(())
        }
        TownWrite::Village {
            code,
            clinic_phone,
            population,
        } => {
            let v = f
                .villages
                .iter_mut()
                .find(|v| &v.code == code)
                .ok_or_else(|| Msg::new("town_change.err.no_village").arg("code", code))?;
            v.clinic_phone = clinic_phone.clone();
            v.population = *population;
            Ok(())
        }
    }
}

/// Makes a town write on the store thread; says what came of it.
pub fn apply(store: &mut Store, ctx: &Ctx, w: TownWrite) -> Result<Msg, Msg> {
    if let TownWrite::Surge(on) = w {
        store
            .write_or_rollback(ctx, |wr| {
                let changed = crate::store::town::set_surge(wr, on)?;
                Ok((changed, changed))
            })
            .map_err(Msg::from)?;
        let info = crate::store::town::load(store.conn())
            .map_err(Msg::from)?
            .info;
        return Ok(Msg::new(if on {
            "town_change.out.surge_on"
        } else {
            "town_change.out.surge_off"
        })
        .arg("percent", info.stock_threshold_in_effect())
        .arg("critical", info.critical_wait_in_effect())
        .arg("severe", info.severe_wait_in_effect()));
    }
    let n = store
        .write_or_rollback(ctx, |wr| {
            let changes = crate::store::town::edit(wr, |f| change_file(&w, f))?;
            Ok((changes.len(), !changes.is_empty()))
        })
        .map_err(Msg::from)?;
    Ok(if n == 0 {
        Msg::new("town_change.ui.unchanged")
    } else {
        Msg::new("town_change.ui.saved").arg("n", n)
    })
}

/// True on the screens where `e` edits a vehicle (the fleet board with the focus on it).
pub fn fleet_edit_key(m: &Model, k: &KeyEvent) -> bool {
    m.screen == Screen::Fleet
        && k.code == KeyCode::Char('e')
        && m.fleet.focus == super::fleet::Focus::Board
        && !m.fleet.modal()
}
