//! The audit log's storage on both databases: appends form one chain, also when many tasks (and
//! several pools, as several processes would) append at once; pages, objects and the head read
//! back what was written.

use std::collections::BTreeMap;
use stedenband_domain::audit::{self, AuditDraft, AuditEntry, GENESIS, Outcome, entry_hash};
use stedenband_store::testing::TestDb;
use stedenband_store::{Db, Store, test_on_both_backends};

fn draft(actor: &str, n: usize) -> AuditDraft {
    AuditDraft {
        actor: Some(actor.to_owned()),
        address: n.is_multiple_of(2).then(|| "192.0.2.7".to_owned()),
        action: "partnership.update".to_owned(),
        object_kind: Some("partnership".to_owned()),
        object_id: Some(format!("p{}", n % 4)),
        before: Some(format!(r#"{{"description":"{}"}}"#, n)),
        // Some("") must come back as Some(""), not None.
        after: if n.is_multiple_of(3) {
            Some(String::new())
        } else {
            Some(format!(r#"{{"description":"{}"}}"#, n + 1))
        },
        outcome: if n.is_multiple_of(5) {
            Outcome::Refused
        } else {
            Outcome::Success
        },
    }
}

/// The whole log, read a page of `size` at a time.
async fn all_entries(store: &Store, size: u32) -> Vec<AuditEntry> {
    let mut out: Vec<AuditEntry> = Vec::new();
    loop {
        let after = out.last().map_or(0, |e| e.seq);
        let page = store.audit_entries(after, size).await.unwrap();
        assert!(page.len() <= size as usize);
        if page.is_empty() {
            return out;
        }
        out.extend(page);
    }
}

async fn appends_form_one_chain_that_reads_back_whole(store: Store) {
    assert_eq!(store.audit_head().await.unwrap(), None);
    assert!(store.audit_entries(0, 10).await.unwrap().is_empty());
    let mut written = Vec::new();
    for n in 0..50 {
        written.push(store.append_audit(&draft("anna", n)).await.unwrap());
    }
    for (i, e) in written.iter().enumerate() {
        assert_eq!(e.seq, i as i64 + 1);
        let prev = if i == 0 {
            GENESIS
        } else {
            &written[i - 1].hash
        };
        assert_eq!(e.prev_hash, prev);
        assert_eq!(e.hash, entry_hash(&e.prev_hash, e.seq, &e.at, &e.draft));
        assert_eq!(e.at.len(), "2025-01-01T00:00:00.000000Z".len(), "{}", e.at);
    }
    // Times never go backwards along the chain.
    assert!(written.windows(2).all(|w| w[0].at <= w[1].at));
    // Read back exactly, in pages that do not divide 50.
    let read = all_entries(&store, 7).await;
    assert_eq!(read, written);
    let summary = audit::verify(read.into_iter(), None).unwrap();
    assert_eq!(summary.count, 50);
    assert_eq!(
        store.audit_head().await.unwrap(),
        Some((50, written[49].hash.clone()))
    );
    assert_eq!(summary.head_hash, written[49].hash);
    // A page starts after the seq given.
    let page = store.audit_entries(45, 100).await.unwrap();
    assert_eq!(
        page.iter().map(|e| e.seq).collect::<Vec<_>>(),
        vec![46, 47, 48, 49, 50]
    );
    // One object's entries, oldest first, and no one else's.
    let p1 = store.audit_for_object("partnership", "p1").await.unwrap();
    let want: Vec<_> = written
        .iter()
        .filter(|e| e.draft.object_id.as_deref() == Some("p1"))
        .cloned()
        .collect();
    assert_eq!(p1.len(), 13);
    assert_eq!(p1, want);
    assert!(
        store
            .audit_for_object("municipality", "p1")
            .await
            .unwrap()
            .is_empty()
    );
}

async fn entries_without_actor_or_object_are_kept_as_none(store: Store) {
    let d = AuditDraft {
        actor: None,
        address: None,
        action: "login".to_owned(),
        object_kind: None,
        object_id: None,
        before: None,
        after: None,
        outcome: Outcome::Refused,
    };
    let e = store.append_audit(&d).await.unwrap();
    assert_eq!(store.audit_entries(0, 1).await.unwrap(), vec![e]);
}

/// Appends `per_task` entries from each of `tasks` tasks at once; returns what they wrote.
async fn append_concurrently(stores: &[Store], tasks: usize, per_task: usize) -> Vec<AuditEntry> {
    let mut handles = Vec::new();
    for t in 0..tasks {
        let store = stores[t % stores.len()].clone();
        handles.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            for n in 0..per_task {
                mine.push(
                    store
                        .append_audit(&draft(&format!("task{t}"), n))
                        .await
                        .expect("append under contention"),
                );
            }
            mine
        }));
    }
    let mut all = Vec::new();
    for h in handles {
        all.extend(h.await.unwrap());
    }
    all
}

/// The stored log is one line 1..=n holding exactly what the tasks were told they wrote.
async fn assert_one_line(store: &Store, mut written: Vec<AuditEntry>, n: usize) {
    let read = all_entries(store, 1000).await;
    assert_eq!(read.len(), n);
    assert_eq!(
        read.iter().map(|e| e.seq).collect::<Vec<_>>(),
        (1..=n as i64).collect::<Vec<_>>()
    );
    let summary = audit::verify(read.clone().into_iter(), None).expect("the chain verifies");
    assert_eq!(summary.count, n as u64);
    written.sort_by_key(|e| e.seq);
    assert_eq!(read, written, "what appends returned is what is stored");
    // Each task's entries are in its own order.
    let mut by_actor: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for e in &read {
        by_actor
            .entry(e.draft.actor.clone().unwrap())
            .or_default()
            .push(e.seq);
    }
    assert!(by_actor.values().all(|seqs| seqs.is_sorted()));
}

async fn concurrent_appends_keep_the_chain_linear(store: Store) {
    let written = append_concurrently(std::slice::from_ref(&store), 8, 10).await;
    assert_one_line(&store, written, 80).await;
}

async fn the_schema_refuses_an_unknown_outcome(store: Store) {
    let sql = "INSERT INTO audit_log (seq, at, action, outcome, prev_hash, hash) \
               VALUES (1, 'now', 'login', 'maybe', $1, $1)";
    let res = stedenband_store::on_db!(store.db(), pool => {
        sqlx::query(sql).bind(GENESIS).execute(pool).await.map(|_| ())
    });
    assert!(res.is_err(), "an unknown outcome was stored");
}

test_on_both_backends! {
    appends_chain => appends_form_one_chain_that_reads_back_whole,
    empty_fields => entries_without_actor_or_object_are_kept_as_none,
    concurrent_appends => concurrent_appends_keep_the_chain_linear,
    outcome_check => the_schema_refuses_an_unknown_outcome,
}

/// Two pools on one database, as two processes would have, on a runtime with several threads.
async fn two_pools_append_at_once(t: TestDb) {
    let other = Db::connect(&t.url).await.unwrap();
    let stores = [t.store(), Store::new(other.clone())];
    let written = append_concurrently(&stores, 6, 10).await;
    assert_one_line(&stores[0], written, 60).await;
    other.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_pools_append_at_once_on_sqlite() {
    two_pools_append_at_once(TestDb::sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_pools_append_at_once_on_postgres() {
    let Some(t) = TestDb::postgres().await else {
        return;
    };
    two_pools_append_at_once(t).await;
}
