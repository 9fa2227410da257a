//! The catalog item builder's rows: a form field, an approval stage and a fulfilment task as
//! flat text an HTML form can hold (every input a string, so the builder works without
//! JavaScript), converted to and from the definition types. Errors name the same fields
//! (`fields.N.part`, `approvals.N.part`, `tasks.N.part`) as the definition's own checks, so a
//! message lands next to its input either way.

use super::super::approval::{ApprovalRule, ExpiryAction};
use super::super::FieldError;
use super::form::{Condition, FieldKind, FormField};
use super::item::{rule_code, rule_n, Approvers, StageTemplate, TaskTemplate};
use serde::{Deserialize, Serialize};

/// Field types the builder offers, as `(code, label)`.
pub const FIELD_KINDS: [(&str, &str); 10] = [
    ("text", "Single-line text"),
    ("textarea", "Multi-line text"),
    ("number", "Number"),
    ("date", "Date"),
    ("select", "Select"),
    ("multi_select", "Multi-select"),
    ("checkbox", "Checkbox"),
    ("user", "User picker"),
    ("ci", "CI picker"),
    ("attachment", "Attachment"),
];

/// Condition operators the builder offers, as `(code, label)`.
pub const CONDITION_OPS: [(&str, &str); 3] = [("equals", "equals"), ("one_of", "is one of"), ("checked", "is checked")];

/// Approval rules the builder offers, as `(code, label)`.
pub const RULES: [(&str, &str); 4] = [("any", "Any one"), ("all", "All"), ("at_least", "At least N"), ("percent", "Percentage")];

/// Approver kinds the builder offers, as `(code, label)`.
pub const APPROVER_KINDS: [(&str, &str); 3] = [("manager", "Requester's manager"), ("users", "Named people"), ("group", "A group")];

/// What happens when a stage's due date passes, as `(code, label)`.
pub const EXPIRY_ACTIONS: [(&str, &str); 3] = [("escalate", "Escalate to the next stage"), ("approve", "Approve"), ("reject", "Reject")];

/// One form field as the builder holds it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FieldRow {
    /// Answer key.
    #[serde(default)]
    pub key: Option<String>,
    /// Label.
    #[serde(default)]
    pub label: Option<String>,
    /// Help line.
    #[serde(default)]
    pub help: Option<String>,
    /// A code of [`FIELD_KINDS`].
    #[serde(default)]
    pub kind: Option<String>,
    /// Choices, one per line (select, multi-select).
    #[serde(default)]
    pub options: Option<String>,
    /// Smallest number.
    #[serde(default)]
    pub min: Option<String>,
    /// Largest number.
    #[serde(default)]
    pub max: Option<String>,
    /// CI class code (CI picker).
    #[serde(default)]
    pub class: Option<String>,
    /// Checked: always required.
    #[serde(default)]
    pub required: Option<String>,
    /// Default value.
    #[serde(default)]
    pub default: Option<String>,
    /// Pattern (text).
    #[serde(default)]
    pub pattern: Option<String>,
    /// Shown when this earlier field…
    #[serde(default)]
    pub show_field: Option<String>,
    /// …compares so (a code of [`CONDITION_OPS`])…
    #[serde(default)]
    pub show_op: Option<String>,
    /// …with these values (`;` between several).
    #[serde(default)]
    pub show_values: Option<String>,
    /// Required when this earlier field…
    #[serde(default)]
    pub req_field: Option<String>,
    /// …compares so…
    #[serde(default)]
    pub req_op: Option<String>,
    /// …with these values.
    #[serde(default)]
    pub req_values: Option<String>,
    /// Where it goes (rows are sorted by it; blank keeps the row's place).
    #[serde(default)]
    pub position: Option<String>,
    /// Checked: drop the row.
    #[serde(default)]
    pub remove: Option<String>,
}

/// One approval stage as the builder holds it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StageRow {
    /// Stage name.
    #[serde(default)]
    pub name: Option<String>,
    /// A code of [`APPROVER_KINDS`].
    #[serde(default)]
    pub approvers: Option<String>,
    /// Named people: user ids separated by commas.
    #[serde(default)]
    pub user_ids: Option<String>,
    /// Group id.
    #[serde(default)]
    pub group_id: Option<String>,
    /// A code of [`RULES`].
    #[serde(default)]
    pub rule: Option<String>,
    /// N for at least N, or the percentage.
    #[serde(default)]
    pub n: Option<String>,
    /// Hours to decide (blank: no due date).
    #[serde(default)]
    pub due_hours: Option<String>,
    /// A code of [`EXPIRY_ACTIONS`].
    #[serde(default)]
    pub on_expiry: Option<String>,
    /// Checked: drop the row.
    #[serde(default)]
    pub remove: Option<String>,
}

/// One fulfilment task as the builder holds it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskRow {
    /// What to do.
    #[serde(default)]
    pub title: Option<String>,
    /// Group id (blank: the item's group).
    #[serde(default)]
    pub group_id: Option<String>,
    /// Order (same order: side by side).
    #[serde(default)]
    pub order: Option<String>,
    /// Checked: drop the row.
    #[serde(default)]
    pub remove: Option<String>,
}

fn text(v: &Option<String>) -> &str {
    v.as_deref().map(str::trim).unwrap_or_default()
}

fn some(v: &Option<String>) -> Option<String> {
    Some(text(v).to_string()).filter(|s| !s.is_empty())
}

fn checked(v: &Option<String>) -> bool {
    matches!(text(v), "on" | "true" | "yes" | "1")
}

fn number(v: &Option<String>, field: String, errors: &mut Vec<FieldError>) -> Option<f64> {
    let s = text(v);
    if s.is_empty() {
        return None;
    }
    match s.parse::<f64>() {
        Ok(n) if n.is_finite() => Some(n),
        _ => {
            errors.push(FieldError::new(field, "Give a number"));
            None
        }
    }
}

fn id(s: &str, field: &str, errors: &mut Vec<FieldError>) -> Option<i64> {
    match s.trim().parse::<i64>() {
        Ok(n) if n > 0 => Some(n),
        _ => {
            errors.push(FieldError::new(field, "Choose from the list"));
            None
        }
    }
}

fn values(s: &str) -> Vec<String> {
    s.split(';').map(str::trim).filter(|v| !v.is_empty()).map(str::to_string).collect()
}

fn condition(field: &Option<String>, op: &Option<String>, vals: &Option<String>, at: String, errors: &mut Vec<FieldError>) -> Option<Condition> {
    let field = some(field)?;
    Some(match text(op) {
        "checked" => Condition::Checked { field },
        "one_of" => Condition::OneOf { field, values: values(text(vals)) },
        "equals" | "" => Condition::Equals { field, value: text(vals).to_string() },
        _ => {
            errors.push(FieldError::new(at, "Choose how to compare"));
            return None;
        }
    })
}

fn condition_parts(c: &Option<Condition>) -> (Option<String>, Option<String>, Option<String>) {
    match c {
        None => (None, None, None),
        Some(Condition::Checked { field }) => (Some(field.clone()), Some("checked".into()), None),
        Some(Condition::Equals { field, value }) => (Some(field.clone()), Some("equals".into()), Some(value.clone())),
        Some(Condition::OneOf { field, values }) => (Some(field.clone()), Some("one_of".into()), Some(values.join("; "))),
    }
}

fn is_blank<const N: usize>(parts: [&Option<String>; N]) -> bool {
    parts.iter().all(|p| text(p).is_empty())
}

/// Sorts rows by their position (rows without one keep their place among the others) and drops
/// removed and empty ones.
fn kept<T>(rows: Vec<T>, remove: impl Fn(&T) -> bool, blank: impl Fn(&T) -> bool, position: impl Fn(&T) -> Option<f64>) -> Vec<T> {
    let mut keyed: Vec<(f64, usize, T)> = rows
        .into_iter()
        .enumerate()
        .filter(|(_, r)| !remove(r) && !blank(r))
        .map(|(i, r)| (position(&r).unwrap_or((i + 1) as f64), i, r))
        .collect();
    keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    keyed.into_iter().map(|(_, _, r)| r).collect()
}

impl FieldRow {
    /// The row showing `f` (the builder's starting point for an existing field).
    pub fn from_field(f: &FormField) -> Self {
        let (kind, options, min, max, class) = match &f.kind {
            FieldKind::Text => ("text", None, None, None, None),
            FieldKind::Textarea => ("textarea", None, None, None, None),
            FieldKind::Number { min, max } => ("number", None, min.map(|n| n.to_string()), max.map(|n| n.to_string()), None),
            FieldKind::Date => ("date", None, None, None, None),
            FieldKind::Select { options } => ("select", Some(options.join("\n")), None, None, None),
            FieldKind::MultiSelect { options } => ("multi_select", Some(options.join("\n")), None, None, None),
            FieldKind::Checkbox => ("checkbox", None, None, None, None),
            FieldKind::User => ("user", None, None, None, None),
            FieldKind::Ci { class } => ("ci", None, None, None, class.clone()),
            FieldKind::Attachment => ("attachment", None, None, None, None),
        };
        let (show_field, show_op, show_values) = condition_parts(&f.visible_when);
        let (req_field, req_op, req_values) = condition_parts(&f.required_when);
        Self {
            key: Some(f.key.clone()),
            label: Some(f.label.clone()),
            help: Some(f.help.clone()).filter(|h| !h.is_empty()),
            kind: Some(kind.into()),
            options,
            min,
            max,
            class,
            required: f.required.then(|| "on".into()),
            default: f.default.clone(),
            pattern: f.pattern.clone(),
            show_field,
            show_op,
            show_values,
            req_field,
            req_op,
            req_values,
            position: None,
            remove: None,
        }
    }

    /// The fields the builder's rows describe, in position order, without removed or empty rows.
    /// Errors name `fields.N.part` with N the field's place in the result (as
    /// [`super::FormDefinition::parse`] names them).
    pub fn to_fields(rows: Vec<FieldRow>) -> Result<Vec<FormField>, Vec<FieldError>> {
        let rows = kept(
            rows,
            |r| checked(&r.remove),
            |r| is_blank([&r.key, &r.label, &r.help, &r.options, &r.default, &r.pattern, &r.show_field, &r.req_field]),
            |r| text(&r.position).parse::<f64>().ok().filter(|p| p.is_finite()),
        );
        let mut errors = Vec::new();
        let mut out = Vec::with_capacity(rows.len());
        for (i, r) in rows.iter().enumerate() {
            let at = |part: &str| format!("fields.{i}.{part}");
            let options = || text(&r.options).lines().flat_map(|l| l.split(';')).map(str::trim).filter(|o| !o.is_empty()).map(str::to_string).collect::<Vec<_>>();
            let kind = match text(&r.kind) {
                "text" | "" => FieldKind::Text,
                "textarea" => FieldKind::Textarea,
                "number" => FieldKind::Number { min: number(&r.min, at("min"), &mut errors), max: number(&r.max, at("max"), &mut errors) },
                "date" => FieldKind::Date,
                "select" => FieldKind::Select { options: options() },
                "multi_select" => FieldKind::MultiSelect { options: options() },
                "checkbox" => FieldKind::Checkbox,
                "user" => FieldKind::User,
                "ci" => FieldKind::Ci { class: some(&r.class) },
                "attachment" => FieldKind::Attachment,
                _ => {
                    errors.push(FieldError::new(at("kind"), "Choose a field type"));
                    FieldKind::Text
                }
            };
            out.push(FormField {
                key: text(&r.key).to_string(),
                label: text(&r.label).to_string(),
                help: text(&r.help).to_string(),
                kind,
                required: checked(&r.required),
                default: some(&r.default),
                pattern: some(&r.pattern),
                visible_when: condition(&r.show_field, &r.show_op, &r.show_values, at("visible_when"), &mut errors),
                required_when: condition(&r.req_field, &r.req_op, &r.req_values, at("required_when"), &mut errors),
            });
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }
}

impl StageRow {
    /// The row showing `s`.
    pub fn from_stage(s: &StageTemplate) -> Self {
        let (approvers, user_ids, group_id) = match &s.approvers {
            Approvers::Manager => ("manager", None, None),
            Approvers::Users { user_ids } => ("users", Some(user_ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")), None),
            Approvers::Group { group_id } => ("group", None, Some(group_id.to_string())),
        };
        let expiry = match s.on_expiry {
            ExpiryAction::Approve => "approve",
            ExpiryAction::Reject => "reject",
            ExpiryAction::Escalate => "escalate",
        };
        Self {
            name: Some(s.name.clone()),
            approvers: Some(approvers.into()),
            user_ids,
            group_id,
            rule: Some(rule_code(s.rule).into()),
            n: rule_n(s.rule).map(|n| n.to_string()),
            due_hours: s.due_hours.map(|h| h.to_string()),
            on_expiry: Some(expiry.into()),
            remove: None,
        }
    }

    /// The stages the rows describe, in order, without removed or empty rows. Errors name
    /// `approvals.N.part`.
    pub fn to_stages(rows: Vec<StageRow>) -> Result<Vec<StageTemplate>, Vec<FieldError>> {
        let rows = kept(rows, |r| checked(&r.remove), |r| is_blank([&r.name, &r.user_ids, &r.group_id, &r.due_hours]), |_| None);
        let mut errors = Vec::new();
        let mut out = Vec::with_capacity(rows.len());
        for (i, r) in rows.iter().enumerate() {
            let at = |part: &str| format!("approvals.{i}.{part}");
            let approvers = match text(&r.approvers) {
                "manager" | "" => Approvers::Manager,
                "users" => Approvers::Users {
                    user_ids: text(&r.user_ids).split(',').filter(|s| !s.trim().is_empty()).filter_map(|s| id(s, &at("user_ids"), &mut errors)).collect(),
                },
                "group" => match id(text(&r.group_id), &at("group_id"), &mut errors) {
                    Some(group_id) => Approvers::Group { group_id },
                    None => Approvers::Manager,
                },
                _ => {
                    errors.push(FieldError::new(at("approvers"), "Choose who approves"));
                    Approvers::Manager
                }
            };
            let n = match text(&r.n) {
                "" => None,
                s => match s.parse::<i64>() {
                    Ok(n) => Some(n),
                    Err(_) => {
                        errors.push(FieldError::new(at("n"), "Give a whole number"));
                        None
                    }
                },
            };
            let rule = match ApprovalRule::parse(text(&r.rule).trim().is_empty().then_some("any").unwrap_or(text(&r.rule)), n) {
                Ok(rule) => rule,
                Err(e) => {
                    errors.push(FieldError::new(at("rule"), e.message));
                    ApprovalRule::Any
                }
            };
            let due_hours = match text(&r.due_hours) {
                "" => None,
                s => match s.parse::<u32>() {
                    Ok(h) => Some(h),
                    Err(_) => {
                        errors.push(FieldError::new(at("due_hours"), "Give a whole number of hours"));
                        None
                    }
                },
            };
            let on_expiry = match text(&r.on_expiry) {
                "escalate" | "" => ExpiryAction::Escalate,
                "approve" => ExpiryAction::Approve,
                "reject" => ExpiryAction::Reject,
                _ => {
                    errors.push(FieldError::new(at("on_expiry"), "Choose what happens when it expires"));
                    ExpiryAction::Escalate
                }
            };
            out.push(StageTemplate { name: text(&r.name).to_string(), approvers, rule, due_hours, on_expiry });
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }
}

impl TaskRow {
    /// The row showing `t`.
    pub fn from_task(t: &TaskTemplate) -> Self {
        Self { title: Some(t.title.clone()), group_id: t.group_id.map(|g| g.to_string()), order: Some(t.order.to_string()), remove: None }
    }

    /// The tasks the rows describe, without removed or empty rows. Errors name `tasks.N.part`.
    pub fn to_tasks(rows: Vec<TaskRow>) -> Result<Vec<TaskTemplate>, Vec<FieldError>> {
        let rows = kept(rows, |r| checked(&r.remove), |r| is_blank([&r.title, &r.group_id]), |_| None);
        let mut errors = Vec::new();
        let mut out = Vec::with_capacity(rows.len());
        for (i, r) in rows.iter().enumerate() {
            let at = |part: &str| format!("tasks.{i}.{part}");
            let group_id = match text(&r.group_id) {
                "" => None,
                s => id(s, &at("group_id"), &mut errors),
            };
            let order = match text(&r.order) {
                "" => 1,
                s => s.parse::<u32>().unwrap_or_else(|_| {
                    errors.push(FieldError::new(at("order"), "The order is 1 to 99"));
                    1
                }),
            };
            out.push(TaskTemplate { title: text(&r.title).to_string(), group_id, order });
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::form::FormDefinition;
    use super::*;

    fn s(v: &str) -> Option<String> {
        Some(v.to_string())
    }

    #[test]
    fn rows_become_fields_in_position_order_and_back() {
        let rows = vec![
            FieldRow { key: s("dev_os"), label: s("Developer OS"), kind: s("select"), options: s("Linux\nWindows; macOS"), position: s("2"), show_field: s("developer"), show_op: s("checked"), required: s("on"), ..Default::default() },
            FieldRow { key: s("developer"), label: s("Developer configuration"), kind: s("checkbox"), position: s("1"), ..Default::default() },
            FieldRow::default(),
            FieldRow { key: s("gone"), label: s("Removed"), remove: s("on"), ..Default::default() },
        ];
        let fields = FieldRow::to_fields(rows).unwrap();
        assert_eq!(fields.iter().map(|f| f.key.as_str()).collect::<Vec<_>>(), ["developer", "dev_os"]);
        assert_eq!(fields[1].kind, FieldKind::Select { options: vec!["Linux".into(), "Windows".into(), "macOS".into()] });
        assert_eq!(fields[1].visible_when, Some(Condition::Checked { field: "developer".into() }));
        assert!(fields[1].required && !fields[0].required);
        FormDefinition::parse(fields.clone()).expect("a valid form");
        let again = FieldRow::to_fields(fields.iter().map(FieldRow::from_field).collect()).unwrap();
        assert_eq!(again, fields);
    }

    #[test]
    fn bad_rows_name_their_field() {
        let rows = vec![FieldRow { key: s("qty"), label: s("Quantity"), kind: s("number"), min: s("one"), ..Default::default() }, FieldRow { key: s("x"), label: s("X"), kind: s("slider"), ..Default::default() }];
        let errors = FieldRow::to_fields(rows).unwrap_err();
        let names: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(names, ["fields.0.min", "fields.1.kind"]);
    }

    #[test]
    fn one_of_and_equals_conditions_read_their_values() {
        let rows = vec![
            FieldRow { key: s("kind"), label: s("Kind"), kind: s("select"), options: s("a\nb\nc"), ..Default::default() },
            FieldRow { key: s("why"), label: s("Why"), show_field: s("kind"), show_op: s("one_of"), show_values: s("a; b"), req_field: s("kind"), req_op: s("equals"), req_values: s("b"), ..Default::default() },
        ];
        let f = FieldRow::to_fields(rows).unwrap();
        assert_eq!(f[1].visible_when, Some(Condition::OneOf { field: "kind".into(), values: vec!["a".into(), "b".into()] }));
        assert_eq!(f[1].required_when, Some(Condition::Equals { field: "kind".into(), value: "b".into() }));
    }

    #[test]
    fn stages_and_tasks_round_trip_and_check_numbers() {
        let stages = vec![
            StageRow { name: s("Manager"), approvers: s("manager"), rule: s("any"), ..Default::default() },
            StageRow { name: s("Security"), approvers: s("users"), user_ids: s("4, 7"), rule: s("at_least"), n: s("2"), due_hours: s("48"), on_expiry: s("reject"), ..Default::default() },
            StageRow { name: s("Old"), remove: s("on"), ..Default::default() },
        ];
        let parsed = StageRow::to_stages(stages).unwrap();
        assert_eq!(parsed[1].approvers, Approvers::Users { user_ids: vec![4, 7] });
        assert_eq!(parsed[1].rule, ApprovalRule::AtLeast(2));
        assert_eq!((parsed[1].due_hours, parsed[1].on_expiry), (Some(48), ExpiryAction::Reject));
        assert_eq!(StageRow::to_stages(parsed.iter().map(StageRow::from_stage).collect()).unwrap(), parsed);
        let bad = StageRow::to_stages(vec![StageRow { name: s("P"), rule: s("percent"), n: s("150"), ..Default::default() }, StageRow { name: s("G"), approvers: s("group"), group_id: s("x"), ..Default::default() }]).unwrap_err();
        assert_eq!(bad.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["approvals.0.rule", "approvals.1.group_id"]);

        let tasks = TaskRow::to_tasks(vec![TaskRow { title: s("Image"), group_id: s("3"), order: s("1"), ..Default::default() }, TaskRow::default(), TaskRow { title: s("Ship"), order: s("x"), ..Default::default() }]).unwrap_err();
        assert_eq!(tasks[0].field, "tasks.1.order");
        let ok = TaskRow::to_tasks(vec![TaskRow { title: s("Image"), group_id: s("3"), order: s("2"), ..Default::default() }]).unwrap();
        assert_eq!(ok, vec![TaskTemplate { title: "Image".into(), group_id: Some(3), order: 2 }]);
        assert_eq!(TaskRow::to_tasks(ok.iter().map(TaskRow::from_task).collect()).unwrap(), ok);
    }
}
