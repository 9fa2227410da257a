//! Server-only services: the one write path (authorize → validate → write + audit + outbox in one
//! transaction), queries, authentication and demo data. Every entry point calls these.

pub mod accounts;
pub mod approvals;
pub mod auth;
pub mod authz;
pub mod reference;
pub mod catalog;
pub mod cmdb;
pub mod config;
pub mod context;
pub mod db;
pub mod demo;
pub mod desk;
pub mod entities;
pub mod generator;
pub mod journal;
pub mod knowledge;
pub mod macros;
pub mod markdown;
pub mod organisations;
pub mod refs;
pub mod search;
pub mod sla;
pub(crate) mod timers;
pub mod tickets;
pub mod users;

pub use context::{AppContext, Settings, WriteTurn};
