//! Forms described in Rust and drawn by one template (`form_fields.html`), so every field has
//! its label, its hint, its error next to it (linked by `aria-describedby`) and its old value
//! after a failed submit.

use crate::i18n::Lang;
use std::collections::HashMap;
use stedenband_domain::ValidationErrors;

/// One control of a form.
#[derive(Debug, Clone)]
pub struct Field {
    pub name: &'static str,
    pub label: String,
    pub hint: Option<String>,
    pub value: String,
    pub error: Option<String>,
    pub required: bool,
    /// "text", "textarea", "select", "checkbox", "radios" (one of several) or "checkboxes"
    /// (any of several; the chosen values one per line in `value`).
    pub control: &'static str,
    /// The `type` of a text input ("text", "number", "date", ...).
    pub input_type: &'static str,
    pub options: Vec<(String, String)>,
    /// A `<datalist>` id to suggest values from.
    pub list: Option<&'static str>,
    pub autocomplete: &'static str,
}

impl Field {
    pub fn is_checked(&self) -> bool {
        matches!(self.value.as_str(), "on" | "true" | "1")
    }

    pub fn is_selected(&self, code: &str) -> bool {
        self.value == code
    }

    /// Whether `code` is among the chosen values of a group of checkboxes.
    pub fn is_chosen(&self, code: &str) -> bool {
        self.value.lines().any(|v| v == code)
    }

    pub fn described_by(&self) -> String {
        let mut ids = Vec::new();
        if self.hint.is_some() {
            ids.push(format!("h-{}", self.name));
        }
        if self.error.is_some() {
            ids.push(format!("e-{}", self.name));
        }
        ids.join(" ")
    }
}

/// Builds the fields of a form from submitted (or stored) values and the errors of a failed
/// submit, translating labels, hints and errors.
pub struct FormBuilder<'a> {
    lang: Lang,
    values: &'a HashMap<String, String>,
    errors: HashMap<&'static str, String>,
    fields: Vec<Field>,
}

impl<'a> FormBuilder<'a> {
    pub fn new(
        lang: Lang,
        values: &'a HashMap<String, String>,
        errors: Option<&ValidationErrors>,
    ) -> Self {
        let mut map = HashMap::new();
        for e in errors.map(|e| e.0.as_slice()).unwrap_or_default() {
            map.entry(e.field).or_insert_with(|| lang.t(e.key));
        }
        Self {
            lang,
            values,
            errors: map,
            fields: Vec::new(),
        }
    }

    fn base(&self, name: &'static str, label_key: &str, control: &'static str) -> Field {
        let hint_key = format!("{label_key}-hint");
        Field {
            name,
            label: self.lang.t(label_key),
            hint: self.lang.has(&hint_key).then(|| self.lang.t(&hint_key)),
            value: self.values.get(name).cloned().unwrap_or_default(),
            error: self.errors.get(name).cloned(),
            required: false,
            control,
            input_type: "text",
            options: Vec::new(),
            list: None,
            autocomplete: "off",
        }
    }

    pub fn text(mut self, name: &'static str, label_key: &str, required: bool) -> Self {
        let mut f = self.base(name, label_key, "text");
        f.required = required;
        self.fields.push(f);
        self
    }

    pub fn text_with(
        mut self,
        name: &'static str,
        label_key: &str,
        required: bool,
        adjust: impl FnOnce(&mut Field),
    ) -> Self {
        let mut f = self.base(name, label_key, "text");
        f.required = required;
        adjust(&mut f);
        self.fields.push(f);
        self
    }

    pub fn textarea(mut self, name: &'static str, label_key: &str, required: bool) -> Self {
        let mut f = self.base(name, label_key, "textarea");
        f.required = required;
        self.fields.push(f);
        self
    }

    /// A select whose options are `prefix-code` translation keys; `blank` adds an empty first
    /// option with that label key.
    pub fn select(
        mut self,
        name: &'static str,
        label_key: &str,
        prefix: &str,
        codes: &[&str],
        blank: Option<&str>,
    ) -> Self {
        let mut f = self.base(name, label_key, "select");
        f.required = blank.is_none();
        if let Some(b) = blank {
            f.options.push((String::new(), self.lang.t(b)));
        }
        f.options.extend(
            codes
                .iter()
                .map(|c| ((*c).to_owned(), self.lang.choice(prefix, c))),
        );
        self.fields.push(f);
        self
    }

    pub fn select_options(
        mut self,
        name: &'static str,
        label_key: &str,
        options: Vec<(String, String)>,
    ) -> Self {
        let mut f = self.base(name, label_key, "select");
        f.required = true;
        f.options = options;
        self.fields.push(f);
        self
    }

    /// Radio buttons whose labels are `prefix-code` translation keys: one must be chosen.
    pub fn radios(
        mut self,
        name: &'static str,
        label_key: &str,
        prefix: &str,
        codes: &[&str],
    ) -> Self {
        let mut f = self.base(name, label_key, "radios");
        f.required = true;
        f.options = codes
            .iter()
            .map(|c| ((*c).to_owned(), self.lang.choice(prefix, c)))
            .collect();
        self.fields.push(f);
        self
    }

    /// A group of checkboxes (value, label); the submitted values are one per line under
    /// `name` in the values.
    pub fn checkboxes(
        mut self,
        name: &'static str,
        label_key: &str,
        options: Vec<(String, String)>,
        required: bool,
    ) -> Self {
        let mut f = self.base(name, label_key, "checkboxes");
        f.required = required;
        f.options = options;
        self.fields.push(f);
        self
    }

    pub fn checkbox(mut self, name: &'static str, label_key: &str) -> Self {
        let f = self.base(name, label_key, "checkbox");
        self.fields.push(f);
        self
    }

    /// Sets a field's error to a text of its own (a refusal that cites a decision, say), in
    /// place of any error it had; for a field not (yet) on the form it is shown above it, as
    /// every error that belongs to no field.
    pub fn error_text(mut self, name: &'static str, text: String) -> Self {
        for f in self.fields.iter_mut().filter(|f| f.name == name) {
            f.error = Some(text.clone());
        }
        self.errors.insert(name, text);
        self
    }

    /// The fields, plus the errors that belong to no field of this form (shown above it).
    pub fn build(self) -> FormFields {
        let names: Vec<_> = self.fields.iter().map(|f| f.name).collect();
        let mut other: Vec<String> = self
            .errors
            .iter()
            .filter(|(k, _)| !names.contains(k))
            .map(|(_, v)| v.clone())
            .collect();
        other.sort();
        FormFields {
            list: self.fields,
            other_errors: other,
        }
    }
}

/// A built form: its fields and the errors that concern no single field.
#[derive(Debug, Clone)]
pub struct FormFields {
    pub list: Vec<Field>,
    pub other_errors: Vec<String>,
}

impl FormFields {
    pub fn has_errors(&self) -> bool {
        !self.other_errors.is_empty() || self.list.iter().any(|f| f.error.is_some())
    }
}

/// Submitted form data as a map (repeated names keep the last value).
pub fn values(pairs: Vec<(String, String)>) -> HashMap<String, String> {
    pairs.into_iter().collect()
}

/// The value of a field, absent when blank.
pub fn get(values: &HashMap<String, String>, name: &str) -> Option<String> {
    values
        .get(name)
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}
