//! Agent console: the queue, the ticket workspace and knowledge authoring.

mod knowledge;
mod panels;
mod queue;
mod ticket;

pub use knowledge::{KnowledgeEdit, KnowledgeList, KnowledgeNew};
pub use queue::Queue;
pub use ticket::ConsoleTicket;
