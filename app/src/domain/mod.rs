//! Pure ITSM rules and value types. No I/O: compiled for the server and the browser.

pub mod approval;
pub mod calendar;
pub mod catalog;
pub mod cmdb;
pub mod field;
pub mod incident;
pub mod knowledge;
pub mod sla;
pub mod priority;
pub mod ticket;
pub mod url;
pub mod user;

pub use cmdb::{CiClass, CiName, CiStatus};
pub use field::FieldError;
pub use knowledge::{ArticleBody, ArticleNumber, ArticleState, ArticleTitle, Audience, Tags};
pub use incident::{DeskSettings, LinkKind, Minutes, OnHoldReason, ReplyEffect};
pub use priority::{Impact, Priority, PriorityMatrix, Urgency};
pub use ticket::{
    CommentBody, Description, ResolutionCode, TicketNumber, TicketState, TicketType, Title,
};
pub use user::{Actor, DisplayName, Email, Password, Role, Username};
