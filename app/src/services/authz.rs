//! Role checks every service runs before reading or changing anything.

use crate::domain::Actor;
use crate::error::AppError;

/// Agents and admins only.
pub fn require_staff(actor: &Actor) -> Result<(), AppError> {
    if actor.is_staff() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Admins only.
pub fn require_admin(actor: &Actor) -> Result<(), AppError> {
    if actor.is_admin() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}
