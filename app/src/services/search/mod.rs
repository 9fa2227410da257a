//! Full-text search over knowledge articles and catalog items (tantivy): one index and one reader
//! per process, English stemming and ASCII folding, typo tolerance on short queries, title
//! boosted over body, phrase queries, highlighted snippets, category facets and audience
//! filtering. Tickets are indexed too, for similar incidents, in fields of their own that keep
//! no stored text: a ticket match is read as an id from a fast field, and article searches never
//! walk ticket postings. The index is fed by [`indexer`] from the outbox; its cursor lives in the
//! tantivy commit payload so the index and the cursor can never disagree. An index written with
//! another schema (an older version) is recreated empty, and the indexer rebuilds it.

pub mod indexer;

use crate::dto::{FacetCount, SearchHit, SearchResults};
use crate::error::AppError;
use std::path::Path;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Mutex;
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::query::{BooleanQuery, BoostQuery, FuzzyTermQuery, MoreLikeThisQuery, Occur, Query, QueryParser, TermQuery};
use tantivy::schema::{
    Facet, FacetOptions, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, FAST, INDEXED, STORED, STRING,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, StopWordFilter, TextAnalyzer,
    TokenStream,
};
use tantivy::{DocAddress, Index, IndexReader, IndexSettings, IndexWriter, ReloadPolicy, Searcher, TantivyDocument, Term};

const ANALYZER: &str = "oxidesk_en";
const WRITER_BUDGET: usize = 64_000_000;
/// Words of a ticket used to find similar tickets and articles.
const MATCHING_TERMS: usize = 16;

/// What a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    /// A knowledge article (`KB-000042`).
    Article,
    /// A catalog item requesters may order.
    Catalog,
    /// A ticket (agents only: similar incidents).
    Ticket,
}

impl DocKind {
    fn code(self) -> &'static str {
        match self {
            Self::Article => "article",
            Self::Catalog => "catalog",
            Self::Ticket => "ticket",
        }
    }
}

/// One document to (re)index.
#[derive(Debug, Clone)]
pub struct IndexDoc {
    /// Kind.
    pub kind: DocKind,
    /// Row id.
    pub id: i64,
    /// Public number (`KB-000042`) or id.
    pub number: String,
    /// Title.
    pub title: String,
    /// Plain text body.
    pub body: String,
    /// Tags.
    pub tags: Vec<String>,
    /// `public` or `agents` (articles); a catalog item's audience terms, space separated.
    pub audience: String,
    /// Category name.
    pub category: Option<String>,
    /// Icon code (catalog items; empty otherwise).
    pub icon: String,
}

impl IndexDoc {
    fn key(&self) -> String {
        doc_key(self.kind, self.id)
    }
}

fn doc_key(kind: DocKind, id: i64) -> String {
    format!("{}:{id}", kind.code())
}

/// A change to apply: replace (or add) a document, or remove it.
#[derive(Debug, Clone)]
pub enum IndexOp {
    /// Add or replace.
    Upsert(IndexDoc),
    /// Remove (unpublished, retired, deleted).
    Remove(DocKind, i64),
}

#[derive(Clone, Copy)]
struct Fields {
    key: Field,
    kind: Field,
    id: Field,
    number: Field,
    title: Field,
    body: Field,
    tags: Field,
    audience: Field,
    category: Field,
    category_name: Field,
    icon: Field,
    ticket_title: Field,
    ticket_text: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let indexed = |record: IndexRecordOption| {
        TextOptions::default().set_indexing_options(TextFieldIndexing::default().set_tokenizer(ANALYZER).set_index_option(record))
    };
    let text = |stored: bool| {
        let o = indexed(IndexRecordOption::WithFreqsAndPositions);
        if stored {
            o.set_stored()
        } else {
            o
        }
    };
    let fields = Fields {
        key: b.add_text_field("key", STRING),
        kind: b.add_text_field("kind", STRING | STORED),
        id: b.add_u64_field("id", INDEXED | STORED | FAST),
        number: b.add_text_field("number", STORED),
        title: b.add_text_field("title", text(true)),
        body: b.add_text_field("body", text(true)),
        tags: b.add_text_field("tags", text(false)),
        audience: b.add_text_field("audience", STRING | STORED),
        category: b.add_facet_field("category", FacetOptions::default()),
        category_name: b.add_text_field("category_name", STORED),
        // Catalog documents are catalog items since this field was added (a schema change, so
        // an index holding business services as catalog documents is rebuilt).
        icon: b.add_text_field("icon", STORED),
        // Ticket text is matched word by word (no phrases), so it keeps no positions either.
        ticket_title: b.add_text_field("ticket_title", indexed(IndexRecordOption::WithFreqs)),
        ticket_text: b.add_text_field("ticket_text", indexed(IndexRecordOption::WithFreqs)),
    };
    (b.build(), fields)
}

fn analyzer() -> TextAnalyzer {
    let mut builder = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .dynamic();
    if let Some(stop) = StopWordFilter::new(Language::English) {
        builder = builder.filter_dynamic(stop);
    }
    builder.filter_dynamic(Stemmer::new(Language::English)).build()
}

/// Search request.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    /// What was typed (words, `"phrases"`).
    pub text: String,
    /// Only documents everyone may read (requesters).
    pub public_only: bool,
    /// Only documents whose audience has one of these terms (see
    /// `ItemAudience::reader_terms`); `None`: no audience filter.
    pub admitted: Option<Vec<String>>,
    /// Only this kind (default: articles and catalog items, never tickets).
    pub kind: Option<DocKind>,
    /// Only this category.
    pub category: Option<String>,
    /// Results wanted (1–50).
    pub limit: usize,
}

/// The process's search index: one reader, and (for the indexer or `reindex`) one writer.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    writer: Mutex<Option<IndexWriter<TantivyDocument>>>,
    skipped_to: AtomicI64,
}

fn internal(context: &str) -> impl Fn(tantivy::TantivyError) -> AppError + '_ {
    move |e| {
        tracing::error!(error = %e, "search index: {context}");
        AppError::Internal
    }
}

impl SearchIndex {
    /// Opens (or creates) the index stored in `dir`. An index written with another schema is
    /// deleted and created again, empty: [`indexer::run`] then rebuilds it from the tables.
    pub fn open(dir: &Path) -> Result<Self, AppError> {
        let (schema, fields) = schema();
        let directory = Self::directory(dir)?;
        let index = if Index::exists(&directory).map_err(|e| internal("open")(e.into()))? {
            let existing = Index::open(directory).map_err(internal("open"))?;
            if existing.schema() == schema {
                existing
            } else {
                tracing::warn!(dir = %dir.display(), "the search index was written with another schema; recreating it");
                drop(existing);
                std::fs::remove_dir_all(dir).map_err(|e| {
                    tracing::error!(error = %e, dir = %dir.display(), "cannot remove the outdated search index");
                    AppError::Internal
                })?;
                Index::create(Self::directory(dir)?, schema, IndexSettings::default()).map_err(internal("create"))?
            }
        } else {
            Index::create(directory, schema, IndexSettings::default()).map_err(internal("create"))?
        };
        Self::wrap(index, fields)
    }

    fn directory(dir: &Path) -> Result<MmapDirectory, AppError> {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir).map_err(|e| {
            tracing::error!(error = %e, dir = %dir.display(), "cannot create the search index directory");
            AppError::Internal
        })?;
        MmapDirectory::open(dir).map_err(|e| {
            tracing::error!(error = %e, dir = %dir.display(), "cannot open the search index directory");
            AppError::Internal
        })
    }

    /// A throw-away index in memory (tests, tools that never search).
    pub fn in_memory() -> Self {
        let (schema, fields) = schema();
        match Self::wrap(Index::create_in_ram(schema), fields) {
            Ok(s) => s,
            Err(_) => unreachable!("an in-memory index always opens"),
        }
    }

    fn wrap(index: Index, fields: Fields) -> Result<Self, AppError> {
        index.tokenizers().register(ANALYZER, analyzer());
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into().map_err(internal("reader"))?;
        Ok(Self { index, reader, fields, writer: Mutex::new(None), skipped_to: AtomicI64::new(0) })
    }

    /// The last outbox sequence number reflected in the committed index.
    pub fn committed_cursor(&self) -> i64 {
        self.index.load_metas().ok().and_then(|m| m.payload).and_then(|p| p.parse().ok()).unwrap_or(0)
    }

    /// Where the indexer goes on from: the committed cursor, or further when only events that
    /// touch no document were read since (not worth a commit; replayed harmlessly after a crash).
    pub fn cursor(&self) -> i64 {
        self.committed_cursor().max(self.skipped_to.load(Ordering::Acquire))
    }

    /// Notes that events up to `seq` touched no document.
    pub fn skip_to(&self, seq: i64) {
        self.skipped_to.fetch_max(seq, Ordering::AcqRel);
    }

    /// Number of documents searchable now.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    fn with_writer<T>(&self, f: impl FnOnce(&mut IndexWriter<TantivyDocument>) -> tantivy::Result<T>) -> Result<T, AppError> {
        let mut slot = self.writer.lock().map_err(|_| AppError::Internal)?;
        if slot.is_none() {
            let w = self.index.writer_with_num_threads(1, WRITER_BUDGET).map_err(|e| {
                tracing::error!(error = %e, "cannot take the search index writer (is another oxidesk process using this data directory?)");
                AppError::Conflict("The search index is in use by another Oxidesk process".into())
            })?;
            *slot = Some(w);
        }
        match slot.as_mut() {
            Some(w) => f(w).map_err(internal("write")),
            None => Err(AppError::Internal),
        }
    }

    fn document(&self, d: &IndexDoc) -> TantivyDocument {
        let f = self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.key, d.key());
        doc.add_text(f.kind, d.kind.code());
        doc.add_u64(f.id, d.id.max(0) as u64);
        if d.kind == DocKind::Ticket {
            doc.add_text(f.ticket_title, &d.title);
            doc.add_text(f.ticket_text, &d.body);
            return doc;
        }
        doc.add_text(f.number, &d.number);
        doc.add_text(f.title, &d.title);
        doc.add_text(f.body, &d.body);
        doc.add_text(f.tags, d.tags.join(" "));
        for term in d.audience.split(' ').filter(|t| !t.is_empty()) {
            doc.add_text(f.audience, term);
        }
        if !d.icon.is_empty() {
            doc.add_text(f.icon, &d.icon);
        }
        let category = d.category.clone().unwrap_or_else(|| "Uncategorised".into());
        doc.add_facet(f.category, Facet::from_path([category.as_str()]));
        doc.add_text(f.category_name, &category);
        doc
    }

    /// Applies `ops` and commits with `cursor` as the payload, then refreshes the reader.
    pub fn apply(&self, ops: &[IndexOp], cursor: i64) -> Result<(), AppError> {
        self.with_writer(|w| {
            for op in ops {
                match op {
                    IndexOp::Upsert(d) => {
                        w.delete_term(Term::from_field_text(self.fields.key, &d.key()));
                        w.add_document(self.document(d))?;
                    }
                    IndexOp::Remove(kind, id) => {
                        w.delete_term(Term::from_field_text(self.fields.key, &doc_key(*kind, *id)));
                    }
                }
            }
            let mut commit = w.prepare_commit()?;
            commit.set_payload(&cursor.to_string());
            commit.commit()?;
            Ok(())
        })?;
        self.reader.reload().map_err(internal("reload"))
    }

    /// Empties the index (before a rebuild); nothing is visible until the next commit.
    pub fn clear(&self) -> Result<(), AppError> {
        self.with_writer(|w| w.delete_all_documents().map(|_| ()))
    }

    /// Adds documents without committing (bulk rebuilds); [`Self::apply`] commits.
    pub fn add_uncommitted(&self, docs: &[IndexDoc]) -> Result<(), AppError> {
        self.with_writer(|w| {
            for d in docs {
                w.add_document(self.document(d))?;
            }
            Ok(())
        })
    }

    /// Analysed terms of `text` (lower-cased, folded, stemmed, without stop words).
    fn terms(&self, text: &str) -> Vec<String> {
        let mut analyzer = self.index.tokenizers().get(ANALYZER).unwrap_or_else(analyzer);
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token().text.clone();
            if !out.contains(&t) {
                out.push(t);
            }
        }
        out
    }

    /// The `max` words of `text` that best tell documents apart in `fields`: words no document
    /// has are dropped, the rest taken rarest first (as more-like-this does, for free text), which
    /// keeps a long ticket's query small and its matches specific.
    fn distinctive_terms(&self, text: &str, fields: [Field; 2], max: usize) -> Vec<String> {
        let searcher = self.reader.searcher();
        let doc_freq = |t: &str| {
            fields.into_iter().filter_map(|field| searcher.doc_freq(&Term::from_field_text(field, t)).ok()).max().unwrap_or(0)
        };
        let mut ranked: Vec<(u64, String)> =
            self.terms(text).into_iter().map(|t| (doc_freq(&t), t)).filter(|(df, _)| *df > 0).collect();
        ranked.sort();
        ranked.into_iter().take(max).map(|(_, t)| t).collect()
    }

    fn filters(&self, q: &SearchQuery) -> Vec<(Occur, Box<dyn Query>)> {
        let f = self.fields;
        let mut out: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if q.public_only {
            out.push((Occur::Must, term_query(Term::from_field_text(f.audience, "public"))));
        }
        if let Some(terms) = &q.admitted {
            let any: Vec<(Occur, Box<dyn Query>)> = terms.iter().map(|t| (Occur::Should, term_query(Term::from_field_text(f.audience, t)))).collect();
            out.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        match q.kind {
            Some(kind) => out.push((Occur::Must, term_query(Term::from_field_text(f.kind, kind.code())))),
            // Ticket fields are not among those searched, but a query may name a field.
            None => out.push((Occur::MustNot, term_query(Term::from_field_text(f.kind, DocKind::Ticket.code())))),
        }
        if let Some(c) = q.category.as_deref().filter(|c| !c.is_empty()) {
            out.push((Occur::Must, term_query(Term::from_facet(f.category, &Facet::from_path([c])))));
        }
        out
    }

    /// Searches what a person typed in a search box: words (any of them, more is better),
    /// `"exact phrases"`, typo-tolerant when the query is short.
    pub fn search(&self, q: &SearchQuery) -> Result<SearchResults, AppError> {
        let f = self.fields;
        let text = q.text.trim();
        if text.is_empty() {
            return Ok(SearchResults { query: q.text.clone(), ..Default::default() });
        }
        let mut parser = QueryParser::for_index(&self.index, vec![f.title, f.body, f.tags]);
        parser.set_field_boost(f.title, 3.0);
        parser.set_field_boost(f.tags, 2.0);
        let (parsed, _errors) = parser.parse_query_lenient(text);
        let mut should: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Should, parsed)];
        let terms = self.terms(text);
        if !text.contains('"') && terms.len() <= 4 {
            let searcher = self.reader.searcher();
            let unknown = |t: &String| {
                [f.title, f.body].iter().all(|field| searcher.doc_freq(&Term::from_field_text(*field, t)).map(|n| n == 0).unwrap_or(true))
            };
            // Only words the index does not know are typos worth a fuzzy match.
            for t in terms.iter().filter(|t| t.chars().count() >= 4 && unknown(t)) {
                for (field, boost) in [(f.title, 3.0), (f.body, 1.0)] {
                    let fuzzy = FuzzyTermQuery::new(Term::from_field_text(field, t), 1, true);
                    should.push((Occur::Should, Box::new(BoostQuery::new(Box::new(fuzzy), boost))));
                }
            }
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, Box::new(BooleanQuery::new(should)))];
        clauses.extend(self.filters(q));
        let mut results = self.run(BooleanQuery::new(clauses), q.limit, true)?;
        results.query = q.text.clone();
        Ok(results)
    }

    /// Best articles for free text, such as a ticket being written (title + description): any of
    /// its words, titles weighted up, public articles only when `public_only`.
    pub fn suggest(&self, text: &str, public_only: bool, limit: usize) -> Result<Vec<SearchHit>, AppError> {
        let f = self.fields;
        let terms = self.distinctive_terms(text, [f.title, f.body], MATCHING_TERMS);
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        let should = weighted_terms(&terms, &[(f.title, 2.0), (f.body, 1.0), (f.tags, 1.5)]);
        let filter = SearchQuery { public_only, kind: Some(DocKind::Article), ..Default::default() };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, Box::new(BooleanQuery::new(should)))];
        clauses.extend(self.filters(&filter));
        Ok(self.run_with(BooleanQuery::new(clauses), limit, false, true)?.hits)
    }

    /// Tickets whose title and text are like `text`, best first, leaving out ticket `exclude`
    /// (the one the text came from): ids only, read from a fast field, never from stored text.
    pub fn similar_tickets(&self, text: &str, exclude: Option<i64>, limit: usize) -> Result<Vec<i64>, AppError> {
        let f = self.fields;
        let terms = self.distinctive_terms(text, [f.ticket_title, f.ticket_text], MATCHING_TERMS);
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        let query = BooleanQuery::new(weighted_terms(&terms, &[(f.ticket_title, 2.0), (f.ticket_text, 1.0)]));
        let limit = limit.clamp(1, 50);
        let searcher = self.reader.searcher();
        let top = searcher.search(&query, &TopDocs::with_limit(limit + 1).order_by_score()).map_err(internal("similar tickets"))?;
        let mut ids = Vec::with_capacity(top.len());
        for (_, addr) in top {
            let column = searcher.segment_reader(addr.segment_ord).fast_fields().u64("id").map_err(internal("ticket id column"))?;
            if let Some(id) = column.first(addr.doc_id).map(|id| id as i64).filter(|id| Some(*id) != exclude) {
                ids.push(id);
            }
        }
        ids.truncate(limit);
        Ok(ids)
    }

    /// Articles like article `id` (same audience rules), excluding itself.
    pub fn related(&self, kind: DocKind, id: i64, public_only: bool, limit: usize) -> Result<Vec<SearchHit>, AppError> {
        let f = self.fields;
        let searcher = self.reader.searcher();
        let key = Term::from_field_text(f.key, &doc_key(kind, id));
        let Some((_, addr)) = searcher
            .search(&TermQuery::new(key.clone(), IndexRecordOption::Basic), &TopDocs::with_limit(1).order_by_score())
            .map_err(internal("related lookup"))?
            .into_iter()
            .next()
        else {
            return Ok(Vec::new());
        };
        let mlt = MoreLikeThisQuery::builder()
            .with_min_doc_frequency(1)
            .with_max_doc_frequency(searcher.num_docs().max(2) / 2)
            .with_min_term_frequency(1)
            .with_min_word_length(3)
            .with_max_query_terms(25)
            .with_document(addr);
        let filter = SearchQuery { public_only, kind: Some(kind), ..Default::default() };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Must, Box::new(mlt)), (Occur::MustNot, term_query(key))];
        clauses.extend(self.filters(&filter));
        Ok(self.run(BooleanQuery::new(clauses), limit, false)?.hits)
    }

    fn run(&self, query: BooleanQuery, limit: usize, facets: bool) -> Result<SearchResults, AppError> {
        self.run_with(query, limit, facets, true)
    }

    fn run_with(&self, query: BooleanQuery, limit: usize, facets: bool, snippets: bool) -> Result<SearchResults, AppError> {
        let searcher = self.reader.searcher();
        let limit = limit.clamp(1, 50);
        let mut facet_collector = FacetCollector::for_field("category");
        facet_collector.add_facet(Facet::root());
        let (top, total, facet_counts) = if facets {
            let (top, total, counts) = searcher
                .search(&query, &(TopDocs::with_limit(limit).order_by_score(), Count, facet_collector))
                .map_err(internal("search"))?;
            let mut fc: Vec<FacetCount> = counts
                .get(Facet::root())
                .map(|(facet, count)| FacetCount { category: facet_label(facet), count })
                .collect();
            fc.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.category.cmp(&b.category)));
            (top, total as u64, fc)
        } else {
            let top = searcher.search(&query, &TopDocs::with_limit(limit).order_by_score()).map_err(internal("search"))?;
            let n = top.len() as u64;
            (top, n, Vec::new())
        };
        let hits = self.hits(&searcher, &query, top, snippets)?;
        Ok(SearchResults { query: String::new(), hits, total, facets: facet_counts })
    }

    fn hits(&self, searcher: &Searcher, query: &dyn Query, top: Vec<(f32, DocAddress)>, snippets: bool) -> Result<Vec<SearchHit>, AppError> {
        let f = self.fields;
        let generator = |field: Field, max: usize| -> Result<Option<SnippetGenerator>, AppError> {
            if !snippets || top.is_empty() {
                return Ok(None);
            }
            let mut g = SnippetGenerator::create(searcher, query, field).map_err(internal("snippets"))?;
            g.set_max_num_chars(max);
            Ok(Some(g))
        };
        let body_snippets = generator(f.body, 180)?;
        let title_snippets = generator(f.title, 400)?;
        let mut out = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr).map_err(internal("load doc"))?;
            let text = |field: Field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or_default().to_string();
            let (kind, number, title, body) = (text(f.kind), text(f.number), text(f.title), text(f.body));
            let title_html = match title_snippets.as_ref().map(|g| g.snippet(&title)) {
                Some(s) if !s.highlighted().is_empty() => s.to_html(),
                _ => escape(&title),
            };
            let snippet_html = match body_snippets.as_ref().map(|g| g.snippet(&body)) {
                Some(s) if !s.fragment().is_empty() => s.to_html(),
                _ => escape(&body.chars().take(180).collect::<String>()),
            };
            let category = Some(text(f.category_name)).filter(|c| !c.is_empty() && c != "Uncategorised");
            let url = match kind.as_str() {
                "article" => format!("/portal/kb/{number}"),
                _ => format!("/portal/catalog/{number}"),
            };
            let id = doc.get_first(f.id).and_then(|v| v.as_u64()).unwrap_or(0) as i64;
            out.push(SearchHit {
                id,
                audience: text(f.audience),
                icon: Some(text(f.icon)).filter(|i| !i.is_empty()),
                kind,
                number,
                title,
                title_html,
                snippet_html,
                category,
                url,
                score,
            });
        }
        Ok(out)
    }
}

/// One `Should` clause per term and field, each boosted by the field's weight.
fn weighted_terms(terms: &[String], fields: &[(Field, f32)]) -> Vec<(Occur, Box<dyn Query>)> {
    let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::with_capacity(terms.len() * fields.len());
    for t in terms {
        for &(field, boost) in fields {
            let q = TermQuery::new(Term::from_field_text(field, t), IndexRecordOption::WithFreqs);
            should.push((Occur::Should, Box::new(BoostQuery::new(Box::new(q), boost))));
        }
    }
    should
}

fn term_query(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::Basic))
}

fn facet_label(facet: &Facet) -> String {
    facet.to_path().last().map(|s| s.to_string()).unwrap_or_default()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests;
