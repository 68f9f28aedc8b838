//! Themes: the default theme is embedded in the binary, so a site without a
//! `themes/` folder still builds; a site's `themes/<name>/` overrides it file
//! by file (templates, static files) and key by key (i18n strings).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, Span};
use crate::load::{yaml, Value};
use crate::model::{Language, SiteConfig};

macro_rules! embedded {
    ($($path:literal),+ $(,)?) => {
        &[$(($path, include_bytes!(concat!("../../themes/default/", $path)))),+]
    };
}

pub const DEFAULT_FILES: &[(&str, &[u8])] = embedded![
    "templates/base.html",
    "templates/index.html",
    "templates/page.html",
    "templates/organizations.html",
    "templates/organization.html",
    "templates/branches.html",
    "templates/branch.html",
    "templates/breakdown.html",
    "templates/breakdown_table.html",
    "templates/pagination.html",
    "templates/data_quality.html",
    "templates/chart.html",
    "templates/charts.html",
    "templates/briefing.html",
    "templates/years.html",
    "templates/search.html",
    "templates/archives.html",
    "static/style.css",
    "static/print.css",
    "static/search.js",
    "static/filter.js",
    "i18n/zh-CN.yaml",
    "i18n/en.yaml",
];

pub struct Theme {
    /// Template name (file name under templates/) → source.
    pub templates: BTreeMap<String, String>,
    /// Path under static/ → bytes.
    pub static_files: crate::layout::Files,
    pub strings: BTreeMap<String, String>,
    /// Fonts of the site's theme (`fonts/*.ttf|otf`), tried before the pinned one.
    pub fonts: Vec<Vec<u8>>,
    /// Where each template came from, for error messages.
    pub origins: BTreeMap<String, PathBuf>,
}

/// Reads the theme of `config` over the embedded default.
pub fn load(content_dir: &Path, config: &SiteConfig, out: &mut Vec<Diagnostic>) -> Theme {
    let mut files: BTreeMap<String, (PathBuf, Vec<u8>)> = DEFAULT_FILES
        .iter()
        .map(|(p, b)| {
            (
                p.to_string(),
                (PathBuf::from("(built-in theme)").join(p), b.to_vec()),
            )
        })
        .collect();
    let mut i18n_layers = vec![files.get(&i18n_name(config.language)).cloned()];
    let dir = themes_dir(content_dir).join(&config.theme);
    if dir.is_dir() {
        for entry in WalkDir::new(&dir)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
        {
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
            let rel = rel.to_string_lossy().replace('\\', "/");
            match std::fs::read(entry.path()) {
                Ok(bytes) => {
                    if rel == i18n_name(config.language) {
                        i18n_layers.push(Some((entry.path().to_path_buf(), bytes.clone())));
                    }
                    files.insert(rel, (entry.path().to_path_buf(), bytes));
                }
                Err(e) => out.push(Diagnostic::error(
                    Span::file(entry.path()),
                    crate::msg!("theme.cannot_read", reason = crate::load::io_reason(&e)),
                )),
            }
        }
    } else if config.theme != "default" {
        out.push(
            Diagnostic::error(
                Span::file(content_dir.join("site.yaml")),
                crate::msg!("theme.not_found", theme = config.theme, dir = dir.display()),
            )
            .help(crate::msg!("theme.not_found.help")),
        );
    }
    let mut theme = Theme {
        templates: BTreeMap::new(),
        static_files: BTreeMap::new(),
        strings: BTreeMap::new(),
        fonts: Vec::new(),
        origins: BTreeMap::new(),
    };
    for (rel, (origin, bytes)) in files {
        if let Some(name) = rel.strip_prefix("templates/") {
            match String::from_utf8(bytes) {
                Ok(s) => {
                    theme.templates.insert(name.to_string(), s);
                    theme.origins.insert(name.to_string(), origin);
                }
                Err(_) => out.push(Diagnostic::error(
                    Span::file(&origin),
                    crate::msg!("theme.template_not_utf8"),
                )),
            }
        } else if let Some(name) = rel.strip_prefix("static/") {
            theme.static_files.insert(PathBuf::from(name), bytes.into());
        } else if let Some(name) = rel.strip_prefix("fonts/") {
            // The pinned font is embedded already; a theme's own fonts come first.
            if (name.ends_with(".ttf") || name.ends_with(".otf"))
                && !name.starts_with("DroidSansFallback")
                && name != "DejaVuSans.ttf"
            {
                theme.fonts.push(bytes);
            }
        }
    }
    // Built-in strings first, then the theme's, then the site's own labels.
    for (origin, bytes) in i18n_layers.into_iter().flatten() {
        read_strings(&origin, &bytes, &mut theme.strings, out);
    }
    for (k, v) in &config.labels {
        theme.strings.insert(k.clone(), v.clone());
    }
    theme
}

pub fn themes_dir(content_dir: &Path) -> PathBuf {
    match content_dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.join("themes"),
        _ => PathBuf::from("themes"),
    }
}

pub fn i18n_name(language: Language) -> String {
    format!("i18n/{}.yaml", language.as_str())
}

/// Reads a flat `key: text` file into `into`.
pub fn read_strings(
    origin: &Path,
    bytes: &[u8],
    into: &mut BTreeMap<String, String>,
    out: &mut Vec<Diagnostic>,
) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        out.push(Diagnostic::error(
            Span::file(origin),
            crate::msg!("theme.i18n_not_utf8"),
        ));
        return;
    };
    let root = match yaml::parse(origin, text, 0) {
        Ok(r) => r,
        Err(d) => {
            out.push(d);
            return;
        }
    };
    let Value::Map(entries) = root.value else {
        out.push(Diagnostic::error(
            Span::file(origin),
            crate::msg!("theme.i18n_not_mapping"),
        ));
        return;
    };
    for (k, v) in entries {
        let text = match &v.value {
            Value::Str(s) | Value::Big(s) => s.clone(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => f.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => {
                out.push(
                    Diagnostic::error(v.span(origin), crate::msg!("theme.i18n_value"))
                        .help(crate::msg!("theme.i18n_value.help")),
                );
                continue;
            }
        };
        if let Some(k) = k.as_str() {
            into.insert(k.to_string(), text);
        }
    }
}

impl Theme {
    /// The file of the template named in a template error message.
    pub fn origin_in(&self, message: &str) -> PathBuf {
        self.origins
            .iter()
            .find(|(name, _)| message.contains(name.as_str()))
            .map(|(_, p)| p.clone())
            .unwrap_or_else(|| PathBuf::from("themes"))
    }
}
