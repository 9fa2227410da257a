//! People: roles, credentials and the acting principal.

use super::field::bounded_text;
use super::FieldError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// What a user may do. Checked in the service layer on every write and read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Role {
    /// Raises and follows their own tickets in the portal.
    Requester,
    /// Works tickets in the console.
    Agent,
    /// Configures the desk; can also work tickets.
    Admin,
}

impl Role {
    /// All roles.
    pub const ALL: [Self; 3] = [Self::Requester, Self::Agent, Self::Admin];

    /// Stable storage/API code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Requester => "requester",
            Self::Agent => "agent",
            Self::Admin => "admin",
        }
    }

    /// Parses a storage/API code.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        Self::ALL.into_iter().find(|r| r.code() == raw.trim()).ok_or_else(|| {
            FieldError::new("role", format!("Unknown role '{raw}': use requester, agent or admin"))
        })
    }

    /// Label for people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Requester => "Requester",
            Self::Agent => "Agent",
            Self::Admin => "Admin",
        }
    }

    /// Whether this role works tickets (console access).
    pub fn is_staff(self) -> bool {
        matches!(self, Self::Agent | Self::Admin)
    }

    /// Where this role lands after signing in.
    pub fn home_path(self) -> &'static str {
        match self {
            Self::Requester => "/portal",
            Self::Agent => "/console",
            Self::Admin => "/admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Login name: 3–64 characters of `a-z 0-9 . _ -`, stored lower-case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Username(String);

impl Username {
    /// Validates and normalises a login name.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let v = bounded_text("username", "Username", raw, 3, 64)?.to_ascii_lowercase();
        if !v.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')) {
            return Err(FieldError::new(
                "username",
                "Username may only contain letters, digits, '.', '_' and '-'",
            ));
        }
        Ok(Self(v))
    }

    /// The normalised name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Name shown to others: 1–100 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisplayName(String);

impl DisplayName {
    /// Validates a display name.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        bounded_text("display_name", "Name", raw, 1, 100).map(Self)
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// E-mail address: a pragmatic shape check (one `@`, a dot in the domain, no spaces).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    /// Validates an address and lower-cases it.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let v = bounded_text("email", "E-mail", raw, 3, 254)?.to_ascii_lowercase();
        let bad = || FieldError::new("email", format!("'{v}' is not an e-mail address"));
        let (local, domain) = v.split_once('@').ok_or_else(bad)?;
        if local.is_empty()
            || domain.contains('@')
            || !domain.contains('.')
            || domain.starts_with('.')
            || domain.ends_with('.')
            || v.chars().any(char::is_whitespace)
        {
            return Err(bad());
        }
        Ok(Self(v))
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password: 8–128 characters. Never stored; only its argon2 hash is.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

impl Password {
    /// Checks the password policy.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let len = raw.chars().count();
        if len < 8 {
            return Err(FieldError::new("password", "Password must be at least 8 characters"));
        }
        if len > 128 {
            return Err(FieldError::new("password", "Password must be at most 128 characters"));
        }
        Ok(Self(raw.to_string()))
    }

    /// The clear text, for hashing only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Who is acting: the signed-in user (session cookie or API token), with role and groups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Actor {
    /// User id.
    pub user_id: i64,
    /// Login name.
    pub username: String,
    /// Name shown to others.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Assignment groups the user belongs to.
    pub group_ids: Vec<i64>,
    /// The organisation the user belongs to, if any.
    #[serde(default)]
    pub organisation_id: Option<i64>,
}

impl Actor {
    /// Whether the actor works tickets.
    pub fn is_staff(&self) -> bool {
        self.role.is_staff()
    }

    /// Whether the actor administers the desk.
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn username_rules() {
        assert_eq!(Username::parse(" Alice.Smith ").unwrap().as_str(), "alice.smith");
        assert!(Username::parse("ab").is_err());
        assert!(Username::parse("bad name").is_err());
        assert!(Username::parse("x;drop").is_err());
    }

    #[test]
    fn email_rules() {
        assert_eq!(Email::parse("Bob@Example.com").unwrap().as_str(), "bob@example.com");
        for bad in ["bob", "bob@", "@x.com", "bob@x", "a b@x.com", "a@b@c.com", "a@.com"] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn password_policy_and_redaction() {
        assert!(Password::parse("short").is_err());
        let p = Password::parse("correct horse").unwrap();
        assert_eq!(format!("{p:?}"), "Password(***)");
    }

    #[test]
    fn roles() {
        assert!(Role::parse("root").is_err());
        assert!(!Role::Requester.is_staff());
        assert!(Role::Admin.is_staff());
        assert_eq!(Role::Agent.home_path(), "/console");
    }
}
