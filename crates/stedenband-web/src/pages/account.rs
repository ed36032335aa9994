//! Logging in and out (with the second factor), and the account page with personal access
//! tokens and the second factor's set-up.

use super::{Ctx, PageResult, render, see_other};
use crate::AppState;
use crate::auth::cookie;
use crate::error::{ErrorKind, Front, OrWebError, WebError};
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect};
use serde::Deserialize;
use stedenband_app::AppError;
use stedenband_app::accounts::{
    Enrolment, LoginError, NewSession, SecondFactorError, SecondFactorStatus, SessionStage,
    random_token,
};
use stedenband_domain::{Account, Principal};
use stedenband_store::AccessToken;

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// Only a path on this site (never an open redirect).
fn local(next: Option<&str>) -> String {
    super::local_path(next)
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
            let to = match session.stage {
                SessionStage::Full => next,
                SessionStage::SecondFactor => {
                    format!("/login/second-factor?next={}", super::encode(&next))
                }
                SessionStage::Enrol => "/account/second-factor".to_owned(),
            };
            let mut res = Redirect::to(&to).into_response();
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

/// The client's address, for the audit log.
fn address(ctx: &Ctx) -> Option<std::net::IpAddr> {
    ctx.auth
        .caller
        .address
        .as_deref()
        .and_then(|a| a.parse().ok())
}

/// The logged-in account.
fn logged_in_account(ctx: &Ctx) -> Option<Account> {
    match ctx.auth.principal() {
        Principal::Account {
            id,
            username,
            grants,
        } => Some(Account {
            id: id.clone(),
            username: username.clone(),
            disabled: false,
            grants: grants.clone(),
        }),
        _ => None,
    }
}

/// The account that may set up a second factor here: the logged-in one, or the one whose
/// session is limited to setting it up.
fn enrolling_account(ctx: &Ctx) -> Option<Account> {
    match &ctx.auth.pending {
        Some((SessionStage::Enrol, a)) => Some(a.clone()),
        Some(_) => None,
        None => logged_in_account(ctx),
    }
}

/// A redirect that also sets the cookie of a new session.
fn with_session(s: &AppState, to: &str, session: &NewSession) -> axum::response::Response {
    let mut res = Redirect::to(to).into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        s.cookies.set(s.cookies.session_name(), &session.token),
    );
    res
}

// ---- the second step of a login ----------------------------------------------------------------

#[derive(Template)]
#[template(path = "second_factor.html")]
struct SecondFactorPage {
    ctx: Ctx,
    next: String,
    error: Option<String>,
}

/// The form for the code, after the password.
pub async fn second_factor_form(ctx: Ctx, Query(q): Query<NextQuery>) -> PageResult {
    let next = local(q.next.as_deref());
    if !matches!(ctx.auth.pending, Some((SessionStage::SecondFactor, _))) {
        // Nothing pending: logged in already, or the login must start again.
        return see_other(if ctx.logged_in() { &next } else { "/login" });
    }
    Ok(render(
        StatusCode::OK,
        &SecondFactorPage {
            ctx,
            next,
            error: None,
        },
    ))
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
    next: Option<String>,
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
}

/// Checks the code; on success the pending session ends and a new, full one begins.
pub async fn second_factor(
    ctx: Ctx,
    State(s): State<AppState>,
    Form(f): Form<CodeForm>,
) -> PageResult {
    check(&ctx, f.csrf.as_deref())?;
    let next = local(f.next.as_deref());
    let Some(token) = ctx
        .auth
        .session_token
        .clone()
        .filter(|_| matches!(ctx.auth.pending, Some((SessionStage::SecondFactor, _))))
    else {
        return see_other("/login");
    };
    match s
        .accounts
        .second_factor(&token, &f.code, address(&ctx))
        .await
    {
        Ok(session) => {
            tracing::info!(user = %session.account.username, "login with second factor");
            Ok(with_session(&s, &next, &session))
        }
        Err(SecondFactorError::Invalid) => {
            let error = Some(ctx.t("error-code-invalid"));
            let page = SecondFactorPage { ctx, next, error };
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(SecondFactorError::Expired) => {
            let mut res = Redirect::to("/login").into_response();
            res.headers_mut().append(
                header::SET_COOKIE,
                s.cookies.clear(s.cookies.session_name()),
            );
            Ok(res)
        }
        Err(SecondFactorError::Throttled { retry_after }) => {
            Err(
                WebError::new(Front::Page, ctx.lang, ErrorKind::Throttled(retry_after))
                    .at("/login/second-factor"),
            )
        }
        Err(SecondFactorError::App(e)) => {
            Err(WebError::from_app(Front::Page, ctx.lang, e).at("/login/second-factor"))
        }
    }
}

// ---- setting up the second factor --------------------------------------------------------------

/// The `otpauth://` URI as a QR code: inline SVG drawn here (no script, no request to anyone
/// else), labelled for screen readers.
fn qr_svg(uri: &str, label: &str) -> Option<String> {
    let code = qrcode::QrCode::new(uri.as_bytes()).ok()?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .build();
    let start = svg.find("<svg")?;
    let label = label
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;");
    Some(svg[start..].replacen(
        "<svg ",
        &format!(r#"<svg role="img" aria-label="{label}" "#),
        1,
    ))
}

#[derive(Template)]
#[template(path = "enrol.html")]
struct EnrolPage {
    ctx: Ctx,
    enrolment: Enrolment,
    /// The URI as a QR code (inline SVG).
    qr: Option<String>,
    /// The session is limited to this page until it is done.
    required: bool,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "recovery_codes.html")]
struct RecoveryCodesPage {
    ctx: Ctx,
    codes: Vec<String>,
}

async fn enrol_page(
    ctx: Ctx,
    s: &AppState,
    account: &Account,
    error: Option<String>,
    status: StatusCode,
) -> PageResult {
    let enrolment = match s.accounts.begin_enrolment(account).await {
        Ok(e) => e,
        // Set up already.
        Err(AppError::NotFound) => return see_other("/account"),
        Err(e) => return Err(WebError::from_app(Front::Page, ctx.lang, e).at(&ctx.path)),
    };
    let required = ctx.auth.pending.is_some();
    let qr = qr_svg(&enrolment.uri, &ctx.t("enrol-qr-label"));
    Ok(render(
        status,
        &EnrolPage {
            ctx,
            enrolment,
            qr,
            required,
            error,
        },
    ))
}

/// The secret to put into an authenticator app, and the form to confirm it with a code.
pub async fn enrolment_form(ctx: Ctx, State(s): State<AppState>) -> PageResult {
    let Some(account) = enrolling_account(&ctx) else {
        return Err(
            WebError::from_app(Front::Page, ctx.lang, AppError::Unauthenticated).at(&ctx.path),
        );
    };
    enrol_page(ctx, &s, &account, None, StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct EnrolForm {
    #[serde(default)]
    code: String,
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
}

/// Confirms the set-up with a code and shows the recovery codes, once. A session that was
/// limited to this page is replaced by a full one with a new token.
pub async fn enrol(ctx: Ctx, State(s): State<AppState>, Form(f): Form<EnrolForm>) -> PageResult {
    check(&ctx, f.csrf.as_deref())?;
    let Some(account) = enrolling_account(&ctx) else {
        return Err(
            WebError::from_app(Front::Page, ctx.lang, AppError::Unauthenticated).at("/account"),
        );
    };
    match s
        .accounts
        .confirm_enrolment(&account, &f.code, address(&ctx))
        .await
    {
        Ok(codes) => {
            let new_session = match (&ctx.auth.pending, &ctx.auth.session_token) {
                (Some((SessionStage::Enrol, _)), Some(token)) => Some(
                    s.accounts
                        .finish_enrolment_session(token)
                        .await
                        .or_page(&ctx)?,
                ),
                _ => None,
            };
            let mut ctx = ctx;
            if let Some(new) = &new_session {
                // The page is drawn for the new, full session (its CSRF token for the logout).
                ctx.auth.caller.principal = new.account.principal();
                ctx.auth.csrf_token = Some(new.csrf_token.clone());
                ctx.auth.session_token = Some(new.token.clone());
                ctx.auth.pending = None;
            }
            ctx.path = "/account".to_owned();
            let mut res = render(StatusCode::OK, &RecoveryCodesPage { ctx, codes });
            if let Some(new) = &new_session {
                res.headers_mut().append(
                    header::SET_COOKIE,
                    s.cookies.set(s.cookies.session_name(), &new.token),
                );
            }
            Ok(res)
        }
        Err(AppError::Invalid(e)) => {
            let error = e.0.first().map(|f| ctx.t(f.key));
            enrol_page(ctx, &s, &account, error, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(AppError::NotFound) => see_other("/account"),
        Err(e) => Err(WebError::from_app(Front::Page, ctx.lang, e).at("/account")),
    }
}

/// Turns the second factor off, after a current code.
pub async fn remove_second_factor(
    ctx: Ctx,
    State(s): State<AppState>,
    Form(f): Form<EnrolForm>,
) -> PageResult {
    check(&ctx, f.csrf.as_deref())?;
    let Some(account) = logged_in_account(&ctx) else {
        return Err(
            WebError::from_app(Front::Page, ctx.lang, AppError::Unauthenticated).at("/account"),
        );
    };
    match s
        .accounts
        .remove_second_factor(&account, &f.code, address(&ctx))
        .await
    {
        Ok(()) => see_other("/account"),
        Err(AppError::Invalid(e)) => {
            let error = e.0.first().map(|f| ctx.t(f.key));
            let page = AccountPageErrors {
                factor: error,
                ..Default::default()
            };
            account_page(ctx, &s, None, page, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(WebError::from_app(Front::Page, ctx.lang, e).at("/account")),
    }
}

// ---- the account page --------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    ctx: Ctx,
    username: String,
    roles: Vec<String>,
    tokens: Vec<AccessToken>,
    new_token: Option<String>,
    error: Option<String>,
    second_factor: SecondFactorStatus,
    factor_error: Option<String>,
}

/// Errors to show on the account page: of the token form, of the second-factor form.
#[derive(Default)]
struct AccountPageErrors {
    token: Option<String>,
    factor: Option<String>,
}

async fn account_page(
    ctx: Ctx,
    s: &AppState,
    new_token: Option<String>,
    errors: AccountPageErrors,
    status: StatusCode,
) -> PageResult {
    ctx.auth.caller.require_login().or_page(&ctx)?;
    let second_factor = match logged_in_account(&ctx) {
        Some(a) => s.accounts.second_factor_status(&a).await.or_page(&ctx)?,
        None => SecondFactorStatus {
            enrolled: false,
            recovery_codes_left: 0,
            required: false,
        },
    };
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
            error: errors.token,
            second_factor,
            factor_error: errors.factor,
        },
    ))
}

pub async fn account(ctx: Ctx, State(s): State<AppState>) -> PageResult {
    account_page(ctx, &s, None, AccountPageErrors::default(), StatusCode::OK).await
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
        Ok(token) => {
            account_page(
                ctx,
                &s,
                Some(token),
                AccountPageErrors::default(),
                StatusCode::OK,
            )
            .await
        }
        Err(stedenband_app::AppError::Invalid(e)) => {
            let errors = AccountPageErrors {
                token: e.0.first().map(|f| ctx.t(f.key)),
                ..Default::default()
            };
            account_page(ctx, &s, None, errors, StatusCode::UNPROCESSABLE_ENTITY).await
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
