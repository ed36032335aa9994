//! Logging in and out, and the account page with personal access tokens.

use super::{Ctx, PageResult, render, see_other};
use crate::AppState;
use crate::auth::cookie;
use crate::error::{ErrorKind, Front, OrWebError, WebError};
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect};
use serde::Deserialize;
use stedenband_app::accounts::{LoginError, random_token};
use stedenband_store::AccessToken;

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// Only a path on this site (never an open redirect).
fn local(next: Option<&str>) -> String {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\'))
        .unwrap_or("/")
        .to_owned()
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    ctx: Ctx,
    next: String,
    username: String,
    error: Option<String>,
    login_csrf: String,
}

/// The login form. Its CSRF token lives in a cookie until there is a session (double submit).
pub async fn login_form(
    ctx: Ctx,
    State(s): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<NextQuery>,
) -> PageResult {
    let next = local(q.next.as_deref());
    if ctx.logged_in() {
        return see_other(&next);
    }
    let existing = cookie(&headers, s.cookies.login_csrf_name()).map(str::to_owned);
    let login_csrf = existing.clone().unwrap_or_else(random_token);
    let mut res = render(
        StatusCode::OK,
        &LoginPage {
            ctx,
            next,
            username: String::new(),
            error: None,
            login_csrf: login_csrf.clone(),
        },
    );
    if existing.is_none() {
        res.headers_mut().append(
            header::SET_COOKIE,
            s.cookies.set(s.cookies.login_csrf_name(), &login_csrf),
        );
    }
    Ok(res)
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
}

pub async fn login(
    ctx: Ctx,
    State(s): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> PageResult {
    let expected = cookie(&headers, s.cookies.login_csrf_name());
    if expected.is_none() || expected != f.csrf.as_deref() {
        return Err(WebError::new(Front::Page, ctx.lang, ErrorKind::Forbidden).at("/login"));
    }
    let next = local(f.next.as_deref());
    let address = ctx
        .auth
        .caller
        .address
        .as_deref()
        .and_then(|a| a.parse().ok());
    match s.accounts.login(&f.username, &f.password, address).await {
        Ok(session) => {
            // Whatever session the browser had ends here; the new one has a new token.
            if let Some(old) = &ctx.auth.session_token {
                let _ = s.accounts.logout(old).await;
            }
            let mut res = Redirect::to(&next).into_response();
            res.headers_mut().append(
                header::SET_COOKIE,
                s.cookies.set(s.cookies.session_name(), &session.token),
            );
            res.headers_mut().append(
                header::SET_COOKIE,
                s.cookies.clear(s.cookies.login_csrf_name()),
            );
            tracing::info!(user = %session.account.username, "login");
            Ok(res)
        }
        Err(LoginError::Invalid) => {
            let error = Some(ctx.t("login-failed"));
            let page = LoginPage {
                next,
                username: f.username,
                error,
                login_csrf: f.csrf.unwrap_or_default(),
                ctx,
            };
            Ok(render(StatusCode::UNAUTHORIZED, &page))
        }
        Err(LoginError::Throttled { retry_after }) => {
            Err(
                WebError::new(Front::Page, ctx.lang, ErrorKind::Throttled(retry_after))
                    .at("/login"),
            )
        }
        Err(LoginError::App(e)) => Err(WebError::from_app(Front::Page, ctx.lang, e).at("/login")),
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
}

fn check(ctx: &Ctx, csrf: Option<&str>) -> Result<(), WebError> {
    let vals = csrf
        .map(|c| [("_csrf".to_owned(), c.to_owned())].into_iter().collect())
        .unwrap_or_default();
    ctx.check_csrf(&vals)
}

/// Ends the session on the server and forgets the cookie.
pub async fn logout(ctx: Ctx, State(s): State<AppState>, Form(f): Form<CsrfForm>) -> PageResult {
    check(&ctx, f.csrf.as_deref())?;
    if let Some(token) = &ctx.auth.session_token {
        s.accounts.logout(token).await.or_page(&ctx)?;
    }
    let mut res = Redirect::to("/").into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        s.cookies.clear(s.cookies.session_name()),
    );
    Ok(res)
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    ctx: Ctx,
    username: String,
    roles: Vec<String>,
    tokens: Vec<AccessToken>,
    new_token: Option<String>,
    error: Option<String>,
}

async fn account_page(
    ctx: Ctx,
    s: &AppState,
    new_token: Option<String>,
    error: Option<String>,
    status: StatusCode,
) -> PageResult {
    ctx.auth.caller.require_login().or_page(&ctx)?;
    let id = ctx
        .auth
        .principal()
        .account_id()
        .unwrap_or_default()
        .to_owned();
    let tokens = s.accounts.tokens(&id).await.or_page(&ctx)?;
    let username = ctx.user().unwrap_or_default();
    let roles = match ctx.auth.principal() {
        stedenband_domain::Principal::Account { grants, .. } => grants
            .iter()
            .map(|g| {
                let role = ctx.choice("role", g.role.as_str());
                match &g.scope {
                    Some(scope) => format!("{role} ({scope})"),
                    None => role,
                }
            })
            .collect(),
        _ => vec![],
    };
    Ok(render(
        status,
        &AccountPage {
            ctx,
            username,
            roles,
            tokens,
            new_token,
            error,
        },
    ))
}

pub async fn account(ctx: Ctx, State(s): State<AppState>) -> PageResult {
    account_page(ctx, &s, None, None, StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct TokenForm {
    name: String,
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
}

/// A new token, shown once on the page that answers the post.
pub async fn create_token(
    ctx: Ctx,
    State(s): State<AppState>,
    Form(f): Form<TokenForm>,
) -> PageResult {
    check(&ctx, f.csrf.as_deref())?;
    ctx.auth.caller.require_login().or_page(&ctx)?;
    let username = ctx.user().unwrap_or_default();
    match s.accounts.create_token(&username, &f.name).await {
        Ok(token) => account_page(ctx, &s, Some(token), None, StatusCode::OK).await,
        Err(stedenband_app::AppError::Invalid(e)) => {
            let error = e.0.first().map(|f| ctx.t(f.key));
            account_page(ctx, &s, None, error, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(WebError::from_app(Front::Page, ctx.lang, e).at("/account")),
    }
}

pub async fn revoke_token(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Form(f): Form<CsrfForm>,
) -> PageResult {
    check(&ctx, f.csrf.as_deref())?;
    ctx.auth.caller.require_login().or_page(&ctx)?;
    let account = ctx
        .auth
        .principal()
        .account_id()
        .unwrap_or_default()
        .to_owned();
    s.accounts.revoke_token(&account, &id).await.or_page(&ctx)?;
    see_other("/account")
}
