//! The world register on SQLite and PostgreSQL: the shipped list of 25,917 pairs imported into a
//! fresh database with every row accounted for, the three self-pairs rejected, a second import
//! changing nothing; the register's municipalities linked instead of duplicated (Hranice), the
//! triangle Leidschendam-Voorburg, Hranice, Konstancin-Jeziorna; bad files refused and a failure
//! halfway leaving the database as it was; JSON and Wikidata files; the network questions.

mod support;

use std::collections::{BTreeSet, HashSet};
use stedenband_app::world::{ImportOptions, ImportReport, ReasonView};
use stedenband_app::{AppError, Caller, Register, World, demo};
use stedenband_domain::world::graph::Link;
use stedenband_store::{Db, Store};

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

async fn execute(store: &Store, sql: &str) {
    match store.db() {
        Db::Sqlite(p) => {
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
                .execute(p)
                .await
                .unwrap();
        }
        Db::Postgres(p) => {
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
                .execute(p)
                .await
                .unwrap();
        }
    }
}

/// Row counts of every world table and of the audit log.
async fn counts(store: &Store) -> [i64; 4] {
    [
        scalar(store, "SELECT COUNT(*) FROM world_towns").await,
        scalar(store, "SELECT COUNT(*) FROM world_pairs").await,
        scalar(store, "SELECT COUNT(*) FROM world_sources").await,
        scalar(store, "SELECT COUNT(*) FROM audit_log").await,
    ]
}

fn options(label: &str) -> ImportOptions {
    ImportOptions {
        label: label.to_owned(),
        attribution: Some("test".to_owned()),
        format: None,
    }
}

async fn import(world: &World, bytes: &[u8], label: &str) -> Result<ImportReport, AppError> {
    world
        .import(&Caller::system(), bytes, &options(label), &())
        .await
}

/// The self-pairs of the shipped file, found here independently: both sides in the same
/// country with the same name once accents and case are set aside.
fn self_pair_lines() -> BTreeSet<u64> {
    let mut r = csv::Reader::from_reader(demo::WORLD_CSV);
    let mut lines = BTreeSet::new();
    for (i, rec) in r.records().enumerate() {
        let rec = rec.unwrap();
        let same =
            |a: &str, b: &str| deunicode_lower(a) == deunicode_lower(b) && !a.trim().is_empty();
        if same(&rec[0], &rec[4]) && rec[1].trim() == rec[5].trim() && !rec[1].trim().is_empty() {
            lines.insert(i as u64 + 2);
        }
    }
    lines
}

fn deunicode_lower(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'ř' => 'r',
            'á' | 'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' => 'i',
            'ó' | 'ö' => 'o',
            'ú' | 'ü' => 'u',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

async fn the_whole_list_is_accounted_for_once(store: Store) {
    let world = World::new(store.clone());
    let before = counts(&store).await;
    let report = import(&world, demo::WORLD_CSV, "twin_cities.csv")
        .await
        .unwrap();
    let s = &report.summary;
    let lines = demo::WORLD_CSV.iter().filter(|&&b| b == b'\n').count() - 1;
    assert_eq!(lines, 25_917);
    assert_eq!(s.rows, 25_917);
    assert_eq!(s.imported + s.merged + s.rejected, 25_917, "{s:?}");
    assert_eq!(report.rejected.len(), s.rejected);
    // The three self-pairs, with their reason.
    let self_pairs: BTreeSet<u64> = report
        .rejected
        .iter()
        .filter(|r| r.key == "world-rejected-self-pair")
        .map(|r| r.number)
        .collect();
    assert_eq!(self_pairs, self_pair_lines());
    assert_eq!(self_pairs.len(), 3);
    for r in &report.rejected {
        assert!(!r.reason.is_empty());
        assert_eq!(r.original.len(), 8, "the row as it was: {r:?}");
    }
    // What was written is what the summary says.
    let after = counts(&store).await;
    assert_eq!(after[1] - before[1], s.imported as i64);
    assert_eq!(after[0] - before[0], report.towns_new as i64);
    assert_eq!(after[2] - before[2], 1);
    assert_eq!(after[3] - before[3], 1, "one audit entry");
    assert!(report.changed);
    // Each pair once: no pair stored in both directions.
    assert_eq!(
        scalar(
            &store,
            "SELECT COUNT(*) FROM world_pairs p JOIN world_pairs q \
             ON p.town_a = q.town_b AND p.town_b = q.town_a"
        )
        .await,
        0
    );
    // Every source of the records is marked.
    assert_eq!(
        scalar(
            &store,
            "SELECT COUNT(*) FROM world_towns WHERE municipality_id IS NULL AND source_id IS NULL"
        )
        .await,
        0
    );

    // Again: nothing changes.
    let again = import(&world, demo::WORLD_CSV, "twin_cities.csv")
        .await
        .unwrap();
    assert!(
        !again.changed,
        "towns {} pairs {} {:?}",
        again.towns_new, again.pairs_new, again.summary
    );
    assert_eq!(again.summary.imported, 0);
    assert_eq!(again.summary.rejected, s.rejected);
    assert_eq!(again.summary.merged, 25_917 - s.rejected);
    assert_eq!(counts(&store).await, after);
    let (towns, pairs) = world.totals().await.unwrap();
    assert_eq!(pairs as i64, after[1]);
    assert_eq!(towns as i64, after[0]);
}

async fn the_register_is_linked_and_the_triangle_shown(store: Store) {
    let register = Register::new(store.clone());
    let world = World::new(store.clone());
    let lv = register
        .municipality("leidschendam-voorburg")
        .await
        .unwrap();
    let hranice = register.municipality("hranice").await.unwrap();
    let town = world
        .town_of_municipality(&lv.municipality.id.0)
        .await
        .unwrap()
        .expect("L-V is a town of the world register");
    // Partners: from the register (Hranice, Konstancin-Jeziorna, Temecula, held by Voorburg
    // and Leidschendam before the merger) and the list's pair with Hranice on the same town.
    let partner = |name: &str| {
        town.partners
            .iter()
            .find(|p| &*p.town.name == name)
            .unwrap_or_else(|| {
                panic!(
                    "{name} among {:?}",
                    town.partners
                        .iter()
                        .map(|p| &p.town.name)
                        .collect::<Vec<_>>()
                )
            })
    };
    let h = partner("Hranice");
    assert_eq!(
        h.town.municipality.as_ref().map(|m| m.id.as_str()),
        Some(hranice.municipality.id.0.as_str()),
        "the list's Hranice is the register's"
    );
    assert!(h.links.iter().any(|l| l.is_register()));
    assert!(h.links.iter().any(|l| matches!(l, Link::World { .. })));
    assert!(
        partner("Konstancin-Jeziorna")
            .links
            .iter()
            .any(|l| l.is_register())
    );
    assert!(partner("Temecula").links.iter().any(|l| l.is_register()));
    // One Hranice in the Czech Republic.
    let found = world.search("hranice", Some("CZ"), 0, 100).await.unwrap();
    let named: Vec<_> = found
        .towns
        .iter()
        .filter(|t| &*t.town.name == "Hranice")
        .collect();
    assert_eq!(named.len(), 1);
    // The triangle.
    let names: HashSet<BTreeSet<String>> = town
        .triangles
        .iter()
        .map(|(a, b)| {
            [a.name.to_string(), b.name.to_string()]
                .into_iter()
                .collect()
        })
        .collect();
    assert!(
        names.contains(
            &["Hranice".to_owned(), "Konstancin-Jeziorna".to_owned()]
                .into_iter()
                .collect::<BTreeSet<_>>()
        )
    );
    // Search with diacritics folded and by prefix.
    for (q, name) in [
        ("hrani", "Hranice"),
        ("konstancin", "Konstancin-Jeziorna"),
        ("leidschendam", "Leidschendam-Voorburg"),
        ("DOBRANY", "Dobřany"),
    ] {
        let r = world.search(q, None, 0, 20).await.unwrap();
        assert!(
            r.towns.iter().any(|t| &*t.town.name == name),
            "{q} finds {name}"
        );
    }
    // Shared partners of L-V and Konstancin-Jeziorna include Hranice; the chain from L-V to
    // Denzlingen (a partner of Konstancin-Jeziorna) is two steps.
    let kj = partner("Konstancin-Jeziorna").town.id;
    let shared = world.shared_partners(town.town.id, kj).await.unwrap();
    assert!(shared.iter().any(|t| &*t.town.name == "Hranice"));
    let denz = world
        .search("denzlingen", Some("DE"), 0, 1)
        .await
        .unwrap()
        .towns[0]
        .town
        .id;
    let chain = world.chain(town.town.id, denz).await.unwrap().unwrap();
    let names: Vec<&str> = chain.iter().map(|s| s.town.name.as_ref()).collect();
    assert_eq!(
        names,
        ["Leidschendam-Voorburg", "Konstancin-Jeziorna", "Denzlingen"]
    );
    // Suggestions: not yet partners, each with reasons that add up to its score.
    let (_, suggestions) = world.suggestions(&lv.municipality.id.0, 20).await.unwrap();
    assert!(!suggestions.is_empty());
    let partners: HashSet<i64> = town.partners.iter().map(|p| p.town.id).collect();
    for s in &suggestions {
        assert!(!partners.contains(&s.town.town.id) && s.town.town.id != town.town.id);
        assert!(!s.reasons.is_empty());
        let points: u32 = s
            .reasons
            .iter()
            .map(|r| match r {
                ReasonView::PartnersOfPartners { via } => 3 * via.len() as u32,
                ReasonView::NewCountry { .. } | ReasonView::SimilarSize { .. } => 2,
                ReasonView::Reachable { .. } | ReasonView::Active { .. } => 1,
            })
            .sum();
        assert_eq!(points, s.score);
    }
    assert!(suggestions.windows(2).all(|w| w[0].score >= w[1].score));
    // Hlohovec is twinned with Hranice: a partner of a partner.
    let hl = suggestions
        .iter()
        .find(|s| &*s.town.town.name == "Hlohovec")
        .expect("Hlohovec suggested");
    assert!(hl.reasons.iter().any(|r| matches!(r, ReasonView::PartnersOfPartners { via } if via.iter().any(|t| &*t.name == "Hranice"))));
    // A country page counts each pair once.
    let cz = world.country("CZ").await.unwrap();
    let pairs = world.country_pairs("CZ").await.unwrap();
    assert_eq!(
        (cz.figures.pairs_within + cz.figures.pairs_abroad) as usize,
        pairs.len()
    );
    // A new municipality takes over the list's town of the same name (Hlohovec, a partner of
    // Hranice), so there is one Hlohovec, now the register's.
    let m = register
        .create_municipality(
            &Caller::system(),
            &stedenband_domain::MunicipalityInput {
                name: Some("Hlohovec".into()),
                country: Some("SK".into()),
                latitude: Some("48.43".into()),
                longitude: Some("17.8".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let found = world.search("hlohovec", Some("SK"), 0, 10).await.unwrap();
    assert_eq!(found.total, 1);
    assert_eq!(
        found.towns[0]
            .town
            .municipality
            .as_ref()
            .map(|l| l.id.as_str()),
        Some(m.id.0.as_str())
    );
    assert!(
        found.towns[0].partners >= 1,
        "the list's pairs stay with it"
    );
    // A merger moves the predecessor's partnerships to the successor at once: a new town
    // twinned with Hranice merges into Hlohovec.
    let old = register
        .create_municipality(
            &Caller::system(),
            &stedenband_domain::MunicipalityInput {
                name: Some("Oudedorp".into()),
                country: Some("SK".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    register
        .create_partnership(
            &Caller::system(),
            &stedenband_domain::PartnershipInput {
                home: Some(old.id.0.clone()),
                partner: Some(hranice.municipality.id.0.clone()),
                kind: Some("formalised".into()),
                initiator: Some("local-government".into()),
                start: Some("1999".into()),
                status: Some("active".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let hl = found.towns[0].town.id;
    let before = world.partners(hl).await.unwrap().1.len();
    register
        .record_merger(
            &Caller::system(),
            &stedenband_domain::MergerInput {
                successor: Some(m.id.0.clone()),
                predecessors: vec![old.id.0.clone()],
                effective_on: Some("2020-01-01".into()),
            },
        )
        .await
        .unwrap();
    let after = world.partners(hl).await.unwrap().1;
    assert_eq!(
        after.len(),
        before,
        "Hranice was its partner already (from the list)"
    );
    let h = after.iter().find(|p| &*p.town.name == "Hranice").unwrap();
    assert!(
        h.links.iter().any(|l| l.is_register()),
        "the merged partnership is Hlohovec's now"
    );
    // The graph held, rebuilt after each of these writes from the register's rows with the
    // lists' rows it held, is the graph built whole from the database: every town with every
    // partner and record alike.
    let whole = World::new(store.clone());
    assert_eq!(world.totals().await.unwrap(), whole.totals().await.unwrap());
    let ids = town_ids(&store).await;
    assert_eq!(ids.len(), world.totals().await.unwrap().0);
    for id in ids {
        assert_eq!(
            format!("{:?}", world.partners(id).await.unwrap()),
            format!("{:?}", whole.partners(id).await.unwrap()),
            "town {id}"
        );
    }
}

async fn town_ids(store: &Store) -> Vec<i64> {
    let sql = "SELECT id FROM world_towns ORDER BY id";
    match store.db() {
        Db::Sqlite(p) => sqlx::query_scalar(sql).fetch_all(p).await.unwrap(),
        Db::Postgres(p) => sqlx::query_scalar(sql).fetch_all(p).await.unwrap(),
    }
}

async fn bad_files_are_refused_and_nothing_is_written(store: Store) {
    let world = World::new(store.clone());
    let before = counts(&store).await;
    let not_utf8 = b"city1,country1,lat1,lng1,city2,country2,lat2,lng2\nBr\xfcnn,Austria,,,Hranice,Czech Republic,,\n";
    let wrong_columns = b"town,land\nHranice,CZ\n";
    let empty = b"";
    let bad_json = b"[{\"city1\": \"Hranice\"";
    for (bytes, key) in [
        (&not_utf8[..], "world-file-not-utf8"),
        (&wrong_columns[..], "world-file-columns"),
        (&empty[..], "world-file-empty"),
        (&bad_json[..], "world-file-malformed"),
    ] {
        match import(&world, bytes, "bad").await {
            Err(AppError::BadFile(e)) => assert_eq!(e.key, key, "{e}"),
            other => panic!("{key}: {other:?}"),
        }
        assert_eq!(counts(&store).await, before);
    }
    // The public may not import; the refusal is in the audit log.
    let r = world
        .import(&Caller::public(), demo::WORLD_CSV, &options("x"), &())
        .await;
    assert!(matches!(r, Err(AppError::Unauthenticated)));
    let after = counts(&store).await;
    assert_eq!(after[..3], before[..3]);
    assert_eq!(after[3], before[3] + 1);
}

async fn a_failure_halfway_leaves_the_database_as_it_was(store: Store) {
    // A trigger refuses pairs late in the file, after the towns have been written.
    match store.db() {
        Db::Sqlite(_) => {
            execute(
                &store,
                "CREATE TRIGGER fail_late BEFORE INSERT ON world_pairs WHEN NEW.source_row > 20000 \
                 BEGIN SELECT RAISE(ABORT, 'injected failure'); END;",
            )
            .await
        }
        Db::Postgres(_) => {
            execute(
                &store,
                "CREATE FUNCTION fail_late() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
                 IF NEW.source_row > 20000 THEN RAISE EXCEPTION 'injected failure'; END IF; \
                 RETURN NEW; END $$; \
                 CREATE TRIGGER fail_late BEFORE INSERT ON world_pairs FOR EACH ROW \
                 EXECUTE FUNCTION fail_late();",
            )
            .await
        }
    }
    let world = World::new(store.clone());
    let before = counts(&store).await;
    let r = import(&world, demo::WORLD_CSV, "twin_cities.csv").await;
    assert!(matches!(r, Err(AppError::Store(_))), "{r:?}");
    assert_eq!(counts(&store).await, before);
}

async fn json_and_wikidata_files(store: Store) {
    let world = World::new(store.clone());
    let rows = br#"[
        {"city1": "Hranice", "country1": "Czech Republic", "lat1": 49.5482, "lng1": 17.7347,
         "city2": "Hlohovec", "country2": "Slovakia", "lat2": 48.43, "lng2": 17.8},
        {"city1": "Hlohovec", "country1": "Slovakia", "city2": "Hranice", "country2": "Czech Republic"},
        {"city1": "Hranice", "country1": "Atlantis", "city2": "Hlohovec", "country2": "Slovakia"}
    ]"#;
    let r = import(&world, rows, "rows.json").await.unwrap();
    assert_eq!(
        (r.summary.imported, r.summary.merged, r.summary.rejected),
        (1, 1, 1)
    );
    assert_eq!(r.rejected[0].key, "world-rejected-unknown-country");
    let wikidata = br#"{"entities": {
      "Q1": {"id": "Q1", "labels": {"en": {"language": "en", "value": "Hranice"}},
             "claims": {"P17": [{"mainsnak": {"datavalue": {"value": {"id": "Q213"}}}}],
                        "P190": [{"mainsnak": {"datavalue": {"value": {"id": "Q2"}}},
                                  "qualifiers": {"P580": [{"datavalue": {"value": {"time": "+1991-00-00T00:00:00Z"}}}]}}]}},
      "Q2": {"id": "Q2", "labels": {"en": {"language": "en", "value": "Bruntal"}},
             "claims": {"P17": [{"mainsnak": {"datavalue": {"value": {"id": "Q213"}}}}],
                        "P625": [{"mainsnak": {"datavalue": {"value": {"latitude": 49.988, "longitude": 17.464}}}}]}}
    }}"#;
    let r = import(&world, wikidata, "wikidata.json").await.unwrap();
    assert_eq!(
        (r.summary.rows, r.summary.imported),
        (1, 1),
        "{:?}",
        r.summary
    );
    assert_eq!(
        scalar(
            &store,
            "SELECT COUNT(*) FROM world_pairs WHERE start_year = 1991"
        )
        .await,
        1
    );
    // Hranice of the Wikidata file is the town of the JSON file (no coordinates: by name).
    assert_eq!(
        scalar(
            &store,
            "SELECT COUNT(*) FROM world_towns WHERE name = 'Hranice'"
        )
        .await,
        1
    );
    assert_eq!(
        scalar(&store, "SELECT COUNT(*) FROM world_sources").await,
        2
    );
}

stedenband_store::test_on_both_backends! {
    accounted_for => the_whole_list_is_accounted_for_once,
    bad_files => bad_files_are_refused_and_nothing_is_written,
    failure_halfway => a_failure_halfway_leaves_the_database_as_it_was,
    json_and_wikidata => json_and_wikidata_files,
}

stedenband_store::test_on_both_backends! {
    template "app-demo-world", crate::support::with_demo_and_world;
    register_linked => the_register_is_linked_and_the_triangle_shown,
}
