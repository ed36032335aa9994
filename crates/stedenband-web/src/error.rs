//! The web layer's one error type: rendered as an HTML page for the pages and as
//! `application/problem+json` (RFC 9457) for the API. Internal causes are logged, never shown.

use crate::i18n::Lang;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use stedenband_app::{AppError, RuleRefusal};
use stedenband_domain::ValidationErrors;
use utoipa::ToSchema;

/// Which front end the error goes back to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Front {
    Page,
    Api,
}

#[derive(Debug)]
pub enum ErrorKind {
    /// Fields with translation keys.
    Invalid(ValidationErrors),
    NotFound,
    /// Needs a login (pages: go to the login form; API: 401 with `WWW-Authenticate`).
    Unauthenticated,
    /// Logged in, but not allowed.
    Forbidden,
    /// Too many attempts; try again after this many seconds.
    Throttled(u64),
    /// The request could not be read at all (malformed JSON, wrong content type); the text is
    /// safe to show: it describes the client's input, not our internals.
    Malformed(String),
    /// Our fault: logged with its cause, shown as a plain apology.
    Internal(String),
    /// A rule of an adopted decision refuses the change; the answer cites the decision.
    Refused(Box<RuleRefusal>),
}

#[derive(Debug)]
pub struct WebError {
    pub front: Front,
    pub lang: Lang,
    /// The address the error page's language switch returns to.
    pub path: String,
    pub kind: ErrorKind,
}

impl WebError {
    pub fn new(front: Front, lang: Lang, kind: ErrorKind) -> Self {
        Self {
            front,
            lang,
            path: "/".to_owned(),
            kind,
        }
    }

    pub fn from_app(front: Front, lang: Lang, e: AppError) -> Self {
        let kind = match e {
            AppError::Invalid(v) => ErrorKind::Invalid(v),
            AppError::NotFound => ErrorKind::NotFound,
            AppError::Unauthenticated => ErrorKind::Unauthenticated,
            AppError::Forbidden => ErrorKind::Forbidden,
            AppError::Store(s) => ErrorKind::Internal(s.to_string()),
            AppError::Refused(r) => ErrorKind::Refused(r),
            AppError::BadFile(f) => {
                tracing::info!(key = f.key, detail = %f.detail, "file refused");
                ErrorKind::Invalid(stedenband_domain::ValidationErrors::single("file", f.key))
            }
        };
        Self::new(front, lang, kind)
    }

    /// The same error, for a page at `path`.
    pub fn at(mut self, path: &str) -> Self {
        self.path = path.to_owned();
        self
    }

    fn status(&self) -> StatusCode {
        match self.kind {
            ErrorKind::Invalid(_) | ErrorKind::Refused(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::Unauthenticated => StatusCode::UNAUTHORIZED,
            ErrorKind::Forbidden => StatusCode::FORBIDDEN,
            ErrorKind::Throttled(_) => StatusCode::TOO_MANY_REQUESTS,
            ErrorKind::Malformed(_) => StatusCode::BAD_REQUEST,
            ErrorKind::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The problem document for the API.
    pub fn problem(&self) -> Problem {
        let l = self.lang;
        let status = self.status();
        let (type_, title, detail, invalid) = match &self.kind {
            ErrorKind::Invalid(v) => (
                "urn:stedenband:problem:invalid-input",
                l.t("problem-invalid-title"),
                Some(l.t("problem-invalid-detail")),
                v.0.iter()
                    .map(|e| InvalidParam {
                        name: e.field.to_owned(),
                        code: e.key.to_owned(),
                        reason: l.t(e.key),
                    })
                    .collect(),
            ),
            ErrorKind::NotFound => ("about:blank", l.t("problem-not-found-title"), None, vec![]),
            ErrorKind::Unauthenticated => (
                "about:blank",
                l.t("problem-unauthenticated-title"),
                None,
                vec![],
            ),
            ErrorKind::Forbidden => ("about:blank", l.t("problem-forbidden-title"), None, vec![]),
            ErrorKind::Throttled(_) => {
                ("about:blank", l.t("problem-throttled-title"), None, vec![])
            }
            ErrorKind::Malformed(text) => (
                "urn:stedenband:problem:malformed-request",
                l.t("problem-malformed-title"),
                Some(text.clone()),
                vec![],
            ),
            ErrorKind::Internal(_) => ("about:blank", l.t("problem-internal-title"), None, vec![]),
            ErrorKind::Refused(r) => {
                let text = refusal_text(l, r);
                (
                    "urn:stedenband:problem:refused-by-decision",
                    l.t("problem-refused-title"),
                    Some(text.clone()),
                    vec![InvalidParam {
                        name: r.field.to_owned(),
                        code: format!("error-rule-{}", r.rule.as_str()),
                        reason: text,
                    }],
                )
            }
        };
        let decision = match &self.kind {
            ErrorKind::Refused(r) => Some(CitedDecision {
                id: r.decision.id.clone(),
                date: r.decision.date.to_string(),
                reference: r.decision.reference.clone(),
                title: r.decision.title.clone(),
                rule: r.rule.as_str().to_owned(),
            }),
            _ => None,
        };
        Problem {
            type_: type_.to_owned(),
            title,
            status: status.as_u16(),
            detail,
            instance: None,
            invalid_params: invalid,
            decision,
        }
    }
}

/// Attaches the front end and language to a use case's error.
pub trait OrWebError<T> {
    fn or_page(self, ctx: &crate::pages::Ctx) -> Result<T, WebError>;
    fn or_api(self, lang: Lang) -> Result<T, WebError>;
}

impl<T> OrWebError<T> for Result<T, AppError> {
    fn or_page(self, ctx: &crate::pages::Ctx) -> Result<T, WebError> {
        self.map_err(|e| WebError::from_app(Front::Page, ctx.lang, e).at(&ctx.path))
    }

    fn or_api(self, lang: Lang) -> Result<T, WebError> {
        self.map_err(|e| WebError::from_app(Front::Api, lang, e))
    }
}

/// An RFC 9457 problem document, with the Dutch API Design Rules' `invalidParams`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    #[schema(example = "urn:stedenband:problem:invalid-input")]
    pub type_: String,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// For a server error: the code under which the cause was logged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// Every invalid field, by its name in the request.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub invalid_params: Vec<InvalidParam>,
    /// For a change refused by a rule: the decision that imposed the rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision: Option<CitedDecision>,
}

/// The decision a refusal cites.
#[derive(Debug, Serialize, ToSchema)]
pub struct CitedDecision {
    pub id: String,
    /// The day it was taken (YYYY-MM-DD).
    pub date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    pub title: String,
    /// The rule that refuses: `no-new-twinnings`, `subsidy-ends`, ...
    pub rule: String,
}

/// "Refused by the council decision of 8 November 2011 “…” (ref): no new twinnings." in the
/// request's language.
pub fn refusal_text(l: Lang, r: &RuleRefusal) -> String {
    let reference = r
        .decision
        .reference
        .clone()
        .map(|x| format!(" ({x})"))
        .unwrap_or_default();
    l.t_args(
        &format!("error-rule-{}", r.rule.as_str()),
        &[
            ("title", r.decision.title.clone().into()),
            ("date", l.full_date(r.decision.date).into()),
            ("ref", reference.into()),
        ],
    )
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvalidParam {
    /// The field, as named in the request body or query.
    #[schema(example = "country")]
    pub name: String,
    /// A stable code for the rule that failed.
    #[schema(example = "error-country-unknown")]
    pub code: String,
    /// The rule in words, in the language of the request.
    pub reason: String,
}

impl IntoResponse for WebError {
    fn into_response(mut self) -> Response {
        if let ErrorKind::Internal(cause) = &self.kind {
            // The cause goes to the log only; the user gets a code to quote that finds it there.
            let id = stedenband_app::accounts::random_token()[..12].to_owned();
            tracing::error!(error_id = %id, cause = %cause, "request failed");
            self.kind = ErrorKind::Internal(id);
        }
        match self.front {
            Front::Api => {
                let mut problem = self.problem();
                if let ErrorKind::Internal(id) = &self.kind {
                    problem.instance = Some(format!("urn:stedenband:error:{id}"));
                }
                let mut res = (self.status(), axum::Json(problem)).into_response();
                res.headers_mut().insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/problem+json"),
                );
                res.headers_mut().insert(
                    crate::API_VERSION.0,
                    HeaderValue::from_static(crate::API_VERSION.1),
                );
                if matches!(self.kind, ErrorKind::Unauthenticated) {
                    res.headers_mut()
                        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
                }
                if let ErrorKind::Throttled(secs) = self.kind {
                    res.headers_mut()
                        .insert(header::RETRY_AFTER, HeaderValue::from(secs));
                }
                res
            }
            Front::Page => {
                crate::pages::error_page(self.lang, &self.path, self.status(), &self.kind)
            }
        }
    }
}
