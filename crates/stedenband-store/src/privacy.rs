//! What the schema holds about people: every table and every column, annotated. The register
//! of processing activities (AVG/GDPR art. 30) is printed from these annotations, a person's
//! data is exported by them, and a test compares them with the live schema on both databases,
//! so a column added without an annotation fails the build's tests.

use crate::{Store, StoreError, on_db};
use serde_json::{Map, Value};
use sqlx::{AssertSqlSafe, Column, Row, ValueRef};

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Data {
    /// Nothing about a person.
    None,
    /// Personal data, with its category as the register names it.
    Personal(&'static str),
    /// The id of a person in `people`: a reference that stays after anonymisation.
    PersonRef,
}

/// One table of the schema and what it is for.
#[derive(Debug, Clone, Copy)]
pub struct Table {
    pub name: &'static str,
    /// The processing activity this table serves.
    pub purpose: &'static str,
    /// Whose data it holds (empty when it holds none).
    pub subjects: &'static str,
    /// The lawful basis (art. 6) of holding it.
    pub basis: &'static str,
    /// How long it is kept.
    pub retention: &'static str,
    /// Where a person's rows are: the condition on `$1` (the person's id) for export.
    pub person_rows: Option<&'static str>,
    pub columns: &'static [(&'static str, Data)],
}

impl Table {
    pub fn personal_columns(&self) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
        self.columns.iter().filter_map(|(c, d)| match d {
            Data::Personal(category) => Some((*c, *category)),
            Data::PersonRef => Some((*c, "reference to a person")),
            Data::None => None,
        })
    }

    pub fn holds_personal_data(&self) -> bool {
        self.personal_columns().next().is_some()
    }
}

use Data::{None as N, PersonRef as R, Personal as P};

const FREE_TEXT: &str = "free text (may name mayors and other office holders)";
const ACCOUNTS: &str = "users of Stedenband (officials, board and working-group members)";
const ACCOUNT_BASIS: &str = "legitimate interest (art. 6(1)(f)): securing access to the register";

/// Every table of the schema (apart from the migration bookkeeping).
pub const SCHEMA: &[Table] = &[
    Table {
        name: "municipalities",
        purpose: "the register of municipalities and partner towns",
        subjects: "",
        basis: "",
        retention: "",
        person_rows: None,
        columns: &[
            ("id", N),
            ("slug", N),
            ("name", N),
            ("search_name", N),
            ("kind", N),
            ("country", N),
            ("region", N),
            ("official_code", N),
            ("wikidata_id", N),
            ("latitude", N),
            ("longitude", N),
            ("population", N),
            ("created_at", N),
            ("updated_at", N),
        ],
    },
    Table {
        name: "municipality_lineage",
        purpose: "mergers of municipalities",
        subjects: "",
        basis: "",
        retention: "",
        person_rows: None,
        columns: &[
            ("predecessor_id", N),
            ("successor_id", N),
            ("effective_on", N),
            ("created_at", N),
        ],
    },
    Table {
        name: "partnerships",
        purpose: "the register of partnerships",
        subjects: "office holders named in descriptions",
        basis: "public task (art. 6(1)(e)): the municipality's twinning policy",
        retention: "as long as the register is kept (archive value)",
        person_rows: None,
        columns: &[
            ("id", N),
            ("home_id", N),
            ("partner_id", N),
            ("kind", N),
            ("initiator", N),
            ("start_year", N),
            ("start_date", N),
            ("end_year", N),
            ("end_date", N),
            ("description", P(FREE_TEXT)),
            ("created_at", N),
            ("updated_at", N),
        ],
    },
    Table {
        name: "partnership_events",
        purpose: "the history of partnerships (signings, visits, status changes)",
        subjects: "office holders named in the history",
        basis: "public task (art. 6(1)(e)): the municipality's twinning policy",
        retention: "as long as the register is kept (archive value)",
        person_rows: None,
        columns: &[
            ("id", N),
            ("partnership_id", N),
            ("seq", N),
            ("year", N),
            ("date", N),
            ("kind", N),
            ("status", N),
            ("text", P(FREE_TEXT)),
            ("created_at", N),
        ],
    },
    Table {
        name: "accounts",
        purpose: "user accounts and logging in",
        subjects: ACCOUNTS,
        basis: ACCOUNT_BASIS,
        retention: "until the account is removed",
        person_rows: None,
        columns: &[
            ("id", N),
            ("username", P("user name")),
            ("password_hash", P("authentication data (Argon2id hash)")),
            ("disabled_at", N),
            ("created_at", N),
            ("updated_at", N),
        ],
    },
    Table {
        name: "account_grants",
        purpose: "what each account may do",
        subjects: ACCOUNTS,
        basis: ACCOUNT_BASIS,
        retention: "until the account is removed",
        person_rows: None,
        columns: &[
            ("account_id", N),
            ("role", P("role in the organisation")),
            ("scope", N),
        ],
    },
    Table {
        name: "sessions",
        purpose: "logged-in sessions",
        subjects: ACCOUNTS,
        basis: ACCOUNT_BASIS,
        retention: "until logout or expiry (idle and absolute limits)",
        person_rows: None,
        columns: &[
            ("token_hash", N),
            ("account_id", N),
            ("csrf_token", N),
            ("created_at", P("usage data (times of use)")),
            ("last_seen_at", P("usage data (times of use)")),
            ("expires_at", N),
            ("stage", N),
        ],
    },
    Table {
        name: "access_tokens",
        purpose: "personal access tokens for the API",
        subjects: ACCOUNTS,
        basis: ACCOUNT_BASIS,
        retention: "until revoked or the account is removed",
        person_rows: None,
        columns: &[
            ("id", N),
            ("account_id", N),
            ("name", N),
            ("token_hash", N),
            ("created_at", N),
            ("last_used_at", P("usage data (times of use)")),
            ("revoked_at", N),
        ],
    },
    Table {
        name: "login_failures",
        purpose: "throttling password guessing",
        subjects: "whoever tries to log in",
        basis: ACCOUNT_BASIS,
        retention: "the 15-minute throttle window",
        person_rows: None,
        columns: &[("id", N), ("key", P("user name or IP address")), ("at", N)],
    },
    Table {
        name: "audit_log",
        purpose: "accountability: who changed what, and refused attempts",
        subjects: "users of Stedenband; people only by id, never by their details",
        basis: "legal obligation (art. 6(1)(c)) and legitimate interest: accountability of public records",
        retention: "10 years; entries are hash-chained and never changed",
        // Entries about the person, and changes whose values name their id (roles given).
        person_rows: Some(
            "object_id = $1 OR before_json LIKE '%' || $1 || '%' OR after_json LIKE '%' || $1 || '%'",
        ),
        columns: &[
            ("seq", N),
            ("at", N),
            ("actor", P("user name")),
            ("address", P("IP address")),
            ("action", N),
            ("object_kind", N),
            ("object_id", N),
            (
                "before_json",
                P("the record before a change (people: field names only)"),
            ),
            (
                "after_json",
                P("the record after a change (people: field names only)"),
            ),
            ("outcome", N),
            ("prev_hash", N),
            ("hash", N),
        ],
    },
    Table {
        name: "second_factors",
        purpose: "two-step login (TOTP)",
        subjects: ACCOUNTS,
        basis: ACCOUNT_BASIS,
        retention: "until removed or reset",
        person_rows: None,
        columns: &[
            ("account_id", N),
            ("secret", P("authentication data (TOTP secret)")),
            ("enrolled_at", N),
            ("last_step", N),
            ("created_at", N),
        ],
    },
    Table {
        name: "recovery_codes",
        purpose: "two-step login recovery",
        subjects: ACCOUNTS,
        basis: ACCOUNT_BASIS,
        retention: "until used or replaced",
        person_rows: None,
        columns: &[
            ("account_id", N),
            (
                "code_hash",
                P("authentication data (SHA-256 of a recovery code)"),
            ),
            ("used_at", N),
        ],
    },
    Table {
        name: "foundations",
        purpose: "the foundations that carry the twinnings",
        subjects: "",
        basis: "",
        retention: "",
        person_rows: None,
        columns: &[
            ("id", N),
            ("slug", N),
            ("name", N),
            ("municipality_id", N),
            ("kvk_number", N),
            ("founded_on", N),
            ("purpose", N),
            ("website", N),
            ("created_at", N),
            ("updated_at", N),
        ],
    },
    Table {
        name: "working_groups",
        purpose: "the working groups of a foundation",
        subjects: "",
        basis: "",
        retention: "",
        person_rows: None,
        columns: &[
            ("id", N),
            ("slug", N),
            ("foundation_id", N),
            ("name", N),
            ("founded_on", N),
            ("ended_on", N),
            ("created_at", N),
            ("updated_at", N),
        ],
    },
    Table {
        name: "working_group_partnerships",
        purpose: "which partnerships a working group carries",
        subjects: "",
        basis: "",
        retention: "",
        person_rows: None,
        columns: &[("working_group_id", N), ("partnership_id", N)],
    },
    Table {
        name: "people",
        purpose: "the foundation's board, working-group members and contacts in partner towns",
        subjects: "board members, working-group members, contacts in partner towns",
        basis: "per person: membership (art. 6(1)(b)), consent (art. 6(1)(a)) or public task (art. 6(1)(e))",
        retention: "24 months after the last role ended (public task: 84 months); at once when consent is withdrawn; `stedenband gdpr retention` anonymises",
        person_rows: Some("id = $1"),
        columns: &[
            ("id", R),
            ("foundation_id", N),
            ("name", P("name")),
            ("email", P("contact details (e-mail)")),
            ("phone", P("contact details (telephone)")),
            ("basis", P("lawful basis")),
            ("consent_text_version", P("consent record")),
            ("consent_given_on", P("consent record")),
            (
                "consent_recorded_by",
                P("consent record (user name of who recorded it)"),
            ),
            ("consent_withdrawn_on", P("consent record")),
            ("demo", N),
            ("created_on", N),
            ("anonymised_on", N),
            ("updated_at", N),
        ],
    },
    Table {
        name: "roles",
        purpose: "who holds which role in a foundation or working group, and when",
        subjects: "board members, working-group members, contacts in partner towns",
        basis: "as for the person",
        retention: "kept with an anonymous reference after the person is anonymised (the board of a past date)",
        person_rows: Some("person_id = $1"),
        columns: &[
            ("id", N),
            ("person_id", R),
            ("foundation_id", N),
            ("working_group_id", N),
            ("role", P("role in the organisation")),
            ("start_on", P("term of a role")),
            ("end_on", P("term of a role")),
            ("created_at", N),
        ],
    },
    Table {
        name: "activities",
        purpose: "the activities of partnerships (exchanges, visits, recurring events)",
        subjects: "people named in descriptions and outcomes",
        basis: "public task (art. 6(1)(e)) and legitimate interest of the foundation",
        retention: "as long as the register is kept (archive value)",
        person_rows: None,
        columns: &[
            ("id", N),
            ("partnership_id", N),
            ("working_group_id", N),
            ("title", N),
            ("description", P(FREE_TEXT)),
            ("start_on", N),
            ("start_time", N),
            ("end_on", N),
            ("end_time", N),
            ("timezone", N),
            ("place", N),
            ("direction", N),
            ("category", N),
            ("participants_home", N),
            ("participants_partner", N),
            ("status", N),
            ("outcomes", P(FREE_TEXT)),
            ("links", N),
            ("public", N),
            ("recurrence", N),
            ("recurrence_until", N),
            ("created_at", N),
            ("updated_at", N),
        ],
    },
    Table {
        name: "activity_occurrences",
        purpose: "the figures of each occurrence of a recurring activity",
        subjects: "people named in notes",
        basis: "public task (art. 6(1)(e)) and legitimate interest of the foundation",
        retention: "as long as the register is kept (archive value)",
        person_rows: None,
        columns: &[
            ("activity_id", N),
            ("occurrence_on", N),
            ("participants_home", N),
            ("participants_partner", N),
            ("costs_cents", N),
            ("notes", P(FREE_TEXT)),
            ("cancelled", N),
        ],
    },
    Table {
        name: "receptions",
        purpose: "receptions of visitors by the mayor and aldermen",
        subjects: "the office holders who receive; people named in notes",
        basis: "public task (art. 6(1)(e))",
        retention: "as long as the register is kept (archive value)",
        person_rows: None,
        columns: &[
            ("activity_id", N),
            ("status", N),
            ("scheduled_on", N),
            ("scheduled_at", N),
            (
                "received_by",
                P("name or office of the receiving office holder"),
            ),
            ("note", P(FREE_TEXT)),
            ("requested_at", N),
            ("updated_at", N),
        ],
    },
    Table {
        name: "activity_participants",
        purpose: "participants of an activity listed by name, per town (EU grants' sign-in sheets)",
        subjects: "members of the organisation and guests taking part in an activity",
        basis: "legitimate interest (art. 6(1)(f)) of the foundation and the grant's accountability",
        retention: "guests' names 60 months after the activity, then emptied by `stedenband gdpr retention`; people by reference, as long as the person",
        person_rows: Some("person_id = $1"),
        columns: &[
            ("id", N),
            ("activity_id", N),
            ("person_id", R),
            ("guest_name", P("name of a guest")),
            ("town_id", P("town a participant comes from")),
            ("recorded_on", N),
            ("anonymised_on", N),
        ],
    },
    Table {
        name: "phase_out_schedules",
        purpose: "phase-out schedules of subsidies as the council decided them",
        subjects: "",
        basis: "",
        retention: "",
        person_rows: None,
        columns: &[
            ("id", N),
            ("municipality_id", N),
            ("name", N),
            ("base_cents", N),
            ("base_year", N),
            ("years", N),
            ("method", N),
            ("fractions", N),
            ("rounding", N),
            ("decided_by", N),
            ("created_at", N),
        ],
    },
    Table {
        name: "phase_out_schedule_partnerships",
        purpose: "the partnerships a phase-out schedule is split over",
        subjects: "",
        basis: "",
        retention: "",
        person_rows: None,
        columns: &[
            ("schedule_id", N),
            ("position", N),
            ("partnership_id", N),
            ("weight", N),
        ],
    },
    Table {
        name: "subsidies",
        purpose: "subsidies to twinning organisations (never to private persons)",
        subjects: "",
        basis: "",
        retention: "",
        person_rows: None,
        columns: &[
            ("id", N),
            ("municipality_id", N),
            ("grantor", N),
            ("foundation_id", N),
            ("working_group_id", N),
            ("kind", N),
            ("purpose", N),
            ("year", N),
            ("schedule_id", N),
            ("activity_id", N),
            ("created_at", N),
            ("updated_at", N),
        ],
    },
    Table {
        name: "subsidy_partnerships",
        purpose: "the partnerships a subsidy is for",
        subjects: "",
        basis: "",
        retention: "",
        person_rows: None,
        columns: &[("subsidy_id", N), ("partnership_id", N)],
    },
    Table {
        name: "subsidy_steps",
        purpose: "the Awb life cycle of each subsidy (application to payment or reclaim)",
        subjects: "people named in conditions",
        basis: "public task (art. 6(1)(e)) and legal obligation (art. 6(1)(c)): the Awb and the archives act",
        retention: "as long as the financial records are kept (7 years, art. 2:10 BW / archives)",
        person_rows: None,
        columns: &[
            ("subsidy_id", N),
            ("seq", N),
            ("step", N),
            ("on_date", N),
            ("document", N),
            ("amount_cents", N),
            ("conditions", P(FREE_TEXT)),
            ("due_on", N),
            ("allowed_by", N),
            ("recorded_at", N),
        ],
    },
    Table {
        name: "transactions",
        purpose: "the working groups' ledgers: income by source and expenses by category",
        subjects: "people named in descriptions (sponsors, suppliers)",
        basis: "legal obligation (art. 6(1)(c)): the foundation's bookkeeping (art. 2:10 BW)",
        retention: "7 years (art. 2:10 BW)",
        person_rows: None,
        columns: &[
            ("id", N),
            ("working_group_id", N),
            ("on_date", N),
            ("direction", N),
            ("source", N),
            ("category", N),
            ("amount_cents", N),
            ("activity_id", N),
            ("subsidy_id", N),
            ("description", P(FREE_TEXT)),
            ("document", N),
            ("illustrative", N),
            ("created_at", N),
        ],
    },
    // Evaluations are policy documents about twinnings, not about people. Their free texts are
    // annotated as the other free texts are: they may name mayors and other office holders.
    Table {
        name: "evaluations",
        purpose: "evaluations of a municipality's twinnings (question, period, who carried them out)",
        subjects: "office holders named in the texts",
        basis: "public task (art. 6(1)(e)): the municipality's twinning policy",
        retention: "as long as the register is kept (archive value)",
        person_rows: None,
        columns: &[
            ("id", N),
            ("municipality_id", N),
            ("year", N),
            ("title", N),
            ("commissioned_by", P(FREE_TEXT)),
            ("carried_out_by", P(FREE_TEXT)),
            ("occasion", P(FREE_TEXT)),
            ("occasion_decision_id", N),
            ("research_question", P(FREE_TEXT)),
            ("period_from", N),
            ("period_to", N),
            ("created_at", N),
            ("updated_at", N),
        ],
    },
    Table {
        name: "evaluation_partnerships",
        purpose: "the partnerships an evaluation covers",
        subjects: "",
        basis: "",
        retention: "",
        person_rows: None,
        columns: &[("evaluation_id", N), ("position", N), ("partnership_id", N)],
    },
    Table {
        name: "evaluation_criteria",
        purpose: "the criteria of an evaluation and what was found on each",
        subjects: "office holders named in findings",
        basis: "public task (art. 6(1)(e)): the municipality's twinning policy",
        retention: "as long as the register is kept (archive value)",
        person_rows: None,
        columns: &[
            ("evaluation_id", N),
            ("position", N),
            ("name", N),
            ("aspect", N),
            ("finding", P(FREE_TEXT)),
        ],
    },
    Table {
        name: "evaluation_conclusions",
        purpose: "the conclusions of an evaluation",
        subjects: "office holders named in conclusions",
        basis: "public task (art. 6(1)(e)): the municipality's twinning policy",
        retention: "as long as the register is kept (archive value)",
        person_rows: None,
        columns: &[
            ("evaluation_id", N),
            ("position", N),
            ("text", P(FREE_TEXT)),
        ],
    },
    Table {
        name: "evaluation_recommendations",
        purpose: "the recommendations of an evaluation and what became of them",
        subjects: "office holders named in recommendations and notes",
        basis: "public task (art. 6(1)(e)): the municipality's twinning policy",
        retention: "as long as the register is kept (archive value)",
        person_rows: None,
        columns: &[
            ("evaluation_id", N),
            ("position", N),
            ("text", P(FREE_TEXT)),
            ("status", N),
            ("status_on", N),
            ("note", P(FREE_TEXT)),
            ("updated_at", N),
        ],
    },
    // Decisions, rules, scenarios and plans are policy records about twinnings, not about
    // people; their free texts may name office holders, as evaluations' texts do.
    Table {
        name: "decisions",
        purpose: "council decisions and motions about twinnings",
        subjects: "office holders named in the texts",
        basis: "public task (art. 6(1)(e)): the municipality's twinning policy",
        retention: "as long as the register is kept (archive value)",
        person_rows: None,
        columns: &[
            ("id", N),
            ("municipality_id", N),
            ("decided_on", N),
            ("body", N),
            ("kind", N),
            ("reference", N),
            ("title", N),
            ("text", P(FREE_TEXT)),
            ("outcome", N),
            ("votes_for", N),
            ("votes_against", N),
            ("source_url", N),
            ("created_at", N),
            ("updated_at", N),
        ],
    },
    Table {
        name: "decision_affects",
        purpose: "the records a decision is about",
        subjects: "",
        basis: "",
        retention: "",
        person_rows: None,
        columns: &[
            ("decision_id", N),
            ("position", N),
            ("object_kind", N),
            ("object_id", N),
        ],
    },
    Table {
        name: "rules",
        purpose: "the rules decisions impose and lift",
        subjects: "",
        basis: "",
        retention: "",
        person_rows: None,
        columns: &[
            ("id", N),
            ("municipality_id", N),
            ("decision_id", N),
            ("kind", N),
            ("from_date", N),
            ("schedule_id", N),
            ("lifted_by", N),
            ("created_at", N),
        ],
    },
    Table {
        name: "scenarios",
        purpose: "policy options and the changes they would make",
        subjects: "office holders named in descriptions",
        basis: "public task (art. 6(1)(e)): the municipality's twinning policy",
        retention: "as long as the register is kept (archive value)",
        person_rows: None,
        columns: &[
            ("id", N),
            ("municipality_id", N),
            ("code", N),
            ("title", N),
            ("description", P(FREE_TEXT)),
            ("proposed", N),
            ("horizon_from", N),
            ("horizon_to", N),
            ("changes_json", N),
            ("adopted_by", N),
            ("created_at", N),
        ],
    },
    Table {
        name: "municipal_plan_lines",
        purpose: "the municipality's planned money lines per year, from an adopted scenario",
        subjects: "",
        basis: "",
        retention: "",
        person_rows: None,
        columns: &[
            ("municipality_id", N),
            ("year", N),
            ("line", N),
            ("line_kind", N),
            ("working_group_id", N),
            ("in_kind", N),
            ("amount_cents", N),
            ("decision_id", N),
        ],
    },
    Table {
        name: "municipal_plan_staff",
        purpose: "the municipality's planned staff capacity per year, from an adopted scenario",
        subjects: "",
        basis: "",
        retention: "",
        person_rows: None,
        columns: &[
            ("municipality_id", N),
            ("year", N),
            ("hours", N),
            ("decision_id", N),
        ],
    },
    Table {
        name: "partnership_endings",
        purpose: "the ending of a partnership: decision, letter to the partner, notification",
        subjects: "office holders named in the letters and notes",
        basis: "public task (art. 6(1)(e)): the municipality's twinning policy",
        retention: "as long as the register is kept (archive value)",
        person_rows: None,
        columns: &[
            ("partnership_id", N),
            ("decision_id", N),
            ("reason", P(FREE_TEXT)),
            ("letter_nl", P(FREE_TEXT)),
            ("letter_en", P(FREE_TEXT)),
            ("letter_sent_on", N),
            ("notified_on", N),
            ("notified_how", P(FREE_TEXT)),
            ("end_on", N),
            ("final_status", N),
            ("created_at", N),
            ("updated_at", N),
        ],
    },
    Table {
        name: "world_sources",
        purpose: "the world register: the public lists of twinnings imported",
        subjects: "",
        basis: "public task (art. 6(1)(e)): the municipality's twinning policy",
        retention: "until the list is replaced",
        person_rows: None,
        columns: &[
            ("id", N),
            ("label", N),
            ("attribution", N),
            ("file_sha256", N),
            ("imported_at", N),
            ("rows_total", N),
            ("imported", N),
            ("merged", N),
            ("rejected", N),
        ],
    },
    Table {
        name: "world_towns",
        purpose: "the world register: towns of the public lists and of the register",
        subjects: "",
        basis: "public task (art. 6(1)(e)): the municipality's twinning policy",
        retention: "until the list is replaced",
        person_rows: None,
        columns: &[
            ("id", N),
            ("name", N),
            ("search_name", N),
            ("country", N),
            ("region", N),
            ("latitude", N),
            ("longitude", N),
            ("wikidata_id", N),
            ("municipality_id", N),
            ("source_id", N),
        ],
    },
    Table {
        name: "world_pairs",
        purpose: "the world register: twin pairs of the public lists",
        subjects: "",
        basis: "public task (art. 6(1)(e)): the municipality's twinning policy",
        retention: "until the list is replaced",
        person_rows: None,
        columns: &[
            ("town_a", N),
            ("town_b", N),
            ("start_year", N),
            ("end_year", N),
            ("source_id", N),
            ("source_row", N),
        ],
    },
];

/// Tables that are bookkeeping of the migration tool, not data.
pub const BOOKKEEPING: &[&str] = &["_sqlx_migrations"];

/// The register of processing activities (art. 30) as Markdown.
pub fn register_markdown() -> String {
    let mut out = String::from(
        "# Register of processing activities (AVG/GDPR art. 30)\n\n\
         Generated by `stedenband gdpr register` from the annotations of the schema \
         (`stedenband-store/src/privacy.rs`).\n\n\
         - Controller: the organisation that runs this Stedenband installation (the municipality \
         or the foundation); fill in its name and contact details and those of its data \
         protection officer.\n\
         - Recipients: the accounts granted access in Stedenband; nobody outside it. Public pages \
         and the public API show no personal data.\n\
         - Transfers outside the EEA: none by Stedenband itself.\n\
         - Security measures: Argon2id password hashes, hashed session and access tokens, \
         two-step login for administrators and officials, roles scoped to one municipality, \
         foundation or working group, a hash-chained audit log, SQLite secure_delete (erased values are overwritten in the \
         file). On PostgreSQL earlier versions of changed rows stay in the data files until \
         (auto)vacuum reclaims them: run `VACUUM people` after an erasure where that matters.\n\n",
    );
    for t in SCHEMA.iter().filter(|t| t.holds_personal_data()) {
        out.push_str(&format!("## {}\n\n", t.name));
        out.push_str(&format!("- Purpose: {}\n", t.purpose));
        out.push_str(&format!("- Data subjects: {}\n", t.subjects));
        out.push_str(&format!("- Lawful basis: {}\n", t.basis));
        out.push_str(&format!("- Retention: {}\n\n", t.retention));
        out.push_str("| Column | Personal data |\n|---|---|\n");
        for (c, category) in t.personal_columns() {
            out.push_str(&format!("| `{c}` | {category} |\n"));
        }
        out.push('\n');
    }
    out.push_str("## Retention periods\n\n| Kind of record | Months | From |\n|---|---|---|\n");
    for r in stedenband_domain::organisation::RETENTION {
        let kind = serde_json::to_value(r.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        out.push_str(&format!("| {kind} | {} | {} |\n", r.months, r.from));
    }
    out
}

macro_rules! row_json {
    ($row:expr, [$($t:ty),*]) => {{
        let row = $row;
        let mut map = Map::new();
        for (i, col) in row.columns().iter().enumerate() {
            let raw = row.try_get_raw(i)?;
            let value = if raw.is_null() {
                Value::Null
            } else {
                let mut v = Value::Null;
                $(
                    if v.is_null() {
                        if let Ok(x) = row.try_get::<$t, _>(i) {
                            v = serde_json::json!(x);
                        }
                    }
                )*
                v
            };
            map.insert(col.name().to_owned(), value);
        }
        map
    }};
}

impl Store {
    /// Every row of every table that refers to a person, by table, as JSON objects.
    pub async fn person_rows(&self, person: &str) -> Result<Map<String, Value>, StoreError> {
        let mut out = Map::new();
        for t in SCHEMA {
            let Some(condition) = t.person_rows else {
                continue;
            };
            let sql = format!("SELECT * FROM {} WHERE {condition}", t.name);
            let rows: Vec<Map<String, Value>> = match &self.db {
                crate::Db::Sqlite(pool) => {
                    let rows = sqlx::query(AssertSqlSafe(sql))
                        .bind(person)
                        .fetch_all(pool)
                        .await?;
                    let mut v = Vec::new();
                    for r in &rows {
                        v.push(row_json!(r, [String, i64, f64]));
                    }
                    v
                }
                crate::Db::Postgres(pool) => {
                    let rows = sqlx::query(AssertSqlSafe(sql))
                        .bind(person)
                        .fetch_all(pool)
                        .await?;
                    let mut v = Vec::new();
                    for r in &rows {
                        v.push(row_json!(r, [String, i64, i32, f64, bool]));
                    }
                    v
                }
            };
            out.insert(
                t.name.to_owned(),
                Value::Array(rows.into_iter().map(Value::Object).collect()),
            );
        }
        Ok(out)
    }

    /// The tables and their columns as the database has them (for comparing with [`SCHEMA`]).
    pub async fn live_columns(&self) -> Result<Vec<(String, String)>, StoreError> {
        let rows: Vec<(String, String)> = on_db!(&self.db, pool => {
            match self.db.backend() {
                crate::Backend::Sqlite => sqlx::query_as(
                    "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p \
                     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.cid",
                )
                .fetch_all(pool)
                .await,
                crate::Backend::Postgres => sqlx::query_as(
                    "SELECT table_name::text, column_name::text FROM information_schema.columns \
                     WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position",
                )
                .fetch_all(pool)
                .await,
            }
        })?;
        Ok(rows
            .into_iter()
            .filter(|(t, _)| !BOOKKEEPING.contains(&t.as_str()))
            .collect())
    }
}
