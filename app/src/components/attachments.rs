use crate::components::when;
use crate::dto::AttachmentView;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// A ticket's files with download links, and an upload form (plain multipart POST, so it works
/// with or without JavaScript; the server redirects back here).
#[component]
pub fn Attachments(number: String, files: Vec<AttachmentView>, staff: bool) -> impl IntoView {
    let upload_error = move || use_query_map().with(|q| q.get("upload_error"));
    view! {
        <section class="attachments">
            <h2>"Attachments"</h2>
            <ul id="attachments">
                {files.into_iter().map(|f| view! {
                    <li>
                        <a href=format!("/attachments/{}", f.id) download=f.filename.clone()>{f.filename.clone()}</a>
                        " · " {format!("{:.1} KB", f.size as f64 / 1024.0)} " · " {f.uploader_name.clone()} " · " {when(&f.created_at)}
                        {f.internal.then_some(" · agents only")}
                    </li>
                }).collect_view()}
            </ul>
            <form method="post" enctype="multipart/form-data" action=format!("/tickets/{number}/attachments") class="form compact" id="upload-form">
                <label>"File" <input type="file" name="file" required/></label>
                {staff.then(|| view! { <label class="check"><input type="checkbox" name="internal" value="true"/> "Agents only"</label> })}
                {move || upload_error().map(|e| view! { <p class="field-error" role="alert" data-field="file">{e}</p> })}
                <button type="submit" class="secondary">"Upload"</button>
            </form>
        </section>
    }
}
