//! The audit log's use cases: record an action, read an object's history, and check that the
//! log is whole (unedited, nothing removed or moved, and reaching a head kept elsewhere).

use crate::AppError;
use stedenband_domain::audit::{
    AuditDraft, AuditEntry, ChainBreak, ChainSummary, ChainVerifier, GENESIS,
};
use stedenband_store::Store;

/// How many entries [`AuditLog::verify`] reads at a time.
pub const VERIFY_PAGE: u32 = 1000;

/// The audit log.
#[derive(Clone, Debug)]
pub struct AuditLog {
    store: Store,
    page: u32,
}

impl AuditLog {
    pub fn new(store: Store) -> Self {
        Self {
            store,
            page: VERIFY_PAGE,
        }
    }

    /// The same log, verified `page` entries at a time (for tests of the paging).
    pub fn with_page_size(mut self, page: u32) -> Self {
        self.page = page.clamp(1, stedenband_store::AUDIT_PAGE_MAX);
        self
    }

    /// Records one action at the end of the chain.
    #[tracing::instrument(skip(self, draft), fields(action = %draft.action))]
    pub async fn append(&self, draft: &AuditDraft) -> Result<AuditEntry, AppError> {
        Ok(self.store.append_audit(draft).await?)
    }

    /// Walks the whole log in seq order, a page at a time, and checks every link. With
    /// `expected_head` (as printed by [`AuditLog::head`] earlier and kept elsewhere) it also
    /// checks that the log still reaches that entry with that hash, so cutting off the newest
    /// entries shows. The outer error is a failure to read; the inner one is a broken chain.
    #[tracing::instrument(skip(self))]
    pub async fn verify(
        &self,
        expected_head: Option<(i64, String)>,
    ) -> Result<Result<ChainSummary, ChainBreak>, AppError> {
        let mut verifier =
            ChainVerifier::new(expected_head.as_ref().map(|(s, h)| (*s, h.as_str())));
        let mut after = 0;
        loop {
            let page = self.store.audit_entries(after, self.page).await?;
            let Some(last) = page.last() else { break };
            after = last.seq;
            for e in &page {
                if let Err(b) = verifier.push(e) {
                    return Ok(Err(b));
                }
            }
        }
        Ok(verifier.finish())
    }

    /// The newest entry's seq and hash, to keep elsewhere; `(0, GENESIS)` for an empty log.
    pub async fn head(&self) -> Result<(i64, String), AppError> {
        Ok(self
            .store
            .audit_head()
            .await?
            .unwrap_or_else(|| (0, GENESIS.to_owned())))
    }

    /// Every entry about one object, oldest first.
    pub async fn for_object(&self, kind: &str, id: &str) -> Result<Vec<AuditEntry>, AppError> {
        Ok(self.store.audit_for_object(kind, id).await?)
    }
}
