//! The audit trail of one object, for those who may read it (administrators, and the officials
//! of the municipality whose object it is).

use super::{Ctx, PageResult, ok};
use crate::AppState;
use crate::error::OrWebError;
use askama::Template;
use axum::extract::{Path, State};
use stedenband_domain::Action;
use stedenband_domain::audit::AuditEntry;

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    ctx: Ctx,
    title: String,
    back: String,
    entries: Vec<AuditEntry>,
}

pub async fn partnership_audit(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> PageResult {
    let d = s.register.partnership(&id).await.or_page(&ctx)?;
    ctx.require(&s, &Action::ReadAudit(Some(d.view.holder.id.clone())))
        .await?;
    let entries = s
        .register
        .audit_trail("partnership", &id)
        .await
        .or_page(&ctx)?;
    let title = ctx.t2(
        "audit-title-partnership",
        "home",
        d.view.holder.name().to_string(),
        "partner",
        d.view.partner.name().to_string(),
    );
    ok(&AuditPage {
        ctx,
        title,
        back: format!("/partnerships/{id}"),
        entries,
    })
}

pub async fn municipality_audit(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(slug): Path<String>,
) -> PageResult {
    let v = s.register.municipality(&slug).await.or_page(&ctx)?;
    let holder = s.register.holder(&v.municipality.id).await.or_page(&ctx)?;
    ctx.require(&s, &Action::ReadAudit(Some(holder))).await?;
    let entries = s
        .register
        .audit_trail("municipality", &v.municipality.id.0)
        .await
        .or_page(&ctx)?;
    let title = ctx.t1(
        "audit-title-municipality",
        "name",
        v.municipality.name().to_string(),
    );
    ok(&AuditPage {
        ctx,
        title,
        back: format!("/municipalities/{}", v.municipality.slug),
        entries,
    })
}
