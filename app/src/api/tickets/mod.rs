//! Ticket server fns for the portal and the console.

mod add_comment;
mod assign_ticket;
mod assign_to_me;
mod create_ticket;
mod escalate_ticket;
mod get_ticket;
mod link_parent;
mod list_tickets;
mod log_time;
mod mark_duplicate;
mod my_notifications;
mod notify_manager;
mod set_priority;
mod ticket_history;
mod unlink_parent;
mod update_state;

pub use add_comment::*;
pub use assign_ticket::*;
pub use assign_to_me::*;
pub use create_ticket::*;
pub use escalate_ticket::*;
pub use get_ticket::*;
pub use link_parent::*;
pub use list_tickets::*;
pub use log_time::*;
pub use mark_duplicate::*;
pub use my_notifications::*;
pub use notify_manager::*;
pub use set_priority::*;
pub use ticket_history::*;
pub use unlink_parent::*;
pub use update_state::*;
