//! Oxidesk schema migrations, run on SQLite and PostgreSQL alike.

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_foundation;
mod m20261123_000002_incident_management;
mod m20261123_000003_sla;
mod m20261125_000004_knowledge;
mod m20261125_000005_console;
mod m20261125_000006_queue_indexes;
mod m20261125_000007_ticket_sla_due;
mod m20261125_000008_organisations;
mod m20261125_000009_sla_policy_category;
mod m20261126_000010_ticket_title_search;
mod m20261126_000011_ticket_title_search_words;
mod m20261201_000012_configuration_items;
mod m20261201_000013_ci_name_key;
mod m20261201_000014_ticket_title_prefixes;
mod m20261203_000015_deflection_once;
mod m20261203_000016_ci_relationships;
mod m20261203_000017_ci_imports;
mod m20261204_000018_assets_and_licences;
mod m20261204_000019_service_catalog;

/// Runs raw statements in order (backend-specific DDL that sea-query does not model), as one
/// batch on one connection: spread over pooled SQLite connections, a statement could be parsed
/// against a schema its connection had not yet re-read (recreating a trigger just dropped elsewhere
/// failed with "already exists").
pub(crate) async fn execute_all(m: &sea_orm_migration::SchemaManager<'_>, statements: &[&str]) -> Result<(), sea_orm_migration::DbErr> {
    m.get_connection().execute_unprepared(&statements.join(";\n")).await.map(|_| ())
}

/// All migrations in order.
pub struct Migrator;

#[sea_orm_migration::async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_foundation::Migration),
            Box::new(m20261123_000002_incident_management::Migration),
            Box::new(m20261123_000003_sla::Migration),
            Box::new(m20261125_000004_knowledge::Migration),
            Box::new(m20261125_000005_console::Migration),
            Box::new(m20261125_000006_queue_indexes::Migration),
            Box::new(m20261125_000007_ticket_sla_due::Migration),
            Box::new(m20261125_000008_organisations::Migration),
            Box::new(m20261125_000009_sla_policy_category::Migration),
            Box::new(m20261126_000010_ticket_title_search::Migration),
            Box::new(m20261126_000011_ticket_title_search_words::Migration),
            Box::new(m20261201_000012_configuration_items::Migration),
            Box::new(m20261201_000013_ci_name_key::Migration),
            Box::new(m20261201_000014_ticket_title_prefixes::Migration),
            Box::new(m20261203_000015_deflection_once::Migration),
            Box::new(m20261203_000016_ci_relationships::Migration),
            Box::new(m20261203_000017_ci_imports::Migration),
            Box::new(m20261204_000018_assets_and_licences::Migration),
            Box::new(m20261204_000019_service_catalog::Migration),
        ]
    }
}
