//! Accounts, grants, sessions, access tokens and failed logins.
//!
//! Secrets never reach this module in the clear: passwords arrive as Argon2id hashes, session
//! and access tokens as SHA-256 hashes. Times are fixed-width UTC text, so they compare as text.

use crate::AuditOf;
use crate::decision::{append_audit, begin_audited};
use crate::error::corrupt;
use crate::rows::Get;
use crate::{Store, StoreError, new_id, now_text, on_db};
use stedenband_domain::audit::{AuditDraft, GENESIS, entry_hash};
use stedenband_domain::{Account, Grant, Role, Username};

/// How far a session has come: only a `Full` session is logged in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionStage {
    /// Logged in.
    Full,
    /// The password was right; the second factor is still asked for. Grants nothing else.
    SecondFactor,
    /// The password was right, and the account must set up a second factor before anything else.
    Enrol,
}

impl SessionStage {
    pub fn as_str(&self) -> &'static str {
        match self {
            SessionStage::Full => "full",
            SessionStage::SecondFactor => "second-factor",
            SessionStage::Enrol => "enrol",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [
            SessionStage::Full,
            SessionStage::SecondFactor,
            SessionStage::Enrol,
        ]
        .into_iter()
        .find(|s| s.as_str() == raw)
    }
}

/// A stored session.
#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub account_id: String,
    pub csrf_token: String,
    pub created_at: String,
    pub last_seen_at: String,
    pub expires_at: String,
    pub stage: SessionStage,
}

/// A session to store: only hashes and the CSRF token.
#[derive(Debug, Clone)]
pub struct NewSessionRecord<'a> {
    pub token_hash: &'a str,
    pub account_id: &'a str,
    pub csrf_token: &'a str,
    pub expires_at: &'a str,
    pub stage: SessionStage,
}

/// An account's TOTP secret (base32), set up or still being set up.
#[derive(Clone)]
pub struct SecondFactorRecord {
    pub secret: String,
    pub enrolled: bool,
    pub last_step: Option<i64>,
}

impl std::fmt::Debug for SecondFactorRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecondFactorRecord")
            .field("secret", &"***")
            .field("enrolled", &self.enrolled)
            .field("last_step", &self.last_step)
            .finish()
    }
}

/// A personal access token, without its secret.
#[derive(Debug, Clone)]
pub struct AccessToken {
    pub id: String,
    pub account_id: String,
    pub name: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked: bool,
}

fn account(row: &impl Get, grants: Vec<Grant>) -> Result<Account, StoreError> {
    Ok(Account {
        id: row.text("id")?,
        username: Username::parse(&row.text("username")?).map_err(|k| corrupt("account", k))?,
        disabled: row.opt_text("disabled_at")?.is_some(),
        grants,
    })
}

fn token(row: &impl Get) -> Result<AccessToken, StoreError> {
    Ok(AccessToken {
        id: row.text("id")?,
        account_id: row.text("account_id")?,
        name: row.text("name")?,
        created_at: row.text("created_at")?,
        last_used_at: row.opt_text("last_used_at")?,
        revoked: row.opt_text("revoked_at")?.is_some(),
    })
}

impl Store {
    /// Stores a new account with its grants and its audit entry, in one transaction.
    pub async fn insert_account(
        &self,
        username: &Username,
        password_hash: &str,
        grants: &[Grant],
        audit: AuditOf<'_, Account>,
    ) -> Result<Account, StoreError> {
        let id = new_id();
        let now = now_text();
        let account = Account {
            id: id.clone(),
            username: username.clone(),
            disabled: false,
            grants: grants.to_vec(),
        };
        let entry = audit(&account);
        on_db!(&self.db, pool => {
            let mut tx = begin_audited!(self, pool);
            sqlx::query(
                "INSERT INTO accounts (id, username, password_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)",
            )
            .bind(&id)
            .bind(username.as_str())
            .bind(password_hash)
            .bind(&now)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::from_write)?;
            for g in grants {
                sqlx::query("INSERT INTO account_grants (account_id, role, scope) VALUES ($1, $2, $3)")
                    .bind(&id)
                    .bind(g.role.as_str())
                    .bind(g.scope.as_deref().unwrap_or(""))
                    .execute(&mut *tx)
                    .await
                    .map_err(StoreError::from_write)?;
            }
            append_audit!(tx, [&entry]);
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        Ok(account)
    }

    async fn grants(&self, account_id: &str) -> Result<Vec<Grant>, StoreError> {
        let sql =
            "SELECT role, scope FROM account_grants WHERE account_id = $1 ORDER BY role, scope";
        on_db!(&self.db, pool => {
            let rows = sqlx::query(sql).bind(account_id).fetch_all(pool).await?;
            rows.iter()
                .map(|r| {
                    let role = Role::parse(&r.text("role")?).map_err(|k| corrupt("grant", k))?;
                    let scope = Some(r.text("scope")?).filter(|s| !s.is_empty());
                    Ok(Grant { role, scope })
                })
                .collect()
        })
    }

    /// An account and its password hash, by user name.
    pub async fn account_with_hash(
        &self,
        username: &Username,
    ) -> Result<Option<(Account, String)>, StoreError> {
        let sql =
            "SELECT id, username, disabled_at, password_hash FROM accounts WHERE username = $1";
        let row = on_db!(&self.db, pool => {
            match sqlx::query(sql).bind(username.as_str()).fetch_optional(pool).await? {
                Some(r) => Some((account(&r, vec![])?, r.text("password_hash")?)),
                None => None,
            }
        });
        match row {
            Some((mut a, hash)) => {
                a.grants = self.grants(&a.id).await?;
                Ok(Some((a, hash)))
            }
            None => Ok(None),
        }
    }

    pub async fn account(&self, id: &str) -> Result<Option<Account>, StoreError> {
        let sql = "SELECT id, username, disabled_at FROM accounts WHERE id = $1";
        let found = on_db!(&self.db, pool => {
            match sqlx::query(sql).bind(id).fetch_optional(pool).await? {
                Some(r) => Some(account(&r, vec![])?),
                None => None,
            }
        });
        match found {
            Some(mut a) => {
                a.grants = self.grants(&a.id).await?;
                Ok(Some(a))
            }
            None => Ok(None),
        }
    }

    /// Every account, by user name.
    pub async fn accounts(&self) -> Result<Vec<Account>, StoreError> {
        let sql = "SELECT id, username, disabled_at FROM accounts ORDER BY username";
        let mut list: Vec<Account> = on_db!(&self.db, pool => {
            sqlx::query(sql).fetch_all(pool).await?.iter().map(|r| account(r, vec![])).collect::<Result<_, _>>()?
        });
        for a in &mut list {
            a.grants = self.grants(&a.id).await?;
        }
        Ok(list)
    }

    /// Replaces the password hash and ends every session of the account, with the audit
    /// entry, in one transaction.
    pub async fn set_password_hash(
        &self,
        account_id: &str,
        hash: &str,
        audit: &AuditDraft,
    ) -> Result<(), StoreError> {
        let now = now_text();
        on_db!(&self.db, pool => {
            let mut tx = begin_audited!(self, pool);
            let done = sqlx::query("UPDATE accounts SET password_hash = $2, updated_at = $3 WHERE id = $1")
                .bind(account_id)
                .bind(hash)
                .bind(&now)
                .execute(&mut *tx)
                .await?;
                        if done.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            sqlx::query("DELETE FROM sessions WHERE account_id = $1").bind(account_id).execute(&mut *tx).await?;
            // A token made while the account was in the wrong hands must not outlive the reset.
            sqlx::query("UPDATE access_tokens SET revoked_at = $2 WHERE account_id = $1 AND revoked_at IS NULL")
                .bind(account_id)
                .bind(&now)
                .execute(&mut *tx)
                .await?;
            append_audit!(tx, [audit]);
            tx.commit().await?;
            Ok(())
        })
    }

    /// Disables (or enables) an account; disabling ends its sessions and revokes nothing else
    /// (its tokens stop working because the account is disabled). With the audit entry, in one
    /// transaction.
    pub async fn set_disabled(
        &self,
        account_id: &str,
        disabled: bool,
        audit: &AuditDraft,
    ) -> Result<(), StoreError> {
        let now = now_text();
        let disabled_at = disabled.then(|| now.clone());
        on_db!(&self.db, pool => {
            let mut tx = begin_audited!(self, pool);
            let done = sqlx::query("UPDATE accounts SET disabled_at = $2, updated_at = $3 WHERE id = $1")
                .bind(account_id)
                .bind(&disabled_at)
                .bind(&now)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            if disabled {
                sqlx::query("DELETE FROM sessions WHERE account_id = $1").bind(account_id).execute(&mut *tx).await?;
            }
            append_audit!(tx, [audit]);
            tx.commit().await?;
            Ok(())
        })
    }

    // ---- sessions -------------------------------------------------------------------------

    /// Opens a session, with its audit entry (a login) in the same transaction when given.
    pub async fn insert_session(
        &self,
        new: &NewSessionRecord<'_>,
        audit: Option<&AuditDraft>,
    ) -> Result<(), StoreError> {
        let now = now_text();
        on_db!(&self.db, pool => {
            let Some(audit) = audit else {
                return insert_session!(new, &now)
                    .execute(pool)
                    .await
                    .map(|_| ())
                    .map_err(StoreError::from_write);
            };
            let mut tx = begin_audited!(self, pool);
            insert_session!(new, &now)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::from_write)?;
            append_audit!(tx, [audit]);
            tx.commit().await?;
            Ok(())
        })
    }

    /// Ends one session and opens another in one transaction: the step from a pending session
    /// to a full one gets a new token, so the pending token never becomes a logged-in session.
    /// The audit entry, when given, is appended in the same transaction. False (and nothing
    /// written) when the old session was gone already.
    pub async fn replace_session(
        &self,
        old_token_hash: &str,
        new: &NewSessionRecord<'_>,
        audit: Option<&AuditDraft>,
    ) -> Result<bool, StoreError> {
        let now = now_text();
        on_db!(&self.db, pool => {
            let mut tx = match audit {
                Some(_) => begin_audited!(self, pool),
                None => pool.begin().await?,
            };
            let gone = sqlx::query("DELETE FROM sessions WHERE token_hash = $1 AND account_id = $2")
                .bind(old_token_hash)
                .bind(new.account_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if gone == 0 {
                // Already used (or ended): a second request with the same pending token gets
                // nothing.
                return Ok(false);
            }
            insert_session!(new, &now)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::from_write)?;
            if let Some(audit) = audit {
                append_audit!(tx, [audit]);
            }
            tx.commit().await?;
            Ok(true)
        })
    }

    pub async fn session(&self, token_hash: &str) -> Result<Option<SessionRecord>, StoreError> {
        let sql = "SELECT account_id, csrf_token, created_at, last_seen_at, expires_at, stage FROM sessions WHERE token_hash = $1";
        on_db!(&self.db, pool => {
            match sqlx::query(sql).bind(token_hash).fetch_optional(pool).await? {
                Some(r) => Ok(Some(SessionRecord {
                    account_id: r.text("account_id")?,
                    csrf_token: r.text("csrf_token")?,
                    created_at: r.text("created_at")?,
                    last_seen_at: r.text("last_seen_at")?,
                    expires_at: r.text("expires_at")?,
                    stage: SessionStage::parse(&r.text("stage")?)
                        .ok_or_else(|| corrupt("session", "stage"))?,
                })),
                None => Ok(None),
            }
        })
    }

    pub async fn touch_session(&self, token_hash: &str) -> Result<(), StoreError> {
        let now = now_text();
        on_db!(&self.db, pool => {
            sqlx::query("UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1")
                .bind(token_hash)
                .bind(&now)
                .execute(pool)
                .await
                .map(|_| ())
        })?;
        Ok(())
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        on_db!(&self.db, pool => {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(pool).await.map(|_| ())
        })?;
        Ok(())
    }

    /// How many sessions an account has (for tests and the account page).
    pub async fn session_count(&self, account_id: &str) -> Result<i64, StoreError> {
        on_db!(&self.db, pool => {
            Ok(sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM sessions WHERE account_id = $1")
                .bind(account_id)
                .fetch_one(pool)
                .await?)
        })
    }

    // ---- second factor -------------------------------------------------------------------

    pub async fn second_factor(
        &self,
        account_id: &str,
    ) -> Result<Option<SecondFactorRecord>, StoreError> {
        let sql = "SELECT secret, enrolled_at, last_step FROM second_factors WHERE account_id = $1";
        on_db!(&self.db, pool => {
            match sqlx::query(sql).bind(account_id).fetch_optional(pool).await? {
                Some(r) => Ok(Some(SecondFactorRecord {
                    secret: r.text("secret")?,
                    enrolled: r.opt_text("enrolled_at")?.is_some(),
                    last_step: r.opt_int("last_step")?,
                })),
                None => Ok(None),
            }
        })
    }

    /// Stores a secret being set up, unless the account already has one set up (which is kept).
    pub async fn set_pending_second_factor(
        &self,
        account_id: &str,
        secret: &str,
    ) -> Result<(), StoreError> {
        let now = now_text();
        let sql = "INSERT INTO second_factors (account_id, secret, created_at) VALUES ($1, $2, $3) \
                   ON CONFLICT (account_id) DO UPDATE SET secret = excluded.secret, last_step = NULL, \
                   created_at = excluded.created_at WHERE second_factors.enrolled_at IS NULL";
        on_db!(&self.db, pool => {
            sqlx::query(sql).bind(account_id).bind(secret).bind(&now).execute(pool).await.map(|_| ())
        })
        .map_err(StoreError::from_write)
    }

    /// Confirms the secret being set up: from now on it is asked for. The step of the code that
    /// confirmed it counts as used, and the recovery codes (hashes) replace any earlier ones.
    /// False when there was no secret being set up (and no audit entry is written).
    pub async fn enrol_second_factor(
        &self,
        account_id: &str,
        step: i64,
        recovery_code_hashes: &[String],
        audit: &AuditDraft,
    ) -> Result<bool, StoreError> {
        let now = now_text();
        on_db!(&self.db, pool => {
            let mut tx = begin_audited!(self, pool);
            let done = sqlx::query(
                "UPDATE second_factors SET enrolled_at = $2, last_step = $3 WHERE account_id = $1 AND enrolled_at IS NULL",
            )
            .bind(account_id)
            .bind(&now)
            .bind(step)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if done == 0 {
                return Ok(false);
            }
            sqlx::query("DELETE FROM recovery_codes WHERE account_id = $1")
                .bind(account_id)
                .execute(&mut *tx)
                .await?;
            for hash in recovery_code_hashes {
                sqlx::query("INSERT INTO recovery_codes (account_id, code_hash) VALUES ($1, $2)")
                    .bind(account_id)
                    .bind(hash)
                    .execute(&mut *tx)
                    .await
                    .map_err(StoreError::from_write)?;
            }
            append_audit!(tx, [audit]);
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Marks a step's code as used, if it is newer than the last one used: false means the
    /// code was used before (or an older one was), and must be refused.
    pub async fn use_second_factor_step(
        &self,
        account_id: &str,
        step: i64,
    ) -> Result<bool, StoreError> {
        let sql = "UPDATE second_factors SET last_step = $2 WHERE account_id = $1 \
                   AND enrolled_at IS NOT NULL AND (last_step IS NULL OR last_step < $2)";
        let n = on_db!(&self.db, pool => {
            sqlx::query(sql).bind(account_id).bind(step).execute(pool).await.map(|r| r.rows_affected())
        })?;
        Ok(n == 1)
    }

    /// Uses up a recovery code: false when it is not one of the account's or was used before.
    pub async fn use_recovery_code(
        &self,
        account_id: &str,
        code_hash: &str,
    ) -> Result<bool, StoreError> {
        let now = now_text();
        let sql = "UPDATE recovery_codes SET used_at = $3 WHERE account_id = $1 AND code_hash = $2 AND used_at IS NULL";
        let n = on_db!(&self.db, pool => {
            sqlx::query(sql).bind(account_id).bind(code_hash).bind(&now).execute(pool).await.map(|r| r.rows_affected())
        })?;
        Ok(n == 1)
    }

    /// How many recovery codes the account has left.
    pub async fn recovery_codes_left(&self, account_id: &str) -> Result<i64, StoreError> {
        on_db!(&self.db, pool => {
            Ok(sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM recovery_codes WHERE account_id = $1 AND used_at IS NULL",
            )
            .bind(account_id)
            .fetch_one(pool)
            .await?)
        })
    }

    /// Removes the secret and the recovery codes. With `end_sessions`, every session of the
    /// account ends too (the operator's reset after a lost phone). False when there was none.
    /// With the audit entry, in one transaction.
    pub async fn remove_second_factor(
        &self,
        account_id: &str,
        end_sessions: bool,
        audit: &AuditDraft,
    ) -> Result<bool, StoreError> {
        on_db!(&self.db, pool => {
            let mut tx = begin_audited!(self, pool);
            let n = sqlx::query("DELETE FROM second_factors WHERE account_id = $1")
                .bind(account_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            sqlx::query("DELETE FROM recovery_codes WHERE account_id = $1")
                .bind(account_id)
                .execute(&mut *tx)
                .await?;
                        if end_sessions {
                sqlx::query("DELETE FROM sessions WHERE account_id = $1")
                    .bind(account_id)
                    .execute(&mut *tx)
                    .await?;
                // The operator's reset after a lost phone: tokens made meanwhile go too.
                sqlx::query("UPDATE access_tokens SET revoked_at = $2 WHERE account_id = $1 AND revoked_at IS NULL")
                    .bind(account_id)
                    .bind(crate::now_text())
                    .execute(&mut *tx)
                    .await?;
            }
            append_audit!(tx, [audit]);
            tx.commit().await?;
            Ok(n > 0)
        })
    }

    // ---- access tokens --------------------------------------------------------------------

    /// Stores a new token (its hash) with the audit entry, in one transaction.
    pub async fn insert_access_token(
        &self,
        account_id: &str,
        name: &str,
        token_hash: &str,
        audit: &AuditDraft,
    ) -> Result<String, StoreError> {
        let id = new_id();
        let now = now_text();
        let sql = "INSERT INTO access_tokens (id, account_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)";
        on_db!(&self.db, pool => {
            let mut tx = begin_audited!(self, pool);
            sqlx::query(sql)
                .bind(&id)
                .bind(account_id)
                .bind(name)
                .bind(token_hash)
                .bind(&now)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::from_write)?;
            append_audit!(tx, [audit]);
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        Ok(id)
    }

    /// The account a live token belongs to; marks the token as used.
    pub async fn use_access_token(&self, token_hash: &str) -> Result<Option<String>, StoreError> {
        let now = now_text();
        on_db!(&self.db, pool => {
            let account: Option<String> = sqlx::query_scalar(
                "SELECT account_id FROM access_tokens WHERE token_hash = $1 AND revoked_at IS NULL",
            )
            .bind(token_hash)
            .fetch_optional(pool)
            .await?;
            if account.is_some() {
                sqlx::query("UPDATE access_tokens SET last_used_at = $2 WHERE token_hash = $1")
                    .bind(token_hash)
                    .bind(&now)
                    .execute(pool)
                    .await?;
            }
            Ok(account)
        })
    }

    pub async fn access_tokens(&self, account_id: &str) -> Result<Vec<AccessToken>, StoreError> {
        let sql = "SELECT id, account_id, name, created_at, last_used_at, revoked_at FROM access_tokens \
                   WHERE account_id = $1 ORDER BY created_at, id";
        on_db!(&self.db, pool => {
            sqlx::query(sql).bind(account_id).fetch_all(pool).await?.iter().map(token).collect()
        })
    }

    /// Revokes one of an account's tokens.
    pub async fn revoke_access_token(
        &self,
        account_id: &str,
        token_id: &str,
    ) -> Result<(), StoreError> {
        let now = now_text();
        let done = on_db!(&self.db, pool => {
            sqlx::query("UPDATE access_tokens SET revoked_at = $3 WHERE id = $1 AND account_id = $2 AND revoked_at IS NULL")
                .bind(token_id)
                .bind(account_id)
                .bind(&now)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        if done == 0 {
            Err(StoreError::NotFound)
        } else {
            Ok(())
        }
    }

    // ---- failed logins --------------------------------------------------------------------

    pub async fn record_login_failure(&self, key: &str) -> Result<(), StoreError> {
        let (id, now) = (new_id(), now_text());
        on_db!(&self.db, pool => {
            sqlx::query("INSERT INTO login_failures (id, key, at) VALUES ($1, $2, $3)")
                .bind(&id)
                .bind(key)
                .bind(&now)
                .execute(pool)
                .await
                .map(|_| ())
        })?;
        Ok(())
    }

    /// Failures for `key` at or after `since`: how many, and the oldest one's time.
    pub async fn login_failures(
        &self,
        key: &str,
        since: &str,
    ) -> Result<(i64, Option<String>), StoreError> {
        let sql = "SELECT COUNT(*) AS n, MIN(at) AS oldest FROM login_failures WHERE key = $1 AND at >= $2";
        on_db!(&self.db, pool => {
            let row = sqlx::query(sql).bind(key).bind(since).fetch_one(pool).await?;
            Ok((row.int("n")?, row.opt_text("oldest")?))
        })
    }

    pub async fn clear_login_failures(&self, key: &str) -> Result<(), StoreError> {
        on_db!(&self.db, pool => {
            sqlx::query("DELETE FROM login_failures WHERE key = $1").bind(key).execute(pool).await.map(|_| ())
        })?;
        Ok(())
    }
}

const INSERT_SESSION: &str = "INSERT INTO sessions (token_hash, account_id, csrf_token, created_at, last_seen_at, expires_at, stage) \
                              VALUES ($1, $2, $3, $4, $4, $5, $6)";

/// The INSERT of a session with its values bound, for a pool or a transaction.
macro_rules! insert_session {
    ($new:expr, $now:expr) => {
        sqlx::query(INSERT_SESSION)
            .bind($new.token_hash)
            .bind($new.account_id)
            .bind($new.csrf_token)
            .bind($now)
            .bind($new.expires_at)
            .bind($new.stage.as_str())
    };
}
use insert_session;
