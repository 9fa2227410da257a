//! CMDB server fns: configuration items, their relationships, impact and map for the console;
//! asset records, software licences and the expiry report.

mod add_installation;
mod add_relationship;
mod apply_import;
mod get_asset_report;
mod get_ci;
mod get_impact;
mod get_import;
mod get_licence;
mod get_map;
mod list_cis;
mod list_licences;
mod list_relationships;
mod remove_installation;
mod remove_relationship;
mod save_asset;
mod save_ci;
mod save_licence;

pub use add_installation::*;
pub use add_relationship::*;
pub use apply_import::*;
pub use get_asset_report::*;
pub use get_ci::*;
pub use get_impact::*;
pub use get_import::*;
pub use get_licence::*;
pub use get_map::*;
pub use list_cis::*;
pub use list_licences::*;
pub use list_relationships::*;
pub use remove_installation::*;
pub use remove_relationship::*;
pub use save_asset::*;
pub use save_ci::*;
pub use save_licence::*;
