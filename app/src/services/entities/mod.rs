//! SeaORM entities, one per table (schema lives in the `migrations` crate).

pub mod api_token;
pub mod app_user;
pub mod assignment_group;
pub mod audit_entry;
pub mod category;
pub mod group_member;
pub mod outbox_event;
pub mod service;
pub mod ticket;
pub mod ticket_comment;
pub mod ticket_number_seq;
pub mod user_session;
