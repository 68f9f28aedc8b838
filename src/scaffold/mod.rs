//! What `nianbao new DIR` writes: a small site that builds and passes
//! `check` as it is (site.yaml, a register of a few invented organizations
//! and party organizations, metrics, two pages, in Chinese or English) and
//! a blank ledger template beside it. The invented records are listed once
//! here, in [`SAMPLES`], which both the scaffold and `check` read: `check`
//! warns while the presented year still holds them, so a site cannot be
//! published with the scaffold's data by mistake.

pub mod check;
pub mod template;

use std::path::PathBuf;

/// The ledger template `new` writes at the top of the new site's folder,
/// beside `content/` (not inside it: nothing under `content/` but the site's
/// own files belongs there, and the template is filled in and imported).
pub const TEMPLATE_FILE: &str = "台账模板.xlsx";

/// (path under DIR, text) of each language's scaffold; `{{YEAR}}` becomes
/// the year of the new site.
macro_rules! scaffold {
    ($lang:literal) => {
        [
            (
                "content/site.yaml",
                include_str!(concat!($lang, "/site.yaml")),
            ),
            (
                "content/data/{{YEAR}}/organizations.yaml",
                include_str!(concat!($lang, "/organizations.yaml")),
            ),
            (
                "content/data/{{YEAR}}/branches.yaml",
                include_str!(concat!($lang, "/branches.yaml")),
            ),
            (
                "content/data/{{YEAR}}/metrics.yaml",
                include_str!(concat!($lang, "/metrics.yaml")),
            ),
            (
                "content/pages/overview.md",
                include_str!(concat!($lang, "/overview.md")),
            ),
            (
                "content/pages/work.md",
                include_str!(concat!($lang, "/work.md")),
            ),
            (
                ".gitignore",
                "# Built by `nianbao build`; never edited by hand.\n/output/\n",
            ),
        ]
    };
}

const ZH_CN: [(&str, &str); 7] = scaffold!("zh-CN");
const EN: [(&str, &str); 7] = scaffold!("en");

/// The text files of a new site in `language` (`zh-CN` or `en`) presenting
/// `year`: path under the new site's folder, text.
pub fn files(language: &str, year: i32) -> Vec<(PathBuf, String)> {
    let files = if language == "en" { &EN } else { &ZH_CN };
    let year = year.to_string();
    files
        .iter()
        .map(|(path, text)| {
            (
                PathBuf::from(path.replace("{{YEAR}}", &year)),
                text.replace("{{YEAR}}", &year),
            )
        })
        .collect()
}

/// Which register a sample record is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Register {
    Organizations,
    Branches,
}

impl Register {
    pub fn file(self) -> &'static str {
        match self {
            Register::Organizations => "organizations.yaml",
            Register::Branches => "branches.yaml",
        }
    }

    pub fn list_key(self) -> &'static str {
        match self {
            Register::Organizations => "organizations",
            Register::Branches => "branches",
        }
    }
}

/// A record `new` writes and no office has: the scaffold's organizations
/// by id and name, the template's example rows by their name alone (import
/// gives them ids), which says 示例 in a way no real name does. The
/// scaffold's party organizations are not listed: some have names a real
/// tree has too (电子信息产业党总支部, in the bundled example), and its
/// organizations are enough to tell an untouched year.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    pub register: Register,
    pub id: Option<&'static str>,
    pub name: &'static str,
}

const fn org(id: &'static str, name: &'static str) -> Sample {
    Sample {
        register: Register::Organizations,
        id: Some(id),
        name,
    }
}

/// The template's example rows (see [`template`]).
pub const EXAMPLE_ORG: &str = "（示例）某某科技有限公司";
pub const EXAMPLE_COMMITTEE: &str = "（示例）某某区非公有制经济组织和社会组织工委";
pub const EXAMPLE_BRANCH: &str = "（示例）某某科技有限公司党支部";

/// Every invented organization of the scaffold (both languages) and the
/// template's example rows. A unit test holds the scaffold's
/// organizations.yaml to this list.
pub const SAMPLES: &[Sample] = &[
    org("ent-001", "示例企业 001"),
    org("ent-002", "示例企业 002"),
    org("ent-003", "示例企业 003"),
    org("ent-004", "示例企业 004"),
    org("ent-005", "示例企业 005"),
    org("ent-006", "示例企业 006"),
    org("soc-001", "示例社团 001"),
    org("soc-002", "示例社团 002"),
    org("ent-001", "Sample Enterprise 001"),
    org("ent-002", "Sample Enterprise 002"),
    org("ent-003", "Sample Enterprise 003"),
    org("ent-004", "Sample Enterprise 004"),
    org("ent-005", "Sample Enterprise 005"),
    org("ent-006", "Sample Enterprise 006"),
    org("soc-001", "Sample Social Organization 001"),
    org("soc-002", "Sample Social Organization 002"),
    Sample {
        register: Register::Organizations,
        id: None,
        name: EXAMPLE_ORG,
    },
    Sample {
        register: Register::Branches,
        id: None,
        name: EXAMPLE_COMMITTEE,
    },
    Sample {
        register: Register::Branches,
        id: None,
        name: EXAMPLE_BRANCH,
    },
];

/// Whether a record of `register` with this id and name is one of the
/// samples.
pub fn is_sample(register: Register, id: Option<&str>, name: &str) -> bool {
    SAMPLES
        .iter()
        .any(|s| s.register == register && s.name == name && s.id.is_none_or(|sid| Some(sid) == id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::{self, Value};

    /// (id, name) of every record of a scaffold register.
    fn records(text: &str, key: &str) -> Vec<(String, String)> {
        let root = yaml::parse(std::path::Path::new("x.yaml"), text, 0).unwrap();
        let Value::Map(top) = root.value else {
            panic!("not a mapping")
        };
        let Value::Seq(items) = &top
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .unwrap()
            .1
            .value
        else {
            panic!("not a list")
        };
        items
            .iter()
            .map(|item| {
                let Value::Map(f) = &item.value else { panic!() };
                let get = |n: &str| {
                    f.iter()
                        .find(|(k, _)| k.as_str() == Some(n))
                        .and_then(|(_, v)| v.as_str())
                        .unwrap()
                        .to_string()
                };
                (get("id"), get("name"))
            })
            .collect()
    }

    #[test]
    fn the_sample_list_is_exactly_the_scaffolds_records() {
        let mut written = Vec::new();
        for language in ["zh-CN", "en"] {
            for (path, text) in files(language, 2020) {
                for register in [Register::Organizations] {
                    if path.ends_with(register.file()) {
                        for (id, name) in records(&text, register.list_key()) {
                            assert!(
                                is_sample(register, Some(&id), &name),
                                "{language} {id} {name} is not in SAMPLES"
                            );
                            written.push((register, id, name));
                        }
                    }
                }
            }
        }
        for s in SAMPLES.iter().filter(|s| s.id.is_some()) {
            assert!(
                written.iter().any(|(r, id, name)| *r == s.register
                    && Some(id.as_str()) == s.id
                    && name == s.name),
                "{} is in SAMPLES but not in the scaffold",
                s.name
            );
        }
    }

    #[test]
    fn the_year_is_filled_in_everywhere() {
        for language in ["zh-CN", "en"] {
            let files = files(language, 2019);
            assert!(files
                .iter()
                .any(|(p, _)| p.starts_with("content/data/2019")));
            for (path, text) in &files {
                assert!(!text.contains("{{YEAR}}"), "{}", path.display());
            }
        }
    }
}
