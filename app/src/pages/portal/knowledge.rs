use crate::api::knowledge::{get_article, related_articles, search_kb, VoteArticle};
use crate::components::{debounced, when, FieldMessage, FormError, Guard};
use crate::dto::SearchHit;
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::{use_params_map, use_query_map};

/// A list of search hits with highlighted titles and snippets (HTML escaped by the index).
#[component]
pub fn HitList(hits: Vec<SearchHit>, #[prop(into)] id: String) -> impl IntoView {
    view! {
        <ol class="hits" id=id>
            {hits.into_iter().map(|h| view! {
                <li data-number=h.number.clone() data-kind=h.kind.clone()>
                    <a href=h.url.clone() class="hit-title" inner_html=h.title_html.clone()></a>
                    {(h.kind == "catalog").then(|| view! { <span class="badge">"Request"</span> })}
                    {(h.audience == "agents").then(|| view! { <span class="badge internal">"Agents only"</span> })}
                    {h.category.clone().map(|c| view! { <span class="muted">" · " {c}</span> })}
                    <p class="snippet" inner_html=h.snippet_html.clone()></p>
                </li>
            }).collect_view()}
        </ol>
    }
}

/// `/portal/kb`: knowledge and catalog search with instant results, facets by category.
#[component]
pub fn KnowledgeSearch() -> impl IntoView {
    let query = use_query_map();
    let typed = RwSignal::new(query.with_untracked(|q| q.get("q")).unwrap_or_default());
    let text = debounced(typed.into(), 200);
    let category = move || query.with(|q| q.get("category")).filter(|c| !c.is_empty());
    let results = Resource::new(move || (text.get(), category()), |(q, c)| search_kb(q, c, Some(20)));
    view! {
        <Guard allow=|_| true>
            <h1>"Knowledge base"</h1>
            <Form method="GET" action="/portal/kb" attr:class="search" attr:role="search">
                <input type="search" name="q" id="kb-q" aria-label="Search the knowledge base" autocomplete="off"
                    placeholder="Search articles and services, e.g. vpn password"
                    prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev))/>
                {move || category().map(|c| view! { <input type="hidden" name="category" value=c/> })}
                <button type="submit">"Search"</button>
            </Form>
            <Suspense fallback=|| view! { <p>"Searching…"</p> }>
                {move || Suspend::new(async move {
                    match results.await {
                        Ok(r) if r.query.trim().is_empty() => view! { <p class="empty">"Type a few words to search."</p> }.into_any(),
                        Ok(r) if r.hits.is_empty() => view! {
                            <p class="empty" id="no-results">"Nothing found for “" {r.query.clone()} "”. "
                                <a href="/portal">"Report an incident"</a></p>
                        }.into_any(),
                        Ok(r) => {
                            let q = r.query.clone();
                            view! {
                                <p class="count" id="result-count">{r.total} " results"</p>
                                <nav class="facets" aria-label="Categories">
                                    {r.facets.iter().map(|f| {
                                        let href = format!("/portal/kb?q={}&category={}", urlencode(&q), urlencode(&f.category));
                                        view! { <a href=href class="facet">{f.category.clone()} " (" {f.count} ")"</a> }
                                    }).collect_view()}
                                </nav>
                                <HitList hits=r.hits id="kb-results"/>
                            }.into_any()
                        }
                        Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </Guard>
    }
}

/// Percent-encodes a query-string value.
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            b' ' => "+".into(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `/portal/kb/:number`: a published article, helpful / not helpful votes, related articles.
#[component]
pub fn KnowledgeArticle() -> impl IntoView {
    let params = use_params_map();
    let number = move || params.with(|p| p.get("number")).unwrap_or_default();
    let vote = ServerAction::<VoteArticle>::new();
    let vote_err = Signal::derive(move || vote.value().get().and_then(|r| r.err()));
    let article = Resource::new(move || (number(), vote.version().get()), |(n, _)| get_article(n));
    let related = Resource::new(number, related_articles);
    view! {
        <Guard allow=|_| true>
            <p><a href="/portal/kb">"← Knowledge base"</a></p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match article.await {
                        Ok(a) => view! {
                            <article class="card kb-article" data-number=a.number.clone()>
                                <h1>{a.title.clone()}</h1>
                                <p class="muted">{a.number.clone()} {a.category.clone().map(|c| format!(" · {c}"))} " · updated " {when(&a.updated_at)}</p>
                                <div class="article-body" inner_html=a.body_html.clone()></div>
                                <p class="tags">{a.tags.iter().map(|t| view! { <span class="badge">{t.clone()}</span> " " }).collect_view()}</p>
                            </article>
                            <section class="card" id="vote">
                                <h2>"Was this article helpful?"</h2>
                                {a.my_vote.map(|v| view! { <p class="notice" role="status">{if v { "You found this helpful — thank you." } else { "Thanks — we will improve this article." }}</p> })}
                                <ActionForm action=vote attr:class="form">
                                    <input type="hidden" name="number" value=a.number.clone()/>
                                    <label>"Comment (optional)" <textarea name="comment" rows="2" maxlength="1000"></textarea></label>
                                    <FieldMessage error=vote_err field="comment"/>
                                    <FormError error=vote_err/>
                                    <div class="row">
                                        <button type="submit" name="helpful" value="yes">"👍 Helpful (" {a.helpful} ")"</button>
                                        <button type="submit" name="helpful" value="no" class="secondary">"👎 Not helpful (" {a.not_helpful} ")"</button>
                                    </div>
                                </ActionForm>
                            </section>
                        }.into_any(),
                        Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match related.await {
                        Ok(hits) if !hits.is_empty() => view! {
                            <section class="card"><h2>"Related articles"</h2><HitList hits id="related"/></section>
                        }.into_any(),
                        _ => ().into_any(),
                    }
                })}
            </Suspense>
        </Guard>
    }
}
