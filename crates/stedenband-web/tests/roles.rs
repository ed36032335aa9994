//! Who may do what, route by route: every route of the program against every role, as a table
//! of expected answers ([`TABLE`]) run against the real server on SQLite and PostgreSQL (with
//! `http_tests!`, as in http.rs), with the demo data, Den Haag and its partnership with
//! Temecula.
//!
//! The rules the table spells out:
//! - Reading the register is for everyone, logged in or not.
//! - Forms and writes are for administrators and for the officials of the municipality whose
//!   business it is (a predecessor's business is its successor's: Voorburg's is
//!   Leidschendam-Voorburg's). Any official may add a municipality. Recording a merger changes
//!   the predecessors too (their partnerships pass to the successor), so a municipality with
//!   officials of its own may not be merged away by another municipality's official.
//! - Foundation boards and working-group members have no rights over the register: they read,
//!   and every register write and form is 403.
//! - A foundation is registered by the officials of its municipality; its board changes it, its
//!   board seats and its working groups, and answers data-subject requests (export, erasure,
//!   consent withdrawal,
//!   the member list). A working-group member changes only their own group (its data and roles)
//!   and the people in it. Names of the foundation's people are read by its board, its groups'
//!   members and the municipality's officials; the public sees the foundation, its groups and
//!   the roles, never a name.
//! - An activity that is not public is read by those with a right on its partnership or
//!   organiser: the municipality's officials, the foundation's board, the members of the
//!   organising group (and of groups carrying the partnership); for anyone else, the public
//!   included, it does not exist (404).
//! - The public is sent to the login form by pages (303, `next` = the address asked for) and gets
//!   401 from the API; a logged-in role without the right gets 403; the audit trail is for those
//!   who may change the object.
//!
//! The server runs as `serve --demo` runs it (and as http.rs's `App::start`): the second factor
//! offered, not required, so a password login is a full session and the table is about roles
//! alone; the second factor's own steps are tested in http.rs.
//!
//! `every_route_has_a_row_and_every_row_a_route` reads the route table (`src/lib.rs`,
//! `src/api/mod.rs`) and the OpenAPI document: a route without a row, or a row without a route,
//! fails. `the_public_sees_nothing_personal` fetches every page and API resource the public may
//! read and looks for user names, secrets and account fields.

use reqwest::header::{CONTENT_TYPE, COOKIE, LOCATION, SET_COOKIE};
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};
use stedenband_app::organisation::BodyKey;
use stedenband_domain::totp;
use stedenband_store::Db;
use stedenband_store::testing::TestDb;
use stedenband_web::{AppState, Server};

// ---- roles -------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Public,
    Admin,
    /// A municipal official of Leidschendam-Voorburg.
    OfficialLv,
    /// A municipal official of Den Haag: another municipality.
    OfficialDh,
    /// The board of a foundation.
    Board,
    /// A member of the Hranice working group.
    Member,
    /// A member of another working group (Temecula's).
    OtherMember,
}

/// The columns of the table, in this order.
const ROLES: [Role; 7] = [
    Role::Public,
    Role::Admin,
    Role::OfficialLv,
    Role::OfficialDh,
    Role::Board,
    Role::Member,
    Role::OtherMember,
];

const PASSWORD: &str = "kerstboom uit hranice";

/// The demo foundation's slug.
const STICHTING: &str = "stichting-stedenbanden-leidschendam-voorburg";

impl Role {
    /// The account's user name and grant; the public has none.
    fn account(self) -> Option<(&'static str, &'static str)> {
        Some(match self {
            Role::Public => return None,
            Role::Admin => ("rt-beheerder", "administrator"),
            Role::OfficialLv => (
                "rt-ambtenaar-lv",
                "municipal-official:leidschendam-voorburg",
            ),
            Role::OfficialDh => ("rt-ambtenaar-dh", "municipal-official:den-haag"),
            Role::Board => (
                "rt-bestuur",
                "foundation-board:stichting-stedenbanden-leidschendam-voorburg",
            ),
            Role::Member => ("rt-werkgroep-hr", "working-group-member:werkgroep-hranice"),
            Role::OtherMember => ("rt-werkgroep-tm", "working-group-member:werkgroep-temecula"),
        })
    }

    fn label(self) -> &'static str {
        match self {
            Role::Public => "public",
            Role::Admin => "administrator",
            Role::OfficialLv => "official of Leidschendam-Voorburg",
            Role::OfficialDh => "official of Den Haag",
            Role::Board => "foundation board",
            Role::Member => "working-group member (Hranice)",
            Role::OtherMember => "working-group member (Temecula)",
        }
    }
}

// ---- the table ---------------------------------------------------------------------------------

/// An expected answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// This status; for 303, a redirect to a page of the same kind as the address asked for
    /// (`/municipalities/…`, `/partnerships/…`): a page write that was carried out.
    S(u16),
    /// 303 to the login form, with `next` back to the address asked for.
    Login,
    /// 303 to exactly this address.
    To(&'static str),
}

const OK: Expect = Expect::S(200);
const CREATED: Expect = Expect::S(201);
/// A form post that was carried out: 303 to what changed.
const DONE: Expect = Expect::S(303);
const UNAUTH: Expect = Expect::S(401);
const NO: Expect = Expect::S(403);
const GONE: Expect = Expect::S(404);
/// Done, nothing to send back (DELETE).
const EMPTY: Expect = Expect::S(204);
const LOGIN: Expect = Expect::Login;
/// Refused input: the form again with the error next to the field, or a problem.
const INVALID: Expect = Expect::S(422);

/// What a row's path parameters and body are about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Obj {
    /// Nothing to fill in (a new municipality where one is made).
    Plain,
    /// As `Lv`, but the form goes without its CSRF token (for the login form: without the login
    /// cookie either).
    NoCsrf,
    /// Leidschendam-Voorburg (slug), its partnership with Hranice (id); a merger into it of a
    /// new municipality of nobody's (as Voorburg was before 2002); a new partnership of its own.
    Lv,
    /// Den Haag and its partnership with Temecula; the same for mergers and new partnerships.
    Dh,
    /// Voorburg: merged into Leidschendam-Voorburg, so its officials hold it.
    Voorburg,
    /// Hranice: a partner town, nobody's municipality but the administrators'.
    Hranice,
    /// A new partnership of Leidschendam-Voorburg (one per request), moved to Den Haag.
    MoveToDh,
    /// A merger into Leidschendam-Voorburg of a new municipality that has an official and a
    /// partnership of its own (one per request): another municipality's business.
    LvAbsorbsOther,
    /// The caller's own access token (not the one it uses for the API).
    OwnToken,
    /// An access token of another account.
    OtherToken,
    /// A new account of the role (one per request), so that setting up or removing a second
    /// factor leaves the role's own account as it was.
    FreshAccount,
    /// The demo foundation, Stichting Stedenbanden Leidschendam-Voorburg (the board's).
    Stichting,
    /// The Hranice working group (the working-group member's own).
    GroupHr,
    /// The Temecula working group (the other member's).
    GroupTm,
    /// Sanne de Wit, a member of the Hranice working group.
    PersonHr,
    /// A new person on consent with a role in the Hranice group (one per request), for
    /// withdrawing consent and erasure.
    FreshPersonHr,
    /// A new person with a role in the Temecula group only (one per request); on a working
    /// group's roles: such a person placed in the Hranice group.
    FreshPersonTm,
    /// A new role in the Hranice group (one per request), to end.
    RoleHr,
    /// A public activity of the Hranice partnership organised by Werkgroep Hranice.
    ActHr,
    /// An activity of the Temecula partnership organised by Werkgroep Temecula.
    ActTm,
    /// An activity of the Hranice partnership organised by the municipality.
    ActMun,
    /// A new activity of the Hranice partnership organised by Werkgroep Hranice that is not
    /// public (one per request).
    ActInternal,
    /// A new incoming Hranice activity (one per request), to ask a reception for.
    FreshIncomingHr,
    /// A new incoming Hranice activity with a reception requested (one per request).
    ReceptionHr,
    /// A new seat on the foundation's board (one per request), to end.
    RoleBoard,
    /// A new guest on the list of `ActHr` (one per request), to take off it.
    ParticipantHr,
    /// A new adopted decision of Leidschendam-Voorburg without rules (one per request).
    DecisionLv,
    /// A new proposed decision of Leidschendam-Voorburg (one per request): the officials' only.
    ProposalLv,
    /// A new scenario of Leidschendam-Voorburg without changes (one per request; two for a
    /// comparison).
    ScenarioLv,
    /// A new scenario without changes of a new municipality merged into Leidschendam-Voorburg
    /// (one per request): a municipality adopts one of its options only, so each adoption needs
    /// a municipality of its own.
    ScenarioMerged,
    /// A new partnership of Leidschendam-Voorburg whose ending has come this far (one per
    /// request): 0 not started, 1 decided, 2 letter sent, 3 partner notified.
    EndingLv(u8),
}

struct Row {
    method: &'static str,
    /// As written in the route table or the OpenAPI document.
    route: &'static str,
    obj: Obj,
    /// One answer per role, in the order of [`ROLES`].
    expect: [Expect; 7],
}

const fn row(method: &'static str, route: &'static str, obj: Obj, expect: [Expect; 7]) -> Row {
    Row {
        method,
        route,
        obj,
        expect,
    }
}

use Expect::To;
use Obj::*;

/// Every route × every role. Columns: public, administrator, official of L-V, official of Den
/// Haag, foundation board, working-group member, member of another working group.
#[rustfmt::skip]
const TABLE: &[Row] = &[
    // ---- pages: the start, language, login and account -----------------------------------------
    row("GET",  "/",                                  Plain,      [OK; 7]),
    row("GET",  "/language",                          Plain,      [To("/partnerships"); 7]),
    row("GET",  "/login",                             Plain,      [OK, To("/"), To("/"), To("/"), To("/"), To("/"), To("/")]),
    row("POST", "/login",                             Plain,      [To("/account"); 7]),
    row("POST", "/login",                             NoCsrf,     [NO; 7]),
    row("GET",  "/login/second-factor",               Plain,      [To("/login"), To("/"), To("/"), To("/"), To("/"), To("/"), To("/")]),
    row("POST", "/login/second-factor",               Plain,      [To("/login"); 7]),
    row("POST", "/login/second-factor",               NoCsrf,     [To("/login"), NO, NO, NO, NO, NO, NO]),
    row("POST", "/logout",                            Plain,      [To("/"); 7]),
    row("POST", "/logout",                            NoCsrf,     [To("/"), NO, NO, NO, NO, NO, NO]),
    row("GET",  "/account",                           Plain,      [LOGIN, OK, OK, OK, OK, OK, OK]),
    row("POST", "/account/tokens",                    Plain,      [LOGIN, OK, OK, OK, OK, OK, OK]),
    row("POST", "/account/tokens",                    NoCsrf,     [LOGIN, NO, NO, NO, NO, NO, NO]),
    row("POST", "/account/tokens/{id}/revoke",        OwnToken,   [LOGIN, To("/account"), To("/account"), To("/account"), To("/account"), To("/account"), To("/account")]),
    row("POST", "/account/tokens/{id}/revoke",        OtherToken, [LOGIN, GONE, GONE, GONE, GONE, GONE, GONE]),
    row("POST", "/account/tokens/{id}/revoke",        NoCsrf,     [LOGIN, NO, NO, NO, NO, NO, NO]),
    row("GET",  "/account/second-factor",             Plain,      [LOGIN, OK, OK, OK, OK, OK, OK]),
    row("POST", "/account/second-factor",             FreshAccount, [To("/login?next=/account"), OK, OK, OK, OK, OK, OK]),
    row("POST", "/account/second-factor",             NoCsrf,     [To("/login?next=/account"), NO, NO, NO, NO, NO, NO]),
    row("POST", "/account/second-factor/remove",      FreshAccount, [To("/login?next=/account"), To("/account"), To("/account"), To("/account"), To("/account"), To("/account"), To("/account")]),
    row("POST", "/account/second-factor/remove",      NoCsrf,     [To("/login?next=/account"), NO, NO, NO, NO, NO, NO]),
    // ---- pages: municipalities ---------------------------------------------------------------
    row("GET",  "/municipalities",                    Plain,      [OK; 7]),
    row("POST", "/municipalities",                    Plain,      [LOGIN, DONE, DONE, DONE, NO, NO, NO]),
    row("POST", "/municipalities",                    NoCsrf,     [LOGIN, NO, NO, NO, NO, NO, NO]),
    row("GET",  "/municipalities/new",                Plain,      [LOGIN, OK, OK, OK, NO, NO, NO]),
    row("GET",  "/municipalities/{slug}",             Lv,         [OK; 7]),
    row("GET",  "/municipalities/{slug}",             Dh,         [OK; 7]),
    row("POST", "/municipalities/{slug}",             Lv,         [LOGIN, DONE, DONE, NO, NO, NO, NO]),
    row("POST", "/municipalities/{slug}",             Voorburg,   [LOGIN, DONE, DONE, NO, NO, NO, NO]),
    row("POST", "/municipalities/{slug}",             Dh,         [LOGIN, DONE, NO, DONE, NO, NO, NO]),
    row("POST", "/municipalities/{slug}",             Hranice,    [LOGIN, DONE, NO, NO, NO, NO, NO]),
    row("POST", "/municipalities/{slug}",             NoCsrf,     [LOGIN, NO, NO, NO, NO, NO, NO]),
    row("GET",  "/municipalities/{slug}/edit",        Lv,         [LOGIN, OK, OK, NO, NO, NO, NO]),
    row("GET",  "/municipalities/{slug}/edit",        Voorburg,   [LOGIN, OK, OK, NO, NO, NO, NO]),
    row("GET",  "/municipalities/{slug}/edit",        Dh,         [LOGIN, OK, NO, OK, NO, NO, NO]),
    row("GET",  "/municipalities/{slug}/edit",        Hranice,    [LOGIN, OK, NO, NO, NO, NO, NO]),
    row("GET",  "/municipalities/{slug}/merger",      Lv,         [LOGIN, OK, OK, NO, NO, NO, NO]),
    row("GET",  "/municipalities/{slug}/merger",      Dh,         [LOGIN, OK, NO, OK, NO, NO, NO]),
    row("POST", "/municipalities/{slug}/merger",      Lv,         [LOGIN, DONE, NO, NO, NO, NO, NO]),
    row("POST", "/municipalities/{slug}/merger",      Dh,         [LOGIN, DONE, NO, NO, NO, NO, NO]),
    row("POST", "/municipalities/{slug}/merger",      LvAbsorbsOther, [LOGIN, DONE, NO, NO, NO, NO, NO]),
    row("POST", "/municipalities/{slug}/merger",      NoCsrf,     [LOGIN, NO, NO, NO, NO, NO, NO]),
    row("GET",  "/municipalities/{slug}/audit",       Lv,         [LOGIN, OK, OK, NO, NO, NO, NO]),
    row("GET",  "/municipalities/{slug}/audit",       Voorburg,   [LOGIN, OK, OK, NO, NO, NO, NO]),
    row("GET",  "/municipalities/{slug}/audit",       Dh,         [LOGIN, OK, NO, OK, NO, NO, NO]),
    row("GET",  "/municipalities/{slug}/audit",       Hranice,    [LOGIN, OK, NO, NO, NO, NO, NO]),
    // ---- pages: partnerships -----------------------------------------------------------------
    row("GET",  "/partnerships",                      Plain,      [OK; 7]),
    row("POST", "/partnerships",                      Lv,         [LOGIN, DONE, DONE, NO, NO, NO, NO]),
    row("POST", "/partnerships",                      Dh,         [LOGIN, DONE, NO, DONE, NO, NO, NO]),
    row("POST", "/partnerships",                      NoCsrf,     [LOGIN, NO, NO, NO, NO, NO, NO]),
    row("GET",  "/partnerships/new",                  Plain,      [LOGIN, OK, OK, OK, NO, NO, NO]),
    row("GET",  "/partnerships/{id}",                 Lv,         [OK; 7]),
    row("GET",  "/partnerships/{id}",                 Dh,         [OK; 7]),
    row("POST", "/partnerships/{id}",                 Lv,         [LOGIN, DONE, DONE, NO, NO, NO, NO]),
    row("POST", "/partnerships/{id}",                 Dh,         [LOGIN, DONE, NO, DONE, NO, NO, NO]),
    row("POST", "/partnerships/{id}",                 MoveToDh,   [LOGIN, DONE, NO, NO, NO, NO, NO]),
    row("POST", "/partnerships/{id}",                 NoCsrf,     [LOGIN, NO, NO, NO, NO, NO, NO]),
    row("GET",  "/partnerships/{id}/edit",            Lv,         [LOGIN, OK, OK, NO, NO, NO, NO]),
    row("GET",  "/partnerships/{id}/edit",            Dh,         [LOGIN, OK, NO, OK, NO, NO, NO]),
    row("POST", "/partnerships/{id}/events",          Lv,         [LOGIN, DONE, DONE, NO, NO, NO, NO]),
    row("POST", "/partnerships/{id}/events",          Dh,         [LOGIN, DONE, NO, DONE, NO, NO, NO]),
    row("POST", "/partnerships/{id}/events",          NoCsrf,     [LOGIN, NO, NO, NO, NO, NO, NO]),
    row("GET",  "/partnerships/{id}/audit",           Lv,         [LOGIN, OK, OK, NO, NO, NO, NO]),
    row("GET",  "/partnerships/{id}/audit",           Dh,         [LOGIN, OK, NO, OK, NO, NO, NO]),
    // ---- pages: foundations, working groups, people ------------------------------------------
    row("GET",  "/foundations",                       Plain,      [OK; 7]),
    row("POST", "/foundations",                       Lv,         [LOGIN, DONE, DONE, NO, NO, NO, NO]),
    row("POST", "/foundations",                       NoCsrf,     [LOGIN, NO, NO, NO, NO, NO, NO]),
    row("GET",  "/foundations/new",                   Plain,      [LOGIN, OK, OK, OK, NO, NO, NO]),
    row("GET",  "/foundations/{slug}",                Stichting,  [OK; 7]),
    row("POST", "/foundations/{slug}",                Stichting,  [LOGIN, DONE, NO, NO, DONE, NO, NO]),
    row("GET",  "/foundations/{slug}/edit",           Stichting,  [LOGIN, OK, NO, NO, OK, NO, NO]),
    row("POST", "/foundations/{slug}/roles",          Stichting,  [LOGIN, DONE, NO, NO, DONE, NO, NO]),
    row("POST", "/foundations/{slug}/roles",          NoCsrf,     [LOGIN, NO, NO, NO, NO, NO, NO]),
    row("POST", "/foundations/{slug}/working-groups", Stichting,  [LOGIN, DONE, NO, NO, DONE, NO, NO]),
    row("GET",  "/foundations/{slug}/working-groups/new", Stichting, [LOGIN, OK, NO, NO, OK, NO, NO]),
    row("GET",  "/foundations/{slug}/people",         Stichting,  [LOGIN, OK, OK, NO, OK, OK, OK]),
    row("POST", "/foundations/{slug}/people",         Stichting,  [LOGIN, DONE, NO, NO, DONE, DONE, DONE]),
    row("GET",  "/foundations/{slug}/people/new",     Stichting,  [LOGIN, OK, NO, NO, OK, OK, OK]),
    row("GET",  "/foundations/{slug}/members.csv",    Stichting,  [LOGIN, OK, NO, NO, OK, NO, NO]),
    row("GET",  "/working-groups/{slug}",             GroupHr,    [OK; 7]),
    row("POST", "/working-groups/{slug}",             GroupHr,    [LOGIN, DONE, NO, NO, DONE, DONE, NO]),
    row("POST", "/working-groups/{slug}",             GroupTm,    [LOGIN, DONE, NO, NO, DONE, NO, DONE]),
    row("POST", "/working-groups/{slug}",             NoCsrf,     [LOGIN, NO, NO, NO, NO, NO, NO]),
    row("GET",  "/working-groups/{slug}/edit",        GroupHr,    [LOGIN, OK, NO, NO, OK, OK, NO]),
    row("GET",  "/working-groups/{slug}/edit",        GroupTm,    [LOGIN, OK, NO, NO, OK, NO, OK]),
    row("POST", "/working-groups/{slug}/roles",       GroupHr,    [LOGIN, DONE, NO, NO, DONE, DONE, NO]),
    // Placing somebody of another group is the board's business.
    row("POST", "/working-groups/{slug}/roles",       FreshPersonTm, [LOGIN, DONE, NO, NO, DONE, INVALID, NO]),
    row("POST", "/working-groups/{slug}/roles",       GroupTm,    [LOGIN, DONE, NO, NO, DONE, NO, DONE]),
    row("POST", "/roles/{id}/end",                    RoleHr,     [LOGIN, DONE, NO, NO, DONE, DONE, NO]),
    row("POST", "/roles/{id}/end",                    RoleBoard,  [LOGIN, DONE, NO, NO, DONE, NO, NO]),
    row("POST", "/roles/{id}/end",                    NoCsrf,     [LOGIN, NO, NO, NO, NO, NO, NO]),
    row("GET",  "/people/{id}",                       PersonHr,   [LOGIN, OK, OK, NO, OK, OK, OK]),
    row("POST", "/people/{id}",                       PersonHr,   [LOGIN, DONE, NO, NO, DONE, DONE, NO]),
    row("POST", "/people/{id}",                       FreshPersonTm, [LOGIN, DONE, NO, NO, DONE, NO, DONE]),
    row("POST", "/people/{id}",                       NoCsrf,     [LOGIN, NO, NO, NO, NO, NO, NO]),
    row("GET",  "/people/{id}/edit",                  PersonHr,   [LOGIN, OK, NO, NO, OK, OK, NO]),
    row("POST", "/people/{id}/withdraw-consent",      FreshPersonHr, [LOGIN, DONE, NO, NO, DONE, NO, NO]),
    row("GET",  "/people/{id}/export",                PersonHr,   [LOGIN, OK, NO, NO, OK, NO, NO]),
    row("POST", "/people/{id}/erase",                 FreshPersonHr, [LOGIN, DONE, NO, NO, DONE, NO, NO]),
    row("POST", "/people/{id}/erase",                 NoCsrf,     [LOGIN, NO, NO, NO, NO, NO, NO]),
    // ---- pages: activities, receptions, feeds --------------------------------------------------
    row("GET",  "/activities",                        Plain,      [OK; 7]),
    row("POST", "/activities",                        GroupHr,    [LOGIN, DONE, NO, NO, DONE, DONE, NO]),
    row("POST", "/activities",                        Lv,         [LOGIN, DONE, DONE, NO, NO, NO, NO]),
    row("POST", "/activities",                        NoCsrf,     [LOGIN, NO, NO, NO, NO, NO, NO]),
    row("GET",  "/activities/new",                    Plain,      [LOGIN, OK, OK, OK, OK, OK, OK]),
    row("GET",  "/activities/{id}",                   ActHr,      [OK; 7]),
    row("GET",  "/activities/{id}",                   ActInternal, [GONE, OK, OK, GONE, OK, OK, GONE]),
    row("POST", "/activities/{id}",                   ActHr,      [LOGIN, DONE, NO, NO, DONE, DONE, NO]),
    row("POST", "/activities/{id}",                   ActTm,      [LOGIN, DONE, NO, NO, DONE, NO, DONE]),
    row("POST", "/activities/{id}",                   ActMun,     [LOGIN, DONE, DONE, NO, NO, NO, NO]),
    row("GET",  "/activities/{id}/edit",              ActHr,      [LOGIN, OK, NO, NO, OK, OK, NO]),
    row("GET",  "/activities/{id}/edit",              ActTm,      [LOGIN, OK, NO, NO, OK, NO, OK]),
    row("POST", "/activities/{id}/occurrences/{date}", ActHr,     [LOGIN, DONE, NO, NO, DONE, DONE, NO]),
    row("POST", "/activities/{id}/reception",         FreshIncomingHr, [LOGIN, DONE, NO, NO, DONE, DONE, NO]),
    row("POST", "/activities/{id}/reception/step",    ReceptionHr, [LOGIN, DONE, DONE, NO, NO, NO, NO]),
    row("POST", "/activities/{id}/reception/step",    NoCsrf,     [LOGIN, NO, NO, NO, NO, NO, NO]),
    row("GET",  "/activities/{id}/participants",      ActHr,      [OK; 7]),
    row("POST", "/activities/{id}/participants",      ActHr,      [LOGIN, DONE, NO, NO, DONE, DONE, NO]),
    row("POST", "/activities/{id}/participants",      NoCsrf,     [LOGIN, NO, NO, NO, NO, NO, NO]),
    row("POST", "/activities/{id}/participants/{participant}/remove", ParticipantHr, [LOGIN, DONE, NO, NO, DONE, DONE, NO]),
    row("GET",  "/activities/{id}/participants/sheet", ActHr,     [LOGIN, OK, OK, NO, OK, OK, NO]),
    row("GET",  "/activities/{id}/participants.csv",  ActHr,      [LOGIN, OK, OK, NO, OK, OK, NO]),
    row("GET",  "/municipalities/{slug}/receptions",  Lv,         [LOGIN, OK, OK, NO, NO, NO, NO]),
    row("GET",  "/municipalities/{slug}/receptions",  Dh,         [LOGIN, OK, NO, OK, NO, NO, NO]),
    row("GET",  "/municipalities/{slug}/activities.ics", Lv,      [OK; 7]),
    row("GET",  "/partnerships/{id}/activities.ics",  Lv,         [OK; 7]),
    row("GET",  "/working-groups/{slug}/activities.ics", GroupHr, [OK; 7]),
    // ---- pages: money -------------------------------------------------------------------------
    row("GET",  "/municipalities/{slug}/money",       Lv,         [OK; 7]),
    row("GET",  "/municipalities/{slug}/money.csv",   Lv,         [OK; 7]),
    row("GET",  "/municipalities/{slug}/money.xlsx",  Lv,         [OK; 7]),
    row("GET",  "/municipalities/{slug}/report",      Lv,         [OK; 7]),
    row("GET",  "/municipalities/{slug}/report.csv",  Lv,         [OK; 7]),
    row("GET",  "/municipalities/{slug}/report.xlsx", Lv,         [OK; 7]),
    row("GET",  "/municipalities/{slug}/report.pdf",  Lv,         [OK; 7]),
    row("GET",  "/municipalities/{slug}/report/compare", Lv,      [OK; 7]),
    row("GET",  "/municipalities/{slug}/report/compare.csv", Lv,  [OK; 7]),
    row("GET",  "/municipalities/{slug}/subsidies",   Lv,         [OK; 7]),
    row("POST", "/municipalities/{slug}/subsidies",   Lv,         [LOGIN, DONE, DONE, NO, NO, NO, NO]),
    row("POST", "/municipalities/{slug}/subsidies",   NoCsrf,     [LOGIN, NO, NO, NO, NO, NO, NO]),
    row("GET",  "/municipalities/{slug}/subsidies.csv", Lv,       [OK; 7]),
    row("GET",  "/municipalities/{slug}/subsidies.xlsx", Lv,      [OK; 7]),
    row("GET",  "/subsidies/{id}",                    Lv,         [OK; 7]),
    row("POST", "/subsidies/{id}/steps",              Lv,         [LOGIN, DONE, DONE, NO, NO, NO, NO]),
    row("POST", "/subsidies/{id}/steps",              NoCsrf,     [LOGIN, NO, NO, NO, NO, NO, NO]),
    row("GET",  "/working-groups/{slug}/ledger",      GroupHr,    [LOGIN, OK, OK, NO, OK, OK, NO]),
    row("GET",  "/working-groups/{slug}/ledger",      GroupTm,    [LOGIN, OK, OK, NO, OK, NO, OK]),
    row("POST", "/working-groups/{slug}/ledger",      GroupHr,    [LOGIN, DONE, NO, NO, DONE, NO, NO]),
    row("POST", "/working-groups/{slug}/ledger",      NoCsrf,     [LOGIN, NO, NO, NO, NO, NO, NO]),
    row("GET",  "/working-groups/{slug}/ledger.csv",  GroupHr,    [LOGIN, OK, OK, NO, OK, OK, NO]),
    row("GET",  "/working-groups/{slug}/ledger.xlsx", GroupHr,    [LOGIN, OK, OK, NO, OK, OK, NO]),
    row("GET",  "/municipalities/{slug}/phase-out-schedules", Lv, [OK; 7]),
    row("POST", "/municipalities/{slug}/phase-out-schedules", Lv, [LOGIN, DONE, DONE, NO, NO, NO, NO]),
    row("POST", "/municipalities/{slug}/phase-out-schedules", NoCsrf, [LOGIN, NO, NO, NO, NO, NO, NO]),
    row("GET",  "/phase-out-schedules/compute",       Plain,      [OK; 7]),
    // ---- the rest of the site ----------------------------------------------------------------
    row("GET",  "/static/style.css",                  Plain,      [OK; 7]),
    row("GET",  "/health/live",                       Plain,      [OK; 7]),
    row("GET",  "/health/ready",                      Plain,      [OK; 7]),
    // ---- API ---------------------------------------------------------------------------------
    row("GET",  "/api/v1/openapi.json",               Plain,      [OK; 7]),
    row("GET",  "/api/v1",                            Plain,      [GONE; 7]),
    row("GET",  "/api/v1/{*rest}",                    Plain,      [GONE; 7]),
    row("POST", "/api/v1/{*rest}",                    Plain,      [GONE; 7]),
    row("GET",  "/api/v1/municipalities",             Plain,      [OK; 7]),
    row("POST", "/api/v1/municipalities",             Plain,      [UNAUTH, CREATED, CREATED, CREATED, NO, NO, NO]),
    row("GET",  "/api/v1/municipalities/{id}",        Lv,         [OK; 7]),
    row("GET",  "/api/v1/municipalities/{id}",        Dh,         [OK; 7]),
    row("PUT",  "/api/v1/municipalities/{id}",        Lv,         [UNAUTH, OK, OK, NO, NO, NO, NO]),
    row("PUT",  "/api/v1/municipalities/{id}",        Voorburg,   [UNAUTH, OK, OK, NO, NO, NO, NO]),
    row("PUT",  "/api/v1/municipalities/{id}",        Dh,         [UNAUTH, OK, NO, OK, NO, NO, NO]),
    row("PUT",  "/api/v1/municipalities/{id}",        Hranice,    [UNAUTH, OK, NO, NO, NO, NO, NO]),
    row("POST", "/api/v1/mergers",                    Lv,         [UNAUTH, CREATED, NO, NO, NO, NO, NO]),
    row("POST", "/api/v1/mergers",                    Dh,         [UNAUTH, CREATED, NO, NO, NO, NO, NO]),
    row("POST", "/api/v1/mergers",                    LvAbsorbsOther, [UNAUTH, CREATED, NO, NO, NO, NO, NO]),
    row("GET",  "/api/v1/partnerships",               Plain,      [OK; 7]),
    row("POST", "/api/v1/partnerships",               Lv,         [UNAUTH, CREATED, CREATED, NO, NO, NO, NO]),
    row("POST", "/api/v1/partnerships",               Dh,         [UNAUTH, CREATED, NO, CREATED, NO, NO, NO]),
    row("GET",  "/api/v1/partnerships/{id}",          Lv,         [OK; 7]),
    row("GET",  "/api/v1/partnerships/{id}",          Dh,         [OK; 7]),
    row("PUT",  "/api/v1/partnerships/{id}",          Lv,         [UNAUTH, OK, OK, NO, NO, NO, NO]),
    row("PUT",  "/api/v1/partnerships/{id}",          Dh,         [UNAUTH, OK, NO, OK, NO, NO, NO]),
    row("PUT",  "/api/v1/partnerships/{id}",          MoveToDh,   [UNAUTH, OK, NO, NO, NO, NO, NO]),
    row("GET",  "/api/v1/partnerships/{id}/events",   Lv,         [OK; 7]),
    row("GET",  "/api/v1/partnerships/{id}/events",   Dh,         [OK; 7]),
    row("POST", "/api/v1/partnerships/{id}/events",   Lv,         [UNAUTH, CREATED, CREATED, NO, NO, NO, NO]),
    row("POST", "/api/v1/partnerships/{id}/events",   Dh,         [UNAUTH, CREATED, NO, CREATED, NO, NO, NO]),
    row("GET",  "/api/v1/foundations",                Plain,      [OK; 7]),
    row("POST", "/api/v1/foundations",                Lv,         [UNAUTH, CREATED, CREATED, NO, NO, NO, NO]),
    row("GET",  "/api/v1/foundations/{id}",           Stichting,  [OK; 7]),
    row("PUT",  "/api/v1/foundations/{id}",           Stichting,  [UNAUTH, OK, NO, NO, OK, NO, NO]),
    row("POST", "/api/v1/foundations/{id}/roles",     Stichting,  [UNAUTH, CREATED, NO, NO, CREATED, NO, NO]),
    row("GET",  "/api/v1/foundations/{id}/people",    Stichting,  [UNAUTH, OK, OK, NO, OK, OK, OK]),
    row("POST", "/api/v1/foundations/{id}/people",    Stichting,  [UNAUTH, CREATED, NO, NO, CREATED, CREATED, CREATED]),
    row("GET",  "/api/v1/working-groups",             Plain,      [OK; 7]),
    row("POST", "/api/v1/working-groups",             Stichting,  [UNAUTH, CREATED, NO, NO, CREATED, NO, NO]),
    row("GET",  "/api/v1/working-groups/{id}",        GroupHr,    [OK; 7]),
    row("PUT",  "/api/v1/working-groups/{id}",        GroupHr,    [UNAUTH, OK, NO, NO, OK, OK, NO]),
    row("PUT",  "/api/v1/working-groups/{id}",        GroupTm,    [UNAUTH, OK, NO, NO, OK, NO, OK]),
    row("POST", "/api/v1/working-groups/{id}/roles",  GroupHr,    [UNAUTH, CREATED, NO, NO, CREATED, CREATED, NO]),
    row("POST", "/api/v1/working-groups/{id}/roles",  FreshPersonTm, [UNAUTH, CREATED, NO, NO, CREATED, INVALID, NO]),
    row("POST", "/api/v1/working-groups/{id}/roles",  GroupTm,    [UNAUTH, CREATED, NO, NO, CREATED, NO, CREATED]),
    row("POST", "/api/v1/roles/{id}/end",             RoleHr,     [UNAUTH, OK, NO, NO, OK, OK, NO]),
    row("POST", "/api/v1/roles/{id}/end",             RoleBoard,  [UNAUTH, OK, NO, NO, OK, NO, NO]),
    row("GET",  "/api/v1/people/{id}",                PersonHr,   [UNAUTH, OK, OK, NO, OK, OK, OK]),
    row("PUT",  "/api/v1/people/{id}",                PersonHr,   [UNAUTH, OK, NO, NO, OK, OK, NO]),
    row("PUT",  "/api/v1/people/{id}",                FreshPersonTm, [UNAUTH, OK, NO, NO, OK, NO, OK]),
    row("POST", "/api/v1/people/{id}/withdraw-consent", FreshPersonHr, [UNAUTH, OK, NO, NO, OK, NO, NO]),
    row("GET",  "/api/v1/people/{id}/export",         PersonHr,   [UNAUTH, OK, NO, NO, OK, NO, NO]),
    row("POST", "/api/v1/people/{id}/erase",          FreshPersonHr, [UNAUTH, OK, NO, NO, OK, NO, NO]),
    row("GET",  "/api/v1/activities",                 Plain,      [OK; 7]),
    row("POST", "/api/v1/activities",                 GroupHr,    [UNAUTH, CREATED, NO, NO, CREATED, CREATED, NO]),
    row("POST", "/api/v1/activities",                 Lv,         [UNAUTH, CREATED, CREATED, NO, NO, NO, NO]),
    row("GET",  "/api/v1/activities/{id}",            ActHr,      [OK; 7]),
    row("GET",  "/api/v1/activities/{id}",            ActInternal, [GONE, OK, OK, GONE, OK, OK, GONE]),
    row("PUT",  "/api/v1/activities/{id}",            ActHr,      [UNAUTH, OK, NO, NO, OK, OK, NO]),
    row("PUT",  "/api/v1/activities/{id}",            ActTm,      [UNAUTH, OK, NO, NO, OK, NO, OK]),
    row("PUT",  "/api/v1/activities/{id}",            ActMun,     [UNAUTH, OK, OK, NO, NO, NO, NO]),
    row("GET",  "/api/v1/activities/{id}/occurrences", ActHr,     [OK; 7]),
    row("GET",  "/api/v1/activities/{id}/occurrences", ActInternal, [GONE, OK, OK, GONE, OK, OK, GONE]),
    row("PUT",  "/api/v1/activities/{id}/occurrences/{date}", ActHr, [UNAUTH, OK, NO, NO, OK, OK, NO]),
    row("POST", "/api/v1/activities/{id}/reception",  FreshIncomingHr, [UNAUTH, CREATED, NO, NO, CREATED, CREATED, NO]),
    row("PUT",  "/api/v1/activities/{id}/reception",  ReceptionHr, [UNAUTH, OK, OK, NO, NO, NO, NO]),
    row("GET",  "/api/v1/activities/{id}/participants", ActHr,    [OK; 7]),
    row("POST", "/api/v1/activities/{id}/participants", ActHr,    [UNAUTH, CREATED, NO, NO, CREATED, CREATED, NO]),
    row("DELETE", "/api/v1/activities/{id}/participants/{participant}", ParticipantHr, [UNAUTH, EMPTY, NO, NO, EMPTY, EMPTY, NO]),
    row("GET",  "/api/v1/activities/{id}/participants.csv", ActHr, [UNAUTH, OK, OK, NO, OK, OK, NO]),
    row("GET",  "/api/v1/municipalities/{id}/receptions", Lv,     [UNAUTH, OK, OK, NO, NO, NO, NO]),
    row("GET",  "/api/v1/municipalities/{id}/receptions", Dh,     [UNAUTH, OK, NO, OK, NO, NO, NO]),
    row("GET",  "/api/v1/partnerships/{id}/activity-numbers", Lv, [OK; 7]),
    // ---- API: money (subsidies, register, ledgers, schedules, the overview) ----------------------
    row("GET",  "/api/v1/subsidies",                  Lv,         [OK; 7]),
    row("POST", "/api/v1/subsidies",                  Lv,         [UNAUTH, CREATED, CREATED, NO, NO, NO, NO]),
    // Den Haag's officials hold its subsidies, but the demo foundation is not Den Haag's.
    row("POST", "/api/v1/subsidies",                  Dh,         [UNAUTH, INVALID, NO, INVALID, NO, NO, NO]),
    row("GET",  "/api/v1/subsidies/{id}",             Lv,         [OK; 7]),
    row("POST", "/api/v1/subsidies/{id}/steps",       Lv,         [UNAUTH, CREATED, CREATED, NO, NO, NO, NO]),
    row("GET",  "/api/v1/subsidy-register",           Lv,         [OK; 7]),
    row("GET",  "/api/v1/transactions",               GroupHr,    [UNAUTH, OK, OK, NO, OK, OK, NO]),
    row("GET",  "/api/v1/transactions",               GroupTm,    [UNAUTH, OK, OK, NO, OK, NO, OK]),
    row("POST", "/api/v1/transactions",               GroupHr,    [UNAUTH, CREATED, NO, NO, CREATED, NO, NO]),
    row("POST", "/api/v1/transactions",               GroupTm,    [UNAUTH, CREATED, NO, NO, CREATED, NO, NO]),
    row("GET",  "/api/v1/phase-out-schedules",        Lv,         [OK; 7]),
    row("POST", "/api/v1/phase-out-schedules",        Lv,         [UNAUTH, CREATED, CREATED, NO, NO, NO, NO]),
    row("POST", "/api/v1/phase-out-schedules",        Dh,         [UNAUTH, CREATED, NO, CREATED, NO, NO, NO]),
    row("GET",  "/api/v1/phase-out-schedules/{id}",   Lv,         [OK; 7]),
    row("POST", "/api/v1/phase-out-schedules/compute", Plain,     [OK; 7]),
    row("GET",  "/api/v1/municipalities/{id}/money",  Lv,         [OK; 7]),
    row("GET",  "/api/v1/reports",                    Lv,         [OK; 7]),
    row("GET",  "/api/v1/reports/compare",            Lv,         [OK; 7]),
    // ---- evaluations: read by everyone, recorded by the municipality's officials ---------------
    // `/evaluations/new` without a municipality: the caller's own (Den Haag's official has
    // Den Haag), a choice for the administrator, refused for those who may record none.
    row("GET",  "/evaluations",                       Plain,      [OK; 7]),
    row("GET",  "/evaluations",                       Lv,         [OK; 7]),
    row("POST", "/evaluations",                       Lv,         [LOGIN, DONE, DONE, NO, NO, NO, NO]),
    row("POST", "/evaluations",                       Dh,         [LOGIN, DONE, NO, DONE, NO, NO, NO]),
    row("POST", "/evaluations",                       NoCsrf,     [LOGIN, NO, NO, NO, NO, NO, NO]),
    row("GET",  "/evaluations/new",                   Plain,      [LOGIN, OK, OK, OK, NO, NO, NO]),
    row("GET",  "/evaluations/new",                   Lv,         [LOGIN, OK, OK, NO, NO, NO, NO]),
    row("GET",  "/evaluations/{id}",                  Lv,         [OK; 7]),
    row("POST", "/evaluations/{id}/follow-up",        Lv,         [LOGIN, DONE, DONE, NO, NO, NO, NO]),
    row("POST", "/evaluations/{id}/follow-up",        NoCsrf,     [LOGIN, NO, NO, NO, NO, NO, NO]),
    row("GET",  "/api/v1/evaluations",                Lv,         [OK; 7]),
    row("POST", "/api/v1/evaluations",                Lv,         [UNAUTH, CREATED, CREATED, NO, NO, NO, NO]),
    row("POST", "/api/v1/evaluations",                Dh,         [UNAUTH, CREATED, NO, CREATED, NO, NO, NO]),
    row("GET",  "/api/v1/evaluations/{id}",           Lv,         [OK; 7]),
    row("PUT",  "/api/v1/evaluations/{id}/recommendations/{n}/follow-up", Lv, [UNAUTH, OK, OK, NO, NO, NO, NO]),
    // ---- API: decisions, rules, the plan, scenarios and endings: read by everyone (a decision
    // not adopted by the municipality's officials only), written by the municipality's officials
    row("GET",  "/api/v1/decisions",                  Lv,         [OK; 7]),
    row("POST", "/api/v1/decisions",                  Lv,         [UNAUTH, CREATED, CREATED, NO, NO, NO, NO]),
    row("POST", "/api/v1/decisions",                  Dh,         [UNAUTH, CREATED, NO, CREATED, NO, NO, NO]),
    row("GET",  "/api/v1/decisions/about",            Lv,         [OK; 7]),
    row("GET",  "/api/v1/decisions/{id}",             DecisionLv, [OK; 7]),
    row("GET",  "/api/v1/decisions/{id}",             ProposalLv, [GONE, OK, OK, GONE, GONE, GONE, GONE]),
    row("PUT",  "/api/v1/decisions/{id}",             DecisionLv, [UNAUTH, OK, OK, NO, NO, NO, NO]),
    row("POST", "/api/v1/decisions/{id}/rules",       DecisionLv, [UNAUTH, CREATED, CREATED, NO, NO, NO, NO]),
    row("GET",  "/api/v1/rules",                      Lv,         [OK; 7]),
    row("POST", "/api/v1/rules",                      DecisionLv, [UNAUTH, CREATED, CREATED, NO, NO, NO, NO]),
    row("GET",  "/api/v1/municipalities/{id}/plan",   Lv,         [OK; 7]),
    row("GET",  "/api/v1/scenarios",                  Lv,         [OK; 7]),
    row("POST", "/api/v1/scenarios",                  Lv,         [UNAUTH, CREATED, CREATED, NO, NO, NO, NO]),
    row("POST", "/api/v1/scenarios",                  Dh,         [UNAUTH, CREATED, NO, CREATED, NO, NO, NO]),
    row("GET",  "/api/v1/scenarios/compare",          ScenarioLv, [OK; 7]),
    row("GET",  "/api/v1/scenarios/{id}",             ScenarioLv, [OK; 7]),
    row("POST", "/api/v1/scenarios/{id}/dry-run",     ScenarioMerged, [UNAUTH, OK, OK, NO, NO, NO, NO]),
    row("POST", "/api/v1/scenarios/{id}/adopt",       ScenarioMerged, [UNAUTH, CREATED, CREATED, NO, NO, NO, NO]),
    row("GET",  "/api/v1/partnerships/{id}/ending",   EndingLv(1), [OK; 7]),
    row("POST", "/api/v1/partnerships/{id}/ending",   EndingLv(0), [UNAUTH, CREATED, CREATED, NO, NO, NO, NO]),
    row("PUT",  "/api/v1/partnerships/{id}/ending/letter", EndingLv(1), [UNAUTH, OK, OK, NO, NO, NO, NO]),
    row("PUT",  "/api/v1/partnerships/{id}/ending/notification", EndingLv(2), [UNAUTH, OK, OK, NO, NO, NO, NO]),
    row("PUT",  "/api/v1/partnerships/{id}/ending/completion", EndingLv(3), [UNAUTH, OK, OK, NO, NO, NO, NO]),
    // ---- API: the world register: read by everyone, a list imported by administrators only
    row("GET",  "/api/v1/towns",                      Plain,      [OK; 7]),
    row("GET",  "/api/v1/towns/{id}",                 Plain,      [OK; 7]),
    row("GET",  "/api/v1/towns/{id}/partners",        Plain,      [OK; 7]),
    row("GET",  "/api/v1/towns/{id}/geojson",         Plain,      [OK; 7]),
    row("GET",  "/api/v1/countries",                  Plain,      [OK; 7]),
    row("GET",  "/api/v1/countries/{code}",           Plain,      [OK; 7]),
    row("GET",  "/api/v1/countries/{code}/geojson",   Plain,      [OK; 7]),
    row("GET",  "/api/v1/network/shared-partners",    Plain,      [OK; 7]),
    row("GET",  "/api/v1/network/chain",              Plain,      [OK; 7]),
    row("GET",  "/api/v1/network/triangles",          Plain,      [OK; 7]),
    row("GET",  "/api/v1/network/most-connected",     Plain,      [OK; 7]),
    row("GET",  "/api/v1/network/components",         Plain,      [OK; 7]),
    row("GET",  "/api/v1/suggestions",                Plain,      [OK; 7]),
    row("POST", "/api/v1/world/imports",              Plain,      [UNAUTH, OK, NO, NO, NO, NO, NO]),
];

impl fmt::Display for Expect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expect::S(303) => f.write_str("303 to the page of what was written"),
            Expect::S(n) => write!(f, "{n}"),
            Expect::Login => {
                f.write_str("303 to /login?next=(this address, or for a post the page of its form)")
            }
            Expect::To(to) => write!(f, "303 to {to}"),
        }
    }
}

/// What the server answered.
struct Answer {
    status: u16,
    location: Option<String>,
    body: String,
}

impl fmt::Display for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Some(l) => write!(f, "{} to {l}", self.status),
            None => write!(f, "{}", self.status),
        }
    }
}

impl Expect {
    fn accepts(&self, a: &Answer, method: &str, path: &str) -> bool {
        let to = a.location.as_deref();
        // After logging in the browser GETs `next`: for a form post that is the page with the
        // form, not the address it posts to.
        let path = if method == "GET" {
            path.to_owned()
        } else {
            form_page(path)
        };
        let path = path.as_str();
        match self {
            // The organisation's pages send to what was written: a new working group or
            // person, or the foundation or group whose role was ended.
            Expect::S(303)
                if ["foundations", "working-groups", "people", "roles"]
                    .contains(&first_segment(path)) =>
            {
                a.status == 303
                    && to.is_some_and(|t| {
                        ["foundations", "working-groups", "people"].contains(&first_segment(t))
                    })
            }
            // A subsidy recorded in a municipality's register: to the subsidy's page.
            Expect::S(303) if path.ends_with("/subsidies") => {
                a.status == 303 && to.is_some_and(|t| t.starts_with("/subsidies/"))
            }
            Expect::S(303) => a.status == 303 && to.map(first_segment) == Some(first_segment(path)),
            Expect::S(n) => a.status == *n,
            Expect::Login => {
                a.status == 303 && to == Some(format!("/login?next={}", encode(path)).as_str())
            }
            Expect::To(l) => a.status == 303 && to == Some(*l),
        }
    }
}

/// The page with the form that posts to `path`.
fn form_page(path: &str) -> String {
    match path
        .trim_matches('/')
        .split('/')
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["municipalities"] => "/municipalities/new".into(),
        ["partnerships"] => "/partnerships/new".into(),
        ["municipalities" | "partnerships", slug] => {
            format!("/{}/{slug}/edit", &path[1..].split('/').next().unwrap())
        }
        ["partnerships", id, "events"] => format!("/partnerships/{id}"),
        ["foundations"] => "/foundations/new".into(),
        ["foundations" | "working-groups" | "people", _] => format!("{path}/edit"),
        ["foundations", slug, "working-groups"] => {
            format!("/foundations/{slug}/working-groups/new")
        }
        ["foundations", slug, "people"] => format!("/foundations/{slug}/people/new"),
        ["foundations" | "working-groups", slug, "roles"] => {
            format!("/{}/{slug}", path[1..].split('/').next().unwrap())
        }
        ["people", id, "erase" | "withdraw-consent"] => format!("/people/{id}"),
        // A role is ended from the page of its foundation or working group.
        ["roles", ..] => "/foundations".into(),
        ["activities"] => "/activities/new".into(),
        ["activities", id] => format!("/activities/{id}/edit"),
        ["activities", id, "participants", ..] => format!("/activities/{id}/participants"),
        ["activities", id, ..] => format!("/activities/{id}"),
        ["subsidies", id, "steps"] => format!("/subsidies/{id}"),
        ["evaluations"] => "/evaluations/new".into(),
        ["evaluations", id, "follow-up"] => format!("/evaluations/{id}"),
        ["account", ..] => "/account".into(),
        _ => path.into(),
    }
}

/// `municipalities` for `/municipalities/den-haag/merger`.
fn first_segment(path: &str) -> &str {
    path.trim_start_matches('/')
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default()
}

/// Percent-encodes as the pages do for `next`.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A JSON body as the same fields in a form (checkboxes "on", lists one item a line).
fn form_of(v: &Value) -> Vec<(String, String)> {
    v.as_object()
        .expect("a body is an object")
        .iter()
        .filter_map(|(k, v)| {
            let text = match v {
                Value::Null | Value::Bool(false) => return None,
                Value::Bool(true) => "on".to_owned(),
                Value::String(s) => s.clone(),
                Value::Array(a) => a
                    .iter()
                    .map(|x| x.as_str().expect("a list of names"))
                    .collect::<Vec<_>>()
                    .join("\n"),
                other => other.to_string(),
            };
            Some((k.clone(), text))
        })
        .collect()
}

// ---- the server with the roles' accounts --------------------------------------------------------

struct Account {
    username: &'static str,
    /// For the API.
    api_token: String,
    /// The id of a token of its own for the revoke row (the API token must keep working).
    spare_token: String,
    session_token: String,
    cookie: String,
    csrf: String,
}

struct App {
    base: String,
    http: Client,
    state: AppState,
    /// By role, in the order of [`ROLES`]; none for the public.
    accounts: Vec<Option<Account>>,
    /// A token of an account that plays none of the roles.
    strangers_token: String,
    /// Leidschendam-Voorburg's partnership with Hranice.
    lv_partnership: String,
    /// Den Haag's partnership with Temecula.
    dh_partnership: String,
    /// The demo foundation's id, the Hranice and Temecula working groups' ids, and Sanne de
    /// Wit's id (a member of the Hranice group).
    stichting: String,
    group_hr: String,
    group_tm: String,
    person_hr: String,
    /// Leidschendam-Voorburg's partnership with Temecula, and the three fixed activities.
    tm_partnership: String,
    act_hr: String,
    act_tm: String,
    act_mun: String,
    /// Numbers for names that must be new on every request.
    counter: AtomicU32,
    _db: TestDb,
}

async fn make_account(state: &AppState, role: Role) -> Account {
    let (username, grant) = role.account().expect("a role with an account");
    let account = state
        .accounts
        .create(username, PASSWORD, &[grant.to_owned()])
        .await
        .unwrap_or_else(|e| panic!("account {username}: {e:?}"));
    let api_token = state.accounts.create_token(username, "api").await.unwrap();
    state
        .accounts
        .create_token(username, "in te trekken")
        .await
        .unwrap();
    let spare_token = state
        .accounts
        .tokens(&account.id)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.name == "in te trekken")
        .expect("the spare token")
        .id;
    let session = state
        .accounts
        .login(username, PASSWORD, None)
        .await
        .unwrap();
    Account {
        username,
        api_token,
        spare_token,
        cookie: format!("{}={}", state.cookies.session_name(), session.token),
        session_token: session.token,
        csrf: session.csrf_token,
    }
}

/// Fills an empty database with the demo data: once per test program, as a template that
/// [`demo_sqlite`] and [`demo_postgres`] copy.
async fn demo(db: &Db) {
    let state = AppState::new(db.clone());
    stedenband_app::demo::load(&state.register)
        .await
        .expect("demo data");
}

async fn demo_sqlite() -> TestDb {
    TestDb::sqlite_from_template("roles-demo", demo).await
}

async fn demo_postgres() -> Option<TestDb> {
    TestDb::postgres_from_template("roles-demo", demo).await
}

impl App {
    /// The server on `db`, which holds the demo data (see [`demo`]).
    async fn start(db: TestDb) -> App {
        let state = AppState::new(db.db.clone()).requiring_second_factor(false);
        let base = Server::bind("127.0.0.1:0", state.clone())
            .await
            .expect("bind")
            .spawn();
        let http = Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        // The administrator first: it registers Den Haag, which the other official's grant names.
        let admin = make_account(&state, Role::Admin).await;
        let mut app = App {
            base,
            http,
            state,
            accounts: vec![None, Some(admin)],
            strangers_token: String::new(),
            lv_partnership: String::new(),
            dh_partnership: String::new(),
            stichting: String::new(),
            group_hr: String::new(),
            group_tm: String::new(),
            person_hr: String::new(),
            tm_partnership: String::new(),
            act_hr: String::new(),
            act_tm: String::new(),
            act_mun: String::new(),
            counter: AtomicU32::new(0),
            _db: db,
        };
        app.admin(
            Method::POST,
            "/api/v1/municipalities",
            json!({"name": "Den Haag", "country": "NL", "officialCode": "GM0518", "region": "Zuid-Holland"}),
        )
        .await;
        let theirs = app
            .admin(
                Method::POST,
                "/api/v1/partnerships",
                json!({"home": "den-haag", "partner": "temecula", "kind": "friendship",
                       "initiator": "local-government", "start": "2000"}),
            )
            .await;
        app.dh_partnership = theirs["id"].as_str().unwrap().to_owned();
        for role in &ROLES[2..] {
            let account = make_account(&app.state, *role).await;
            app.accounts.push(Some(account));
        }
        let stranger = app
            .state
            .accounts
            .create(
                "rt-derde",
                PASSWORD,
                &["working-group-member:werkgroep-konstancin-jeziorna".into()],
            )
            .await
            .unwrap();
        app.state
            .accounts
            .create_token("rt-derde", "van een ander")
            .await
            .unwrap();
        app.strangers_token = app.state.accounts.tokens(&stranger.id).await.unwrap()[0]
            .id
            .clone();
        let (_, ours) = app
            .get_json("/api/v1/partnerships?municipality=leidschendam-voorburg")
            .await;
        app.lv_partnership = ours["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["partner"]["slug"] == "hranice")
            .expect("the partnership with Hranice")["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let org = &app.state.organisation;
        let system = stedenband_app::Caller::system();
        let stichting = org
            .foundation(&system, STICHTING, None)
            .await
            .expect("the demo foundation");
        app.stichting = stichting.foundation.id.clone();
        let group = |slug: &str| {
            stichting
                .groups
                .iter()
                .find(|g| g.slug.as_str() == slug)
                .expect("a demo working group")
                .id
                .clone()
        };
        app.group_hr = group("werkgroep-hranice");
        app.group_tm = group("werkgroep-temecula");
        app.person_hr = org
            .people(&system, STICHTING)
            .await
            .unwrap()
            .into_iter()
            .find(|p| {
                p.name
                    .as_ref()
                    .is_some_and(|n| n.as_str() == "Sanne de Wit")
            })
            .expect("Sanne de Wit")
            .id;
        app.tm_partnership = ours["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["partner"]["slug"] == "temecula")
            .expect("the partnership with Temecula")["id"]
            .as_str()
            .unwrap()
            .to_owned();
        app.act_hr = app.fresh_activity(ActHr).await;
        app.act_tm = app.fresh_activity(ActTm).await;
        app.act_mun = app.fresh_activity(ActMun).await;
        app
    }

    /// The body of an activity for a row's object (who organises it, for which partnership).
    fn activity_body(&self, obj: Obj) -> Value {
        let (partnership, organiser) = match obj {
            ActTm => (&self.tm_partnership, "werkgroep-temecula"),
            ActMun | Lv => (&self.lv_partnership, "municipality"),
            _ => (&self.lv_partnership, "werkgroep-hranice"),
        };
        json!({"partnership": partnership, "organiser": organiser, "title": "Korenuitwisseling",
               "start": "2025-05-10", "end": "2025-05-12", "direction": "incoming",
               "category": "choir", "public": obj != ActInternal})
    }

    /// A new activity for the object (as the administrator): its id.
    async fn fresh_activity(&self, obj: Obj) -> String {
        let a = self
            .admin(Method::POST, "/api/v1/activities", self.activity_body(obj))
            .await;
        let id = a["id"].as_str().expect("an activity id").to_owned();
        if obj == ReceptionHr {
            self.admin(
                Method::POST,
                &format!("/api/v1/activities/{id}/reception"),
                json!({}),
            )
            .await;
        }
        id
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn account(&self, role: Role) -> Option<&Account> {
        self.accounts[role as usize].as_ref()
    }

    fn next(&self) -> u32 {
        self.counter.fetch_add(1, Ordering::Relaxed) + 1
    }

    async fn get_json(&self, path: &str) -> (StatusCode, Value) {
        let res = self.http.get(self.url(path)).send().await.unwrap();
        let status = res.status();
        (status, res.json().await.unwrap())
    }

    /// Setting up: a write by the administrator that must succeed.
    async fn admin(&self, method: Method, path: &str, body: Value) -> Value {
        let token = &self.account(Role::Admin).unwrap().api_token;
        let res = self
            .http
            .request(method.clone(), self.url(path))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = res.status();
        let answer: Value = res.json().await.unwrap();
        assert!(
            status.is_success(),
            "setting up: {method} {path} {body}: {status} {answer}"
        );
        answer
    }

    /// A new municipality without officials (as Voorburg was before 2002): its slug.
    async fn fresh_municipality(&self) -> String {
        let n = self.next();
        let m = self
            .admin(
                Method::POST,
                "/api/v1/municipalities",
                json!({"name": format!("Fusiedorp {n}"), "country": "NL"}),
            )
            .await;
        m["slug"].as_str().unwrap().to_owned()
    }

    /// A new municipality with an official and a partnership of its own: its slug and the
    /// official's user name.
    async fn fresh_other_municipality(&self) -> (String, String) {
        let n = self.next();
        let m = self
            .admin(
                Method::POST,
                "/api/v1/municipalities",
                json!({"name": format!("Buurgemeente {n}"), "country": "NL"}),
            )
            .await;
        let slug = m["slug"].as_str().unwrap().to_owned();
        self.admin(
            Method::POST,
            "/api/v1/partnerships",
            json!({"home": slug, "partner": "temecula", "kind": "friendship",
                   "initiator": "local-government", "start": "2001"}),
        )
        .await;
        let official = format!("rt-buur-{n}");
        self.state
            .accounts
            .create(&official, PASSWORD, &[format!("municipal-official:{slug}")])
            .await
            .unwrap();
        (slug, official)
    }

    /// A new account with the role's grant, logged in: the account, its session cookie and CSRF
    /// token.
    async fn fresh_account(&self, role: Role) -> (stedenband_domain::Account, String, String) {
        let (_, grant) = role.account().expect("a role with an account");
        let username = format!("rt-nieuw-{}", self.next());
        let account = self
            .state
            .accounts
            .create(&username, PASSWORD, &[grant.to_owned()])
            .await
            .unwrap();
        let session = self
            .state
            .accounts
            .login(&username, PASSWORD, None)
            .await
            .unwrap();
        let cookie = format!("{}={}", self.state.cookies.session_name(), session.token);
        (account, cookie, session.csrf_token)
    }

    /// A new partnership of Leidschendam-Voorburg: its id.
    async fn fresh_lv_partnership(&self) -> String {
        let p = self
            .admin(
                Method::POST,
                "/api/v1/partnerships",
                json!({"home": "leidschendam-voorburg", "partner": "konstancin-jeziorna",
                       "kind": "project-based", "initiator": "local-government", "start": "2010"}),
            )
            .await;
        p["id"].as_str().unwrap().to_owned()
    }

    /// A new person on consent with a member's role in the Hranice group: their id.
    async fn fresh_person_hr(&self) -> String {
        let id = self.fresh_person().await;
        self.fresh_role(BodyKey::WorkingGroup(&self.group_hr), &id, "member")
            .await;
        id
    }

    /// A new person on consent with a member's role in the Temecula group only: their id.
    async fn fresh_person_tm(&self) -> String {
        let id = self.fresh_person().await;
        self.fresh_role(BodyKey::WorkingGroup(&self.group_tm), &id, "member")
            .await;
        id
    }

    /// A new person on consent, without roles: their id.
    async fn fresh_person(&self) -> String {
        let org = &self.state.organisation;
        let system = stedenband_app::Caller::system();
        org.create_person(
            &system,
            &self.stichting,
            &stedenband_domain::organisation::PersonInput {
                name: Some(format!("Vrijwilliger {}", self.next())),
                basis: Some("consent".into()),
                consent_text_version: Some("v1".into()),
                consent_given_on: Some("2025-01-01".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .id
    }

    /// A new role of Sanne de Wit's (or of `person`) in a body: its id.
    async fn fresh_role(&self, body: BodyKey<'_>, person: &str, role: &str) -> String {
        self.state
            .organisation
            .add_role(
                &stedenband_app::Caller::system(),
                body,
                &stedenband_domain::organisation::RoleInput {
                    person: Some(person.to_owned()),
                    role: Some(role.to_owned()),
                    start: Some("2025-01-01".into()),
                    end: None,
                },
            )
            .await
            .unwrap()
            .id
    }

    /// A new one-off grant of Leidschendam-Voorburg to the demo foundation, with no step taken
    /// yet (so its next step is the application): its id.
    async fn fresh_subsidy(&self) -> String {
        self.state
            .money
            .create_subsidy(
                &stedenband_app::Caller::system(),
                &stedenband_domain::funding::SubsidyInput {
                    municipality: Some("leidschendam-voorburg".into()),
                    foundation: Some(self.stichting.clone()),
                    kind: Some("one-off-grant".into()),
                    purpose: Some(format!("Rolsubsidie {}", self.next())),
                    year: Some("2025".into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap()
            .record
            .id
    }

    /// A new phase-out schedule of Leidschendam-Voorburg over its partnership with Hranice: its
    /// id.
    async fn fresh_schedule(&self) -> String {
        let s = self
            .admin(
                Method::POST,
                "/api/v1/phase-out-schedules",
                json!({"municipality": "leidschendam-voorburg",
                       "name": format!("Afbouw {}", self.next()), "base": "24490",
                       "baseYear": "2012", "years": "3", "partnerships": [self.lv_partnership]}),
            )
            .await;
        s["id"].as_str().expect("a schedule id").to_owned()
    }

    /// The id of the demo's evaluation of 2004.
    async fn demo_evaluation(&self) -> String {
        let (status, list) = self
            .get_json("/api/v1/evaluations?municipality=leidschendam-voorburg")
            .await;
        assert_eq!(status, StatusCode::OK, "the evaluations: {list}");
        list.as_array()
            .unwrap()
            .iter()
            .find(|e| e["year"] == 2004)
            .expect("the demo's evaluation of 2004")["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// A new decision of Leidschendam-Voorburg, `adopted` or `proposed`, without rules: its id.
    async fn fresh_decision(&self, outcome: &str) -> String {
        let d = self
            .admin(
                Method::POST,
                "/api/v1/decisions",
                json!({"municipality": "leidschendam-voorburg", "date": "2025-01-01",
                       "body": "council", "kind": "decision",
                       "title": format!("Rolbesluit {}", self.next()), "outcome": outcome}),
            )
            .await;
        d["id"].as_str().expect("a decision id").to_owned()
    }

    /// A new scenario of Leidschendam-Voorburg without changes: its id.
    async fn fresh_scenario(&self) -> String {
        let n = self.next();
        let s = self
            .admin(
                Method::POST,
                "/api/v1/scenarios",
                json!({"municipality": "leidschendam-voorburg", "code": format!("R{n}"),
                       "title": format!("Roloptie {n}"), "horizonFrom": 2030, "horizonTo": 2031}),
            )
            .await;
        s["id"].as_str().expect("a scenario id").to_owned()
    }

    /// A new scenario without changes of a new municipality that merged into
    /// Leidschendam-Voorburg in 2020: its id.
    async fn fresh_merged_scenario(&self) -> String {
        let slug = self.fresh_municipality().await;
        self.admin(
            Method::POST,
            "/api/v1/mergers",
            json!({"successor": "leidschendam-voorburg", "predecessors": [slug],
                   "effectiveOn": "2020-01-01"}),
        )
        .await;
        let s = self
            .admin(
                Method::POST,
                "/api/v1/scenarios",
                json!({"municipality": slug, "code": "A", "title": "Beëindigen",
                       "horizonFrom": 2030, "horizonTo": 2031}),
            )
            .await;
        s["id"].as_str().expect("a scenario id").to_owned()
    }

    /// A new partnership of Leidschendam-Voorburg whose ending has come `step` steps far (0: not
    /// started): its id.
    async fn fresh_ending(&self, step: u8) -> String {
        let id = self.fresh_lv_partnership().await;
        let path = format!("/api/v1/partnerships/{id}/ending");
        if step >= 1 {
            let decision = self.fresh_decision("adopted").await;
            self.admin(
                Method::POST,
                &path,
                json!({"decision": decision, "reason": "Geen gemeentelijke rol meer."}),
            )
            .await;
        }
        if step >= 2 {
            self.admin(
                Method::PUT,
                &format!("{path}/letter"),
                json!({"sentOn": "2025-02-01"}),
            )
            .await;
        }
        if step >= 3 {
            self.admin(
                Method::PUT,
                &format!("{path}/notification"),
                json!({"on": "2025-02-02", "how": "Per brief"}),
            )
            .await;
        }
        id
    }

    /// The address of a row of the decisions, rules or scenarios API, and the id put in.
    async fn decision_path(&self, row: &Row) -> (String, String) {
        let id = match row.obj {
            DecisionLv => self.fresh_decision("adopted").await,
            ProposalLv => self.fresh_decision("proposed").await,
            ScenarioLv => self.fresh_scenario().await,
            ScenarioMerged => self.fresh_merged_scenario().await,
            _ => String::new(),
        };
        let path = match (row.method, row.route) {
            (_, "/api/v1/decisions/about") => {
                format!("{}?kind=partnership&id={}", row.route, self.lv_partnership)
            }
            (_, "/api/v1/scenarios/compare") => {
                format!("{}?ids={id},{}", row.route, self.fresh_scenario().await)
            }
            ("GET", "/api/v1/decisions" | "/api/v1/rules" | "/api/v1/scenarios") => {
                format!("{}?municipality={}", row.route, Self::municipality(row.obj))
            }
            _ => row.route.replace("{id}", &id),
        };
        (path, id)
    }

    /// A town of the world register by name (the register's towns exist without a list).
    async fn town(&self, q: &str) -> String {
        let res = self
            .http
            .get(format!("{}/api/v1/towns?q={q}", self.base))
            .send()
            .await
            .unwrap();
        let v: Value = res.json().await.unwrap();
        v["towns"][0]["id"].as_i64().expect("a town").to_string()
    }

    /// The address of a row of the world register's API.
    async fn world_path(&self, row: &Row) -> String {
        match row.route {
            "/api/v1/towns" => "/api/v1/towns?q=hrani".to_owned(),
            "/api/v1/network/shared-partners" | "/api/v1/network/chain" => format!(
                "{}?a={}&b={}",
                row.route,
                self.town("leidschendam-voorburg").await,
                self.town("hranice").await
            ),
            "/api/v1/network/triangles" => {
                format!(
                    "{}?town={}",
                    row.route,
                    self.town("leidschendam-voorburg").await
                )
            }
            "/api/v1/suggestions" => format!("{}?municipality=leidschendam-voorburg", row.route),
            "/api/v1/world/imports" => format!("{}?label=roles", row.route),
            r if r.contains("{code}") => r.replace("{code}", "NL"),
            r if r.contains("{id}") => r.replace("{id}", &self.town("leidschendam-voorburg").await),
            r => r.to_owned(),
        }
    }

    /// The query a money list of the API needs: the municipality, or the working group.
    fn money_query(&self, row: &Row) -> Option<String> {
        match (row.method, row.route) {
            (
                "GET",
                "/api/v1/subsidies" | "/api/v1/subsidy-register" | "/api/v1/phase-out-schedules",
            ) => Some(format!("municipality={}", Self::municipality(row.obj))),
            ("GET", "/api/v1/reports" | "/api/v1/reports/compare") => Some(format!(
                "municipality={}&from=2004&to=2008",
                Self::municipality(row.obj)
            )),
            ("GET", "/api/v1/transactions") => {
                Some(format!("workingGroup={}", self.group(row.obj)))
            }
            _ => None,
        }
    }

    fn group(&self, obj: Obj) -> &str {
        match obj {
            GroupTm => &self.group_tm,
            _ => &self.group_hr,
        }
    }

    fn municipality(obj: Obj) -> &'static str {
        match obj {
            Dh => "den-haag",
            Voorburg => "voorburg",
            Hranice => "hranice",
            _ => "leidschendam-voorburg",
        }
    }

    /// The address a row asks for, its parameters filled in for this role; and the value put in.
    async fn path(&self, row: &Row, role: Role) -> (String, String) {
        let route = row.route.trim_start_matches("/api/v1");
        let (placeholder, value) = if route.starts_with("/foundations/") {
            let value = if row.route.starts_with("/api/") {
                self.stichting.clone()
            } else {
                STICHTING.to_owned()
            };
            (
                if row.route.contains("{slug}") {
                    "{slug}"
                } else {
                    "{id}"
                },
                value,
            )
        } else if route.starts_with("/working-groups/") {
            let id = self.group(row.obj).to_owned();
            let value = if row.route.starts_with("/api/") {
                id
            } else {
                match row.obj {
                    GroupTm => "werkgroep-temecula".to_owned(),
                    _ => "werkgroep-hranice".to_owned(),
                }
            };
            (
                if row.route.contains("{slug}") {
                    "{slug}"
                } else {
                    "{id}"
                },
                value,
            )
        } else if route.starts_with("/activities/") {
            let id = match row.obj {
                ActTm => self.act_tm.clone(),
                ActMun => self.act_mun.clone(),
                FreshIncomingHr | ReceptionHr | ActInternal => self.fresh_activity(row.obj).await,
                _ => self.act_hr.clone(),
            };
            ("{id}", id)
        } else if route.starts_with("/people/") {
            let id = match row.obj {
                FreshPersonHr => self.fresh_person_hr().await,
                FreshPersonTm => self.fresh_person_tm().await,
                _ => self.person_hr.clone(),
            };
            ("{id}", id)
        } else if route.starts_with("/roles/") {
            let id = match row.obj {
                RoleBoard => {
                    self.fresh_role(
                        BodyKey::Foundation(&self.stichting),
                        &self.person_hr,
                        "board-member",
                    )
                    .await
                }
                _ => {
                    self.fresh_role(
                        BodyKey::WorkingGroup(&self.group_hr),
                        &self.person_hr,
                        "member",
                    )
                    .await
                }
            };
            ("{id}", id)
        } else if route.starts_with("/subsidies/") {
            ("{id}", self.fresh_subsidy().await)
        } else if route.starts_with("/phase-out-schedules/{id}") {
            ("{id}", self.fresh_schedule().await)
        } else if row.route.starts_with("/api/v1/")
            && [
                "/towns",
                "/countries",
                "/network/",
                "/suggestions",
                "/world/",
            ]
            .iter()
            .any(|p| route.starts_with(p))
        {
            return (self.world_path(row).await, String::new());
        } else if route.starts_with("/evaluations") {
            // The demo's evaluation of 2004 (three recommendations); lists of one municipality.
            if row.route.contains("{id}") {
                let id = self.demo_evaluation().await;
                let path = row.route.replace("{id}", &id).replace("{n}", "1");
                return (path, id);
            }
            let path = match (row.method, row.obj) {
                ("GET", Lv) => format!("{}?municipality=leidschendam-voorburg", row.route),
                _ => row.route.to_owned(),
            };
            return (path, String::new());
        } else if row.route.starts_with("/api/")
            && ["/decisions", "/rules", "/scenarios"]
                .iter()
                .any(|p| route.starts_with(p))
        {
            return self.decision_path(row).await;
        } else if row.route.contains("{slug}") {
            ("{slug}", Self::municipality(row.obj).to_owned())
        } else if row.route.starts_with("/api/v1/municipalities/{id}") {
            ("{id}", Self::municipality(row.obj).to_owned())
        } else if row.route.contains("partnerships/{id}") {
            let id = match row.obj {
                Dh => self.dh_partnership.clone(),
                MoveToDh => self.fresh_lv_partnership().await,
                EndingLv(step) => self.fresh_ending(step).await,
                _ => self.lv_partnership.clone(),
            };
            ("{id}", id)
        } else if row.route.contains("tokens/{id}") {
            let id = match (row.obj, self.account(role)) {
                (OtherToken, _) | (_, None) => self.strangers_token.clone(),
                (_, Some(a)) => a.spare_token.clone(),
            };
            ("{id}", id)
        } else if let Some(query) = self.money_query(row) {
            return (format!("{}?{query}", row.route), String::new());
        } else if row.route.contains("{*rest}") {
            ("{*rest}", "no-such-resource".to_owned())
        } else if row.route == "/language" {
            return ("/language?lang=en&next=/partnerships".into(), String::new());
        } else {
            return (row.route.to_owned(), String::new());
        };
        let mut path = row
            .route
            .replace(placeholder, &value)
            .replace("{date}", "2025-05-10");
        if path.contains("{participant}") {
            let n = self.next();
            let p = self
                .admin(
                    Method::POST,
                    &format!("/api/v1/activities/{}/participants", self.act_hr),
                    json!({"guestName": format!("Gast {n}"), "town": "hranice"}),
                )
                .await;
            let id = p["id"].as_str().expect("a participant id");
            path = path.replace("{participant}", id);
        }
        assert!(
            !path.contains('{'),
            "{} {}: a parameter the test cannot fill; teach App::path() it",
            row.method,
            row.route
        );
        (path, value)
    }

    /// The body a row sends (the API as JSON, pages the same fields as a form). Valid, so that a
    /// refusal can only be about who asks; new names where names must be unique.
    async fn body(
        &self,
        row: &Row,
        role: Role,
        param: &str,
        fresh: Option<&stedenband_domain::Account>,
    ) -> Option<Value> {
        let what = row
            .route
            .trim_start_matches("/api/v1")
            .replace("{slug}", "{id}");
        let n = self.next();
        Some(match (row.method, what.as_str()) {
            ("POST", "/login") => {
                // The public logs in as the working-group member.
                let (username, _) = role.account().or(Role::Member.account()).unwrap();
                json!({"username": username, "password": PASSWORD, "next": "/account"})
            }
            ("POST", "/logout" | "/account/tokens/{id}/revoke") => json!({}),
            ("POST", "/login/second-factor") => json!({"code": "123456", "next": "/account"}),
            ("POST", "/account/second-factor" | "/account/second-factor/remove") => {
                let Some(account) = fresh else {
                    return Some(json!({"code": "123456"}));
                };
                let enrolment = self.state.accounts.begin_enrolment(account).await.unwrap();
                let key = totp::base32_decode(&enrolment.secret).unwrap();
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_secs() as i64;
                let code = totp::code_at(&key, now);
                if what == "/account/second-factor" {
                    json!({ "code": code })
                } else {
                    // Set up already; removing it takes a code, here a recovery code (the app's
                    // current one was just used).
                    let recovery = self
                        .state
                        .accounts
                        .confirm_enrolment(account, &code, None)
                        .await
                        .unwrap();
                    json!({ "code": recovery[0] })
                }
            }
            ("POST", "/account/tokens") => json!({"name": format!("Sleutel {n}")}),
            ("POST", "/municipalities") => {
                json!({"name": format!("Rolstad {n}"), "kind": "municipality", "country": "DE"})
            }
            ("PUT" | "POST", "/municipalities/{id}") => {
                let (status, m) = self
                    .get_json(&format!("/api/v1/municipalities/{param}"))
                    .await;
                assert_eq!(status, StatusCode::OK, "municipality {param}");
                let keys = [
                    "name",
                    "slug",
                    "kind",
                    "country",
                    "region",
                    "officialCode",
                    "wikidataId",
                    "latitude",
                    "longitude",
                    "population",
                ];
                Value::Object(
                    keys.iter()
                        .filter(|k| !m[**k].is_null())
                        .map(|k| (k.to_string(), m[*k].clone()))
                        .collect(),
                )
            }
            ("POST", "/mergers" | "/municipalities/{id}/merger") => {
                let predecessor = match row.obj {
                    LvAbsorbsOther => self.fresh_other_municipality().await.0,
                    _ => self.fresh_municipality().await,
                };
                json!({"successor": Self::municipality(row.obj), "predecessors": [predecessor],
                       "effectiveOn": "2020-01-01"})
            }
            ("POST", "/partnerships") => {
                let (home, partner) = match row.obj {
                    Dh => ("den-haag", "temecula"),
                    _ => ("leidschendam-voorburg", "hranice"),
                };
                // Project-based with an end: Leidschendam-Voorburg's decision of 2011 enters no
                // new twinnings, but such cooperation stays allowed.
                json!({"home": home, "partner": partner, "kind": "project-based",
                       "initiator": "local-government", "start": "2024", "end": "2026",
                       "status": "active", "description": format!("Project {n}")})
            }
            ("PUT" | "POST", "/partnerships/{id}") => {
                let (status, p) = self
                    .get_json(&format!("/api/v1/partnerships/{param}"))
                    .await;
                assert_eq!(status, StatusCode::OK, "partnership {param}");
                let mut v = json!({"home": p["home"]["slug"], "partner": p["partner"]["slug"],
                                   "kind": p["kind"], "initiator": p["initiator"],
                                   "start": p["start"], "status": p["status"]});
                for k in ["end", "description"] {
                    if !p[k].is_null() {
                        v[k] = p[k].clone();
                    }
                }
                if p["initiator"] == "private-initiative" {
                    v["structural"] = json!(true);
                    v["supportedByMunicipality"] = json!(true);
                }
                if row.obj == MoveToDh {
                    v["home"] = json!("den-haag");
                }
                v
            }
            ("POST", "/partnerships/{id}/events") => {
                json!({"date": "2025", "kind": "visit", "text": format!("Bezoek {n}")})
            }
            ("POST", "/foundations") => {
                json!({"name": format!("Stichting Rol {n}"), "municipality": "leidschendam-voorburg"})
            }
            ("PUT" | "POST", "/foundations/{id}") => {
                json!({"name": "Stichting Stedenbanden Leidschendam-Voorburg",
                       "municipality": "leidschendam-voorburg", "foundedOn": "2002-01-01"})
            }
            ("POST", "/foundations/{id}/roles") => {
                json!({"person": self.person_hr, "role": "board-member", "start": "2025-01-01"})
            }
            ("POST", "/foundations/{id}/working-groups" | "/working-groups") => {
                json!({"foundation": self.stichting, "name": format!("Werkgroep Rol {n}"),
                       "partnerships": [self.lv_partnership], "foundedOn": "2025-01-01"})
            }
            ("POST", "/foundations/{id}/people") => {
                json!({"name": format!("Persoon {n}"), "basis": "membership"})
            }
            ("PUT" | "POST", "/working-groups/{id}") => {
                let g = self
                    .state
                    .organisation
                    .working_group(&stedenband_app::Caller::system(), self.group(row.obj))
                    .await
                    .unwrap()
                    .group;
                let partnerships: Vec<String> =
                    g.draft.partnerships.iter().map(|p| p.0.clone()).collect();
                json!({"name": g.draft.name.as_str(), "partnerships": partnerships,
                       "foundedOn": g.draft.term.start.to_string()})
            }
            ("POST", "/working-groups/{id}/roles") => {
                // Someone new: a role in the Temecula group would give its members rights over
                // Sanne de Wit.
                let person = match row.obj {
                    FreshPersonTm => self.fresh_person_tm().await,
                    _ => self.fresh_person().await,
                };
                json!({"person": person, "role": "member", "start": "2025-01-01"})
            }
            ("POST", "/roles/{id}/end") => json!({"end": "2025-12-31"}),
            ("PUT" | "POST", "/people/{id}") if row.obj == FreshPersonTm => {
                json!({"name": format!("Vrijwilliger {n}"), "basis": "membership"})
            }
            ("PUT" | "POST", "/people/{id}") => {
                json!({"name": "Sanne de Wit", "email": "sanne.dewit@example.org",
                       "basis": "membership"})
            }
            ("POST", "/people/{id}/withdraw-consent" | "/people/{id}/erase") => json!({}),
            ("POST", "/activities") => self.activity_body(row.obj),
            ("PUT" | "POST", "/activities/{id}") => self.activity_body(row.obj),
            ("PUT" | "POST", "/activities/{id}/occurrences/{date}") => {
                json!({"participantsHome": 5, "costs": "125.50"})
            }
            ("POST", "/activities/{id}/reception") => json!({}),
            ("POST", "/activities/{id}/participants") => {
                json!({"guestName": format!("Gast {n}"), "town": "hranice"})
            }
            ("POST", "/activities/{id}/participants/{participant}/remove") => json!({}),
            ("DELETE", "/activities/{id}/participants/{participant}") => return None,
            ("PUT", "/activities/{id}/reception") | ("POST", "/activities/{id}/reception/step") => {
                json!({"status": "accepted"})
            }
            ("POST", "/municipalities/{id}/subsidies") => {
                json!({"foundation": self.stichting, "grantor": "municipality",
                       "kind": "one-off-grant", "purpose": format!("Rolsubsidie {n}"),
                       "year": "2025"})
            }
            ("POST", "/subsidies/{id}/steps") => {
                json!({"step": "application", "date": "2025-01-15",
                       "document": format!("Aanvraag {n}"), "amount": "1.000,00"})
            }
            ("POST", "/working-groups/{id}/ledger") => {
                json!({"date": "2025-03-01", "direction": "income", "source": "sponsor",
                       "amount": "125,50", "description": format!("Sponsor {n}")})
            }
            ("POST", "/municipalities/{id}/phase-out-schedules") => {
                json!({"name": format!("Afbouw {n}"), "base": "24.490", "baseYear": "2012",
                       "years": "3", "method": "linear", "rounding": "whole-euros-half-up",
                       "partnerships": [self.lv_partnership]})
            }
            ("POST", "/subsidies") => {
                json!({"municipality": Self::municipality(row.obj), "foundation": self.stichting,
                       "kind": "one-off-grant", "purpose": format!("Rolsubsidie {n}"),
                       "year": 2025})
            }
            ("POST", "/transactions") => {
                json!({"workingGroup": self.group(row.obj), "date": "2025-03-01",
                       "direction": "income", "source": "sponsor", "amount": "125,50"})
            }
            ("POST", "/phase-out-schedules" | "/phase-out-schedules/compute") => {
                let partnership = match row.obj {
                    Dh => &self.dh_partnership,
                    _ => &self.lv_partnership,
                };
                json!({"municipality": Self::municipality(row.obj), "name": format!("Afbouw {n}"),
                       "base": "24490", "baseYear": "2012", "years": "3",
                       "partnerships": [partnership]})
            }
            ("POST", "/evaluations") => {
                let partnership = match row.obj {
                    Dh => &self.dh_partnership,
                    _ => &self.lv_partnership,
                };
                json!({"municipality": Self::municipality(row.obj), "year": "2016",
                       "title": format!("Rolevaluatie {n}"), "partnerships": [partnership],
                       "conclusions": ["Een conclusie."]})
            }
            ("POST", "/evaluations/{id}/follow-up") => {
                json!({"recommendation": "1", "status": "adopted", "date": "2011-11-08"})
            }
            ("PUT", "/evaluations/{id}/recommendations/{n}/follow-up") => {
                json!({"status": "adopted", "date": "2011-11-08"})
            }
            ("POST", "/decisions") => {
                json!({"municipality": Self::municipality(row.obj), "date": "2025-01-01",
                       "body": "council", "kind": "decision",
                       "title": format!("Rolbesluit {n}"), "outcome": "adopted"})
            }
            ("PUT", "/decisions/{id}") => {
                json!({"date": "2025-01-02", "body": "mayor-and-aldermen", "kind": "decision",
                       "title": format!("Rolbesluit {n}"), "outcome": "adopted"})
            }
            ("POST", "/decisions/{id}/rules") => json!({"kind": "no-budget-line"}),
            ("POST", "/world/imports") => json!([
                {"city1": format!("Roldorp {n}"), "country1": "Netherlands",
                 "city2": "Hranice", "country2": "Czech Republic"}
            ]),
            ("POST", "/rules") => {
                json!({"decision": self.fresh_decision("adopted").await,
                       "kind": "no-staff-capacity", "from": "2025-06-01"})
            }
            ("POST", "/scenarios") => {
                json!({"municipality": Self::municipality(row.obj), "code": format!("R{n}"),
                       "title": format!("Roloptie {n}"), "horizonFrom": 2030,
                       "horizonTo": "2032", "changes": [{"kind": "staff", "from": 2030,
                       "hours": "120"}]})
            }
            ("POST", "/scenarios/{id}/dry-run") => return None,
            ("POST", "/scenarios/{id}/adopt") => {
                json!({"date": "2025-03-01", "body": "council", "kind": "decision",
                       "title": format!("Rolbesluit {n}: een optie")})
            }
            ("POST", "/partnerships/{id}/ending") => {
                json!({"decision": self.fresh_decision("adopted").await,
                       "reason": "Geen gemeentelijke rol meer."})
            }
            ("PUT", "/partnerships/{id}/ending/letter") => json!({"sentOn": "2025-02-01"}),
            ("PUT", "/partnerships/{id}/ending/notification") => {
                json!({"on": "2025-02-02", "how": "Per brief"})
            }
            ("PUT", "/partnerships/{id}/ending/completion") => {
                json!({"endOn": "2025-02-03", "finalStatus": "civil-society-only"})
            }
            ("POST", "/{*rest}") => return None,
            (m, r) => panic!("{m} {r}: no body for this route; add one to App::body()"),
        })
    }

    /// The CSRF cookie and token the login form hands out.
    async fn login_csrf(&self) -> (String, String) {
        let res = self.http.get(self.url("/login")).send().await.unwrap();
        let name = format!("{}=", self.state.cookies.login_csrf_name());
        let cookie = res
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap())
            .find(|c| c.starts_with(&name))
            .expect("the login form's CSRF cookie");
        let pair = cookie.split(';').next().unwrap().to_owned();
        let token = pair[name.len()..].to_owned();
        (pair, token)
    }

    /// Sends a row's request as a role.
    async fn ask(&self, row: &Row, role: Role) -> (String, Answer) {
        let (path, param) = self.path(row, role).await;
        let method = Method::from_bytes(row.method.as_bytes()).unwrap();
        let account = self.account(role);
        let mut req = self.http.request(method.clone(), self.url(&path));
        if row.route.starts_with("/api/") {
            if let Some(a) = account {
                req = req.bearer_auth(&a.api_token);
            }
            if method != Method::GET
                && let Some(body) = self.body(row, role, &param, None).await
            {
                req = req.json(&body);
            }
        } else {
            let fresh = match account {
                Some(_) if row.obj == FreshAccount => Some(self.fresh_account(role).await),
                _ => None,
            };
            let session = match account {
                Some(_) if fresh.is_some() => {
                    fresh.as_ref().map(|(_, c, t)| (c.clone(), t.clone()))
                }
                // Logging in and out ends the session: one of its own, not the one all rows use.
                Some(a) if row.route == "/login" || row.route == "/logout" => {
                    let s = self
                        .state
                        .accounts
                        .login(a.username, PASSWORD, None)
                        .await
                        .unwrap();
                    let cookie = format!("{}={}", self.state.cookies.session_name(), s.token);
                    Some((cookie, s.csrf_token))
                }
                Some(a) => Some((a.cookie.clone(), a.csrf.clone())),
                None => None,
            };
            let mut cookies: Vec<String> = session.iter().map(|(c, _)| c.clone()).collect();
            if method == Method::POST {
                let body = self
                    .body(row, role, &param, fresh.as_ref().map(|(a, _, _)| a))
                    .await
                    .unwrap_or(json!({}));
                let mut form = form_of(&body);
                if row.obj != NoCsrf {
                    if row.route == "/login" {
                        let (cookie, token) = self.login_csrf().await;
                        cookies.push(cookie);
                        form.push(("_csrf".into(), token));
                    } else if let Some((_, csrf)) = &session {
                        form.push(("_csrf".into(), csrf.clone()));
                    }
                }
                let encoded = form
                    .iter()
                    .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
                    .collect::<Vec<_>>()
                    .join("&");
                req = req
                    .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(encoded);
            }
            if !cookies.is_empty() {
                req = req.header(COOKIE, cookies.join("; "));
            }
        }
        let res = req.send().await.unwrap();
        let answer = Answer {
            status: res.status().as_u16(),
            location: res
                .headers()
                .get(LOCATION)
                .map(|l| l.to_str().unwrap().to_owned()),
            body: res.text().await.unwrap(),
        };
        (path, answer)
    }
}

// ---- the tests ---------------------------------------------------------------------------------

async fn every_route_answers_every_role_as_the_table_says(app: App) {
    let mut mismatches = Vec::new();
    let mut cases = 0;
    for row in TABLE {
        for role in ROLES {
            let expected = row.expect[role as usize];
            let (path, answer) = app.ask(row, role).await;
            cases += 1;
            if !expected.accepts(&answer, row.method, &path) {
                mismatches.push(format!(
                    "{} {path} (route {}, {:?}) as {}: expected {expected}, got {answer}",
                    row.method,
                    row.route,
                    row.obj,
                    role.label()
                ));
            }
        }
    }
    for m in &mismatches {
        println!("MISMATCH {m}");
    }
    println!(
        "{} mismatches in {cases} cases ({} rows × {} roles)",
        mismatches.len(),
        TABLE.len(),
        ROLES.len()
    );
    assert!(
        mismatches.is_empty(),
        "{} of {cases} answers differ from the table:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

/// On the login form these name its own fields; anywhere else they would be a leak.
const LOGIN_FORM_FIELDS: &[&str] = &[
    r#"name="_csrf""#,
    r#"type="password""#,
    r#"id="f-password""#,
    r#"for="f-password""#,
    r#"name="password""#,
    r#"autocomplete="current-password""#,
];

async fn the_public_sees_nothing_personal(app: App) {
    // Every role has logged in and holds tokens (written in the audit log with its name); leave
    // more traces: writes by officials and the administrator, and another official's account.
    let (_, neighbour) = app.fresh_other_municipality().await;
    for (role, method, route, obj) in [
        (
            Role::OfficialLv,
            "POST",
            "/api/v1/partnerships/{id}/events",
            Lv,
        ),
        (Role::OfficialDh, "PUT", "/api/v1/partnerships/{id}", Dh),
        (Role::Admin, "POST", "/municipalities", Plain),
        (Role::OfficialLv, "POST", "/account/tokens", Plain),
    ] {
        let row = TABLE
            .iter()
            .find(|r| (r.method, r.route, r.obj) == (method, route, obj))
            .unwrap();
        let (path, answer) = app.ask(row, role).await;
        assert!(
            row.expect[role as usize].accepts(&answer, row.method, &path),
            "leaving a trace: {method} {path} as {}: {answer}",
            role.label()
        );
    }
    let mut secrets = vec![neighbour, "rt-derde".to_owned()];
    // The demo foundation's (invented) people: names and e-mail addresses.
    secrets.extend(
        [
            "Anna Jansen",
            "Pieter de Graaf",
            "Eva Bakker",
            "Joost Visser",
            "Linda Smit",
            "Sanne de Wit",
            "Dvořák",
            "Magdalena Kowalska",
            "Jennifer Miller",
            "@example.org",
        ]
        .map(String::from),
    );
    for a in app.accounts.iter().flatten() {
        secrets.extend([
            a.username.to_owned(),
            a.api_token.clone(),
            a.session_token.clone(),
            a.csrf.clone(),
        ]);
    }
    let mut findings = Vec::new();
    let mut checked = 0;
    let public_reads = TABLE
        .iter()
        .filter(|r| r.method == "GET" && r.expect[Role::Public as usize] == OK)
        // The stylesheet is no data (it styles password fields by name).
        .filter(|r| !r.route.starts_with("/static/"));
    for row in public_reads {
        let (path, answer) = app.ask(row, Role::Public).await;
        assert_eq!(answer.status, 200, "GET {path} as the public");
        checked += 1;
        let mut body = answer.body;
        if row.route == "/login" {
            for field in LOGIN_FORM_FIELDS {
                body = body.replace(field, "");
            }
        }
        let lower = body.to_lowercase();
        for word in ["password", "token_hash", "csrf"] {
            if lower.contains(word) {
                findings.push(format!("GET {path}: {word:?}"));
            }
        }
        for s in &secrets {
            if body.contains(s.as_str()) {
                findings.push(format!("GET {path}: {s:?}"));
            }
        }
    }
    for f in &findings {
        println!("PERSONAL {f}");
    }
    println!("{} findings in {checked} public answers", findings.len());
    assert!(checked >= 15, "only {checked} public answers checked");
    assert!(
        findings.is_empty(),
        "public answers show personal data:\n{}",
        findings.join("\n")
    );
}

// ---- the walk over the route table ---------------------------------------------------------------

/// Where a string, raw string or character literal that starts at `i` ends (the index after it).
fn literal_end(c: &[char], i: usize) -> Option<usize> {
    let ident = |j: usize| c[j].is_alphanumeric() || c[j] == '_';
    if c[i] == '"' {
        let mut j = i + 1;
        while j < c.len() && c[j] != '"' {
            j += if c[j] == '\\' { 2 } else { 1 };
        }
        return Some(j + 1);
    }
    if c[i] == 'r' && (i == 0 || !ident(i - 1)) {
        let hashes = c[i + 1..].iter().take_while(|&&x| x == '#').count();
        if c.get(i + 1 + hashes) == Some(&'"') {
            let close: Vec<char> = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            let mut j = i + 2 + hashes;
            while j < c.len() && !c[j..].starts_with(&close) {
                j += 1;
            }
            return Some(j + close.len());
        }
    }
    if c[i] == '\'' {
        if c.get(i + 1) == Some(&'\\') {
            let end = (i + 2..c.len()).find(|&j| c[j] == '\'')?;
            return Some(end + 1);
        }
        if c.get(i + 2) == Some(&'\'') {
            return Some(i + 3);
        }
    }
    None
}

/// The source without its comments (literals kept), so a commented-out route does not count.
fn without_comments(src: &str) -> Vec<char> {
    let c: Vec<char> = src.chars().collect();
    let mut out = Vec::with_capacity(c.len());
    let mut i = 0;
    while i < c.len() {
        if let Some(end) = literal_end(&c, i) {
            out.extend_from_slice(&c[i..end.min(c.len())]);
            i = end;
        } else if c[i..].starts_with(&['/', '/']) {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if c[i..].starts_with(&['/', '*']) {
            i += 2;
            while i < c.len() && !c[i..].starts_with(&['*', '/']) {
                i += 1;
            }
            i += 2;
        } else {
            out.push(c[i]);
            i += 1;
        }
    }
    out
}

/// The index of the `)` that closes the `(` at `open`.
fn closing(c: &[char], open: usize) -> usize {
    let mut depth = 0;
    let mut i = open;
    while i < c.len() {
        if let Some(end) = literal_end(c, i) {
            i = end;
            continue;
        }
        match c[i] {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
        i += 1;
    }
    panic!("unbalanced parentheses after index {open}");
}

/// The `.route("PATH", get(..).post(..))` entries of a source file of this crate, as (METHOD,
/// PATH); `any(..)` is "ANY". Comments don't count; rustfmt's line breaks don't matter.
fn routes_in(file: &str) -> Vec<(String, String)> {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    let src = std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()));
    let c = without_comments(&src);
    let needle: Vec<char> = ".route(".chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        if let Some(end) = literal_end(&c, i) {
            i = end;
            continue;
        }
        if !c[i..].starts_with(&needle) {
            i += 1;
            continue;
        }
        let open = i + needle.len() - 1;
        let close = closing(&c, open);
        let args: String = c[open + 1..close].iter().collect();
        let args = args.trim();
        let (path, rest) = args
            .strip_prefix('"')
            .and_then(|a| a.split_once('"'))
            .unwrap_or_else(|| panic!("{file}: a route whose path is not a literal: {args}"));
        let handler: Vec<char> = rest
            .trim()
            .strip_prefix(',')
            .unwrap_or_else(|| panic!("{file}: route {path} without a handler"))
            .trim()
            .trim_end_matches(',')
            .chars()
            .collect();
        // The method routers at the top level: `get(..)`, `.post(..)`, ...
        let mut methods = Vec::new();
        let mut j = 0;
        while j < handler.len() {
            if let Some(end) = literal_end(&handler, j) {
                j = end;
                continue;
            }
            if handler[j] == '(' {
                let start = (0..j)
                    .rev()
                    .take_while(|&k| handler[k].is_alphanumeric() || handler[k] == '_')
                    .last()
                    .unwrap_or(j);
                let name: String = handler[start..j].iter().collect();
                let known = [
                    "get", "post", "put", "patch", "delete", "head", "options", "trace", "any",
                ];
                let text: String = handler.iter().collect();
                assert!(
                    known.contains(&name.as_str()),
                    "{file}: cannot tell the methods of route {path} from `{text}`; teach routes_in() this form"
                );
                methods.push(name.to_uppercase());
                j = closing(&handler, j) + 1;
                continue;
            }
            j += 1;
        }
        assert!(!methods.is_empty(), "{file}: route {path} has no method");
        out.extend(methods.into_iter().map(|m| (m, path.to_owned())));
        i = close + 1;
    }
    out
}

#[test]
fn every_route_has_a_row_and_every_row_a_route() {
    let mut routes: BTreeSet<(String, String)> = BTreeSet::new();
    let pages = routes_in("src/lib.rs");
    assert!(
        pages.len() >= 25,
        "only {} routes read from src/lib.rs: is the parser still right?",
        pages.len()
    );
    routes.extend(pages);
    routes.extend(routes_in("src/api/mod.rs"));
    let doc = serde_json::to_value(stedenband_web::api::openapi()).unwrap();
    let paths = doc["paths"].as_object().expect("OpenAPI paths");
    assert!(!paths.is_empty());
    for (path, item) in paths {
        for method in item.as_object().unwrap().keys() {
            if [
                "get", "put", "post", "delete", "options", "head", "patch", "trace",
            ]
            .contains(&method.as_str())
            {
                routes.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    let rows: BTreeSet<(String, String)> = TABLE
        .iter()
        .map(|r| (r.method.to_owned(), r.route.to_owned()))
        .collect();
    let missing: Vec<String> = routes
        .iter()
        .filter(|(m, p)| {
            if m == "ANY" {
                !rows.iter().any(|(_, rp)| rp == p)
            } else {
                !rows.contains(&(m.clone(), p.clone()))
            }
        })
        .map(|(m, p)| format!("{m} {p}"))
        .collect();
    let stale: Vec<String> = rows
        .iter()
        .filter(|(m, p)| {
            !routes.contains(&(m.clone(), p.clone()))
                && !routes.contains(&("ANY".into(), p.clone()))
        })
        .map(|(m, p)| format!("{m} {p}"))
        .collect();
    let mut seen = BTreeSet::new();
    let twice: Vec<String> = TABLE
        .iter()
        .filter(|r| !seen.insert((r.method, r.route, format!("{:?}", r.obj))))
        .map(|r| format!("{} {} {:?}", r.method, r.route, r.obj))
        .collect();
    println!(
        "{} routes, {} rows × {} roles = {} cases",
        routes.len(),
        TABLE.len(),
        ROLES.len(),
        TABLE.len() * ROLES.len()
    );
    assert!(
        missing.is_empty(),
        "routes without a row in tests/roles.rs TABLE (add one, with the answer for every role):\n{}",
        missing.join("\n")
    );
    assert!(
        stale.is_empty(),
        "rows in tests/roles.rs TABLE for routes that no longer exist:\n{}",
        stale.join("\n")
    );
    assert!(twice.is_empty(), "rows given twice:\n{}", twice.join("\n"));
}

macro_rules! http_tests {
    ($($name:ident),+ $(,)?) => {
        $(
            mod $name {
                #[tokio::test]
                async fn sqlite() {
                    super::$name(super::App::start(super::demo_sqlite().await).await).await;
                }

                #[tokio::test]
                async fn postgres() {
                    let Some(db) = super::demo_postgres().await else { return };
                    super::$name(super::App::start(db).await).await;
                }
            }
        )+
    };
}

http_tests!(
    every_route_answers_every_role_as_the_table_says,
    the_public_sees_nothing_personal,
);
