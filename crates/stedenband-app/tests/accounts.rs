//! Accounts, logins, sessions, tokens and their audit trail, on SQLite and on PostgreSQL.

use jiff::SignedDuration;
use std::net::IpAddr;
use stedenband_app::accounts::{LoginError, SessionPolicy};
use stedenband_app::{Accounts, AppError, AuditLog, Caller, Register, demo};
use stedenband_domain::{PartnershipEventInput, Principal, Username};
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
    demo::load(&register).await.unwrap();
    let a = Accounts::new(store.clone(), SessionPolicy::default());
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

test_on_both_backends! {
    account_rules => accounts_are_validated_and_hashed_with_argon2id,
    throttling => logins_are_throttled_per_account_and_per_address,
    session_expiry => sessions_end_when_idle_too_long_or_too_old,
    ending_sessions => a_new_password_or_disabling_ends_sessions_and_tokens,
    audit_trail => changes_logins_and_refusals_are_in_the_audit_log,
}
