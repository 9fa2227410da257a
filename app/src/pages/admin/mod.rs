//! Administration: users, groups and desk configuration.

mod desk;
mod home;
mod knowledge;
mod macros;
mod organisations;
mod sla;
mod users;

pub use home::AdminHome;
pub use knowledge::AdminKnowledge;
pub use sla::AdminSla;
pub use users::AdminUser;
