//! Administration: users and groups.

mod home;

pub use home::AdminHome;
