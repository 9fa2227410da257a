//! Assets and software licences: the asset record of a CI (lifecycle, tag, serial, owner,
//! vendor, purchase, warranty and lease), licences with their seats and installations, and the
//! expiry notices that fall due before a warranty, lease or licence runs out (fired once, like
//! SLA timers).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// `ci_asset`, `software_licence`, `licence_installation` and `expiry_notice`.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261204_000018_assets_and_licences"
    }
}

#[derive(DeriveIden)]
enum CiAsset { Table, CiId, Lifecycle, AssetTag, AssetTagKey, SerialNumber, OwnerId, Vendor, PurchaseDate, CostCents, WarrantyEnd, LeaseEnd, NoticeDays, Version, UpdatedAt }

#[derive(DeriveIden)]
enum SoftwareLicence { Table, Id, Product, ProductKey, Vendor, Seats, ExpiresOn, SupportGroupId, NoticeDays, Notes, Version, CreatedAt, UpdatedAt }

#[derive(DeriveIden)]
enum LicenceInstallation { Table, Id, LicenceId, CiId, InstalledAt }

#[derive(DeriveIden)]
enum ExpiryNotice { Table, Id, SubjectType, SubjectId, Kind, EndsOn, DueAt, FiredAt }

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(CiAsset::Table)
                .col(big_integer(CiAsset::CiId).primary_key())
                .col(string_len(CiAsset::Lifecycle, 32))
                .col(string_len_null(CiAsset::AssetTag, 40))
                .col(string_len_null(CiAsset::AssetTagKey, 40).unique_key())
                .col(string_len_null(CiAsset::SerialNumber, 80))
                .col(big_integer_null(CiAsset::OwnerId))
                .col(string_len_null(CiAsset::Vendor, 120))
                .col(date_null(CiAsset::PurchaseDate))
                .col(big_integer_null(CiAsset::CostCents))
                .col(date_null(CiAsset::WarrantyEnd))
                .col(date_null(CiAsset::LeaseEnd))
                .col(integer(CiAsset::NoticeDays))
                .col(integer(CiAsset::Version))
                .col(timestamp_with_time_zone(CiAsset::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("idx_ci_asset_warranty").table(CiAsset::Table).col(CiAsset::WarrantyEnd).to_owned()).await?;
        m.create_index(Index::create().name("idx_ci_asset_lease").table(CiAsset::Table).col(CiAsset::LeaseEnd).to_owned()).await?;
        m.create_index(Index::create().name("idx_ci_asset_owner").table(CiAsset::Table).col(CiAsset::OwnerId).to_owned()).await?;
        m.create_table(
            Table::create()
                .table(SoftwareLicence::Table)
                .col(big_pk_auto(SoftwareLicence::Id))
                .col(string_len(SoftwareLicence::Product, 120))
                .col(string_len_uniq(SoftwareLicence::ProductKey, 120))
                .col(string_len_null(SoftwareLicence::Vendor, 120))
                .col(integer(SoftwareLicence::Seats))
                .col(date_null(SoftwareLicence::ExpiresOn))
                .col(big_integer_null(SoftwareLicence::SupportGroupId))
                .col(integer(SoftwareLicence::NoticeDays))
                .col(text(SoftwareLicence::Notes))
                .col(integer(SoftwareLicence::Version))
                .col(timestamp_with_time_zone(SoftwareLicence::CreatedAt))
                .col(timestamp_with_time_zone(SoftwareLicence::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(LicenceInstallation::Table)
                .col(big_pk_auto(LicenceInstallation::Id))
                .col(big_integer(LicenceInstallation::LicenceId))
                .col(big_integer(LicenceInstallation::CiId))
                .col(timestamp_with_time_zone(LicenceInstallation::InstalledAt))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("idx_licence_installation_pair").table(LicenceInstallation::Table).col(LicenceInstallation::LicenceId).col(LicenceInstallation::CiId).unique().to_owned()).await?;
        m.create_index(Index::create().name("idx_licence_installation_ci").table(LicenceInstallation::Table).col(LicenceInstallation::CiId).to_owned()).await?;
        m.create_table(
            Table::create()
                .table(ExpiryNotice::Table)
                .col(big_pk_auto(ExpiryNotice::Id))
                .col(string_len(ExpiryNotice::SubjectType, 32))
                .col(big_integer(ExpiryNotice::SubjectId))
                .col(string_len(ExpiryNotice::Kind, 16))
                .col(date(ExpiryNotice::EndsOn))
                .col(timestamp_with_time_zone(ExpiryNotice::DueAt))
                .col(timestamp_with_time_zone_null(ExpiryNotice::FiredAt))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("idx_expiry_notice_due").table(ExpiryNotice::Table).col(ExpiryNotice::FiredAt).col(ExpiryNotice::DueAt).to_owned()).await?;
        m.create_index(Index::create().name("idx_expiry_notice_subject").table(ExpiryNotice::Table).col(ExpiryNotice::SubjectType).col(ExpiryNotice::SubjectId).to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ExpiryNotice::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(LicenceInstallation::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(SoftwareLicence::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(CiAsset::Table).to_owned()).await
    }
}
