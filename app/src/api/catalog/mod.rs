//! The service catalog: browsing and ordering (portal), requests and their cancellation,
//! approvals (anyone asked), fulfilment tasks (agents) and the item builder (admins).

mod browse_catalog;
mod cancel_request_item;
mod decide_approval;
mod get_catalog_item;
mod get_item_form;
mod get_request;
mod list_catalog_items;
mod move_task;
mod my_approvals;
mod my_requests;
mod order_item;
mod save_catalog_item;

pub use browse_catalog::*;
pub use cancel_request_item::*;
pub use decide_approval::*;
pub use get_catalog_item::*;
pub use get_item_form::*;
pub use get_request::*;
pub use list_catalog_items::*;
pub use move_task::*;
pub use my_approvals::*;
pub use my_requests::*;
pub use order_item::*;
pub use save_catalog_item::*;
