//! Evaluations on SQLite and PostgreSQL with the demo data: the seed's two evaluations (checked
//! against the annex's own words, quoted here), an evaluation recorded and read back with what
//! became of its recommendations, who may record them, and every kind of bad input refused with
//! the field named and nothing stored.

mod support;

use jiff::civil::Date;
use stedenband_app::{AppError, Caller, Evaluations, Register};
use stedenband_domain::evaluation::{
    CriterionInput, EvaluationInput, FollowUpInput, FollowUpStatus, MAX_ITEMS, RecommendationInput,
};
use stedenband_domain::report::Aspect;
use stedenband_domain::{Grant, PartnershipInput, Principal, Role, Username};
use stedenband_store::{Db, Store};

fn s(v: &str) -> Option<String> {
    Some(v.to_owned())
}

fn sys() -> Caller {
    Caller::system()
}

fn account(role: Role, scope: &str) -> Caller {
    Caller::new(
        Principal::Account {
            id: "acc".into(),
            username: Username::parse("tester").unwrap(),
            grants: vec![Grant {
                role,
                scope: Some(scope.into()),
            }],
        },
        None,
    )
}

fn keys(e: AppError) -> Vec<(&'static str, &'static str)> {
    match e {
        AppError::Invalid(v) => v.0.iter().map(|f| (f.field, f.key)).collect(),
        other => panic!("expected invalid input, got {other:?}"),
    }
}

async fn scalar(store: &Store, sql: &str) -> i64 {
    match store.db() {
        Db::Sqlite(p) => sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
            .fetch_one(p)
            .await
            .unwrap(),
        Db::Postgres(p) => sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
            .fetch_one(p)
            .await
            .unwrap(),
    }
}

async fn setup(store: Store) -> (Register, Evaluations) {
    let r = Register::new(store);
    (r.clone(), Evaluations::new(r))
}

/// Everything stored about evaluations: every record as read back, and the rows of each table.
async fn state(store: &Store, ev: &Evaluations) -> String {
    let records: Vec<_> = ev
        .evaluations(&sys(), None)
        .await
        .unwrap()
        .into_iter()
        .map(|v| v.record)
        .collect();
    let mut counts = Vec::new();
    for t in [
        "evaluations",
        "evaluation_partnerships",
        "evaluation_criteria",
        "evaluation_conclusions",
        "evaluation_recommendations",
    ] {
        counts.push(scalar(store, &format!("SELECT COUNT(*) FROM {t}")).await);
    }
    format!("{records:?} {counts:?}")
}

/// Leidschendam-Voorburg's partnerships, by partner slug.
async fn lv_partnerships(r: &Register) -> Vec<(String, String)> {
    r.municipality("leidschendam-voorburg")
        .await
        .unwrap()
        .partnerships
        .iter()
        .map(|p| (p.partner.slug.to_string(), p.partnership.id.0.clone()))
        .collect()
}

async fn lv_official(r: &Register) -> Caller {
    let lv = r
        .find_municipality("leidschendam-voorburg")
        .await
        .unwrap()
        .unwrap();
    account(Role::MunicipalOfficial, &lv.id.0)
}

fn today() -> Date {
    jiff::Zoned::now().date()
}

/// A valid evaluation of Leidschendam-Voorburg's partnerships.
fn valid(partnerships: Vec<String>) -> EvaluationInput {
    EvaluationInput {
        municipality: s("leidschendam-voorburg"),
        year: s("2012"),
        title: s("Tussenevaluatie afbouw subsidie"),
        commissioned_by: s("College van B en W"),
        carried_out_by: s("Afdeling Bestuurszaken"),
        occasion: s("Afbouwbesluit 2011"),
        research_question: s("Wat doen de werkgroepen zonder subsidie?\nEn met minder?"),
        period_from: s("2010"),
        period_to: s("2011"),
        partnerships,
        criteria: vec![
            CriterionInput {
                name: s("Doelmatigheid"),
                aspect: s("efficiency"),
                finding: s("De werkgroepen werken met weinig geld."),
            },
            CriterionInput::default(),
            CriterionInput {
                name: s("Draagvlak"),
                aspect: s("other"),
                finding: s("Veel vrijwilligers."),
            },
        ],
        conclusions: vec!["Eerste conclusie.".into(), "Tweede conclusie.".into()],
        recommendations: vec![
            RecommendationInput {
                text: s("Zoek sponsors."),
                follow_up: FollowUpInput::default(),
            },
            RecommendationInput {
                text: s("Betrek het ondernemersfonds."),
                follow_up: FollowUpInput {
                    status: s("adopted"),
                    date: s("2013-03-01"),
                    note: s("Overgenomen door het college."),
                },
            },
        ],
    }
}

// ---- the seed --------------------------------------------------------------------------------

/// The annex's words (section 4), as the annex writes them: each must be in the demo data.
const RESEARCH_QUESTION_2004: &str = "Het verkrijgen van inzicht in de effectiviteit, de \
    efficiëntie en de toekomstmogelijkheden van de stedenbanden van de gemeente \
    Leidschendam-Voorburg met Konstancin-Jeziorna (Polen), Hranice (Tsjechië) en Temecula \
    (Californië, Verenigde Staten van Amerika)";

async fn the_demo_holds_the_seeds_two_evaluations(store: Store) {
    let (r, ev) = setup(store).await;
    let public = Caller::public();
    let all = ev
        .evaluations(&public, Some("leidschendam-voorburg"))
        .await
        .unwrap();
    assert_eq!(all.len(), 2, "the evaluations of 2004 and 2009");
    assert!(
        all.iter().all(|v| !v.may_edit),
        "the public records nothing"
    );
    let (e2004, e2009) = (&all[0].record.draft, &all[1].record.draft);
    let partners = |v: &stedenband_app::EvaluationView| {
        let mut p: Vec<String> = v
            .partnerships
            .iter()
            .map(|p| p.partner.slug.to_string())
            .collect();
        p.sort();
        p
    };
    for v in &all {
        assert_eq!(
            partners(v),
            ["hranice", "konstancin-jeziorna", "temecula"],
            "all three twinnings"
        );
        assert_eq!(v.municipality.slug.as_str(), "leidschendam-voorburg");
    }

    // 2004: the VNG at the municipality's request, on effectiveness, efficiency and future
    // possibilities.
    assert_eq!(e2004.year, 2004);
    assert_eq!(
        e2004.commissioned_by.as_ref().unwrap().as_str(),
        "Gemeente Leidschendam-Voorburg"
    );
    assert!(
        e2004
            .carried_out_by
            .as_ref()
            .unwrap()
            .as_str()
            .starts_with("VNG")
    );
    assert_eq!(
        e2004.research_question.as_deref(),
        Some(RESEARCH_QUESTION_2004)
    );
    assert_eq!(e2004.period, None, "the annex does not say which years");
    let aspects: Vec<Aspect> = e2004.criteria.iter().map(|c| c.aspect).collect();
    assert_eq!(
        aspects,
        [
            Aspect::Effectiveness,
            Aspect::Efficiency,
            Aspect::FuturePossibilities
        ]
    );
    // No separate findings on effectiveness and efficiency in the annex: said so, not made up.
    for c in &e2004.criteria[..2] {
        assert_eq!(c.finding, "Niet afzonderlijk gerapporteerd in de bijlage.");
    }
    assert!(e2004.criteria[2].finding.contains(
        "de meest kansrijke koerswijziging voor alle drie de stedenbanden op het gebied van \
         kennisoverdracht (in plaats van “vriendschapsbanden”)"
    ));
    assert_eq!(e2004.conclusions.len(), 1);
    assert!(e2004.conclusions[0].starts_with(
        "De Stichting Stedenbanden is in het leven geroepen omdat het particuliere veld steeds \
         meer betrokken raakte bij de stedenbanden"
    ));
    let recommendations: Vec<&str> = e2004
        .recommendations
        .iter()
        .map(|r| r.text.as_str())
        .collect();
    assert_eq!(
        recommendations.len(),
        3,
        "three recommendations, each its own"
    );
    for (text, phrase) in recommendations.iter().zip([
        "duidelijke afbakening en definiëring van rollen en taken tussen gemeente en particulier \
         initiatief",
        "een duidelijke visie die aangeeft waar men met de stedenband naartoe wil",
        "meest kansrijke koerswijziging voor alle drie de stedenbanden ligt op het gebied van \
         kennisoverdracht (in plaats van “vriendschapsbanden”)",
    ]) {
        assert!(
            text.to_lowercase().contains(&phrase.to_lowercase()),
            "{phrase:?} in {text:?}"
        );
    }
    assert!(recommendations[0].contains(
        "vanuit de werkgroepen, de partnersteden en het maatschappelijk veld vaak wel een sterke \
         inmenging van de gemeente gewenst is"
    ));
    // The annex records no decision on them.
    for r in &e2004.recommendations {
        assert_eq!(r.follow_up.status, FollowUpStatus::Open);
        assert_eq!(r.follow_up.date, None);
        assert!(
            r.follow_up
                .note
                .as_deref()
                .unwrap()
                .starts_with("Geen besluit")
        );
    }

    // 2009: after a motion of Gemeentebelangen, usefulness, necessity and functionality over
    // 2004-2008.
    assert_eq!(e2009.year, 2009);
    assert!(
        e2009
            .occasion
            .as_ref()
            .unwrap()
            .as_str()
            .contains("Gemeentebelangen")
    );
    let period = e2009.period.unwrap();
    assert_eq!((period.from, period.to), (2004, 2008));
    assert_eq!(e2009.commissioned_by, None, "not stated in the annex");
    assert_eq!(e2009.carried_out_by, None, "not stated in the annex");
    let aspects: Vec<Aspect> = e2009.criteria.iter().map(|c| c.aspect).collect();
    assert_eq!(
        aspects,
        [Aspect::Usefulness, Aspect::Necessity, Aspect::Functionality]
    );
    assert_eq!(
        e2009.criteria[1].finding,
        "Er kan geen absolute noodzaak voor de stedenbanden worden geconcludeerd."
    );
    // The conclusions, each its own item, in the annex's order.
    let expected = [
        "geen absolute noodzaak voor de stedenbanden",
        "meer in nut en functionaliteit worden gezocht",
        "het eigen belang benoemd",
        "onmogelijk te financieren als het particuliere veld en de werkgroepleden niet zelf veel zouden investeren",
        "op een zeer efficiënte en professionele wijze onderhouden",
        "als “geldgever” worden getypeerd en treedt in bepaalde gevallen op als “leverancier van kennis”",
    ];
    assert_eq!(e2009.conclusions.len(), expected.len());
    for (c, phrase) in e2009.conclusions.iter().zip(expected) {
        assert!(c.contains(phrase), "{phrase:?} in {c:?}");
    }
    assert!(e2009.conclusions[2].contains(
        "We kunnen leren van methoden en oplossingen van anderen en er liggen kansen voor het \
         midden- en kleinbedrijf en onze stadspromotie."
    ));
    assert!(e2009.recommendations.is_empty());

    // The list of all municipalities holds them too; a predecessor's list (Voorburg's) does
    // not hold its successor's evaluations; an unknown municipality is not found.
    assert_eq!(ev.evaluations(&public, None).await.unwrap().len(), 2);
    assert!(
        ev.evaluations(&public, Some("voorburg"))
            .await
            .unwrap()
            .is_empty()
    );
    assert!(matches!(
        ev.evaluations(&public, Some("atlantis")).await,
        Err(AppError::NotFound)
    ));
    // One by id, for everybody; the municipality's official may record follow-ups.
    let official = lv_official(&r).await;
    let one = ev.evaluation(&official, &all[1].record.id).await.unwrap();
    assert!(one.may_edit);
    assert_eq!(one.record, all[1].record);
}

// ---- recording -------------------------------------------------------------------------------

async fn an_official_records_an_evaluation_and_its_follow_ups(store: Store) {
    let (r, ev) = setup(store.clone()).await;
    let official = lv_official(&r).await;
    let ps = lv_partnerships(&r).await;
    let ids: Vec<String> = ps.iter().map(|(_, id)| id.clone()).collect();
    let v = ev
        .create(&official, &valid(vec![ids[1].clone(), ids[0].clone()]))
        .await
        .unwrap();
    assert!(v.may_edit);
    let d = &v.record.draft;
    assert_eq!(
        d.municipality, v.municipality.id.0,
        "stored under the municipality's id, not its slug"
    );
    assert_eq!(v.municipality.slug.as_str(), "leidschendam-voorburg");
    assert_eq!(
        d.partnerships,
        [ids[1].clone(), ids[0].clone()],
        "in the order given"
    );
    assert_eq!(
        d.research_question.as_deref(),
        Some("Wat doen de werkgroepen zonder subsidie?\nEn met minder?")
    );
    assert_eq!((d.period.unwrap().from, d.period.unwrap().to), (2010, 2011));
    assert_eq!(d.criteria.len(), 2, "the empty row is skipped");
    assert_eq!(d.criteria[1].name.as_str(), "Draagvlak");
    assert_eq!(d.criteria[1].aspect, Aspect::Other);
    assert_eq!(d.conclusions, ["Eerste conclusie.", "Tweede conclusie."]);
    assert_eq!(d.recommendations[0].follow_up.status, FollowUpStatus::Open);
    assert_eq!(
        d.recommendations[1].follow_up.status,
        FollowUpStatus::Adopted
    );
    assert_eq!(
        d.recommendations[1].follow_up.date,
        Some(jiff::civil::date(2013, 3, 1))
    );
    // Read back, by anybody, the same; listed between 2009 and later ones, by year.
    let back = ev
        .evaluation(&Caller::public(), &v.record.id)
        .await
        .unwrap();
    assert_eq!(back.record, v.record);
    assert!(!back.may_edit);
    let years: Vec<i16> = ev
        .evaluations(&Caller::public(), Some("leidschendam-voorburg"))
        .await
        .unwrap()
        .iter()
        .map(|v| v.record.draft.year)
        .collect();
    assert_eq!(years, [2004, 2009, 2012]);

    // What became of the first recommendation: rejected, then adopted after all.
    let f = |status: &str, date: &str, note: &str| FollowUpInput {
        status: s(status),
        date: s(date),
        note: s(note),
    };
    let v = ev
        .record_follow_up(
            &official,
            &v.record.id,
            1,
            &f("rejected", "2012-11-05", "Geen geld."),
        )
        .await
        .unwrap();
    let fu = &v.record.draft.recommendations[0].follow_up;
    assert_eq!(fu.status, FollowUpStatus::Rejected);
    assert_eq!(fu.note.as_deref(), Some("Geen geld."));
    let v = ev
        .record_follow_up(&official, &v.record.id, 1, &f("adopted", "2014-01-10", ""))
        .await
        .unwrap();
    let fu = &v.record.draft.recommendations[0].follow_up;
    assert_eq!(
        (fu.status, fu.date, fu.note.clone()),
        (
            FollowUpStatus::Adopted,
            Some(jiff::civil::date(2014, 1, 10)),
            None
        )
    );
    // The other recommendation is as it was.
    assert_eq!(
        v.record.draft.recommendations[1].follow_up.note.as_deref(),
        Some("Overgenomen door het college.")
    );
    // A follow-up on the demo's 2004 evaluation (dates from 2004 on are fine).
    let e2004 = &ev
        .evaluations(&sys(), Some("leidschendam-voorburg"))
        .await
        .unwrap()[0];
    let after = ev
        .record_follow_up(
            &official,
            &e2004.record.id,
            3,
            &f("rejected", "2004-12-31", "Niet gevolgd."),
        )
        .await
        .unwrap();
    assert_eq!(
        after.record.draft.recommendations[2].follow_up.status,
        FollowUpStatus::Rejected
    );

    // The audit log names the fields and the codes, never the texts (they may name people).
    assert_eq!(
        scalar(
            &store,
            "SELECT COUNT(*) FROM audit_log WHERE action IN ('evaluation.create', \
             'evaluation.follow-up') AND outcome = 'success'"
        )
        .await,
        2 + 4,
        "two demo evaluations, one recorded here, three follow-ups"
    );
    for text in [
        "De werkgroepen werken met weinig geld",
        "Eerste conclusie",
        "Zoek sponsors",
        "Geen geld",
        "Niet gevolgd",
        "Wat doen de werkgroepen",
        "Afdeling Bestuurszaken",
    ] {
        assert_eq!(
            scalar(
                &store,
                &format!("SELECT COUNT(*) FROM audit_log WHERE after_json LIKE '%{text}%'")
            )
            .await,
            0,
            "{text:?} in the audit log"
        );
    }
}

// ---- rights ------------------------------------------------------------------------------------

async fn only_the_municipalitys_officials_record(store: Store) {
    let (r, ev) = setup(store.clone()).await;
    let ids: Vec<String> = lv_partnerships(&r)
        .await
        .into_iter()
        .map(|(_, id)| id)
        .collect();
    let e2004 = ev.evaluations(&sys(), None).await.unwrap()[0]
        .record
        .id
        .clone();
    let before = state(&store, &ev).await;
    let follow_up = FollowUpInput {
        status: s("adopted"),
        date: s("2011-11-08"),
        note: None,
    };
    for (who, caller, refusal) in [
        ("the public", Caller::public(), "unauthenticated"),
        (
            "another municipality's official",
            account(Role::MunicipalOfficial, "den-haag"),
            "forbidden",
        ),
        (
            "the foundation's board",
            account(Role::FoundationBoard, "stichting"),
            "forbidden",
        ),
        (
            "a working-group member",
            account(Role::WorkingGroupMember, "werkgroep-hranice"),
            "forbidden",
        ),
    ] {
        let matches = |e: &AppError| match refusal {
            "unauthenticated" => matches!(e, AppError::Unauthenticated),
            _ => matches!(e, AppError::Forbidden),
        };
        let e = ev.create(&caller, &valid(ids.clone())).await.unwrap_err();
        assert!(matches(&e), "{who} creating: {e:?}");
        // Refused before the input is looked at: bad input gets the same answer.
        let mut bad = valid(ids.clone());
        bad.year = None;
        let e = ev.create(&caller, &bad).await.unwrap_err();
        assert!(matches(&e), "{who} creating badly: {e:?}");
        let e = ev
            .record_follow_up(&caller, &e2004, 1, &follow_up)
            .await
            .unwrap_err();
        assert!(matches(&e), "{who} recording a follow-up: {e:?}");
        // Reading is for everybody.
        assert_eq!(ev.evaluations(&caller, None).await.unwrap().len(), 2);
        assert!(!ev.evaluation(&caller, &e2004).await.unwrap().may_edit);
    }
    assert_eq!(state(&store, &ev).await, before, "nothing stored");
    // The refusals are in the audit log.
    assert!(
        scalar(
            &store,
            "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'evaluation.%' AND outcome = 'refused'"
        )
        .await
            >= 12
    );
    // An administrator may.
    let admin = Caller::new(
        Principal::Account {
            id: "admin".into(),
            username: Username::parse("beheerder").unwrap(),
            grants: vec![Grant {
                role: Role::Administrator,
                scope: None,
            }],
        },
        None,
    );
    ev.create(&admin, &valid(ids)).await.unwrap();
}

fn follow(status: &str, date: Option<&str>) -> RecommendationInput {
    RecommendationInput {
        text: s("Een aanbeveling."),
        follow_up: FollowUpInput {
            status: s(status),
            date: date.map(str::to_owned),
            note: None,
        },
    }
}

// ---- bad input -----------------------------------------------------------------------------------

async fn bad_input_is_refused_by_field_and_stores_nothing(store: Store) {
    let (r, ev) = setup(store.clone()).await;
    let official = lv_official(&r).await;
    let ids: Vec<String> = lv_partnerships(&r)
        .await
        .into_iter()
        .map(|(_, id)| id)
        .collect();
    // Another municipality with a partnership of its own.
    let system = sys();
    r.create_municipality(
        &system,
        &stedenband_domain::MunicipalityInput {
            name: s("Den Haag"),
            country: s("NL"),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let theirs = r
        .create_partnership(
            &system,
            &PartnershipInput {
                home: s("den-haag"),
                partner: s("temecula"),
                kind: s("friendship"),
                initiator: s("local-government"),
                start: s("2000"),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let before = state(&store, &ev).await;
    let tomorrow = today().tomorrow().unwrap().to_string();
    type Change = Box<dyn Fn(&mut EvaluationInput)>;
    let cases: Vec<(&str, Change, (&str, &str))> = vec![
        (
            "no year",
            Box::new(|i| i.year = None),
            ("year", "error-required"),
        ),
        (
            "a year that is no year",
            Box::new(|i| i.year = s("MMIV")),
            ("year", "error-year-invalid"),
        ),
        (
            "a period reversed",
            Box::new(|i| {
                i.period_from = s("2011");
                i.period_to = s("2010");
            }),
            ("periodTo", "error-evaluation-period-reversed"),
        ),
        (
            "half a period",
            Box::new(|i| i.period_from = None),
            ("periodFrom", "error-required"),
        ),
        (
            "a partnership of another municipality",
            {
                let theirs = theirs.0.clone();
                Box::new(move |i| i.partnerships.push(theirs.clone()))
            },
            ("partnerships", "error-partnership-not-own"),
        ),
        (
            "a partnership that does not exist",
            Box::new(|i| i.partnerships = vec!["geen-stedenband".into()]),
            ("partnerships", "error-partnership-not-own"),
        ),
        (
            "no partnership",
            Box::new(|i| i.partnerships.clear()),
            ("partnerships", "error-evaluation-partnerships-required"),
        ),
        (
            "too many conclusions",
            Box::new(|i| i.conclusions = vec!["Conclusie.".into(); MAX_ITEMS + 1]),
            ("conclusions", "error-evaluation-too-many"),
        ),
        (
            "too many criteria",
            Box::new(|i| {
                i.criteria = vec![
                    CriterionInput {
                        name: s("Nut"),
                        aspect: s("usefulness"),
                        finding: s("Ja."),
                    };
                    MAX_ITEMS + 1
                ]
            }),
            ("criteria", "error-evaluation-too-many"),
        ),
        (
            "too many recommendations",
            Box::new(|i| i.recommendations = vec![follow("open", None); MAX_ITEMS + 1]),
            ("recommendations", "error-evaluation-too-many"),
        ),
        (
            "a text too long",
            Box::new(|i| i.conclusions[1] = "x".repeat(4001)),
            ("conclusions[1]", "error-too-long"),
        ),
        (
            "a control character",
            Box::new(|i| i.title = s("Titel\u{7}")),
            ("title", "error-control-characters"),
        ),
        (
            "an unknown aspect",
            Box::new(|i| i.criteria[2].aspect = s("gezelligheid")),
            ("criteria[2].aspect", "error-choice-invalid"),
        ),
        (
            "a criterion without a finding",
            Box::new(|i| i.criteria[0].finding = None),
            ("criteria[0].finding", "error-required"),
        ),
        (
            "a follow-up in the future",
            {
                let tomorrow = tomorrow.clone();
                Box::new(move |i| i.recommendations[1] = follow("adopted", Some(&tomorrow)))
            },
            (
                "recommendations[1].date",
                "error-evaluation-follow-up-future",
            ),
        ),
        (
            "a follow-up before the evaluation",
            Box::new(|i| i.recommendations[0] = follow("rejected", Some("2011-12-31"))),
            (
                "recommendations[0].date",
                "error-evaluation-follow-up-before",
            ),
        ),
        (
            "adopted without a date",
            Box::new(|i| i.recommendations[1] = follow("adopted", None)),
            (
                "recommendations[1].date",
                "error-evaluation-follow-up-date-required",
            ),
        ),
        (
            "an unknown status",
            Box::new(|i| i.recommendations[1] = follow("half", Some("2013-01-01"))),
            ("recommendations[1].status", "error-choice-invalid"),
        ),
        (
            "an evaluation in the future",
            Box::new(|i| i.year = s("2199")),
            ("year", "error-evaluation-year-future"),
        ),
        (
            "an unknown municipality",
            Box::new(|i| i.municipality = s("atlantis")),
            ("municipality", "error-municipality-unknown"),
        ),
        (
            "no municipality",
            Box::new(|i| i.municipality = None),
            ("municipality", "error-required"),
        ),
    ];
    for (what, change, expected) in cases {
        let mut input = valid(ids.clone());
        change(&mut input);
        let got = keys(ev.create(&official, &input).await.unwrap_err());
        assert!(got.contains(&expected), "{what}: {expected:?} in {got:?}");
        assert_eq!(state(&store, &ev).await, before, "{what}: nothing stored");
    }

    // Follow-ups on their own, on the demo's 2004 evaluation.
    let id = ev.evaluations(&sys(), None).await.unwrap()[0]
        .record
        .id
        .clone();
    let f = |status: &str, date: Option<&str>| FollowUpInput {
        status: s(status),
        date: date.map(str::to_owned),
        note: None,
    };
    for (what, input, expected) in [
        (
            "in the future",
            f("adopted", Some(&tomorrow)),
            ("date", "error-evaluation-follow-up-future"),
        ),
        (
            "before the evaluation",
            f("adopted", Some("2003-12-31")),
            ("date", "error-evaluation-follow-up-before"),
        ),
        (
            "adopted without a date",
            f("adopted", None),
            ("date", "error-evaluation-follow-up-date-required"),
        ),
        (
            "no status",
            f("", Some("2010-01-01")),
            ("status", "error-required"),
        ),
        (
            "a date that is no date",
            f("rejected", Some("2010-02-30")),
            ("date", "error-date-invalid"),
        ),
    ] {
        let got = keys(
            ev.record_follow_up(&official, &id, 2, &input)
                .await
                .unwrap_err(),
        );
        assert_eq!(got, [expected], "{what}");
        assert_eq!(state(&store, &ev).await, before, "{what}: nothing stored");
    }
    for n in [0, 4] {
        assert!(
            matches!(
                ev.record_follow_up(&official, &id, n, &f("open", None))
                    .await,
                Err(AppError::NotFound)
            ),
            "recommendation {n}"
        );
    }
    assert!(matches!(
        ev.record_follow_up(&official, "geen-evaluatie", 1, &f("open", None))
            .await,
        Err(AppError::NotFound)
    ));
    assert_eq!(state(&store, &ev).await, before, "nothing stored");
}

test_on_both_backends_with_demo! {
    seed => the_demo_holds_the_seeds_two_evaluations,
    recording => an_official_records_an_evaluation_and_its_follow_ups,
    rights => only_the_municipalitys_officials_record,
    bad_input => bad_input_is_refused_by_field_and_stores_nothing,
}
