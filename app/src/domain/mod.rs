//! Pure ITSM rules and value types. No I/O: compiled for the server and the browser.

/// An enum of stable codes with labels: `ALL`, `parse` (a code or a label, case, spaces and dashes
/// ignored; the error names `$field`), `code` and `label`. Used by the CMDB and catalog types.
macro_rules! code_enum {
    ($(#[$doc:meta])* $name:ident, $field:literal, $what:literal, $cap:literal { $($(#[$vdoc:meta])* $variant:ident = $code:literal, $label:literal;)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        #[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// Parses a code (`network_device`) or a label (`Network device`), ignoring case.
            pub fn parse(raw: &str) -> Result<Self, $crate::domain::FieldError> {
                let key = raw.trim().to_lowercase().replace([' ', '-'], "_");
                if key.is_empty() {
                    return Err($crate::domain::FieldError::new($field, concat!($cap, " is required")));
                }
                Self::ALL.iter().copied().find(|v| v.code() == key).ok_or_else(|| {
                    let codes: Vec<&str> = Self::ALL.iter().map(|v| v.code()).collect();
                    $crate::domain::FieldError::new($field, format!(concat!("Unknown ", $what, " '{}': use {}"), raw.trim(), codes.join(", ")))
                })
            }

            /// Stable storage/API code.
            pub fn code(self) -> &'static str {
                match self { $(Self::$variant => $code),+ }
            }

            /// Label for people.
            pub fn label(self) -> &'static str {
                match self { $(Self::$variant => $label),+ }
            }
        }
    };
}

pub mod approval;
pub mod calendar;
pub mod catalog;
pub mod cmdb;
pub mod field;
pub mod incident;
pub mod knowledge;
pub mod sla;
pub mod priority;
pub mod problem;
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
