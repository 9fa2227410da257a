//! Administration server fns.

mod create_user;
mod list_groups;
mod list_users;

pub use create_user::*;
pub use list_groups::*;
pub use list_users::*;
