//! Business-hours calendars for SLA clocks: weekly working hours in a time zone, minus holidays.
//!
//! Conventions, chosen so the answers stay exact across daylight-saving changes:
//!
//! - **Minute resolution.** Every instant is truncated down to its whole UTC minute before
//!   counting (a clock started at 09:00:45 counts from 09:00). Results of [`BusinessCalendar::add`]
//!   and [`BusinessCalendar::subtract`] are whole minutes, except that adding or subtracting zero
//!   minutes returns the input unchanged.
//! - **Local hours to real instants.** A working interval `start-end` on a local date runs from
//!   the first instant the wall clock shows `start` (or later) to the first instant it shows `end`
//!   (or later). So an hour skipped by spring-forward starts at the end of the gap, an ambiguous
//!   fall-back time means its first occurrence, and `24:00` is the next day's midnight.
//! - **Real minutes.** Business time is measured in elapsed UTC minutes inside those intervals:
//!   a 24×7 calendar counts 1380 minutes on a spring-forward day and 1500 on a fall-back day, and
//!   `00:00-04:00` on a fall-back night counts 5 real hours.
//! - **Closing instants.** Adding lands on the close of an interval when the time runs out
//!   exactly there (Monday 09:00 + 8 h of a 09:00-17:00 day is Monday 17:00, not Tuesday 09:00);
//!   subtracting mirrors this and lands on the opening.
//! - **Bounded search.** Adding and subtracting walk day by day for at most
//!   [`MAX_SEARCH_DAYS`] local days; a calendar whose holidays leave no time in that window
//!   yields the end of the searched window instead of looping forever.

use super::FieldError;
use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDate, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Minutes in a day; `1440` stands for 24:00, the end of the day.
pub const MINUTES_PER_DAY: u16 = 1440;

/// How many local days [`BusinessCalendar::add`] and [`BusinessCalendar::subtract`] walk before
/// giving up (about ten years).
pub const MAX_SEARCH_DAYS: u32 = 3660;

/// Longest wall-clock gap (in minutes) skipped while resolving a local time that does not exist.
const MAX_GAP_MINUTES: u32 = 48 * 60;

const DAY_NAMES: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/// One stretch of working time within a local day, in minutes from local midnight:
/// `0 <= start < end <= 1440`. Serialized as `"09:00-13:00"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct WorkInterval {
    start: u16,
    end: u16,
}

impl WorkInterval {
    /// The whole day, 00:00-24:00.
    pub const FULL_DAY: Self = Self { start: 0, end: MINUTES_PER_DAY };

    /// Builds an interval from minutes after local midnight; it must not cross midnight
    /// (split such hours over two days).
    pub fn new(start: u16, end: u16) -> Result<Self, FieldError> {
        if end > MINUTES_PER_DAY {
            return Err(FieldError::new("hours", "Working hours must lie between 00:00 and 24:00"));
        }
        if start >= end {
            return Err(FieldError::new(
                "hours",
                format!(
                    "'{}-{}' must end after it starts; split hours that cross midnight over two days",
                    clock(start),
                    clock(end)
                ),
            ));
        }
        Ok(Self { start, end })
    }

    /// Parses `HH:MM-HH:MM`, e.g. `09:00-13:00`; the end may be `24:00`.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let raw = raw.trim();
        let format_error =
            || FieldError::new("hours", format!("'{raw}' is not a time range: use HH:MM-HH:MM, e.g. 09:00-17:00"));
        let (start, end) = raw.split_once('-').ok_or_else(format_error)?;
        let start = parse_clock(start.trim()).ok_or_else(format_error)??;
        let end = parse_clock(end.trim()).ok_or_else(format_error)??;
        Self::new(start, end)
    }

    /// Minutes from local midnight at which work starts.
    pub fn start(self) -> u16 {
        self.start
    }

    /// Minutes from local midnight at which work stops (1440 = 24:00).
    pub fn end(self) -> u16 {
        self.end
    }

    /// Length in wall-clock minutes (real time may differ on a daylight-saving change).
    pub fn minutes(self) -> u16 {
        self.end - self.start
    }
}

impl fmt::Display for WorkInterval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", clock(self.start), clock(self.end))
    }
}

impl TryFrom<String> for WorkInterval {
    type Error = String;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw).map_err(|e| e.message)
    }
}

impl From<WorkInterval> for String {
    fn from(interval: WorkInterval) -> Self {
        interval.to_string()
    }
}

/// `HH:MM` with a one- or two-digit hour. `None` when the shape is wrong, `Some(Err)` when the
/// shape is right but the time does not exist (e.g. `25:00`).
fn parse_clock(raw: &str) -> Option<Result<u16, FieldError>> {
    let (hours, minutes) = raw.split_once(':')?;
    let hours = digits(hours, 1, 2)?;
    let minutes = digits(minutes, 2, 2)?;
    if (hours < 24 && minutes < 60) || (hours == 24 && minutes == 0) {
        Some(Ok((hours * 60 + minutes) as u16))
    } else {
        Some(Err(FieldError::new("hours", format!("'{raw}' is not a time of day (00:00 to 24:00)"))))
    }
}

/// Parses `min_len..=max_len` ASCII digits.
fn digits(raw: &str, min_len: usize, max_len: usize) -> Option<u32> {
    if raw.len() < min_len || raw.len() > max_len || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    raw.parse().ok()
}

fn clock(minute: u16) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// A day off: a single date, or the same day every year. Serialized as `"2026-12-25"` or `"12-25"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Holiday {
    /// One specific local date.
    Date(NaiveDate),
    /// The same month and day every year; February 29 only applies in leap years.
    Yearly {
        /// Month, 1–12.
        month: u32,
        /// Day of the month, 1–31.
        day: u32,
    },
}

impl Holiday {
    /// Parses `YYYY-MM-DD` (one day) or `MM-DD` (every year).
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let raw = raw.trim();
        let format_error = || {
            FieldError::new(
                "holidays",
                format!("'{raw}' is not a holiday: use YYYY-MM-DD for one day or MM-DD for every year"),
            )
        };
        let not_a_day = || FieldError::new("holidays", format!("'{raw}' is not a day in the calendar"));
        let parts: Vec<&str> = raw.split('-').collect();
        match parts.as_slice() {
            [year, month, day] => {
                let (year, month, day) = match (digits(year, 4, 4), digits(month, 1, 2), digits(day, 1, 2)) {
                    (Some(y), Some(m), Some(d)) => (y as i32, m, d),
                    _ => return Err(format_error()),
                };
                NaiveDate::from_ymd_opt(year, month, day).map(Self::Date).ok_or_else(not_a_day)
            }
            [month, day] => {
                let (month, day) = match (digits(month, 1, 2), digits(day, 1, 2)) {
                    (Some(m), Some(d)) => (m, d),
                    _ => return Err(format_error()),
                };
                if valid_yearly(month, day) {
                    Ok(Self::Yearly { month, day })
                } else {
                    Err(not_a_day())
                }
            }
            _ => Err(format_error()),
        }
    }

    /// Whether this holiday falls on the local `date`.
    pub fn matches(&self, date: NaiveDate) -> bool {
        match *self {
            Self::Date(day) => day == date,
            Self::Yearly { month, day } => date.month() == month && date.day() == day,
        }
    }
}

/// Whether `month`/`day` exists in some year (February 29 included).
fn valid_yearly(month: u32, day: u32) -> bool {
    NaiveDate::from_ymd_opt(2000, month, day).is_some()
}

impl fmt::Display for Holiday {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Date(date) => write!(f, "{}", date.format("%Y-%m-%d")),
            Self::Yearly { month, day } => write!(f, "{month:02}-{day:02}"),
        }
    }
}

impl TryFrom<String> for Holiday {
    type Error = String;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw).map_err(|e| e.message)
    }
}

impl From<Holiday> for String {
    fn from(holiday: Holiday) -> Self {
        holiday.to_string()
    }
}

/// When the SLA clock runs: working intervals per weekday in an IANA time zone, minus holidays.
///
/// Serialized as `{"time_zone": "Europe/Paris", "week": [["09:00-13:00", ...], ... 7 days],
/// "holidays": ["12-25", "2026-05-14"]}`; deserializing validates like [`BusinessCalendar::new`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusinessCalendar {
    tz_name: String,
    tz: Tz,
    week: [Vec<WorkInterval>; 7],
    holidays: Vec<Holiday>,
}

impl BusinessCalendar {
    /// Validates a calendar: a known IANA time zone, non-overlapping intervals on each day
    /// (touching ones such as 09:00-13:00 and 13:00-18:00 are fine; each day is sorted), and at
    /// least one working minute in the week. `week[0]` is Monday, `week[6]` Sunday.
    pub fn new(
        tz_name: &str,
        mut week: [Vec<WorkInterval>; 7],
        holidays: Vec<Holiday>,
    ) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let zone = match parse_time_zone(tz_name) {
            Ok(zone) => Some(zone),
            Err(e) => {
                errors.push(e);
                None
            }
        };
        for (day, intervals) in week.iter_mut().enumerate() {
            intervals.sort_unstable();
            let mut widest: Option<WorkInterval> = None;
            for &interval in intervals.iter() {
                match widest {
                    Some(earlier) if interval.start < earlier.end => {
                        errors.push(FieldError::new(
                            "hours",
                            format!("{}: {earlier} overlaps {interval}", DAY_NAMES[day]),
                        ));
                        if interval.end > earlier.end {
                            widest = Some(interval);
                        }
                    }
                    _ => widest = Some(interval),
                }
            }
        }
        if week.iter().all(Vec::is_empty) {
            errors.push(FieldError::new("hours", "Set working hours on at least one day of the week"));
        }
        for holiday in &holidays {
            if let Holiday::Yearly { month, day } = *holiday {
                if !valid_yearly(month, day) {
                    errors.push(FieldError::new("holidays", format!("'{holiday}' is not a day in the calendar")));
                }
            }
        }
        match zone {
            Some((tz_name, tz)) if errors.is_empty() => Ok(Self { tz_name, tz, week, holidays }),
            _ => Err(errors),
        }
    }

    /// Round the clock, every day, no holidays: business minutes are real minutes.
    pub fn always(tz_name: &str) -> Result<Self, FieldError> {
        let (tz_name, tz) = parse_time_zone(tz_name)?;
        Ok(Self { tz_name, tz, week: std::array::from_fn(|_| vec![WorkInterval::FULL_DAY]), holidays: Vec::new() })
    }

    /// The IANA name of the time zone, e.g. `Europe/Paris`.
    pub fn time_zone(&self) -> &str {
        &self.tz_name
    }

    /// The time zone the working hours are expressed in.
    pub fn tz(&self) -> Tz {
        self.tz
    }

    /// Working intervals per weekday, Monday first, each day sorted.
    pub fn week(&self) -> &[Vec<WorkInterval>; 7] {
        &self.week
    }

    /// Working intervals of one weekday.
    pub fn day(&self, weekday: Weekday) -> &[WorkInterval] {
        &self.week[weekday.num_days_from_monday() as usize]
    }

    /// The days off.
    pub fn holidays(&self) -> &[Holiday] {
        &self.holidays
    }

    /// Whether the local `date` is a holiday.
    pub fn is_holiday(&self, date: NaiveDate) -> bool {
        self.holidays.iter().any(|h| h.matches(date))
    }

    /// Whether the minute starting at `at` (truncated to its whole minute) is business time.
    pub fn is_working(&self, at: DateTime<Utc>) -> bool {
        let minute = minute_of(at);
        let date = self.local_date(at);
        let day = if minute >= self.boundary(date, MINUTES_PER_DAY) {
            date.succ_opt()
        } else if minute < self.boundary(date, 0) {
            date.pred_opt()
        } else {
            Some(date)
        };
        day.is_some_and(|day| self.spans(day).any(|(open, close)| open <= minute && minute < close))
    }

    /// The earliest instant at which `minutes` business minutes have elapsed since `start`
    /// (truncated to its minute). Lands on a closing time rather than the next opening; zero
    /// minutes returns `start` unchanged. If the calendar has too little time within
    /// [`MAX_SEARCH_DAYS`] days, returns the local midnight ending that search window.
    pub fn add(&self, start: DateTime<Utc>, minutes: u32) -> DateTime<Utc> {
        if minutes == 0 {
            return start;
        }
        let from = minute_of(start);
        let mut remaining = i64::from(minutes);
        let mut date = self.local_date(start);
        for _ in 0..MAX_SEARCH_DAYS {
            for (open, close) in self.spans(date) {
                if close <= from {
                    continue;
                }
                let open = open.max(from);
                let available = close - open;
                if remaining <= available {
                    return instant(open + remaining);
                }
                remaining -= available;
            }
            match date.succ_opt() {
                Some(next) => date = next,
                None => return DateTime::<Utc>::MAX_UTC,
            }
        }
        instant(self.boundary(date, 0))
    }

    /// Business minutes in `[from, to)`, both truncated to their minute; 0 when `to <= from`.
    /// Saturates at `u32::MAX`.
    pub fn elapsed(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> u32 {
        let (start, end) = (minute_of(from), minute_of(to));
        if end <= start {
            return 0;
        }
        let last = self.local_date(to).succ_opt().unwrap_or(NaiveDate::MAX);
        let mut date = self.local_date(from);
        let mut total: i64 = 0;
        loop {
            for (open, close) in self.spans(date) {
                let (open, close) = (open.max(start), close.min(end));
                if open < close {
                    total += close - open;
                }
            }
            if date >= last {
                break;
            }
            match date.succ_opt() {
                Some(next) => date = next,
                None => break,
            }
        }
        u32::try_from(total).unwrap_or(u32::MAX)
    }

    /// The latest instant `s` with `elapsed(s, end) == minutes` (`end` truncated to its minute):
    /// lands on an opening time rather than the previous closing; zero minutes returns `end`
    /// unchanged. If the calendar has too little time within [`MAX_SEARCH_DAYS`] days, returns
    /// the local midnight starting that search window.
    pub fn subtract(&self, end: DateTime<Utc>, minutes: u32) -> DateTime<Utc> {
        if minutes == 0 {
            return end;
        }
        let until = minute_of(end);
        let mut remaining = i64::from(minutes);
        let mut date = self.local_date(end).succ_opt().unwrap_or(NaiveDate::MAX);
        for _ in 0..MAX_SEARCH_DAYS {
            for (open, close) in self.spans(date).rev() {
                if open >= until {
                    continue;
                }
                let close = close.min(until);
                let available = close - open;
                if remaining <= available {
                    return instant(close - remaining);
                }
                remaining -= available;
            }
            match date.pred_opt() {
                Some(previous) => date = previous,
                None => return DateTime::<Utc>::MIN_UTC,
            }
        }
        instant(self.boundary(date, MINUTES_PER_DAY))
    }

    fn local_date(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.tz).date_naive()
    }

    /// The non-empty working spans of a local date as `[open, close)` UTC minute numbers, in order.
    fn spans(&self, date: NaiveDate) -> impl DoubleEndedIterator<Item = (i64, i64)> + '_ {
        let intervals: &[WorkInterval] = if self.is_holiday(date) {
            &[]
        } else {
            &self.week[date.weekday().num_days_from_monday() as usize]
        };
        intervals
            .iter()
            .map(move |interval| (self.boundary(date, interval.start), self.boundary(date, interval.end)))
            .filter(|&(open, close)| open < close)
    }

    /// UTC minute number of the first instant the local wall clock reads `minute` on `date`, or
    /// later: a gap resolves to its end, a fold to its first pass, 1440 to the next midnight.
    fn boundary(&self, date: NaiveDate, minute: u16) -> i64 {
        let (date, minute) = if minute >= MINUTES_PER_DAY {
            match date.succ_opt() {
                Some(next) => (next, 0),
                None => return minute_of(DateTime::<Utc>::MAX_UTC),
            }
        } else {
            (date, minute)
        };
        let Some(mut local) = date.and_hms_opt(u32::from(minute / 60), u32::from(minute % 60), 0) else {
            return minute_of(DateTime::<Utc>::MAX_UTC);
        };
        for _ in 0..MAX_GAP_MINUTES {
            match self.tz.from_local_datetime(&local) {
                LocalResult::Single(at) => return at.timestamp().div_euclid(60),
                LocalResult::Ambiguous(earliest, _) => return earliest.timestamp().div_euclid(60),
                LocalResult::None => local += Duration::minutes(1),
            }
        }
        local.and_utc().timestamp().div_euclid(60)
    }
}

fn parse_time_zone(raw: &str) -> Result<(String, Tz), FieldError> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(FieldError::new("time_zone", "Time zone is required"));
    }
    name.parse::<Tz>().map(|tz| (name.to_string(), tz)).map_err(|_| {
        FieldError::new("time_zone", format!("Unknown time zone '{name}': use an IANA name such as Europe/Paris"))
    })
}

/// Whole UTC minutes since the Unix epoch, rounding down.
fn minute_of(at: DateTime<Utc>) -> i64 {
    at.timestamp().div_euclid(60)
}

/// The instant starting UTC minute number `minute`.
fn instant(minute: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp(minute.saturating_mul(60), 0).unwrap_or(if minute < 0 {
        DateTime::<Utc>::MIN_UTC
    } else {
        DateTime::<Utc>::MAX_UTC
    })
}

#[derive(Serialize)]
struct CalendarRef<'a> {
    time_zone: &'a str,
    week: &'a [Vec<WorkInterval>; 7],
    holidays: &'a [Holiday],
}

#[derive(Deserialize)]
struct CalendarData {
    time_zone: String,
    week: [Vec<WorkInterval>; 7],
    #[serde(default)]
    holidays: Vec<Holiday>,
}

impl Serialize for BusinessCalendar {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        CalendarRef { time_zone: &self.tz_name, week: &self.week, holidays: &self.holidays }.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for BusinessCalendar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let data = CalendarData::deserialize(deserializer)?;
        Self::new(&data.time_zone, data.week, data.holidays).map_err(|errors| {
            let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
            <D::Error as serde::de::Error>::custom(messages.join("; "))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn iv(raw: &str) -> WorkInterval {
        WorkInterval::parse(raw).unwrap()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
    }

    /// Local wall time in `zone` (first occurrence when ambiguous) as UTC.
    fn local(zone: &str, y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        let tz: Tz = zone.parse().unwrap();
        tz.with_ymd_and_hms(y, mo, d, h, mi, 0).earliest().unwrap().with_timezone(&Utc)
    }

    fn paris(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        local("Europe/Paris", y, mo, d, h, mi)
    }

    fn new_york(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        local("America/New_York", y, mo, d, h, mi)
    }

    fn weekdays(hours: &[&str]) -> [Vec<WorkInterval>; 7] {
        let day: Vec<WorkInterval> = hours.iter().map(|h| iv(h)).collect();
        [day.clone(), day.clone(), day.clone(), day.clone(), day, vec![], vec![]]
    }

    fn sundays(zone: &str, hours: &str) -> BusinessCalendar {
        let mut week: [Vec<WorkInterval>; 7] = Default::default();
        week[6] = vec![iv(hours)];
        BusinessCalendar::new(zone, week, vec![]).unwrap()
    }

    /// Mon–Fri 09:00–13:00 and 14:00–18:00 in Paris, off on Christmas and Ascension Day 2026.
    fn paris_office() -> BusinessCalendar {
        BusinessCalendar::new(
            "Europe/Paris",
            weekdays(&["09:00-13:00", "14:00-18:00"]),
            vec![Holiday::parse("12-25").unwrap(), Holiday::parse("2026-05-14").unwrap()],
        )
        .unwrap()
    }

    #[test]
    fn work_interval_parses_and_rejects() {
        assert_eq!(iv("09:00-13:00"), WorkInterval::new(540, 780).unwrap());
        assert_eq!(iv(" 9:30 - 17:45 ").start(), 570);
        assert_eq!(iv("18:00-24:00").end(), 1440);
        assert_eq!(iv("00:00-24:00"), WorkInterval::FULL_DAY);
        assert_eq!(iv("09:00-13:00").to_string(), "09:00-13:00");
        assert_eq!(iv("09:00-13:00").minutes(), 240);

        let end_before_start = WorkInterval::parse("13:00-09:00").unwrap_err();
        assert_eq!(end_before_start.field, "hours");
        assert!(end_before_start.message.contains("13:00-09:00"));
        let bad_hour = WorkInterval::parse("09:00-25:00").unwrap_err();
        assert_eq!(bad_hour.field, "hours");
        assert!(bad_hour.message.contains("25:00"));
        for raw in ["", "09:00", "0900-1700", "09:0-10:00", "9h-10h", "09:60-10:00", "24:00-24:00", "24:30-24:45"] {
            assert_eq!(WorkInterval::parse(raw).unwrap_err().field, "hours", "{raw}");
        }
        assert!(WorkInterval::new(600, 600).is_err());
        assert!(WorkInterval::new(0, 1441).is_err());
    }

    #[test]
    fn holiday_parses_and_matches() {
        assert_eq!(Holiday::parse("2026-12-25").unwrap(), Holiday::Date(date(2026, 12, 25)));
        assert_eq!(Holiday::parse("12-25").unwrap(), Holiday::Yearly { month: 12, day: 25 });
        assert_eq!(Holiday::parse("02-29").unwrap().to_string(), "02-29");
        assert_eq!(Holiday::parse("2026-05-14").unwrap().to_string(), "2026-05-14");
        for raw in ["02-30", "13-01", "2026-02-29", "christmas", "", "2026-12-25-1", "26-12-25"] {
            assert_eq!(Holiday::parse(raw).unwrap_err().field, "holidays", "{raw}");
        }
        let christmas = Holiday::Yearly { month: 12, day: 25 };
        assert!(christmas.matches(date(2026, 12, 25)));
        assert!(christmas.matches(date(2031, 12, 25)));
        assert!(!christmas.matches(date(2026, 12, 24)));
        let leap = Holiday::Yearly { month: 2, day: 29 };
        assert!(leap.matches(date(2028, 2, 29)));
        assert!(!leap.matches(date(2026, 2, 28)) && !leap.matches(date(2026, 3, 1)));
    }

    #[test]
    fn calendar_validation_reports_every_problem() {
        let errors = BusinessCalendar::new("Europe/Pariss", Default::default(), vec![]).unwrap_err();
        assert!(errors.iter().any(|e| e.field == "time_zone" && e.message.contains("Europe/Pariss")));
        assert!(errors.iter().any(|e| e.field == "hours"));

        let mut week: [Vec<WorkInterval>; 7] = Default::default();
        week[0] = vec![iv("09:00-13:00"), iv("12:00-14:00")];
        week[2] = vec![iv("12:00-13:00"), iv("09:00-18:00"), iv("10:00-11:00")];
        let errors = BusinessCalendar::new("UTC", week, vec![]).unwrap_err();
        assert_eq!(errors.len(), 3);
        assert!(errors.iter().all(|e| e.field == "hours"));
        assert!(errors[0].message.contains("Monday"));
        assert!(errors[2].message.contains("Wednesday: 09:00-18:00 overlaps 12:00-13:00"));

        let errors =
            BusinessCalendar::new("UTC", weekdays(&["09:00-17:00"]), vec![Holiday::Yearly { month: 2, day: 30 }])
                .unwrap_err();
        assert_eq!(errors[0].field, "holidays");

        assert_eq!(BusinessCalendar::new(" ", weekdays(&["09:00-17:00"]), vec![]).unwrap_err()[0].field, "time_zone");
        assert_eq!(BusinessCalendar::always("Mars/Olympus").unwrap_err().field, "time_zone");
    }

    #[test]
    fn calendar_sorts_days_and_allows_touching_intervals() {
        let cal = BusinessCalendar::new("Europe/Paris", weekdays(&["14:00-18:00", "09:00-14:00"]), vec![]).unwrap();
        assert_eq!(cal.day(Weekday::Mon), &[iv("09:00-14:00"), iv("14:00-18:00")]);
        assert_eq!(cal.time_zone(), "Europe/Paris");
        assert_eq!(cal.tz(), chrono_tz::Europe::Paris);
        assert_eq!(cal.add(paris(2026, 3, 2, 9, 0), 300), paris(2026, 3, 2, 14, 0));
        assert_eq!(cal.add(paris(2026, 3, 2, 9, 0), 540), paris(2026, 3, 2, 18, 0));
        assert_eq!(cal.elapsed(paris(2026, 3, 2, 0, 0), paris(2026, 3, 3, 0, 0)), 540);
    }

    #[test]
    fn is_working_follows_hours_weekends_and_holidays() {
        let cal = paris_office();
        assert!(cal.is_working(paris(2026, 3, 2, 9, 0)));
        assert!(!cal.is_working(paris(2026, 3, 2, 8, 59)));
        assert!(!cal.is_working(paris(2026, 3, 2, 8, 59) + Duration::seconds(59)));
        assert!(cal.is_working(paris(2026, 3, 2, 12, 59)));
        assert!(!cal.is_working(paris(2026, 3, 2, 13, 0)));
        assert!(cal.is_working(paris(2026, 3, 2, 17, 59)));
        assert!(!cal.is_working(paris(2026, 3, 2, 18, 0)));
        assert!(!cal.is_working(paris(2026, 3, 7, 10, 0)));
        assert!(!cal.is_working(paris(2026, 12, 25, 10, 0)));
        assert!(!cal.is_working(paris(2026, 5, 14, 10, 0)));
        assert!(cal.is_working(paris(2027, 5, 14, 10, 0)));
    }

    #[test]
    fn add_within_a_day_and_across_lunch() {
        let cal = paris_office();
        assert_eq!(cal.add(paris(2026, 3, 2, 9, 0), 90), paris(2026, 3, 2, 10, 30));
        assert_eq!(cal.add(paris(2026, 3, 2, 12, 30), 60), paris(2026, 3, 2, 14, 30));
    }

    #[test]
    fn add_lands_on_closing_time() {
        let cal = paris_office();
        let monday = paris(2026, 3, 2, 9, 0);
        assert_eq!(cal.add(monday, 240), paris(2026, 3, 2, 13, 0));
        assert_eq!(cal.add(monday, 241), paris(2026, 3, 2, 14, 1));
        assert_eq!(cal.add(monday, 480), paris(2026, 3, 2, 18, 0));
        assert_eq!(cal.add(monday, 481), paris(2026, 3, 3, 9, 1));
    }

    #[test]
    fn add_across_weekend_and_holidays() {
        let cal = paris_office();
        assert_eq!(cal.add(paris(2026, 3, 6, 17, 0), 120), paris(2026, 3, 9, 10, 0));
        assert_eq!(cal.add(paris(2026, 12, 24, 17, 0), 120), paris(2026, 12, 28, 10, 0));
        assert_eq!(cal.add(paris(2026, 5, 13, 17, 30), 60), paris(2026, 5, 15, 9, 30));
    }

    #[test]
    fn add_zero_and_outside_hours() {
        let cal = paris_office();
        let saturday = paris(2026, 3, 7, 3, 17) + Duration::seconds(42);
        assert_eq!(cal.add(saturday, 0), saturday);
        assert_eq!(cal.add(saturday, 1), paris(2026, 3, 9, 9, 1));
        assert_eq!(cal.add(paris(2026, 3, 2, 7, 0), 60), paris(2026, 3, 2, 10, 0));
        assert_eq!(cal.add(paris(2026, 3, 2, 13, 30), 30), paris(2026, 3, 2, 14, 30));
        assert_eq!(cal.add(paris(2026, 3, 2, 19, 0), 60), paris(2026, 3, 3, 10, 0));
    }

    #[test]
    fn start_is_truncated_to_the_minute() {
        let cal = paris_office();
        assert_eq!(cal.add(paris(2026, 3, 2, 9, 0) + Duration::seconds(45), 1), paris(2026, 3, 2, 9, 1));
        let start = paris(2026, 3, 2, 9, 0);
        assert_eq!(cal.elapsed(start + Duration::seconds(30), start + Duration::seconds(60)), 1);
        assert_eq!(cal.elapsed(start + Duration::seconds(10), start + Duration::seconds(50)), 0);
    }

    #[test]
    fn thirty_business_days_out() {
        let cal = paris_office();
        assert_eq!(cal.add(paris(2026, 3, 2, 9, 0), 30 * 480), paris(2026, 4, 10, 18, 0));
        assert_eq!(cal.subtract(paris(2026, 4, 10, 18, 0), 30 * 480), paris(2026, 3, 2, 9, 0));
    }

    #[test]
    fn elapsed_basics() {
        let cal = paris_office();
        assert_eq!(cal.elapsed(paris(2026, 3, 2, 9, 0), paris(2026, 3, 2, 18, 0)), 480);
        assert_eq!(cal.elapsed(paris(2026, 3, 6, 17, 0), paris(2026, 3, 9, 10, 0)), 120);
        assert_eq!(cal.elapsed(paris(2026, 3, 9, 10, 0), paris(2026, 3, 6, 17, 0)), 0);
        assert_eq!(cal.elapsed(paris(2026, 3, 7, 0, 0), paris(2026, 3, 9, 0, 0)), 0);
        assert_eq!(cal.elapsed(paris(2026, 3, 2, 0, 0), paris(2026, 3, 9, 0, 0)), 2400);
        assert_eq!(cal.elapsed(paris(2026, 12, 21, 0, 0), paris(2026, 12, 28, 0, 0)), 1920);
    }

    #[test]
    fn subtract_basics() {
        let cal = paris_office();
        let end = paris(2026, 3, 9, 10, 0) + Duration::seconds(20);
        assert_eq!(cal.subtract(end, 0), end);
        assert_eq!(cal.subtract(paris(2026, 3, 9, 10, 0), 120), paris(2026, 3, 6, 17, 0));
        assert_eq!(cal.subtract(paris(2026, 3, 9, 9, 0), 60), paris(2026, 3, 6, 17, 0));
        assert_eq!(cal.subtract(paris(2026, 3, 10, 10, 0), 60), paris(2026, 3, 10, 9, 0));
        assert_eq!(cal.subtract(paris(2026, 3, 9, 14, 0), 60), paris(2026, 3, 9, 12, 0));
        assert_eq!(cal.subtract(paris(2026, 3, 9, 14, 30), 30), paris(2026, 3, 9, 14, 0));
        assert_eq!(cal.subtract(paris(2026, 12, 28, 10, 0), 120), paris(2026, 12, 24, 17, 0));
    }

    #[test]
    fn round_the_clock_counts_real_minutes_over_dst_days() {
        let cal = BusinessCalendar::always("Europe/Paris").unwrap();
        assert_eq!(cal.elapsed(paris(2026, 3, 29, 0, 0), paris(2026, 3, 30, 0, 0)), 1380);
        assert_eq!(cal.elapsed(paris(2026, 10, 25, 0, 0), paris(2026, 10, 26, 0, 0)), 1500);
        assert_eq!(cal.elapsed(paris(2026, 3, 22, 0, 0), paris(2026, 3, 23, 0, 0)), 1440);
        assert_eq!(cal.add(paris(2026, 3, 29, 0, 0), 1380), paris(2026, 3, 30, 0, 0));
        assert_eq!(cal.add(paris(2026, 10, 25, 0, 0), 1500), paris(2026, 10, 26, 0, 0));
        assert_eq!(cal.subtract(paris(2026, 10, 26, 0, 0), 1500), paris(2026, 10, 25, 0, 0));
        let fold = utc(2026, 10, 25, 0, 0);
        for minute in 0..180 {
            assert!(cal.is_working(fold + Duration::minutes(minute)));
        }

        let ny = BusinessCalendar::always("America/New_York").unwrap();
        assert_eq!(ny.elapsed(new_york(2026, 3, 8, 0, 0), new_york(2026, 3, 9, 0, 0)), 1380);
        assert_eq!(ny.elapsed(new_york(2026, 11, 1, 0, 0), new_york(2026, 11, 2, 0, 0)), 1500);
    }

    #[test]
    fn working_sundays_count_real_minutes_over_dst() {
        let cal = sundays("Europe/Paris", "00:00-24:00");
        assert_eq!(cal.elapsed(paris(2026, 3, 23, 0, 0), paris(2026, 3, 30, 0, 0)), 1380);
        assert_eq!(cal.elapsed(paris(2026, 10, 19, 0, 0), paris(2026, 10, 26, 0, 0)), 1500);
        assert_eq!(cal.elapsed(paris(2026, 3, 16, 0, 0), paris(2026, 3, 23, 0, 0)), 1440);

        let night = sundays("Europe/Paris", "01:00-04:00");
        assert_eq!(night.elapsed(paris(2026, 3, 29, 0, 0), paris(2026, 3, 30, 0, 0)), 120);
        assert_eq!(night.elapsed(paris(2026, 10, 25, 0, 0), paris(2026, 10, 26, 0, 0)), 240);
        assert_eq!(night.elapsed(paris(2026, 3, 22, 0, 0), paris(2026, 3, 23, 0, 0)), 180);
        assert_eq!(night.add(paris(2026, 3, 29, 1, 0), 60), paris(2026, 3, 29, 3, 0));
        assert_eq!(night.add(paris(2026, 3, 29, 1, 0), 120), paris(2026, 3, 29, 4, 0));
        assert_eq!(night.add(paris(2026, 10, 25, 1, 0), 240), utc(2026, 10, 25, 3, 0));

        let skipped = sundays("Europe/Paris", "02:00-03:00");
        assert_eq!(skipped.elapsed(paris(2026, 3, 29, 0, 0), paris(2026, 3, 30, 0, 0)), 0);
        assert_eq!(skipped.elapsed(paris(2026, 10, 25, 0, 0), paris(2026, 10, 26, 0, 0)), 120);
        assert_eq!(skipped.elapsed(paris(2026, 3, 22, 0, 0), paris(2026, 3, 23, 0, 0)), 60);
        assert_eq!(skipped.add(paris(2026, 3, 28, 12, 0), 60), paris(2026, 4, 5, 3, 0));
    }

    #[test]
    fn office_hours_follow_local_time_across_dst() {
        let cal = paris_office();
        assert_eq!(cal.add(paris(2026, 3, 27, 17, 0), 120), paris(2026, 3, 30, 10, 0));
        assert_eq!(cal.elapsed(paris(2026, 3, 27, 9, 0), paris(2026, 3, 30, 18, 0)), 960);
        assert_eq!(cal.elapsed(paris(2026, 3, 23, 0, 0), paris(2026, 3, 30, 0, 0)), 2400);
        assert_eq!(cal.subtract(paris(2026, 10, 26, 10, 0), 120), paris(2026, 10, 23, 17, 0));

        let ny = BusinessCalendar::new("America/New_York", weekdays(&["09:00-17:00"]), vec![]).unwrap();
        assert_eq!(ny.add(new_york(2026, 3, 6, 16, 0), 120), new_york(2026, 3, 9, 10, 0));
        assert_eq!(ny.add(new_york(2026, 3, 6, 16, 0), 120), utc(2026, 3, 9, 14, 0));
        assert_eq!(ny.elapsed(new_york(2026, 3, 6, 9, 0), new_york(2026, 3, 9, 17, 0)), 960);
        assert_eq!(ny.add(new_york(2026, 10, 30, 16, 0), 120), utc(2026, 11, 2, 15, 0));
    }

    #[test]
    fn leap_day_holiday_only_in_leap_years() {
        let cal = BusinessCalendar::new(
            "UTC",
            std::array::from_fn(|_| vec![WorkInterval::FULL_DAY]),
            vec![Holiday::Yearly { month: 2, day: 29 }],
        )
        .unwrap();
        assert!(!cal.is_working(utc(2028, 2, 29, 12, 0)));
        assert!(cal.is_working(utc(2026, 2, 28, 12, 0)));
        assert!(cal.is_working(utc(2026, 3, 1, 12, 0)));
        assert_eq!(cal.elapsed(utc(2028, 2, 1, 0, 0), utc(2028, 3, 1, 0, 0)), 28 * 1440);
        assert_eq!(cal.elapsed(utc(2026, 2, 1, 0, 0), utc(2026, 3, 1, 0, 0)), 28 * 1440);
    }

    #[test]
    fn search_is_capped_when_holidays_cover_everything() {
        let every_day: Vec<Holiday> = (1..=12u32)
            .flat_map(|month| (1..=31u32).map(move |day| (month, day)))
            .filter(|&(month, day)| valid_yearly(month, day))
            .map(|(month, day)| Holiday::Yearly { month, day })
            .collect();
        assert_eq!(every_day.len(), 366);
        let cal = BusinessCalendar::new("UTC", weekdays(&["09:00-17:00"]), every_day).unwrap();
        let start = utc(2026, 1, 1, 12, 0);
        let after = cal.add(start, 1);
        assert_eq!(after, utc(2026, 1, 1, 0, 0) + Duration::days(i64::from(MAX_SEARCH_DAYS)));
        assert_eq!(cal.elapsed(start, after), 0);
        let before = cal.subtract(start, 1);
        assert_eq!(before, utc(2026, 1, 2, 0, 0) - Duration::days(i64::from(MAX_SEARCH_DAYS) - 1));
        assert!(!cal.is_working(start));
    }

    #[test]
    fn serde_round_trip_validates() {
        let cal = paris_office();
        let json = serde_json::to_value(&cal).unwrap();
        assert_eq!(json["time_zone"], "Europe/Paris");
        assert_eq!(json["week"][0], serde_json::json!(["09:00-13:00", "14:00-18:00"]));
        assert_eq!(json["week"][6], serde_json::json!([]));
        assert_eq!(json["holidays"], serde_json::json!(["12-25", "2026-05-14"]));
        let back: BusinessCalendar = serde_json::from_value(json).unwrap();
        assert_eq!(back, cal);

        let bad_zone = serde_json::json!({"time_zone": "Mars/Olympus", "week": [["09:00-17:00"], [], [], [], [], [], []]});
        let err = serde_json::from_value::<BusinessCalendar>(bad_zone).unwrap_err();
        assert!(err.to_string().contains("Mars/Olympus"));
        let bad_hours = serde_json::json!({"time_zone": "UTC", "week": [["09:00-25:00"], [], [], [], [], [], []]});
        assert!(serde_json::from_value::<BusinessCalendar>(bad_hours).is_err());
    }

    const ZONES: [&str; 6] =
        ["UTC", "Europe/Paris", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "America/Sao_Paulo"];

    /// 2026 offset changes as UTC (month, day, hour): Paris, New York, Sydney.
    const DST_CHANGES: [(u32, u32, u32); 6] =
        [(3, 29, 1), (10, 25, 1), (3, 8, 7), (11, 1, 6), (4, 4, 16), (10, 3, 16)];

    /// Brute-force window, in minutes.
    const WINDOW: usize = 3 * 1440;

    /// 0–3 intervals on quarter-hour boundaries, sometimes touching.
    fn arb_day() -> impl Strategy<Value = Vec<WorkInterval>> {
        prop::collection::vec(0u16..=96, 0..=6).prop_map(|mut marks| {
            marks.sort_unstable();
            marks
                .chunks_exact(2)
                .filter(|pair| pair[0] < pair[1])
                .map(|pair| WorkInterval::new(pair[0] * 15, pair[1] * 15).unwrap())
                .collect::<Vec<_>>()
        })
    }

    fn arb_holiday() -> impl Strategy<Value = Holiday> {
        prop_oneof![
            (0i64..420).prop_map(|offset| Holiday::Date(date(2025, 12, 1) + Duration::days(offset))),
            (1u32..=12, 1u32..=28).prop_map(|(month, day)| Holiday::Yearly { month, day }),
        ]
    }

    fn arb_calendar() -> impl Strategy<Value = BusinessCalendar> {
        (
            prop::sample::select(ZONES.to_vec()),
            prop::array::uniform7(arb_day()),
            prop::collection::vec(arb_holiday(), 0..=5),
        )
            .prop_map(|(zone, mut week, holidays)| {
                if week.iter().all(Vec::is_empty) {
                    week[2] = vec![WorkInterval::new(540, 1020).unwrap()];
                }
                BusinessCalendar::new(zone, week, holidays).unwrap()
            })
    }

    /// Any second of 2026, or within a week of a daylight-saving change.
    fn arb_instant() -> impl Strategy<Value = DateTime<Utc>> {
        prop_oneof![
            (0i64..365 * 86_400).prop_map(|secs| utc(2026, 1, 1, 0, 0) + Duration::seconds(secs)),
            (prop::sample::select(DST_CHANGES.to_vec()), -7 * 86_400i64..7 * 86_400)
                .prop_map(|((month, day, hour), secs)| utc(2026, month, day, hour, 0) + Duration::seconds(secs)),
        ]
    }

    /// Whether `at` lies well inside the search window from `from` (the cap was not hit).
    fn within_cap(from: DateTime<Utc>, at: DateTime<Utc>) -> bool {
        (at - from).num_days().abs() < i64::from(MAX_SEARCH_DAYS) - 10
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn elapsed_undoes_add(cal in arb_calendar(), start in arb_instant(), minutes in 0u32..20_000) {
            let end = cal.add(start, minutes);
            prop_assert!(end >= start);
            if within_cap(start, end) {
                prop_assert_eq!(cal.elapsed(start, end), minutes);
                prop_assert_eq!(cal.elapsed(instant(minute_of(start)), end), minutes);
            } else {
                prop_assert!(cal.elapsed(start, end) <= minutes);
            }
        }

        #[test]
        fn add_is_monotonic(cal in arb_calendar(), start in arb_instant(), a in 0u32..20_000, b in 0u32..20_000) {
            let (low, high) = (a.min(b), a.max(b));
            let (early, late) = (cal.add(start, low), cal.add(start, high));
            prop_assert!(early <= late);
            if low < high && within_cap(start, late) {
                prop_assert!(early < late);
            }
        }

        #[test]
        fn elapsed_undoes_subtract(cal in arb_calendar(), end in arb_instant(), minutes in 0u32..20_000) {
            let start = cal.subtract(end, minutes);
            prop_assert!(start <= end);
            if within_cap(start, end) {
                prop_assert_eq!(cal.elapsed(start, end), minutes);
            }
        }

        #[test]
        fn add_and_subtract_mirror_each_other(cal in arb_calendar(), at in arb_instant(), minutes in 1u32..20_000) {
            let end = cal.add(at, minutes);
            if within_cap(at, end) {
                prop_assert_eq!(cal.subtract(end, minutes), cal.add(at, 1) - Duration::minutes(1));
            }
            let start = cal.subtract(at, minutes);
            if within_cap(start, at) {
                prop_assert_eq!(cal.add(start, minutes), cal.subtract(at, 1) + Duration::minutes(1));
            }
        }

        #[test]
        fn elapsed_is_additive(cal in arb_calendar(), from in arb_instant(), a in 0i64..20_000, b in 0i64..20_000) {
            let middle = from + Duration::minutes(a);
            let to = middle + Duration::minutes(b);
            prop_assert_eq!(cal.elapsed(from, to), cal.elapsed(from, middle) + cal.elapsed(middle, to));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]

        #[test]
        fn agrees_with_minute_by_minute_reference(
            cal in arb_calendar(),
            start in arb_instant(),
            minutes in 1u32..=3000,
            span in 0usize..=WINDOW,
        ) {
            let first = minute_of(start);
            let at = |i: usize| instant(first + i as i64);
            let working: Vec<bool> = (0..WINDOW).map(|i| cal.is_working(at(i))).collect();

            let expected = working[..span].iter().filter(|w| **w).count() as u32;
            prop_assert_eq!(cal.elapsed(start, at(span)), expected);

            let mut counted = 0u32;
            for i in 0..WINDOW {
                if i > 0 && working[i] != working[i - 1] {
                    prop_assert_eq!(cal.elapsed(start, at(i)), counted);
                }
                if working[i] {
                    counted += 1;
                    let closes = i + 1 == WINDOW || !working[i + 1];
                    if counted == minutes || closes {
                        prop_assert_eq!(cal.add(start, counted), at(i + 1));
                    }
                }
            }
            if counted < minutes {
                prop_assert!(cal.add(start, minutes) > at(WINDOW));
            }

            let end = at(WINDOW);
            let mut back = 0u32;
            for i in (0..WINDOW).rev() {
                if working[i] {
                    back += 1;
                    let opens = i == 0 || !working[i - 1];
                    if back == minutes || opens {
                        prop_assert_eq!(cal.subtract(end, back), at(i));
                    }
                }
            }
        }
    }
}
