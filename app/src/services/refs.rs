//! Checks that the rows a form refers to exist, failing as a field error shown beside the field.

use crate::error::AppError;
use sea_orm::{ConnectionTrait, EntityTrait, PrimaryKeyTrait};

/// Fails with a 422 on `field` ("Unknown {what}") unless `id` names a row of `E`; `None` passes.
pub async fn require_exists<E>(db: &impl ConnectionTrait, field: &str, what: &str, id: Option<i64>) -> Result<(), AppError>
where
    E: EntityTrait,
    i64: Into<<E::PrimaryKey as PrimaryKeyTrait>::ValueType>,
{
    match id {
        Some(id) if E::find_by_id(id).one(db).await?.is_none() => Err(AppError::field(field, format!("Unknown {what}"))),
        _ => Ok(()),
    }
}
