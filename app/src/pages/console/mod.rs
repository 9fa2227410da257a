//! Agent console: the queue and the ticket workspace.

mod panels;
mod queue;
mod ticket;

pub use queue::Queue;
pub use ticket::ConsoleTicket;
