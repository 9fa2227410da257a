//! `/admin/cmdb`: the CMDB as CSV — download every CI and relationship, upload a file to import;
//! `/admin/cmdb/imports/:id`: the plan of an uploaded file (what each row would do, every bad row
//! with its line and column), then the outcome once applied.

use crate::api::cmdb::{get_import, ApplyImport};
use crate::components::{when, FormError, Guard};
use crate::domain::Actor;
use crate::dto::{ImportAction, TransferReport};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Downloads and the upload form (a plain multipart POST: works with or without JavaScript).
#[component]
pub fn AdminCmdb() -> impl IntoView {
    let upload_error = move || use_query_map().with(|q| q.get("upload_error"));
    view! {
        <Guard allow=Actor::is_admin>
            <h1>"CMDB import and export"</h1>
            <section class="card">
                <h2>"Export"</h2>
                <p>"Files that read back through the import unchanged."</p>
                <p><a href="/admin/cmdb/export/cis.csv" download="cis.csv">"Configuration items (CSV)"</a> " · "
                   <a href="/admin/cmdb/export/relationships.csv" download="relationships.csv">"Relationships (CSV)"</a></p>
            </section>
            <section class="card">
                <h2>"Import"</h2>
                <p class="meta">"A CI file has the columns " <code>"name,class,status,service,support_group,location,description"</code>
                    "; a relationship file " <code>"ci,type,target,redundancy_set,min_up"</code>
                    ". CIs are matched on their name (case ignored), so importing a file again changes nothing. Import CIs before their relationships. You see what the file would do before anything is written."</p>
                <form method="post" enctype="multipart/form-data" action="/admin/cmdb/import" class="form compact" id="cmdb-upload-form">
                    <label>"CSV file" <input type="file" name="file" accept=".csv,text/csv" required/></label>
                    {move || upload_error().map(|e| view! { <p class="field-error" role="alert" data-field="file">{e}</p> })}
                    <button type="submit">"Preview import"</button>
                </form>
            </section>
        </Guard>
    }
}

/// The plan or outcome of one uploaded file, and the button applying it.
#[component]
pub fn AdminCmdbImport() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id")).and_then(|i| i.parse::<i64>().ok()).unwrap_or(0);
    let apply = ServerAction::<ApplyImport>::new();
    let import = Resource::new(move || (id(), apply.version().get()), |(i, _)| get_import(i));
    let error = Signal::derive(move || apply.value().get().and_then(|r| r.err()));
    view! {
        <Guard allow=Actor::is_admin>
            <p><a href="/admin/cmdb">"← CMDB import and export"</a></p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let v = match import.await {
                        Ok(v) => v,
                        Err(e) => return view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                    };
                    let r = v.report.clone();
                    let title = if v.applied { "Imported" } else { "Preview" };
                    view! {
                        <h1>{title} ": " {v.file_name.clone()}</h1>
                        <p class="meta">"Uploaded " {when(&v.created_at)} {v.applied_at.map(|a| format!(" · applied {}", when(&a)))}</p>
                        <Summary report=r.clone() applied=v.applied/>
                        {(!v.applied && !r.kind.is_empty()).then(|| view! {
                            <ActionForm action=apply attr:class="form compact" attr:id="apply-import-form">
                                <input type="hidden" name="id" value=v.id/>
                                <label class="check"><input type="checkbox" name="atomic" value="true"/> "All rows or none (write nothing if a row is refused)"</label>
                                <FormError error/>
                                <button type="submit">{format!("Import {} row(s)", r.created + r.updated)}</button>
                            </ActionForm>
                        })}
                        <Rows report=r/>
                    }.into_any()
                })}
            </Suspense>
        </Guard>
    }
}

/// Counts of a plan or an outcome.
#[component]
fn Summary(report: TransferReport, applied: bool) -> impl IntoView {
    let verb = |planned: &'static str, done: &'static str| if applied { done } else { planned };
    let what = if report.kind == "relationships" { "relationships" } else { "configuration items" };
    view! {
        <p data-testid="import-summary">
            {format!(
                "{} rows of {what}: {} {}, {} {}, {} unchanged, {} refused.",
                report.rows,
                report.created,
                verb("to create", "created"),
                report.updated,
                verb("to update", "updated"),
                report.unchanged,
                report.errors.len()
            )}
        </p>
        {(report.kind.is_empty() || (!applied && report.errors.is_empty() && report.created + report.updated == 0)).then(|| view! {
            <p class="meta">{if report.kind.is_empty() { "The file could not be read." } else { "Nothing to import: the CMDB already matches the file." }}</p>
        })}
        {(!applied && !report.dry_run).then(|| view! {
            <p class="form-error" role="alert" data-testid="import-refused">"Nothing was written: a row was refused and the import was all rows or none."</p>
        })}
    }
}

/// Refused rows, then the planned (or made) changes.
#[component]
fn Rows(report: TransferReport) -> impl IntoView {
    view! {
        {(!report.errors.is_empty()).then(|| view! {
            <h2>"Refused rows"</h2>
            <table id="import-errors">
                <thead><tr><th>"Line"</th><th>"Column"</th><th>"Problem"</th></tr></thead>
                <tbody>{report.errors.iter().map(|e| view! {
                    <tr data-line=e.line><td>{e.line}</td><td>{if e.column.is_empty() { "—".to_string() } else { e.column.clone() }}</td><td>{e.message.clone()}</td></tr>
                }).collect_view()}</tbody>
            </table>
        })}
        {(!report.preview.is_empty()).then(|| view! {
            <h2>"Changes"</h2>
            <table id="import-rows">
                <thead><tr><th>"Line"</th><th>"Row"</th><th>"Change"</th></tr></thead>
                <tbody>{report.preview.iter().map(|p| view! {
                    <tr data-line=p.line>
                        <td>{p.line}</td><td>{p.key.clone()}</td>
                        <td>{match p.action { ImportAction::Create => "new".to_string(), ImportAction::Update => format!("changes {}", p.changes.join(", ")), ImportAction::Unchanged => "—".into() }}</td>
                    </tr>
                }).collect_view()}</tbody>
            </table>
            {(report.created + report.updated > report.preview.len() as u64).then(|| view! { <p class="meta">{format!("The first {} changes are listed.", report.preview.len())}</p> })}
        })}
    }
}
