//! Account hygiene server fns: your own password, tokens and sessions (`/account`), and an
//! admin's deactivation, password reset, session and token revocation (`/admin/users/:id`).

mod account_overview;
mod change_password;
mod reset_password;
mod revoke_sessions;
mod revoke_token;
mod set_user_active;

pub use account_overview::*;
pub use change_password::*;
pub use reset_password::*;
pub use revoke_sessions::*;
pub use revoke_token::*;
pub use set_user_active::*;
