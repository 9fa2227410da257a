use crate::api::knowledge::{deflection_report, ImportArticles};
use crate::components::{FormError, Guard};
use crate::domain::Actor;
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

/// `/admin/kb`: import articles (JSON lines) and the deflection report.
#[component]
pub fn AdminKnowledge() -> impl IntoView {
    let import = ServerAction::<ImportArticles>::new();
    let error = Signal::derive(move || import.value().get().and_then(|r| r.err()));
    let query = use_query_map();
    let range = move || query.with(|q| (q.get("from").filter(|v| !v.is_empty()), q.get("to").filter(|v| !v.is_empty())));
    let report = Resource::new(move || (range(), import.version().get()), |((from, to), _)| deflection_report(from, to));
    view! {
        <Guard allow=Actor::is_admin>
            <p><a href="/admin">"← Administration"</a></p>
            <h1>"Knowledge"</h1>
            <section class="card">
                <h2>"Deflection"</h2>
                <Form method="GET" action="/admin/kb" attr:class="filters">
                    <label>"From " <input type="date" name="from" value=move || range().0.unwrap_or_default()/></label>
                    <label>"To (exclusive) " <input type="date" name="to" value=move || range().1.unwrap_or_default()/></label>
                    <button type="submit">"Show"</button>
                </Form>
                <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        match report.await {
                            Ok(rows) => view! {
                                <table id="deflection">
                                    <thead><tr><th>"Category"</th><th>"Attempts with suggestions"</th><th>"Solved by an article"</th><th>"Submitted anyway"</th><th>"Deflection rate"</th></tr></thead>
                                    <tbody>
                                        {rows.into_iter().map(|r| view! {
                                            <tr data-category=r.category.clone()>
                                                <td>{r.category.clone()}</td><td>{r.attempts}</td><td>{r.deflected}</td><td>{r.submitted}</td>
                                                <td>{r.rate.map(|x| format!("{:.0}%", x * 100.0)).unwrap_or_else(|| "—".into())}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            }.into_any(),
                            Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
            <section class="card">
                <h2>"Import articles"</h2>
                <p class="hint">"One JSON object per line: " <code>"{\"title\": …, \"body\": …, \"category\": …, \"tags\": […], \"audience\": \"public\"|\"agents\"}"</code></p>
                <ActionForm action=import attr:class="form" attr:id="import-form">
                    <label>"JSON lines" <textarea name="jsonl" rows="8" required></textarea></label>
                    <label class="check"><input type="checkbox" name="publish" checked/> " Publish at once"</label>
                    <FormError error/>
                    <button type="submit">"Import"</button>
                </ActionForm>
                {move || import.value().get().and_then(|r| r.ok()).map(|r| view! {
                    <div id="import-report" role="status">
                        <p class="notice">"Imported " {r.imported} " articles; " {r.errors.len()} " lines refused."</p>
                        <ul class="form-error">{r.errors.into_iter().map(|e| view! { <li>"Line " {e.line} ": " {e.message}</li> }).collect_view()}</ul>
                    </div>
                })}
            </section>
        </Guard>
    }
}
