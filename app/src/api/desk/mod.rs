//! Desk configuration and people lists used by ticket forms.

mod desk_config;
mod list_agents;
mod list_catalog;

pub use desk_config::*;
pub use list_agents::*;
pub use list_catalog::*;
