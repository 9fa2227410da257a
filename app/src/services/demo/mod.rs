//! Demo data: users in three roles, two assignment groups, services, categories, configuration
//! items (some with asset records, one over-used licence) and tickets,
//! created through the same services as real data, and a service catalog ([`catalog`]). Loaded
//! once, into an empty database.

mod catalog;

use super::entities::app_user;
use super::tickets::{self, NewTicket, TicketPatch};
use super::users::{self, NewUser};
use super::{auth, cmdb, reference, organisations, AppContext};
use crate::domain::TicketType;
use crate::error::AppError;
use sea_orm::{EntityTrait, PaginatorTrait};

/// Password of every demo user.
pub const DEMO_PASSWORD: &str = "oxidesk-demo";

/// Demo logins: (username, role).
pub const DEMO_LOGINS: [(&str, &str); 4] =
    [("admin", "admin"), ("agent", "agent"), ("netops", "agent"), ("requester", "requester")];

/// Loads the demo data set unless the database already has users. Returns whether it loaded.
pub async fn load_if_empty(ctx: &AppContext) -> Result<bool, AppError> {
    if app_user::Entity::find().count(&ctx.db).await? > 0 {
        return Ok(false);
    }
    let (w, txn) = ctx.begin_write().await?;
    let desk = reference::create_group(&txn, "Service Desk", "First line: every new ticket lands here", 1).await?;
    let netops = reference::create_group(&txn, "Network Operations", "Second line: LAN, Wi-Fi, VPN, firewalls", 2).await?;
    let mut service_ids = Vec::new();
    for (name, description) in [
        ("Email", "Corporate mail and calendars"),
        ("VPN", "Remote access to the corporate network"),
        ("Laptops & Desktops", "End-user hardware"),
        ("Printing", "Office printers and scanners"),
        ("HR Portal", "Leave, payroll and personal data"),
    ] {
        service_ids.push(reference::create_service(&txn, name, description).await?);
    }
    for (name, service) in [("Hardware", 2), ("Software", 0), ("Network", 1), ("Access", 4)] {
        reference::create_category(&txn, name, Some(service_ids[service])).await?;
    }
    txn.commit().await?;
    drop(w);

    let people = [
        ("admin", "Ada Admin", "admin", vec![]),
        ("agent", "Alex Agent", "agent", vec![desk]),
        ("netops", "Nia Network", "agent", vec![netops]),
        ("requester", "Riley Requester", "requester", vec![]),
        ("jordan", "Jordan Employee", "requester", vec![]),
    ];
    let mut ids = Vec::new();
    for (username, name, role, group_ids) in people {
        let user = users::create_user(
            ctx,
            None,
            NewUser {
                username: username.into(),
                display_name: name.into(),
                email: format!("{username}@example.com"),
                role: role.into(),
                password: DEMO_PASSWORD.into(),
                group_ids,
                organisation_id: None,
            },
        )
        .await?;
        ids.push(user.id);
    }
    let admin = auth::actor_for_user(ctx, ids[0]).await?.ok_or(AppError::Internal)?;
    for (name, member) in [("Contoso Retail", ids[3]), ("Northwind Logistics", ids[4])] {
        let org = organisations::save_organisation(ctx, &admin, None, name).await?;
        organisations::set_user_organisation(ctx, &admin, member, Some(org.id)).await?;
    }
    for (id, name, description, tier, escalates_to) in [
        (desk, "Service Desk", "First line: every new ticket lands here", "1", Some(netops)),
        (netops, "Network Operations", "Second line: LAN, Wi-Fi, VPN, firewalls", "2", None),
    ] {
        let input = users::GroupInput {
            name: name.into(),
            description: description.into(),
            tier: tier.into(),
            manager_id: Some(admin.user_id),
            escalates_to_id: escalates_to,
        };
        users::save_group(ctx, &admin, Some(id), input).await?;
    }
    for (name, class, service, group, location, description) in [
        ("EXCH-01", "server", 0, desk, "Paris DC, rack B4", "Exchange mailbox server"),
        ("VPN-GW-01", "network_device", 1, netops, "Paris DC, rack A1", "Remote-access VPN gateway, node 1"),
        ("VPN-GW-02", "network_device", 1, netops, "Lyon DC, rack C2", "Remote-access VPN gateway, node 2"),
        ("LT-0042", "workstation", 2, desk, "Jordan's desk", "Laptop, 14 inch"),
        ("PRN-3F-01", "printer", 3, desk, "Head office, 3rd floor", "Multifunction printer"),
        ("HRP-APP", "application", 4, desk, "SaaS", "HR portal (leave, payroll, personal data)"),
        ("HV-PAR-01", "server", 0, desk, "Paris DC, rack B2", "Virtualisation host"),
        ("CORE-SW-PAR", "network_device", 1, netops, "Paris DC, rack A2", "Core switch, Paris"),
        ("Email service", "business_service", 0, desk, "Company-wide", "Mail and calendars as people use them"),
        ("Remote access", "business_service", 1, netops, "Company-wide", "Working from home over the VPN"),
        ("HR self-service", "business_service", 4, desk, "Company-wide", "Leave requests and payslips"),
    ] {
        let input = cmdb::CiInput {
            name: name.into(),
            class: class.into(),
            service_id: Some(service_ids[service]),
            support_group_id: Some(group),
            location: Some(location.into()),
            description: description.into(),
            ..Default::default()
        };
        cmdb::save_ci(ctx, &admin, None, input).await?;
    }
    for (ci, rel_type, target, set, min_up) in [
        ("Email service", "depends_on", "EXCH-01", None, None),
        ("EXCH-01", "hosted_on", "HV-PAR-01", None, None),
        ("EXCH-01", "depends_on", "CORE-SW-PAR", None, None),
        ("Remote access", "depends_on", "VPN-GW-01", Some("vpn-pair"), Some(1)),
        ("Remote access", "depends_on", "VPN-GW-02", Some("vpn-pair"), Some(1)),
        ("VPN-GW-01", "depends_on", "CORE-SW-PAR", None, None),
        ("VPN-GW-01", "connected_to", "VPN-GW-02", None, None),
        ("HR self-service", "depends_on", "HRP-APP", None, None),
        ("LT-0042", "connected_to", "PRN-3F-01", None, None),
    ] {
        let input = cmdb::RelationshipInput {
            rel_type: rel_type.into(),
            target: target.into(),
            redundancy_set: set.map(str::to_string),
            min_up,
            expected_version: None,
        };
        cmdb::add_relationship(ctx, &admin, ci, input).await?;
    }
    let today = chrono::Utc::now().date_naive();
    let in_days = |n: i64| (today + chrono::Duration::days(n)).to_string();
    for (ci, tag, serial, vendor, bought, cost, warranty, lease) in [
        ("CORE-SW-PAR", "NET-0001", "FOC2231X0AB", "Cisco", "2022-03-14", "18400.00", in_days(25), String::new()),
        ("VPN-GW-01", "NET-0002", "FGT60F0000123", "Fortinet", "2023-09-01", "2150.00", in_days(410), String::new()),
        ("VPN-GW-02", "NET-0003", "FGT60F0000456", "Fortinet", "2023-09-01", "2150.00", in_days(410), in_days(75)),
    ] {
        let input = cmdb::AssetInput {
            lifecycle: "deployed".into(),
            asset_tag: tag.into(),
            serial_number: serial.into(),
            vendor: vendor.into(),
            purchase_date: bought.into(),
            cost: cost.into(),
            warranty_end: warranty,
            lease_end: lease,
            ..Default::default()
        };
        cmdb::save_asset(ctx, &admin, ci, input).await?;
    }
    let licence = cmdb::LicenceInput { product: "FortiClient VPN".into(), vendor: "Fortinet".into(), seats: "1".into(), expires_on: in_days(60), support_group_id: Some(netops), ..Default::default() };
    let licence = cmdb::save_licence(ctx, &admin, None, licence).await?;
    for ci in ["VPN-GW-01", "VPN-GW-02"] {
        cmdb::add_installation(ctx, &admin, licence.licence.id, ci, None).await?;
    }
    let agent = auth::actor_for_user(ctx, ids[1]).await?.ok_or(AppError::Internal)?;
    let riley = auth::actor_for_user(ctx, ids[3]).await?.ok_or(AppError::Internal)?;
    let jordan = auth::actor_for_user(ctx, ids[4]).await?.ok_or(AppError::Internal)?;

    let samples = [
        (&riley, "Outlook keeps asking for my password", "Since this morning Outlook prompts for credentials every few minutes.", "medium", "high", Some(0)),
        (&riley, "VPN disconnects every 10 minutes", "Working from home, the VPN drops and reconnects constantly.", "medium", "medium", Some(1)),
        (&jordan, "Laptop screen flickers", "The built-in display flickers when on battery.", "low", "medium", Some(2)),
        (&jordan, "Third floor printer jammed", "Printer PRN-3F-01 shows a paper jam that cannot be cleared.", "low", "low", Some(3)),
        (&riley, "Cannot open payslip in HR portal", "The HR portal shows an error when I open my October payslip.", "low", "high", Some(4)),
    ];
    let mut created = Vec::new();
    for (i, (who, title, description, impact, urgency, service)) in samples.into_iter().enumerate() {
        let t = tickets::create_ticket(
            ctx,
            who,
            NewTicket {
                ticket_type: TicketType::Incident,
                title: title.into(),
                description: description.into(),
                impact: impact.into(),
                urgency: urgency.into(),
                requester_id: None,
                service_id: service.map(|i| service_ids[i]),
                category_id: None,
                ci: [Some("EXCH-01"), Some("VPN-GW-01")].get(i).copied().flatten().map(str::to_string),
            },
        )
        .await?;
        created.push(t.summary.number);
    }
    tickets::update_ticket(
        ctx,
        &agent,
        &created[0],
        TicketPatch { assignee_id: Some(Some(agent.user_id)), group_id: Some(Some(desk)), ..Default::default() },
    )
    .await?;
    tickets::add_comment(ctx, &agent, &created[0], "Thanks Riley — I'm looking into your mailbox now.", false).await?;
    tickets::add_comment(ctx, &agent, &created[0], "Token cache on the client looks stale; try clearing credentials.", true).await?;
    tickets::update_ticket(ctx, &agent, &created[1], TicketPatch { group_id: Some(Some(netops)), ..Default::default() }).await?;
    let articles: String = DEMO_ARTICLES.iter().map(|a| format!("{a}\n")).collect();
    super::knowledge::import_articles(ctx, &admin, &articles, true, |_| {}).await?;
    catalog::load(ctx, catalog::Cast { admin: &admin, riley: &riley, jordan: &jordan, desk, netops }).await?;
    Ok(true)
}

/// Published demo articles (one for agents only), one JSON line each.
const DEMO_ARTICLES: [&str; 6] = [
    r#"{"title": "Outlook keeps asking for your password", "body": "Outlook prompts again and again when its saved credentials are stale.\n\n1. Close Outlook.\n2. Open **Credential Manager** and remove the entries starting with `MicrosoftOffice`.\n3. Start Outlook and sign in once.", "category": "Software", "tags": ["outlook", "email", "password"]}"#,
    r#"{"title": "Connect to the VPN from home", "body": "Install the VPN client from the Software Center, then sign in with your company account.\n\nIf the connection drops every few minutes, switch from Wi-Fi to a cable or restart your router.", "category": "Network", "tags": ["vpn", "remote"]}"#,
    r#"{"title": "Clear a paper jam on the office printers", "body": "1. Open tray 2 and the rear door.\n2. Pull the jammed paper out slowly, in the direction of the paper path.\n3. Close the doors: printing resumes by itself.", "category": "Hardware", "tags": ["printer", "paper-jam"]}"#,
    r#"{"title": "Reset your password or unlock your account", "body": "Use the self-service password page: answer your security questions, choose a new password of at least 12 characters. Your account unlocks at once.", "category": "Access", "tags": ["password", "account"]}"#,
    r#"{"title": "Laptop screen flickers on battery", "body": "Turn off *panel self refresh* in the graphics settings and update the display driver from the Software Center.", "category": "Hardware", "tags": ["laptop", "display"]}"#,
    r#"{"title": "Rotate the VPN gateway certificate", "body": "Runbook for Network Operations: renew the gateway certificate on both VPN nodes, one at a time, and check the tunnel count afterwards.", "category": "Network", "tags": ["vpn", "runbook"], "audience": "agents"}"#,
];
