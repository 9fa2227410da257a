//! `/api/v1/kb`: knowledge search, articles and their lifecycle, votes, deflection figures.

use super::{body, ApiActor, ApiError, ErrorResponse};
use crate::ServerState;
use app::dto::{ArticleSummary, ArticleView, DeflectionRow, ImportReport, SearchResults};
use app::services::knowledge::{self, ArticleFilter, ArticleInput};
use app::AppError;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

fn query<T>(q: Result<Query<T>, QueryRejection>) -> Result<T, ApiError> {
    q.map(|Query(v)| v).map_err(|e| ApiError(AppError::BadRequest(e.body_text())))
}

/// Query of a knowledge search.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Words and `"phrases"`.
    #[serde(default)]
    pub q: String,
    /// Results wanted (1–50, default 10).
    #[param(minimum = 1, maximum = 50)]
    pub limit: Option<usize>,
    /// Only this category.
    pub category: Option<String>,
}

/// Search knowledge articles and catalog items (requesters only ever get public ones).
#[utoipa::path(get, path = "/api/v1/kb/search", params(SearchParams),
    responses((status = 200, body = SearchResults), (status = 422, body = ErrorResponse)))]
pub async fn search(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Result<Json<SearchResults>, ApiError> {
    let p = query(params)?;
    if p.limit.is_some_and(|l| l == 0 || l > 50) {
        return Err(AppError::field("limit", "Between 1 and 50").into());
    }
    Ok(Json(knowledge::search(&state.ctx, &actor, &p.q, p.category, p.limit.unwrap_or(10))?))
}

/// Query of the article list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// State code: `draft`, `in_review`, `published` or `retired` (empty: any).
    #[param(pattern = "^(draft|in_review|published|retired)?$")]
    pub state: Option<String>,
    /// Only mine.
    #[serde(default)]
    pub mine: bool,
    /// Only published articles past their review date.
    #[serde(default)]
    pub stale: bool,
    /// Words in the title.
    pub q: Option<String>,
}

/// Articles for staff.
#[utoipa::path(get, path = "/api/v1/kb/articles", params(ListParams),
    responses((status = 200, body = Vec<ArticleSummary>), (status = 403, body = ErrorResponse), (status = 422, body = ErrorResponse)))]
pub async fn list(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    params: Result<Query<ListParams>, QueryRejection>,
) -> Result<Json<Vec<ArticleSummary>>, ApiError> {
    let p = query(params)?;
    let filter = ArticleFilter { state: p.state, mine: p.mine, stale: p.stale, q: p.q };
    Ok(Json(knowledge::list_articles(&state.ctx, &actor, filter).await?))
}

/// Body of article create/update.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ArticleRequest {
    /// Title (3–200).
    #[serde(default)]
    pub title: String,
    /// Markdown body.
    #[serde(default)]
    pub body: String,
    /// Category id.
    pub category_id: Option<i64>,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// `public` (default) or `agents`.
    #[serde(default)]
    pub audience: String,
    /// Review date `YYYY-MM-DD`.
    pub review_by: Option<String>,
    /// Revision note.
    pub note: Option<String>,
    /// The version you read (refused with 409 if it changed since).
    pub version: Option<i32>,
}

impl From<ArticleRequest> for ArticleInput {
    fn from(r: ArticleRequest) -> Self {
        ArticleInput {
            title: r.title,
            body: r.body,
            category_id: r.category_id,
            tags: r.tags.join(","),
            audience: r.audience,
            review_by: r.review_by,
            note: r.note,
            expected_version: r.version,
        }
    }
}

/// Write a draft article.
#[utoipa::path(post, path = "/api/v1/kb/articles", request_body = ArticleRequest,
    responses((status = 201, body = ArticleView), (status = 422, body = ErrorResponse)))]
pub async fn create(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    json: Result<Json<ArticleRequest>, JsonRejection>,
) -> Result<(StatusCode, Json<ArticleView>), ApiError> {
    let input = body(json)?.into();
    Ok((StatusCode::CREATED, Json(knowledge::create_article(&state.ctx, &actor, input).await?)))
}

/// One article (`KB-000042` or id).
#[utoipa::path(get, path = "/api/v1/kb/articles/{number}", params(("number" = String, Path, description = "KB-000042")),
    responses((status = 200, body = ArticleView), (status = 404, body = ErrorResponse)))]
pub async fn get_one(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    Path(number): Path<String>,
) -> Result<Json<ArticleView>, ApiError> {
    Ok(Json(knowledge::get_article(&state.ctx, &actor, &number).await?))
}

/// Save a new revision.
#[utoipa::path(put, path = "/api/v1/kb/articles/{number}", request_body = ArticleRequest, params(("number" = String, Path, description = "KB-000042")),
    responses((status = 200, body = ArticleView), (status = 409, body = ErrorResponse), (status = 422, body = ErrorResponse)))]
pub async fn update(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    Path(number): Path<String>,
    json: Result<Json<ArticleRequest>, JsonRejection>,
) -> Result<Json<ArticleView>, ApiError> {
    let input = body(json)?.into();
    Ok(Json(knowledge::update_article(&state.ctx, &actor, &number, input).await?))
}

/// Body of a lifecycle step.
#[derive(Debug, Deserialize, ToSchema)]
pub struct StateRequest {
    /// `draft`, `in_review`, `published` or `retired`.
    #[serde(default)]
    pub state: String,
    /// The version you read.
    pub version: Option<i32>,
}

/// Move an article through its lifecycle (publishing and retiring need a knowledge manager).
#[utoipa::path(post, path = "/api/v1/kb/articles/{number}/state", request_body = StateRequest, params(("number" = String, Path, description = "KB-000042")),
    responses((status = 200, body = ArticleView), (status = 403, body = ErrorResponse), (status = 422, body = ErrorResponse)))]
pub async fn change_state(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    Path(number): Path<String>,
    json: Result<Json<StateRequest>, JsonRejection>,
) -> Result<Json<ArticleView>, ApiError> {
    let r = body(json)?;
    Ok(Json(knowledge::change_state(&state.ctx, &actor, &number, &r.state, r.version).await?))
}

/// Body of a vote.
#[derive(Debug, Deserialize, ToSchema)]
pub struct VoteRequest {
    /// Helpful or not.
    pub helpful: bool,
    /// Optional comment.
    pub comment: Option<String>,
}

/// Vote an article helpful or not (one vote per user; voting again replaces it).
#[utoipa::path(post, path = "/api/v1/kb/articles/{number}/votes", request_body = VoteRequest, params(("number" = String, Path, description = "KB-000042")),
    responses((status = 200, body = ArticleView), (status = 422, body = ErrorResponse)))]
pub async fn vote(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    Path(number): Path<String>,
    json: Result<Json<VoteRequest>, JsonRejection>,
) -> Result<Json<ArticleView>, ApiError> {
    let r = body(json)?;
    Ok(Json(knowledge::vote(&state.ctx, &actor, &number, r.helpful, r.comment.as_deref()).await?))
}

/// Query of the deflection report.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodParams {
    /// First day `YYYY-MM-DD` (default 30 days before `to`).
    #[param(format = Date)]
    pub from: Option<String>,
    /// Day after the last `YYYY-MM-DD` (default tomorrow); after `from`.
    #[param(format = Date)]
    pub to: Option<String>,
}

/// Deflection rate per category (first row: all categories).
#[utoipa::path(get, path = "/api/v1/kb/deflection", params(PeriodParams), responses((status = 200, body = Vec<DeflectionRow>), (status = 422, body = ErrorResponse)))]
pub async fn deflection(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    params: Result<Query<PeriodParams>, QueryRejection>,
) -> Result<Json<Vec<DeflectionRow>>, ApiError> {
    let p = query(params)?;
    let (from, to) = knowledge::period(p.from.as_deref(), p.to.as_deref())?;
    Ok(Json(knowledge::deflection_report(&state.ctx, &actor, from, to).await?))
}

/// Import JSON lines (`{title, body, category?, tags?, audience?}` per line) as published
/// articles (admins). The body is the file itself.
#[utoipa::path(post, path = "/api/v1/kb/import", request_body(content = String, content_type = "application/x-ndjson"),
    responses((status = 200, body = ImportReport), (status = 403, body = ErrorResponse), (status = 422, body = ErrorResponse)))]
pub async fn import(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    text: Result<String, axum::extract::rejection::StringRejection>,
) -> Result<Json<ImportReport>, ApiError> {
    let text = text.map_err(|e| match e.status() {
        StatusCode::PAYLOAD_TOO_LARGE => AppError::PayloadTooLarge,
        _ => AppError::BadRequest(e.body_text()),
    })?;
    if text.trim().is_empty() {
        return Err(AppError::field("body", "Send one JSON article per line").into());
    }
    Ok(Json(knowledge::import_articles(&state.ctx, &actor, &text, true, |_| {}).await?))
}
