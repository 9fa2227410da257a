//! Self-service portal for requesters: raise an incident, follow "My tickets".

mod home;
mod ticket;

pub use home::PortalHome;
pub use ticket::PortalTicket;
