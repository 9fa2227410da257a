//! CMDB server fns: configuration items for the console.

mod get_ci;
mod list_cis;
mod save_ci;

pub use get_ci::*;
pub use list_cis::*;
pub use save_ci::*;
