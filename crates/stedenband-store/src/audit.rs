//! The audit log: appending to the hash chain, and reading it back in order.
//!
//! The chain itself (hashing, checking) is the domain's ([`stedenband_domain::audit`]); here an
//! append reads the newest entry and writes the next one in one transaction that no other append
//! can interleave with: on SQLite `BEGIN IMMEDIATE` takes the write lock before the read, on
//! PostgreSQL the table is locked against other writers (readers go on). Should two appends still
//! meet (a busy SQLite file, a unique violation on `seq`), the loser starts again, a bounded
//! number of times; the chain never forks because `seq` is the primary key.

use crate::error::corrupt;
use crate::rows::Get;
use crate::{Backend, Store, StoreError, now_text, on_db};
use std::time::Duration;
use stedenband_domain::audit::{AuditDraft, AuditEntry, GENESIS, Outcome, entry_hash};

/// How often an append is tried when other appends keep getting in the way.
const APPEND_ATTEMPTS: u32 = 20;

/// The most entries one call of [`Store::audit_entries`] returns.
pub const AUDIT_PAGE_MAX: u32 = 10_000;

const AUDIT_COLUMNS: &str = "seq, at, actor, address, action, object_kind, object_id, \
     before_json, after_json, outcome, prev_hash, hash";

fn entry(row: &impl Get) -> Result<AuditEntry, StoreError> {
    let seq = row.int("seq")?;
    let outcome = Outcome::parse(&row.text("outcome")?)
        .ok_or_else(|| corrupt("audit entry outcome", &seq.to_string()))?;
    Ok(AuditEntry {
        seq,
        at: row.text("at")?,
        draft: AuditDraft {
            actor: row.opt_text("actor")?,
            address: row.opt_text("address")?,
            action: row.text("action")?,
            object_kind: row.opt_text("object_kind")?,
            object_id: row.opt_text("object_id")?,
            before: row.opt_text("before_json")?,
            after: row.opt_text("after_json")?,
            outcome,
        },
        prev_hash: row.text("prev_hash")?,
        hash: row.text("hash")?,
    })
}

/// Whether an append failed only because another append got there first, so trying again helps.
fn is_contention(backend: Backend, err: &StoreError) -> bool {
    let StoreError::Database(sqlx::Error::Database(db)) = err else {
        return false;
    };
    if db.is_unique_violation() {
        return true;
    }
    let code = db.code().unwrap_or_default();
    match backend {
        // SQLITE_BUSY (5) and SQLITE_LOCKED (6), with their extended codes.
        Backend::Sqlite => code.parse::<i32>().is_ok_and(|c| matches!(c & 0xff, 5 | 6)),
        // serialization_failure, deadlock_detected, lock_not_available.
        Backend::Postgres => matches!(&*code, "40001" | "40P01" | "55P03"),
    }
}

impl Store {
    /// Appends an entry after the newest one, with the next seq, the current time and its hash.
    /// Safe to call from many tasks and processes at once: the chain stays one line.
    pub async fn append_audit(&self, draft: &AuditDraft) -> Result<AuditEntry, StoreError> {
        let backend = self.db.backend();
        let mut attempt = 0;
        loop {
            attempt += 1;
            match self.try_append_audit(draft).await {
                Err(e) if attempt < APPEND_ATTEMPTS && is_contention(backend, &e) => {
                    tracing::debug!(attempt, error = %e, "audit append met another, trying again");
                    // Spread the retries out a little so the same appends do not meet again.
                    let pause = 2 * u64::from(attempt) + u64::from(std::process::id() % 3);
                    tokio::time::sleep(Duration::from_millis(pause)).await;
                }
                other => return other,
            }
        }
    }

    async fn try_append_audit(&self, draft: &AuditDraft) -> Result<AuditEntry, StoreError> {
        // Take the writer's lock before reading the newest entry, so no other append can read
        // the same one.
        let (begin, lock) = match self.db.backend() {
            Backend::Sqlite => ("BEGIN IMMEDIATE", None),
            Backend::Postgres => (
                "BEGIN",
                Some("LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE"),
            ),
        };
        let last_sql = "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1";
        let insert_sql = "INSERT INTO audit_log (seq, at, actor, address, action, object_kind, \
                          object_id, before_json, after_json, outcome, prev_hash, hash) \
                          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";
        on_db!(&self.db, pool => {
            let mut tx = pool.begin_with(begin).await?;
            if let Some(lock) = lock {
                sqlx::query(lock).execute(&mut *tx).await?;
            }
            let last = sqlx::query(last_sql).fetch_optional(&mut *tx).await?;
            let (prev_seq, prev_hash) = match &last {
                Some(row) => (row.int("seq")?, row.text("hash")?),
                None => (0, GENESIS.to_owned()),
            };
            let seq = prev_seq + 1;
            let at = now_text();
            let hash = entry_hash(&prev_hash, seq, &at, draft);
            sqlx::query(insert_sql)
                .bind(seq)
                .bind(&at)
                .bind(&draft.actor)
                .bind(&draft.address)
                .bind(&draft.action)
                .bind(&draft.object_kind)
                .bind(&draft.object_id)
                .bind(&draft.before)
                .bind(&draft.after)
                .bind(draft.outcome.as_str())
                .bind(&prev_hash)
                .bind(&hash)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(AuditEntry {
                seq,
                at,
                draft: draft.clone(),
                prev_hash,
                hash,
            })
        })
    }

    /// Up to `limit` entries (at most [`AUDIT_PAGE_MAX`]) with seq above `after_seq`, in seq
    /// order: a page of the log. Start at 0; the next page starts after the last seq returned.
    pub async fn audit_entries(
        &self,
        after_seq: i64,
        limit: u32,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let sql =
            format!("SELECT {AUDIT_COLUMNS} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2");
        let limit = i64::from(limit.clamp(1, AUDIT_PAGE_MAX));
        on_db!(&self.db, pool => {
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(after_seq)
                .bind(limit)
                .fetch_all(pool)
                .await?;
            rows.iter().map(entry).collect()
        })
    }

    /// Every entry about one object, oldest first.
    pub async fn audit_for_object(
        &self,
        kind: &str,
        id: &str,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let sql = format!(
            "SELECT {AUDIT_COLUMNS} FROM audit_log WHERE object_kind = $1 AND object_id = $2 \
             ORDER BY seq"
        );
        on_db!(&self.db, pool => {
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(kind)
                .bind(id)
                .fetch_all(pool)
                .await?;
            rows.iter().map(entry).collect()
        })
    }

    /// The newest entry's seq and hash, as stored (`None` when the log is empty).
    pub async fn audit_head(&self) -> Result<Option<(i64, String)>, StoreError> {
        let sql = "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1";
        on_db!(&self.db, pool => {
            let row = sqlx::query(sql).fetch_optional(pool).await?;
            row.map(|r| Ok((r.int("seq")?, r.text("hash")?))).transpose()
        })
    }
}
