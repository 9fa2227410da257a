//! Self-service portal for requesters: search knowledge, raise an incident (with suggested
//! articles), follow "My tickets"; order from the catalog, follow "My requests", answer
//! approvals.

mod catalog;
mod home;
mod knowledge;
mod requests;
mod ticket;

pub use catalog::{CatalogCard, OrderForm, PortalCatalog, PortalCatalogItem};
pub use home::PortalHome;
pub use knowledge::{HitList, KnowledgeArticle, KnowledgeSearch};
pub use requests::{PortalApprovals, PortalRequest, PortalRequests};
pub use ticket::PortalTicket;
