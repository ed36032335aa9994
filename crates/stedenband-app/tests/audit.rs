//! The audit log on both databases: appends (also from many tasks at once) form one chain that
//! verifies, and each way of tampering with the stored rows makes verification fail, naming the
//! entry concerned.

use stedenband_app::AuditLog;
use stedenband_domain::audit::{AuditDraft, BreakKind, ChainBreak, GENESIS, Outcome, entry_hash};
use stedenband_store::{Store, test_on_both_backends};

fn draft(n: usize) -> AuditDraft {
    AuditDraft {
        actor: (!n.is_multiple_of(4)).then(|| format!("user{}", n % 3)),
        address: Some("192.0.2.1".to_owned()),
        action: if n.is_multiple_of(2) {
            "partnership.update".to_owned()
        } else {
            "municipality.create".to_owned()
        },
        object_kind: Some("partnership".to_owned()),
        object_id: Some(format!("p{}", n % 5)),
        before: Some(format!(r#"{{"n":{n}}}"#)),
        after: Some(format!(r#"{{"n":{}}}"#, n + 1)),
        outcome: if n.is_multiple_of(7) {
            Outcome::Refused
        } else {
            Outcome::Success
        },
    }
}

/// A log of 50 entries, verified 7 at a time so breaks fall inside and across pages.
async fn log_of_50(store: Store) -> AuditLog {
    let log = AuditLog::new(store).with_page_size(7);
    for n in 1..=50 {
        log.append(&draft(n)).await.unwrap();
    }
    log
}

/// Runs statements straight on the database, as someone with access to it could.
async fn tamper(store: &Store, statements: &[&str]) {
    for &sql in statements {
        let done = stedenband_store::on_db!(store.db(), pool => {
            sqlx::query(sqlx::AssertSqlSafe(sql)).execute(pool).await.map(|r| r.rows_affected())
        })
        .unwrap();
        assert!(done > 0, "{sql} changed nothing");
    }
}

async fn broken(log: &AuditLog, head: Option<(i64, String)>) -> ChainBreak {
    log.verify(head)
        .await
        .unwrap()
        .expect_err("verification should fail")
}

async fn an_untouched_log_verifies(store: Store) {
    let empty = AuditLog::new(store.clone());
    assert_eq!(empty.head().await.unwrap(), (0, GENESIS.to_owned()));
    let s = empty.verify(None).await.unwrap().unwrap();
    assert_eq!((s.count, s.head_seq), (0, 0));
    empty
        .verify(Some((0, GENESIS.to_owned())))
        .await
        .unwrap()
        .unwrap();

    let log = log_of_50(store).await;
    let head = log.head().await.unwrap();
    assert_eq!(head.0, 50);
    let s = log.verify(None).await.unwrap().unwrap();
    assert_eq!((s.count, s.head_seq, &s.head_hash), (50, 50, &head.1));
    log.verify(Some(head.clone())).await.unwrap().unwrap();
    // A head kept earlier still verifies once the log has grown.
    log.append(&draft(51)).await.unwrap();
    let s = log.verify(Some(head)).await.unwrap().unwrap();
    assert_eq!(s.count, 51);
    // One object's history.
    let p3 = log.for_object("partnership", "p3").await.unwrap();
    assert_eq!(
        p3.iter().map(|e| e.seq).collect::<Vec<_>>(),
        vec![3, 8, 13, 18, 23, 28, 33, 38, 43, 48]
    );
}

async fn concurrent_appends_stay_one_verifiable_chain(store: Store) {
    let log = AuditLog::new(store).with_page_size(7);
    let mut tasks = Vec::new();
    for t in 0..5 {
        let log = log.clone();
        tasks.push(tokio::spawn(async move {
            for n in 0..10 {
                log.append(&draft(t * 10 + n)).await.unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let s = log.verify(None).await.unwrap().unwrap();
    assert_eq!((s.count, s.head_seq), (50, 50));
}

async fn an_edited_action_is_found(store: Store) {
    let log = log_of_50(store.clone()).await;
    tamper(
        &store,
        &["UPDATE audit_log SET action = 'partnership.view' WHERE seq = 17"],
    )
    .await;
    let b = broken(&log, None).await;
    assert_eq!((b.seq, &b.problem), (17, &BreakKind::Edited));
    assert_eq!(
        b.to_string(),
        "entry 17 was edited: its content no longer matches its hash"
    );
}

async fn an_edited_after_json_is_found(store: Store) {
    let log = log_of_50(store.clone()).await;
    tamper(
        &store,
        &[r#"UPDATE audit_log SET after_json = '{"n":0}' WHERE seq = 33"#],
    )
    .await;
    let b = broken(&log, None).await;
    assert_eq!((b.seq, b.problem), (33, BreakKind::Edited));
}

async fn an_edit_with_a_recomputed_hash_is_found_at_the_next_entry(store: Store) {
    // Whoever edits entry 20 and stores the hash of its new content breaks the link of entry 21,
    // which still points to the old hash.
    let log = log_of_50(store.clone()).await;
    let mut e = store.audit_entries(19, 1).await.unwrap().remove(0);
    assert_eq!(e.seq, 20);
    e.draft.action = "partnership.view".to_owned();
    let forged = entry_hash(&e.prev_hash, e.seq, &e.at, &e.draft);
    let sql = format!(
        "UPDATE audit_log SET action = 'partnership.view', hash = '{forged}' WHERE seq = 20"
    );
    tamper(&store, &[&sql]).await;
    let b = broken(&log, None).await;
    assert_eq!((b.seq, b.problem), (21, BreakKind::Relinked));
}

async fn a_deleted_middle_row_is_missing(store: Store) {
    let log = log_of_50(store.clone()).await;
    // 29 opens the fifth page of 7: the gap lies between two pages.
    tamper(&store, &["DELETE FROM audit_log WHERE seq = 29"]).await;
    let b = broken(&log, None).await;
    assert_eq!((b.seq, &b.problem), (29, &BreakKind::Missing { found: 30 }));
    assert!(b.to_string().starts_with("entry 29 is missing"), "{b}");
}

async fn swapped_rows_are_found_at_the_first(store: Store) {
    let log = log_of_50(store.clone()).await;
    tamper(
        &store,
        &[
            "UPDATE audit_log SET seq = 1000000 WHERE seq = 10",
            "UPDATE audit_log SET seq = 10 WHERE seq = 20",
            "UPDATE audit_log SET seq = 20 WHERE seq = 1000000",
        ],
    )
    .await;
    let b = broken(&log, None).await;
    assert_eq!((b.seq, &b.problem), (10, &BreakKind::Relinked));
    assert!(b.to_string().starts_with("entry 10 was relinked"), "{b}");
}

async fn deleting_the_newest_rows_is_found_against_the_kept_head(store: Store) {
    let log = log_of_50(store.clone()).await;
    let head = log.head().await.unwrap();
    tamper(&store, &["DELETE FROM audit_log WHERE seq > 45"]).await;
    // On its own the shorter log is consistent: that is why the head is kept elsewhere.
    assert_eq!(log.verify(None).await.unwrap().unwrap().count, 45);
    let b = broken(&log, Some(head.clone())).await;
    assert_eq!(
        (b.seq, &b.problem),
        (
            46,
            &BreakKind::Truncated {
                head_seq: 50,
                rewritten: false
            }
        )
    );
    assert!(b.to_string().contains("ends at entry 45"), "{b}");
    // Appending anew after the cut does not hide it: entry 50 is not the one kept.
    for n in 0..10 {
        log.append(&draft(n)).await.unwrap();
    }
    assert_eq!(log.verify(None).await.unwrap().unwrap().count, 55);
    let b = broken(&log, Some(head)).await;
    assert_eq!(
        (b.seq, &b.problem),
        (
            50,
            &BreakKind::Truncated {
                head_seq: 50,
                rewritten: true
            }
        )
    );
}

test_on_both_backends! {
    intact => an_untouched_log_verifies,
    concurrent => concurrent_appends_stay_one_verifiable_chain,
    edited_action => an_edited_action_is_found,
    edited_after_json => an_edited_after_json_is_found,
    recomputed_hash => an_edit_with_a_recomputed_hash_is_found_at_the_next_entry,
    deleted_row => a_deleted_middle_row_is_missing,
    swapped_rows => swapped_rows_are_found_at_the_first,
    truncated => deleting_the_newest_rows_is_found_against_the_kept_head,
}
