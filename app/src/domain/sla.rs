//! SLA clocks: from a ticket's lifecycle events to elapsed business time, remaining time, due,
//! warning and breach instants — one pure function, run by the server and by the browser
//! countdown alike.

use super::calendar::BusinessCalendar;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Which promise a clock measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum SlaMetric {
    #[default]
    /// Until an agent first answers the requester publicly.
    FirstResponse,
    /// Until the ticket is resolved (resumed by a reopen).
    Resolution,
}

impl SlaMetric {
    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::FirstResponse => "first_response",
            Self::Resolution => "resolution",
        }
    }

    /// Label for people.
    pub fn label(self) -> &'static str {
        match self {
            Self::FirstResponse => "First response",
            Self::Resolution => "Resolution",
        }
    }
}

/// What happened to a clock at an instant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ClockEventKind {
    /// The clock starts (ticket created) or restarts (reopened).
    Start,
    /// Paused (e.g. on hold awaiting the caller).
    Pause {
        /// Why.
        reason: String,
    },
    /// Running again.
    Resume,
    /// Met: responded / resolved / closed.
    Stop,
}

/// One change to a clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockEvent {
    /// When.
    pub at: DateTime<Utc>,
    /// What.
    #[serde(flatten)]
    pub kind: ClockEventKind,
}

/// Where a clock is now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockState {
    /// Counting.
    Running,
    /// Not counting, will resume.
    Paused,
    /// Finished.
    Stopped,
}

/// A stretch of the clock's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockSegment {
    /// From.
    pub from: DateTime<Utc>,
    /// To (`None`: still going).
    pub to: Option<DateTime<Utc>>,
    /// Counting time during it.
    pub running: bool,
    /// Pause reason.
    pub reason: Option<String>,
    /// Business minutes counted in it.
    pub business_minutes: u32,
}

/// The evaluated clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockStatus {
    /// Running, paused or stopped.
    pub state: ClockState,
    /// Target in business minutes.
    pub target_minutes: u32,
    /// Business minutes counted so far.
    pub elapsed_minutes: u32,
    /// Target minus elapsed (negative once breached).
    pub remaining_minutes: i64,
    /// When the target is (or was) reached, if it can be known: for a running clock the
    /// projected breach instant; for any clock that already breached, the breach instant.
    pub due_at: Option<DateTime<Utc>>,
    /// When the warning threshold is (or was) reached, on the same terms.
    pub warn_at: Option<DateTime<Utc>>,
    /// Elapsed reached the target.
    pub breached: bool,
    /// Start/pause/resume/stop history.
    pub segments: Vec<ClockSegment>,
    /// The instant this status was computed for.
    pub evaluated_at: DateTime<Utc>,
}

impl ClockStatus {
    /// Elapsed business minutes at `now` (≥ `evaluated_at`), continuing a running clock on `calendar`
    /// — what the browser countdown calls every second.
    pub fn elapsed_at(&self, calendar: &BusinessCalendar, now: DateTime<Utc>) -> u32 {
        match self.state {
            ClockState::Running => self.elapsed_minutes + calendar.elapsed(self.evaluated_at, now),
            _ => self.elapsed_minutes,
        }
    }
}

/// Evaluates a clock from its events (any order; same-instant events keep their given order).
/// `warn_percent` of the target gives the warning instant.
pub fn evaluate(
    events: &[ClockEvent],
    calendar: &BusinessCalendar,
    target_minutes: u32,
    warn_percent: u8,
    now: DateTime<Utc>,
) -> ClockStatus {
    let mut sorted: Vec<&ClockEvent> = events.iter().collect();
    sorted.sort_by_key(|e| e.at);
    let mut segments: Vec<ClockSegment> = Vec::new();
    let mut state = ClockState::Stopped;
    let mut started = false;
    for e in sorted {
        let next = match (&e.kind, state) {
            (ClockEventKind::Start, ClockState::Stopped) => Some((ClockState::Running, None)),
            (ClockEventKind::Start | ClockEventKind::Resume, ClockState::Paused) => Some((ClockState::Running, None)),
            (ClockEventKind::Resume, ClockState::Stopped) if started => Some((ClockState::Running, None)),
            (ClockEventKind::Pause { reason }, ClockState::Running) => Some((ClockState::Paused, Some(reason.clone()))),
            (ClockEventKind::Stop, ClockState::Running | ClockState::Paused) => Some((ClockState::Stopped, None)),
            _ => None,
        };
        let Some((to_state, reason)) = next else { continue };
        if let Some(last) = segments.last_mut() {
            if last.to.is_none() {
                last.to = Some(e.at);
            }
        }
        started = true;
        state = to_state;
        if state != ClockState::Stopped {
            segments.push(ClockSegment { from: e.at, to: None, running: state == ClockState::Running, reason, business_minutes: 0 });
        }
    }
    let mut elapsed = 0u32;
    let target_instant = |cum: u32, goal: u32, seg: &ClockSegment| calendar.add(seg.from, goal - cum);
    let warn_goal = ((target_minutes as u64 * warn_percent.min(100) as u64) / 100) as u32;
    let (mut due_at, mut warn_at) = (None, None);
    for seg in segments.iter_mut() {
        if !seg.running {
            continue;
        }
        let end = seg.to.unwrap_or(now).max(seg.from);
        let minutes = calendar.elapsed(seg.from, end);
        seg.business_minutes = minutes;
        if warn_at.is_none() && elapsed + minutes >= warn_goal && (seg.to.is_some() || elapsed + minutes > warn_goal || warn_goal == 0) {
            warn_at = Some(target_instant(elapsed, warn_goal.max(elapsed), seg));
        }
        if due_at.is_none() && elapsed + minutes >= target_minutes && (seg.to.is_some() || elapsed + minutes > target_minutes || target_minutes == 0) {
            due_at = Some(target_instant(elapsed, target_minutes.max(elapsed), seg));
        }
        elapsed += minutes;
    }
    if state == ClockState::Running {
        let current = segments.last().map(|s| s.from).unwrap_or(now);
        let before_current = elapsed - segments.last().map(|s| s.business_minutes).unwrap_or(0);
        if due_at.is_none() {
            due_at = Some(calendar.add(current, target_minutes.saturating_sub(before_current)));
        }
        if warn_at.is_none() {
            warn_at = Some(calendar.add(current, warn_goal.saturating_sub(before_current)));
        }
    }
    ClockStatus {
        state,
        target_minutes,
        elapsed_minutes: elapsed,
        remaining_minutes: target_minutes as i64 - elapsed as i64,
        breached: elapsed >= target_minutes && started,
        due_at,
        warn_at,
        segments,
        evaluated_at: now,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::WorkInterval;
    use chrono::TimeZone;

    fn paris_office() -> BusinessCalendar {
        let day = vec![WorkInterval::parse("09:00-13:00").unwrap(), WorkInterval::parse("14:00-18:00").unwrap()];
        BusinessCalendar::new(
            "Europe/Paris",
            [day.clone(), day.clone(), day.clone(), day.clone(), day, vec![], vec![]],
            vec![],
        )
        .unwrap()
    }

    fn utc(d: u32, h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, d, h, m, 0).unwrap()
    }

    fn ev(at: DateTime<Utc>, kind: ClockEventKind) -> ClockEvent {
        ClockEvent { at, kind }
    }

    #[test]
    fn running_clock_projects_due_and_warning() {
        let cal = BusinessCalendar::always("UTC").unwrap();
        let s = evaluate(&[ev(utc(23, 10, 0), ClockEventKind::Start)], &cal, 240, 75, utc(23, 11, 0));
        assert_eq!(s.state, ClockState::Running);
        assert_eq!(s.elapsed_minutes, 60);
        assert_eq!(s.remaining_minutes, 180);
        assert_eq!(s.due_at, Some(utc(23, 14, 0)));
        assert_eq!(s.warn_at, Some(utc(23, 13, 0)));
        assert!(!s.breached);
        assert_eq!(s.elapsed_at(&cal, utc(23, 11, 30)), 90);
    }

    #[test]
    fn pauses_do_not_count_and_push_the_due_date() {
        let cal = BusinessCalendar::always("UTC").unwrap();
        let events = [
            ev(utc(23, 10, 0), ClockEventKind::Start),
            ev(utc(23, 11, 0), ClockEventKind::Pause { reason: "awaiting_caller".into() }),
            ev(utc(23, 15, 0), ClockEventKind::Resume),
        ];
        let s = evaluate(&events, &cal, 240, 75, utc(23, 16, 0));
        assert_eq!(s.elapsed_minutes, 120);
        assert_eq!(s.due_at, Some(utc(23, 18, 0)), "60 min before the pause, 180 left from 15:00");
        assert_eq!(s.segments.len(), 3);
        assert_eq!(s.segments[1].reason.as_deref(), Some("awaiting_caller"));
        assert!(!s.segments[1].running);
    }

    #[test]
    fn stop_freezes_and_reopen_resumes() {
        let cal = BusinessCalendar::always("UTC").unwrap();
        let mut events = vec![ev(utc(23, 10, 0), ClockEventKind::Start), ev(utc(23, 12, 0), ClockEventKind::Stop)];
        let s = evaluate(&events, &cal, 240, 75, utc(24, 10, 0));
        assert_eq!((s.state, s.elapsed_minutes, s.breached, s.due_at), (ClockState::Stopped, 120, false, None));
        events.push(ev(utc(24, 9, 0), ClockEventKind::Resume));
        let s = evaluate(&events, &cal, 240, 75, utc(24, 10, 0));
        assert_eq!((s.state, s.elapsed_minutes), (ClockState::Running, 180));
        assert_eq!(s.due_at, Some(utc(24, 11, 0)), "the remaining 120 minutes run from the reopen");
    }

    #[test]
    fn breach_instant_is_inside_the_right_segment_even_after_stopping() {
        let cal = BusinessCalendar::always("UTC").unwrap();
        let events = [
            ev(utc(23, 10, 0), ClockEventKind::Start),
            ev(utc(23, 11, 0), ClockEventKind::Pause { reason: "awaiting_vendor".into() }),
            ev(utc(23, 12, 0), ClockEventKind::Resume),
            ev(utc(23, 16, 0), ClockEventKind::Stop),
        ];
        let s = evaluate(&events, &cal, 120, 50, utc(23, 18, 0));
        assert!(s.breached);
        assert_eq!(s.elapsed_minutes, 300);
        assert_eq!(s.due_at, Some(utc(23, 13, 0)), "60 before the pause + 60 after resuming");
        assert_eq!(s.warn_at, Some(utc(23, 11, 0)));
        assert_eq!(s.remaining_minutes, -180);
    }

    #[test]
    fn business_hours_calendar_counts_only_working_time() {
        let cal = paris_office();
        // Monday 23 Nov 2026, 16:00 Paris = 15:00 UTC.
        let s = evaluate(&[ev(utc(23, 15, 0), ClockEventKind::Start)], &cal, 240, 75, utc(23, 15, 0));
        // 2h Monday (16-18), then Tuesday 09-11 Paris → Tuesday 10:00 UTC.
        assert_eq!(s.due_at, Some(utc(24, 10, 0)));
        assert_eq!(s.warn_at, Some(utc(24, 9, 0)));
    }

    #[test]
    fn events_out_of_order_and_duplicates_are_tolerated() {
        let cal = BusinessCalendar::always("UTC").unwrap();
        let events = [
            ev(utc(23, 12, 0), ClockEventKind::Stop),
            ev(utc(23, 10, 0), ClockEventKind::Start),
            ev(utc(23, 10, 30), ClockEventKind::Start),
            ev(utc(23, 11, 0), ClockEventKind::Resume),
        ];
        let s = evaluate(&events, &cal, 60, 75, utc(23, 13, 0));
        assert_eq!((s.state, s.elapsed_minutes, s.breached), (ClockState::Stopped, 120, true));
        assert_eq!(s.due_at, Some(utc(23, 11, 0)));
    }

    #[test]
    fn nothing_started_means_nothing_breached() {
        let cal = BusinessCalendar::always("UTC").unwrap();
        let s = evaluate(&[], &cal, 60, 75, utc(23, 13, 0));
        assert_eq!((s.state, s.elapsed_minutes, s.breached, s.due_at), (ClockState::Stopped, 0, false, None));
    }
}
