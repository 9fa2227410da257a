//! The service catalog: what requesters may order, the forms they fill in to order it
//! ([`form`]), and the lifecycle of what they ordered and of its fulfilment tasks ([`request`]).
//! Approvals use the shared engine in [`super::approval`].

pub mod builder;
pub mod form;
pub mod item;
pub mod request;

pub use form::{Answer, Answers, Condition, FieldKind, FieldState, FormDefinition, FormField, RawAnswers};
pub use request::{item_from_tasks, request_from_items, tasks_to_open, ItemState, TaskState, TaskStep};
pub use item::{check_stages, check_tasks, item_phase, task_phase, Approvers, ItemAudience, StageTemplate, TaskTemplate};
