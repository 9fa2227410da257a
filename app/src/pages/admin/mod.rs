//! Administration: users, groups and desk configuration.

mod desk;
mod home;

pub use home::AdminHome;
