//! Knowledge base: search, deflection, articles and their lifecycle, votes, history, import.

mod article_diff;
mod article_from_ticket;
mod article_revisions;
mod change_article_state;
mod deflection_report;
mod get_article;
mod import_articles;
mod list_articles;
mod record_deflection;
mod related_articles;
mod save_article;
mod search_kb;
mod suggest_articles;
mod vote_article;

pub use article_diff::*;
pub use article_from_ticket::*;
pub use article_revisions::*;
pub use change_article_state::*;
pub use deflection_report::*;
pub use get_article::*;
pub use import_articles::*;
pub use list_articles::*;
pub use record_deflection::*;
pub use related_articles::*;
pub use save_article::*;
pub use search_kb::*;
pub use suggest_articles::*;
pub use vote_article::*;
