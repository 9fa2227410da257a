//! Console queues: the filter behind every list, the built-in views (mine, my groups,
//! unassigned, breaching soon, recently updated), each agent's saved views, and counts per view.

use super::TicketFilter;
use crate::domain::field::bounded_text;
use crate::domain::{Actor, TicketNumber, TicketState, TicketType};
use crate::dto::{QueueView, COUNT_CAP, TEXT_COUNT_CAP};
use crate::error::AppError;
use crate::services::authz::require_staff;
use crate::services::entities::{saved_view, ticket};
use crate::services::AppContext;
use chrono::{Duration, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, NullOrdering, Query, SelectStatement};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, Order, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, Select, Set, Statement,
};

/// How soon a due SLA target counts as "breaching soon".
pub const BREACHING_WITHIN_MINUTES: i64 = 60;

/// The built-in views: key, label, filter query.
pub const BUILT_IN: [(&str, &str, &str); 6] = [
    ("open", "All open", "state=open"),
    ("mine", "My tickets", "state=open&assignee=me"),
    ("my_groups", "My groups", "state=open&group=mine"),
    ("unassigned", "Unassigned", "state=open&assignee=none"),
    ("breaching", "Breaching soon", "state=open&sla=breaching&sort=sla"),
    ("recent", "Recently updated", "updated=24"),
];

impl TicketFilter {
    /// Reads a queue's URL query (`state=open&assignee=me&sort=sla`); unknown keys are ignored.
    pub fn from_query(query: &str) -> Result<Self, AppError> {
        let mut f = TicketFilter::default();
        for (k, v) in form_urlencoded::parse(query.trim_start_matches('?').as_bytes()) {
            let v = Some(v.into_owned()).filter(|v| !v.trim().is_empty());
            match k.as_ref() {
                "state" => f.state = v,
                "assignee" => f.assignee = v,
                "q" => f.q = v,
                "group" => f.group = v,
                "priority" => f.priority = v,
                "category" => f.category = v,
                "sla" => f.sla = v,
                "sort" => f.sort = v,
                "updated" => {
                    f.updated_hours = match v {
                        None => None,
                        Some(h) => Some(h.parse().map_err(|_| AppError::field("updated", "Give a number of hours"))?),
                    }
                }
                "offset" => f.offset = v.and_then(|o| o.parse().ok()),
                _ => {}
            }
        }
        Ok(f)
    }
}

fn id_or(field: &str, raw: &str, what: &str) -> Result<i64, AppError> {
    raw.parse().map_err(|_| AppError::field(field, what.to_string()))
}

/// The words of a text filter, lower-cased, letters and digits only (punctuation separates words,
/// as in the indexed titles); at most 8.
fn filter_words(q: &str) -> Vec<String> {
    q.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).take(8).collect()
}

/// Above this many title matches, SQLite finds a page faster by walking tickets in the page's
/// order than by sorting every match.
const MANY_TITLE_MATCHES: u64 = 2_000;

/// How a query reaches the tickets whose titles match a text filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TitleMatches {
    /// Start from the full-text index's list of matches (counts, and pages of few matches).
    FromIndex,
    /// Walk tickets in the page's order and keep those among the matches (SQLite, many matches:
    /// the first page is found long before every match would be sorted).
    InPageOrder,
    /// Left to the caller, which joins the full-text index (SQLite counts).
    Joined,
}

/// The words a SQLite count can join from the full-text index: those of a text filter that is
/// not a ticket number (a number may match a ticket whose title has none of its words).
fn joinable_words(backend: DbBackend, filter: &TicketFilter) -> Option<Vec<String>> {
    let q = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty())?;
    let words = filter_words(q);
    (backend == DbBackend::Sqlite && !words.is_empty() && TicketNumber::parse(q).is_err()).then_some(words)
}

/// The FTS5 query for `words` on SQLite: each word quoted (so `OR` or `*` typed in the box are
/// words, not syntax) and matched as a word start.
fn fts5_query(words: &[String]) -> String {
    words.iter().map(|w| format!("\"{w}\"*")).collect::<Vec<_>>().join(" ")
}

/// Tickets whose title has every word of `words`, each as a word or the start of one: through
/// the full-text index of the titles (PostgreSQL `ticket.title_search`, a GIN-indexed tsvector;
/// SQLite `ticket_title_fts`, FTS5), so a rare word is found without scanning every ticket.
fn title_has_words(backend: DbBackend, words: &[String], reach: TitleMatches) -> Expr {
    match backend {
        DbBackend::Postgres => {
            let query = words.iter().map(|w| format!("{w}:*")).collect::<Vec<_>>().join(" & ");
            Expr::cust_with_values("ticket.title_search @@ to_tsquery('simple', $1)", [query])
        }
        _ => {
            // A unary `+` keeps SQLite from driving the query by the list of matches.
            let id = if reach == TitleMatches::InPageOrder { "+ticket.id" } else { "ticket.id" };
            Expr::cust_with_values(format!("{id} IN (SELECT rowid FROM ticket_title_fts WHERE ticket_title_fts MATCH ?)"), [fts5_query(words)])
        }
    }
}

/// How the page query of `filter` should reach its title matches: on SQLite, a quick bounded
/// count of the matches tells few from many; PostgreSQL's planner has statistics of its own.
pub async fn title_matches(db: &impl ConnectionTrait, filter: &TicketFilter) -> Result<TitleMatches, AppError> {
    let words = filter.q.as_deref().map(filter_words).unwrap_or_default();
    if words.is_empty() || db.get_database_backend() != DbBackend::Sqlite {
        return Ok(TitleMatches::FromIndex);
    }
    let sql = "SELECT COUNT(*) AS n FROM (SELECT rowid FROM ticket_title_fts WHERE ticket_title_fts MATCH ? LIMIT ?)";
    let values: [sea_orm::Value; 2] = [fts5_query(&words).into(), (MANY_TITLE_MATCHES as i64 + 1).into()];
    let n = match db.query_one_raw(Statement::from_sql_and_values(DbBackend::Sqlite, sql, values)).await? {
        Some(row) => row.try_get::<i64>("", "n")?,
        None => 0,
    };
    Ok(if n as u64 > MANY_TITLE_MATCHES { TitleMatches::InPageOrder } else { TitleMatches::FromIndex })
}

/// The condition selecting the tickets `filter` describes, among those `actor` may see.
pub fn condition(backend: DbBackend, actor: &Actor, filter: &TicketFilter) -> Result<Condition, AppError> {
    condition_reaching(backend, actor, filter, TitleMatches::FromIndex)
}

/// [`condition`], reaching title matches as `reach` says.
pub fn condition_reaching(backend: DbBackend, actor: &Actor, filter: &TicketFilter, reach: TitleMatches) -> Result<Condition, AppError> {
    let mut cond = Condition::all();
    if !actor.is_staff() {
        cond = cond.add(ticket::Column::RequesterId.eq(actor.user_id)).add(ticket::Column::TicketType.ne(TicketType::Task.code()));
    }
    if let Some(state) = filter.state.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let states: Vec<TicketState> = if state == "open" {
            TicketState::ALL.into_iter().filter(|s| s.is_open()).collect()
        } else {
            state.split(',').map(TicketState::parse).collect::<Result<_, _>>()?
        };
        cond = cond.add(ticket::Column::State.is_in(states.iter().map(|s| s.code())));
    }
    match filter.assignee.as_deref().map(str::trim) {
        None | Some("") => {}
        Some("me") => cond = cond.add(ticket::Column::AssigneeId.eq(actor.user_id)),
        Some("none") => cond = cond.add(ticket::Column::AssigneeId.is_null()),
        Some(other) => {
            cond = cond.add(ticket::Column::AssigneeId.eq(id_or("assignee", other, "Assignee must be 'me', 'none' or a user id")?))
        }
    }
    match filter.group.as_deref().map(str::trim) {
        None | Some("") => {}
        Some("mine") => cond = cond.add(ticket::Column::GroupId.is_in(actor.group_ids.clone())),
        Some("none") => cond = cond.add(ticket::Column::GroupId.is_null()),
        Some(other) => cond = cond.add(ticket::Column::GroupId.eq(id_or("group", other, "Group must be 'mine', 'none' or a group id")?)),
    }
    if let Some(p) = filter.priority.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        let list: Vec<i16> = p
            .split(',')
            .map(|x| x.trim().parse::<i16>().ok().filter(|n| (1..=5).contains(n)))
            .collect::<Option<_>>()
            .ok_or_else(|| AppError::field("priority", "Priorities are 1 to 5"))?;
        cond = cond.add(ticket::Column::Priority.is_in(list));
    }
    if let Some(c) = filter.category.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        cond = cond.add(ticket::Column::CategoryId.eq(id_or("category", c, "Choose a category from the list")?));
    }
    match filter.sla.as_deref().map(str::trim) {
        None | Some("") => {}
        Some("breaching") => {
            cond = cond.add(ticket::Column::SlaDueAt.lt(Utc::now() + Duration::minutes(BREACHING_WITHIN_MINUTES)));
        }
        Some(_) => return Err(AppError::field("sla", "Use 'breaching'")),
    }
    if let Some(hours) = filter.updated_hours {
        if !(1..=24 * 365).contains(&hours) {
            return Err(AppError::field("updated", "Between 1 hour and a year"));
        }
        cond = cond.add(ticket::Column::UpdatedAt.gte(Utc::now() - Duration::hours(hours)));
    }
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty() && reach != TitleMatches::Joined) {
        let words = filter_words(q);
        let mut any = Condition::any();
        if !words.is_empty() {
            any = any.add(title_has_words(backend, &words, reach));
        }
        if let Ok(n) = TicketNumber::parse(q) {
            any = any.add(ticket::Column::Number.eq(n.to_string()));
        }
        // Only punctuation: nothing can match.
        cond = cond.add(if any.is_empty() { Condition::all().add(Expr::val(1).eq(0)) } else { any });
    }
    Ok(cond)
}

/// Applies a sort order.
pub fn ordered(query: Select<ticket::Entity>, sort: Option<&str>) -> Result<Select<ticket::Entity>, AppError> {
    Ok(match sort.map(str::trim).unwrap_or("updated") {
        "" | "updated" => query.order_by_desc(ticket::Column::UpdatedAt).order_by_desc(ticket::Column::Id),
        "created" => query.order_by_desc(ticket::Column::CreatedAt).order_by_desc(ticket::Column::Id),
        "priority" => query.order_by_asc(ticket::Column::Priority).order_by_desc(ticket::Column::UpdatedAt),
        // Most urgent first: breached longest ago, then due soonest; tickets with no target last.
        "sla" => query.order_by_with_nulls(ticket::Column::SlaDueAt, Order::Asc, NullOrdering::Last).order_by_asc(ticket::Column::Id),
        _ => return Err(AppError::field("sort", "Sort by updated, created, priority or sla")),
    })
}

/// Built-in views and the actor's saved views, each with how many tickets it holds now.
pub async fn views(ctx: &AppContext, actor: &Actor) -> Result<Vec<QueueView>, AppError> {
    require_staff(actor)?;
    let mut out = Vec::new();
    for (key, label, query) in BUILT_IN {
        out.push(QueueView { id: None, key: key.into(), label: label.into(), query: query.into(), count: 0, count_capped: false });
    }
    for v in saved_view::Entity::find()
        .filter(saved_view::Column::UserId.eq(actor.user_id))
        .order_by_asc(saved_view::Column::Name)
        .all(&ctx.db)
        .await?
    {
        out.push(QueueView { id: Some(v.id), key: format!("saved-{}", v.id), label: v.name, query: v.query, count: 0, count_capped: false });
    }
    for v in &mut out {
        let filter = TicketFilter::from_query(&v.query)?;
        (v.count, v.count_capped) = count_tickets(&ctx.db, actor, &filter).await?;
    }
    Ok(out)
}

/// Counts the tickets `filter` selects for `actor`, stopping after [`COUNT_CAP`], or after
/// [`TEXT_COUNT_CAP`] with a text filter: each counted match is checked against its row, and
/// "1000+" tells a searching agent as much as "10000+". On SQLite the count of a text filter
/// starts from the full-text index's matches ([`from_title_matches`]).
pub async fn count_tickets(db: &impl ConnectionTrait, actor: &Actor, filter: &TicketFilter) -> Result<(u64, bool), AppError> {
    count_rows(db, count_statement(db.get_database_backend(), actor, filter)?, count_cap(filter)).await
}

fn count_cap(filter: &TicketFilter) -> u64 {
    if filter.q.as_deref().is_some_and(|q| !q.trim().is_empty()) { TEXT_COUNT_CAP } else { COUNT_CAP }
}

/// The rows [`count_tickets`] counts (at most its cap + 1).
pub fn count_statement(backend: DbBackend, actor: &Actor, filter: &TicketFilter) -> Result<SelectStatement, AppError> {
    let cap = count_cap(filter);
    let Some(words) = joinable_words(backend, filter) else {
        let query = ticket::Entity::find().filter(condition(backend, actor, filter)?);
        return Ok(query.select_only().column(ticket::Column::Id).limit(cap + 1).into_query());
    };
    let cond = condition_reaching(backend, actor, filter, TitleMatches::Joined)?;
    let mut inner = ticket::Entity::find().filter(cond).select_only().column(ticket::Column::Id).limit(cap + 1).into_query();
    from_title_matches(&mut inner, &words);
    Ok(inner)
}

/// Makes `stmt`, a query of tickets, start from the full-text index's matches of `words`
/// (SQLite): `FROM ticket_title_fts CROSS JOIN ticket`, which SQLite always runs with the
/// matches outside and each match's ticket read by its id inside. Left to the planner, an inner
/// join of the two is driven by whichever side the statistics make look smaller: statistics
/// taken when the desk had 5 tickets made it walk every ticket and look each one up in the
/// index, ~45 µs a ticket, until the next restart refreshed them.
fn from_title_matches(stmt: &mut SelectStatement, words: &[String]) {
    stmt.from_clear()
        .from(Alias::new("ticket_title_fts"))
        .cross_join(ticket::Entity)
        .and_where(Expr::cust("ticket.id = ticket_title_fts.rowid"))
        .and_where(Expr::cust_with_values("ticket_title_fts MATCH ?", [fts5_query(words)]));
}

/// The page of `filter` as one statement: on SQLite, a text filter with few matches
/// ([`TitleMatches::FromIndex`]) reads those matches first and sorts them, whatever the
/// planner's statistics say; otherwise the condition reaches the matches as `reach` says.
pub fn page_statement(backend: DbBackend, actor: &Actor, filter: &TicketFilter, reach: TitleMatches, limit: u64, offset: u64) -> Result<SelectStatement, AppError> {
    let words = joinable_words(backend, filter).filter(|_| reach == TitleMatches::FromIndex);
    let cond = condition_reaching(backend, actor, filter, if words.is_some() { TitleMatches::Joined } else { reach })?;
    let mut stmt = ordered(ticket::Entity::find().filter(cond), filter.sort.as_deref())?.limit(limit).offset(offset).into_query();
    if let Some(words) = words {
        from_title_matches(&mut stmt, &words);
    }
    Ok(stmt)
}

/// Counts the rows `inner` (limited to `cap + 1`) returns: `(count, more_than_cap)`. The
/// database reads at most `cap + 1` entries, whatever the queue's size.
/// Counts the rows `inner` selects (it should stop after `cap + 1`): the count up to `cap`, and
/// whether there were more.
pub(crate) async fn count_rows(db: &impl ConnectionTrait, inner: SelectStatement, cap: u64) -> Result<(u64, bool), AppError> {
    let outer = Query::select().expr_as(Expr::cust("COUNT(*)"), "n").from_subquery(inner, "capped").to_owned();
    let backend = db.get_database_backend();
    let n = match db.query_one_raw(backend.build(&outer)).await? {
        Some(row) => u64::try_from(row.try_get::<i64>("", "n")?).unwrap_or(0),
        None => 0,
    };
    Ok((Ord::min(n, cap), n > cap))
}

/// Saves the current filter as a named view for the actor (the name is unique per agent; saving
/// again under the same name replaces the view).
pub async fn save_view(ctx: &AppContext, actor: &Actor, name: &str, query: &str) -> Result<QueueView, AppError> {
    require_staff(actor)?;
    let name = bounded_text("name", "Name", name, 1, 60)?;
    let query = query.trim().trim_start_matches('?').to_string();
    if query.len() > 500 {
        return Err(AppError::field("query", "This filter is too long to save"));
    }
    condition(ctx.db.get_database_backend(), actor, &TicketFilter::from_query(&query)?)?;
    let existing = saved_view::Entity::find()
        .filter(saved_view::Column::UserId.eq(actor.user_id))
        .filter(saved_view::Column::Name.eq(name.clone()))
        .one(&ctx.db)
        .await?;
    let w = ctx.write_turn().await;
    let row = match existing {
        Some(v) => {
            let mut m: saved_view::ActiveModel = v.into();
            m.query = Set(query);
            m.update(ctx.writer(&w)).await?
        }
        None => {
            saved_view::ActiveModel {
                user_id: Set(actor.user_id),
                name: Set(name),
                query: Set(query),
                created_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(ctx.writer(&w))
            .await?
        }
    };
    Ok(QueueView { id: Some(row.id), key: format!("saved-{}", row.id), label: row.name, query: row.query, count: 0, count_capped: false })
}

/// Deletes one of the actor's saved views.
pub async fn delete_view(ctx: &AppContext, actor: &Actor, id: i64) -> Result<(), AppError> {
    require_staff(actor)?;
    let w = ctx.write_turn().await;
    let deleted = saved_view::Entity::delete_many()
        .filter(saved_view::Column::Id.eq(id))
        .filter(saved_view::Column::UserId.eq(actor.user_id))
        .exec(ctx.writer(&w))
        .await?;
    if deleted.rows_affected == 0 {
        return Err(AppError::NotFound("View".into()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_parse_into_filters() {
        let f = TicketFilter::from_query("?state=open&assignee=me&q=vpn+drops%21&priority=1%2C2&sort=sla&updated=24&x=1").unwrap();
        assert_eq!(f.state.as_deref(), Some("open"));
        assert_eq!(f.assignee.as_deref(), Some("me"));
        assert_eq!(f.q.as_deref(), Some("vpn drops!"));
        assert_eq!(f.priority.as_deref(), Some("1,2"));
        assert_eq!(f.sort.as_deref(), Some("sla"));
        assert_eq!(f.updated_hours, Some(24));
        assert!(TicketFilter::from_query("updated=soon").is_err());
        assert_eq!(TicketFilter::from_query("q=%zz").unwrap().q.as_deref(), Some("%zz"));
        assert_eq!(TicketFilter::from_query("q=50%").unwrap().q.as_deref(), Some("50%"));
    }

    #[test]
    fn bad_filters_name_their_field() {
        let actor = Actor { user_id: 1, username: "a".into(), display_name: "A".into(), role: crate::domain::Role::Agent, group_ids: vec![], organisation_id: None };
        for (q, field) in [("priority=0", "priority"), ("sla=late", "sla"), ("group=x", "group"), ("updated=0", "updated")] {
            let err = condition(DbBackend::Sqlite, &actor, &TicketFilter::from_query(q).unwrap()).unwrap_err();
            assert!(err.field_message(field).is_some(), "{q}");
        }
        let sort = ordered(ticket::Entity::find(), Some("oldest")).unwrap_err();
        assert!(sort.field_message("sort").is_some());
    }

    #[test]
    fn text_filters_keep_words_only() {
        assert_eq!(filter_words("VPN-GW-0412 drops!"), ["vpn", "gw", "0412", "drops"]);
        assert_eq!(filter_words("  Café  \"quoted\" OR *"), ["café", "quoted", "or"]);
        assert!(filter_words("%_* -").is_empty());
        assert_eq!(filter_words("a b c d e f g h i j").len(), 8);
    }

    #[test]
    fn text_filters_become_full_text_queries() {
        let sql = |backend: DbBackend| {
            let filter = TicketFilter { q: Some("VPN-GW drops".into()), ..Default::default() };
            let actor = Actor { user_id: 1, username: "a".into(), display_name: "A".into(), role: crate::domain::Role::Agent, group_ids: vec![], organisation_id: None };
            ticket::Entity::find().filter(condition(backend, &actor, &filter).unwrap()).build(backend).to_string()
        };
        assert!(sql(DbBackend::Postgres).contains("title_search @@ to_tsquery('simple', 'vpn:* & gw:* & drops:*')"), "{}", sql(DbBackend::Postgres));
        assert!(sql(DbBackend::Sqlite).contains(r#"ticket_title_fts MATCH '"vpn"* "gw"* "drops"*'"#), "{}", sql(DbBackend::Sqlite));
    }
}
