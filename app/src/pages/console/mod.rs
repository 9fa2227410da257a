//! Agent console: the queue, the ticket workspace, knowledge authoring and the CMDB.

mod cmdb;
mod fulfilment;
mod approvals;
mod knowledge;
mod panels;
mod queue;
mod ticket;

pub use cmdb::{CmdbItem, CmdbList, CmdbMap};
pub(crate) use cmdb::{end_date, CiLink};
pub use knowledge::{KnowledgeEdit, KnowledgeList, KnowledgeNew};
pub use approvals::ConsoleApprovals;
pub use queue::Queue;
pub use ticket::ConsoleTicket;
