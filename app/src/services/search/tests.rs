use super::*;

fn article(id: i64, title: &str, body: &str, audience: &str, category: &str) -> IndexOp {
    IndexOp::Upsert(IndexDoc {
        kind: DocKind::Article,
        id,
        number: format!("KB-{id:06}"),
        title: title.into(),
        body: body.into(),
        tags: vec![],
        audience: audience.into(),
        category: Some(category.into()),
        icon: String::new(),
    })
}

fn sample() -> SearchIndex {
    let idx = SearchIndex::in_memory();
    idx.apply(
        &[
            article(1, "Reset your VPN password", "Open the self-service page and choose a new VPN password.", "public", "Network"),
            article(2, "Printer shows paper jam", "Open tray 2, remove the jammed paper, close the tray. Printing resumes.", "public", "Printing"),
            article(3, "Café Wi-Fi guest access", "Guests in the café connect to the guest network.", "public", "Network"),
            article(4, "Rotate the VPN gateway certificate", "Internal runbook: renew the gateway certificate with <script>alert(1)</script> care.", "agents", "Network"),
            article(5, "Outlook keeps asking for credentials", "Clear the credential cache in Windows Credential Manager, then restart Outlook.", "public", "Email"),
        ],
        5,
    )
    .unwrap();
    idx
}

fn numbers(r: &[SearchHit]) -> Vec<&str> {
    r.iter().map(|h| h.number.as_str()).collect()
}

fn q(text: &str, public_only: bool) -> SearchQuery {
    SearchQuery { text: text.into(), public_only, limit: 10, ..Default::default() }
}

#[test]
fn title_matches_rank_first_and_stemming_applies() {
    let idx = sample();
    let r = idx.search(&q("printing jammed", true)).unwrap();
    assert_eq!(numbers(&r.hits).first(), Some(&"KB-000002"));
    let r = idx.search(&q("password", true)).unwrap();
    assert_eq!(numbers(&r.hits), ["KB-000001"]);
}

#[test]
fn ascii_folding_matches_accents_both_ways() {
    let idx = sample();
    assert_eq!(numbers(&idx.search(&q("cafe", true)).unwrap().hits), ["KB-000003"]);
    assert_eq!(numbers(&idx.search(&q("gúest", true)).unwrap().hits), ["KB-000003"]);
}

#[test]
fn short_queries_tolerate_a_typo() {
    let idx = sample();
    assert_eq!(numbers(&idx.search(&q("outlok", true)).unwrap().hits).first(), Some(&"KB-000005"));
    assert_eq!(numbers(&idx.search(&q("pritner", true)).unwrap().hits).first(), Some(&"KB-000002"));
}

#[test]
fn phrases_must_match_in_order() {
    let idx = sample();
    assert_eq!(numbers(&idx.search(&q("\"credential cache\"", true)).unwrap().hits), ["KB-000005"]);
    assert!(idx.search(&q("\"cache credential\"", true)).unwrap().hits.is_empty());
}

#[test]
fn requesters_never_get_agent_only_documents() {
    let idx = sample();
    let public = idx.search(&q("vpn gateway certificate", true)).unwrap();
    assert!(!numbers(&public.hits).contains(&"KB-000004"), "{:?}", numbers(&public.hits));
    let staff = idx.search(&q("vpn gateway certificate", false)).unwrap();
    assert_eq!(numbers(&staff.hits).first(), Some(&"KB-000004"));
    assert!(idx.suggest("gateway certificate renew", true, 5).unwrap().is_empty());
    assert!(idx.related(DocKind::Article, 1, true, 5).unwrap().iter().all(|h| h.audience == "public"));
}

#[test]
fn snippets_highlight_and_escape() {
    let idx = sample();
    let r = idx.search(&q("gateway", false)).unwrap();
    let hit = &r.hits[0];
    assert!(hit.title_html.contains("<b>gateway</b>"), "{}", hit.title_html);
    assert!(hit.snippet_html.contains("<b>gateway</b>"), "{}", hit.snippet_html);
    assert!(!hit.snippet_html.contains("<script>"), "{}", hit.snippet_html);
}

#[test]
fn facets_count_matches_per_category() {
    let idx = sample();
    let r = idx.search(&q("vpn network password guest", false)).unwrap();
    let network = r.facets.iter().find(|f| f.category == "Network").map(|f| f.count);
    assert_eq!(network, Some(3));
    let only = idx.search(&SearchQuery { category: Some("Network".into()), ..q("open", false) }).unwrap();
    assert!(only.hits.iter().all(|h| h.category.as_deref() == Some("Network")));
}

#[test]
fn suggestions_come_from_free_text() {
    let idx = sample();
    let s = idx.suggest("My outlook keeps popping up a password prompt since this morning", true, 3).unwrap();
    assert_eq!(s.first().map(|h| h.number.as_str()), Some("KB-000005"));
}

#[test]
fn updates_replace_and_removals_delete() {
    let idx = sample();
    idx.apply(&[article(2, "Scanner sends empty PDF", "Rescan at 300 dpi.", "public", "Printing")], 6).unwrap();
    assert!(idx.search(&q("jam", true)).unwrap().hits.is_empty());
    assert_eq!(numbers(&idx.search(&q("scanner", true)).unwrap().hits), ["KB-000002"]);
    idx.apply(&[IndexOp::Remove(DocKind::Article, 2)], 7).unwrap();
    assert!(idx.search(&q("scanner", true)).unwrap().hits.is_empty());
    assert_eq!(idx.num_docs(), 4);
}

#[test]
fn the_cursor_is_the_commit_payload_and_survives_reopening() {
    let dir = std::env::temp_dir().join(format!("oxidesk-index-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    {
        let idx = SearchIndex::open(&dir).unwrap();
        assert_eq!(idx.cursor(), 0);
        idx.apply(&[article(9, "Headset not recognised", "Replug the headset.", "public", "Telephony")], 42).unwrap();
        idx.skip_to(50);
        assert_eq!(idx.cursor(), 50);
        assert_eq!(idx.committed_cursor(), 42);
    }
    let idx = SearchIndex::open(&dir).unwrap();
    assert_eq!(idx.cursor(), 42, "uncommitted skips are replayed after a restart");
    assert_eq!(numbers(&idx.search(&q("headset", true)).unwrap().hits), ["KB-000009"]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn empty_and_syntax_error_queries_do_not_fail() {
    let idx = sample();
    assert!(idx.search(&q("   ", true)).unwrap().hits.is_empty());
    assert!(idx.search(&q("vpn AND (", true)).is_ok());
    assert!(idx.search(&q("title:\"unclosed", true)).is_ok());
}

fn ticket(id: i64, title: &str, body: &str) -> IndexOp {
    IndexOp::Upsert(IndexDoc {
        kind: DocKind::Ticket,
        id,
        number: format!("INC-{id:06}"),
        title: title.into(),
        body: body.into(),
        tags: vec![],
        audience: "agents".into(),
        category: Some("VPN".into()),
        icon: String::new(),
    })
}

fn with_tickets() -> SearchIndex {
    let idx = sample();
    idx.apply(
        &[
            ticket(101, "VPN drops every few minutes", "Working from home, the VPN client disconnects and reconnects."),
            ticket(102, "Printer on floor 3 jams", "Paper jam in tray 2 again."),
            ticket(103, "VPN client disconnects at home", "Since the update the VPN disconnects every few minutes."),
            ticket(104, "New laptop for a starter", "Please prepare a laptop for Monday."),
        ],
        9,
    )
    .unwrap();
    idx
}

#[test]
fn similar_tickets_are_found_by_their_words_leaving_out_the_source() {
    let idx = with_tickets();
    let similar = idx.similar_tickets("VPN drops every few minutes Working from home, the VPN client disconnects", Some(101), 5).unwrap();
    assert_eq!(similar.first(), Some(&103), "{similar:?}");
    assert!(!similar.contains(&101) && !similar.contains(&104), "{similar:?}");
    assert_eq!(idx.similar_tickets("printer paper jam", None, 1).unwrap(), [102]);
    assert!(idx.similar_tickets("quantum entanglement", None, 5).unwrap().is_empty());
    idx.apply(&[IndexOp::Remove(DocKind::Ticket, 103)], 10).unwrap();
    assert!(!idx.similar_tickets("VPN disconnects", Some(101), 5).unwrap().contains(&103));
}

#[test]
fn tickets_never_surface_in_knowledge_search_or_suggestions() {
    let idx = with_tickets();
    for text in ["vpn disconnects", "ticket_text:vpn", "ticket_title:printer", "laptop starter"] {
        let staff = idx.search(&q(text, false)).unwrap();
        assert!(staff.hits.iter().all(|h| h.kind != "ticket" && h.number.starts_with("KB-")), "{text}: {:?}", numbers(&staff.hits));
    }
    let suggested = idx.suggest("VPN client disconnects from home", false, 5).unwrap();
    assert!(suggested.iter().all(|h| h.kind == "article"), "{:?}", numbers(&suggested));
    assert_eq!(suggested.first().map(|h| h.number.as_str()), Some("KB-000001"));
}

#[test]
fn an_index_written_with_another_schema_is_recreated_empty() {
    let dir = std::env::temp_dir().join(format!("oxidesk-index-schema-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    {
        let mut b = Schema::builder();
        let title = b.add_text_field("title", tantivy::schema::TEXT | STORED);
        std::fs::create_dir_all(&dir).unwrap();
        let old = Index::create_in_dir(&dir, b.build()).unwrap();
        let mut w: IndexWriter<TantivyDocument> = old.writer_with_num_threads(1, 15_000_000).unwrap();
        let mut doc = TantivyDocument::default();
        doc.add_text(title, "Reset your VPN password");
        w.add_document(doc).unwrap();
        let mut commit = w.prepare_commit().unwrap();
        commit.set_payload("77");
        commit.commit().unwrap();
    }
    let idx = SearchIndex::open(&dir).unwrap();
    assert_eq!(idx.committed_cursor(), 0, "the outdated index and its cursor are gone");
    assert_eq!(idx.num_docs(), 0);
    idx.apply(&[article(1, "Reset your VPN password", "Self-service page.", "public", "Network")], 5).unwrap();
    drop(idx);
    let idx = SearchIndex::open(&dir).unwrap();
    assert_eq!((idx.committed_cursor(), idx.num_docs()), (5, 1), "an index of the current schema is kept");
    let _ = std::fs::remove_dir_all(&dir);
}
