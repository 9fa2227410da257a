//! Catalog forms: the fields an admin builds for a catalog item, the conditions that show or
//! require a field, and the one evaluation of a requester's answers — run in the browser as the
//! requester types (which fields appear) and on the server when the request is submitted (what is
//! kept). The same code both times, so what the form shows is what the server requires:
//!
//! - a field is **visible** when it has no condition or its condition holds on the values of
//!   the fields before it (a hidden field counts as empty, so hiding cascades);
//! - a field's **value** is what was sent for it or, when nothing was sent, its default (a
//!   pre-filled default shows and requires fields like a typed value would);
//! - a **hidden** field is never required and whatever was sent for it is dropped;
//! - a **visible** field that is required (always, or when its requirement condition holds) and
//!   empty is an error naming that field.
//!
//! Conditions may only look at fields placed before theirs, so a definition cannot loop.

use super::super::field::parse_day;
use super::super::FieldError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Most fields one form may have.
pub const MAX_FIELDS: usize = 50;

/// What a field asks for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum FieldKind {
    /// One line of text.
    Text,
    /// Several lines of text.
    Textarea,
    /// A number, optionally bounded.
    Number {
        /// Smallest allowed value.
        #[serde(default)]
        min: Option<f64>,
        /// Largest allowed value.
        #[serde(default)]
        max: Option<f64>,
    },
    /// A calendar day, `YYYY-MM-DD`.
    Date,
    /// One of a list.
    Select {
        /// The choices, in order.
        options: Vec<String>,
    },
    /// Any number of a list.
    MultiSelect {
        /// The choices, in order.
        options: Vec<String>,
    },
    /// Yes or no.
    Checkbox,
    /// A user of the desk (e.g. "requested for"), by email.
    User,
    /// A configuration item, by name, optionally of one class.
    Ci {
        /// Only CIs of this class code (e.g. `workstation`).
        #[serde(default)]
        class: Option<String>,
    },
    /// A file, by the id of an uploaded attachment.
    Attachment,
}

impl FieldKind {
    fn options(&self) -> Option<&[String]> {
        match self {
            Self::Select { options } | Self::MultiSelect { options } => Some(options),
            _ => None,
        }
    }

    fn takes_pattern(&self) -> bool {
        matches!(self, Self::Text | Self::Textarea)
    }
}

/// What a condition looks at in an earlier field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Condition {
    /// The field's value is `value` (for a multi-select: `value` is among those chosen).
    Equals {
        /// Key of the earlier field.
        field: String,
        /// The value it must have.
        value: String,
    },
    /// The field's value is one of `values` (for a multi-select: any of them is chosen).
    OneOf {
        /// Key of the earlier field.
        field: String,
        /// The values it may have.
        values: Vec<String>,
    },
    /// The field (a checkbox) is checked.
    Checked {
        /// Key of the earlier checkbox.
        field: String,
    },
}

impl Condition {
    /// The field the condition looks at.
    pub fn field(&self) -> &str {
        match self {
            Self::Equals { field, .. } | Self::OneOf { field, .. } | Self::Checked { field } => field,
        }
    }

    fn holds(&self, value: Option<&Answer>) -> bool {
        let Some(value) = value else { return false };
        match self {
            Self::Equals { value: wanted, .. } => value.has(wanted),
            Self::OneOf { values, .. } => values.iter().any(|w| value.has(w)),
            Self::Checked { .. } => matches!(value, Answer::Flag(true)),
        }
    }
}

/// One field of a form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FormField {
    /// Stable key: the answer's name (`a`–`z`, digits, `_`; starts with a letter; at most 40).
    pub key: String,
    /// What the requester reads.
    pub label: String,
    /// A line of help under the field.
    #[serde(default)]
    pub help: String,
    /// What it asks for.
    pub kind: FieldKind,
    /// Always required (when visible).
    #[serde(default)]
    pub required: bool,
    /// Pre-filled value (`true`/`false` for a checkbox; several choices separated by `;` for a
    /// multi-select).
    #[serde(default)]
    pub default: Option<String>,
    /// A regular expression the whole text must match (text fields).
    #[serde(default)]
    pub pattern: Option<String>,
    /// Shown only when this holds.
    #[serde(default)]
    pub visible_when: Option<Condition>,
    /// Required when this holds (and the field is visible).
    #[serde(default)]
    pub required_when: Option<Condition>,
}

/// A kept answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Answer {
    /// A checkbox.
    Flag(bool),
    /// A multi-select's choices.
    Many(Vec<String>),
    /// Anything else, as text (numbers and days normalised).
    One(String),
}

impl Answer {
    fn has(&self, wanted: &str) -> bool {
        match self {
            Self::Flag(b) => wanted.trim().eq_ignore_ascii_case(if *b { "true" } else { "false" }),
            Self::Many(v) => v.iter().any(|x| x == wanted.trim()),
            Self::One(s) => s == wanted.trim(),
        }
    }

    fn is_empty(&self) -> bool {
        match self {
            Self::Flag(b) => !b,
            Self::Many(v) => v.is_empty(),
            Self::One(s) => s.is_empty(),
        }
    }
}

/// What was sent for each field: a form post's values by name (a multi-select sends several).
pub type RawAnswers = BTreeMap<String, Vec<String>>;

/// The answers kept for a request: only visible fields, each checked and normalised.
pub type Answers = BTreeMap<String, Answer>;

/// A checked form definition: fields in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FormDefinition {
    /// The fields, in the order shown.
    pub fields: Vec<FormField>,
}

fn is_key(k: &str) -> bool {
    let mut chars = k.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase()) && k.len() <= 40 && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// A pattern compiled to match a whole value.
fn compile(pattern: &str) -> Result<regex_lite::Regex, String> {
    regex_lite::Regex::new(&format!("^(?:{pattern})$")).map_err(|e| e.to_string())
}

fn truthy(raw: &str) -> Option<bool> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "true" | "on" | "yes" | "1" => Some(true),
        "false" | "off" | "no" | "0" | "" => Some(false),
        _ => None,
    }
}

impl FormField {
    /// Checks and normalises what was sent for this field (`None`: nothing was sent, or only
    /// blanks). `field` names the error (the key, or a definition path for defaults).
    fn read(&self, field: &str, raw: &[String]) -> Result<Option<Answer>, FieldError> {
        let err = |m: String| FieldError::new(field, m);
        let values: Vec<&str> = raw.iter().map(|v| v.trim()).filter(|v| !v.is_empty()).collect();
        if let FieldKind::Checkbox = self.kind {
            return match values.as_slice() {
                [] => Ok(if raw.is_empty() { None } else { Some(Answer::Flag(false)) }),
                [one] => truthy(one).map(|b| Some(Answer::Flag(b))).ok_or_else(|| err(format!("{}: answer yes or no", self.label))),
                _ => Err(err(format!("{}: answer once", self.label))),
            };
        }
        if let FieldKind::MultiSelect { options } = &self.kind {
            let mut chosen: Vec<String> = Vec::new();
            for v in values {
                if !options.iter().any(|o| o == v) {
                    return Err(err(format!("{}: '{v}' is not one of the choices", self.label)));
                }
                if !chosen.iter().any(|c| c == v) {
                    chosen.push(v.to_string());
                }
            }
            chosen.sort_by_key(|c| options.iter().position(|o| o == c));
            return Ok((!chosen.is_empty()).then_some(Answer::Many(chosen)));
        }
        let value = match values.as_slice() {
            [] => return Ok(None),
            [one] => *one,
            _ => return Err(err(format!("{}: give one value", self.label))),
        };
        let value = match &self.kind {
            FieldKind::Text | FieldKind::Textarea => {
                let max = if self.kind == FieldKind::Text { 200 } else { 5_000 };
                if value.chars().count() > max {
                    return Err(err(format!("{} must be at most {max} characters", self.label)));
                }
                if let Some(p) = self.pattern.as_deref().filter(|p| !p.is_empty()) {
                    if !compile(p).map(|r| r.is_match(value)).unwrap_or(false) {
                        return Err(err(format!("{} is not in the expected form", self.label)));
                    }
                }
                value.to_string()
            }
            FieldKind::Number { min, max } => {
                let n: f64 = value.replace(',', ".").parse().ok().filter(|n: &f64| n.is_finite()).ok_or_else(|| err(format!("{}: '{value}' is not a number", self.label)))?;
                if min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m) {
                    let range = match (min, max) {
                        (Some(a), Some(b)) => format!("from {a} to {b}"),
                        (Some(a), None) => format!("at least {a}"),
                        (None, Some(b)) => format!("at most {b}"),
                        (None, None) => String::new(),
                    };
                    return Err(err(format!("{} must be {range}", self.label)));
                }
                n.to_string()
            }
            FieldKind::Date => parse_day(field, value)?.to_string(),
            FieldKind::Select { options } => {
                if !options.iter().any(|o| o == value) {
                    return Err(err(format!("{}: '{value}' is not one of the choices", self.label)));
                }
                value.to_string()
            }
            FieldKind::User | FieldKind::Ci { .. } | FieldKind::Attachment => {
                if value.chars().count() > 200 {
                    return Err(err(format!("{} is too long", self.label)));
                }
                value.to_string()
            }
            FieldKind::Checkbox | FieldKind::MultiSelect { .. } => value.to_string(),
        };
        Ok(Some(Answer::One(value)))
    }

    fn default_value(&self) -> Option<Vec<String>> {
        let d = self.default.as_deref()?.trim();
        if d.is_empty() {
            return None;
        }
        Some(match self.kind {
            FieldKind::MultiSelect { .. } => d.split(';').map(|s| s.trim().to_string()).collect(),
            _ => vec![d.to_string()],
        })
    }
}

impl FormDefinition {
    /// Checks a definition an admin built: at most [`MAX_FIELDS`] fields with unique keys and a
    /// label; choices listed, unique and not empty; bounds in order; patterns that compile and
    /// only on text; defaults that the field itself would accept; conditions on an earlier field,
    /// with values that field can have. Errors name `fields.N.part`.
    pub fn parse(fields: Vec<FormField>) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        if fields.len() > MAX_FIELDS {
            errors.push(FieldError::new("fields", format!("A form has at most {MAX_FIELDS} fields")));
        }
        for (i, f) in fields.iter().enumerate() {
            let at = |part: &str| format!("fields.{i}.{part}");
            if !is_key(&f.key) {
                errors.push(FieldError::new(at("key"), "Use a-z, digits and _, starting with a letter (at most 40)"));
            } else if fields[..i].iter().any(|o| o.key == f.key) {
                errors.push(FieldError::new(at("key"), format!("Another field already has the key '{}'", f.key)));
            }
            if f.label.trim().is_empty() || f.label.chars().count() > 80 {
                errors.push(FieldError::new(at("label"), "A label of 1 to 80 characters is required"));
            }
            if f.help.chars().count() > 300 {
                errors.push(FieldError::new(at("help"), "Help must be at most 300 characters"));
            }
            if let Some(options) = f.kind.options() {
                if options.is_empty() || options.len() > 100 {
                    errors.push(FieldError::new(at("options"), "List 1 to 100 choices"));
                } else if options.iter().any(|o| o.trim().is_empty() || o.trim() != o || o.chars().count() > 80) {
                    errors.push(FieldError::new(at("options"), "Each choice is 1 to 80 characters, without surrounding spaces"));
                } else if options.iter().enumerate().any(|(j, o)| options[..j].contains(o)) {
                    errors.push(FieldError::new(at("options"), "Each choice may appear once"));
                }
            }
            if let FieldKind::Number { min: Some(a), max: Some(b) } = f.kind {
                if a > b {
                    errors.push(FieldError::new(at("max"), "The largest value is below the smallest"));
                }
            }
            match f.pattern.as_deref().filter(|p| !p.is_empty()) {
                Some(_) if !f.kind.takes_pattern() => errors.push(FieldError::new(at("pattern"), "Only text fields take a pattern")),
                Some(p) if p.len() > 200 => errors.push(FieldError::new(at("pattern"), "A pattern is at most 200 characters")),
                Some(p) => {
                    if let Err(e) = compile(p) {
                        errors.push(FieldError::new(at("pattern"), format!("Not a valid pattern: {e}")));
                    }
                }
                None => {}
            }
            if let Some(d) = f.default_value() {
                if let Err(e) = f.read(&at("default"), &d) {
                    errors.push(FieldError::new(at("default"), format!("The default is refused: {}", e.message)));
                }
            }
            for (part, cond) in [("visible_when", &f.visible_when), ("required_when", &f.required_when)] {
                let Some(cond) = cond else { continue };
                let Some(target) = fields[..i].iter().find(|o| o.key == cond.field()) else {
                    errors.push(FieldError::new(at(part), format!("'{}' is not a field placed before this one", cond.field())));
                    continue;
                };
                let ok = match cond {
                    Condition::Checked { .. } => target.kind == FieldKind::Checkbox,
                    Condition::Equals { value, .. } => target.read("", std::slice::from_ref(value)).is_ok_and(|a| a.is_some()),
                    Condition::OneOf { values, .. } => !values.is_empty() && values.iter().all(|v| target.read("", std::slice::from_ref(v)).is_ok_and(|a| a.is_some())),
                };
                if !ok {
                    errors.push(FieldError::new(at(part), format!("'{}' cannot have the value this condition looks for", target.label)));
                }
            }
        }
        if errors.is_empty() {
            Ok(Self { fields })
        } else {
            Err(errors)
        }
    }

    /// Each field's value and whether it is visible and required, in order, as the browser shows
    /// the form and the server judges it. Values that do not read (a bad number) count as empty
    /// for the conditions; [`Self::evaluate`] reports them.
    pub fn state(&self, raw: &RawAnswers) -> Vec<FieldState> {
        let mut values: BTreeMap<&str, Answer> = BTreeMap::new();
        let mut out = Vec::with_capacity(self.fields.len());
        for f in &self.fields {
            let holds = |c: &Option<Condition>| c.as_ref().is_none_or(|c| c.holds(values.get(c.field())));
            let visible = holds(&f.visible_when);
            let required = visible && (f.required || f.required_when.as_ref().is_some_and(|c| c.holds(values.get(c.field()))));
            let sent = raw.get(&f.key).cloned().or_else(|| f.default_value());
            let value = if visible { sent.as_deref().and_then(|v| f.read(&f.key, v).ok().flatten()) } else { None };
            if let Some(v) = &value {
                values.insert(&f.key, v.clone());
            }
            out.push(FieldState { visible, required, value });
        }
        out
    }

    /// The answers to keep for `raw`, or every error at once: visible fields only (what was sent
    /// for a hidden field is dropped), defaults where nothing was sent, each value checked by its
    /// field; a visible required field left empty is an error on its key.
    pub fn evaluate(&self, raw: &RawAnswers) -> Result<Answers, Vec<FieldError>> {
        let state = self.state(raw);
        let mut errors = Vec::new();
        let mut answers = Answers::new();
        for (f, s) in self.fields.iter().zip(&state) {
            if !s.visible {
                continue;
            }
            let sent = raw.get(&f.key).cloned().or_else(|| f.default_value()).unwrap_or_default();
            match f.read(&f.key, &sent) {
                Err(e) => errors.push(e),
                Ok(v) => {
                    let empty = v.as_ref().is_none_or(Answer::is_empty);
                    if s.required && empty {
                        errors.push(FieldError::new(&f.key, format!("{} is required", f.label)));
                    } else if let Some(v) = v {
                        answers.insert(f.key.clone(), v);
                    }
                }
            }
        }
        if errors.is_empty() {
            Ok(answers)
        } else {
            Err(errors)
        }
    }
}

/// How one field stands for the answers given so far.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldState {
    /// Shown.
    pub visible: bool,
    /// Must be filled.
    pub required: bool,
    /// Its value, when it has a readable one and is visible.
    pub value: Option<Answer>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(key: &str, kind: FieldKind) -> FormField {
        FormField { key: key.into(), label: key.replace('_', " "), help: String::new(), kind, required: false, default: None, pattern: None, visible_when: None, required_when: None }
    }

    fn raw(pairs: &[(&str, &str)]) -> RawAnswers {
        let mut out = RawAnswers::new();
        for (k, v) in pairs {
            out.entry(k.to_string()).or_default().push(v.to_string());
        }
        out
    }

    fn keys(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.field.as_str()).collect()
    }

    /// The laptop form: a configuration choice that reveals a required "developer tools" field.
    fn laptop() -> FormDefinition {
        let config = FormField { required: true, default: Some("Standard".into()), ..field("configuration", FieldKind::Select { options: vec!["Standard".into(), "Developer".into()] }) };
        let tools = FormField {
            required: true,
            visible_when: Some(Condition::Equals { field: "configuration".into(), value: "Developer".into() }),
            ..field("developer_tools", FieldKind::Textarea)
        };
        let docking = field("docking_station", FieldKind::Checkbox);
        let desk = FormField { required_when: Some(Condition::Checked { field: "docking_station".into() }), ..field("desk", FieldKind::Text) };
        FormDefinition::parse(vec![config, tools, docking, desk]).unwrap()
    }

    #[test]
    fn a_required_field_the_rules_hide_is_not_required() {
        let answers = laptop().evaluate(&raw(&[("configuration", "Standard")])).unwrap();
        assert_eq!(answers.get("configuration"), Some(&Answer::One("Standard".into())));
        assert!(!answers.contains_key("developer_tools"));
    }

    #[test]
    fn a_visible_empty_required_field_is_an_error_on_its_key() {
        let errors = laptop().evaluate(&raw(&[("configuration", "Developer"), ("developer_tools", "  ")])).unwrap_err();
        assert_eq!(keys(&errors), ["developer_tools"]);
        assert_eq!(errors[0].message, "developer tools is required");
        let ok = laptop().evaluate(&raw(&[("configuration", "Developer"), ("developer_tools", "Docker, VS Code")])).unwrap();
        assert_eq!(ok.get("developer_tools"), Some(&Answer::One("Docker, VS Code".into())));
    }

    #[test]
    fn a_value_sent_for_a_hidden_field_is_dropped() {
        let answers = laptop().evaluate(&raw(&[("configuration", "Standard"), ("developer_tools", "rm -rf")])).unwrap();
        assert!(!answers.contains_key("developer_tools"));
    }

    #[test]
    fn defaults_count_as_values_and_are_evaluated_too() {
        let mut form = laptop();
        form.fields[0].default = Some("Developer".into());
        form = FormDefinition::parse(form.fields).unwrap();
        // Nothing sent: the default reveals (and requires) the developer field.
        assert_eq!(keys(&form.evaluate(&RawAnswers::new()).unwrap_err()), ["developer_tools"]);
        let state = form.state(&RawAnswers::new());
        assert!(state[1].visible && state[1].required);
        // A sent value wins over the default.
        assert!(form.evaluate(&raw(&[("configuration", "Standard")])).is_ok());
    }

    #[test]
    fn requirement_conditions_and_checkboxes() {
        let form = laptop();
        assert_eq!(keys(&form.evaluate(&raw(&[("docking_station", "on")])).unwrap_err()), ["desk"]);
        let ok = form.evaluate(&raw(&[("docking_station", "on"), ("desk", "3F-12")])).unwrap();
        assert_eq!(ok.get("docking_station"), Some(&Answer::Flag(true)));
        let unchecked = form.evaluate(&raw(&[("docking_station", "false")])).unwrap();
        assert_eq!(unchecked.get("docking_station"), Some(&Answer::Flag(false)));
        assert_eq!(keys(&form.evaluate(&raw(&[("docking_station", "maybe")])).unwrap_err()), ["docking_station"]);
    }

    #[test]
    fn hiding_cascades_through_later_conditions() {
        let mut fields = laptop().fields;
        fields.push(FormField { visible_when: Some(Condition::OneOf { field: "developer_tools".into(), values: vec!["Docker".into()] }), required: true, ..field("docker_licence", FieldKind::Text) });
        let form = FormDefinition::parse(fields).unwrap();
        let state = form.state(&raw(&[("configuration", "Standard"), ("developer_tools", "Docker")]));
        assert!(!state[1].visible && !state[4].visible, "the developer field is hidden, so what depends on it is too");
        assert!(form.evaluate(&raw(&[("configuration", "Standard"), ("developer_tools", "Docker")])).is_ok());
        assert_eq!(keys(&form.evaluate(&raw(&[("configuration", "Developer"), ("developer_tools", "Docker")])).unwrap_err()), ["docker_licence"]);
    }

    #[test]
    fn values_are_checked_by_their_kind() {
        let form = FormDefinition::parse(vec![
            field("seats", FieldKind::Number { min: Some(1.0), max: Some(50.0) }),
            field("start", FieldKind::Date),
            field("apps", FieldKind::MultiSelect { options: vec!["Teams".into(), "Visio".into(), "Project".into()] }),
            FormField { pattern: Some("[A-Z]{2}-[0-9]{4}".into()), ..field("cost_centre", FieldKind::Text) },
        ])
        .unwrap();
        let bad = form.evaluate(&raw(&[("seats", "80"), ("start", "next week"), ("apps", "Excel"), ("cost_centre", "fr-0042")])).unwrap_err();
        assert_eq!(keys(&bad), ["seats", "start", "apps", "cost_centre"]);
        assert_eq!(bad[0].message, "seats must be from 1 to 50");
        let ok = form.evaluate(&raw(&[("seats", "2,5"), ("start", "2027-01-04"), ("apps", "Project"), ("apps", "Teams"), ("apps", "Teams"), ("cost_centre", "FR-0042")])).unwrap();
        assert_eq!(ok["seats"], Answer::One("2.5".into()));
        assert_eq!(ok["apps"], Answer::Many(vec!["Teams".into(), "Project".into()]), "in the form's order, once each");
        assert!(form.evaluate(&raw(&[("seats", "1"), ("seats", "2")])).is_err(), "one value for a number");
        assert!(form.evaluate(&raw(&[])).unwrap().is_empty(), "nothing required, nothing kept");
    }

    #[test]
    fn definitions_are_checked() {
        let select = |key: &str, opts: &[&str]| field(key, FieldKind::Select { options: opts.iter().map(|s| s.to_string()).collect() });
        let errors = FormDefinition::parse(vec![
            select("size", &["S", "M"]),
            select("size", &[]),
            FormField { key: "Bad Key".into(), ..field("x", FieldKind::Text) },
            FormField { pattern: Some("(".into()), ..field("code", FieldKind::Text) },
            FormField { pattern: Some("a".into()), ..field("when", FieldKind::Date) },
            FormField { default: Some("XL".into()), ..select("fit", &["S", "M"]) },
            FormField { visible_when: Some(Condition::Equals { field: "size".into(), value: "L".into() }), ..field("a", FieldKind::Text) },
            FormField { visible_when: Some(Condition::Checked { field: "size".into() }), ..field("b", FieldKind::Text) },
            FormField { visible_when: Some(Condition::Checked { field: "later".into() }), ..field("c", FieldKind::Text) },
            field("later", FieldKind::Checkbox),
            field("range", FieldKind::Number { min: Some(5.0), max: Some(1.0) }),
        ])
        .unwrap_err();
        assert_eq!(
            keys(&errors),
            ["fields.1.key", "fields.1.options", "fields.2.key", "fields.3.pattern", "fields.4.pattern", "fields.5.default", "fields.6.visible_when", "fields.7.visible_when", "fields.8.visible_when", "fields.10.max"]
        );
        assert!(errors[7].message.contains("size"), "{}", errors[7].message);
        assert_eq!(errors[8].message, "'later' is not a field placed before this one");
        assert!(FormDefinition::parse((0..51).map(|i| field(&format!("f{i}"), FieldKind::Text)).collect()).is_err());
    }

    #[test]
    fn the_definition_reads_back_from_json() {
        let form = laptop();
        let json = serde_json::to_string(&form).unwrap();
        assert!(json.contains(r#""kind":{"type":"select","options":["Standard","Developer"]}"#), "{json}");
        let back: FormDefinition = serde_json::from_str(&json).unwrap();
        assert_eq!(back, form);
        let answers = form.evaluate(&raw(&[("docking_station", "on"), ("desk", "A1")])).unwrap();
        assert_eq!(serde_json::to_value(&answers).unwrap(), serde_json::json!({"configuration": "Standard", "docking_station": true, "desk": "A1"}));
    }
}
