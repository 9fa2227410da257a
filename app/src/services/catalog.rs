//! Reference data: business services, categories and assignment groups.

use super::entities::{assignment_group, category, service};
use crate::error::AppError;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};

/// Creates a business service (setup/demo data).
pub async fn create_service(db: &impl ConnectionTrait, name: &str, description: &str) -> Result<i64, AppError> {
    let row = service::ActiveModel {
        name: Set(name.to_string()),
        description: Set(description.to_string()),
        ..Default::default()
    }
    .insert(db)
    .await?;
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
