//! Reference data: business services, categories and assignment groups.

use super::authz::require_admin;
use super::entities::{assignment_group, category, service};
use crate::error::AppError;
use sea_orm::{DatabaseTransaction, ActiveModelTrait, ConnectionTrait, Set};

/// Creates a business service (setup/demo data).
pub async fn create_service(txn: &DatabaseTransaction, name: &str, description: &str) -> Result<i64, AppError> {
    let row = service::ActiveModel {
        name: Set(name.to_string()),
        description: Set(description.to_string()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    super::journal::append_event(txn, "service.created", "service", row.id, serde_json::json!({ "name": row.name })).await?;
    Ok(row.id)
}

/// Creates a category, optionally under a service (setup/demo data).
pub async fn create_category(db: &impl ConnectionTrait, name: &str, service_id: Option<i64>) -> Result<i64, AppError> {
    let row = category::ActiveModel { name: Set(name.to_string()), service_id: Set(service_id), ..Default::default() }
        .insert(db)
        .await?;
    Ok(row.id)
}

/// Creates an assignment group at a support tier (setup/demo data).
pub async fn create_group(db: &impl ConnectionTrait, name: &str, description: &str, tier: i16) -> Result<i64, AppError> {
    let row = assignment_group::ActiveModel {
        name: Set(name.to_string()),
        description: Set(description.to_string()),
        tier: Set(tier),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(row.id)
}

/// Business services and categories for forms (any signed-in user).
pub async fn list_catalog(ctx: &super::AppContext) -> Result<(Vec<crate::dto::ServiceView>, Vec<crate::dto::CategoryView>), AppError> {
    use sea_orm::{EntityTrait, QueryOrder};
    let services = service::Entity::find().order_by_asc(service::Column::Name).all(&ctx.db).await?;
    let categories = category::Entity::find().order_by_asc(category::Column::Name).all(&ctx.db).await?;
    let name_of = |id: Option<i64>| id.and_then(|i| services.iter().find(|s| s.id == i).map(|s| s.name.clone()));
    let categories = categories
        .into_iter()
        .map(|c| crate::dto::CategoryView { id: c.id, service_name: name_of(c.service_id), name: c.name })
        .collect();
    Ok((services.into_iter().map(|s| crate::dto::ServiceView { id: s.id, name: s.name }).collect(), categories))
}

/// Adds a category, optionally under a business service (admins only; audited).
pub async fn save_category(
    ctx: &super::AppContext,
    actor: &crate::domain::Actor,
    name: &str,
    service_id: Option<i64>,
) -> Result<crate::dto::CategoryView, AppError> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    require_admin(actor)?;
    let name = crate::domain::field::bounded_text("name", "Category name", name, 2, 100)?;
    let (_w, txn) = ctx.begin_write().await?;
    if category::Entity::find().filter(category::Column::Name.eq(name.as_str())).one(&txn).await?.is_some() {
        return Err(AppError::field("name", format!("A category named '{name}' already exists")));
    }
    let service_name = match service_id {
        Some(id) => Some(service::Entity::find_by_id(id).one(&txn).await?.ok_or_else(|| AppError::field("service_id", "Unknown service"))?.name),
        None => None,
    };
    let id = create_category(&txn, &name, service_id).await?;
    super::journal::audit(
        &txn,
        super::journal::AuditLine {
            entity_type: "category",
            entity_id: id,
            actor_id: Some(actor.user_id),
            action: "created",
            field: Some("name"),
            old_value: None,
            new_value: Some(name.clone()),
            at: chrono::Utc::now(),
        },
    )
    .await?;
    let seq = super::journal::append_event(&txn, "category.created", "category", id, serde_json::json!({ "name": name })).await?;
    txn.commit().await?;
    ctx.notify_committed(seq);
    Ok(crate::dto::CategoryView { id, name, service_name })
}
