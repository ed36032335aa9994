//! The privacy annotations against the live schema, on both databases: every column of every
//! table is annotated (personal data or not), and no annotation names a column that is gone.
//! A column added by a migration without an annotation in `privacy::SCHEMA` fails here.

use std::collections::BTreeSet;
use stedenband_store::privacy::{Data, SCHEMA, register_markdown};
use stedenband_store::{Store, test_on_both_backends};

async fn every_column_is_annotated_and_every_annotation_exists(store: Store) {
    let live: BTreeSet<(String, String)> =
        store.live_columns().await.unwrap().into_iter().collect();
    let annotated: BTreeSet<(String, String)> = SCHEMA
        .iter()
        .flat_map(|t| {
            t.columns
                .iter()
                .map(|(c, _)| (t.name.to_owned(), (*c).to_owned()))
        })
        .collect();
    let unannotated: Vec<_> = live.difference(&annotated).collect();
    assert!(
        unannotated.is_empty(),
        "columns without a privacy annotation in stedenband-store/src/privacy.rs: {unannotated:?}"
    );
    let stale: Vec<_> = annotated.difference(&live).collect();
    assert!(
        stale.is_empty(),
        "annotations of columns that do not exist: {stale:?}"
    );
}

#[test]
fn tables_that_name_people_say_how_to_find_their_rows() {
    for t in SCHEMA {
        let refers = t.columns.iter().any(|(_, d)| *d == Data::PersonRef);
        if refers {
            assert!(
                t.person_rows.is_some(),
                "{} refers to people but is not exported",
                t.name
            );
        }
        if t.holds_personal_data() {
            assert!(
                !t.purpose.is_empty()
                    && !t.subjects.is_empty()
                    && !t.basis.is_empty()
                    && !t.retention.is_empty(),
                "{} holds personal data: purpose, subjects, basis and retention are required",
                t.name
            );
        }
    }
}

#[test]
fn the_register_lists_every_personal_column() {
    let md = register_markdown();
    for t in SCHEMA {
        for (c, d) in t.columns {
            let line = format!("| `{c}` |");
            let section = format!("## {}\n", t.name);
            match d {
                Data::None => {}
                _ => {
                    let start = md
                        .find(&section)
                        .unwrap_or_else(|| panic!("{} has a section", t.name));
                    let end = md[start + 3..]
                        .find("\n## ")
                        .map_or(md.len(), |e| start + 3 + e);
                    assert!(md[start..end].contains(&line), "{}.{c} is listed", t.name);
                }
            }
        }
    }
    assert!(md.contains("## people\n") && md.contains("| `email` | contact details (e-mail) |"));
    assert!(
        !md.contains("## municipalities\n"),
        "tables without personal data are left out"
    );
}

test_on_both_backends! {
    annotations_match_the_schema => every_column_is_annotated_and_every_annotation_exists,
}
