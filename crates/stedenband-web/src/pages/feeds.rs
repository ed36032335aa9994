//! iCalendar feeds (RFC 5545) that calendar programs subscribe to: the public activities of a
//! municipality's partnerships, of one partnership, or of one working group. Each is linked from
//! its page with `<link rel="alternate" type="text/calendar">`.

use super::{Ctx, PageResult};
use crate::AppState;
use crate::error::OrWebError;
use crate::ical::{FeedItem, feed};
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use stedenband_app::Caller;
use stedenband_domain::activity::Activity;
use stedenband_store::ActivityFilter;

async fn render(s: &AppState, ctx: &Ctx, name: &str, filter: ActivityFilter) -> PageResult {
    // Feeds are public: only public activities, whoever asks.
    let public = Caller::public();
    let activities: Vec<Activity> = s
        .activities
        .activities(&public, filter)
        .await
        .or_page(ctx)?;
    // The configured public address (never the request's Host header, which the client
    // chooses); without one, relative links.
    let base = s.base_url.as_deref().unwrap_or("");
    let mut labels = std::collections::HashMap::new();
    for a in &activities {
        if !labels.contains_key(&a.draft.partnership.0) {
            let p = s
                .register
                .partnership(&a.draft.partnership.0)
                .await
                .or_page(ctx)?;
            labels.insert(
                a.draft.partnership.0.clone(),
                format!(
                    "{} – {}",
                    p.view.holder.name().as_str(),
                    p.view.partner.name().as_str()
                ),
            );
        }
    }
    let items: Vec<FeedItem> = activities
        .iter()
        .map(|a| FeedItem {
            activity: a,
            url: format!("{base}/activities/{}", a.id),
            partnership_label: labels
                .get(&a.draft.partnership.0)
                .cloned()
                .unwrap_or_default(),
        })
        .collect();
    let body = feed(name, &items, jiff::Timestamp::now());
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/calendar; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("max-age=900"),
            ),
        ],
        body,
    )
        .into_response())
}

/// The feed path segment: `{slug}.ics` style addresses are not used; the feed is a sub-path.
pub async fn municipality_feed(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(slug): Path<String>,
) -> PageResult {
    let view = s.register.municipality(&slug).await.or_page(&ctx)?;
    let partnerships =
        super::activities::all_partnerships(&s, &ctx, Some(&view.municipality.id.0)).await?;
    let filter = ActivityFilter {
        partnerships: partnerships
            .iter()
            .map(|p| p.partnership.id.0.clone())
            .collect(),
        ..Default::default()
    };
    if filter.partnerships.is_empty() {
        let name = format!("Stedenband – {}", view.municipality.name().as_str());
        return Ok((
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/calendar; charset=utf-8"),
            )],
            feed(&name, &[], jiff::Timestamp::now()),
        )
            .into_response());
    }
    let name = format!("Stedenband – {}", view.municipality.name().as_str());
    render(&s, &ctx, &name, filter).await
}

pub async fn partnership_feed(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> PageResult {
    let p = s.register.partnership(&id).await.or_page(&ctx)?;
    let name = format!(
        "Stedenband – {} – {}",
        p.view.holder.name().as_str(),
        p.view.partner.name().as_str()
    );
    let filter = ActivityFilter {
        partnerships: vec![p.view.partnership.id.0.clone()],
        ..Default::default()
    };
    render(&s, &ctx, &name, filter).await
}

pub async fn working_group_feed(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(slug): Path<String>,
) -> PageResult {
    let v = s
        .organisation
        .working_group(&Caller::public(), &slug)
        .await
        .or_page(&ctx)?;
    let name = format!("Stedenband – {}", v.group.draft.name.as_str());
    let filter = ActivityFilter {
        working_group: Some(v.group.id.clone()),
        ..Default::default()
    };
    render(&s, &ctx, &name, filter).await
}
