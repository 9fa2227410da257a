//! CMDB server fns: configuration items, their relationships, impact and map for the console.

mod add_relationship;
mod apply_import;
mod get_ci;
mod get_impact;
mod get_import;
mod get_map;
mod list_cis;
mod list_relationships;
mod remove_relationship;
mod save_ci;

pub use add_relationship::*;
pub use apply_import::*;
pub use get_ci::*;
pub use get_impact::*;
pub use get_import::*;
pub use get_map::*;
pub use list_cis::*;
pub use list_relationships::*;
pub use remove_relationship::*;
pub use save_ci::*;
