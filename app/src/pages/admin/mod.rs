//! Administration: users, groups and desk configuration.

mod desk;
mod home;
mod sla;

pub use home::AdminHome;
pub use sla::AdminSla;
