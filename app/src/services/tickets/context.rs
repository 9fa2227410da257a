//! The context beside a ticket in the console: the requester's recent tickets, recent incidents
//! on the same service, the affected CI's history, the business services it impacts and open
//! incidents on CIs near it, similar past tickets (full-text match on the search index) and
//! knowledge articles.

use super::{find_visible, ticket_refs};
use crate::domain::Actor;
use crate::dto::{NearbyIncident, TicketContextView, TicketRef};
use crate::error::AppError;
use crate::services::authz::require_staff;
use crate::services::entities::ticket;
use crate::services::AppContext;
use chrono::{Duration, Utc};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

const RECENT: u64 = 5;

/// Context for ticket `key` (agents only).
pub async fn context(ctx: &AppContext, actor: &Actor, key: &str) -> Result<TicketContextView, AppError> {
    require_staff(actor)?;
    let t = find_visible(&ctx.db, actor, key).await?;
    let requester_recent = recent(ctx, actor, &t, Condition::all().add(ticket::Column::RequesterId.eq(t.requester_id)), ticket::Column::UpdatedAt).await?;
    let service_recent = match t.service_id {
        Some(service) => {
            let since = Utc::now() - Duration::days(30);
            recent(ctx, actor, &t, Condition::all().add(ticket::Column::ServiceId.eq(service)).add(ticket::Column::CreatedAt.gte(since)), ticket::Column::CreatedAt).await?
        }
        None => Vec::new(),
    };
    let ci_recent = match t.ci_id {
        Some(ci) => recent(ctx, actor, &t, Condition::all().add(ticket::Column::CiId.eq(ci)), ticket::Column::UpdatedAt).await?,
        None => Vec::new(),
    };
    let text = format!("{} {}", t.title, t.description);
    let similar = ids_to_refs(ctx, actor, ctx.search.similar_tickets(&text, Some(t.id), RECENT as usize)?).await?;
    let articles = ctx.search.suggest(&text, false, 3)?;
    let (impacted_services, nearby_incidents) = match t.ci_id {
        Some(ci) => {
            let (services, near) = crate::services::cmdb::impact::ticket_neighbourhood(&ctx.db, ci).await?;
            let mut refs = ticket_refs(&ctx.db, actor, near.iter().map(|(_, id)| *id).filter(|id| *id != t.id).collect()).await?;
            let near = near.into_iter().filter_map(|(ci, id)| Some(NearbyIncident { ticket: refs.remove(&id)?, ci })).take(10).collect();
            (services, near)
        }
        None => (Vec::new(), Vec::new()),
    };
    Ok(TicketContextView { requester_recent, service_recent, ci_recent, similar, articles, impacted_services, nearby_incidents })
}

/// The tickets matching `cond` other than `t`, latest by `newest` first (a column the matching
/// index ends with: the requester's and a CI's by last update, a service's by creation).
async fn recent(ctx: &AppContext, actor: &Actor, t: &ticket::Model, cond: Condition, newest: ticket::Column) -> Result<Vec<TicketRef>, AppError> {
    let rows = ticket::Entity::find()
        .filter(cond.add(ticket::Column::Id.ne(t.id)))
        .order_by_desc(newest)
        .limit(RECENT)
        .all(&ctx.db)
        .await?;
    ids_to_refs(ctx, actor, rows.into_iter().map(|r| r.id).collect()).await
}

async fn ids_to_refs(ctx: &AppContext, actor: &Actor, ids: Vec<i64>) -> Result<Vec<TicketRef>, AppError> {
    let mut refs = ticket_refs(&ctx.db, actor, ids.clone()).await?;
    Ok(ids.into_iter().filter_map(|id| refs.remove(&id)).collect())
}
