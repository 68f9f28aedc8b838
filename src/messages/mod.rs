//! The words the command line says to its user, in Chinese and English.
//!
//! Every message lives in two catalogues, `zh-CN/*.yaml` and `en/*.yaml`,
//! under one key, with `{name}` where a value goes; code asks for a key with
//! [`msg!`](crate::msg) and never spells a sentence itself. The language is
//! chosen once per run (see [`choose`]) before anything is printed, so the
//! stages that make diagnostics need not carry it.

use std::collections::HashMap;
use std::fmt::Display;
use std::path::Path;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::OnceLock;

#[cfg(test)]
mod tests;

/// The language messages are printed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    /// Reads `zh-CN`, `zh`, `zh_CN.UTF-8`, `en`, `en_US`… (what `--lang`,
    /// `NIANBAO_LANG` and the locale variables hold).
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        if s.starts_with("zh") {
            Some(Lang::Zh)
        } else if s.starts_with("en") || s == "c" || s.starts_with("c.") || s == "posix" {
            Some(Lang::En)
        } else {
            None
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }
}

// 0 = not chosen yet (English until then), 1 = Chinese, 2 = English; a
// choice made by `--lang` or the environment is marked by adding 8 so a
// site's language does not override it.
static LANG: AtomicU8 = AtomicU8::new(0);
const FIXED: u8 = 8;

fn code(lang: Lang) -> u8 {
    match lang {
        Lang::Zh => 1,
        Lang::En => 2,
    }
}

/// The language of this run.
pub fn lang() -> Lang {
    match LANG.load(Ordering::Relaxed) & !FIXED {
        1 => Lang::Zh,
        _ => Lang::En,
    }
}

/// Sets the language for the rest of the run (tests and library callers).
pub fn set(lang: Lang) {
    LANG.store(code(lang) | FIXED, Ordering::Relaxed);
}

/// Chooses the language before anything is printed: `--lang` first, then
/// `NIANBAO_LANG`, then a Chinese locale (`LC_ALL`, `LC_MESSAGES`, `LANG`).
/// When none of them decides, the site's language decides later
/// ([`from_site`]); English until then. Returns an unknown `--lang` value
/// as an error so the caller can say what is accepted.
pub fn choose(flag: Option<&str>) -> Result<Lang, String> {
    if let Some(f) = flag {
        let lang = Lang::parse(f).ok_or_else(|| f.to_string())?;
        set(lang);
        return Ok(lang);
    }
    if let Some(lang) = std::env::var("NIANBAO_LANG")
        .ok()
        .and_then(|v| Lang::parse(&v))
    {
        set(lang);
        return Ok(lang);
    }
    // The first locale variable that is set decides, as for every program.
    for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        if let Ok(v) = std::env::var(var) {
            if v.is_empty() {
                continue;
            }
            if Lang::parse(&v) == Some(Lang::Zh) {
                set(Lang::Zh);
                return Ok(Lang::Zh);
            }
            break;
        }
    }
    LANG.store(code(Lang::En), Ordering::Relaxed);
    Ok(Lang::En)
}

/// Lets the site's `language:` decide when neither `--lang`, `NIANBAO_LANG`
/// nor a Chinese locale did: a zh-CN site speaks Chinese to its editors.
/// Reads only the top-level `language:` line of `site.yaml`, so a broken
/// file still gets its diagnostics in the site's language.
pub fn from_site(content: &Path) {
    if LANG.load(Ordering::Relaxed) & FIXED != 0 {
        return;
    }
    let Ok(text) = std::fs::read_to_string(content.join("site.yaml")) else {
        return;
    };
    let language = text.lines().find_map(|l| {
        let v = l.strip_prefix("language:")?;
        let v = v.split('#').next()?.trim().trim_matches(['"', '\'']);
        Lang::parse(v)
    });
    if let Some(lang) = language {
        LANG.store(code(lang), Ordering::Relaxed);
    }
}

type Catalogue = HashMap<String, String>;

/// The catalogues, one file per part of the program, so that each part's
/// messages can be read (and changed) in one place.
const ZH: &[(&str, &str)] = &[
    ("core", include_str!("zh-CN/core.yaml")),
    ("cli", include_str!("zh-CN/cli.yaml")),
    ("commands", include_str!("zh-CN/commands.yaml")),
    ("import", include_str!("zh-CN/import.yaml")),
    ("office", include_str!("zh-CN/office.yaml")),
];
const EN: &[(&str, &str)] = &[
    ("core", include_str!("en/core.yaml")),
    ("cli", include_str!("en/cli.yaml")),
    ("commands", include_str!("en/commands.yaml")),
    ("import", include_str!("en/import.yaml")),
    ("office", include_str!("en/office.yaml")),
];

/// One language's files as one map. A key in two files is a mistake the
/// catalogue test names; here the later file wins.
fn parse(files: &[(&str, &str)]) -> Catalogue {
    let mut all = Catalogue::new();
    for (_, text) in files {
        all.extend(parse_file(text));
    }
    all
}

fn parse_file(text: &str) -> Catalogue {
    if text
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return Catalogue::new();
    }
    serde_saphyr::from_str(text).expect("a message catalogue is a mapping of key: text")
}

fn catalogue(lang: Lang) -> &'static Catalogue {
    static ZH_C: OnceLock<Catalogue> = OnceLock::new();
    static EN_C: OnceLock<Catalogue> = OnceLock::new();
    match lang {
        Lang::Zh => ZH_C.get_or_init(|| parse(ZH)),
        Lang::En => EN_C.get_or_init(|| parse(EN)),
    }
}

/// The message `key` in this run's language with its `{name}`s filled in.
/// A key missing from the catalogue prints as itself (the catalogue test
/// fails on it, so it never ships).
pub fn text(key: &str, args: &[(&str, &dyn Display)]) -> String {
    text_in(lang(), key, args)
}

/// The message `key` in a given language.
pub fn text_in(lang: Lang, key: &str, args: &[(&str, &dyn Display)]) -> String {
    let Some(template) = catalogue(lang).get(key) else {
        return key.to_string();
    };
    fill(template, args)
}

fn fill(template: &str, args: &[(&str, &dyn Display)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}');
        let name = close.map(|c| &after[..c]);
        match name.and_then(|n| args.iter().find(|(k, _)| *k == n)) {
            Some((_, value)) => {
                use std::fmt::Write as _;
                let _ = write!(out, "{value}");
                rest = &after[close.unwrap_or(0) + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The message `key` of the catalogues in this run's language:
/// `msg!("check.ok")`, `msg!("load.not_utf8", file = path.display())`.
#[macro_export]
macro_rules! msg {
    ($key:literal) => {
        $crate::messages::text($key, &[])
    };
    ($key:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::messages::text($key, &[$((stringify!($name), &$value as &dyn ::std::fmt::Display)),+])
    };
}
