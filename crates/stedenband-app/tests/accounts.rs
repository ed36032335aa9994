//! Accounts, logins, sessions, tokens and their audit trail, on SQLite and on PostgreSQL.

mod support;

use jiff::SignedDuration;
use std::net::IpAddr;
use stedenband_app::accounts::{
    LoginError, PENDING_SESSION, SecondFactorError, SessionPolicy, SessionStage, token_hash,
};
use stedenband_app::{Accounts, AppError, AuditLog, Caller, Register};
use stedenband_domain::{PartnershipEventInput, Principal, Username, totp};
use stedenband_store::{Store, test_on_both_backends};

const PASSWORD: &str = "kerstboom uit hranice";

fn ip(n: u8) -> Option<IpAddr> {
    Some(IpAddr::from([192, 0, 2, n]))
}

fn keys(e: AppError) -> Vec<(&'static str, &'static str)> {
    match e {
        AppError::Invalid(v) => v.0.iter().map(|f| (f.field, f.key)).collect(),
        other => panic!("expected invalid input, got {other:?}"),
    }
}

async fn accounts_are_validated_and_hashed_with_argon2id(store: Store) {
    let a = Accounts::new(store.clone(), SessionPolicy::default());
    assert_eq!(
        keys(a.create("x", PASSWORD, &[]).await.unwrap_err()),
        vec![("username", "error-username-invalid")]
    );
    assert_eq!(
        keys(a.create("beheerder", "short", &[]).await.unwrap_err()),
        vec![("password", "error-password-too-short")]
    );
    assert_eq!(
        keys(
            a.create("beheerder", "password1234", &[])
                .await
                .unwrap_err()
        ),
        vec![("password", "error-password-common")]
    );
    assert_eq!(
        keys(
            a.create("beheerder", PASSWORD, &["municipal-official".into()])
                .await
                .unwrap_err()
        ),
        vec![("grants", "error-grant-scope-required")]
    );
    assert_eq!(
        keys(
            a.create(
                "beheerder",
                PASSWORD,
                &["municipal-official:atlantis".into()]
            )
            .await
            .unwrap_err()
        ),
        vec![("grants", "error-municipality-unknown")]
    );
    a.create("beheerder", PASSWORD, &["administrator".into()])
        .await
        .unwrap();
    assert_eq!(
        keys(a.create("Beheerder", PASSWORD, &[]).await.unwrap_err()),
        vec![("username", "error-username-taken")]
    );
    let (_, hash) = store
        .account_with_hash(&Username::parse("beheerder").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(
        hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{hash}"
    );
    assert!(!hash.contains(PASSWORD));
}

async fn logins_are_throttled_per_account_and_per_address(store: Store) {
    let a = Accounts::new(store, SessionPolicy::default());
    a.create("beheerder", PASSWORD, &["administrator".into()])
        .await
        .unwrap();
    a.create("ambtenaar", PASSWORD, &[]).await.unwrap();
    // Five failures for one account, each from another address.
    for n in 1..=5 {
        assert!(matches!(
            a.login("beheerder", "wrong password!", ip(n)).await,
            Err(LoginError::Invalid)
        ));
    }
    match a.login("beheerder", PASSWORD, ip(6)).await {
        Err(LoginError::Throttled { retry_after }) => assert!((1..=900).contains(&retry_after)),
        other => panic!("the sixth attempt was not throttled: {other:?}"),
    }
    // The other account is not locked out by this...
    assert!(a.login("ambtenaar", PASSWORD, ip(7)).await.is_ok());
    // ...but five failures from one address lock that address, whatever the account.
    for _ in 0..5 {
        assert!(
            a.login("nobody-here", "wrong password!", ip(9))
                .await
                .is_err()
        );
    }
    assert!(matches!(
        a.login("ambtenaar", PASSWORD, ip(9)).await,
        Err(LoginError::Throttled { .. })
    ));
}

async fn sessions_end_when_idle_too_long_or_too_old(store: Store) {
    let idle = Accounts::new(
        store.clone(),
        SessionPolicy {
            idle: SignedDuration::from_millis(400),
            absolute: SignedDuration::from_hours(12),
        },
    );
    idle.create("beheerder", PASSWORD, &["administrator".into()])
        .await
        .unwrap();
    let s = idle.login("beheerder", PASSWORD, None).await.unwrap();
    assert!(idle.session(&s.token).await.unwrap().is_some());
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    assert!(
        idle.session(&s.token).await.unwrap().is_none(),
        "an idle session lived on"
    );
    let old = Accounts::new(
        store,
        SessionPolicy {
            idle: SignedDuration::from_hours(1),
            absolute: SignedDuration::from_millis(400),
        },
    );
    let s = old.login("beheerder", PASSWORD, None).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    assert!(
        old.session(&s.token).await.unwrap().is_none(),
        "a session outlived its absolute end"
    );
}

async fn a_new_password_or_disabling_ends_sessions_and_tokens(store: Store) {
    let a = Accounts::new(store, SessionPolicy::default());
    let account = a
        .create("beheerder", PASSWORD, &["administrator".into()])
        .await
        .unwrap();
    let s1 = a.login("beheerder", PASSWORD, None).await.unwrap();
    let s2 = a.login("beheerder", PASSWORD, None).await.unwrap();
    assert_ne!(s1.token, s2.token, "each login makes a new session");
    assert_eq!(a.session_count(&account.id).await.unwrap(), 2);
    a.reset_password("beheerder", "een nieuw lang wachtwoord")
        .await
        .unwrap();
    assert_eq!(a.session_count(&account.id).await.unwrap(), 0);
    assert!(a.session(&s1.token).await.unwrap().is_none());
    let token = a.create_token("beheerder", "script").await.unwrap();
    assert!(matches!(
        a.bearer(&token).await.unwrap(),
        Some(Principal::Account { .. })
    ));
    a.set_disabled("beheerder", true).await.unwrap();
    assert!(
        a.bearer(&token).await.unwrap().is_none(),
        "a disabled account's token still works"
    );
    assert!(matches!(
        a.login("beheerder", "een nieuw lang wachtwoord", None)
            .await,
        Err(LoginError::Invalid)
    ));
    a.set_disabled("beheerder", false).await.unwrap();
    let tokens = a.tokens(&account.id).await.unwrap();
    a.revoke_token(&account.id, &tokens[0].id).await.unwrap();
    assert!(
        a.bearer(&token).await.unwrap().is_none(),
        "a revoked token still works"
    );
}

async fn changes_logins_and_refusals_are_in_the_audit_log(store: Store) {
    let register = Register::new(store.clone());
    // The official logs in with the password alone here (as in demo mode); the second
    // factor's own audit entries are checked in `second_factor_audit`.
    let a = Accounts::new(store.clone(), SessionPolicy::default()).requiring_second_factor(false);
    a.create(
        "ambtenaar",
        PASSWORD,
        &["municipal-official:leidschendam-voorburg".into()],
    )
    .await
    .unwrap();
    assert!(
        a.login("ambtenaar", "wrong password!", ip(1))
            .await
            .is_err()
    );
    let session = a.login("ambtenaar", PASSWORD, ip(1)).await.unwrap();
    let caller = Caller::new(
        a.session(&session.token).await.unwrap().unwrap().principal,
        Some("192.0.2.1".into()),
    );
    let lv = register
        .partnerships(
            Some("leidschendam-voorburg"),
            stedenband_app::PageRequest::new(1, 5),
        )
        .await
        .unwrap();
    let id = lv.items[0].partnership.id.0.clone();
    let event = PartnershipEventInput {
        date: Some("2026".into()),
        kind: Some("visit".into()),
        text: Some("Bezoek".into()),
        status: None,
    };
    register.add_event(&caller, &id, &event).await.unwrap();
    // The public is refused, and that is recorded too.
    assert!(matches!(
        register.add_event(&Caller::public(), &id, &event).await,
        Err(AppError::Unauthenticated)
    ));

    let trail = register.audit_trail("partnership", &id).await.unwrap();
    let last = trail.last().unwrap();
    assert_eq!(last.draft.action, "partnership.event.create");
    assert_eq!(last.draft.actor.as_deref(), Some("ambtenaar"));
    assert_eq!(last.draft.address.as_deref(), Some("192.0.2.1"));
    assert!(last.draft.after.as_deref().unwrap().contains("Bezoek"));
    let log = AuditLog::new(store.clone());
    let mut all = Vec::new();
    let mut after = 0;
    loop {
        let page = store.audit_entries(after, 100).await.unwrap();
        let Some(last) = page.last() else { break };
        after = last.seq;
        all.extend(page);
    }
    let actions: Vec<(String, String)> = all
        .iter()
        .map(|e| (e.draft.action.clone(), e.draft.outcome.as_str().to_owned()))
        .collect();
    for expected in [
        ("municipality.create", "success"),
        ("merger.create", "success"),
        ("partnership.create", "success"),
        ("account.create", "success"),
        ("login", "refused"),
        ("login", "success"),
        ("partnership.event.create", "success"),
        ("partnership.event.create", "refused"),
    ] {
        assert!(
            actions
                .iter()
                .any(|(a, o)| a == expected.0 && o == expected.1),
            "no {expected:?} in the audit log: {actions:?}"
        );
    }
    // Nothing secret is written.
    let text = format!("{all:?}");
    assert!(
        !text.contains(PASSWORD)
            && !text.contains(&session.token)
            && !text.contains("wrong password!")
    );
    assert!(
        log.verify(None).await.unwrap().is_ok(),
        "the chain is broken"
    );
}

fn unix_now() -> i64 {
    jiff::Timestamp::now().as_second()
}

/// The code an authenticator app shows `offset` steps from now, for a base32 secret.
fn code(secret: &str, offset: i64) -> String {
    let key = totp::base32_decode(secret).unwrap();
    totp::code_at(&key, unix_now() + offset * totp::STEP_SECONDS)
}

/// Sets up the second factor of an account through its (enrol-stage or full) session's
/// account; returns the secret and the recovery codes.
async fn enrol(a: &Accounts, username: &str) -> (String, Vec<String>) {
    let (secret, codes, _) = enrol_with_code(a, username).await;
    (secret, codes)
}

/// As `enrol`, and also the code that confirmed the set-up (used, so refused from then on,
/// whichever 30-second step the clock has moved on to since).
async fn enrol_with_code(a: &Accounts, username: &str) -> (String, Vec<String>, String) {
    let account = a.by_username(username).await.unwrap();
    let e = a.begin_enrolment(&account).await.unwrap();
    // Asking again before confirming shows the same secret.
    assert_eq!(a.begin_enrolment(&account).await.unwrap().secret, e.secret);
    assert_eq!(e.secret.len(), 32, "160 bits in base32");
    assert!(
        e.uri
            .starts_with(&format!("otpauth://totp/Stedenband:{username}?secret="))
    );
    assert!(matches!(
        a.confirm_enrolment(&account, "000000x", None).await,
        Err(AppError::Invalid(_))
    ));
    let used = code(&e.secret, 0);
    let codes = a.confirm_enrolment(&account, &used, None).await.unwrap();
    (e.secret, codes, used)
}

async fn enrolment_then_login_needs_the_code_once(store: Store) {
    let a = Accounts::new(store.clone(), SessionPolicy::default());
    assert!(a.require_second_factor(), "required by default");
    a.create("beheerder", PASSWORD, &["administrator".into()])
        .await
        .unwrap();
    // Not set up yet: the password gives a session limited to setting it up.
    let limited = a.login("beheerder", PASSWORD, None).await.unwrap();
    assert_eq!(limited.stage, SessionStage::Enrol);
    let s = a.session(&limited.token).await.unwrap().unwrap();
    assert_eq!(
        s.principal,
        Principal::Public,
        "a limited session grants nothing"
    );
    assert!(
        a.finish_enrolment_session(&limited.token).await.is_err(),
        "not set up yet"
    );
    let (secret, codes, used) = enrol_with_code(&a, "beheerder").await;
    assert_eq!(codes.len(), 10);
    let full = a.finish_enrolment_session(&limited.token).await.unwrap();
    assert_eq!(full.stage, SessionStage::Full);
    assert_ne!(full.token, limited.token);
    assert!(a.session(&limited.token).await.unwrap().is_none());
    assert!(matches!(
        a.session(&full.token).await.unwrap().unwrap().principal,
        Principal::Account { .. }
    ));
    let account = a.by_username("beheerder").await.unwrap();
    let status = a.second_factor_status(&account).await.unwrap();
    assert!(status.enrolled && status.required);
    assert_eq!(status.recovery_codes_left, 10);

    // Now the password alone gives a pending session, for five minutes, that grants nothing.
    let pending = a.login("beheerder", PASSWORD, None).await.unwrap();
    assert_eq!(pending.stage, SessionStage::SecondFactor);
    let s = a.session(&pending.token).await.unwrap().unwrap();
    assert_eq!(s.principal, Principal::Public);
    let stored = store
        .session(&token_hash(&pending.token))
        .await
        .unwrap()
        .unwrap();
    let expires: jiff::Timestamp = stored.expires_at.parse().unwrap();
    assert!(expires <= jiff::Timestamp::now() + PENDING_SESSION);
    // A wrong code is refused; the code that confirmed the set-up was used already (replay).
    assert!(matches!(
        a.second_factor(&pending.token, "123456x", None).await,
        Err(SecondFactorError::Invalid)
    ));
    assert!(matches!(
        a.second_factor(&pending.token, &used, None).await,
        Err(SecondFactorError::Invalid)
    ));
    // The next step's code is accepted (one step of clock drift): a new, full session.
    let next_code = code(&secret, 1);
    let logged_in = a
        .second_factor(&pending.token, &next_code, None)
        .await
        .unwrap();
    assert_ne!(
        logged_in.token, pending.token,
        "no fixation between the stages"
    );
    assert!(a.session(&pending.token).await.unwrap().is_none());
    assert!(matches!(
        a.session(&logged_in.token)
            .await
            .unwrap()
            .unwrap()
            .principal,
        Principal::Account { .. }
    ));
    // The pending token cannot be used a second time.
    assert!(matches!(
        a.second_factor(&pending.token, &next_code, None).await,
        Err(SecondFactorError::Expired)
    ));
    // Nor the code, in another login.
    let again = a.login("beheerder", PASSWORD, None).await.unwrap();
    assert!(matches!(
        a.second_factor(&again.token, &next_code, None).await,
        Err(SecondFactorError::Invalid)
    ));
    // A recovery code works once, typed loosely.
    let loose = format!(" {} ", codes[0].to_uppercase().replace('-', " "));
    a.second_factor(&again.token, &loose, None).await.unwrap();
    let third = a.login("beheerder", PASSWORD, None).await.unwrap();
    assert!(matches!(
        a.second_factor(&third.token, &codes[0], None).await,
        Err(SecondFactorError::Invalid)
    ));
    a.second_factor(&third.token, &codes[1], None)
        .await
        .unwrap();
    assert_eq!(
        a.second_factor_status(&account)
            .await
            .unwrap()
            .recovery_codes_left,
        8
    );
    // A full session is not a pending one.
    assert!(matches!(
        a.second_factor(&logged_in.token, &codes[2], None).await,
        Err(SecondFactorError::Expired)
    ));
}

async fn wrong_codes_are_throttled(store: Store) {
    let a = Accounts::new(store, SessionPolicy::default());
    a.create("beheerder", PASSWORD, &["administrator".into()])
        .await
        .unwrap();
    let (secret, _) = enrol(&a, "beheerder").await;
    let pending = a.login("beheerder", PASSWORD, None).await.unwrap();
    for _ in 0..5 {
        assert!(matches!(
            a.second_factor(&pending.token, "000000", None).await,
            Err(SecondFactorError::Invalid)
        ));
    }
    assert!(matches!(
        a.second_factor(&pending.token, &code(&secret, 1), None)
            .await,
        Err(SecondFactorError::Throttled { .. })
    ));
}

async fn officials_must_set_it_up_except_in_demo_mode(store: Store) {
    let a = Accounts::new(store.clone(), SessionPolicy::default());
    a.create(
        "ambtenaar",
        PASSWORD,
        &["municipal-official:leidschendam-voorburg".into()],
    )
    .await
    .unwrap();
    a.create(
        "werkgroep",
        PASSWORD,
        &["working-group-member:werkgroep-hranice".into()],
    )
    .await
    .unwrap();
    // Scopes are looked up: an unknown foundation or working group is refused, a known one is
    // stored by its id.
    for (grant, key) in [
        (
            "foundation-board:stichting-elders",
            "error-foundation-unknown",
        ),
        (
            "working-group-member:werkgroep-elders",
            "error-working-group-unknown",
        ),
    ] {
        match a.create("onbekend", PASSWORD, &[grant.into()]).await {
            Err(stedenband_app::AppError::Invalid(e)) => assert_eq!(e.0[0].key, key),
            other => panic!("{grant}: {other:?}"),
        }
    }
    let member = a.by_username("werkgroep").await.unwrap();
    assert_ne!(
        member.grants[0].scope.as_deref(),
        Some("werkgroep-hranice"),
        "stored by id"
    );
    let s = a.login("ambtenaar", PASSWORD, None).await.unwrap();
    assert_eq!(s.stage, SessionStage::Enrol);
    // Roles that need no second factor log in with the password.
    let s = a.login("werkgroep", PASSWORD, None).await.unwrap();
    assert_eq!(s.stage, SessionStage::Full);
    // Demo mode: the password alone, for everybody.
    let demo =
        Accounts::new(store.clone(), SessionPolicy::default()).requiring_second_factor(false);
    let s = demo.login("ambtenaar", PASSWORD, None).await.unwrap();
    assert_eq!(s.stage, SessionStage::Full);
    // ...unless the account has set one up: then it is asked for, demo or not.
    enrol(&demo, "ambtenaar").await;
    let s = demo.login("ambtenaar", PASSWORD, None).await.unwrap();
    assert_eq!(s.stage, SessionStage::SecondFactor);
}

async fn the_operator_resets_a_lost_second_factor(store: Store) {
    let a = Accounts::new(store, SessionPolicy::default());
    let account = a
        .create("beheerder", PASSWORD, &["administrator".into()])
        .await
        .unwrap();
    let (_, codes) = enrol(&a, "beheerder").await;
    let pending = a.login("beheerder", PASSWORD, None).await.unwrap();
    let full = a
        .second_factor(&pending.token, &codes[0], None)
        .await
        .unwrap();
    // Turning it off asks for a code.
    assert!(matches!(
        a.remove_second_factor(&account, "nonsense", None).await,
        Err(AppError::Invalid(_))
    ));
    a.reset_second_factor("beheerder").await.unwrap();
    assert!(
        a.session(&full.token).await.unwrap().is_none(),
        "the sessions end"
    );
    assert!(!a.second_factor_status(&account).await.unwrap().enrolled);
    let s = a.login("beheerder", PASSWORD, None).await.unwrap();
    assert_eq!(s.stage, SessionStage::Enrol, "a new one must be set up");
    // The old recovery codes are gone with it.
    enrol(&a, "beheerder").await;
    let pending = a.login("beheerder", PASSWORD, None).await.unwrap();
    assert!(matches!(
        a.second_factor(&pending.token, &codes[1], None).await,
        Err(SecondFactorError::Invalid)
    ));
    assert!(matches!(
        a.reset_second_factor("nobody").await,
        Err(AppError::NotFound)
    ));
}

async fn second_factor_audit(store: Store) {
    let a = Accounts::new(store.clone(), SessionPolicy::default());
    let account = a
        .create("beheerder", PASSWORD, &["administrator".into()])
        .await
        .unwrap();
    let (secret, codes) = enrol(&a, "beheerder").await;
    let pending = a.login("beheerder", PASSWORD, ip(3)).await.unwrap();
    assert!(
        a.second_factor(&pending.token, "000000", ip(3))
            .await
            .is_err()
    );
    a.second_factor(&pending.token, &code(&secret, 1), ip(3))
        .await
        .unwrap();
    let pending = a.login("beheerder", PASSWORD, ip(3)).await.unwrap();
    a.second_factor(&pending.token, &codes[0], ip(3))
        .await
        .unwrap();
    a.remove_second_factor(&account, &codes[1], ip(3))
        .await
        .unwrap();
    a.reset_second_factor("beheerder").await.unwrap();
    let all = store.audit_entries(0, 200).await.unwrap();
    let actions: Vec<(String, String)> = all
        .iter()
        .map(|e| (e.draft.action.clone(), e.draft.outcome.as_str().to_owned()))
        .collect();
    for expected in [
        ("login.password", "success"),
        ("second-factor.enrol", "refused"),
        ("second-factor.enrol", "success"),
        ("login.second-factor", "refused"),
        ("login.second-factor", "success"),
        ("login.recovery-code", "success"),
        ("second-factor.remove", "success"),
        ("second-factor.reset", "success"),
    ] {
        assert!(
            actions
                .iter()
                .any(|(a, o)| a == expected.0 && o == expected.1),
            "no {expected:?} in the audit log: {actions:?}"
        );
    }
    let text = format!("{all:?}").to_lowercase();
    assert!(
        !text.contains(&secret.to_lowercase()),
        "the secret is in the audit log"
    );
    for c in &codes {
        assert!(!text.contains(c), "a recovery code is in the audit log");
    }
    assert!(
        AuditLog::new(store).verify(None).await.unwrap().is_ok(),
        "the chain is broken"
    );
}

/// A login's session and its audit entry are one write: each login adds one of each, and a
/// session that cannot be opened (its token taken, or the pending session it replaces gone)
/// leaves no entry either.
async fn a_login_writes_its_session_and_entry_together(store: Store) {
    use stedenband_domain::audit::{AuditDraft, Outcome};
    use stedenband_store::NewSessionRecord;
    let a = Accounts::new(store.clone(), SessionPolicy::default());
    let account = a
        .create("beheerder", PASSWORD, &["administrator".into()])
        .await
        .unwrap();
    let (secret, _) = enrol(&a, "beheerder").await;
    let entries = |store: Store| async move { store.audit_entries(0, 1000).await.unwrap() };
    let before = entries(store.clone()).await.len();
    let sessions_before = store.session_count(&account.id).await.unwrap();

    let pending = a.login("beheerder", PASSWORD, ip(7)).await.unwrap();
    let after_password = entries(store.clone()).await;
    assert_eq!(after_password.len(), before + 1);
    let last = &after_password.last().unwrap().draft;
    assert_eq!(
        (last.action.as_str(), last.outcome, last.address.as_deref()),
        ("login.password", Outcome::Success, Some("192.0.2.7"))
    );
    assert_eq!(last.object_id.as_deref(), Some(account.id.as_str()));
    assert_eq!(
        store.session_count(&account.id).await.unwrap(),
        sessions_before + 1
    );

    a.second_factor(&pending.token, &code(&secret, 1), ip(7))
        .await
        .unwrap();
    let after_code = entries(store.clone()).await;
    assert_eq!(after_code.len(), before + 2);
    assert_eq!(
        after_code.last().unwrap().draft.action,
        "login.second-factor"
    );
    assert_eq!(
        store.session_count(&account.id).await.unwrap(),
        sessions_before + 1,
        "the pending session was replaced by the full one"
    );

    // The store refuses both writes whole: no session and no entry.
    let draft = AuditDraft {
        actor: Some("beheerder".into()),
        address: None,
        action: "login".into(),
        object_kind: Some("account".into()),
        object_id: Some(account.id.clone()),
        before: None,
        after: None,
        outcome: Outcome::Success,
    };
    let record = |hash: &'static str| NewSessionRecord {
        token_hash: hash,
        account_id: &account.id,
        csrf_token: "csrf",
        expires_at: "2999-01-01T00:00:00Z",
        stage: SessionStage::Full,
    };
    assert!(
        !store
            .replace_session("no such session", &record("fresh"), Some(&draft))
            .await
            .unwrap(),
        "a gone pending session opens nothing"
    );
    store
        .insert_session(&record("taken"), Some(&draft))
        .await
        .unwrap();
    assert!(
        store
            .insert_session(&record("taken"), Some(&draft))
            .await
            .is_err(),
        "a token that is taken"
    );
    let end = entries(store.clone()).await;
    assert_eq!(
        end.len(),
        before + 3,
        "one entry for the one session opened"
    );
    assert_eq!(
        store.session_count(&account.id).await.unwrap(),
        sessions_before + 2
    );
    assert!(
        AuditLog::new(store).verify(None).await.unwrap().is_ok(),
        "the chain is broken"
    );
}

test_on_both_backends! {
    account_rules => accounts_are_validated_and_hashed_with_argon2id,
    throttling => logins_are_throttled_per_account_and_per_address,
    session_expiry => sessions_end_when_idle_too_long_or_too_old,
    ending_sessions => a_new_password_or_disabling_ends_sessions_and_tokens,
    second_factor_login => enrolment_then_login_needs_the_code_once,
    second_factor_throttling => wrong_codes_are_throttled,
    second_factor_reset => the_operator_resets_a_lost_second_factor,
    second_factor_audit_trail => second_factor_audit,
    login_audited => a_login_writes_its_session_and_entry_together,
}

test_on_both_backends_with_demo! {
    audit_trail => changes_logins_and_refusals_are_in_the_audit_log,
    second_factor_required => officials_must_set_it_up_except_in_demo_mode,
}
