use crate::domain::sla::ClockState;
use crate::dto::SlaClockView;
use chrono::{DateTime, Utc};
use leptos::prelude::*;

fn hm(minutes: i64) -> String {
    let sign = if minutes < 0 { "-" } else { "" };
    let m = minutes.abs();
    format!("{sign}{}h{:02}", m / 60, m % 60)
}

/// SLA clocks with a live countdown: the browser recomputes elapsed business time every second
/// with the same calendar code the server used (compiled to WASM).
#[component]
pub fn SlaPanel(clocks: Vec<SlaClockView>) -> impl IntoView {
    let start: DateTime<Utc> = clocks.first().map(|c| c.status.evaluated_at).unwrap_or_default();
    let now = RwSignal::new(start);
    #[cfg(feature = "hydrate")]
    {
        now.set(Utc::now());
        if let Ok(handle) = set_interval_with_handle(move || now.set(Utc::now()), std::time::Duration::from_secs(1)) {
            on_cleanup(move || handle.clear());
        }
    }
    let empty = clocks.is_empty();
    view! {
        <section class="card sla">
            <h2>"SLA"</h2>
            {empty.then(|| view! { <p class="empty">"No SLA policy applies."</p> })}
            <ul class="sla-clocks">
                {clocks.into_iter().map(|c| {
                    let metric = c.metric;
                    let status = c.status.clone();
                    let calendar = c.calendar.clone();
                    let remaining = move || {
                        let elapsed = status.elapsed_at(&calendar, now.get()) as i64;
                        status.target_minutes as i64 - elapsed
                    };
                    let state_label = match (c.status.state, c.status.breached) {
                        (_, true) => "breached",
                        (ClockState::Running, _) => "running",
                        (ClockState::Paused, _) => "paused",
                        (ClockState::Stopped, _) => "met",
                    };
                    view! {
                        <li data-testid=format!("sla-{}", metric.code()) data-state=state_label class=format!("sla-{state_label}")>
                            <strong>{metric.label()}</strong> " · " {c.policy_name.clone()} " (" {c.calendar_name.clone()} ") · "
                            <span class="sla-state">{state_label}</span>
                            {(c.status.state != ClockState::Stopped).then(|| view! {
                                " · remaining " <span class="sla-remaining" data-testid=format!("sla-remaining-{}", metric.code())>{move || hm(remaining())}</span>
                            })}
                            {c.status.due_at.map(|d| view! { " · due " <span class="when">{crate::components::when(&d)}</span> })}
                            <details class="sla-timeline" data-testid=format!("sla-timeline-{}", metric.code())>
                                <summary>"Timeline · " {hm(c.status.elapsed_minutes as i64)} " of " {hm(c.status.target_minutes as i64)} " business time used"</summary>
                                <table>
                                    <thead><tr><th>"From"</th><th>"To"</th><th>"Clock"</th><th>"Business time"</th></tr></thead>
                                    <tbody>
                                        {c.status.segments.iter().map(|seg| view! {
                                            <tr data-running=seg.running.to_string()>
                                                <td>{crate::components::when(&seg.from)}</td>
                                                <td>{seg.to.map(|t| crate::components::when(&t)).unwrap_or_else(|| "now".into())}</td>
                                                <td>{if seg.running { "counting".to_string() } else { format!("paused{}", seg.reason.as_ref().map(|r| format!(" ({r})")).unwrap_or_default()) }}</td>
                                                <td>{hm(seg.business_minutes as i64)}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </details>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}
