//! Accounts, grants, sessions, access tokens and failed logins.
//!
//! Secrets never reach this module in the clear: passwords arrive as Argon2id hashes, session
//! and access tokens as SHA-256 hashes. Times are fixed-width UTC text, so they compare as text.

use crate::error::corrupt;
use crate::rows::Get;
use crate::{Store, StoreError, new_id, now_text, on_db};
use stedenband_domain::{Account, Grant, Role, Username};

/// A stored session.
#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub account_id: String,
    pub csrf_token: String,
    pub created_at: String,
    pub last_seen_at: String,
    pub expires_at: String,
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
    /// Stores a new account with its grants, in one transaction.
    pub async fn insert_account(
        &self,
        username: &Username,
        password_hash: &str,
        grants: &[Grant],
    ) -> Result<Account, StoreError> {
        let id = new_id();
        let now = now_text();
        on_db!(&self.db, pool => {
            let mut tx = pool.begin().await?;
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
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        Ok(Account {
            id,
            username: username.clone(),
            disabled: false,
            grants: grants.to_vec(),
        })
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

    /// Replaces the password hash and ends every session of the account.
    pub async fn set_password_hash(&self, account_id: &str, hash: &str) -> Result<(), StoreError> {
        let now = now_text();
        on_db!(&self.db, pool => {
            let mut tx = pool.begin().await?;
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
            tx.commit().await?;
            Ok(())
        })
    }

    /// Disables (or enables) an account; disabling ends its sessions and revokes nothing else
    /// (its tokens stop working because the account is disabled).
    pub async fn set_disabled(&self, account_id: &str, disabled: bool) -> Result<(), StoreError> {
        let now = now_text();
        let disabled_at = disabled.then(|| now.clone());
        on_db!(&self.db, pool => {
            let mut tx = pool.begin().await?;
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
            tx.commit().await?;
            Ok(())
        })
    }

    // ---- sessions -------------------------------------------------------------------------

    pub async fn insert_session(
        &self,
        token_hash: &str,
        account_id: &str,
        csrf_token: &str,
        expires_at: &str,
    ) -> Result<(), StoreError> {
        let now = now_text();
        let sql = "INSERT INTO sessions (token_hash, account_id, csrf_token, created_at, last_seen_at, expires_at) \
                   VALUES ($1, $2, $3, $4, $4, $5)";
        on_db!(&self.db, pool => {
            sqlx::query(sql)
                .bind(token_hash)
                .bind(account_id)
                .bind(csrf_token)
                .bind(&now)
                .bind(expires_at)
                .execute(pool)
                .await
                .map(|_| ())
        })
        .map_err(StoreError::from_write)
    }

    pub async fn session(&self, token_hash: &str) -> Result<Option<SessionRecord>, StoreError> {
        let sql = "SELECT account_id, csrf_token, created_at, last_seen_at, expires_at FROM sessions WHERE token_hash = $1";
        on_db!(&self.db, pool => {
            match sqlx::query(sql).bind(token_hash).fetch_optional(pool).await? {
                Some(r) => Ok(Some(SessionRecord {
                    account_id: r.text("account_id")?,
                    csrf_token: r.text("csrf_token")?,
                    created_at: r.text("created_at")?,
                    last_seen_at: r.text("last_seen_at")?,
                    expires_at: r.text("expires_at")?,
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

    // ---- access tokens --------------------------------------------------------------------

    pub async fn insert_access_token(
        &self,
        account_id: &str,
        name: &str,
        token_hash: &str,
    ) -> Result<String, StoreError> {
        let id = new_id();
        let now = now_text();
        let sql = "INSERT INTO access_tokens (id, account_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)";
        on_db!(&self.db, pool => {
            sqlx::query(sql).bind(&id).bind(account_id).bind(name).bind(token_hash).bind(&now).execute(pool).await.map(|_| ())
        })
        .map_err(StoreError::from_write)?;
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
