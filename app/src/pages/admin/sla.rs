use crate::api::admin::{sla_compliance, sla_setup, SaveCalendar, SavePolicy};
use crate::components::{FieldMessage, FormError, Guard};
use crate::domain::{Actor, OnHoldReason, TicketType};
use crate::dto::{SlaCalendarView, SlaSetupView};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

const DAYS: [(&str, &str); 7] = [
    ("hours_mon", "Monday"),
    ("hours_tue", "Tuesday"),
    ("hours_wed", "Wednesday"),
    ("hours_thu", "Thursday"),
    ("hours_fri", "Friday"),
    ("hours_sat", "Saturday"),
    ("hours_sun", "Sunday"),
];

/// `/admin/sla`: business calendars, SLA policies in order, and the compliance report.
#[component]
pub fn AdminSla() -> impl IntoView {
    let save_calendar = ServerAction::<SaveCalendar>::new();
    let save_policy = ServerAction::<SavePolicy>::new();
    let setup = Resource::new(move || (save_calendar.version().get(), save_policy.version().get()), |_| sla_setup());
    let query = use_query_map();
    let range = move || {
        query.with(|q| {
            (
                q.get("from").unwrap_or_else(|| "2026-01-01".into()),
                q.get("to").unwrap_or_else(|| "2027-01-01".into()),
                q.get("by").unwrap_or_else(|| "policy".into()),
            )
        })
    };
    let report = Resource::new(range, |(from, to, by)| sla_compliance(from, to, by));
    let cal_err = Signal::derive(move || save_calendar.value().get().and_then(|r| r.err()));
    let pol_err = Signal::derive(move || save_policy.value().get().and_then(|r| r.err()));
    view! {
        <Guard allow=Actor::is_admin>
            <p><a href="/admin">"← Administration"</a></p>
            <h1>"Service levels"</h1>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let SlaSetupView { calendars, policies, services, groups, organisations, categories } = match setup.await {
                        Ok(s) => s,
                        Err(e) => return view! { <p class="form-error">{e.to_string()}</p> }.into_any(),
                    };
                    let service_name = |id: i64| services.iter().find(|s| s.id == id).map_or_else(|| format!("service #{id}"), |s| s.name.clone());
                    let group_name = |id: i64| groups.iter().find(|g| g.id == id).map_or_else(|| format!("group #{id}"), |g| g.name.clone());
                    let category_name = |id: i64| categories.iter().find(|c| c.id == id).map_or_else(|| format!("category #{id}"), |c| c.name.clone());
                    let organisation_name = |id: i64| organisations.iter().find(|o| o.id == id).map_or_else(|| format!("organisation #{id}"), |o| o.name.clone());
                    let cal_options = calendars.iter().map(|c| (c.id, c.name.clone())).collect::<Vec<_>>();
                    view! {
                        <section class="card">
                            <h2>"Policies (first match wins)"</h2>
                            <table id="policies">
                                <thead><tr><th>"Order"</th><th>"Policy"</th><th>"Applies to"</th><th>"Response"</th><th>"Resolution"</th><th>"Calendar"</th><th>"Pauses on"</th><th>"On breach"</th></tr></thead>
                                <tbody>
                                    {policies.into_iter().map(|p| {
                                        let applies = [p.ticket_type.clone(), p.priority.map(|x| format!("P{x}")), p.service_id.map(service_name), p.category_id.map(category_name), p.group_id.map(group_name), p.organisation_id.map(organisation_name)]
                                            .into_iter().flatten().collect::<Vec<_>>().join(", ");
                                        let actions = [p.escalate.then_some("escalate"), p.raise_priority.then_some("raise priority")].into_iter().flatten().collect::<Vec<_>>().join(", ");
                                        view! {
                                            <tr data-policy=p.name.clone()><td>{p.position}</td><td>{p.name.clone()}</td><td>{if applies.is_empty() { "everything".to_string() } else { applies }}</td>
                                                <td>{p.response_minutes} " min"</td><td>{p.resolution_minutes} " min"</td><td>{p.calendar_name.clone()}</td>
                                                <td>{p.pause_reasons.join(", ")}</td><td>{actions}</td></tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <ActionForm action=save_policy attr:id="policy-form" attr:class="form">
                                <h3>"New policy"</h3>
                                <div class="row">
                                    <label>"Policy name" <input name="name"/></label>
                                    <label>"Order" <input name="position" value="10" inputmode="numeric"/></label>
                                </div>
                                <FieldMessage error=pol_err field="name"/>
                                <FieldMessage error=pol_err field="position"/>
                                <div class="row">
                                    <label>"Ticket type"
                                        <select name="ticket_type"><option value="">"Any"</option>
                                            {TicketType::ALL.into_iter().map(|t| view! { <option value=t.code()>{t.label()}</option> }).collect_view()}
                                        </select>
                                    </label>
                                    <label>"Priority"
                                        <select name="priority"><option value="">"Any"</option>
                                            {(1..=5).map(|p| view! { <option value=p.to_string()>{format!("P{p}")}</option> }).collect_view()}
                                        </select>
                                    </label>
                                    <label>"Service"
                                        <select name="service_id"><option value="">"Any"</option>
                                            {services.iter().map(|s| view! { <option value=s.id>{s.name.clone()}</option> }).collect_view()}
                                        </select>
                                    </label>
                                    <label>"Category"
                                        <select name="category_id"><option value="">"Any"</option>
                                            {categories.iter().map(|c| view! { <option value=c.id>{c.name.clone()}</option> }).collect_view()}
                                        </select>
                                    </label>
                                    <label>"Assignment group"
                                        <select name="group_id"><option value="">"Any"</option>
                                            {groups.iter().map(|g| view! { <option value=g.id>{g.name.clone()}</option> }).collect_view()}
                                        </select>
                                    </label>
                                    <label>"Requester organisation"
                                        <select name="organisation_id"><option value="">"Any"</option>
                                            {organisations.iter().map(|o| view! { <option value=o.id>{o.name.clone()}</option> }).collect_view()}
                                        </select>
                                    </label>
                                    <label>"Calendar"
                                        <select name="calendar_id">
                                            {cal_options.iter().map(|(id, name)| view! { <option value=*id>{name.clone()}</option> }).collect_view()}
                                        </select>
                                    </label>
                                </div>
                                <div class="row">
                                    <label>"First response (min)" <input name="response_minutes" inputmode="numeric"/></label>
                                    <label>"Resolution (min)" <input name="resolution_minutes" inputmode="numeric"/></label>
                                    <label>"Warn at (%)" <input name="warn_percent" value="75" inputmode="numeric"/></label>
                                </div>
                                <FieldMessage error=pol_err field="service_id"/>
                                <FieldMessage error=pol_err field="category_id"/>
                                <FieldMessage error=pol_err field="group_id"/>
                                <FieldMessage error=pol_err field="organisation_id"/>
                                <FieldMessage error=pol_err field="response_minutes"/>
                                <FieldMessage error=pol_err field="resolution_minutes"/>
                                <FieldMessage error=pol_err field="warn_percent"/>
                                <fieldset><legend>"Pause the resolution clock while on hold"</legend>
                                    {OnHoldReason::ALL.into_iter().map(|r| view! {
                                        <label class="check"><input type="checkbox" name=format!("pause_{}", r.code()) value="on" checked=true/> {r.label()}</label>
                                    }).collect_view()}
                                </fieldset>
                                <label class="check"><input type="checkbox" name="escalate" value="on"/> "Escalate to the next tier on breach"</label>
                                <label class="check"><input type="checkbox" name="raise_priority" value="on"/> "Raise the priority on breach"</label>
                                <FormError error=pol_err/>
                                <button type="submit">"Add policy"</button>
                            </ActionForm>
                        </section>
                        <section class="card">
                            <h2>"Business calendars"</h2>
                            {calendars.into_iter().map(|c| calendar_form(save_calendar, Some(c), cal_err)).collect_view()}
                            {calendar_form(save_calendar, None, cal_err)}
                        </section>
                    }.into_any()
                })}
            </Suspense>
            <section class="card">
                <h2>"Compliance"</h2>
                <Form method="GET" action="/admin/sla" attr:class="filters">
                    <label>"From " <input name="from" type="date" value=move || range().0/></label>
                    <label>"To (exclusive) " <input name="to" type="date" value=move || range().1/></label>
                    <label>"By "
                        <select name="by">
                            {["policy", "priority", "group"].map(|b| view! { <option value=b selected=move || range().2 == b>{b}</option> }).into_iter().collect_view()}
                        </select>
                    </label>
                    <button type="submit">"Show"</button>
                </Form>
                <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                    {move || Suspend::new(async move { compliance_table(report.await) })}
                </Suspense>
            </section>
        </Guard>
    }
}

fn calendar_form(action: ServerAction<SaveCalendar>, cal: Option<SlaCalendarView>, err: Signal<Option<AppError>>) -> AnyView {
    let title = cal.as_ref().map(|c| c.name.clone()).unwrap_or_else(|| "New calendar".into());
    let id = cal.as_ref().map(|c| c.id.to_string()).unwrap_or_default();
    let form_id = cal.as_ref().map(|c| format!("calendar-form-{}", c.id)).unwrap_or_else(|| "calendar-form-new".into());
    let zone = cal.as_ref().map(|c| c.calendar.time_zone().to_string()).unwrap_or_else(|| "UTC".into());
    let holidays = cal.as_ref().map(|c| c.calendar.holidays().iter().map(|h| h.to_string()).collect::<Vec<_>>().join(", ")).unwrap_or_default();
    let hours: Vec<String> = match &cal {
        Some(c) => c.calendar.week().iter().map(|d| d.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(", ")).collect(),
        None => vec!["09:00-17:00".into(); 5].into_iter().chain(vec![String::new(); 2]).collect(),
    };
    let is_new = cal.is_none();
    view! {
        <ActionForm action=action attr:id=form_id attr:class="form calendar-form">
            <h3>{title}</h3>
            <input type="hidden" name="id" value=id/>
            <div class="row">
                <label>"Calendar name" <input name="name" value=cal.as_ref().map(|c| c.name.clone()).unwrap_or_default()/></label>
                <label>"Time zone" <input name="time_zone" value=zone placeholder="Europe/Paris"/></label>
            </div>
            {is_new.then(|| view! { <FieldMessage error=err field="name"/> <FieldMessage error=err field="time_zone"/> })}
            <div class="week">
                {DAYS.iter().zip(hours).map(|((field, label), value)| view! {
                    <label>{*label} <input name=*field value=value placeholder="09:00-13:00, 14:00-18:00"/></label>
                    {is_new.then(|| view! { <FieldMessage error=err field=*field/> })}
                }).collect_view()}
            </div>
            <label>"Holidays (YYYY-MM-DD or yearly MM-DD)" <input name="holidays" value=holidays/></label>
            {is_new.then(|| view! { <FieldMessage error=err field="holidays"/> <FieldMessage error=err field="hours"/> <FormError error=err/> })}
            <button type="submit">{if is_new { "Add calendar" } else { "Save calendar" }}</button>
        </ActionForm>
    }
    .into_any()
}

fn compliance_table(report: Result<Vec<crate::dto::ComplianceRow>, AppError>) -> AnyView {
    match report {
        Ok(rows) if rows.is_empty() => view! { <p class="empty">"No tickets in this range."</p> }.into_any(),
        Ok(rows) => view! {
            <table id="compliance">
                <thead><tr><th>"Group"</th><th>"Clock"</th><th>"Tickets"</th><th>"Met"</th><th>"Breached"</th><th>"Running"</th><th>"Compliance"</th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| view! {
                        <tr><td>{r.key.clone()}</td><td>{r.metric.label()}</td><td>{r.total}</td><td>{r.met}</td><td>{r.breached}</td><td>{r.running}</td>
                            <td>{r.compliance_percent.map(|p| format!("{p:.1} %")).unwrap_or_else(|| "—".into())}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        }.into_any(),
        Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
    }
}
