//! Accounts, roles and what each role may do.
//!
//! The rules here are pure: who a principal is (public, or an account with its grants) and
//! whether it may do something to an object of a given municipality. The web layer asks these
//! questions for every route and every object, for pages and API alike.

use crate::municipality::MunicipalityId;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::fmt;
use std::sync::LazyLock;

/// A login name: 3 to 64 characters of lower-case letters, digits, `.`, `_`, `-` and `@`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Username(String);

impl Username {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let s = raw.trim().to_lowercase();
        let ok_chars = s
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-@".contains(c));
        if s.is_empty() {
            Err("error-required")
        } else if s.chars().count() < 3 || s.chars().count() > 64 || !ok_chars {
            Err("error-username-invalid")
        } else {
            Ok(Self(s))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Shortest password accepted (NIST SP 800-63B asks at least 8; we ask 12, without composition
/// rules).
pub const MIN_PASSWORD: usize = 12;
/// Longest password accepted: long passphrases are welcome, unbounded input to a hash is not.
pub const MAX_PASSWORD: usize = 1024;

static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../data/common-passwords.txt")
        .lines()
        .collect()
});

/// A password that may be set: long enough, not too long, not common, not the user name.
/// It is never stored or shown; only its hash is.
pub struct NewPassword(String);

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

impl NewPassword {
    pub fn parse(raw: &str, username: &Username) -> Result<Self, &'static str> {
        let n = raw.chars().count();
        if n < MIN_PASSWORD {
            return Err("error-password-too-short");
        }
        if n > MAX_PASSWORD {
            return Err("error-password-too-long");
        }
        let lower = raw.to_lowercase();
        // "password1234!" is "password" with a suffix people add to pass length rules.
        let stem = lower.trim_end_matches(|c: char| c.is_ascii_digit() || c.is_ascii_punctuation());
        if COMMON.contains(lower.as_str()) || (stem.chars().count() >= 4 && COMMON.contains(stem)) {
            return Err("error-password-common");
        }
        if lower.contains(username.as_str()) {
            return Err("error-password-contains-username");
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// What is stored in place of a session or access token: its SHA-256, as hex. Tokens are 256
/// random bits, so a fast hash is enough (no salt or stretching needed, unlike passwords).
pub fn token_digest(token: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The roles of the product. Each grant of a scoped role names what it is scoped to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Everything.
    Administrator,
    /// The register, decisions and money of one municipality.
    MunicipalOfficial,
    /// One foundation, its working groups, their money and people.
    FoundationBoard,
    /// One working group's activities, people and money.
    WorkingGroupMember,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Administrator,
        Role::MunicipalOfficial,
        Role::FoundationBoard,
        Role::WorkingGroupMember,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            Role::Administrator => "administrator",
            Role::MunicipalOfficial => "municipal-official",
            Role::FoundationBoard => "foundation-board",
            Role::WorkingGroupMember => "working-group-member",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == raw.trim())
            .ok_or("error-choice-invalid")
    }

    /// Whether a grant of this role must name what it is scoped to.
    pub fn is_scoped(&self) -> bool {
        !matches!(self, Role::Administrator)
    }

    /// Roles whose holders must use a second factor (when not in demo mode).
    pub fn needs_second_factor(&self) -> bool {
        matches!(self, Role::Administrator | Role::MunicipalOfficial)
    }
}

/// A role, with the id of the municipality, foundation or working group it is scoped to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Grant {
    pub role: Role,
    pub scope: Option<String>,
}

/// A stored account (never with its password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Account {
    pub id: String,
    pub username: Username,
    pub disabled: bool,
    pub grants: Vec<Grant>,
}

impl Account {
    pub fn principal(&self) -> Principal {
        Principal::Account {
            id: self.id.clone(),
            username: self.username.clone(),
            grants: self.grants.clone(),
        }
    }
}

impl Grant {
    /// Parses a grant as written on the command line: `administrator`, or `ROLE:SCOPE`
    /// (`municipal-official:<municipality id>`). The scope is resolved by the caller.
    pub fn parse(raw: &str) -> Result<(Role, Option<String>), &'static str> {
        let (role, scope) = match raw.split_once(':') {
            Some((r, s)) => (r, Some(s.trim().to_owned()).filter(|s| !s.is_empty())),
            None => (raw, None),
        };
        let role = Role::parse(role)?;
        match (role.is_scoped(), &scope) {
            (true, None) => Err("error-grant-scope-required"),
            (false, Some(_)) => Err("error-grant-scope-not-allowed"),
            _ => Ok((role, scope)),
        }
    }
}

/// Who is asking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// Nobody logged in: the public pages and the public API.
    Public,
    /// A logged-in account with its grants.
    Account {
        id: String,
        username: Username,
        grants: Vec<Grant>,
    },
    /// The program itself (demo data, administration commands run by the operator).
    System,
}

impl Principal {
    pub fn is_admin(&self) -> bool {
        matches!(self, Principal::System) || self.has(Role::Administrator, None)
    }

    fn has(&self, role: Role, scope: Option<&str>) -> bool {
        match self {
            Principal::Public | Principal::System => false,
            Principal::Account { grants, .. } => grants
                .iter()
                .any(|g| g.role == role && (scope.is_none() || g.scope.as_deref() == scope)),
        }
    }

    /// An official of this municipality (or an administrator).
    fn official_of(&self, municipality: &MunicipalityId) -> bool {
        self.is_admin() || self.has(Role::MunicipalOfficial, Some(&municipality.0))
    }

    /// On the board of this foundation (or an administrator).
    fn board_of(&self, foundation: &str) -> bool {
        self.is_admin() || self.has(Role::FoundationBoard, Some(foundation))
    }

    pub fn is_logged_in(&self) -> bool {
        matches!(self, Principal::Account { .. })
    }

    pub fn account_id(&self) -> Option<&str> {
        match self {
            Principal::Account { id, .. } => Some(id),
            _ => None,
        }
    }

    pub fn username(&self) -> Option<&Username> {
        match self {
            Principal::Account { username, .. } => Some(username),
            _ => None,
        }
    }

    /// The name written in the audit log.
    pub fn actor(&self) -> Option<String> {
        match self {
            Principal::Public => None,
            Principal::Account { username, .. } => Some(username.to_string()),
            Principal::System => Some("system".to_owned()),
        }
    }
}

/// What can be done in the register, with the municipality whose business it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Read the public register: everyone.
    ReadRegister,
    /// Add a municipality or region to the register (a partner town, a new home).
    CreateMunicipality,
    /// Use the register's write forms at all (register a partnership, record a merger); the
    /// municipality concerned is checked again with the specific action.
    WriteRegister,
    /// Change a municipality's data.
    EditMunicipality(MunicipalityId),
    /// Record a merger into a municipality.
    RecordMerger(MunicipalityId),
    /// Register, change or add history to a partnership held by this municipality.
    EditPartnership(MunicipalityId),
    /// Read the audit trail of objects of this municipality (`None`: of anything).
    ReadAudit(Option<MunicipalityId>),
    /// Manage accounts.
    ManageAccounts,
    /// Import a list of twinnings into the world register.
    ImportWorld,
    /// Register a foundation working in this municipality.
    CreateFoundation(MunicipalityId),
    /// Change a foundation: its data, its board, its working groups.
    ManageFoundation { foundation: String },
    /// Change a working group: its data, its members and partner contacts.
    EditWorkingGroup { foundation: String, group: String },
    /// See the names and roles of a foundation's people. `municipality` is the one the
    /// foundation works in; `groups` are the foundation's working groups.
    ReadPeople {
        foundation: String,
        municipality: MunicipalityId,
        groups: Vec<String>,
    },
    /// See and change a person's contact details and lawful basis, record or withdraw consent.
    /// `groups` are the working groups the person has a role in (or, for a new person, those of
    /// the foundation).
    EditPerson {
        foundation: String,
        groups: Vec<String>,
    },
    /// Answer a data-subject request: export or erase a person's data.
    HandleDataRequest { foundation: String },
    /// Plan or change an activity of a partnership held by `municipality`, organised by a
    /// working group (`group`: foundation id and group id) or by the municipality (`None`).
    EditActivity {
        municipality: MunicipalityId,
        group: Option<(String, String)>,
    },
    /// Accept, decline, schedule and record receptions by the mayor and aldermen.
    ManageReceptions(MunicipalityId),
    /// See an activity that is not public: those with a right on its partnership or its
    /// organiser, that is the officials of `municipality` (which holds the partnership), and the
    /// board and members of the working groups in `groups` (foundation id and group id: the
    /// organising group and the groups that carry the partnership).
    ReadActivity {
        municipality: MunicipalityId,
        groups: Vec<(String, String)>,
    },
    /// Record subsidies of a municipality, their life-cycle steps and phase-out schedules.
    ManageSubsidies(MunicipalityId),
    /// Record evaluations of a municipality's twinnings and what became of their
    /// recommendations (everyone reads them).
    ManageEvaluations(MunicipalityId),
    /// Record a municipality's council decisions and their rules, its policy scenarios, adopt
    /// one, and end its partnerships; read its decisions that were not adopted.
    ManageDecisions(MunicipalityId),
    /// Read a subsidy's file (its steps and documents): the municipality's officials and the
    /// receiving foundation's board.
    ReadSubsidy {
        municipality: MunicipalityId,
        foundation: String,
    },
    /// Record income and expenses in a foundation's ledgers (its board, treasurer included).
    ManageMoney { foundation: String },
    /// Read a working group's ledger: the foundation's board, the group's members and the
    /// officials of the municipality.
    ReadLedger {
        foundation: String,
        municipality: MunicipalityId,
        group: String,
    },
}

/// The one rule of who may do what. Refusals are not errors here: the caller decides whether a
/// refusal is a 401 (public: log in first), a 403 or, for objects one may not know of, a 404.
pub fn may(p: &Principal, action: &Action) -> bool {
    match action {
        Action::ReadRegister => true,
        Action::CreateMunicipality | Action::WriteRegister => {
            p.is_admin() || p.has(Role::MunicipalOfficial, None)
        }
        Action::EditMunicipality(m) | Action::RecordMerger(m) | Action::EditPartnership(m) => {
            p.official_of(m)
        }
        Action::ReadAudit(Some(m)) => p.official_of(m),
        Action::ReadAudit(None) | Action::ManageAccounts | Action::ImportWorld => p.is_admin(),
        Action::CreateFoundation(m) => p.official_of(m),
        Action::ManageFoundation { foundation } | Action::HandleDataRequest { foundation } => {
            p.board_of(foundation)
        }
        Action::EditWorkingGroup { foundation, group } => {
            p.board_of(foundation) || p.has(Role::WorkingGroupMember, Some(group))
        }
        Action::ReadPeople {
            foundation,
            municipality,
            groups,
        } => {
            p.board_of(foundation)
                || p.official_of(municipality)
                || groups
                    .iter()
                    .any(|g| p.has(Role::WorkingGroupMember, Some(g)))
        }
        Action::EditActivity {
            municipality,
            group,
        } => match group {
            Some((foundation, group)) => {
                p.board_of(foundation) || p.has(Role::WorkingGroupMember, Some(group))
            }
            None => p.official_of(municipality),
        },
        Action::ManageReceptions(m)
        | Action::ManageSubsidies(m)
        | Action::ManageEvaluations(m)
        | Action::ManageDecisions(m) => p.official_of(m),
        Action::ReadActivity {
            municipality,
            groups,
        } => {
            p.official_of(municipality)
                || groups.iter().any(|(foundation, group)| {
                    p.board_of(foundation) || p.has(Role::WorkingGroupMember, Some(group))
                })
        }
        Action::ReadSubsidy {
            municipality,
            foundation,
        } => p.official_of(municipality) || p.board_of(foundation),
        Action::ManageMoney { foundation } => p.board_of(foundation),
        Action::ReadLedger {
            foundation,
            municipality,
            group,
        } => {
            p.board_of(foundation)
                || p.official_of(municipality)
                || p.has(Role::WorkingGroupMember, Some(group))
        }
        Action::EditPerson { foundation, groups } => {
            p.board_of(foundation)
                || groups
                    .iter()
                    .any(|g| p.has(Role::WorkingGroupMember, Some(g)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user() -> Username {
        Username::parse("Ambtenaar").unwrap()
    }

    #[test]
    fn usernames_are_lower_case_and_plain() {
        assert_eq!(user().as_str(), "ambtenaar");
        assert_eq!(Username::parse("a b c"), Err("error-username-invalid"));
        assert_eq!(Username::parse("ab"), Err("error-username-invalid"));
        assert_eq!(Username::parse(""), Err("error-required"));
    }

    #[test]
    fn passwords_are_long_uncommon_and_any_characters() {
        assert_eq!(
            NewPassword::parse("kort", &user()).unwrap_err(),
            "error-password-too-short"
        );
        assert_eq!(
            NewPassword::parse(&"x".repeat(1025), &user()).unwrap_err(),
            "error-password-too-long"
        );
        assert!(
            NewPassword::parse(&"é".repeat(128), &user()).is_ok(),
            "128 characters must be allowed"
        );
        assert_eq!(
            NewPassword::parse("1qaz2wsx3edc", &user()).unwrap_err(),
            "error-password-common"
        );
        assert_eq!(
            NewPassword::parse("Password1234!", &user()).unwrap_err(),
            "error-password-common"
        );
        assert_eq!(
            NewPassword::parse("ambtenaar-2026!", &user()).unwrap_err(),
            "error-password-contains-username"
        );
        // No composition rules: a long lower-case passphrase is fine.
        assert!(NewPassword::parse("kerstboom uit hranice", &user()).is_ok());
        assert_eq!(
            format!(
                "{:?}",
                NewPassword::parse("kerstboom uit hranice", &user()).unwrap()
            ),
            "NewPassword(***)"
        );
    }

    fn account(grants: Vec<Grant>) -> Principal {
        Principal::Account {
            id: "a".into(),
            username: user(),
            grants,
        }
    }

    #[test]
    fn officials_edit_only_their_own_municipality() {
        let lv = MunicipalityId("lv".into());
        let other = MunicipalityId("other".into());
        let official = account(vec![Grant {
            role: Role::MunicipalOfficial,
            scope: Some("lv".into()),
        }]);
        assert!(may(&official, &Action::EditPartnership(lv.clone())));
        assert!(may(&official, &Action::CreateMunicipality));
        assert!(!may(&official, &Action::EditPartnership(other.clone())));
        assert!(!may(&official, &Action::ManageAccounts));
        let admin = account(vec![Grant {
            role: Role::Administrator,
            scope: None,
        }]);
        assert!(may(&admin, &Action::EditMunicipality(other.clone())));
        let member = account(vec![Grant {
            role: Role::WorkingGroupMember,
            scope: Some("wg".into()),
        }]);
        assert!(!may(&member, &Action::EditPartnership(lv.clone())));
        assert!(!may(&Principal::Public, &Action::CreateMunicipality));
        assert!(may(&Principal::Public, &Action::ReadRegister));
    }

    #[test]
    fn evaluations_are_recorded_by_the_municipalitys_officials() {
        let lv = MunicipalityId("lv".into());
        let g = |role, scope: Option<&str>| {
            account(vec![Grant {
                role,
                scope: scope.map(str::to_owned),
            }])
        };
        let action = Action::ManageEvaluations(lv);
        assert!(may(&g(Role::MunicipalOfficial, Some("lv")), &action));
        assert!(may(&g(Role::Administrator, None), &action));
        assert!(may(&Principal::System, &action));
        assert!(!may(&g(Role::MunicipalOfficial, Some("dh")), &action));
        assert!(!may(&g(Role::FoundationBoard, Some("stichting")), &action));
        assert!(!may(
            &g(Role::WorkingGroupMember, Some("wg-hranice")),
            &action
        ));
        assert!(!may(&Principal::Public, &action));
    }

    #[test]
    fn working_group_members_edit_only_their_own_group() {
        let g = |role, scope: &str| Grant {
            role,
            scope: Some(scope.into()),
        };
        let member = account(vec![g(Role::WorkingGroupMember, "wg-hranice")]);
        let board = account(vec![g(Role::FoundationBoard, "stichting")]);
        let official = account(vec![g(Role::MunicipalOfficial, "lv")]);
        let edit = |group: &str| Action::EditWorkingGroup {
            foundation: "stichting".into(),
            group: group.into(),
        };
        assert!(may(&member, &edit("wg-hranice")));
        assert!(!may(&member, &edit("wg-temecula")));
        assert!(may(&board, &edit("wg-temecula")));
        assert!(!may(&official, &edit("wg-hranice")));
        let manage = Action::ManageFoundation {
            foundation: "stichting".into(),
        };
        assert!(may(&board, &manage) && !may(&member, &manage) && !may(&official, &manage));
        let read = Action::ReadPeople {
            foundation: "stichting".into(),
            municipality: MunicipalityId("lv".into()),
            groups: vec!["wg-hranice".into(), "wg-temecula".into()],
        };
        assert!(may(&member, &read) && may(&board, &read) && may(&official, &read));
        assert!(!may(&Principal::Public, &read));
        let person_of = |groups: &[&str]| Action::EditPerson {
            foundation: "stichting".into(),
            groups: groups.iter().map(|s| (*s).to_owned()).collect(),
        };
        assert!(may(&member, &person_of(&["wg-hranice"])));
        assert!(!may(&member, &person_of(&["wg-temecula"])));
        assert!(!may(&official, &person_of(&["wg-hranice"])));
        let request = Action::HandleDataRequest {
            foundation: "stichting".into(),
        };
        assert!(may(&board, &request) && !may(&member, &request));
    }

    #[test]
    fn internal_activities_are_read_by_those_with_a_right_on_them() {
        let g = |role, scope: &str| Grant {
            role,
            scope: Some(scope.into()),
        };
        let read = Action::ReadActivity {
            municipality: MunicipalityId("lv".into()),
            groups: vec![("stichting".into(), "wg-hranice".into())],
        };
        assert!(may(
            &account(vec![g(Role::WorkingGroupMember, "wg-hranice")]),
            &read
        ));
        assert!(may(
            &account(vec![g(Role::FoundationBoard, "stichting")]),
            &read
        ));
        assert!(may(&account(vec![g(Role::MunicipalOfficial, "lv")]), &read));
        assert!(!may(
            &account(vec![g(Role::WorkingGroupMember, "wg-temecula")]),
            &read
        ));
        assert!(!may(
            &account(vec![g(Role::FoundationBoard, "andere")]),
            &read
        ));
        assert!(!may(
            &account(vec![g(Role::MunicipalOfficial, "dh")]),
            &read
        ));
        assert!(!may(&account(vec![]), &read));
        assert!(!may(&Principal::Public, &read));
    }
}
