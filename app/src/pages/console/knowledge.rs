use crate::api::desk::list_catalog;
use crate::api::knowledge::{article_diff, article_revisions, get_article, list_articles, ChangeArticleState, SaveArticle};
use crate::components::{when, FieldMessage, FormError, Guard};
use crate::domain::{Actor, ArticleState};
use crate::dto::ArticleView;
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/console/kb`: articles by state, the agent's own, and those past their review date.
#[component]
pub fn KnowledgeList() -> impl IntoView {
    let query = use_query_map();
    let filter = move || {
        query.with(|q| {
            let get = |k: &str| q.get(k).filter(|v| !v.is_empty());
            (get("state"), get("mine").is_some(), get("stale").is_some(), get("q"))
        })
    };
    let articles = Resource::new(filter, |(state, mine, stale, q)| list_articles(state, Some(mine), Some(stale), q));
    let state_is = move |code: &'static str| query.with(|q| q.get("state").as_deref() == Some(code));
    view! {
        <Guard allow=Actor::is_staff>
            <h1>"Knowledge" <a class="button" href="/console/kb/new" id="new-article">"New article"</a></h1>
            <nav class="tabs">
                <a href="/console/kb">"All"</a>
                <a href="/console/kb?mine=1" id="my-articles">"Mine"</a>
                <a href="/console/kb?state=in_review">"To review"</a>
                <a href="/console/kb?stale=1&mine=1" id="stale-mine">"Due for review (mine)"</a>
                <a href="/console/kb?stale=1">"Due for review (all)"</a>
            </nav>
            <Form method="GET" action="/console/kb" attr:class="filters">
                <label>"State "
                    <select name="state">
                        <option value="">"Any"</option>
                        {ArticleState::ALL.into_iter().map(|s| view! { <option value=s.code() selected=move || state_is(s.code())>{s.label()}</option> }).collect_view()}
                    </select>
                </label>
                <label>"Title " <input name="q" value=move || query.with(|q| q.get("q")).unwrap_or_default()/></label>
                <button type="submit">"Filter"</button>
            </Form>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match articles.await {
                        Ok(list) if list.is_empty() => view! { <p class="empty">"No articles."</p> }.into_any(),
                        Ok(list) => view! {
                            <table class="tickets" id="articles">
                                <thead><tr><th>"Number"</th><th>"Title"</th><th>"State"</th><th>"Audience"</th><th>"Category"</th><th>"Owner"</th><th>"Review by"</th><th>"Votes"</th><th>"Updated"</th></tr></thead>
                                <tbody>
                                    {list.into_iter().map(|a| view! {
                                        <tr data-number=a.number.clone() class:stale=a.stale>
                                            <td><a href=format!("/console/kb/{}", a.number)>{a.number.clone()}</a></td>
                                            <td>{a.title.clone()}</td>
                                            <td><span class=format!("badge state-{}", a.state)>{a.state_label.clone()}</span></td>
                                            <td>{if a.audience == "agents" { "Agents only" } else { "Everyone" }}</td>
                                            <td>{a.category.clone().unwrap_or_else(|| "—".into())}</td>
                                            <td>{a.owner.clone()}</td>
                                            <td>{a.review_by.map(|d| d.to_string()).unwrap_or_else(|| "—".into())}{a.stale.then_some(" (overdue)")}</td>
                                            <td>"👍 " {a.helpful} " 👎 " {a.not_helpful}</td>
                                            <td>{when(&a.updated_at)}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                        Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </Guard>
    }
}

/// `/console/kb/new`: write a draft.
#[component]
pub fn KnowledgeNew() -> impl IntoView {
    let catalog = Resource::new(|| (), |_| list_catalog());
    view! {
        <Guard allow=Actor::is_staff>
            <p><a href="/console/kb">"← Knowledge"</a></p>
            <h1>"New article"</h1>
            <ArticleEditor article=None catalog/>
        </Guard>
    }
}

/// The services and categories the article form offers (loaded by the page, not the form: a
/// resource created inside suspended markup would be numbered differently on the server and in
/// the browser, and hydration would pick up another resource's data).
type Catalog = Resource<Result<(Vec<crate::dto::ServiceView>, Vec<crate::dto::CategoryView>), crate::error::AppError>>;

/// The article form: create (no article) or save a new revision.
#[component]
fn ArticleEditor(article: Option<ArticleView>, catalog: Catalog) -> impl IntoView {
    let save = ServerAction::<SaveArticle>::new();
    let error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let a = article.clone();
    let val = move |f: fn(&ArticleView) -> String| a.as_ref().map(f).unwrap_or_default();
    let category = article.as_ref().and_then(|a| a.category_id);
    let agents_only = article.as_ref().is_some_and(|a| a.audience == "agents");
    view! {
        <ActionForm action=save attr:class="form card" attr:id="article-form">
            <input type="hidden" name="number" value=val(|a| a.number.clone())/>
            <input type="hidden" name="version" value=val(|a| a.version.to_string())/>
            <label>"Title" <input name="title" maxlength="200" value=val(|a| a.title.clone())/></label>
            <FieldMessage error field="title"/>
            <label>"Body (Markdown)" <textarea name="body" rows="14">{val(|a| a.body.clone())}</textarea></label>
            <FieldMessage error field="body"/>
            <div class="row">
                <label>"Category"
                    <Suspense fallback=|| view! { <select name="category_id"><option value="">"—"</option></select> }>
                        {move || Suspend::new(async move {
                            let cats = catalog.await.map(|(_, c)| c).unwrap_or_default();
                            view! {
                                <select name="category_id">
                                    <option value="">"—"</option>
                                    {cats.into_iter().map(|c| view! { <option value=c.id.to_string() selected=category == Some(c.id)>{c.name.clone()}</option> }).collect_view()}
                                </select>
                            }
                        })}
                    </Suspense>
                </label>
                <label>"Audience"
                    <select name="audience">
                        <option value="public">"Everyone (portal)"</option>
                        <option value="agents" selected=agents_only>"Agents only"</option>
                    </select>
                </label>
                <label>"Review by" <input type="date" name="review_by" value=val(|a| a.review_by.map(|d| d.to_string()).unwrap_or_default())/></label>
            </div>
            <FieldMessage error field="category_id"/>
            <FieldMessage error field="review_by"/>
            <label>"Tags (comma separated)" <input name="tags" value=val(|a| a.tags.join(", "))/></label>
            <FieldMessage error field="tags"/>
            <label>"Revision note" <input name="note" maxlength="200" placeholder="What changed and why"/></label>
            <FormError error/>
            <button type="submit">{if article.is_some() { "Save revision" } else { "Create draft" }}</button>
        </ActionForm>
    }
}

/// `/console/kb/:number`: read, edit, move through review, see revisions (with diffs) and feedback.
#[component]
pub fn KnowledgeEdit() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let number = move || params.with(|p| p.get("number")).unwrap_or_default();
    let change = ServerAction::<ChangeArticleState>::new();
    let change_err = Signal::derive(move || change.value().get().and_then(|r| r.err()));
    let article = Resource::new(move || (number(), change.version().get()), |(n, _)| get_article(n));
    let catalog = Resource::new(|| (), |_| list_catalog());
    let history = Resource::new(move || (number(), change.version().get()), |(n, _)| article_revisions(n));
    let diff_range = move || {
        query.with(|q| Some((q.get("from")?.parse::<i32>().ok()?, q.get("to")?.parse::<i32>().ok()?)))
    };
    let diff = Resource::new(move || (number(), diff_range()), |(n, range)| async move {
        match range {
            Some((from, to)) => article_diff(n, from, to).await.map(Some),
            None => Ok(None),
        }
    });
    view! {
        <Guard allow=Actor::is_staff>
            <p><a href="/console/kb">"← Knowledge"</a></p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let a = match article.await {
                        Ok(a) => a,
                        Err(e) => return view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                    };
                    let state = ArticleState::parse(&a.state).unwrap_or(ArticleState::Draft);
                    let steps: Vec<(ArticleState, &str)> = match state {
                        ArticleState::Draft => vec![(ArticleState::InReview, "Submit for review"), (ArticleState::Published, "Publish")],
                        ArticleState::InReview => vec![(ArticleState::Published, "Approve and publish"), (ArticleState::Draft, "Send back to draft")],
                        ArticleState::Published => vec![(ArticleState::Retired, "Retire"), (ArticleState::Draft, "Unpublish")],
                        ArticleState::Retired => vec![(ArticleState::Draft, "Revive as draft")],
                    };
                    let num = a.number.clone();
                    let version = a.version.to_string();
                    view! {
                        <h1>{a.title.clone()}</h1>
                        <p class="muted" id="article-meta">
                            {a.number.clone()} " · " <span class=format!("badge state-{}", a.state) id="article-state">{a.state_label.clone()}</span>
                            " · revision " {a.revision} " · owner " {a.owner.clone()}
                            {a.source_ticket.clone().map(|t| view! { " · from " <a href=format!("/console/tickets/{t}")>{t.clone()}</a> })}
                            {a.stale.then(|| view! { " · " <span class="badge breached">"Review overdue"</span> })}
                        </p>
                        <div class="row actions" id="article-actions">
                            {steps.into_iter().map(|(target, label)| {
                                let (num, version) = (num.clone(), version.clone());
                                view! {
                                    <ActionForm action=change attr:class="inline">
                                        <input type="hidden" name="number" value=num/>
                                        <input type="hidden" name="state" value=target.code()/>
                                        <input type="hidden" name="version" value=version/>
                                        <button type="submit" data-state=target.code()>{label}</button>
                                    </ActionForm>
                                }
                            }).collect_view()}
                            {(a.state == "published" && a.audience == "public").then(|| view! { <a class="button secondary" href=format!("/portal/kb/{}", a.number)>"View in portal"</a> })}
                        </div>
                        <FormError error=change_err/>
                        <div class="columns">
                            <section class="card">
                                <h2>"Preview"</h2>
                                <div class="article-body" inner_html=a.body_html.clone()></div>
                            </section>
                            <section>
                                <h2>"Edit"</h2>
                                <ArticleEditor article=Some(a.clone()) catalog/>
                            </section>
                        </div>
                    }.into_any()
                })}
            </Suspense>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let Ok((revisions, comments)) = history.await else { return ().into_any() };
                    let n = number();
                    view! {
                        <section class="card" id="revisions">
                            <h2>"Revisions"</h2>
                            <table>
                                <thead><tr><th>"Revision"</th><th>"Title"</th><th>"By"</th><th>"Note"</th><th>"When"</th><th></th></tr></thead>
                                <tbody>
                                    {revisions.into_iter().map(|r| view! {
                                        <tr data-revision=r.revision>
                                            <td>{r.revision}</td><td>{r.title.clone()}</td><td>{r.author.clone().unwrap_or_default()}</td>
                                            <td>{r.note.clone().unwrap_or_default()}</td><td>{when(&r.created_at)}</td>
                                            <td>{(r.revision > 1).then(|| view! { <a href=format!("/console/kb/{n}?from={}&to={}", r.revision - 1, r.revision)>"Compare with previous"</a> })}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </section>
                        <section class="card" id="feedback">
                            <h2>"Feedback"</h2>
                            {if comments.is_empty() { view! { <p class="empty">"No comments yet."</p> }.into_any() } else {
                                view! { <ul>{comments.into_iter().map(|c| view! {
                                    <li>{if c.helpful { "👍 " } else { "👎 " }} <strong>{c.user.clone()}</strong> ": " {c.comment.clone()} <span class="muted">" · " {when(&c.created_at)}</span></li>
                                }).collect_view()}</ul> }.into_any()
                            }}
                        </section>
                    }.into_any()
                })}
            </Suspense>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match diff.await {
                        Ok(Some(lines)) => view! {
                            <section class="card" id="diff">
                                <h2>"Changes"</h2>
                                <pre class="diff">{lines.into_iter().map(|l| {
                                    let mark = match l.kind.as_str() { "added" => "+ ", "removed" => "- ", _ => "  " };
                                    view! { <span class=format!("diff-{}", l.kind)>{mark}{l.text.clone()}"\n"</span> }
                                }).collect_view()}</pre>
                            </section>
                        }.into_any(),
                        Ok(None) => ().into_any(),
                        Err(e) => view! { <p class="form-error">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </Guard>
    }
}
