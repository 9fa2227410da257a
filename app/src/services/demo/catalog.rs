//! The demo service catalog: a dozen items a real desk offers (a laptop whose developer
//! configuration reveals a required field, access that needs the manager, onboarding with four
//! tasks, …), a delivery target, managers, and a few requests at different stages.

use crate::domain::approval::{ApprovalRule, ExpiryAction};
use crate::domain::catalog::{Approvers, Condition, FieldKind, FormField, ItemAudience, RawAnswers, StageTemplate, TaskTemplate};
use crate::domain::Actor;
use crate::error::AppError;
use crate::services::catalog::{self, ItemInput, OrderLine, RequestOrder};
use crate::services::entities::{category, sla_calendar};
use crate::services::sla::{self, PolicyInput};
use crate::services::{users, AppContext};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

fn field(key: &str, label: &str, kind: FieldKind) -> FormField {
    FormField { key: key.into(), label: label.into(), help: String::new(), kind, required: false, default: None, pattern: None, visible_when: None, required_when: None }
}

fn required(f: FormField) -> FormField {
    FormField { required: true, ..f }
}

fn help(f: FormField, text: &str) -> FormField {
    FormField { help: text.into(), ..f }
}

fn choices(options: &[&str]) -> Vec<String> {
    options.iter().map(|o| o.to_string()).collect()
}

fn manager_stage() -> StageTemplate {
    StageTemplate { name: "Manager approval".into(), approvers: Approvers::Manager, rule: ApprovalRule::Any, due_hours: Some(72), on_expiry: ExpiryAction::Escalate }
}

fn task(title: &str, group_id: i64, order: u32) -> TaskTemplate {
    TaskTemplate { title: title.into(), group_id: Some(group_id), order }
}

/// The people and groups the catalog uses.
pub(super) struct Cast<'a> {
    pub admin: &'a Actor,
    pub riley: &'a Actor,
    pub jordan: &'a Actor,
    pub desk: i64,
    pub netops: i64,
}

/// Loads the catalog and a few requests.
pub(super) async fn load(ctx: &AppContext, c: Cast<'_>) -> Result<(), AppError> {
    // Riley reports to Jordan (a requester, who approves in the portal); Jordan to Ada.
    users::set_manager(ctx, c.admin, c.riley.user_id, Some(c.jordan.user_id)).await?;
    users::set_manager(ctx, c.admin, c.jordan.user_id, Some(c.admin.user_id)).await?;
    let office = sla_calendar::Entity::find().filter(sla_calendar::Column::Name.eq("Office hours (Paris)")).one(&ctx.db).await?.map(|c| c.id);
    let delivery = sla::save_policy(
        ctx,
        c.admin,
        None,
        PolicyInput {
            name: "Catalog delivery".into(),
            position: "10".into(),
            ticket_type: "request_item".into(),
            response_minutes: "480".into(),
            resolution_minutes: "1440".into(),
            calendar_id: office,
            warn_percent: "75".into(),
            pause_reasons: vec!["awaiting_approval".into()],
            ..Default::default()
        },
    )
    .await?;
    let category_id = |name: &'static str| async move { category::Entity::find().filter(category::Column::Name.eq(name)).one(&ctx.db).await.map(|c| c.map(|c| c.id)) };
    let (hardware, software, network, access) = (category_id("Hardware").await?, category_id("Software").await?, category_id("Network").await?, category_id("Access").await?);
    let (desk, netops) = (c.desk, c.netops);
    let dev = || Some(Condition::Checked { field: "developer".into() });
    let items: Vec<ItemInput> = vec![
        ItemInput {
            name: "Laptop".into(),
            summary: "A new or replacement laptop, imaged and enrolled".into(),
            description: "Standard laptops ship with Office and the VPN client. Tick **developer configuration** for local admin rights and a development image.".into(),
            icon: "laptop".into(),
            category_id: hardware,
            form: vec![
                required(field("model", "Model", FieldKind::Select { options: choices(&["Standard 14-inch", "Performance 16-inch"]) })),
                help(field("developer", "Developer configuration", FieldKind::Checkbox), "Local admin rights and a development image"),
                FormField { visible_when: dev(), required: true, ..help(field("dev_os", "Development operating system", FieldKind::Select { options: choices(&["Ubuntu 24.04", "Windows 11 + WSL", "Fedora 41"]) }), "The image we install") },
                FormField { visible_when: dev(), ..field("dev_tools", "Toolchains", FieldKind::MultiSelect { options: choices(&["Rust", "Python", "Java", "Node.js", "Docker"]) }) },
                field("needed_by", "Needed by", FieldKind::Date),
                field("notes", "Anything else", FieldKind::Textarea),
            ],
            approvals: vec![manager_stage()],
            tasks: vec![task("Prepare and image the laptop", desk, 1), task("Enrol the laptop on the network (802.1X certificate)", netops, 2)],
            ..Default::default()
        },
        ItemInput {
            name: "Software access".into(),
            summary: "Access to a licensed business application".into(),
            description: "Pick the application and say why you need it; your manager approves.".into(),
            icon: "key".into(),
            category_id: software,
            form: vec![
                required(field("application", "Application", FieldKind::Select { options: choices(&["Salesforce", "Adobe Creative Cloud", "Tableau", "Jira", "Figma"]) })),
                required(field("justification", "Why you need it", FieldKind::Textarea)),
            ],
            approvals: vec![manager_stage()],
            tasks: vec![task("Assign the licence and grant access", desk, 1)],
            ..Default::default()
        },
        ItemInput {
            name: "New-hire onboarding".into(),
            summary: "Everything a new colleague needs on day one".into(),
            description: "Account, mailbox, laptop and remote access, ready for the start date.".into(),
            icon: "user-plus".into(),
            category_id: access,
            audience: ItemAudience { roles: vec![crate::domain::Role::Agent, crate::domain::Role::Admin], organisation_ids: vec![] },
            form: vec![
                required(field("full_name", "New hire's full name", FieldKind::Text)),
                required(field("start_date", "Start date", FieldKind::Date)),
                required(field("department", "Department", FieldKind::Select { options: choices(&["Finance", "Sales", "Engineering", "Operations", "HR"]) })),
                field("remote", "Works remotely", FieldKind::Checkbox),
            ],
            approvals: vec![],
            tasks: vec![
                task("Create the account", desk, 1),
                task("Create the mailbox", desk, 2),
                task("Prepare the laptop", desk, 2),
                task("Grant VPN access and issue the badge", netops, 3),
            ],
            ..Default::default()
        },
        ItemInput {
            name: "VPN access".into(),
            summary: "Work from home over the corporate VPN".into(),
            description: "Remote access for employees and contractors.".into(),
            icon: "shield".into(),
            category_id: network,
            form: vec![
                required(field("reason", "Reason", FieldKind::Textarea)),
                required(field("duration", "For how long", FieldKind::Select { options: choices(&["1 month", "3 months", "Permanent"]) })),
            ],
            approvals: vec![manager_stage()],
            tasks: vec![task("Add the user to the VPN profile", netops, 1)],
            ..Default::default()
        },
        ItemInput {
            name: "Shared mailbox".into(),
            summary: "A team mailbox such as support@ or invoices@".into(),
            description: "Name the address and its owners; the Service Desk approves.".into(),
            icon: "mail".into(),
            category_id: software,
            form: vec![
                FormField { pattern: Some("[a-z0-9.-]+".into()), ..help(required(field("address", "Address (before @example.com)", FieldKind::Text)), "Lowercase letters, digits, dots and dashes") },
                required(field("owners", "Owners", FieldKind::Textarea)),
            ],
            approvals: vec![StageTemplate { name: "Service Desk review".into(), approvers: Approvers::Group { group_id: desk }, rule: ApprovalRule::Any, due_hours: Some(48), on_expiry: ExpiryAction::Escalate }],
            tasks: vec![task("Create the mailbox and grant the owners", desk, 1)],
            ..Default::default()
        },
        ItemInput {
            name: "Monitor".into(),
            summary: "An extra 27-inch monitor".into(),
            description: "Delivered to your desk with a USB-C cable.".into(),
            icon: "monitor".into(),
            category_id: hardware,
            form: vec![FormField { default: Some("1".into()), ..required(field("quantity", "How many", FieldKind::Number { min: Some(1.0), max: Some(2.0) })) }],
            tasks: vec![task("Deliver the monitor", desk, 1)],
            ..Default::default()
        },
        ItemInput {
            name: "Mobile phone".into(),
            summary: "A company smartphone with a data plan".into(),
            description: "Your manager and then Finance approve.".into(),
            icon: "phone".into(),
            category_id: hardware,
            form: vec![
                required(field("model", "Model", FieldKind::Select { options: choices(&["iPhone 16", "Pixel 9", "Galaxy S25"]) })),
                field("roaming", "Needs international roaming", FieldKind::Checkbox),
                FormField { required_when: Some(Condition::Checked { field: "roaming".into() }), ..field("countries", "Countries", FieldKind::Text) },
            ],
            approvals: vec![manager_stage(), StageTemplate { name: "Finance approval".into(), approvers: Approvers::Users { user_ids: vec![c.admin.user_id] }, rule: ApprovalRule::All, due_hours: Some(120), on_expiry: ExpiryAction::Reject }],
            tasks: vec![task("Order and configure the phone", desk, 1)],
            ..Default::default()
        },
        ItemInput {
            name: "Printer access".into(),
            summary: "Print and scan on an office printer".into(),
            description: "Choose the printer; the driver installs at your next sign-in.".into(),
            icon: "printer".into(),
            category_id: hardware,
            form: vec![required(field("printer", "Printer", FieldKind::Ci { class: Some("printer".into()) }))],
            tasks: vec![task("Grant printer access", desk, 1)],
            ..Default::default()
        },
        ItemInput {
            name: "Distribution list membership".into(),
            summary: "Join or leave a mailing list".into(),
            description: "The list owner is told.".into(),
            icon: "users".into(),
            category_id: access,
            form: vec![
                required(field("list", "List", FieldKind::Text)),
                required(field("action", "Join or leave", FieldKind::Select { options: choices(&["Join", "Leave"]) })),
            ],
            tasks: vec![task("Update the list", desk, 1)],
            ..Default::default()
        },
        ItemInput {
            name: "Software installation".into(),
            summary: "Install approved software on your computer".into(),
            description: "For software not in the Software Center.".into(),
            icon: "download".into(),
            category_id: software,
            form: vec![
                required(field("software", "Software", FieldKind::Select { options: choices(&["Visual Studio Code", "Zoom", "7-Zip", "Other"]) })),
                FormField { visible_when: Some(Condition::Equals { field: "software".into(), value: "Other".into() }), required: true, ..field("other", "Which software", FieldKind::Text) },
                required(field("computer", "Computer", FieldKind::Ci { class: Some("workstation".into()) })),
            ],
            tasks: vec![task("Install the software", desk, 1)],
            ..Default::default()
        },
        ItemInput {
            name: "Guest Wi-Fi voucher".into(),
            summary: "Internet access for a visitor".into(),
            description: "Vouchers last for the visit's days.".into(),
            icon: "wifi".into(),
            category_id: network,
            form: vec![required(field("visitor", "Visitor's name", FieldKind::Text)), required(field("visit_day", "Day of the visit", FieldKind::Date))],
            tasks: vec![task("Issue the voucher", netops, 1)],
            ..Default::default()
        },
        ItemInput {
            name: "Access badge".into(),
            summary: "A new or replacement office badge".into(),
            description: "Lost badges are deactivated at once.".into(),
            icon: "badge".into(),
            category_id: access,
            form: vec![
                required(field("reason", "Why", FieldKind::Select { options: choices(&["New", "Lost", "Damaged"]) })),
                field("requested_for", "For", FieldKind::User),
            ],
            tasks: vec![task("Print and hand over the badge", desk, 1)],
            ..Default::default()
        },
    ];
    let mut ids = Vec::new();
    for item in items {
        let input = ItemInput { active: true, group_id: Some(desk), sla_policy_id: Some(delivery.id), ..item };
        ids.push(catalog::save_item(ctx, c.admin, None, input).await?.id);
    }
    let answers = |pairs: &[(&str, &str)]| -> RawAnswers { pairs.iter().map(|(k, v)| (k.to_string(), vec![v.to_string()])).collect() };
    // Riley waits for Jordan's approval of VPN access; Jordan's monitor is being delivered.
    let vpn = OrderLine { item_id: ids[3], answers: answers(&[("reason", "Working from home two days a week"), ("duration", "3 months")]) };
    catalog::submit_request(ctx, c.riley, RequestOrder { requested_for: String::new(), lines: vec![vpn] }).await?;
    let monitor = OrderLine { item_id: ids[5], answers: answers(&[("quantity", "1")]) };
    catalog::submit_request(ctx, c.jordan, RequestOrder { requested_for: String::new(), lines: vec![monitor] }).await?;
    Ok(())
}
