//! The register's use cases on a fresh database, once on SQLite and once on PostgreSQL.

mod support;

use stedenband_app::{AppError, Caller, MunicipalityFilter, PageRequest, Register};
use stedenband_domain::{
    MergerInput, MunicipalityInput, PartnershipEventInput, PartnershipInput, PartnershipStatus,
};
use stedenband_store::Store;

fn sys() -> Caller {
    Caller::system()
}

fn s(v: &str) -> Option<String> {
    Some(v.to_owned())
}

fn keys(e: AppError) -> Vec<(&'static str, &'static str)> {
    match e {
        AppError::Invalid(v) => v.0.iter().map(|f| (f.field, f.key)).collect(),
        other => panic!("expected invalid input, got {other:?}"),
    }
}

async fn demo_register(store: Store) -> Register {
    Register::new(store)
}

async fn the_demo_shows_three_partnerships_held_by_leidschendam_voorburg(store: Store) {
    let r = demo_register(store).await;
    let view = r.municipality("leidschendam-voorburg").await.unwrap();
    let got: Vec<_> = view
        .partnerships
        .iter()
        .map(|p| {
            (
                p.partner.name().as_str().to_owned(),
                p.partnership.draft.start.to_string(),
                p.home.name().as_str().to_owned(),
                p.holder.slug.as_str().to_owned(),
                p.held_since.map(|d| d.to_string()),
            )
        })
        .collect();
    let lv = "leidschendam-voorburg".to_owned();
    let since = Some("2002-01-01".to_owned());
    assert_eq!(
        got,
        vec![
            (
                "Hranice".into(),
                "1990".into(),
                "Voorburg".into(),
                lv.clone(),
                since.clone()
            ),
            (
                "Konstancin-Jeziorna".into(),
                "1991".into(),
                "Leidschendam".into(),
                lv.clone(),
                since.clone()
            ),
            (
                "Temecula".into(),
                "1993".into(),
                "Voorburg".into(),
                lv,
                since
            ),
        ]
    );
    let preds: Vec<_> = view
        .predecessors
        .iter()
        .map(|(m, d)| (m.name().as_str(), d.to_string()))
        .collect();
    assert_eq!(
        preds,
        vec![
            ("Leidschendam", "2002-01-01".into()),
            ("Voorburg", "2002-01-01".into())
        ]
    );
    // The predecessor's page points on to its successor and still lists what it entered.
    let voorburg = r.municipality("voorburg").await.unwrap();
    assert_eq!(
        voorburg.successor.unwrap().0.slug.as_str(),
        "leidschendam-voorburg"
    );
    assert_eq!(voorburg.partnerships.len(), 2);
    // The start page lists the holder only, not the predecessors.
    let homes: Vec<_> = r
        .home_municipalities()
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.slug.to_string())
        .collect();
    assert_eq!(homes, vec!["leidschendam-voorburg"]);
    // Temecula's history starts with the mayor's visit of 1990, before the bond of 1993.
    let temecula = &view.partnerships[2];
    let detail = r.partnership(&temecula.partnership.id.0).await.unwrap();
    assert_eq!(detail.events[0].draft.date.to_string(), "1990");
    assert_eq!(detail.events[0].draft.kind.as_str(), "mayoral-visit");
}

async fn bad_partnerships_are_refused_and_nothing_is_stored(store: Store) {
    let r = demo_register(store).await;
    let before = r
        .partnerships(None, PageRequest::new(1, 50))
        .await
        .unwrap()
        .total;
    let good = PartnershipInput {
        home: s("leidschendam-voorburg"),
        partner: s("hranice"),
        kind: s("project-based"),
        initiator: s("private-initiative"),
        structural: Some(true),
        supported_by_municipality: Some(true),
        start: s("2020"),
        ..Default::default()
    };
    let mut i = good.clone();
    i.structural = Some(false);
    assert_eq!(
        keys(r.create_partnership(&sys(), &i).await.unwrap_err()),
        vec![("structural", "error-private-not-structural")]
    );
    let mut i = good.clone();
    i.partner = s("atlantis");
    assert_eq!(
        keys(r.create_partnership(&sys(), &i).await.unwrap_err()),
        vec![("partner", "error-municipality-unknown")]
    );
    let mut i = good.clone();
    i.end = s("2019-12-31");
    assert_eq!(
        keys(r.create_partnership(&sys(), &i).await.unwrap_err()),
        vec![("end", "error-end-before-start")]
    );
    assert_eq!(
        r.partnerships(None, PageRequest::new(1, 50))
            .await
            .unwrap()
            .total,
        before
    );
    r.create_partnership(&sys(), &good).await.unwrap();
    assert_eq!(
        r.partnerships(None, PageRequest::new(1, 50))
            .await
            .unwrap()
            .total,
        before + 1
    );
}

async fn status_changes_make_a_history(store: Store) {
    let r = demo_register(store).await;
    let page = r
        .partnerships(Some("hranice"), PageRequest::new(1, 10))
        .await;
    // Hranice holds no partnership of its own (it is the partner).
    assert_eq!(page.unwrap().total, 0);
    let lv = r
        .partnerships(Some("leidschendam-voorburg"), PageRequest::new(1, 10))
        .await
        .unwrap();
    let id = lv.items[0].partnership.id.0.clone();
    let mut input = PartnershipInput {
        home: s("voorburg"),
        partner: s("hranice"),
        kind: s("friendship"),
        initiator: s("local-government"),
        start: s("1990"),
        status: s("civil-society-only"),
        status_since: s("2015"),
        ..Default::default()
    };
    let today = jiff::civil::date(2026, 11, 27);
    r.update_partnership(&sys(), &id, &input, today)
        .await
        .unwrap();
    // Saving the same status again records nothing new.
    r.update_partnership(&sys(), &id, &input, today)
        .await
        .unwrap();
    // A status that would not become current (before the last change) or would be current too
    // early (in the future) is refused.
    input.status = s("ended");
    input.status_since = s("2012");
    assert_eq!(
        keys(
            r.update_partnership(&sys(), &id, &input, today)
                .await
                .unwrap_err()
        ),
        vec![("statusSince", "error-status-before-latest")]
    );
    input.status_since = s("2099");
    assert_eq!(
        keys(
            r.update_partnership(&sys(), &id, &input, today)
                .await
                .unwrap_err()
        ),
        vec![("statusSince", "error-date-in-future")]
    );
    input.status = s("dormant");
    input.status_since = None;
    r.update_partnership(&sys(), &id, &input, today)
        .await
        .unwrap();
    let d = r.partnership(&id).await.unwrap();
    assert_eq!(d.view.partnership.status, PartnershipStatus::Dormant);
    let statuses: Vec<_> = d
        .events
        .iter()
        .filter_map(|e| {
            e.draft
                .status
                .map(|s| (e.draft.date.to_string(), s.as_str()))
        })
        .collect();
    assert_eq!(
        statuses,
        vec![
            ("1990".into(), "active"),
            ("2015".into(), "civil-society-only"),
            ("2026-11-27".into(), "dormant")
        ]
    );
    // A backdated change lands in its place in time and does not become the current status.
    r.add_event(
        &sys(),
        &id,
        &PartnershipEventInput {
            date: s("2010"),
            kind: s("status-change"),
            status: s("dormant"),
            text: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(
        r.partnership(&id).await.unwrap().view.partnership.status,
        PartnershipStatus::Dormant
    );
    assert!(matches!(
        r.add_event(
            &sys(),
            "no-such-id",
            &PartnershipEventInput {
                date: s("2010"),
                kind: s("visit"),
                text: s("x"),
                status: None
            }
        )
        .await,
        Err(AppError::NotFound)
    ));
}

async fn municipalities_are_validated_searched_and_paged(store: Store) {
    let r = demo_register(store).await;
    let bad = MunicipalityInput {
        name: s("Atlantis"),
        country: s("XX"),
        ..Default::default()
    };
    assert_eq!(
        keys(r.create_municipality(&sys(), &bad).await.unwrap_err()),
        vec![("country", "error-country-unknown")]
    );
    // Namesakes get distinct slugs.
    let a = r
        .create_municipality(
            &sys(),
            &MunicipalityInput {
                name: s("Hranice"),
                country: s("CZ"),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(a.slug.as_str(), "hranice-cz");
    let taken = MunicipalityInput {
        name: s("X"),
        country: s("NL"),
        slug: s("hranice"),
        ..Default::default()
    };
    assert_eq!(
        keys(r.create_municipality(&sys(), &taken).await.unwrap_err()),
        vec![("slug", "error-slug-taken")]
    );
    let hits = r
        .municipalities(
            &MunicipalityFilter {
                query: s("konstancin JEZIORNA"),
                country: None,
            },
            PageRequest::new(1, 10),
        )
        .await
        .unwrap();
    assert_eq!(hits.total, 1);
    let nl = r
        .municipalities(
            &MunicipalityFilter {
                query: None,
                country: Some(stedenband_domain::CountryCode::parse("NL").unwrap()),
            },
            PageRequest::new(2, 2),
        )
        .await
        .unwrap();
    assert_eq!((nl.total, nl.items.len(), nl.pages()), (3, 1, 2));
    assert_eq!(nl.items[0].name().as_str(), "Voorburg");
    let diacritics = r
        .municipalities(
            &MunicipalityFilter {
                query: s("olomoucky"),
                country: None,
            },
            PageRequest::new(1, 10),
        )
        .await
        .unwrap();
    assert_eq!(
        diacritics.total, 0,
        "the region is not searched, only the name"
    );
}

async fn mergers_cannot_repeat_or_loop(store: Store) {
    let r = demo_register(store).await;
    let again = MergerInput {
        successor: s("hranice"),
        predecessors: vec!["voorburg".into()],
        effective_on: s("2010-01-01"),
    };
    assert_eq!(
        keys(r.record_merger(&sys(), &again).await.unwrap_err()),
        vec![("predecessors", "error-merger-already-merged")]
    );
    let cycle = MergerInput {
        successor: s("voorburg"),
        predecessors: vec!["leidschendam-voorburg".into()],
        effective_on: s("2010-01-01"),
    };
    assert_eq!(
        keys(r.record_merger(&sys(), &cycle).await.unwrap_err()),
        vec![("predecessors", "error-merger-cycle")]
    );
    let unknown = MergerInput {
        successor: s("nowhere"),
        predecessors: vec![],
        effective_on: s("2010"),
    };
    assert_eq!(
        keys(r.record_merger(&sys(), &unknown).await.unwrap_err()),
        vec![
            ("successor", "error-municipality-unknown"),
            ("effectiveOn", "error-date-full-required")
        ]
    );
}

async fn an_official_cannot_take_over_another_municipality_by_merging_it(store: Store) {
    let r = demo_register(store.clone()).await;
    let den_haag = MunicipalityInput {
        name: s("Den Haag"),
        country: s("NL"),
        ..Default::default()
    };
    r.create_municipality(&sys(), &den_haag).await.unwrap();
    let bond = PartnershipInput {
        home: s("den-haag"),
        partner: s("temecula"),
        kind: s("friendship"),
        initiator: s("local-government"),
        start: s("2000"),
        ..Default::default()
    };
    r.create_partnership(&sys(), &bond).await.unwrap();
    let accounts = stedenband_app::Accounts::new(store, Default::default());
    let official = accounts
        .create(
            "ambtenaar",
            "kerstboom uit hranice",
            &["municipal-official:leidschendam-voorburg".into()],
        )
        .await
        .unwrap();
    let caller = Caller::new(official.principal(), None);
    let takeover = MergerInput {
        successor: s("leidschendam-voorburg"),
        predecessors: vec!["den-haag".into()],
        effective_on: s("2030-01-01"),
    };
    assert!(matches!(
        r.record_merger(&caller, &takeover).await,
        Err(AppError::Forbidden)
    ));
    assert_eq!(
        r.partnerships(Some("den-haag"), PageRequest::new(1, 5))
            .await
            .unwrap()
            .items[0]
            .holder
            .slug
            .as_str(),
        "den-haag"
    );
    // Nor a place nobody holds: recording history is for administrators.
    let hamlet = MunicipalityInput {
        name: s("Stompwijk"),
        country: s("NL"),
        ..Default::default()
    };
    r.create_municipality(&caller, &hamlet).await.unwrap();
    let history = MergerInput {
        successor: s("leidschendam-voorburg"),
        predecessors: vec!["stompwijk".into()],
        effective_on: s("2002-01-01"),
    };
    assert!(matches!(
        r.record_merger(&caller, &history).await,
        Err(AppError::Forbidden)
    ));
    r.record_merger(&sys(), &history).await.unwrap();
    // Nor the other way round: Hranice's official cannot absorb Leidschendam-Voorburg, whose
    // partnerships were all entered by its predecessors.
    let hranice = accounts
        .create(
            "hranice-ambtenaar",
            "kerstboom uit hranice",
            &["municipal-official:hranice".into()],
        )
        .await
        .unwrap();
    let reverse = MergerInput {
        successor: s("hranice"),
        predecessors: vec!["leidschendam-voorburg".into()],
        effective_on: s("2030-01-01"),
    };
    let caller_h = Caller::new(hranice.principal(), None);
    assert!(matches!(
        r.record_merger(&caller_h, &reverse).await,
        Err(AppError::Forbidden)
    ));
    // And not even an administrator can make Hranice hold a partnership with itself.
    assert_eq!(
        keys(r.record_merger(&sys(), &reverse).await.unwrap_err()),
        vec![("successor", "error-merger-partner")]
    );
    // The public is refused before anything is looked up.
    assert!(matches!(
        r.record_merger(&Caller::public(), &history).await,
        Err(AppError::Unauthenticated)
    ));
}

test_on_both_backends_with_demo! {
    merger_takeover => an_official_cannot_take_over_another_municipality_by_merging_it,
    demo_holds_the_seed => the_demo_shows_three_partnerships_held_by_leidschendam_voorburg,
    bad_partnerships => bad_partnerships_are_refused_and_nothing_is_stored,
    status_history => status_changes_make_a_history,
    municipality_search => municipalities_are_validated_searched_and_paged,
    mergers => mergers_cannot_repeat_or_loop,
}
