//! The lifecycle of a problem (PRB): the unknown cause of one or more incidents, investigated
//! until it is fixed or its risk accepted.
//!
//! new → assessment → root cause analysis → fix in progress → resolved → closed; canceled from
//! any open stage. A resolved problem whose fix did not hold goes back to root cause analysis.
//! Entering a stage may need fields: a root cause before the fix is worked on, a resolution (fix
//! applied needs the fix, risk accepted the root cause) to resolve, a reason to cancel.

use super::{FieldError, OnHoldReason, TicketState};

code_enum!(
    /// Where a problem is.
    ProblemStage, "stage", "stage", "Stage" {
        /// Logged, not yet looked at.
        New = "new", "New";
        /// Impact and priority being judged; is it worth an investigation?
        Assessment = "assessment", "Assessment";
        /// The cause is being looked for.
        RootCauseAnalysis = "root_cause_analysis", "Root cause analysis";
        /// The cause is known and a fix is being made.
        FixInProgress = "fix_in_progress", "Fix in progress";
        /// Fixed, or the risk accepted.
        Resolved = "resolved", "Resolved";
        /// Final.
        Closed = "closed", "Closed";
        /// Withdrawn; final.
        Canceled = "canceled", "Canceled";
    }
);

code_enum!(
    /// How a problem was resolved.
    ProblemResolution, "resolution", "resolution", "Resolution" {
        /// A permanent fix was applied: incidents waiting on the problem are resolved by it.
        FixApplied = "fix_applied", "Fix applied";
        /// No fix will be made (too costly, too rare): linked incidents only hear of it.
        RiskAccepted = "risk_accepted", "Risk accepted";
    }
);

/// What a problem record holds when it moves: the fields a stage may require.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProblemRecord {
    /// Why the incidents happen (empty until found).
    pub root_cause: String,
    /// How users get going again meanwhile.
    pub workaround: String,
    /// The permanent fix.
    pub fix: String,
}

impl ProblemStage {
    /// The stages a problem may move to from this one.
    pub fn next(self) -> &'static [Self] {
        use ProblemStage::*;
        match self {
            New => &[Assessment, RootCauseAnalysis, Canceled],
            Assessment => &[RootCauseAnalysis, Canceled],
            RootCauseAnalysis => &[FixInProgress, Resolved, Canceled],
            FixInProgress => &[Resolved, RootCauseAnalysis, Canceled],
            Resolved => &[Closed, RootCauseAnalysis],
            Closed | Canceled => &[],
        }
    }

    /// Whether the investigation is still going on.
    pub fn is_open(self) -> bool {
        !matches!(self, Self::Resolved | Self::Closed | Self::Canceled)
    }

    /// Checks a move to `to` of a problem holding `record`, resolved as `resolution` (required
    /// to resolve, refused otherwise), with `note` (required to cancel). Every missing field is
    /// reported at once.
    pub fn check_move(self, to: Self, record: &ProblemRecord, resolution: Option<ProblemResolution>, note: &str) -> Result<(), Vec<FieldError>> {
        if !self.next().contains(&to) {
            return Err(vec![FieldError::new("stage", format!("A problem in {} cannot move to {}", self.label().to_lowercase(), to.label().to_lowercase()))]);
        }
        let mut errors = Vec::new();
        let blank = |s: &str| s.trim().is_empty();
        match to {
            Self::FixInProgress if blank(&record.root_cause) => errors.push(FieldError::new("root_cause", "Record the root cause before working on a fix")),
            Self::Resolved => match resolution {
                None => errors.push(FieldError::new("resolution", "Say how it was resolved: fix applied or risk accepted")),
                Some(ProblemResolution::FixApplied) => {
                    if blank(&record.root_cause) {
                        errors.push(FieldError::new("root_cause", "Record the root cause the fix removes"));
                    }
                    if blank(&record.fix) {
                        errors.push(FieldError::new("fix", "Describe the fix that was applied"));
                    }
                }
                Some(ProblemResolution::RiskAccepted) => {
                    if blank(&record.root_cause) {
                        errors.push(FieldError::new("root_cause", "Record the root cause whose risk is accepted"));
                    }
                }
            },
            Self::Canceled if blank(note) => errors.push(FieldError::new("note", "Say why the problem is canceled")),
            _ => {}
        }
        if to != Self::Resolved && resolution.is_some() {
            errors.push(FieldError::new("resolution", "Only a move to resolved takes a resolution"));
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }
}

/// How a problem's stage shows in the shared ticket state queues and SLA clocks read: the
/// investigation stages are in progress.
pub fn problem_phase(stage: ProblemStage) -> (TicketState, Option<OnHoldReason>) {
    match stage {
        ProblemStage::New => (TicketState::New, None),
        ProblemStage::Assessment | ProblemStage::RootCauseAnalysis | ProblemStage::FixInProgress => (TicketState::InProgress, None),
        ProblemStage::Resolved => (TicketState::Resolved, None),
        ProblemStage::Closed => (TicketState::Closed, None),
        ProblemStage::Canceled => (TicketState::Canceled, None),
    }
}

/// Whether a problem can be marked a known error: it needs a workaround to publish.
pub fn check_known_error(record: &ProblemRecord) -> Result<(), FieldError> {
    if record.workaround.trim().is_empty() {
        Err(FieldError::new("workaround", "A known error needs a workaround to publish"))
    } else {
        Ok(())
    }
}

/// The known-error article's markdown: symptom (the problem statement), cause and workaround.
pub fn known_error_body(statement: &str, record: &ProblemRecord) -> String {
    let or = |s: &str, none: &str| if s.trim().is_empty() { none.to_string() } else { s.trim().to_string() };
    format!(
        "## Symptom\n\n{}\n\n## Cause\n\n{}\n\n## Workaround\n\n{}\n",
        or(statement, "See the linked incidents."),
        or(&record.root_cause, "Under investigation."),
        or(&record.workaround, "None yet."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use ProblemStage::*;

    fn fields(r: Result<(), Vec<FieldError>>) -> Vec<String> {
        r.err().unwrap_or_default().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn stages_move_forward_and_back_only_where_allowed() {
        let rec = ProblemRecord { root_cause: "Firmware bug".into(), workaround: "Reboot".into(), fix: "Upgrade".into() };
        assert!(New.check_move(Assessment, &rec, None, "").is_ok());
        assert!(FixInProgress.check_move(RootCauseAnalysis, &rec, None, "").is_ok());
        assert!(Resolved.check_move(RootCauseAnalysis, &rec, None, "").is_ok(), "a fix that did not hold reopens the analysis");
        assert_eq!(fields(New.check_move(Closed, &rec, None, "")), ["stage"]);
        assert_eq!(fields(Closed.check_move(RootCauseAnalysis, &rec, None, "")), ["stage"]);
        assert_eq!(fields(Canceled.check_move(New, &rec, None, "")), ["stage"]);
        for s in ProblemStage::ALL {
            assert!(!s.next().contains(s), "{s:?} does not move to itself");
        }
    }

    #[test]
    fn entering_a_stage_needs_its_fields() {
        let empty = ProblemRecord::default();
        assert_eq!(fields(RootCauseAnalysis.check_move(FixInProgress, &empty, None, "")), ["root_cause"]);
        assert_eq!(fields(FixInProgress.check_move(Resolved, &empty, None, "")), ["resolution"]);
        assert_eq!(fields(FixInProgress.check_move(Resolved, &empty, Some(ProblemResolution::FixApplied), "")), ["root_cause", "fix"]);
        let cause = ProblemRecord { root_cause: "Leaking handles".into(), ..Default::default() };
        assert!(RootCauseAnalysis.check_move(Resolved, &cause, Some(ProblemResolution::RiskAccepted), "").is_ok());
        assert_eq!(fields(RootCauseAnalysis.check_move(Resolved, &cause, Some(ProblemResolution::FixApplied), "")), ["fix"]);
        assert_eq!(fields(Assessment.check_move(Canceled, &empty, None, "  ")), ["note"]);
        assert!(Assessment.check_move(Canceled, &empty, None, "Duplicate of PRB-000001").is_ok());
        assert_eq!(fields(New.check_move(Assessment, &empty, Some(ProblemResolution::FixApplied), "")), ["resolution"]);
    }

    #[test]
    fn stages_map_onto_the_shared_phase() {
        assert_eq!(problem_phase(New).0, TicketState::New);
        for s in [Assessment, RootCauseAnalysis, FixInProgress] {
            assert_eq!(problem_phase(s), (TicketState::InProgress, None));
            assert!(s.is_open());
        }
        assert_eq!(problem_phase(Resolved).0, TicketState::Resolved);
        assert_eq!(problem_phase(Closed).0, TicketState::Closed);
        assert_eq!(problem_phase(Canceled).0, TicketState::Canceled);
        for s in ProblemStage::ALL {
            assert_eq!(s.is_open(), problem_phase(*s).0.is_open(), "{s:?}");
        }
        assert_eq!(ProblemStage::parse("Root cause analysis"), Ok(RootCauseAnalysis));
    }

    #[test]
    fn known_errors_need_a_workaround_and_read_symptom_cause_workaround() {
        let mut rec = ProblemRecord::default();
        assert_eq!(check_known_error(&rec).map_err(|e| e.field), Err("workaround".to_string()));
        rec.workaround = "Dial 9 first".into();
        assert!(check_known_error(&rec).is_ok());
        let body = known_error_body("No dial tone on PBX-0042 phones", &rec);
        assert!(body.contains("## Symptom\n\nNo dial tone on PBX-0042 phones"), "{body}");
        assert!(body.contains("## Cause\n\nUnder investigation."), "{body}");
        assert!(body.contains("## Workaround\n\nDial 9 first"), "{body}");
    }
}
