//! Assets and software licences: the financial and contractual life of a CI beside its
//! operational status. An asset moves through an ordered lifecycle (ordered → in stock →
//! deployed ⇄ in repair → retired → disposed) that also sets the CI's status; its warranty and
//! lease ends, and a licence's expiry, raise one notice each, `notice days` before the date.

use super::super::FieldError;
use super::CiStatus;
use chrono::{DateTime, NaiveDate, Utc};

code_enum!(
    /// Where an asset is in its life, from purchase order to disposal.
    AssetLifecycle, "lifecycle", "lifecycle stage", "Lifecycle stage" {
        /// Purchase ordered, not yet received.
        Ordered = "ordered", "Ordered";
        /// Received and stored, not yet given to anyone.
        InStock = "in_stock", "In stock";
        /// In use by its owner or in production.
        Deployed = "deployed", "Deployed";
        /// Away for repair or maintenance.
        InRepair = "in_repair", "In repair";
        /// Out of use, kept until disposal.
        Retired = "retired", "Retired";
        /// Sold, recycled or destroyed: the end of the record's life.
        Disposed = "disposed", "Disposed";
    }
);

impl AssetLifecycle {
    /// The stages an asset in this stage may move to next. Stock and repair go both ways with
    /// deployment; anything not yet disposed may be retired (a lost or written-off order too);
    /// only a retired asset is disposed, and a disposed one never changes again.
    pub fn next(self) -> &'static [Self] {
        use AssetLifecycle::*;
        match self {
            Ordered => &[InStock, Deployed, Retired],
            InStock => &[Deployed, InRepair, Retired],
            Deployed => &[InStock, InRepair, Retired],
            InRepair => &[Deployed, InStock, Retired],
            Retired => &[InStock, Disposed],
            Disposed => &[],
        }
    }

    /// Checks a move from `self` to `to` (staying put is always allowed).
    pub fn check_move(self, to: Self) -> Result<(), FieldError> {
        if self == to || self.next().contains(&to) {
            return Ok(());
        }
        let allowed: Vec<&str> = self.next().iter().map(|s| s.label()).collect();
        Err(FieldError::new(
            "lifecycle",
            if allowed.is_empty() {
                format!("A {} asset cannot change stage", self.label().to_lowercase())
            } else {
                format!("An asset {} cannot move to {}: next is {}", self.label().to_lowercase(), to.label().to_lowercase(), allowed.join(", ").to_lowercase())
            },
        ))
    }

    /// The CI status this stage implies: not yet in use is planned, deployed is in service, in
    /// repair is maintenance (so impact analysis counts it as failed), retired and disposed are
    /// retired (no new tickets).
    pub fn ci_status(self) -> CiStatus {
        match self {
            Self::Ordered | Self::InStock => CiStatus::Planned,
            Self::Deployed => CiStatus::InService,
            Self::InRepair => CiStatus::Maintenance,
            Self::Retired | Self::Disposed => CiStatus::Retired,
        }
    }

    /// Whether the asset's contracts still matter: a retired or disposed asset raises no
    /// warranty or lease notice.
    pub fn watches_expiry(self) -> bool {
        !matches!(self, Self::Retired | Self::Disposed)
    }
}

/// An asset tag as printed on the label, e.g. `LT-2026-0042`: 2–40 letters, digits, `-`, `_`,
/// `.` or `/`, starting with a letter or digit. Unique, ignoring case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetTag(String);

impl AssetTag {
    /// Trims and checks a tag.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let tag = raw.trim();
        let field = |m: String| FieldError::new("asset_tag", m);
        if !(2..=40).contains(&tag.chars().count()) {
            return Err(field("Asset tag must be 2 to 40 characters".into()));
        }
        if !tag.starts_with(|c: char| c.is_alphanumeric()) {
            return Err(field("Asset tag must start with a letter or digit".into()));
        }
        if let Some(bad) = tag.chars().find(|c| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))) {
            return Err(field(format!("Asset tag may not contain '{bad}'")));
        }
        Ok(Self(tag.to_string()))
    }

    /// The tag as typed (trimmed).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What uniqueness compares: the tag upper-cased.
    pub fn key(&self) -> String {
        self.0.to_uppercase()
    }
}

/// An amount of money in the desk's currency, kept in cents: `1299`, `1299.5`, `1 299.50` or
/// `1,299.50` (a comma before exactly two final digits is a decimal comma: `1299,50`). At most
/// 999,999,999.99; never negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Money(i64);

impl Money {
    /// Parses an amount for `field`.
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let bad = || FieldError::new(field, format!("'{}' is not an amount like 1299.50", raw.trim()));
        let mut s: String = raw.trim().chars().filter(|c| !c.is_whitespace()).collect();
        if let Some(i) = s.rfind(',') {
            if s.len() - i == 3 && !s.contains('.') {
                s.replace_range(i..=i, ".");
            }
        }
        let s = s.replace(',', "");
        let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
        if whole.is_empty() || whole.len() > 9 || frac.len() > 2 || !whole.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let whole: i64 = whole.parse().map_err(|_| bad())?;
        let cents: i64 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
        Ok(Self(whole * 100 + cents))
    }

    /// From stored cents.
    pub fn from_cents(cents: i64) -> Self {
        Self(cents)
    }

    /// The amount in cents.
    pub fn cents(self) -> i64 {
        self.0
    }
}

impl std::fmt::Display for Money {
    /// `1299.50`: what [`Money::parse`] reads back.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

/// How many days before an expiry its notice goes out: 1 to 365, 30 when left empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoticeDays(u32);

impl NoticeDays {
    /// The default: a month ahead.
    pub const DEFAULT: Self = Self(30);

    /// Parses whole days (empty: [`Self::DEFAULT`]).
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        if raw.trim().is_empty() {
            return Ok(Self::DEFAULT);
        }
        raw.trim().parse::<u32>().ok().filter(|d| (1..=365).contains(d)).map(Self).ok_or_else(|| FieldError::new("notice_days", "Notice must be a whole number of days from 1 to 365"))
    }

    /// From a stored value (out-of-range values fall back to the default).
    pub fn from_stored(days: i32) -> Self {
        u32::try_from(days).ok().filter(|d| (1..=365).contains(d)).map(Self).unwrap_or(Self::DEFAULT)
    }

    /// The number of days.
    pub fn days(self) -> u32 {
        self.0
    }
}

/// Seats a licence was bought for: a whole number from 0 to 1,000,000 (0 for a licence still
/// being bought).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seats(u32);

impl Seats {
    /// Parses a seat count.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        raw.trim().parse::<u32>().ok().filter(|s| *s <= 1_000_000).map(Self).ok_or_else(|| FieldError::new("seats", "Seats must be a whole number from 0 to 1000000"))
    }

    /// The count.
    pub fn count(self) -> u32 {
        self.0
    }

    /// Installations beyond the seats bought (0 when within them).
    pub fn over_use(self, installed: u64) -> u64 {
        installed.saturating_sub(self.0.into())
    }
}

code_enum!(
    /// Which date an expiry notice is about.
    ExpiryKind, "kind", "expiry", "Expiry" {
        /// An asset's warranty end.
        Warranty = "warranty", "Warranty";
        /// An asset's lease end.
        Lease = "lease", "Lease";
        /// A software licence's expiry.
        Licence = "licence", "Licence";
    }
);

/// One date that runs out, and when its notice is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expiry {
    /// What runs out.
    pub kind: ExpiryKind,
    /// The last day it holds.
    pub ends_on: NaiveDate,
}

impl Expiry {
    /// When the notice for this date is due: `notice` days before it, at 00:00 UTC.
    pub fn notice_due(self, notice: NoticeDays) -> DateTime<Utc> {
        let day = self.ends_on - chrono::Duration::days(notice.days().into());
        day.and_time(chrono::NaiveTime::MIN).and_utc()
    }

    /// Whether a notice should be scheduled at `now`: only for a date that has not passed (a
    /// date already gone shows as expired in the lists; nobody needs a notice of the past).
    pub fn worth_notice(self, now: DateTime<Utc>) -> bool {
        self.ends_on >= now.date_naive()
    }

    /// Days from `today` to the end (negative once it has passed).
    pub fn days_left(self, today: NaiveDate) -> i64 {
        (self.ends_on - today).num_days()
    }

    /// The notice's text for the thing called `name`, as of `today`.
    pub fn message(self, name: &str, today: NaiveDate) -> String {
        let what = match self.kind {
            ExpiryKind::Warranty => "warranty ends",
            ExpiryKind::Lease => "lease ends",
            ExpiryKind::Licence => "licence expires",
        };
        let when = match self.days_left(today) {
            d if d < 0 => "already passed".to_string(),
            0 => "today".to_string(),
            1 => "in 1 day".to_string(),
            d => format!("in {d} days"),
        };
        format!("{name}: {what} on {} ({when})", self.ends_on)
    }
}

/// Checks that an end date (`field`, e.g. warranty end) is not before the purchase date.
pub fn check_not_before_purchase(field: &str, label: &str, end: Option<NaiveDate>, purchased: Option<NaiveDate>) -> Result<(), FieldError> {
    match (end, purchased) {
        (Some(end), Some(bought)) if end < bought => Err(FieldError::new(field, format!("{label} ({end}) is before the purchase date ({bought})"))),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn lifecycle_moves_follow_the_table_and_disposed_is_final() {
        use AssetLifecycle::*;
        assert!(Ordered.check_move(InStock).is_ok());
        assert!(InStock.check_move(Deployed).is_ok());
        assert!(Deployed.check_move(InRepair).is_ok());
        assert!(InRepair.check_move(Deployed).is_ok());
        assert!(Deployed.check_move(Retired).is_ok());
        assert!(Retired.check_move(Disposed).is_ok());
        assert!(Deployed.check_move(Deployed).is_ok(), "staying put is no move");
        let err = Deployed.check_move(Disposed).unwrap_err();
        assert_eq!(err.field, "lifecycle");
        assert_eq!(err.message, "An asset deployed cannot move to disposed: next is in stock, in repair, retired");
        assert_eq!(Disposed.check_move(InStock).unwrap_err().message, "A disposed asset cannot change stage");
        assert!(Ordered.check_move(InRepair).is_err(), "nothing to repair before it arrives");
        for from in AssetLifecycle::ALL {
            for to in AssetLifecycle::ALL {
                let allowed = from == to || from.next().contains(to);
                assert_eq!(from.check_move(*to).is_ok(), allowed, "{from:?} → {to:?}");
            }
            assert!(from == &Disposed || !from.next().is_empty(), "only disposal is final");
        }
    }

    #[test]
    fn lifecycle_sets_the_ci_status() {
        assert_eq!(AssetLifecycle::Ordered.ci_status(), CiStatus::Planned);
        assert_eq!(AssetLifecycle::InStock.ci_status(), CiStatus::Planned);
        assert_eq!(AssetLifecycle::Deployed.ci_status(), CiStatus::InService);
        assert_eq!(AssetLifecycle::InRepair.ci_status(), CiStatus::Maintenance);
        assert_eq!(AssetLifecycle::Disposed.ci_status(), CiStatus::Retired);
        assert!(AssetLifecycle::InRepair.watches_expiry());
        assert!(!AssetLifecycle::Retired.watches_expiry());
        assert_eq!(AssetLifecycle::parse("In stock").unwrap(), AssetLifecycle::InStock);
        assert_eq!(AssetLifecycle::parse("lost").unwrap_err().field, "lifecycle");
    }

    #[test]
    fn asset_tags_are_checked_and_keyed_without_case() {
        assert_eq!(AssetTag::parse(" lt-2026-0042 ").unwrap().as_str(), "lt-2026-0042");
        assert_eq!(AssetTag::parse("lt-2026-0042").unwrap().key(), "LT-2026-0042");
        assert_eq!(AssetTag::parse("X").unwrap_err().message, "Asset tag must be 2 to 40 characters");
        assert_eq!(AssetTag::parse("#42").unwrap_err().message, "Asset tag must start with a letter or digit");
        assert_eq!(AssetTag::parse("LT 42").unwrap_err().message, "Asset tag may not contain ' '");
        assert_eq!(AssetTag::parse("LT<42>").unwrap_err().field, "asset_tag");
    }

    #[test]
    fn money_reads_common_ways_of_writing_an_amount() {
        for (raw, cents) in [("1299", 129_900), ("1299.5", 129_950), ("1299.50", 129_950), ("1 299.50", 129_950), ("1,299.50", 129_950), ("1299,50", 129_950), ("0.99", 99), ("0", 0)] {
            assert_eq!(Money::parse("cost", raw).unwrap().cents(), cents, "{raw}");
        }
        for raw in ["", "-5", "12.345", "abc", "1.2.3", "1e5", "1234567890", "."] {
            let err = Money::parse("cost", raw).unwrap_err();
            assert_eq!(err.field, "cost", "{raw}");
        }
        assert_eq!(Money::parse("cost", "12x").unwrap_err().message, "'12x' is not an amount like 1299.50");
        assert_eq!(Money::from_cents(129_905).to_string(), "1299.05");
        assert_eq!(Money::parse("cost", &Money::from_cents(7).to_string()).unwrap().cents(), 7, "display reads back");
    }

    #[test]
    fn notice_days_and_seats_have_bounds() {
        assert_eq!(NoticeDays::parse("").unwrap(), NoticeDays::DEFAULT);
        assert_eq!(NoticeDays::parse(" 60 ").unwrap().days(), 60);
        assert_eq!(NoticeDays::parse("0").unwrap_err().field, "notice_days");
        assert!(NoticeDays::parse("366").is_err());
        assert_eq!(NoticeDays::from_stored(-3), NoticeDays::DEFAULT);
        assert_eq!(Seats::parse("25").unwrap().count(), 25);
        assert_eq!(Seats::parse("-1").unwrap_err().field, "seats");
        assert!(Seats::parse("1000001").is_err());
        assert_eq!(Seats::parse("25").unwrap().over_use(27), 2);
        assert_eq!(Seats::parse("25").unwrap().over_use(25), 0);
        assert_eq!(Seats::parse("0").unwrap().over_use(1), 1);
    }

    #[test]
    fn notices_fall_due_notice_days_before_the_end() {
        let e = Expiry { kind: ExpiryKind::Warranty, ends_on: day("2027-03-01") };
        assert_eq!(e.notice_due(NoticeDays::parse("30").unwrap()).to_rfc3339(), "2027-01-30T00:00:00+00:00");
        assert_eq!(e.notice_due(NoticeDays::parse("1").unwrap()).to_rfc3339(), "2027-02-28T00:00:00+00:00");
        let now = day("2027-03-01").and_hms_opt(18, 0, 0).unwrap().and_utc();
        assert!(e.worth_notice(now), "the last day still counts");
        assert!(!e.worth_notice(now + chrono::Duration::days(1)));
        assert_eq!(e.days_left(day("2027-02-01")), 28);
        assert_eq!(e.message("LT-0042", day("2027-02-01")), "LT-0042: warranty ends on 2027-03-01 (in 28 days)");
        assert_eq!(e.message("LT-0042", day("2027-03-01")), "LT-0042: warranty ends on 2027-03-01 (today)");
        let l = Expiry { kind: ExpiryKind::Licence, ends_on: day("2027-03-01") };
        assert_eq!(l.message("Office", day("2027-02-28")), "Office: licence expires on 2027-03-01 (in 1 day)");
    }

    #[test]
    fn end_dates_may_not_precede_the_purchase() {
        assert!(check_not_before_purchase("warranty_end", "Warranty end", Some(day("2027-01-01")), Some(day("2026-01-01"))).is_ok());
        assert!(check_not_before_purchase("warranty_end", "Warranty end", Some(day("2026-01-01")), None).is_ok());
        let err = check_not_before_purchase("lease_end", "Lease end", Some(day("2025-12-31")), Some(day("2026-01-01"))).unwrap_err();
        assert_eq!((err.field.as_str(), err.message.as_str()), ("lease_end", "Lease end (2025-12-31) is before the purchase date (2026-01-01)"));
    }
}
