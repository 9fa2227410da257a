//! Self-service portal for requesters: search knowledge, raise an incident (with suggested
//! articles), follow "My tickets".

mod home;
mod knowledge;
mod ticket;

pub use home::PortalHome;
pub use knowledge::{HitList, KnowledgeArticle, KnowledgeSearch};
pub use ticket::PortalTicket;
