//! Reusable view pieces: page frame with access guard, form messages, badges.

mod attachments;
mod badges;
mod ci_map;
mod debounce;
mod form;
mod guard;
pub mod keyboard;
pub mod live;
mod requests;
mod sessions;
mod sla;
mod tokens;

pub use attachments::Attachments;
pub use badges::{PriorityBadge, StateBadge};
pub use ci_map::{layout as map_layout, CiMapView};
pub use debounce::debounced;
pub use form::{FieldMessage, FormError};
pub use guard::Guard;
pub use requests::{ApprovalCards, ApprovalInbox, RequestItemCard};
pub use sessions::EndSessionsForm;
pub use sla::SlaPanel;
pub use tokens::TokenTable;

/// Formats an instant for tables (UTC, minute precision).
pub fn when(at: &chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}
