//! Server functions: thin wrappers (context → actor → service → DTO/error), one per file,
//! grouped by concept. Called by the pages; the REST API calls the same services.

pub mod accounts;
pub mod admin;
pub mod auth;
pub mod catalog;
pub mod cmdb;
pub mod desk;
pub mod knowledge;
pub mod tickets;

#[cfg(feature = "ssr")]
pub mod support;
