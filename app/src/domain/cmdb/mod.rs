//! Configuration items: names, classes and lifecycle status; the relationships between them
//! ([`relationship`]), what a failure reaches through them ([`impact`]), and the asset and licence
//! records kept beside them ([`asset`]).

pub mod impact;
pub mod relationship;

pub use impact::{Edge, Impact, ImpactGraph, Reached};
pub use relationship::{RelationshipKind, RelationshipType};

use super::FieldError;

/// A CI's unique name, e.g. `PBX-0042` or `mail-gw-01.lyon`: 2–80 characters of letters,
/// digits and `-`, `_`, `.`, `/`, `:` or spaces, starting with a letter or digit. Kept as typed;
/// uniqueness ignores case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CiName(String);

impl CiName {
    /// Trims and checks a CI name.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let name = raw.trim();
        let field = |m: &str| FieldError::new("name", m);
        if name.is_empty() {
            return Err(field("Name is required"));
        }
        let len = name.chars().count();
        if !(2..=80).contains(&len) {
            return Err(field("Name must be 2 to 80 characters"));
        }
        if !name.starts_with(|c: char| c.is_alphanumeric()) {
            return Err(field("Name must start with a letter or digit"));
        }
        if let Some(bad) = name.chars().find(|c| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | ':' | ' '))) {
            return Err(field(&format!("Name may not contain '{bad}'")));
        }
        Ok(Self(name.to_string()))
    }

    /// The name as typed (trimmed).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What uniqueness and lookups compare: the name lower-cased.
    pub fn key(&self) -> String {
        Self::key_of(&self.0)
    }

    /// The key a typed name or part of a name is looked up by (trimmed, lower-cased).
    pub fn key_of(raw: &str) -> String {
        raw.trim().to_lowercase()
    }
}

code_enum!(
    /// What kind of thing a CI is.
    CiClass, "class", "class", "Class" {
        /// Physical or virtual server.
        Server = "server", "Server";
        /// Switch, router, firewall, access point, VPN gateway.
        NetworkDevice = "network_device", "Network device";
        /// Business application or platform software.
        Application = "application", "Application";
        /// Database instance.
        Database = "database", "Database";
        /// Storage array or file share.
        Storage = "storage", "Storage";
        /// Laptop or desktop.
        Workstation = "workstation", "Workstation";
        /// Printer or multifunction device.
        Printer = "printer", "Printer";
        /// Phone system, handset or softphone platform.
        Telephony = "telephony", "Telephony";
        /// Smartphone or tablet.
        MobileDevice = "mobile_device", "Mobile device";
        /// A business service as its users know it ("Email", "Payroll"): the top of the map,
        /// what impact analysis reports as affected.
        BusinessService = "business_service", "Business service";
    }
);

code_enum!(
    /// Where a CI is in its life.
    CiStatus, "status", "status", "Status" {
        /// Being ordered, built or set up.
        Planned = "planned", "Planned";
        /// Live and supported.
        InService = "in_service", "In service";
        /// Temporarily out of service for maintenance.
        Maintenance = "maintenance", "Maintenance";
        /// Decommissioned: kept for history, no new incidents.
        Retired = "retired", "Retired";
    }
);

pub mod asset;

pub use asset::{AssetLifecycle, AssetTag, Expiry, ExpiryKind, Money, NoticeDays, Seats};

impl CiStatus {
    /// Whether new tickets may name a CI in this status (retired ones are history only).
    pub fn accepts_tickets(self) -> bool {
        self != Self::Retired
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ci_names_are_trimmed_and_checked() {
        assert_eq!(CiName::parse("  PBX-0042 ").unwrap().as_str(), "PBX-0042");
        assert_eq!(CiName::parse("mail-gw-01.lyon").unwrap().as_str(), "mail-gw-01.lyon");
        assert_eq!(CiName::parse("Core switch 3/B").unwrap().as_str(), "Core switch 3/B");
        assert_eq!(CiName::parse("").unwrap_err().message, "Name is required");
        assert_eq!(CiName::parse("X").unwrap_err().message, "Name must be 2 to 80 characters");
        assert_eq!(CiName::parse(&"a".repeat(81)).unwrap_err().message, "Name must be 2 to 80 characters");
        assert_eq!(CiName::parse("-lead").unwrap_err().message, "Name must start with a letter or digit");
        assert_eq!(CiName::parse("db<script>").unwrap_err().message, "Name may not contain '<'");
        assert_eq!(CiName::parse("db<script>").unwrap_err().field, "name");
    }

    #[test]
    fn ci_name_keys_ignore_case_beyond_ascii() {
        assert_eq!(CiName::parse("PBX-0042").unwrap().key(), "pbx-0042");
        assert_eq!(CiName::parse("ÉCRAN-Salle-3").unwrap().key(), "écran-salle-3");
        assert_eq!(CiName::key_of("  Vpn-GW "), "vpn-gw");
    }

    #[test]
    fn classes_parse_codes_and_labels() {
        assert_eq!(CiClass::parse("network_device").unwrap(), CiClass::NetworkDevice);
        assert_eq!(CiClass::parse(" Network device ").unwrap(), CiClass::NetworkDevice);
        assert_eq!(CiClass::parse("SERVER").unwrap(), CiClass::Server);
        for class in CiClass::ALL {
            assert_eq!(CiClass::parse(class.code()).unwrap(), *class);
            assert_eq!(CiClass::parse(class.label()).unwrap(), *class);
        }
        let err = CiClass::parse("toaster").unwrap_err();
        assert_eq!(err.field, "class");
        assert!(err.message.starts_with("Unknown class 'toaster': use server, network_device"), "{}", err.message);
        assert_eq!(CiClass::parse(" ").unwrap_err().message, "Class is required");
    }

    #[test]
    fn statuses_parse_and_retired_cis_take_no_tickets() {
        assert_eq!(CiStatus::parse("In service").unwrap(), CiStatus::InService);
        assert_eq!(CiStatus::parse("in-service").unwrap(), CiStatus::InService);
        assert!(CiStatus::InService.accepts_tickets());
        assert!(CiStatus::Maintenance.accepts_tickets());
        assert!(!CiStatus::Retired.accepts_tickets());
        assert_eq!(CiStatus::parse("gone").unwrap_err().field, "status");
    }
}
