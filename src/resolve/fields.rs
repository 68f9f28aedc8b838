//! Reading one YAML mapping as a typed record, field by field.
//!
//! Each accessor reports its own problem (wrong type, missing, out of range)
//! and returns `None`, so a record with three bad fields yields three
//! diagnostics. `finish` reports the fields nobody asked for.

use std::path::Path;

use crate::diagnostics::{did_you_mean, Diagnostic, Span};
use crate::load::{Node, Value};
use crate::model::Date;

pub struct Record<'a> {
    file: &'a Path,
    node: &'a Node,
    what: What,
    entries: &'a [(Node, Node)],
    used: Vec<bool>,
    pub diags: Vec<Diagnostic>,
}

/// The most characters of one text value (a name, a title, a label): each
/// is printed on many pages, so one huge value would multiply.
pub const MAX_TEXT_CHARS: usize = 2_000;

pub fn too_long(s: &str) -> bool {
    s.len() > MAX_TEXT_CHARS && s.chars().count() > MAX_TEXT_CHARS
}

pub fn too_long_message(name: &str, s: &str) -> String {
    crate::msg!(
        "field.too_long",
        name = name,
        n = s.chars().count(),
        max = MAX_TEXT_CHARS
    )
}

/// Characters a text value may not hold: control characters (XML allows
/// none but tab and line breaks, and terminals act on them) and the
/// non-characters U+FFFE and U+FFFF.
pub fn forbidden(c: char) -> bool {
    crate::load::forbidden(c)
}

/// The largest count (employees, party members…) read: the sums of a
/// whole register of them stay exact in `f64` (2,500,000 × 10^9 < 2^53).
pub const MAX_COUNT: i64 = 1_000_000_000;
const MAX_COUNT_TEXT: &str = "1000000000";

/// The largest whole number a figure may be: 2^53 − 1, beyond which `f64`
/// cannot hold every whole number.
pub const MAX_EXACT: u64 = (1 << 53) - 1;
const MAX_EXACT_TEXT: &str = "9007199254740991";

/// A whole number as the file writes it.
fn written(v: &Value) -> String {
    match v {
        Value::Int(i) => i.to_string(),
        Value::Big(s) => s.clone(),
        other => other.describe(),
    }
}

/// The bidirectional embeddings, overrides and isolates (U+202A-U+202E,
/// U+2066-U+2069): they reorder how the text around them is shown.
pub fn bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

pub fn too_long_help() -> String {
    crate::msg!("field.too_long.help")
}

/// What a record is, as messages name it ("organization", "branch"…).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    Organization,
    Branch,
    Metric,
    SiteConfig,
    PageFrontMatter,
    RollupMember,
}

impl What {
    /// The word alone: "organization".
    pub fn word(self) -> String {
        use crate::msg;
        match self {
            What::Organization => msg!("word.organization"),
            What::Branch => msg!("word.branch"),
            What::Metric => msg!("word.metric"),
            What::SiteConfig => msg!("word.site_config"),
            What::PageFrontMatter => msg!("word.page_front_matter"),
            What::RollupMember => msg!("word.rollup_member"),
        }
    }

    /// The word as a sentence begins with it: "an organization".
    pub fn with_article(self) -> String {
        use crate::msg;
        match self {
            What::Organization => msg!("word.an_organization"),
            What::Branch => msg!("word.a_branch"),
            What::Metric => msg!("word.a_metric"),
            What::SiteConfig => msg!("word.a_site_config"),
            What::PageFrontMatter => msg!("word.a_page_front_matter"),
            What::RollupMember => msg!("word.a_rollup_member"),
        }
    }
}

/// What a field should hold, as a wrong value is reported.
#[derive(Debug, Clone, Copy)]
enum Expect {
    Whole,
    Number,
    Bool,
    Text,
}

impl Expect {
    fn words(self) -> String {
        use crate::msg;
        match self {
            Expect::Whole => msg!("word.a_whole_number"),
            Expect::Number => msg!("word.a_number"),
            Expect::Bool => msg!("word.true_or_false"),
            Expect::Text => msg!("word.text"),
        }
    }

    fn example(self) -> &'static str {
        match self {
            Expect::Whole => "120",
            Expect::Number => "0.85",
            Expect::Bool => "true",
            Expect::Text => "示例",
        }
    }
}

impl<'a> Record<'a> {
    /// `what` names the record in messages ("organization", "branch"…).
    pub fn open(file: &'a Path, node: &'a Node, what: What) -> Result<Record<'a>, Diagnostic> {
        match &node.value {
            Value::Map(entries) => Ok(Record {
                file,
                node,
                what,
                entries,
                used: vec![false; entries.len()],
                diags: Vec::new(),
            }),
            other => Err(Diagnostic::error(
                node.span(file),
                crate::msg!(
                    "field.record_not_mapping",
                    what = what.word(),
                    found = other.describe()
                ),
            )
            .help(crate::msg!(
                "field.record_not_mapping.help",
                what = what.word()
            ))),
        }
    }

    pub fn span(&self) -> Span {
        self.node.span(self.file)
    }

    /// The value node of `name`, marking the field as known.
    pub fn get(&mut self, name: &str) -> Option<&'a Node> {
        let entries = self.entries;
        let i = entries.iter().position(|(k, _)| k.as_str() == Some(name))?;
        self.used[i] = true;
        let v = &entries[i].1;
        (v.value != Value::Null).then_some(v)
    }

    /// Marks a field as allowed without reading it (e.g. `private`).
    pub fn skip(&mut self, name: &str) {
        let _ = self.get(name);
    }

    fn missing(&mut self, name: &str, example: &str) {
        let entries = self.entries;
        // A key written without a value is empty, not missing.
        let d = match entries.iter().find(|(k, _)| k.as_str() == Some(name)) {
            Some((k, _)) => Diagnostic::error(
                k.span(self.file),
                crate::msg!("field.no_value", name = name),
            )
            .help(crate::msg!(
                "field.no_value.help",
                name = name,
                example = example
            )),
            None => Diagnostic::error(
                self.span(),
                crate::msg!("field.missing", what = self.what.word(), name = name),
            )
            .help(crate::msg!(
                "field.missing.help",
                name = name,
                example = example
            )),
        };
        self.diags.push(d);
    }

    fn wrong(&mut self, node: &Node, name: &str, expected: Expect) {
        let d = Diagnostic::error(
            node.span(self.file),
            crate::msg!(
                "field.wrong_type",
                name = name,
                expected = expected.words(),
                found = node.value.describe()
            ),
        )
        .help(crate::msg!(
            "field.wrong_type.help",
            name = name,
            expected = expected.words(),
            example = expected.example()
        ));
        self.diags.push(d);
    }

    pub fn error(&mut self, node: &Node, message: impl Into<String>, help: impl Into<String>) {
        let d = Diagnostic::error(node.span(self.file), message).help(help);
        self.diags.push(d);
    }

    pub fn string(&mut self, name: &str) -> Option<(String, &'a Node)> {
        let node = self.get(name)?;
        match &node.value {
            Value::Str(s) if too_long(s) => {
                self.error(node, too_long_message(name, s), too_long_help());
                None
            }
            Value::Str(s) if s.chars().any(forbidden) => {
                let c = s.chars().find(|c| forbidden(*c)).unwrap_or_default();
                self.error(
                    node,
                    crate::msg!(
                        "field.forbidden_char",
                        name = name,
                        kind = crate::load::char_kind(c),
                        code = format_args!("U+{:04X}", c as u32)
                    ),
                    crate::msg!("field.forbidden_char.help"),
                );
                None
            }
            Value::Str(s) if s.chars().any(bidi_control) => {
                let (i, c) = s
                    .chars()
                    .enumerate()
                    .find(|(_, c)| bidi_control(*c))
                    .unwrap_or_default();
                self.error(
                    node,
                    crate::msg!(
                        "field.bidi",
                        name = name,
                        code = format_args!("U+{:04X}", c as u32),
                        at = i + 1
                    ),
                    crate::msg!("field.bidi.help"),
                );
                None
            }
            Value::Str(s)
                if !s.is_empty()
                    && s.chars()
                        .all(|c| c.is_whitespace() || crate::scan::invisible(c)) =>
            {
                self.error(
                    node,
                    crate::msg!("field.invisible", name = name, n = s.chars().count()),
                    crate::msg!("field.invisible.help", name = name),
                );
                None
            }
            Value::Str(s) if !s.trim().is_empty() => Some((s.trim().to_string(), node)),
            Value::Str(_) => {
                self.error(
                    node,
                    crate::msg!("field.empty", name = name),
                    crate::msg!("field.empty.help", name = name),
                );
                None
            }
            // Numbers and booleans in a text field are almost always meant as text.
            Value::Int(i) => Some((i.to_string(), node)),
            Value::Big(s) => Some((s.clone(), node)),
            Value::Float(f) => Some((f.to_string(), node)),
            _ => {
                self.wrong(node, name, Expect::Text);
                None
            }
        }
    }

    pub fn required_string(&mut self, name: &str, example: &str) -> Option<(String, &'a Node)> {
        if self.get(name).is_none() {
            self.missing(name, example);
            return None;
        }
        self.string(name)
    }

    pub fn bool(&mut self, name: &str) -> Option<bool> {
        let node = self.get(name)?;
        match node.value {
            Value::Bool(b) => Some(b),
            _ => {
                self.wrong(node, name, Expect::Bool);
                None
            }
        }
    }

    /// A whole number >= 0, at most `MAX_COUNT`.
    pub fn count(&mut self, name: &str) -> Option<u64> {
        let node = self.get(name)?;
        if self.personal_number(node, name, Expect::Whole) {
            return None;
        }
        match &node.value {
            Value::Int(i) if (0..=MAX_COUNT).contains(i) => Some(*i as u64),
            Value::Int(i) if *i < 0 => {
                self.error(
                    node,
                    crate::msg!("field.negative", name = name, value = i),
                    crate::msg!("field.negative.help", name = name),
                );
                None
            }
            Value::Int(_) | Value::Big(_) => {
                let written = written(&node.value);
                self.error(
                    node,
                    crate::msg!(
                        "field.count_too_large",
                        name = name,
                        value = written,
                        max = MAX_COUNT_TEXT
                    ),
                    crate::msg!(
                        "field.count_too_large.help",
                        name = name,
                        max = MAX_COUNT_TEXT
                    ),
                );
                None
            }
            Value::Float(f) if *f >= 0.0 && f.fract() == 0.0 && *f <= MAX_COUNT as f64 => {
                Some(*f as u64)
            }
            _ => {
                self.wrong(node, name, Expect::Whole);
                None
            }
        }
    }

    /// Whether the number `node` holds looks like a mobile or resident ID
    /// number: then it is reported, as no count or figure has 11 or 18
    /// such digits, and the export would publish it (the site's
    /// personal-number scan does not see numbers written as `138…`
    /// with thousands separators).
    fn personal_number(&mut self, node: &Node, name: &str, expect: Expect) -> bool {
        let digits = match &node.value {
            Value::Int(i) => i.to_string(),
            Value::Big(s) => s.clone(),
            Value::Float(f) if f.fract() == 0.0 && (0.0..1e19).contains(f) => {
                (*f as u64).to_string()
            }
            _ => return false,
        };
        let Some(found) = crate::scan::scan_text(&digits).into_iter().next() else {
            return false;
        };
        let what = match expect {
            Expect::Whole => crate::msg!("word.a_count"),
            _ => crate::msg!("word.a_figure"),
        };
        let d = Diagnostic::error(
            node.span(self.file),
            crate::msg!(
                "field.personal_number",
                name = name,
                kind = found.kind.describe(),
                masked = found.masked(),
                what = what
            ),
        )
        .unquoted()
        .help(crate::msg!(
            "field.personal_number.help",
            name = name,
            what = what
        ));
        self.diags.push(d);
        true
    }

    pub fn integer(&mut self, name: &str) -> Option<(i64, &'a Node)> {
        let node = self.get(name)?;
        match node.value {
            Value::Int(i) => Some((i, node)),
            _ => {
                self.wrong(node, name, Expect::Whole);
                None
            }
        }
    }

    /// A number. Whole numbers beyond `MAX_EXACT` are refused: they would
    /// change on their way through `f64` (9007199254740993 becomes
    /// 9007199254740992).
    pub fn number(&mut self, name: &str) -> Option<(f64, &'a Node)> {
        let node = self.get(name)?;
        if self.personal_number(node, name, Expect::Number) {
            return None;
        }
        match &node.value {
            Value::Int(i) if i.unsigned_abs() <= MAX_EXACT => Some((*i as f64, node)),
            Value::Int(_) | Value::Big(_) => {
                let written = written(&node.value);
                self.error(
                    node,
                    crate::msg!(
                        "field.number_too_large",
                        name = name,
                        value = written,
                        max = MAX_EXACT_TEXT
                    ),
                    crate::msg!("field.number_too_large.help"),
                );
                None
            }
            Value::Float(f) if f.is_finite() => Some((*f, node)),
            _ => {
                self.wrong(node, name, Expect::Number);
                None
            }
        }
    }

    /// One of `choices`, with a "did you mean" for near misses.
    pub fn keyword<T: Copy>(
        &mut self,
        name: &str,
        parse: fn(&str) -> Option<T>,
        choices: &[&str],
    ) -> Option<T> {
        let (text, node) = self.string(name)?;
        if let Some(v) = parse(&text) {
            return Some(v);
        }
        let help = match did_you_mean(&text, choices.iter().copied()) {
            Some(s) => crate::msg!(
                "field.one_of.did_you_mean",
                guess = s,
                name = name,
                choices = choices.join(", ")
            ),
            None => crate::msg!("field.one_of", name = name, choices = choices.join(", ")),
        };
        self.error(
            node,
            crate::msg!("field.unknown_keyword", name = name, text = text),
            help,
        );
        None
    }

    pub fn date(&mut self, name: &str) -> Option<(Date, &'a Node)> {
        let node = self.get(name)?;
        let text = match &node.value {
            Value::Str(s) => s.clone(),
            _ => String::new(),
        };
        if let Some(d) = Date::parse(&text) {
            return Some((d, node));
        }
        let shaped = text.len() == 10
            && text.chars().enumerate().all(|(i, c)| {
                if i == 4 || i == 7 {
                    c == '-'
                } else {
                    c.is_ascii_digit()
                }
            });
        if shaped {
            self.error(
                node,
                crate::msg!("field.not_real_date", name = name, text = text),
                crate::msg!("field.not_real_date.help"),
            );
        } else {
            self.error(
                node,
                crate::msg!("field.not_date", name = name, found = node.value.describe()),
                crate::msg!("field.not_date.help"),
            );
        }
        None
    }

    /// Reports every field not read, with the closest known field name.
    pub fn finish(mut self, known: &[&str]) -> Vec<Diagnostic> {
        for (i, (k, _)) in self.entries.iter().enumerate() {
            if self.used[i] {
                continue;
            }
            let name = match &k.value {
                Value::Str(s) => s.clone(),
                other => other.describe(),
            };
            let what = self.what.with_article();
            let fields = known.join(", ");
            let help = match did_you_mean(&name, known.iter().copied()) {
                Some(s) => crate::msg!(
                    "field.has_fields.did_you_mean",
                    guess = s,
                    what = what,
                    fields = fields
                ),
                None if known.contains(&"private") => {
                    crate::msg!("field.has_fields.private", what = what, fields = fields)
                }
                None => crate::msg!("field.has_fields", what = what, fields = fields),
            };
            let d = Diagnostic::error(
                k.span(self.file),
                crate::msg!("field.unknown", name = name, what = self.what.word()),
            )
            .help(help);
            self.diags.push(d);
        }
        self.diags
    }
}

/// A register or metrics file without its list: empty, only comments,
/// `organizations: ~` or no `organizations:` at all. It is an error, not a
/// year with nothing in it, so that a file emptied by mistake never
/// replaces the last good site with one of zero organizations.
fn no_list(span: Span, list: &str, message: String) -> Diagnostic {
    Diagnostic::error(span, message).help(crate::msg!("list.missing.help", list = list))
}

/// The items of a top-level list field such as `organizations:`.
pub fn top_level_list<'a>(
    file: &'a Path,
    root: &'a Node,
    list: &str,
    extra: &[&str],
    diags: &mut Vec<Diagnostic>,
) -> Vec<&'a Node> {
    let Value::Map(entries) = &root.value else {
        if root.value == Value::Null {
            diags.push(no_list(
                Span::new(file, 1, 1),
                list,
                crate::msg!("list.empty_file", list = list),
            ));
        } else {
            diags.push(
                Diagnostic::error(
                    root.span(file),
                    crate::msg!(
                        "list.not_mapping",
                        list = list,
                        found = root.value.describe()
                    ),
                )
                .help(crate::msg!("list.not_mapping.help", list = list)),
            );
        }
        return Vec::new();
    };
    let mut items = Vec::new();
    if !entries.iter().any(|(k, _)| k.as_str() == Some(list)) {
        diags.push(no_list(
            root.span(file),
            list,
            crate::msg!("list.absent", list = list),
        ));
    }
    for (k, v) in entries {
        match k.as_str() {
            Some(name) if name == list => match &v.value {
                Value::Seq(seq) => items.extend(seq.iter()),
                Value::Null => diags.push(no_list(
                    k.span(file),
                    list,
                    crate::msg!("list.no_value", list = list),
                )),
                other => diags.push(
                    Diagnostic::error(
                        v.span(file),
                        crate::msg!("list.not_list", list = list, found = other.describe()),
                    )
                    .help(crate::msg!("list.not_list.help", list = list)),
                ),
            },
            Some(name) if extra.contains(&name) => {}
            _ => {
                let name = k
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| k.value.describe());
                let mut allowed = vec![list];
                allowed.extend_from_slice(extra);
                let help = match did_you_mean(&name, allowed.iter().copied()) {
                    Some(s) => crate::msg!("diag.did_you_mean", guess = s),
                    None => crate::msg!("list.file_has_only", fields = allowed.join(", ")),
                };
                diags.push(
                    Diagnostic::error(k.span(file), crate::msg!("list.unknown_field", name = name))
                        .help(help),
                );
            }
        }
    }
    items
}
