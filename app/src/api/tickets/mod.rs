//! Ticket server fns for the portal and the console.

mod add_comment;
mod assign_to_me;
mod create_ticket;
mod get_ticket;
mod list_tickets;
mod resolve_ticket;
mod ticket_history;

pub use add_comment::*;
pub use assign_to_me::*;
pub use create_ticket::*;
pub use get_ticket::*;
pub use list_tickets::*;
pub use resolve_ticket::*;
pub use ticket_history::*;
