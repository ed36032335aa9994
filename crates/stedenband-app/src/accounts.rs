//! Accounts, logins, sessions and personal access tokens.
//!
//! Passwords are hashed with Argon2id (19 MiB, t=2, p=1: OWASP's minimum) off the async
//! threads. Session and access tokens are 256 random bits; only their SHA-256 is stored.
//! Logins are throttled per account and per client address, and an unknown user costs as much
//! time as a wrong password, so neither reveals which accounts exist.

use crate::{AppError, AuditLog};
use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash};
use argon2::{Algorithm, Argon2, Params, Version};
use jiff::{SignedDuration, Timestamp};
use std::net::IpAddr;
use std::sync::LazyLock;
use stedenband_domain::audit::{AuditDraft, Outcome};
use stedenband_domain::totp;
use stedenband_domain::{
    Account, Grant, MunicipalityId, NewPassword, Principal, Role, Username, ValidationErrors,
};
use stedenband_store::{AccessToken, NewSessionRecord, Store, StoreError, time_text};

pub use stedenband_store::SessionStage;

/// How long sessions live.
#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    /// A session unused this long ends.
    pub idle: SignedDuration,
    /// No session lives longer than this.
    pub absolute: SignedDuration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self {
            idle: SignedDuration::from_mins(30),
            absolute: SignedDuration::from_hours(12),
        }
    }
}

/// Failures allowed per account and per address within [`THROTTLE_WINDOW`].
pub const MAX_FAILURES: i64 = 5;
pub const THROTTLE_WINDOW: SignedDuration = SignedDuration::from_mins(15);

/// How long the second-factor form waits after the password.
pub const PENDING_SESSION: SignedDuration = SignedDuration::from_mins(5);

/// A session just opened: the token goes into the cookie, the CSRF token into forms. Only a
/// `Full` session is logged in; the others lead to the second-factor form or its set-up.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub csrf_token: String,
    pub account: Account,
    pub stage: SessionStage,
}

/// A live session. The principal is the account only when the stage is `Full`; a pending
/// session is the public everywhere, and `account` says whose second factor it waits for.
#[derive(Debug, Clone)]
pub struct ActiveSession {
    pub principal: Principal,
    pub csrf_token: String,
    pub stage: SessionStage,
    pub account: Account,
}

/// Why a second factor was refused.
#[derive(Debug, thiserror::Error)]
pub enum SecondFactorError {
    /// Wrong, used before, or not a recovery code of this account.
    #[error("the code is not valid")]
    Invalid,
    /// The pending session has ended (expired, used, or never was): log in again.
    #[error("the login has expired")]
    Expired,
    #[error("too many wrong codes; try again in {retry_after} s")]
    Throttled { retry_after: u64 },
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<StoreError> for SecondFactorError {
    fn from(e: StoreError) -> Self {
        SecondFactorError::App(AppError::Store(e))
    }
}

/// A second factor being set up: the secret to type or scan. Shown, never logged.
#[derive(Clone)]
pub struct Enrolment {
    /// The secret in base32.
    pub secret: String,
    /// The same in groups of four, for typing.
    pub grouped: String,
    /// The `otpauth://` URI for authenticator apps.
    pub uri: String,
}

impl std::fmt::Debug for Enrolment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Enrolment(***)")
    }
}

/// Whether an account has a second factor, and how many recovery codes are left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecondFactorStatus {
    pub enrolled: bool,
    pub recovery_codes_left: i64,
    /// Its roles require one (and this server requires it).
    pub required: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    /// Unknown user, wrong password or disabled account: deliberately one answer.
    #[error("invalid user name or password")]
    Invalid,
    #[error("too many failed logins; try again in {retry_after} s")]
    Throttled { retry_after: u64 },
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<StoreError> for LoginError {
    fn from(e: StoreError) -> Self {
        LoginError::App(AppError::Store(e))
    }
}

fn argon2() -> Argon2<'static> {
    Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        Params::new(19 * 1024, 2, 1, None).expect("valid parameters"),
    )
}

/// Hashes a password (slow on purpose: run it off the async threads).
fn hash_password(password: &str) -> Result<String, AppError> {
    argon2()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| AppError::Store(StoreError::Setup(format!("password hashing failed: {e}"))))
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| argon2().verify_password(password.as_bytes(), &h).is_ok())
}

/// Verified against when the user does not exist, so that takes as long as a wrong password.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_password(&random_token()).expect("hashing works"));

/// 256 random bits as hex.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What is stored instead of a token.
pub fn token_hash(token: &str) -> String {
    stedenband_domain::account::token_digest(token)
}

/// At most this many password hashes at once: each takes 19 MiB, and a flood of logins must
/// queue rather than take the machine's memory.
static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(4);

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    let _permit = HASHING
        .acquire()
        .await
        .map_err(|e| AppError::Store(StoreError::Setup(format!("hashing queue closed: {e}"))))?;
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| AppError::Store(StoreError::Setup(format!("background task failed: {e}"))))
}

/// The account use cases.
#[derive(Clone, Debug)]
pub struct Accounts {
    store: Store,
    policy: SessionPolicy,
    audit: AuditLog,
    require_second_factor: bool,
}

fn now_unix() -> i64 {
    Timestamp::now().as_second()
}

fn bad_code() -> AppError {
    AppError::Invalid(ValidationErrors::single("code", "error-code-invalid"))
}

impl Accounts {
    /// The account use cases, requiring a second factor of administrators and officials.
    pub fn new(store: Store, policy: SessionPolicy) -> Self {
        Self {
            audit: AuditLog::new(store.clone()),
            store,
            policy,
            require_second_factor: true,
        }
    }

    /// Whether administrators and officials must use a second factor (off only in demo mode,
    /// where it is offered but not required).
    pub fn requiring_second_factor(mut self, required: bool) -> Self {
        self.require_second_factor = required;
        self
    }

    pub fn require_second_factor(&self) -> bool {
        self.require_second_factor
    }

    /// Whether this account must have a second factor before it may do anything.
    pub fn needs_second_factor(&self, account: &Account) -> bool {
        self.require_second_factor && account.grants.iter().any(|g| g.role.needs_second_factor())
    }

    /// Writes an account event to the audit log (never a password or a token).
    async fn audit(
        &self,
        actor: Option<String>,
        address: Option<IpAddr>,
        action: &str,
        account: Option<&str>,
        outcome: Outcome,
    ) -> Result<(), AppError> {
        self.audit
            .append(&account_entry(actor, address, action, account, outcome))
            .await
            .map(|_| ())
    }

    pub fn policy(&self) -> SessionPolicy {
        self.policy
    }

    /// Makes an account. Grants are `administrator` or `ROLE:SCOPE`; a municipal official's
    /// scope is a municipality (id, slug) and is stored as its id.
    pub async fn create(
        &self,
        username: &str,
        password: &str,
        grants: &[String],
    ) -> Result<Account, AppError> {
        let mut e = ValidationErrors::default();
        let username = e.check("username", Username::parse(username));
        let password = username
            .as_ref()
            .and_then(|u| e.check("password", NewPassword::parse(password, u)));
        let mut parsed = Vec::new();
        for g in grants {
            match Grant::parse(g) {
                Ok((role, scope)) => parsed.push((role, scope)),
                Err(key) => e.push("grants", key),
            }
        }
        let mut resolved = Vec::new();
        for (role, scope) in parsed {
            let scope = match (role, scope) {
                (Role::MunicipalOfficial, Some(key)) => {
                    let by_id = self
                        .store
                        .municipality(&MunicipalityId(key.clone()))
                        .await?;
                    let found = match by_id {
                        Some(m) => Some(m),
                        None => self.store.municipality_by_slug(&key).await?,
                    };
                    match found {
                        Some(m) => Some(m.id.0),
                        None => {
                            e.push("grants", "error-municipality-unknown");
                            None
                        }
                    }
                }
                (Role::FoundationBoard, Some(key)) => match self.store.foundation(&key).await? {
                    Some(f) => Some(f.id),
                    None => {
                        e.push("grants", "error-foundation-unknown");
                        None
                    }
                },
                (Role::WorkingGroupMember, Some(key)) => {
                    match self.store.working_group(&key).await? {
                        Some(g) => Some(g.id),
                        None => {
                            e.push("grants", "error-working-group-unknown");
                            None
                        }
                    }
                }
                (_, scope) => scope,
            };
            resolved.push(Grant { role, scope });
        }
        if !e.is_empty() {
            return Err(e.into());
        }
        let (username, password) = (username.expect("checked"), password.expect("checked"));
        let pw = password.expose().to_owned();
        let hash = blocking(move || hash_password(&pw)).await??;
        let audit = |a: &Account| {
            account_entry(
                Some("system".into()),
                None,
                "account.create",
                Some(&a.id),
                Outcome::Success,
            )
        };
        let account = self
            .store
            .insert_account(&username, &hash, &resolved, &audit)
            .await
            .map_err(|err| match err {
                StoreError::Conflict { .. } => {
                    AppError::Invalid(ValidationErrors::single("username", "error-username-taken"))
                }
                other => AppError::Store(other),
            })?;
        Ok(account)
    }

    pub async fn list(&self) -> Result<Vec<Account>, AppError> {
        Ok(self.store.accounts().await?)
    }

    pub async fn by_username(&self, username: &str) -> Result<Account, AppError> {
        let name = Username::parse(username)
            .map_err(|k| AppError::Invalid(ValidationErrors::single("username", k)))?;
        Ok(self
            .store
            .account_with_hash(&name)
            .await?
            .ok_or(AppError::NotFound)?
            .0)
    }

    /// Disables or enables an account; disabling ends its sessions at once.
    pub async fn set_disabled(&self, username: &str, disabled: bool) -> Result<Account, AppError> {
        let a = self.by_username(username).await?;
        let action = if disabled {
            "account.disable"
        } else {
            "account.enable"
        };
        let audit = account_entry(
            Some("system".into()),
            None,
            action,
            Some(&a.id),
            Outcome::Success,
        );
        self.store.set_disabled(&a.id, disabled, &audit).await?;
        Ok(Account { disabled, ..a })
    }

    /// Sets a new password; every session of the account ends.
    pub async fn reset_password(
        &self,
        username: &str,
        password: &str,
    ) -> Result<Account, AppError> {
        let a = self.by_username(username).await?;
        let pw = NewPassword::parse(password, &a.username)
            .map_err(|k| AppError::Invalid(ValidationErrors::single("password", k)))?
            .expose()
            .to_owned();
        let hash = blocking(move || hash_password(&pw)).await??;
        let audit = account_entry(
            Some("system".into()),
            None,
            "account.password-reset",
            Some(&a.id),
            Outcome::Success,
        );
        self.store.set_password_hash(&a.id, &hash, &audit).await?;
        Ok(a)
    }

    /// A new personal access token for scripts; the secret is returned once and never stored.
    pub async fn create_token(&self, username: &str, name: &str) -> Result<String, AppError> {
        let a = self.by_username(username).await?;
        let name = stedenband_domain::Name::parse(name)
            .map_err(|k| AppError::Invalid(ValidationErrors::single("name", k)))?;
        let token = format!("sb_{}", random_token());
        let audit = account_entry(
            Some(a.username.to_string()),
            None,
            "token.create",
            Some(&a.id),
            Outcome::Success,
        );
        self.store
            .insert_access_token(&a.id, name.as_str(), &token_hash(&token), &audit)
            .await?;
        Ok(token)
    }

    pub async fn tokens(&self, account_id: &str) -> Result<Vec<AccessToken>, AppError> {
        Ok(self.store.access_tokens(account_id).await?)
    }

    pub async fn revoke_token(&self, account_id: &str, token_id: &str) -> Result<(), AppError> {
        self.store
            .revoke_access_token(account_id, token_id)
            .await
            .map_err(|e| match e {
                StoreError::NotFound => AppError::NotFound,
                other => AppError::Store(other),
            })
    }

    /// Checks a password and opens a new session (a new token every time: an old token, such
    /// as one planted before login, never becomes a logged-in session).
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        address: Option<IpAddr>,
    ) -> Result<NewSession, LoginError> {
        let now = Timestamp::now();
        // The throttle key is what was typed, without control characters and cut short: it is
        // stored, and junk must neither break the query nor fill the disk.
        let typed_key: String = username
            .trim()
            .to_lowercase()
            .chars()
            .filter(|c| !c.is_control())
            .take(128)
            .collect();
        let user_key = format!("user:{typed_key}");
        let address_key = address.map(|a| format!("address:{a}"));
        let since = time_text(now - THROTTLE_WINDOW);
        for key in std::iter::once(&user_key).chain(address_key.as_ref()) {
            let (count, oldest) = self.store.login_failures(key, &since).await?;
            if count >= MAX_FAILURES {
                let oldest: Timestamp = oldest.and_then(|o| o.parse().ok()).unwrap_or(now);
                let retry = (oldest + THROTTLE_WINDOW)
                    .duration_since(now)
                    .as_secs()
                    .max(1);
                // Only a well-formed user name is written: a password typed into the wrong field,
                // or megabytes of junk, never reaches the append-only log.
                let typed = Username::parse(username).ok().map(|u| u.to_string());
                self.audit(typed, address, "login.throttled", None, Outcome::Refused)
                    .await?;
                return Err(LoginError::Throttled {
                    retry_after: retry.unsigned_abs(),
                });
            }
        }
        let found = match Username::parse(username) {
            Ok(name) => self.store.account_with_hash(&name).await?,
            Err(_) => None,
        };
        let hash = found
            .as_ref()
            .map_or_else(|| DUMMY_HASH.clone(), |(_, h)| h.clone());
        let pw = password.to_owned();
        let matches = blocking(move || verify_password(&pw, &hash)).await?;
        let account = match found {
            Some((a, _)) if matches && !a.disabled => a,
            _ => {
                self.store.record_login_failure(&user_key).await?;
                if let Some(k) = &address_key {
                    self.store.record_login_failure(k).await?;
                }
                // Only a well-formed user name is written: a password typed into the wrong field,
                // or megabytes of junk, never reaches the append-only log.
                let typed = Username::parse(username).ok().map(|u| u.to_string());
                self.audit(typed, address, "login", None, Outcome::Refused)
                    .await?;
                return Err(LoginError::Invalid);
            }
        };
        self.store.clear_login_failures(&user_key).await?;
        let enrolled = self
            .store
            .second_factor(&account.id)
            .await?
            .is_some_and(|f| f.enrolled);
        let stage = if enrolled {
            SessionStage::SecondFactor
        } else if self.needs_second_factor(&account) {
            SessionStage::Enrol
        } else {
            SessionStage::Full
        };
        // "login" is a login; with a second factor still to come it is only the password.
        let action = match stage {
            SessionStage::Full => "login",
            SessionStage::SecondFactor | SessionStage::Enrol => "login.password",
        };
        let entry = account_entry(
            Some(account.username.to_string()),
            address,
            action,
            Some(&account.id),
            Outcome::Success,
        );
        Ok(self
            .open_session(account, stage, None, Some(&entry))
            .await?)
    }

    /// Opens a session with a new token; with `replacing`, the pending session it follows ends
    /// in the same transaction (and if that one was already gone, nothing is opened). The audit
    /// entry of the login, when given, is written in that transaction too.
    async fn open_session(
        &self,
        account: Account,
        stage: SessionStage,
        replacing: Option<&str>,
        audit: Option<&AuditDraft>,
    ) -> Result<NewSession, AppError> {
        let now = Timestamp::now();
        let token = random_token();
        let csrf_token = random_token();
        let lifetime = match stage {
            SessionStage::SecondFactor => PENDING_SESSION,
            SessionStage::Full | SessionStage::Enrol => self.policy.absolute,
        };
        let expires = time_text(now + lifetime);
        let hash = token_hash(&token);
        let record = NewSessionRecord {
            token_hash: &hash,
            account_id: &account.id,
            csrf_token: &csrf_token,
            expires_at: &expires,
            stage,
        };
        match replacing {
            Some(old) => {
                if !self
                    .store
                    .replace_session(&token_hash(old), &record, audit)
                    .await?
                {
                    return Err(AppError::NotFound);
                }
            }
            None => self.store.insert_session(&record, audit).await?,
        }
        Ok(NewSession {
            token,
            csrf_token,
            account,
            stage,
        })
    }

    /// The second step of a login: a code from the app (or an unused recovery code) for the
    /// pending session `token`. On success the pending session ends and a new, full session is
    /// opened with a new token. Wrong codes count as failed logins of the account.
    pub async fn second_factor(
        &self,
        token: &str,
        code: &str,
        address: Option<IpAddr>,
    ) -> Result<NewSession, SecondFactorError> {
        let session = match self.session(token).await? {
            Some(s) if s.stage == SessionStage::SecondFactor => s,
            _ => return Err(SecondFactorError::Expired),
        };
        let account = session.account;
        let actor = Some(account.username.to_string());
        let now = Timestamp::now();
        let key = format!("second-factor:{}", account.id);
        let (count, oldest) = self
            .store
            .login_failures(&key, &time_text(now - THROTTLE_WINDOW))
            .await?;
        if count >= MAX_FAILURES {
            let oldest: Timestamp = oldest.and_then(|o| o.parse().ok()).unwrap_or(now);
            let retry = (oldest + THROTTLE_WINDOW)
                .duration_since(now)
                .as_secs()
                .max(1);
            self.audit(
                actor,
                address,
                "login.second-factor.throttled",
                Some(&account.id),
                Outcome::Refused,
            )
            .await?;
            return Err(SecondFactorError::Throttled {
                retry_after: retry.unsigned_abs(),
            });
        }
        let accepted = match self.check_code(&account.id, code).await? {
            Some(how) => Some(how),
            None => {
                let hash = token_hash(&totp::normalise_recovery_code(code));
                let recovery = !totp::normalise_recovery_code(code).is_empty()
                    && self.store.use_recovery_code(&account.id, &hash).await?;
                recovery.then_some("login.recovery-code")
            }
        };
        let Some(action) = accepted else {
            self.store.record_login_failure(&key).await?;
            self.audit(
                actor,
                address,
                "login.second-factor",
                Some(&account.id),
                Outcome::Refused,
            )
            .await?;
            return Err(SecondFactorError::Invalid);
        };
        self.store.clear_login_failures(&key).await?;
        let entry = account_entry(actor, address, action, Some(&account.id), Outcome::Success);
        self.open_session(account, SessionStage::Full, Some(token), Some(&entry))
            .await
            .map_err(|e| match e {
                AppError::NotFound => SecondFactorError::Expired,
                other => SecondFactorError::App(other),
            })
    }

    /// Checks a TOTP code of an enrolled account and uses up its step. `Some` when accepted.
    async fn check_code(
        &self,
        account_id: &str,
        code: &str,
    ) -> Result<Option<&'static str>, AppError> {
        let Some(factor) = self.store.second_factor(account_id).await? else {
            return Ok(None);
        };
        if !factor.enrolled {
            return Ok(None);
        }
        let Some(secret) = totp::base32_decode(&factor.secret) else {
            return Err(AppError::Store(StoreError::Corrupt(
                "second factor: secret is not base32".into(),
            )));
        };
        match totp::verify(&secret, code, now_unix()) {
            Some(step) if self.store.use_second_factor_step(account_id, step).await? => {
                Ok(Some("login.second-factor"))
            }
            _ => Ok(None),
        }
    }

    /// Whether an account has a second factor.
    pub async fn second_factor_status(
        &self,
        account: &Account,
    ) -> Result<SecondFactorStatus, AppError> {
        let enrolled = self
            .store
            .second_factor(&account.id)
            .await?
            .is_some_and(|f| f.enrolled);
        Ok(SecondFactorStatus {
            enrolled,
            recovery_codes_left: if enrolled {
                self.store.recovery_codes_left(&account.id).await?
            } else {
                0
            },
            required: self.needs_second_factor(account),
        })
    }

    /// Starts (or continues) setting up a second factor: a new secret, or the one shown before
    /// if it was not confirmed yet. `NotFound` when the account already has one.
    pub async fn begin_enrolment(&self, account: &Account) -> Result<Enrolment, AppError> {
        let secret = match self.store.second_factor(&account.id).await? {
            Some(f) if f.enrolled => return Err(AppError::NotFound),
            Some(f) => f.secret,
            None => {
                let mut bytes = [0u8; totp::SECRET_BYTES];
                getrandom::fill(&mut bytes).expect("the operating system's random source");
                let secret = totp::base32_encode(&bytes);
                self.store
                    .set_pending_second_factor(&account.id, &secret)
                    .await?;
                secret
            }
        };
        Ok(Enrolment {
            grouped: totp::grouped(&secret),
            uri: totp::otpauth_uri(account.username.as_str(), &secret),
            secret,
        })
    }

    /// Confirms the second factor being set up with a current code from the app. Returns the
    /// recovery codes, to be shown once (only their hashes are kept). A wrong code is
    /// `Invalid` on the field `code`.
    pub async fn confirm_enrolment(
        &self,
        account: &Account,
        code: &str,
        address: Option<IpAddr>,
    ) -> Result<Vec<String>, AppError> {
        let actor = Some(account.username.to_string());
        let factor = match self.store.second_factor(&account.id).await? {
            Some(f) if !f.enrolled => f,
            _ => return Err(AppError::NotFound),
        };
        let step = totp::base32_decode(&factor.secret)
            .and_then(|secret| totp::verify(&secret, code, now_unix()));
        let Some(step) = step else {
            self.audit(
                actor,
                address,
                "second-factor.enrol",
                Some(&account.id),
                Outcome::Refused,
            )
            .await?;
            return Err(bad_code());
        };
        let codes: Vec<String> = (0..totp::RECOVERY_CODES)
            .map(|_| {
                let mut bytes = [0u8; 7];
                getrandom::fill(&mut bytes).expect("the operating system's random source");
                totp::recovery_code(&bytes)
            })
            .collect();
        let hashes: Vec<String> = codes
            .iter()
            .map(|c| token_hash(&totp::normalise_recovery_code(c)))
            .collect();
        let audit = account_entry(
            actor,
            address,
            "second-factor.enrol",
            Some(&account.id),
            Outcome::Success,
        );
        if !self
            .store
            .enrol_second_factor(&account.id, step, &hashes, &audit)
            .await?
        {
            return Err(AppError::NotFound);
        }
        Ok(codes)
    }

    /// After a session limited to setting up the second factor has done so: that session ends
    /// and a new, full one is opened with a new token.
    pub async fn finish_enrolment_session(&self, token: &str) -> Result<NewSession, AppError> {
        let session = match self.session(token).await? {
            Some(s) if s.stage == SessionStage::Enrol => s,
            _ => return Err(AppError::Unauthenticated),
        };
        let enrolled = self
            .store
            .second_factor(&session.account.id)
            .await?
            .is_some_and(|f| f.enrolled);
        if !enrolled {
            return Err(AppError::Forbidden);
        }
        // The set-up was logged when it was confirmed; the session that follows it is no login.
        self.open_session(session.account, SessionStage::Full, Some(token), None)
            .await
    }

    /// Turns the second factor off, asking for a current code (or a recovery code) first.
    pub async fn remove_second_factor(
        &self,
        account: &Account,
        code: &str,
        address: Option<IpAddr>,
    ) -> Result<(), AppError> {
        let actor = Some(account.username.to_string());
        let ok = self.check_code(&account.id, code).await?.is_some() || {
            let normal = totp::normalise_recovery_code(code);
            !normal.is_empty()
                && self
                    .store
                    .use_recovery_code(&account.id, &token_hash(&normal))
                    .await?
        };
        if !ok {
            self.audit(
                actor,
                address,
                "second-factor.remove",
                Some(&account.id),
                Outcome::Refused,
            )
            .await?;
            return Err(bad_code());
        }
        let audit = account_entry(
            actor,
            address,
            "second-factor.remove",
            Some(&account.id),
            Outcome::Success,
        );
        self.store
            .remove_second_factor(&account.id, false, &audit)
            .await?;
        Ok(())
    }

    /// The operator's reset when a phone is lost: the secret and the recovery codes are
    /// removed and every session of the account ends. The account sets up a new one at its
    /// next login.
    pub async fn reset_second_factor(&self, username: &str) -> Result<Account, AppError> {
        let a = self.by_username(username).await?;
        let audit = account_entry(
            Some("system".into()),
            None,
            "second-factor.reset",
            Some(&a.id),
            Outcome::Success,
        );
        self.store.remove_second_factor(&a.id, true, &audit).await?;
        Ok(a)
    }

    /// The session a cookie names, if it is alive: not past its absolute end, not idle too
    /// long, its account not disabled. A dead session is removed.
    pub async fn session(&self, token: &str) -> Result<Option<ActiveSession>, AppError> {
        let hash = token_hash(token);
        let Some(s) = self.store.session(&hash).await? else {
            return Ok(None);
        };
        let now = Timestamp::now();
        let parse = |t: &str| t.parse::<Timestamp>().ok();
        let expired = parse(&s.expires_at).is_none_or(|e| e <= now)
            || parse(&s.last_seen_at).is_none_or(|l| l + self.policy.idle <= now);
        let account = if expired {
            None
        } else {
            self.store.account(&s.account_id).await?
        };
        match account {
            Some(a) if !a.disabled => {
                // Note the use, but not on every request of a page full of them.
                if parse(&s.last_seen_at).is_some_and(|l| l + SignedDuration::from_secs(30) <= now)
                {
                    self.store.touch_session(&hash).await?;
                }
                // A pending session is nobody until the second factor is done.
                let principal = match s.stage {
                    SessionStage::Full => a.principal(),
                    SessionStage::SecondFactor | SessionStage::Enrol => Principal::Public,
                };
                Ok(Some(ActiveSession {
                    principal,
                    csrf_token: s.csrf_token,
                    stage: s.stage,
                    account: a,
                }))
            }
            _ => {
                self.store.delete_session(&hash).await?;
                Ok(None)
            }
        }
    }

    pub async fn logout(&self, token: &str) -> Result<(), AppError> {
        Ok(self.store.delete_session(&token_hash(token)).await?)
    }

    /// The account a personal access token belongs to, if the token is live and the account
    /// enabled.
    pub async fn bearer(&self, token: &str) -> Result<Option<Principal>, AppError> {
        let Some(account_id) = self.store.use_access_token(&token_hash(token)).await? else {
            return Ok(None);
        };
        Ok(self
            .store
            .account(&account_id)
            .await?
            .filter(|a| !a.disabled)
            .map(|a| a.principal()))
    }

    pub async fn session_count(&self, account_id: &str) -> Result<i64, AppError> {
        Ok(self.store.session_count(account_id).await?)
    }
}

/// An account event's audit entry (never a password or a token): appended by
/// `Accounts::audit`, or by a store write in its own transaction.
fn account_entry(
    actor: Option<String>,
    address: Option<IpAddr>,
    action: &str,
    account: Option<&str>,
    outcome: Outcome,
) -> AuditDraft {
    AuditDraft {
        actor,
        address: address.map(|a| a.to_string()),
        action: action.to_owned(),
        object_kind: account.map(|_| "account".to_owned()),
        object_id: account.map(str::to_owned),
        before: None,
        after: None,
        outcome,
    }
}
