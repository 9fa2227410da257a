//! Field-level validation messages shared by forms, server fns and the REST API.

use serde::{Deserialize, Serialize};

/// One invalid input: which field and what is wrong with it, in words for the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// Form/JSON field name, e.g. `title`.
    pub field: String,
    /// Human readable message, e.g. "Title is required".
    pub message: String,
}

impl FieldError {
    /// Builds a field error.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }
}

/// Collects field errors while validating a whole form, so the user sees all problems at once.
#[derive(Debug, Default)]
pub struct Validator {
    errors: Vec<FieldError>,
}

impl Validator {
    /// Starts an empty validation.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records the error of `result` (if any) and returns its value.
    pub fn check<T>(&mut self, result: Result<T, FieldError>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.errors.push(e);
                None
            }
        }
    }

    /// All errors gathered, or `Ok(())` when the input was valid.
    pub fn finish(self) -> Result<(), Vec<FieldError>> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(self.errors)
        }
    }
}

/// Trims `raw` and checks its length in characters is within `min..=max`.
pub fn bounded_text(
    field: &str,
    label: &str,
    raw: &str,
    min: usize,
    max: usize,
) -> Result<String, FieldError> {
    let value = raw.trim();
    let len = value.chars().count();
    if len < min {
        return Err(if min <= 1 {
            FieldError::new(field, format!("{label} is required"))
        } else {
            FieldError::new(field, format!("{label} must be at least {min} characters"))
        });
    }
    if len > max {
        return Err(FieldError::new(field, format!("{label} must be at most {max} characters")));
    }
    Ok(value.to_string())
}

/// A calendar day written `YYYY-MM-DD` (RFC 3339 full-date: four-digit year, two-digit month and
/// day), as the API documents it; anything else is a field error.
pub fn parse_day(field: &str, raw: &str) -> Result<chrono::NaiveDate, FieldError> {
    let b = raw.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    shaped
        .then(|| chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok())
        .flatten()
        .ok_or_else(|| FieldError::new(field, format!("'{raw}' is not a date like 2026-11-01")))
}

/// Which rows of a list to return: `limit` rows after skipping `offset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// Rows to return.
    pub limit: u64,
    /// Rows to skip.
    pub offset: u64,
}

impl Page {
    /// The largest offset a database can bind (`i64::MAX`).
    pub const MAX_OFFSET: u64 = i64::MAX as u64;

    /// Checks a requested page: `limit` within `1..=max` (default `default`), `offset` at most
    /// [`Page::MAX_OFFSET`] (default 0).
    pub fn parse(limit: Option<u64>, offset: Option<u64>, default: u64, max: u64) -> Result<Self, Vec<FieldError>> {
        let mut v = Validator::new();
        let limit = v.check(match limit {
            None => Ok(default),
            Some(l) if (1..=max).contains(&l) => Ok(l),
            Some(_) => Err(FieldError::new("limit", format!("Between 1 and {max}"))),
        });
        let offset = v.check(match offset {
            None => Ok(0),
            Some(o) if o <= Self::MAX_OFFSET => Ok(o),
            Some(_) => Err(FieldError::new("offset", format!("At most {}", Self::MAX_OFFSET))),
        });
        v.finish()?;
        Ok(Self { limit: limit.unwrap_or(default), offset: offset.unwrap_or(0) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_full_dates() {
        assert_eq!(parse_day("to", "2026-02-28").unwrap(), chrono::NaiveDate::from_ymd_opt(2026, 2, 28).unwrap());
        for bad in ["", " 2026-02-28", "2026-2-28", "2026-02-30", "+2026-02-28", "26-02-28", "2026/02/28", "2026-02-28T00:00"] {
            assert_eq!(parse_day("to", bad).unwrap_err().field, "to", "{bad:?}");
        }
    }

    #[test]
    fn page_bounds_limit_and_offset() {
        assert_eq!(Page::parse(None, None, 50, 200), Ok(Page { limit: 50, offset: 0 }));
        assert_eq!(Page::parse(Some(200), Some(Page::MAX_OFFSET), 50, 200), Ok(Page { limit: 200, offset: Page::MAX_OFFSET }));
        let fields = |r: Result<Page, Vec<FieldError>>| r.unwrap_err().into_iter().map(|e| e.field).collect::<Vec<_>>();
        assert_eq!(fields(Page::parse(Some(0), None, 50, 200)), ["limit"]);
        assert_eq!(fields(Page::parse(Some(201), Some(Page::MAX_OFFSET + 1), 50, 200)), ["limit", "offset"]);
        assert_eq!(fields(Page::parse(None, Some(u64::MAX), 50, 200)), ["offset"]);
    }

    #[test]
    fn bounded_text_trims_and_checks_length() {
        assert_eq!(bounded_text("t", "Title", "  hi ", 1, 5).unwrap(), "hi");
        assert_eq!(bounded_text("t", "Title", "   ", 1, 5).unwrap_err().message, "Title is required");
        assert!(bounded_text("t", "Title", "abcdef", 1, 5).unwrap_err().message.contains("at most 5"));
        assert!(bounded_text("p", "Password", "abc", 8, 50).unwrap_err().message.contains("at least 8"));
    }

    #[test]
    fn validator_collects_every_error() {
        let mut v = Validator::new();
        assert_eq!(v.check(bounded_text("a", "A", "", 1, 3)), None);
        assert_eq!(v.check(bounded_text("b", "B", "ok", 1, 3)), Some("ok".to_string()));
        assert_eq!(v.check(bounded_text("c", "C", "toolong", 1, 3)), None);
        let errs = v.finish().unwrap_err();
        assert_eq!(errs.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["a", "c"]);
    }
}
