//! Who is asking: the session cookie or a bearer token, turned into a [`Caller`] for the use
//! cases; the cookies; the cross-site request guard; and the headers that depend on the caller.

use crate::AppState;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::header::{AUTHORIZATION, CACHE_CONTROL, COOKIE, HOST, ORIGIN};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use stedenband_app::Caller;
use stedenband_app::accounts::SessionStage;
use stedenband_domain::{Account, Principal};

/// How cookies are set.
#[derive(Debug, Clone, Copy)]
pub struct CookiePolicy {
    /// `Secure` cookies with the `__Host-` prefix (the default). Off only for plain HTTP on a
    /// developer's own machine (`--insecure-cookies`, and `serve --demo`).
    pub secure: bool,
}

impl CookiePolicy {
    pub fn session_name(&self) -> &'static str {
        if self.secure {
            "__Host-stedenband"
        } else {
            "stedenband"
        }
    }

    /// The cookie that carries the login form's CSRF token before there is a session.
    pub fn login_csrf_name(&self) -> &'static str {
        if self.secure {
            "__Host-stedenband-csrf"
        } else {
            "stedenband-csrf"
        }
    }

    fn attributes(&self) -> &'static str {
        if self.secure {
            "; Path=/; Secure; HttpOnly; SameSite=Lax"
        } else {
            "; Path=/; HttpOnly; SameSite=Lax"
        }
    }

    pub fn set(&self, name: &str, value: &str) -> HeaderValue {
        HeaderValue::from_str(&format!("{name}={value}{}", self.attributes()))
            .expect("cookie text is ASCII")
    }

    pub fn clear(&self, name: &str) -> HeaderValue {
        HeaderValue::from_str(&format!("{name}={}; Max-Age=0", self.attributes()))
            .expect("cookie text is ASCII")
    }
}

/// The value of a cookie in the request.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The caller of a request, with the session's CSRF token when there is a session.
#[derive(Debug, Clone)]
pub struct Auth {
    pub caller: Caller,
    pub csrf_token: Option<String>,
    /// The session token from the cookie (for logout).
    pub session_token: Option<String>,
    /// A bearer token was sent but is not valid: the API answers 401 rather than treating the
    /// request as public.
    pub bad_bearer: bool,
    /// A session that is not logged in yet (the second factor is asked for, or must be set up
    /// first), with whose it is. The caller is then the public.
    pub pending: Option<(SessionStage, Account)>,
}

impl Auth {
    /// Nobody logged in.
    pub fn public() -> Self {
        Auth {
            caller: Caller::public(),
            csrf_token: None,
            session_token: None,
            bad_bearer: false,
            pending: None,
        }
    }

    /// The caller for an API write; a bearer token that is not valid is a 401, never silently
    /// the public.
    pub fn caller_or_401(&self, lang: crate::i18n::Lang) -> Result<Caller, crate::WebError> {
        if self.bad_bearer {
            return Err(crate::WebError::new(
                crate::error::Front::Api,
                lang,
                crate::error::ErrorKind::Unauthenticated,
            ));
        }
        Ok(self.caller.clone())
    }

    pub fn principal(&self) -> &Principal {
        &self.caller.principal
    }
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(auth) = parts.extensions.get::<Auth>() {
            return Ok(auth.clone());
        }
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        let forwarded = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok());
        let address =
            peer.map(|p| client_address(p, forwarded, &state.trusted_proxies).to_string());
        let mut auth = Auth {
            caller: Caller::new(Principal::Public, address.clone()),
            csrf_token: None,
            session_token: None,
            bad_bearer: false,
            pending: None,
        };
        let bearer = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        if let Some(token) = bearer {
            match state.accounts.bearer(token).await {
                Ok(Some(p)) => auth.caller = Caller::new(p, address),
                Ok(None) => {
                    auth.bad_bearer = true;
                    // An unknown, revoked or disabled account's token: a refused access.
                    let log = stedenband_app::AuditLog::new(stedenband_store::Store::new(
                        state.db.clone(),
                    ));
                    let entry = stedenband_domain::audit::AuditDraft {
                        actor: None,
                        address: address.clone(),
                        action: "token.use".to_owned(),
                        object_kind: Some("page".to_owned()),
                        object_id: Some(
                            parts
                                .extensions
                                .get::<axum::extract::OriginalUri>()
                                .map_or_else(
                                    || parts.uri.path().to_owned(),
                                    |u| u.path().to_owned(),
                                ),
                        ),
                        before: None,
                        after: None,
                        outcome: stedenband_domain::audit::Outcome::Refused,
                    };
                    if let Err(e) = log.append(&entry).await {
                        tracing::error!(error = %e, "could not audit a refused token");
                    }
                }
                Err(e) => {
                    tracing::error!(error = %e, "bearer token lookup failed");
                    auth.bad_bearer = true;
                }
            }
        } else if let Some(token) = cookie(&parts.headers, state.cookies.session_name()) {
            match state.accounts.session(token).await {
                Ok(Some(s)) => {
                    auth.caller = Caller::new(s.principal, address);
                    auth.csrf_token = Some(s.csrf_token);
                    auth.session_token = Some(token.to_owned());
                    if s.stage != SessionStage::Full {
                        auth.pending = Some((s.stage, s.account));
                    }
                }
                Ok(None) => {}
                Err(e) => tracing::error!(error = %e, "session lookup failed"),
            }
        }
        parts.extensions.insert(auth.clone());
        Ok(auth)
    }
}

/// The page a pending session is kept on: the second-factor form, or the set-up of one. Besides
/// it, such a session reaches only the login form, logging out, the stylesheet and the language
/// switch; every other page redirects here, and the API and the health checks treat it as the
/// public (it is `Principal::Public` there).
pub fn pending_page(stage: SessionStage) -> &'static str {
    match stage {
        SessionStage::SecondFactor => "/login/second-factor",
        SessionStage::Enrol | SessionStage::Full => "/account/second-factor",
    }
}

/// Keeps a pending session on the page of its stage (see [`pending_page`]).
pub async fn second_factor_gate(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let (mut parts, body) = request.into_parts();
    let path = parts.uri.path().to_owned();
    let open = path.starts_with("/api/")
        || path.starts_with("/health/")
        || matches!(
            path.as_str(),
            "/login" | "/logout" | "/static/style.css" | "/language"
        );
    if !open && cookie(&parts.headers, state.cookies.session_name()).is_some() {
        let auth = match Auth::from_request_parts(&mut parts, &state).await {
            Ok(a) => a,
            Err(never) => match never {},
        };
        if let Some((stage, _)) = &auth.pending {
            let target = pending_page(*stage);
            if path != target {
                return axum::response::Redirect::to(target).into_response();
            }
        }
    }
    next.run(Request::from_parts(parts, body)).await
}

/// The client's address: the peer, or, when the peer is a trusted reverse proxy, the last
/// address in `X-Forwarded-For` that is not itself a trusted proxy. Without this, every client
/// behind the TLS proxy would share one address (and one login throttle).
pub fn client_address(peer: IpAddr, forwarded_for: Option<&str>, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    forwarded_for
        .into_iter()
        .flat_map(|h| h.rsplit(','))
        .filter_map(|a| a.trim().parse::<IpAddr>().ok())
        .find(|a| !trusted.contains(a))
        .unwrap_or(peer)
}

/// Refuses state-changing requests sent from another site: `Sec-Fetch-Site` must be
/// same-origin (or none: typed by the user), and an `Origin` must be this host. Requests that
/// carry a bearer token have no ambient authority and are not checked.
pub async fn cross_site_guard(request: Request, next: Next) -> Response {
    let method = request.method();
    let safe = matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
    let headers = request.headers();
    if !safe && !headers.contains_key(AUTHORIZATION) {
        let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
        let cross_fetch = fetch_site.is_some_and(|s| s != "same-origin" && s != "none");
        let host = headers.get(HOST).and_then(|v| v.to_str().ok());
        let origin = headers.get(ORIGIN).and_then(|v| v.to_str().ok());
        let foreign_origin = match (origin, host) {
            (Some("null"), _) => true,
            (Some(o), Some(h)) => o.split_once("://").map(|(_, rest)| rest) != Some(h),
            (Some(_), None) => true,
            (None, _) => false,
        };
        if cross_fetch || foreign_origin {
            tracing::warn!(?fetch_site, ?origin, ?host, "cross-site request refused");
            return (StatusCode::FORBIDDEN, "cross-site request refused").into_response();
        }
    }
    next.run(request).await
}

/// Headers that depend on the request: nothing of a logged-in user's pages is cached, and HSTS
/// is sent when the request came over HTTPS (directly or through a proxy that says so).
pub async fn caller_headers(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let personal = request.headers().contains_key(AUTHORIZATION)
        || cookie(request.headers(), state.cookies.session_name()).is_some();
    let https = request.uri().scheme_str() == Some("https")
        || request
            .headers()
            .get("x-forwarded-proto")
            .is_some_and(|v| v == "https");
    let mut res = next.run(request).await;
    if personal {
        res.headers_mut()
            .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if https {
        res.headers_mut().insert(
            axum::http::header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    res
}

#[cfg(test)]
mod tests {
    use super::client_address;
    use std::net::IpAddr;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
        let proxy = [ip("10.0.0.1")];
        // Straight from the client: its own address, whatever it claims.
        assert_eq!(
            client_address(ip("203.0.113.9"), Some("198.51.100.1"), &proxy),
            ip("203.0.113.9")
        );
        // Through the proxy: the address the proxy saw, not one the client slipped in first.
        assert_eq!(
            client_address(ip("10.0.0.1"), Some("198.51.100.1, 203.0.113.9"), &proxy),
            ip("203.0.113.9")
        );
        assert_eq!(client_address(ip("10.0.0.1"), None, &proxy), ip("10.0.0.1"));
        assert_eq!(
            client_address(ip("10.0.0.1"), Some("junk"), &proxy),
            ip("10.0.0.1")
        );
        // No proxies configured: the header is ignored.
        assert_eq!(
            client_address(ip("10.0.0.1"), Some("203.0.113.9"), &[]),
            ip("10.0.0.1")
        );
    }
}
