//! CSV import and export of CIs and of relationships (admins). Two kinds of file, told apart by
//! their header: CIs (`name,class,status,service,support_group,location,description`) and
//! relationships (`ci,type,target,redundancy_set,min_up`). Every row is checked before anything is
//! written; each bad row is reported with its line, column and message. Good rows are applied in
//! batches (or, `atomic`, all in one transaction and only when no row is bad). Re-importing a file
//! changes nothing: CIs are matched on their name key, relationships on their ends and kind. What
//! the export writes reads back through the import unchanged.

use super::super::authz::require_admin;
use super::super::entities::{assignment_group, ci_import as import, ci_redundancy_set as set, ci_relationship as rel, configuration_item as ci, service};
use super::super::journal::{self, AuditLine};
use super::super::AppContext;
use crate::domain::cmdb::relationship::{parse_min_up, parse_set_name};
use crate::domain::cmdb::{RelationshipKind, RelationshipType};
use crate::domain::field::bounded_text;
use crate::domain::{Actor, CiClass, CiName, CiStatus};
use crate::dto::{CsvRowError, ImportAction, ImportPreviewRow, ImportView, TransferReport};
use crate::error::AppError;
use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, Set};
use std::collections::{HashMap, HashSet};

/// Columns of a CI file, in export order.
pub const CI_COLUMNS: [&str; 7] = ["name", "class", "status", "service", "support_group", "location", "description"];
/// Columns of a relationship file, in export order.
pub const RELATIONSHIP_COLUMNS: [&str; 5] = ["ci", "type", "target", "redundancy_set", "min_up"];
/// Rows written per transaction when not atomic.
const BATCH: usize = 1_000;
/// Rows of the plan a report lists.
const PREVIEW: usize = 200;

/// How to import.
#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    /// Check and plan only; write nothing.
    pub dry_run: bool,
    /// All rows or none: nothing is written when a row is bad.
    pub atomic: bool,
}

/// What a CSV file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Configuration items.
    Cis,
    /// Relationships.
    Relationships,
}

impl FileKind {
    fn code(self) -> &'static str {
        match self {
            Self::Cis => "cis",
            Self::Relationships => "relationships",
        }
    }
}

struct Table {
    kind: FileKind,
    columns: HashMap<String, usize>,
    rows: Vec<(u64, csv::StringRecord)>,
}

impl Table {
    fn has(&self, column: &str) -> bool {
        self.columns.contains_key(column)
    }

    fn get<'a>(&self, row: &'a csv::StringRecord, column: &str) -> &'a str {
        self.columns.get(column).and_then(|&i| row.get(i)).map(str::trim).unwrap_or("")
    }
}

/// The line a record starts on: the reader records a position before the line ends it has not
/// consumed yet (the `\n` of a CRLF, blank lines), so those are stepped over.
fn line_of(data: &[u8], p: &csv::Position) -> u64 {
    let mut line = p.line();
    for &b in data.iter().skip(p.byte() as usize) {
        match b {
            b'\n' => line += 1,
            b'\r' => {}
            _ => break,
        }
    }
    line
}

fn read(data: &[u8]) -> Result<Table, Vec<CsvRowError>> {
    let err = |line: u64, column: &str, message: String| vec![CsvRowError { line, column: column.into(), message }];
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(data);
    let header = reader.headers().map_err(|e| err(1, "", format!("Not a CSV file: {e}")))?.clone();
    let columns: HashMap<String, usize> = header.iter().enumerate().map(|(i, h)| (h.trim().trim_start_matches('\u{feff}').to_lowercase(), i)).collect();
    let kind = if columns.contains_key("name") && columns.contains_key("class") {
        FileKind::Cis
    } else if columns.contains_key("ci") && columns.contains_key("target") {
        FileKind::Relationships
    } else {
        return Err(err(1, "", format!("Unknown header: a CI file has the columns {}; a relationship file {}", CI_COLUMNS.join(","), RELATIONSHIP_COLUMNS.join(","))));
    };
    let known: &[&str] = if kind == FileKind::Cis { &CI_COLUMNS } else { &RELATIONSHIP_COLUMNS };
    if let Some(unknown) = header.iter().map(|h| h.trim().trim_start_matches('\u{feff}').to_lowercase()).find(|h| !known.contains(&h.as_str())) {
        return Err(err(1, &unknown, format!("Unknown column '{unknown}': use {}", known.join(","))));
    }
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for record in reader.records() {
        match record {
            Ok(r) => {
                let line = r.position().map(|p| line_of(data, p)).unwrap_or(0);
                if r.iter().all(|v| v.trim().is_empty()) {
                    continue;
                }
                if r.len() > header.len() {
                    errors.push(CsvRowError { line, column: String::new(), message: format!("{} values for {} columns", r.len(), header.len()) });
                    continue;
                }
                rows.push((line, r));
            }
            Err(e) => errors.push(CsvRowError { line: e.position().map(|p| p.line()).unwrap_or(0), column: String::new(), message: format!("Unreadable row: {e}") }),
        }
    }
    if errors.is_empty() { Ok(Table { kind, columns, rows }) } else { Err(errors) }
}

/// Imports a CSV file of CIs or relationships (admins); `progress(done, total)` after each batch.
pub async fn import_csv(ctx: &AppContext, actor: &Actor, data: &[u8], options: ImportOptions, progress: impl Fn(u64, u64)) -> Result<TransferReport, AppError> {
    require_admin(actor)?;
    let table = match read(data) {
        Ok(t) => t,
        Err(errors) => return Ok(TransferReport { kind: String::new(), rows: 0, created: 0, updated: 0, unchanged: 0, applied: false, dry_run: options.dry_run, errors, preview: vec![] }),
    };
    match table.kind {
        FileKind::Cis => import_cis(ctx, actor, &table, options, progress).await,
        FileKind::Relationships => import_relationships(ctx, actor, &table, options, progress).await,
    }
}

/// One CI row, checked.
struct CiRow {
    line: u64,
    name: CiName,
    class: CiClass,
    status: CiStatus,
    service_id: Option<i64>,
    group_id: Option<i64>,
    location: Option<String>,
    description: String,
}

impl CiRow {
    fn values(&self) -> [Option<String>; 7] {
        [
            Some(self.name.as_str().to_string()),
            Some(self.class.code().to_string()),
            Some(self.status.code().to_string()),
            self.service_id.map(|s| s.to_string()),
            self.group_id.map(|g| g.to_string()),
            self.location.clone(),
            Some(self.description.clone()),
        ]
    }
}

const AUDITED: [&str; 7] = ["name", "class", "status", "service_id", "support_group_id", "location", "description"];

fn current_values(c: &ci::Model) -> [Option<String>; 7] {
    [
        Some(c.name.clone()),
        Some(c.class.clone()),
        Some(c.status.clone()),
        c.service_id.map(|s| s.to_string()),
        c.support_group_id.map(|g| g.to_string()),
        c.location.clone(),
        Some(c.description.clone()),
    ]
}

async fn import_cis(ctx: &AppContext, actor: &Actor, table: &Table, options: ImportOptions, progress: impl Fn(u64, u64)) -> Result<TransferReport, AppError> {
    let services: HashMap<String, i64> = service::Entity::find().all(&ctx.db).await?.into_iter().map(|s| (s.name.to_lowercase(), s.id)).collect();
    let groups: HashMap<String, i64> = assignment_group::Entity::find().all(&ctx.db).await?.into_iter().map(|g| (g.name.to_lowercase(), g.id)).collect();
    let existing: HashMap<String, ci::Model> = ci::Entity::find().all(&ctx.db).await?.into_iter().map(|c| (c.name_key.clone(), c)).collect();
    let mut errors = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut plan: Vec<(CiRow, Option<&ci::Model>, Vec<usize>)> = Vec::new();
    for (line, r) in &table.rows {
        let line = *line;
        let mut bad = |column: &str, message: String| errors.push(CsvRowError { line, column: column.into(), message });
        let name = CiName::parse(table.get(r, "name")).map_err(|e| bad("name", e.message)).ok();
        let class = CiClass::parse(table.get(r, "class")).map_err(|e| bad("class", e.message)).ok();
        let raw_status = table.get(r, "status");
        let status = if raw_status.is_empty() { Some(CiStatus::InService) } else { CiStatus::parse(raw_status).map_err(|e| bad("status", e.message)).ok() };
        let lookup = |map: &HashMap<String, i64>, raw: &str| -> Result<Option<i64>, ()> {
            if raw.is_empty() { Ok(None) } else { map.get(&raw.to_lowercase()).copied().map(Some).ok_or(()) }
        };
        let service_id = lookup(&services, table.get(r, "service")).map_err(|_| bad("service", format!("Unknown service '{}'", table.get(r, "service")))).ok();
        let group_id = lookup(&groups, table.get(r, "support_group")).map_err(|_| bad("support_group", format!("Unknown assignment group '{}'", table.get(r, "support_group")))).ok();
        let raw_location = table.get(r, "location");
        let location = if raw_location.is_empty() { Some(None) } else { bounded_text("location", "Location", raw_location, 1, 120).map(Some).map_err(|e| bad("location", e.message)).ok() };
        let description = bounded_text("description", "Description", table.get(r, "description"), 0, 5_000).map_err(|e| bad("description", e.message)).ok();
        if let Some(n) = &name {
            if let Some(first) = seen.insert(n.key(), line) {
                bad("name", format!("'{}' is already on line {first}", n.as_str()));
                continue;
            }
        }
        let (Some(name), Some(class), Some(status), Some(service_id), Some(group_id), Some(location), Some(description)) = (name, class, status, service_id, group_id, location, description) else {
            continue;
        };
        let mut row = CiRow { line, name, class, status, service_id, group_id, location, description };
        let current = existing.get(&row.name.key());
        // A column the file does not have keeps what the CI has.
        if let Some(c) = current {
            if !table.has("status") {
                row.status = CiStatus::parse(&c.status).unwrap_or(row.status);
            }
            if !table.has("service") {
                row.service_id = c.service_id;
            }
            if !table.has("support_group") {
                row.group_id = c.support_group_id;
            }
            if !table.has("location") {
                row.location = c.location.clone();
            }
            if !table.has("description") {
                row.description = c.description.clone();
            }
        }
        let changed: Vec<usize> = match current {
            Some(c) => current_values(c).iter().zip(row.values().iter()).enumerate().filter(|(_, (old, new))| old != new).map(|(i, _)| i).collect(),
            None => vec![],
        };
        plan.push((row, current, changed));
    }
    let mut report = TransferReport { kind: FileKind::Cis.code().into(), rows: table.rows.len() as u64, dry_run: options.dry_run, ..Default::default() };
    for (row, current, changed) in &plan {
        let action = match (current, changed.is_empty()) {
            (None, _) => ImportAction::Create,
            (Some(_), false) => ImportAction::Update,
            (Some(_), true) => ImportAction::Unchanged,
        };
        match action {
            ImportAction::Create => report.created += 1,
            ImportAction::Update => report.updated += 1,
            ImportAction::Unchanged => report.unchanged += 1,
        }
        if report.preview.len() < PREVIEW && action != ImportAction::Unchanged {
            report.preview.push(ImportPreviewRow { line: row.line, key: row.name.as_str().to_string(), action, changes: changed.iter().map(|&i| AUDITED[i].to_string()).collect() });
        }
    }
    report.errors = errors;
    if options.dry_run || (options.atomic && !report.errors.is_empty()) {
        return Ok(report);
    }
    let work: Vec<&(CiRow, Option<&ci::Model>, Vec<usize>)> = plan.iter().filter(|(_, current, changed)| current.is_none() || !changed.is_empty()).collect();
    let total = work.len() as u64;
    let mut done = 0u64;
    let chunk_size = if options.atomic { work.len().max(1) } else { BATCH };
    for chunk in work.chunks(chunk_size) {
        let (_w, txn) = ctx.begin_write().await?;
        let seq = write_cis(&txn, actor, chunk).await?;
        txn.commit().await?;
        ctx.notify_committed(seq);
        done += chunk.len() as u64;
        progress(done, total);
    }
    report.applied = true;
    Ok(report)
}

async fn write_cis(txn: &DatabaseTransaction, actor: &Actor, chunk: &[&(CiRow, Option<&ci::Model>, Vec<usize>)]) -> Result<i64, AppError> {
    let now = Utc::now();
    let new: Vec<ci::ActiveModel> = chunk
        .iter()
        .filter(|(_, current, _)| current.is_none())
        .map(|(r, _, _)| ci::ActiveModel {
            name: Set(r.name.as_str().into()),
            name_key: Set(r.name.key()),
            class: Set(r.class.code().into()),
            status: Set(r.status.code().into()),
            service_id: Set(r.service_id),
            support_group_id: Set(r.group_id),
            location: Set(r.location.clone()),
            description: Set(r.description.clone()),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .collect();
    let keys: Vec<String> = chunk.iter().filter(|(_, c, _)| c.is_none()).map(|(r, _, _)| r.name.key()).collect();
    let mut audits: Vec<AuditLine> = Vec::new();
    let mut touched: Vec<i64> = Vec::new();
    let line = |id: i64, action: &'static str, field: Option<&'static str>, old: Option<String>, new: Option<String>| audit_line(actor, id, action, field, old, new, now);
    if !new.is_empty() {
        ci::Entity::insert_many(new).exec(txn).await?;
        for keys in keys.chunks(500) {
            for c in ci::Entity::find().filter(ci::Column::NameKey.is_in(keys.to_vec())).all(txn).await? {
                audits.push(line(c.id, "created", None, None, Some(c.name.clone())));
                touched.push(c.id);
            }
        }
    }
    for (r, current, changed) in chunk.iter().filter(|(_, c, _)| c.is_some()) {
        let Some(c) = current else { continue };
        let moved = ci::Entity::update_many()
            .col_expr(ci::Column::Name, Expr::value(r.name.as_str()))
            .col_expr(ci::Column::NameKey, Expr::value(r.name.key()))
            .col_expr(ci::Column::Class, Expr::value(r.class.code()))
            .col_expr(ci::Column::Status, Expr::value(r.status.code()))
            .col_expr(ci::Column::ServiceId, Expr::value(r.service_id))
            .col_expr(ci::Column::SupportGroupId, Expr::value(r.group_id))
            .col_expr(ci::Column::Location, Expr::value(r.location.clone()))
            .col_expr(ci::Column::Description, Expr::value(r.description.clone()))
            .col_expr(ci::Column::Version, Expr::col(ci::Column::Version).add(1))
            .col_expr(ci::Column::UpdatedAt, Expr::value(now))
            .filter(ci::Column::Id.eq(c.id))
            .filter(ci::Column::Version.eq(c.version))
            .exec(txn)
            .await?;
        if moved.rows_affected != 1 {
            return Err(AppError::Conflict(format!("{} (line {}) was changed by someone else during the import — import the file again", c.name, r.line)));
        }
        let (old, new) = (current_values(c), r.values());
        for &i in changed {
            audits.push(line(c.id, "field_changed", Some(AUDITED[i]), old[i].clone(), new[i].clone()));
        }
        touched.push(c.id);
    }
    journal::audit_many(txn, audits).await?;
    imported(txn, actor, &touched).await
}

/// One relationship row, checked.
struct RelRow {
    line: u64,
    from: i64,
    to: i64,
    kind: RelationshipKind,
    set: Option<String>,
    min_up: Option<i64>,
    label: String,
}

async fn import_relationships(ctx: &AppContext, actor: &Actor, table: &Table, options: ImportOptions, progress: impl Fn(u64, u64)) -> Result<TransferReport, AppError> {
    let all = ci::Entity::find().all(&ctx.db).await?;
    let retired: HashSet<i64> = all.iter().filter(|c| CiStatus::parse(&c.status).is_ok_and(|s| !s.accepts_tickets())).map(|c| c.id).collect();
    let cis: HashMap<String, (i64, String)> = all.into_iter().map(|c| (c.name_key.clone(), (c.id, c.name))).collect();
    let keep_sets = !table.has("redundancy_set");
    let existing: HashMap<(i64, i64, String), rel::Model> = rel::Entity::find().all(&ctx.db).await?.into_iter().map(|r| ((r.from_ci_id, r.to_ci_id, r.kind.clone()), r)).collect();
    let sets: HashMap<(i64, String), set::Model> = set::Entity::find().all(&ctx.db).await?.into_iter().map(|s| ((s.ci_id, s.name.clone()), s)).collect();
    let mut members: HashMap<i64, usize> = HashMap::new();
    for r in existing.values() {
        if let Some(s) = r.redundancy_set_id {
            *members.entry(s).or_default() += 1;
        }
    }
    let mut errors = Vec::new();
    let mut rows: Vec<RelRow> = Vec::new();
    let mut seen: HashMap<(i64, i64, RelationshipKind), u64> = HashMap::new();
    for (line, r) in &table.rows {
        let line = *line;
        let mut bad = |column: &str, message: String| errors.push(CsvRowError { line, column: column.into(), message });
        let find = |column: &str| {
            let raw = table.get(r, column);
            if raw.is_empty() { Err(format!("Name the configuration item ({column})")) } else { cis.get(&CiName::key_of(raw)).cloned().ok_or_else(|| format!("Unknown configuration item '{raw}'")) }
        };
        let this = find("ci").map_err(|m| bad("ci", m)).ok();
        let rel_type = RelationshipType::parse(table.get(r, "type")).map_err(|e| bad("type", e.message)).ok();
        let other = find("target").map_err(|m| bad("target", m)).ok();
        let raw_set = table.get(r, "redundancy_set");
        let set_name = if raw_set.is_empty() { Some(None) } else { parse_set_name(raw_set).map(Some).map_err(|e| bad("redundancy_set", e.message)).ok() };
        let raw_min = table.get(r, "min_up");
        let min_up = if raw_min.is_empty() { Some(None) } else { raw_min.parse::<i64>().map(Some).map_err(|_| bad("min_up", "Enter a whole number".into())).ok() };
        let (Some((this, this_name)), Some(t), Some((other, other_name)), Some(set_name), Some(min_up)) = (this, rel_type, other, set_name, min_up) else { continue };
        if this == other {
            bad("target", "A configuration item cannot be related to itself".into());
            continue;
        }
        if retired.contains(&other) {
            bad("target", format!("{other_name} is retired"));
            continue;
        }
        if set_name.is_some() && (t.inverse || !t.kind.carries_failure()) {
            bad("redundancy_set", "Only the CI that depends, runs, is hosted or contains can group its relationships in a redundancy set".into());
            continue;
        }
        if min_up.is_some() && set_name.is_none() {
            bad("min_up", "Give the redundancy set the minimum applies to".into());
            continue;
        }
        let (from, to) = t.stored_ends(this, other);
        if let Some(first) = seen.insert((from, to, t.kind), line) {
            bad("target", format!("The same relationship is already on line {first}"));
            continue;
        }
        rows.push(RelRow { line, from, to, kind: t.kind, set: set_name, min_up, label: format!("{this_name} {} {other_name}", t.label().to_lowercase()) });
    }
    // Each set's minimum against its members once the file is in.
    let mut file_members: HashMap<(i64, String), (usize, Option<(i64, u64)>)> = HashMap::new();
    for r in &rows {
        if let Some(name) = &r.set {
            let entry = file_members.entry((r.from, name.clone())).or_default();
            let already = existing.get(&(r.from, r.to, r.kind.code().to_string())).and_then(|e| e.redundancy_set_id).zip(sets.get(&(r.from, name.clone())).map(|s| s.id)).is_some_and(|(a, b)| a == b);
            if !already {
                entry.0 += 1;
            }
            if let Some(k) = r.min_up {
                match entry.1 {
                    Some((other, first)) if other != k => errors.push(CsvRowError { line: r.line, column: "min_up".into(), message: format!("Line {first} gives this set {other}") }),
                    _ => entry.1 = Some((k, r.line)),
                }
            }
        }
    }
    let mut min_ups: HashMap<(i64, String), u32> = HashMap::new();
    let mut refused_sets: HashSet<(i64, String)> = HashSet::new();
    for ((ci_id, name), (added, k)) in &file_members {
        let current = sets.get(&(*ci_id, name.clone()));
        let count = added + current.map(|s| members.get(&s.id).copied().unwrap_or(0)).unwrap_or(0);
        match k {
            Some((k, line)) => match parse_min_up(*k, count) {
                Ok(k) => {
                    min_ups.insert((*ci_id, name.clone()), k);
                }
                Err(e) => {
                    errors.push(CsvRowError { line: *line, column: "min_up".into(), message: e.message });
                    refused_sets.insert((*ci_id, name.clone()));
                }
            },
            None => {
                min_ups.insert((*ci_id, name.clone()), current.map(|s| Ord::max(s.min_up, 1) as u32).unwrap_or(1));
            }
        }
    }
    errors.sort_by_key(|e| e.line);
    // A set whose minimum is refused is left as it is, with every row naming it.
    rows.retain(|r| r.set.as_ref().is_none_or(|n| !refused_sets.contains(&(r.from, n.clone()))));
    let mut report = TransferReport { kind: FileKind::Relationships.code().into(), rows: table.rows.len() as u64, dry_run: options.dry_run, ..Default::default() };
    let mut work: Vec<(&RelRow, Option<&rel::Model>)> = Vec::new();
    for r in &rows {
        let current = existing.get(&(r.from, r.to, r.kind.code().to_string()));
        let wanted_set = r.set.as_ref().and_then(|n| sets.get(&(r.from, n.clone())).map(|s| s.id));
        let action = match current {
            None => ImportAction::Create,
            Some(c) if r.set.is_some() && (wanted_set.is_none() || c.redundancy_set_id != wanted_set) => ImportAction::Update,
            Some(c) if !keep_sets && r.set.is_none() && c.redundancy_set_id.is_some() => ImportAction::Update,
            Some(_) => ImportAction::Unchanged,
        };
        match action {
            ImportAction::Create => report.created += 1,
            ImportAction::Update => report.updated += 1,
            ImportAction::Unchanged => report.unchanged += 1,
        }
        if action != ImportAction::Unchanged {
            if report.preview.len() < PREVIEW {
                report.preview.push(ImportPreviewRow { line: r.line, key: r.label.clone(), action, changes: if action == ImportAction::Update { vec!["redundancy_set".into()] } else { vec![] } });
            }
            work.push((r, current));
        }
    }
    // Minimums that change without any relationship changing.
    let mut set_changes: Vec<((i64, String), u32)> = min_ups.iter().filter(|(key, k)| sets.get(key).is_none_or(|s| s.min_up != **k as i32)).map(|(k, v)| (k.clone(), *v)).collect();
    set_changes.sort();
    let names_by_id = cis_by_id(&cis);
    for ((ci_id, name), k) in &set_changes {
        if let Some(s) = sets.get(&(*ci_id, name.clone())) {
            report.updated += 1;
            if report.preview.len() < PREVIEW {
                let line = file_members.get(&(*ci_id, name.clone())).and_then(|(_, k)| k.map(|(_, l)| l)).unwrap_or(0);
                let who = names_by_id.get(ci_id).cloned().unwrap_or_default();
                report.preview.push(ImportPreviewRow { line, key: format!("{who} / {name}: at least {k} of its members up (was {})", s.min_up), action: ImportAction::Update, changes: vec!["min_up".into()] });
            }
        }
    }
    report.errors = errors;
    if options.dry_run || (options.atomic && !report.errors.is_empty()) {
        return Ok(report);
    }
    let total = work.len() as u64;
    let mut done = 0u64;
    let chunk_size = if options.atomic { work.len().max(1) } else { BATCH };
    let mut set_ids: HashMap<(i64, String), i64> = sets.iter().map(|(k, s)| (k.clone(), s.id)).collect();
    let now = Utc::now();
    let mut batches: Vec<&[(&RelRow, Option<&rel::Model>)]> = work.chunks(chunk_size).collect();
    if batches.is_empty() && !set_changes.is_empty() {
        batches.push(&[]);
    }
    for (i, chunk) in batches.into_iter().enumerate() {
        let (_w, txn) = ctx.begin_write().await?;
        // The redundancy sets change with the first batch (with `atomic`, the only one).
        if i == 0 {
            for ((ci_id, name), k) in &set_changes {
                match set_ids.get(&(*ci_id, name.clone())) {
                    Some(id) => {
                        set::Entity::update_many().col_expr(set::Column::MinUp, Expr::value(*k as i32)).filter(set::Column::Id.eq(*id)).exec(&txn).await?;
                    }
                    None => {
                        let row = set::ActiveModel { ci_id: Set(*ci_id), name: Set(name.clone()), min_up: Set(*k as i32), created_at: Set(now), ..Default::default() }.insert(&txn).await?;
                        set_ids.insert((*ci_id, name.clone()), row.id);
                    }
                }
            }
            let fields: Vec<String> = set_changes.iter().map(|((_, name), _)| format!("redundancy:{name}")).collect();
            let audits = set_changes
                .iter()
                .zip(&fields)
                .map(|(((ci_id, name), k), field)| {
                    let old = sets.get(&(*ci_id, name.clone())).map(|s| s.min_up.to_string());
                    AuditLine { field: Some(field.as_str()), ..audit_line(actor, *ci_id, "redundancy_changed", None, old, Some(k.to_string()), now) }
                })
                .collect();
            journal::audit_many(&txn, audits).await?;
        }
        let seq = write_relationships(&txn, actor, chunk, &set_ids, &names_by_id, set_changes.iter().map(|((c, _), _)| *c)).await?;
        txn.commit().await?;
        ctx.notify_committed(seq);
        done += chunk.len() as u64;
        progress(done, total);
    }
    report.applied = true;
    Ok(report)
}

fn cis_by_id(cis: &HashMap<String, (i64, String)>) -> HashMap<i64, String> {
    cis.values().cloned().collect()
}

async fn write_relationships(
    txn: &DatabaseTransaction,
    actor: &Actor,
    chunk: &[(&RelRow, Option<&rel::Model>)],
    set_ids: &HashMap<(i64, String), i64>,
    names: &HashMap<i64, String>,
    also_touched: impl Iterator<Item = i64>,
) -> Result<i64, AppError> {
    let now = Utc::now();
    let set_of = |r: &RelRow| r.set.as_ref().and_then(|n| set_ids.get(&(r.from, n.clone())).copied());
    let new: Vec<rel::ActiveModel> = chunk
        .iter()
        .filter(|(_, c)| c.is_none())
        .map(|(r, _)| rel::ActiveModel {
            from_ci_id: Set(r.from),
            to_ci_id: Set(r.to),
            kind: Set(r.kind.code().into()),
            redundancy_set_id: Set(set_of(r)),
            created_by: Set(Some(actor.user_id)),
            created_at: Set(now),
            ..Default::default()
        })
        .collect();
    for part in new.chunks(1_000) {
        rel::Entity::insert_many(part.to_vec()).exec(txn).await?;
    }
    for (r, current) in chunk.iter().filter(|(_, c)| c.is_some()) {
        let Some(c) = current else { continue };
        rel::Entity::update_many().col_expr(rel::Column::RedundancySetId, Expr::value(set_of(r))).filter(rel::Column::Id.eq(c.id)).exec(txn).await?;
    }
    let mut audits = Vec::with_capacity(chunk.len() * 2);
    let mut touched: HashSet<i64> = HashSet::new();
    for (r, current) in chunk {
        let action = if current.is_none() { "relationship_added" } else { "redundancy_changed" };
        for (ci_id, field, other) in [(r.from, r.kind.code(), r.to), (r.to, r.kind.inverse_code(), r.from)] {
            audits.push(audit_line(actor, ci_id, action, Some(field), None, names.get(&other).cloned(), now));
            touched.insert(ci_id);
        }
    }
    journal::audit_many(txn, audits).await?;
    touched.extend(also_touched);
    let mut touched: Vec<i64> = touched.into_iter().collect();
    touched.sort_unstable();
    for part in touched.chunks(500) {
        ci::Entity::update_many()
            .col_expr(ci::Column::Version, Expr::col(ci::Column::Version).add(1))
            .col_expr(ci::Column::UpdatedAt, Expr::value(now))
            .filter(ci::Column::Id.is_in(part.to_vec()))
            .exec(txn)
            .await?;
    }
    imported(txn, actor, &touched).await
}

/// An audit line on CI `ci_id` by `actor`.
fn audit_line<'a>(actor: &Actor, ci_id: i64, action: &'a str, field: Option<&'a str>, old_value: Option<String>, new_value: Option<String>, at: chrono::DateTime<Utc>) -> AuditLine<'a> {
    AuditLine { entity_type: "configuration_item", entity_id: ci_id, actor_id: Some(actor.user_id), action, field, old_value, new_value, at }
}

/// The one event of an import batch, naming the CIs it touched (for open CI pages).
async fn imported(txn: &DatabaseTransaction, actor: &Actor, touched: &[i64]) -> Result<i64, AppError> {
    let payload = serde_json::json!({ "ci_ids": touched, "actor": actor.display_name, "actor_id": actor.user_id });
    Ok(journal::append_event(txn, "ci.imported", "configuration_item", touched.first().copied().unwrap_or(0), payload).await?)
}

/// Every CI as a CI file (admins), by name.
pub async fn export_cis(ctx: &AppContext, actor: &Actor) -> Result<String, AppError> {
    require_admin(actor)?;
    let services: HashMap<i64, String> = service::Entity::find().all(&ctx.db).await?.into_iter().map(|s| (s.id, s.name)).collect();
    let groups: HashMap<i64, String> = assignment_group::Entity::find().all(&ctx.db).await?.into_iter().map(|g| (g.id, g.name)).collect();
    let mut rows = ci::Entity::find().all(&ctx.db).await?;
    rows.sort_by(|a, b| a.name_key.cmp(&b.name_key));
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CI_COLUMNS).map_err(|_| AppError::Internal)?;
    for c in rows {
        let service = c.service_id.and_then(|s| services.get(&s).cloned()).unwrap_or_default();
        let group = c.support_group_id.and_then(|g| groups.get(&g).cloned()).unwrap_or_default();
        w.write_record([c.name, c.class, c.status, service, group, c.location.unwrap_or_default(), c.description]).map_err(|_| AppError::Internal)?;
    }
    String::from_utf8(w.into_inner().map_err(|_| AppError::Internal)?).map_err(|_| AppError::Internal)
}

/// Every relationship as a relationship file (admins), stored direction, by CI name.
pub async fn export_relationships(ctx: &AppContext, actor: &Actor) -> Result<String, AppError> {
    require_admin(actor)?;
    let names: HashMap<i64, String> = ci::Entity::find().all(&ctx.db).await?.into_iter().map(|c| (c.id, c.name)).collect();
    let sets: HashMap<i64, set::Model> = set::Entity::find().all(&ctx.db).await?.into_iter().map(|s| (s.id, s)).collect();
    let mut rows = rel::Entity::find().all(&ctx.db).await?;
    rows.sort_by_key(|r| r.id);
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(RELATIONSHIP_COLUMNS).map_err(|_| AppError::Internal)?;
    for r in rows {
        let (Some(from), Some(to)) = (names.get(&r.from_ci_id), names.get(&r.to_ci_id)) else { continue };
        let set = r.redundancy_set_id.and_then(|s| sets.get(&s));
        w.write_record([from.as_str(), r.kind.as_str(), to.as_str(), set.map(|s| s.name.as_str()).unwrap_or(""), &set.map(|s| s.min_up.to_string()).unwrap_or_default()]).map_err(|_| AppError::Internal)?;
    }
    String::from_utf8(w.into_inner().map_err(|_| AppError::Internal)?).map_err(|_| AppError::Internal)
}

/// Largest file an upload takes.
pub const UPLOAD_LIMIT: usize = 32 * 1024 * 1024;

/// Keeps an uploaded file with its plan (a dry run) for the admin to review (admins).
pub async fn stage_import(ctx: &AppContext, actor: &Actor, file_name: &str, data: &[u8]) -> Result<ImportView, AppError> {
    require_admin(actor)?;
    let content = String::from_utf8(data.to_vec()).map_err(|_| AppError::field("file", "The file is not UTF-8 text"))?;
    let report = import_csv(ctx, actor, content.as_bytes(), ImportOptions { dry_run: true, atomic: false }, |_, _| {}).await?;
    let name: String = file_name.chars().filter(|c| !c.is_control()).take(200).collect();
    let row = import::ActiveModel {
        file_name: Set(if name.trim().is_empty() { "upload.csv".into() } else { name }),
        content: Set(content),
        report: Set(serde_json::to_string(&report).map_err(|_| AppError::Internal)?),
        applied: Set(false),
        created_by: Set(actor.user_id),
        created_at: Set(Utc::now()),
        applied_at: Set(None),
        ..Default::default()
    }
    .insert(&ctx.db)
    .await?;
    view_of(row)
}

fn view_of(row: import::Model) -> Result<ImportView, AppError> {
    let report: TransferReport = serde_json::from_str(&row.report).map_err(|_| AppError::Internal)?;
    Ok(ImportView { id: row.id, file_name: row.file_name, created_at: row.created_at, applied_at: row.applied_at, applied: row.applied, report })
}

/// A staged import with its plan or outcome (admins).
pub async fn get_import(ctx: &AppContext, actor: &Actor, id: i64) -> Result<ImportView, AppError> {
    require_admin(actor)?;
    view_of(import::Entity::find_by_id(id).one(&ctx.db).await?.ok_or_else(|| AppError::NotFound("Import".into()))?)
}

/// Applies a staged import (admins): the good rows, or with `atomic` all rows or none. Applying
/// twice is refused (409); importing the same file again changes nothing anyway.
pub async fn apply_import(ctx: &AppContext, actor: &Actor, id: i64, atomic: bool) -> Result<ImportView, AppError> {
    require_admin(actor)?;
    let row = import::Entity::find_by_id(id).one(&ctx.db).await?.ok_or_else(|| AppError::NotFound("Import".into()))?;
    if row.applied {
        return Err(AppError::Conflict(format!("{} was already imported", row.file_name)));
    }
    // Claimed before it runs, so two admins pressing "Import" at once import it once.
    let claimed = import::Entity::update_many()
        .col_expr(import::Column::Applied, Expr::value(true))
        .filter(import::Column::Id.eq(id))
        .filter(import::Column::Applied.eq(false))
        .exec(&ctx.db)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(AppError::Conflict(format!("{} was already imported", row.file_name)));
    }
    let outcome = import_csv(ctx, actor, row.content.as_bytes(), ImportOptions { dry_run: false, atomic }, |_, _| {}).await;
    let report = match outcome {
        Ok(r) => r,
        Err(e) => {
            import::Entity::update_many().col_expr(import::Column::Applied, Expr::value(false)).filter(import::Column::Id.eq(id)).exec(&ctx.db).await?;
            return Err(e);
        }
    };
    import::Entity::update_many()
        .col_expr(import::Column::Applied, Expr::value(report.applied))
        .col_expr(import::Column::Report, Expr::value(serde_json::to_string(&report).map_err(|_| AppError::Internal)?))
        .col_expr(import::Column::AppliedAt, Expr::value(report.applied.then(Utc::now)))
        .filter(import::Column::Id.eq(id))
        .exec(&ctx.db)
        .await?;
    get_import(ctx, actor, id).await
}
