//! Impact, urgency and the ITIL priority matrix.

use super::FieldError;
use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! level_enum {
    ($(#[$doc:meta])* $name:ident, $field:literal, $label:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
        #[serde(rename_all = "snake_case")]
        #[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
        pub enum $name {
            /// Widespread / immediate.
            High,
            /// Significant / soon.
            Medium,
            /// Limited / can wait.
            Low,
        }

        impl $name {
            /// Every level, most severe first.
            pub const ALL: [Self; 3] = [Self::High, Self::Medium, Self::Low];

            /// Parses `high`, `medium`/`med`, `low` or `1`..`3` (case-insensitive).
            pub fn parse(raw: &str) -> Result<Self, FieldError> {
                match raw.trim().to_ascii_lowercase().as_str() {
                    "high" | "1" => Ok(Self::High),
                    "medium" | "med" | "2" => Ok(Self::Medium),
                    "low" | "3" => Ok(Self::Low),
                    "" => Err(FieldError::new($field, concat!($label, " is required"))),
                    other => Err(FieldError::new(
                        $field,
                        format!(concat!("Unknown ", $label, " '{}': use high, medium or low"), other),
                    )),
                }
            }

            /// Stable storage/API code.
            pub fn code(self) -> &'static str {
                match self {
                    Self::High => "high",
                    Self::Medium => "medium",
                    Self::Low => "low",
                }
            }

            /// Label for people.
            pub fn label(self) -> &'static str {
                match self {
                    Self::High => "High",
                    Self::Medium => "Medium",
                    Self::Low => "Low",
                }
            }

            fn index(self) -> usize {
                match self {
                    Self::High => 0,
                    Self::Medium => 1,
                    Self::Low => 2,
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}

level_enum!(
    /// How widely a ticket's problem affects the business.
    Impact, "impact", "impact"
);
level_enum!(
    /// How quickly the business needs a resolution.
    Urgency, "urgency", "urgency"
);

/// Ticket priority 1 (Critical) .. 5 (Planning).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Priority(u8);

impl Priority {
    /// Builds a priority from its number, refusing anything outside 1..=5.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        raw.trim()
            .parse::<u8>()
            .ok()
            .and_then(Self::from_number)
            .ok_or_else(|| FieldError::new("priority", "Priority must be a number from 1 to 5"))
    }

    /// `Some` for 1..=5.
    pub fn from_number(n: u8) -> Option<Self> {
        (1..=5).contains(&n).then_some(Self(n))
    }

    /// The number, 1 is most urgent.
    pub fn number(self) -> u8 {
        self.0
    }

    /// ITIL label: "1 - Critical" etc.
    pub fn label(self) -> &'static str {
        match self.0 {
            1 => "1 - Critical",
            2 => "2 - High",
            3 => "3 - Moderate",
            4 => "4 - Low",
            _ => "5 - Planning",
        }
    }
}

impl fmt::Display for Priority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Impact × urgency → priority lookup table (rows: impact High..Low, columns: urgency High..Low).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriorityMatrix {
    cells: [[Priority; 3]; 3],
}

impl Default for PriorityMatrix {
    /// The ITIL 3×3 default.
    fn default() -> Self {
        let p = |n| Priority(n);
        Self { cells: [[p(1), p(2), p(3)], [p(2), p(3), p(4)], [p(3), p(4), p(5)]] }
    }
}

impl PriorityMatrix {
    /// Priority for a ticket with this impact and urgency.
    pub fn priority(&self, impact: Impact, urgency: Urgency) -> Priority {
        self.cells[impact.index()][urgency.index()]
    }

    /// Changes one cell.
    pub fn set(&mut self, impact: Impact, urgency: Urgency, priority: Priority) {
        self.cells[impact.index()][urgency.index()] = priority;
    }

    /// Every cell as (impact, urgency, priority), impact-major.
    pub fn cells(&self) -> Vec<(Impact, Urgency, Priority)> {
        Impact::ALL
            .into_iter()
            .flat_map(|i| Urgency::ALL.into_iter().map(move |u| (i, u)))
            .map(|(i, u)| (i, u, self.priority(i, u)))
            .collect()
    }

    /// Builds a matrix from stored cells; cells not given keep the ITIL default.
    pub fn from_cells(cells: impl IntoIterator<Item = (Impact, Urgency, Priority)>) -> Self {
        let mut m = Self::default();
        for (i, u, p) in cells {
            m.set(i, u, p);
        }
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_matrix_is_itil() {
        let m = PriorityMatrix::default();
        let expect = [
            (Impact::High, Urgency::High, 1),
            (Impact::High, Urgency::Medium, 2),
            (Impact::High, Urgency::Low, 3),
            (Impact::Medium, Urgency::High, 2),
            (Impact::Medium, Urgency::Medium, 3),
            (Impact::Medium, Urgency::Low, 4),
            (Impact::Low, Urgency::High, 3),
            (Impact::Low, Urgency::Medium, 4),
            (Impact::Low, Urgency::Low, 5),
        ];
        for (i, u, p) in expect {
            assert_eq!(m.priority(i, u).number(), p, "{i:?}/{u:?}");
        }
    }

    #[test]
    fn impact_parse_accepts_words_and_numbers_and_refuses_others() {
        assert_eq!(Impact::parse(" HIGH ").unwrap(), Impact::High);
        assert_eq!(Impact::parse("med").unwrap(), Impact::Medium);
        assert_eq!(Urgency::parse("3").unwrap(), Urgency::Low);
        let e = Impact::parse("catastrophic").unwrap_err();
        assert_eq!(e.field, "impact");
        assert!(e.message.contains("catastrophic"));
        assert_eq!(Urgency::parse("").unwrap_err().message, "urgency is required");
    }

    #[test]
    fn matrix_cells_round_trip() {
        let mut m = PriorityMatrix::default();
        m.set(Impact::Low, Urgency::High, Priority::from_number(2).unwrap());
        let back = PriorityMatrix::from_cells(m.cells());
        assert_eq!(back, m);
        assert_eq!(back.priority(Impact::Low, Urgency::High).number(), 2);
        assert_eq!(m.cells().len(), 9);
    }

    #[test]
    fn priority_bounds() {
        assert!(Priority::parse("0").is_err());
        assert!(Priority::parse("6").is_err());
        assert_eq!(Priority::parse("5").unwrap().label(), "5 - Planning");
    }
}
