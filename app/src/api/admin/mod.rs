//! Administration server fns.

mod create_user;
mod list_groups;
mod list_organisations;
mod list_users;
mod save_calendar;
mod save_category;
mod save_group;
mod save_macro;
mod save_matrix;
mod save_organisation;
mod save_policy;
mod save_resolution_code;
mod save_settings;
mod set_user_organisation;
mod sla_compliance;
mod sla_setup;

pub use create_user::*;
pub use list_groups::*;
pub use list_organisations::*;
pub use list_users::*;
pub use save_calendar::*;
pub use save_category::*;
pub use save_group::*;
pub use save_macro::*;
pub use save_matrix::*;
pub use save_organisation::*;
pub use save_policy::*;
pub use save_resolution_code::*;
pub use save_settings::*;
pub use set_user_organisation::*;
pub use sla_compliance::*;
pub use sla_setup::*;
