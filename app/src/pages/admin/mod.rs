//! Administration: users, groups and desk configuration.

mod catalog;
mod cmdb;
mod desk;
mod home;
mod knowledge;
mod licences;
mod macros;
mod organisations;
mod sla;
mod users;

pub use catalog::{AdminCatalog, AdminCatalogItem};
pub use cmdb::{AdminCmdb, AdminCmdbImport};
pub use home::AdminHome;
pub use knowledge::AdminKnowledge;
pub use licences::{AdminLicence, AdminLicences};
pub use sla::AdminSla;
pub use users::AdminUser;
