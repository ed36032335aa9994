//! Foundations, working groups, people and their roles.

use crate::decision::{append_audit, begin_audited};
use crate::error::corrupt;
use crate::register::AuditOf;
use crate::rows::Get;
use crate::{Store, StoreError, new_id, now_text, on_db};
use jiff::civil::Date;
use sqlx::AssertSqlSafe;
use stedenband_domain::audit::{AuditDraft, GENESIS, entry_hash};
use stedenband_domain::organisation::{
    Assignment, Body, Foundation, FoundationDraft, LawfulBasis, OrgRole, Person, PersonDraft,
    RoleRecord, Term, WorkingGroup, WorkingGroupDraft,
};
use stedenband_domain::{MunicipalityId, Name, PartnershipId, Slug};

fn date(raw: &str, what: &str, key: &str) -> Result<Date, StoreError> {
    raw.parse().map_err(|_| corrupt(what, key))
}

fn opt_date(raw: Option<String>, what: &str, key: &str) -> Result<Option<Date>, StoreError> {
    raw.map(|s| date(&s, what, key)).transpose()
}

fn text_of(d: Option<Date>) -> Option<String> {
    d.map(|d| d.to_string())
}

const FOUNDATION_COLUMNS: &str =
    "id, slug, name, municipality_id, kvk_number, founded_on, purpose, website";

fn foundation(row: &impl Get) -> Result<Foundation, StoreError> {
    let bad = |key: &str| corrupt("foundation", key);
    Ok(Foundation {
        id: row.text("id")?,
        slug: Slug::parse(&row.text("slug")?).map_err(bad)?,
        draft: FoundationDraft {
            name: Name::parse(&row.text("name")?).map_err(bad)?,
            municipality: MunicipalityId(row.text("municipality_id")?),
            kvk_number: row.opt_text("kvk_number")?,
            founded_on: opt_date(row.opt_text("founded_on")?, "foundation", "founded_on")?,
            purpose: row.opt_text("purpose")?,
            website: row.opt_text("website")?,
        },
    })
}

const GROUP_COLUMNS: &str = "id, slug, foundation_id, name, founded_on, ended_on";

const GROUP_PARTNERSHIPS_SQL: &str = "SELECT partnership_id FROM working_group_partnerships \
     WHERE working_group_id = $1 ORDER BY partnership_id";

fn group(row: &impl Get, partnerships: Vec<PartnershipId>) -> Result<WorkingGroup, StoreError> {
    let bad = |key: &str| corrupt("working group", key);
    let start = date(&row.text("founded_on")?, "working group", "founded_on")?;
    let end = opt_date(row.opt_text("ended_on")?, "working group", "ended_on")?;
    Ok(WorkingGroup {
        id: row.text("id")?,
        slug: Slug::parse(&row.text("slug")?).map_err(bad)?,
        foundation: row.text("foundation_id")?,
        draft: WorkingGroupDraft {
            name: Name::parse(&row.text("name")?).map_err(bad)?,
            partnerships,
            term: Term::new(start, end).map_err(bad)?,
        },
    })
}

const PERSON_COLUMNS: &str = "id, foundation_id, name, email, phone, basis, consent_text_version, \
     consent_given_on, consent_recorded_by, consent_withdrawn_on, demo, created_on, anonymised_on";

fn person(row: &impl Get) -> Result<Person, StoreError> {
    let what = "person";
    let bad = |key: &str| corrupt(what, key);
    let basis = match row.opt_text("basis")?.as_deref() {
        None => None,
        Some("membership") => Some(LawfulBasis::Membership),
        Some("public-task") => Some(LawfulBasis::PublicTask),
        Some("consent") => Some(LawfulBasis::Consent {
            text_version: row.opt_text("consent_text_version")?.unwrap_or_default(),
            given_on: date(
                &row.opt_text("consent_given_on")?.unwrap_or_default(),
                what,
                "consent_given_on",
            )?,
            recorded_by: row.opt_text("consent_recorded_by")?.unwrap_or_default(),
        }),
        Some(_) => return Err(bad("basis")),
    };
    Ok(Person {
        id: row.text("id")?,
        foundation: row.text("foundation_id")?,
        name: row
            .opt_text("name")?
            .map(|n| Name::parse(&n).map_err(bad))
            .transpose()?,
        email: row.opt_text("email")?,
        phone: row.opt_text("phone")?,
        basis,
        consent_withdrawn_on: opt_date(
            row.opt_text("consent_withdrawn_on")?,
            what,
            "consent_withdrawn_on",
        )?,
        demo: row.int("demo")? != 0,
        created_on: date(&row.text("created_on")?, what, "created_on")?,
        anonymised_on: opt_date(row.opt_text("anonymised_on")?, what, "anonymised_on")?,
    })
}

const ROLE_COLUMNS: &str = "id, person_id, foundation_id, working_group_id, role, start_on, end_on";

fn role(row: &impl Get) -> Result<RoleRecord, StoreError> {
    let bad = |key: &str| corrupt("role", key);
    let body = match (
        row.opt_text("foundation_id")?,
        row.opt_text("working_group_id")?,
    ) {
        (Some(f), None) => Body::Foundation(f),
        (None, Some(g)) => Body::WorkingGroup(g),
        _ => return Err(bad("body")),
    };
    let start = date(&row.text("start_on")?, "role", "start_on")?;
    let end = opt_date(row.opt_text("end_on")?, "role", "end_on")?;
    Ok(RoleRecord {
        id: row.text("id")?,
        assignment: Assignment {
            person: row.text("person_id")?,
            body,
            role: OrgRole::parse(&row.text("role")?).map_err(bad)?,
            term: Term::new(start, end).map_err(bad)?,
        },
    })
}

/// The consent columns of a lawful basis: version, given on, recorded by.
fn consent_columns(
    basis: &LawfulBasis,
) -> (&'static str, Option<String>, Option<String>, Option<String>) {
    match basis {
        LawfulBasis::Membership => ("membership", None, None, None),
        LawfulBasis::PublicTask => ("public-task", None, None, None),
        LawfulBasis::Consent {
            text_version,
            given_on,
            recorded_by,
        } => (
            "consent",
            Some(text_version.clone()),
            Some(given_on.to_string()),
            Some(recorded_by.clone()),
        ),
    }
}

impl Store {
    // ---- foundations ----------------------------------------------------------------------

    /// Stores a new foundation with its audit entry (made from the foundation as stored), in
    /// one transaction.
    pub async fn insert_foundation(
        &self,
        draft: &FoundationDraft,
        audit: AuditOf<'_, Foundation>,
    ) -> Result<Foundation, StoreError> {
        let slug = self
            .free_slug_in("foundations", &Slug::from_name(&draft.name))
            .await?;
        let id = new_id();
        let now = now_text();
        let sql = "INSERT INTO foundations (id, slug, name, municipality_id, kvk_number, founded_on, \
                   purpose, website, created_at, updated_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)";
        let f = Foundation {
            id,
            slug,
            draft: draft.clone(),
        };
        let entry = audit(&f);
        on_db!(&self.db, pool => {
            let mut tx = begin_audited!(self, pool);
            sqlx::query(sql)
                .bind(&f.id)
                .bind(f.slug.as_str())
                .bind(draft.name.as_str())
                .bind(&draft.municipality.0)
                .bind(&draft.kvk_number)
                .bind(text_of(draft.founded_on))
                .bind(&draft.purpose)
                .bind(&draft.website)
                .bind(&now)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::from_write)?;
            append_audit!(tx, [&entry]);
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        Ok(f)
    }

    /// Replaces a foundation's content, with its audit entry (made from the foundation as
    /// stored after the change), in one transaction.
    pub async fn update_foundation(
        &self,
        id: &str,
        draft: &FoundationDraft,
        audit: AuditOf<'_, Foundation>,
    ) -> Result<Foundation, StoreError> {
        let sql = "UPDATE foundations SET name = $2, municipality_id = $3, kvk_number = $4, \
                   founded_on = $5, purpose = $6, website = $7, updated_at = $8 WHERE id = $1";
        let read = format!("SELECT {FOUNDATION_COLUMNS} FROM foundations WHERE id = $1");
        on_db!(&self.db, pool => {
            let mut tx = begin_audited!(self, pool);
            let done = sqlx::query(sql)
                .bind(id)
                .bind(draft.name.as_str())
                .bind(&draft.municipality.0)
                .bind(&draft.kvk_number)
                .bind(text_of(draft.founded_on))
                .bind(&draft.purpose)
                .bind(&draft.website)
                .bind(now_text())
                .execute(&mut *tx)
                .await
                .map_err(StoreError::from_write)?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            let row = sqlx::query(AssertSqlSafe(read)).bind(id).fetch_one(&mut *tx).await?;
            let f = foundation(&row)?;
            let entry = audit(&f);
            append_audit!(tx, [&entry]);
            tx.commit().await?;
            Ok::<_, StoreError>(f)
        })
    }

    /// A foundation by id, else by slug (an id always wins: a slug that happens to equal
    /// another foundation's id cannot stand in for it).
    pub async fn foundation(&self, key: &str) -> Result<Option<Foundation>, StoreError> {
        for column in ["id", "slug"] {
            let sql = format!("SELECT {FOUNDATION_COLUMNS} FROM foundations WHERE {column} = $1");
            let found = on_db!(&self.db, pool => {
                let row = sqlx::query(AssertSqlSafe(sql)).bind(key).fetch_optional(pool).await?;
                row.as_ref().map(foundation).transpose()
            })?;
            if found.is_some() {
                return Ok(found);
            }
        }
        Ok(None)
    }

    /// All foundations (of one municipality), by name.
    pub async fn foundations(
        &self,
        municipality: Option<&MunicipalityId>,
    ) -> Result<Vec<Foundation>, StoreError> {
        let sql = format!(
            "SELECT {FOUNDATION_COLUMNS} FROM foundations \
             WHERE ($1 = '' OR municipality_id = $1) ORDER BY name, id"
        );
        let m = municipality.map(|m| m.0.as_str()).unwrap_or("");
        on_db!(&self.db, pool => {
            let rows = sqlx::query(AssertSqlSafe(sql)).bind(m).fetch_all(pool).await?;
            rows.iter().map(foundation).collect()
        })
    }

    /// A slug not yet used in `table`: the base, or the base with a number.
    async fn free_slug_in(&self, table: &str, base: &Slug) -> Result<Slug, StoreError> {
        let sql = format!("SELECT COUNT(*) FROM {table} WHERE slug = $1");
        let mut candidates = vec![base.clone()];
        candidates.extend((2..100).map(|n| base.with_suffix(&n.to_string())));
        for slug in candidates {
            let n: i64 = on_db!(&self.db, pool => {
                sqlx::query_scalar(AssertSqlSafe(sql.clone())).bind(slug.as_str()).fetch_one(pool).await
            })?;
            if n == 0 {
                return Ok(slug);
            }
        }
        Ok(base.with_suffix(&new_id()[..8]))
    }

    // ---- working groups -------------------------------------------------------------------

    /// Stores a new working group with its partnerships and its audit entry (made from the
    /// group as stored), in one transaction.
    pub async fn insert_working_group(
        &self,
        foundation: &str,
        draft: &WorkingGroupDraft,
        audit: AuditOf<'_, WorkingGroup>,
    ) -> Result<WorkingGroup, StoreError> {
        let slug = self
            .free_slug_in("working_groups", &Slug::from_name(&draft.name))
            .await?;
        let g = WorkingGroup {
            id: new_id(),
            slug,
            foundation: foundation.to_owned(),
            draft: draft.clone(),
        };
        let entry = audit(&g);
        let id = &g.id;
        let now = now_text();
        on_db!(&self.db, pool => {
            let mut tx = begin_audited!(self, pool);
            sqlx::query(
                "INSERT INTO working_groups (id, slug, foundation_id, name, founded_on, ended_on, \
                 created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
            )
            .bind(id)
            .bind(g.slug.as_str())
            .bind(foundation)
            .bind(draft.name.as_str())
            .bind(draft.term.start.to_string())
            .bind(text_of(draft.term.end))
            .bind(&now)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::from_write)?;
            for p in &draft.partnerships {
                sqlx::query(
                    "INSERT INTO working_group_partnerships (working_group_id, partnership_id) VALUES ($1, $2)",
                )
                .bind(id)
                .bind(&p.0)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::from_write)?;
            }
            append_audit!(tx, [&entry]);
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        Ok(g)
    }

    /// Replaces a working group's content and partnerships, with its audit entry (made from the
    /// group as stored after the change), in one transaction.
    pub async fn update_working_group(
        &self,
        id: &str,
        draft: &WorkingGroupDraft,
        audit: AuditOf<'_, WorkingGroup>,
    ) -> Result<WorkingGroup, StoreError> {
        let read = format!("SELECT {GROUP_COLUMNS} FROM working_groups WHERE id = $1");
        on_db!(&self.db, pool => {
            let mut tx = begin_audited!(self, pool);
            let done = sqlx::query(
                "UPDATE working_groups SET name = $2, founded_on = $3, ended_on = $4, updated_at = $5 \
                 WHERE id = $1",
            )
            .bind(id)
            .bind(draft.name.as_str())
            .bind(draft.term.start.to_string())
            .bind(text_of(draft.term.end))
            .bind(now_text())
            .execute(&mut *tx)
            .await
            .map_err(StoreError::from_write)?
            .rows_affected();
            if done == 0 {
                return Err(StoreError::NotFound);
            }
            sqlx::query("DELETE FROM working_group_partnerships WHERE working_group_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            for p in &draft.partnerships {
                sqlx::query(
                    "INSERT INTO working_group_partnerships (working_group_id, partnership_id) VALUES ($1, $2)",
                )
                .bind(id)
                .bind(&p.0)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::from_write)?;
            }
            let row = sqlx::query(AssertSqlSafe(read)).bind(id).fetch_one(&mut *tx).await?;
            let partnerships: Vec<String> = sqlx::query_scalar(GROUP_PARTNERSHIPS_SQL)
                .bind(id)
                .fetch_all(&mut *tx)
                .await?;
            let g = group(&row, partnerships.into_iter().map(PartnershipId).collect())?;
            let entry = audit(&g);
            append_audit!(tx, [&entry]);
            tx.commit().await?;
            Ok::<_, StoreError>(g)
        })
    }

    /// A working group by id, else by slug (an id always wins).
    pub async fn working_group(&self, key: &str) -> Result<Option<WorkingGroup>, StoreError> {
        let mut row = None;
        for column in ["id", "slug"] {
            let sql = format!("SELECT {GROUP_COLUMNS} FROM working_groups WHERE {column} = $1");
            row = on_db!(&self.db, pool => {
                let row = sqlx::query(AssertSqlSafe(sql)).bind(key).fetch_optional(pool).await?;
                row.as_ref()
                    .map(|r| Ok::<_, StoreError>((r.text("id")?, group(r, vec![])?)))
                    .transpose()
            })?;
            if row.is_some() {
                break;
            }
        }
        match row {
            None => Ok(None),
            Some((id, mut g)) => {
                g.draft.partnerships = self.group_partnerships(&id).await?;
                Ok(Some(g))
            }
        }
    }

    /// The working groups of a foundation (or all), by name.
    pub async fn working_groups(
        &self,
        foundation: Option<&str>,
    ) -> Result<Vec<WorkingGroup>, StoreError> {
        let sql = format!(
            "SELECT {GROUP_COLUMNS} FROM working_groups WHERE ($1 = '' OR foundation_id = $1) \
             ORDER BY name, id"
        );
        let mut groups = on_db!(&self.db, pool => {
            let rows = sqlx::query(AssertSqlSafe(sql))
                .bind(foundation.unwrap_or(""))
                .fetch_all(pool)
                .await?;
            rows.iter().map(|r| group(r, vec![])).collect::<Result<Vec<_>, StoreError>>()
        })?;
        for g in &mut groups {
            g.draft.partnerships = self.group_partnerships(&g.id).await?;
        }
        Ok(groups)
    }

    async fn group_partnerships(&self, id: &str) -> Result<Vec<PartnershipId>, StoreError> {
        let ids: Vec<String> = on_db!(&self.db, pool => {
            sqlx::query_scalar(GROUP_PARTNERSHIPS_SQL).bind(id).fetch_all(pool).await
        })?;
        Ok(ids.into_iter().map(PartnershipId).collect())
    }

    // ---- people ---------------------------------------------------------------------------

    /// Stores a new person with the audit entry (made from the person as stored), in one
    /// transaction.
    pub async fn insert_person(
        &self,
        foundation: &str,
        draft: &PersonDraft,
        demo: bool,
        today: Date,
        audit: AuditOf<'_, Person>,
    ) -> Result<Person, StoreError> {
        let id = new_id();
        let (basis, version, given, by) = consent_columns(&draft.basis);
        let sql = "INSERT INTO people (id, foundation_id, name, email, phone, basis, \
                   consent_text_version, consent_given_on, consent_recorded_by, demo, created_on, \
                   updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";
        let read = format!("SELECT {PERSON_COLUMNS} FROM people WHERE id = $1");
        on_db!(&self.db, pool => {
            let mut tx = begin_audited!(self, pool);
            sqlx::query(sql)
                .bind(&id)
                .bind(foundation)
                .bind(draft.name.as_str())
                .bind(&draft.email)
                .bind(&draft.phone)
                .bind(basis)
                .bind(version)
                .bind(given)
                .bind(by)
                .bind(i64::from(demo))
                .bind(today.to_string())
                .bind(now_text())
                .execute(&mut *tx)
                .await
                .map_err(StoreError::from_write)?;
            let row = sqlx::query(AssertSqlSafe(read)).bind(&id).fetch_one(&mut *tx).await?;
            let p = person(&row)?;
            let entry = audit(&p);
            append_audit!(tx, [&entry]);
            tx.commit().await?;
            Ok::<_, StoreError>(p)
        })
    }

    /// Replaces a person's details. A consent recorded earlier keeps who recorded it when the
    /// same consent (version and date) is submitted again. The audit entry (made from the person
    /// as stored after the change) is appended in the same transaction; an anonymised person is
    /// not found and leaves no entry.
    pub async fn update_person(
        &self,
        id: &str,
        draft: &PersonDraft,
        audit: AuditOf<'_, Person>,
    ) -> Result<Person, StoreError> {
        let (basis, version, given, by) = consent_columns(&draft.basis);
        let sql = "UPDATE people SET name = $2, email = $3, phone = $4, basis = $5, \
                   consent_text_version = $6, consent_given_on = $7, consent_recorded_by = $8, \
                   consent_withdrawn_on = NULL, updated_at = $9 \
                   WHERE id = $1 AND anonymised_on IS NULL";
        let read = format!("SELECT {PERSON_COLUMNS} FROM people WHERE id = $1");
        on_db!(&self.db, pool => {
            let mut tx = begin_audited!(self, pool);
            let done = sqlx::query(sql)
                .bind(id)
                .bind(draft.name.as_str())
                .bind(&draft.email)
                .bind(&draft.phone)
                .bind(basis)
                .bind(version)
                .bind(given)
                .bind(by)
                .bind(now_text())
                .execute(&mut *tx)
                .await
                .map_err(StoreError::from_write)?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            let row = sqlx::query(AssertSqlSafe(read)).bind(id).fetch_one(&mut *tx).await?;
            let p = person(&row)?;
            let entry = audit(&p);
            append_audit!(tx, [&entry]);
            tx.commit().await?;
            Ok::<_, StoreError>(p)
        })
    }

    pub async fn person(&self, id: &str) -> Result<Option<Person>, StoreError> {
        let sql = format!("SELECT {PERSON_COLUMNS} FROM people WHERE id = $1");
        on_db!(&self.db, pool => {
            let row = sqlx::query(AssertSqlSafe(sql)).bind(id).fetch_optional(pool).await?;
            row.as_ref().map(person).transpose()
        })
    }

    /// The people of a foundation (or all), by name; anonymised people last.
    pub async fn people(&self, foundation: Option<&str>) -> Result<Vec<Person>, StoreError> {
        let sql = format!(
            "SELECT {PERSON_COLUMNS} FROM people WHERE ($1 = '' OR foundation_id = $1) \
             ORDER BY (anonymised_on IS NOT NULL), name, id"
        );
        on_db!(&self.db, pool => {
            let rows = sqlx::query(AssertSqlSafe(sql))
                .bind(foundation.unwrap_or(""))
                .fetch_all(pool)
                .await?;
            rows.iter().map(person).collect()
        })
    }

    /// Empties every personal column of a person and marks them anonymised on `today`, with
    /// the audit entry, in one transaction. The row stays, so roles (and, later, financial
    /// records) keep an anonymous reference. Returns false (and writes no entry) when the
    /// person was already anonymised.
    pub async fn anonymise_person(
        &self,
        id: &str,
        today: Date,
        consent_withdrawn: bool,
        audit: &AuditDraft,
    ) -> Result<bool, StoreError> {
        let sql = "UPDATE people SET name = NULL, email = NULL, phone = NULL, basis = NULL, \
                   consent_text_version = NULL, consent_given_on = NULL, consent_recorded_by = NULL, \
                   consent_withdrawn_on = $4, anonymised_on = $2, updated_at = $3 \
                   WHERE id = $1 AND anonymised_on IS NULL";
        let withdrawn = consent_withdrawn.then(|| today.to_string());
        on_db!(&self.db, pool => {
            let mut tx = begin_audited!(self, pool);
            let done = sqlx::query(sql)
                .bind(id)
                .bind(today.to_string())
                .bind(now_text())
                .bind(withdrawn)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() != 1 {
                return Ok(false);
            }
            append_audit!(tx, [audit]);
            tx.commit().await?;
            Ok::<_, StoreError>(true)
        })
    }

    // ---- roles ----------------------------------------------------------------------------

    /// Stores a new role with its audit entry (made from the role as stored), in one
    /// transaction.
    pub async fn insert_role(
        &self,
        a: &Assignment,
        audit: AuditOf<'_, RoleRecord>,
    ) -> Result<RoleRecord, StoreError> {
        let r = RoleRecord {
            id: new_id(),
            assignment: a.clone(),
        };
        let entry = audit(&r);
        let (foundation, group) = match &a.body {
            Body::Foundation(f) => (Some(f.as_str()), None),
            Body::WorkingGroup(g) => (None, Some(g.as_str())),
        };
        let sql = "INSERT INTO roles (id, person_id, foundation_id, working_group_id, role, \
                   start_on, end_on, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
        on_db!(&self.db, pool => {
            let mut tx = begin_audited!(self, pool);
            sqlx::query(sql)
                .bind(&r.id)
                .bind(&a.person)
                .bind(foundation)
                .bind(group)
                .bind(a.role.as_str())
                .bind(a.term.start.to_string())
                .bind(text_of(a.term.end))
                .bind(now_text())
                .execute(&mut *tx)
                .await
                .map_err(StoreError::from_write)?;
            append_audit!(tx, [&entry]);
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        Ok(r)
    }

    /// Sets (or clears) the last day of a role, with its audit entry, in one transaction.
    pub async fn set_role_end(
        &self,
        id: &str,
        end: Option<Date>,
        audit: &AuditDraft,
    ) -> Result<(), StoreError> {
        on_db!(&self.db, pool => {
            let mut tx = begin_audited!(self, pool);
            let done = sqlx::query("UPDATE roles SET end_on = $2 WHERE id = $1")
                .bind(id)
                .bind(text_of(end))
                .execute(&mut *tx)
                .await
                .map_err(StoreError::from_write)?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            append_audit!(tx, [audit]);
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })
    }

    pub async fn role(&self, id: &str) -> Result<Option<RoleRecord>, StoreError> {
        let sql = format!("SELECT {ROLE_COLUMNS} FROM roles WHERE id = $1");
        on_db!(&self.db, pool => {
            let row = sqlx::query(AssertSqlSafe(sql)).bind(id).fetch_optional(pool).await?;
            row.as_ref().map(role).transpose()
        })
    }

    /// Every role held in a foundation or one of its working groups, oldest first.
    pub async fn roles_in_foundation(
        &self,
        foundation: &str,
    ) -> Result<Vec<RoleRecord>, StoreError> {
        let sql = format!(
            "SELECT {ROLE_COLUMNS} FROM roles WHERE foundation_id = $1 OR working_group_id IN \
             (SELECT id FROM working_groups WHERE foundation_id = $1) ORDER BY start_on, role, id"
        );
        on_db!(&self.db, pool => {
            let rows = sqlx::query(AssertSqlSafe(sql)).bind(foundation).fetch_all(pool).await?;
            rows.iter().map(role).collect()
        })
    }

    /// Every role a person holds or held, oldest first.
    pub async fn roles_of_person(&self, person: &str) -> Result<Vec<RoleRecord>, StoreError> {
        let sql = format!(
            "SELECT {ROLE_COLUMNS} FROM roles WHERE person_id = $1 ORDER BY start_on, role, id"
        );
        on_db!(&self.db, pool => {
            let rows = sqlx::query(AssertSqlSafe(sql)).bind(person).fetch_all(pool).await?;
            rows.iter().map(role).collect()
        })
    }

    /// Every role (for the retention run).
    pub async fn all_roles(&self) -> Result<Vec<RoleRecord>, StoreError> {
        let sql = format!("SELECT {ROLE_COLUMNS} FROM roles ORDER BY start_on, id");
        on_db!(&self.db, pool => {
            let rows = sqlx::query(AssertSqlSafe(sql)).fetch_all(pool).await?;
            rows.iter().map(role).collect()
        })
    }
}
