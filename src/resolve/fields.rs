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
    what: &'a str,
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
    format!(
        "`{name}` is {} characters long, more than the {MAX_TEXT_CHARS} allowed",
        s.chars().count()
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

pub const TOO_LONG_HELP: &str =
    "shorten the text; long notes belong in a Markdown page or under `private:`";

/// "an organization", "a branch".
pub fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

impl<'a> Record<'a> {
    /// `what` names the record in messages ("organization", "branch"…).
    pub fn open(file: &'a Path, node: &'a Node, what: &'a str) -> Result<Record<'a>, Diagnostic> {
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
                format!(
                    "expected a {what} (a mapping of fields), found {}",
                    other.describe()
                ),
            )
            .help(format!("write each {what} as `- field: value` lines"))),
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
            Some((k, _)) => Diagnostic::error(k.span(self.file), format!("`{name}` has no value"))
                .help(format!(
                    "write a value after the colon, e.g. `{name}: {example}`"
                )),
            None => Diagnostic::error(
                self.span(),
                format!("{} is missing required field `{name}`", self.what),
            )
            .help(format!("add `{name}: {example}`")),
        };
        self.diags.push(d);
    }

    fn wrong(&mut self, node: &Node, name: &str, expected: &str) {
        let example = match expected {
            "a whole number" => "120",
            "a number" => "0.85",
            "`true` or `false`" => "true",
            _ => "示例",
        };
        let d = Diagnostic::error(
            node.span(self.file),
            format!(
                "`{name}` must be {expected}, found {}",
                node.value.describe()
            ),
        )
        .help(format!("write {expected}, e.g. `{name}: {example}`"));
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
                self.error(node, too_long_message(name, s), TOO_LONG_HELP);
                None
            }
            Value::Str(s) if s.chars().any(forbidden) => {
                let c = s.chars().find(|c| forbidden(*c)).unwrap_or_default();
                self.error(
                    node,
                    format!(
                        "`{name}` holds the {} U+{:04X}",
                        crate::load::char_kind(c),
                        c as u32
                    ),
                    "remove it: control characters cannot be shown, and break the SVG and XML files (they often come from copying out of a spreadsheet)",
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
                    format!(
                        "`{name}` holds the bidirectional control U+{:04X} (character {} of the text)",
                        c as u32,
                        i + 1
                    ),
                    "remove it: it makes the text around it display in another order than it is stored, so that one name can pass for another",
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
                    format!("`{name}` holds only invisible characters ({} of them)", s.chars().count()),
                    format!("write a visible value after `{name}:` or remove the field (zero-width spaces and the like often come from copying out of a web page)"),
                );
                None
            }
            Value::Str(s) if !s.trim().is_empty() => Some((s.trim().to_string(), node)),
            Value::Str(_) => {
                self.error(
                    node,
                    format!("`{name}` is empty"),
                    format!("write a value after `{name}:` or remove the field"),
                );
                None
            }
            // Numbers and booleans in a text field are almost always meant as text.
            Value::Int(i) => Some((i.to_string(), node)),
            Value::Big(s) => Some((s.clone(), node)),
            Value::Float(f) => Some((f.to_string(), node)),
            _ => {
                self.wrong(node, name, "text");
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
                self.wrong(node, name, "`true` or `false`");
                None
            }
        }
    }

    /// A whole number >= 0, at most `MAX_COUNT`.
    pub fn count(&mut self, name: &str) -> Option<u64> {
        let node = self.get(name)?;
        if self.personal_number(node, name, "a count") {
            return None;
        }
        match &node.value {
            Value::Int(i) if (0..=MAX_COUNT).contains(i) => Some(*i as u64),
            Value::Int(i) if *i < 0 => {
                self.error(
                    node,
                    format!("`{name}` cannot be negative ({i})"),
                    format!("a count is a whole number of 0 or more; fix `{name}` or remove it"),
                );
                None
            }
            Value::Int(_) | Value::Big(_) => {
                let written = written(&node.value);
                self.error(
                    node,
                    format!("`{name}` is {written}, more than the {MAX_COUNT_TEXT} a count may be"),
                    format!("check the figure: counts of people and organizations are at most {MAX_COUNT_TEXT}; fix `{name}` or remove it"),
                );
                None
            }
            Value::Float(f) if *f >= 0.0 && f.fract() == 0.0 && *f <= MAX_COUNT as f64 => {
                Some(*f as u64)
            }
            _ => {
                self.wrong(node, name, "a whole number");
                None
            }
        }
    }

    /// Whether the number `node` holds looks like a mobile or resident ID
    /// number: then it is reported, as no count or figure has 11 or 18
    /// such digits, and the export would publish it (the site's
    /// personal-number scan does not see numbers written as `138…`
    /// with thousands separators).
    fn personal_number(&mut self, node: &Node, name: &str, what: &str) -> bool {
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
        let d = Diagnostic::error(
            node.span(self.file),
            format!(
                "`{name}` holds what looks like {} `{}`, not {what}",
                found.kind.describe(),
                found.masked()
            ),
        )
        .unquoted()
        .help(format!(
            "write {what} in `{name}`; a number that must be kept belongs under `private:`"
        ));
        self.diags.push(d);
        true
    }

    pub fn integer(&mut self, name: &str) -> Option<(i64, &'a Node)> {
        let node = self.get(name)?;
        match node.value {
            Value::Int(i) => Some((i, node)),
            _ => {
                self.wrong(node, name, "a whole number");
                None
            }
        }
    }

    /// A number. Whole numbers beyond `MAX_EXACT` are refused: they would
    /// change on their way through `f64` (9007199254740993 becomes
    /// 9007199254740992).
    pub fn number(&mut self, name: &str) -> Option<(f64, &'a Node)> {
        let node = self.get(name)?;
        if self.personal_number(node, name, "a figure") {
            return None;
        }
        match &node.value {
            Value::Int(i) if i.unsigned_abs() <= MAX_EXACT => Some((*i as f64, node)),
            Value::Int(_) | Value::Big(_) => {
                let written = written(&node.value);
                self.error(
                    node,
                    format!("`{name}` is {written}, more than {MAX_EXACT_TEXT}, the largest whole number nianbao keeps exact"),
                    "check the figure; a larger one would be changed in every output (write it in a unit such as 万 or 亿 and say so in `unit`)",
                );
                None
            }
            Value::Float(f) if f.is_finite() => Some((*f, node)),
            _ => {
                self.wrong(node, name, "a number");
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
            Some(s) => format!(
                "did you mean `{s}`? `{name}` is one of: {}",
                choices.join(", ")
            ),
            None => format!("`{name}` is one of: {}", choices.join(", ")),
        };
        self.error(node, format!("unknown {name} `{text}`"), help);
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
                format!("`{name}` is not a real date: {text}"),
                "that month has no such day, or there is no such month; check the date",
            );
        } else {
            self.error(
                node,
                format!("`{name}` is not a date: {}", node.value.describe()),
                "write dates as YYYY-MM-DD, e.g. 2016-06-15",
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
            let fields = format!(
                "{} {} has the fields: {}",
                article(self.what),
                self.what,
                known.join(", ")
            );
            let help = match did_you_mean(&name, known.iter().copied()) {
                Some(s) => format!("did you mean `{s}`? {fields}"),
                None if known.contains(&"private") => {
                    format!("{fields}; keep notes that must not be published under `private:`")
                }
                None => fields,
            };
            let d = Diagnostic::error(
                k.span(self.file),
                format!("unknown field `{name}` in {}", self.what),
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
fn no_list(span: Span, list: &str, zh: &str, en: &str) -> Diagnostic {
    Diagnostic::error(span, format!("{zh} / {en}")).help(format!(
        "在文件里写上 `{list}:` 和其下的列表；确实一条也没有时写 `{list}: []` / write `{list}:` followed by its list; if there is truly none, write `{list}: []`"
    ))
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
                &format!("文件是空的，没有 `{list}:`"),
                &format!("the file is empty: it has no `{list}:`"),
            ));
        } else {
            diags.push(
                Diagnostic::error(
                    root.span(file),
                    format!(
                        "expected a mapping with `{list}:`, found {}",
                        root.value.describe()
                    ),
                )
                .help(format!("start the file with `{list}:` followed by a list")),
            );
        }
        return Vec::new();
    };
    let mut items = Vec::new();
    if !entries.iter().any(|(k, _)| k.as_str() == Some(list)) {
        diags.push(no_list(
            root.span(file),
            list,
            &format!("文件里没有 `{list}:`"),
            &format!("the file has no `{list}:`"),
        ));
    }
    for (k, v) in entries {
        match k.as_str() {
            Some(name) if name == list => match &v.value {
                Value::Seq(seq) => items.extend(seq.iter()),
                Value::Null => diags.push(no_list(
                    k.span(file),
                    list,
                    &format!("`{list}:` 没有值"),
                    &format!("`{list}` has no value"),
                )),
                other => diags.push(
                    Diagnostic::error(
                        v.span(file),
                        format!("`{list}` must be a list, found {}", other.describe()),
                    )
                    .help(format!("write each entry as `- id: …` under `{list}:`")),
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
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("this file has only: {}", allowed.join(", ")),
                };
                diags.push(
                    Diagnostic::error(k.span(file), format!("unknown field `{name}`")).help(help),
                );
            }
        }
    }
    items
}
