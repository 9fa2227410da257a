//! SeaORM entities, one per table (schema lives in the `migrations` crate).

pub mod api_token;
pub mod app_user;
pub mod assignment_group;
pub mod attachment;
pub mod audit_entry;
pub mod category;
pub mod desk_setting;
pub mod group_member;
pub mod kb_article;
pub mod kb_deflection;
pub mod kb_revision;
pub mod kb_vote;
pub mod notification;
pub mod outbox_event;
pub mod priority_matrix_cell;
pub mod resolution_code;
pub mod service;
pub mod sla_calendar;
pub mod sla_policy;
pub mod sla_timer;
pub mod ticket;
pub mod ticket_comment;
pub mod ticket_link;
pub mod ticket_number_seq;
pub mod time_entry;
pub mod user_session;
