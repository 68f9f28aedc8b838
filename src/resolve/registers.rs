//! Resolving a year's registers: organizations and branches, then the links
//! between them and the rules of the branch tree.

use std::collections::HashMap;

use super::fields::{top_level_list, Record, What};
use crate::diagnostics::{Diagnostic, Span, Suggestions};
use crate::load::{Node, YamlFile};
use crate::model::{Branch, Date, Form, Kind, Level, Organization, Status};

const ORG_FIELDS: &[&str] = &[
    "id",
    "name",
    "kind",
    "township",
    "in_park",
    "industry",
    "employees",
    "party_members",
    "status",
    "branch",
    "instructor",
    "private",
];
const BRANCH_FIELDS: &[&str] = &["id", "name", "level", "parent", "form", "formed", "members"];

/// A reference to a branch by id, resolved once every branch is known.
pub struct Pending {
    pub id: String,
    pub span: Span,
}

pub struct OrgRecords {
    pub orgs: Vec<Organization>,
    pub branch_refs: Vec<Option<Pending>>,
    /// Some record had no id: coverage counts of branches are not reliable.
    pub incomplete: bool,
}

pub struct BranchRecords {
    pub branches: Vec<Branch>,
    pub parent_refs: Vec<Option<Pending>>,
    pub spans: Vec<BranchSpans>,
    /// Per branch: its level was missing or invalid (already reported).
    pub unknown_level: Vec<bool>,
    /// Some record had no id: a reference to an unknown id may be to it.
    pub incomplete: bool,
}

pub struct BranchSpans {
    pub record: Span,
    pub form: Span,
    pub formed: Span,
}

/// Whether Windows reserves `name` for a device (`con`, `aux`, `nul`,
/// `prn`, `com0`-`com9`, `lpt0`-`lpt9`, in any case), with or without an
/// extension: no file of that name can be made or opened there.
pub fn reserved_on_windows(name: &str) -> bool {
    let stem = name
        .split('.')
        .next()
        .unwrap_or(name)
        .trim_end_matches(' ')
        .to_lowercase();
    let numbered = |prefix: &str| {
        stem.strip_prefix(prefix).is_some_and(|n| {
            matches!(
                n,
                "0" | "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "¹" | "²" | "³"
            )
        })
    };
    matches!(
        stem.as_str(),
        "con" | "prn" | "aux" | "nul" | "conin$" | "conout$"
    ) || numbered("com")
        || numbered("lpt")
}

/// Ids are used in file names and URLs, so they are kept to a safe alphabet.
pub fn check_id(rec: &mut Record, node: &Node, id: &str) -> bool {
    let ok = id.len() <= 64
        && id
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !ok {
        let suggestion: String = id
            .to_ascii_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let suggestion = suggestion.trim_matches('-');
        let message = if id.starts_with('-') {
            crate::msg!("id.starts_with_dash", id = id)
        } else {
            crate::msg!("id.bad_chars", id = id)
        };
        let help =
            if suggestion.is_empty() || !suggestion.chars().any(|c| c.is_ascii_alphanumeric()) {
                crate::msg!("id.bad_chars.help")
            } else {
                crate::msg!("id.bad_chars.try", suggestion = suggestion)
            };
        rec.error(node, message, help);
    } else if reserved_on_windows(id) {
        rec.error(
            node,
            crate::msg!("id.windows_reserved", id = id),
            crate::msg!("id.windows_reserved.help", id = id),
        );
        return false;
    } else if id == "index" {
        rec.error(
            node,
            crate::msg!("id.index_reserved"),
            crate::msg!("id.index_reserved.help"),
        );
        return false;
    }
    ok
}

fn check_unique(
    seen: &mut HashMap<String, Span>,
    id: &str,
    span: Span,
    what: What,
    out: &mut Vec<Diagnostic>,
) {
    if let Some(first) = seen.get(id) {
        out.push(
            Diagnostic::error(
                span,
                crate::msg!("id.duplicate", what = what.word(), id = id),
            )
            .help(crate::msg!(
                "id.duplicate.help",
                id = id,
                line = first.line,
                what = what.word()
            )),
        );
    } else {
        seen.insert(id.to_string(), span);
    }
}

pub fn organizations(file: &YamlFile, out: &mut Vec<Diagnostic>) -> OrgRecords {
    let path = file.path.as_path();
    let mut seen = HashMap::new();
    let mut result = OrgRecords {
        orgs: Vec::new(),
        branch_refs: Vec::new(),
        incomplete: false,
    };
    for node in top_level_list(path, &file.root, "organizations", &[], out) {
        let mut rec = match Record::open(path, node, What::Organization) {
            Ok(r) => r,
            Err(d) => {
                out.push(d);
                continue;
            }
        };
        let id = rec.required_string("id", "ent-0001");
        let id_ok = id.as_ref().is_some_and(|(id, n)| check_id(&mut rec, n, id));
        if let Some((id, n)) = &id {
            check_unique(&mut seen, id, n.span(path), What::Organization, out);
        }
        let name = rec.required_string("name", "示例企业 0001");
        let kind = if rec.get("kind").is_some() {
            rec.keyword("kind", Kind::parse, Kind::NAMES)
        } else {
            rec.required_string("kind", "enterprise");
            None
        };
        let township = rec.string("township").map(|(s, _)| s);
        let in_park = rec.bool("in_park").unwrap_or(false);
        let industry = rec.string("industry").map(|(s, _)| s);
        let employees = rec.count("employees");
        let party_members = rec.count("party_members");
        let status = rec
            .keyword("status", Status::parse, Status::NAMES)
            .unwrap_or(Status::Active);
        let branch = rec.string("branch").map(|(id, n)| Pending {
            id,
            span: n.span(path),
        });
        let instructor = rec.bool("instructor").unwrap_or(false);
        rec.skip("private");
        out.extend(rec.finish(ORG_FIELDS));
        let _ = id_ok;
        // A record with other problems is kept so that references to and
        // from it are still checked; its errors already stop the build.
        if let Some((id, _)) = id {
            result.orgs.push(Organization {
                id,
                name: name.map(|(n, _)| n).unwrap_or_default(),
                kind: kind.unwrap_or(Kind::Enterprise),
                township,
                in_park,
                industry,
                employees,
                party_members,
                status,
                branch: None,
                instructor,
            });
            result.branch_refs.push(branch);
        } else {
            result.incomplete = true;
        }
    }
    result
}

pub fn branches(file: &YamlFile, out: &mut Vec<Diagnostic>) -> BranchRecords {
    let path = file.path.as_path();
    let mut seen = HashMap::new();
    let mut result = BranchRecords {
        branches: Vec::new(),
        parent_refs: Vec::new(),
        spans: Vec::new(),
        unknown_level: Vec::new(),
        incomplete: false,
    };
    for node in top_level_list(path, &file.root, "branches", &[], out) {
        let mut rec = match Record::open(path, node, What::Branch) {
            Ok(r) => r,
            Err(d) => {
                out.push(d);
                continue;
            }
        };
        let id = rec.required_string("id", "br-0001");
        let id_ok = id.as_ref().is_some_and(|(id, n)| check_id(&mut rec, n, id));
        if let Some((id, n)) = &id {
            check_unique(&mut seen, id, n.span(path), What::Branch, out);
        }
        let name = rec.required_string("name", "示例企业 0001 党支部");
        let level = if rec.get("level").is_some() {
            rec.keyword("level", Level::parse, Level::NAMES)
        } else {
            rec.required_string("level", "branch");
            None
        };
        let parent = rec.string("parent").map(|(id, n)| Pending {
            id,
            span: n.span(path),
        });
        let form_span = rec.get("form").map_or(rec.span(), |n| n.span(path));
        let form = rec.keyword("form", Form::parse, Form::NAMES);
        let formed = rec.date("formed");
        let formed_span = formed.map_or(rec.span(), |(_, n)| n.span(path));
        let members = rec.count("members");
        let record_span = rec.span();
        out.extend(rec.finish(BRANCH_FIELDS));
        let _ = id_ok;
        if let Some((id, _)) = id {
            result.unknown_level.push(level.is_none());
            result.branches.push(Branch {
                id,
                name: name.map(|(n, _)| n).unwrap_or_default(),
                level: level.unwrap_or(Level::Branch),
                parent: None,
                form,
                formed: formed.map(|(d, _)| d),
                members,
                children: Vec::new(),
                covers: Vec::new(),
            });
            result.parent_refs.push(parent);
            result.spans.push(BranchSpans {
                record: record_span,
                form: form_span,
                formed: formed_span,
            });
        } else {
            result.incomplete = true;
        }
    }
    result
}

/// "Did you mean" compares an unknown id with every branch id: past this
/// many unknown references (a register whose branch ids were all renamed),
/// the rest are reported without a suggestion, so that the check stays
/// linear rather than taking minutes.
const MAX_SUGGESTIONS: usize = 100;

fn lookup(
    index: &HashMap<&str, usize>,
    ids: &mut Suggestions,
    r: &Pending,
    what: &str,
    report: bool,
    suggested: &mut usize,
    out: &mut Vec<Diagnostic>,
) -> Option<usize> {
    if let Some(&i) = index.get(r.id.as_str()) {
        return Some(i);
    }
    if !report {
        return None;
    }
    *suggested += 1;
    let meant = if *suggested <= MAX_SUGGESTIONS {
        ids.best(&r.id)
    } else {
        None
    };
    let help = match meant {
        Some(s) => crate::msg!("ref.missing.did_you_mean", guess = s, id = r.id),
        None => crate::msg!("ref.missing.help", id = r.id),
    };
    out.push(
        Diagnostic::error(
            r.span.clone(),
            crate::msg!("ref.missing", what = what, id = r.id),
        )
        .help(help),
    );
    None
}

/// Links organizations to branches and branches to parents, then checks the
/// tree: levels, cycles, a single root, and the forms of branches.
pub fn link(
    orgs: &mut OrgRecords,
    branches: &mut BranchRecords,
    as_of: Option<Date>,
    out: &mut Vec<Diagnostic>,
) {
    // The first of duplicate ids wins; the duplicate is already reported.
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, b) in branches.branches.iter().enumerate() {
        index.entry(b.id.as_str()).or_insert(i);
    }
    let mut ids = Suggestions::new(branches.branches.iter().map(|b| b.id.as_str()));
    let report = !branches.incomplete;
    let mut suggested = 0;
    let mut parents = vec![None; branches.branches.len()];
    for (i, r) in branches.parent_refs.iter().enumerate() {
        if let Some(r) = r {
            parents[i] = lookup(&index, &mut ids, r, "parent", report, &mut suggested, out);
        }
    }
    let mut covers = vec![Vec::new(); branches.branches.len()];
    for (o, r) in orgs.branch_refs.iter().enumerate() {
        if let Some(r) = r {
            let b = lookup(&index, &mut ids, r, "branch", report, &mut suggested, out);
            orgs.orgs[o].branch = b;
            if let Some(b) = b {
                covers[b].push(o);
            }
        }
    }
    let bs = &mut branches.branches;
    for (i, p) in parents.iter().enumerate() {
        bs[i].parent = *p;
        bs[i].covers = std::mem::take(&mut covers[i]);
        if let Some(p) = *p {
            bs[p].children.push(i);
            let known = !branches.unknown_level[p] && !branches.unknown_level[i];
            if known && p != i && bs[p].level >= bs[i].level {
                out.push(
                    Diagnostic::error(
                        branches.parent_refs[i]
                            .as_ref()
                            .map(|r| r.span.clone())
                            .unwrap_or_default(),
                        crate::msg!(
                            "tree.parent_not_higher",
                            parent = bs[p].id,
                            parent_level = bs[p].level.as_str(),
                            level = bs[i].level.as_str()
                        ),
                    )
                    .help(crate::msg!("tree.parent_not_higher.help")),
                );
            }
        }
    }
    check_cycles(bs, &branches.parent_refs, &branches.spans, out);
    check_roots(bs, &branches.parent_refs, &branches.spans, out);
    for (i, b) in bs.iter().enumerate() {
        let spans = &branches.spans[i];
        let n = b.covers.len();
        // Counts are only trusted when every organization could be read.
        let form = if orgs.incomplete { None } else { b.form };
        match form {
            Some(Form::Single) if n != 1 => out.push(
                Diagnostic::error(
                    spans.form.clone(),
                    crate::msg!("tree.single_covers", id = b.id, n = n),
                )
                .help(crate::msg!("tree.single_covers.help")),
            ),
            Some(Form::Joint) if n < 2 => out.push(
                Diagnostic::error(
                    spans.form.clone(),
                    if n == 1 {
                        crate::msg!("tree.joint_covers_one", id = b.id)
                    } else {
                        crate::msg!("tree.joint_covers", id = b.id, n = n)
                    },
                )
                .help(crate::msg!("tree.joint_covers.help")),
            ),
            _ => {}
        }
        if let (Some(formed), Some(as_of)) = (b.formed, as_of) {
            if formed > as_of {
                out.push(
                    Diagnostic::error(
                        spans.formed.clone(),
                        crate::msg!("tree.formed_after", formed = formed, as_of = as_of),
                    )
                    .help(crate::msg!("tree.formed_after.help")),
                );
            }
        }
    }
}

fn check_cycles(
    bs: &[Branch],
    refs: &[Option<Pending>],
    spans: &[BranchSpans],
    out: &mut Vec<Diagnostic>,
) {
    // 0 = unvisited, 1 = on the current path, 2 = done.
    let mut state = vec![0u8; bs.len()];
    for start in 0..bs.len() {
        let mut path: Vec<usize> = Vec::new();
        let mut cur = Some(start);
        while let Some(i) = cur {
            match state[i] {
                2 => break,
                1 => {
                    let from = path.iter().position(|&p| p == i).unwrap_or(0);
                    let cycle: Vec<&str> =
                        path[from..].iter().map(|&p| bs[p].id.as_str()).collect();
                    let first = *path[from..].iter().min().unwrap_or(&i);
                    let span = refs[first]
                        .as_ref()
                        .map(|r| r.span.clone())
                        .unwrap_or_else(|| spans[first].record.clone());
                    let d = if cycle.len() == 1 {
                        Diagnostic::error(span, crate::msg!("tree.own_parent", id = cycle[0]))
                            .help(crate::msg!("tree.own_parent.help"))
                    } else {
                        Diagnostic::error(
                            span,
                            crate::msg!("tree.cycle", path = cycle.join(" → "), first = cycle[0]),
                        )
                        .help(crate::msg!("tree.cycle.help"))
                    };
                    out.push(d);
                    break;
                }
                _ => {
                    state[i] = 1;
                    path.push(i);
                    cur = bs[i].parent;
                }
            }
        }
        for p in path {
            state[p] = 2;
        }
    }
}

fn check_roots(
    bs: &[Branch],
    refs: &[Option<Pending>],
    spans: &[BranchSpans],
    out: &mut Vec<Diagnostic>,
) {
    // A node whose parent does not exist was already reported; it is no root.
    let roots: Vec<usize> = (0..bs.len()).filter(|&i| refs[i].is_none()).collect();
    if roots.len() > 1 {
        let first = roots[0];
        for &r in &roots[1..] {
            out.push(
                Diagnostic::error(
                    spans[r].record.clone(),
                    crate::msg!("tree.second_root", id = bs[r].id, root = bs[first].id),
                )
                .help(crate::msg!("tree.second_root.help", root = bs[first].id)),
            );
        }
    }
}

#[cfg(test)]
mod windows_tests {
    use super::reserved_on_windows;

    #[test]
    fn device_names_are_reserved_in_any_case_and_with_any_extension() {
        for name in [
            "con",
            "CON",
            "Aux",
            "nul.md",
            "prn.tar.gz",
            "com1",
            "COM9",
            "lpt3",
            "lpt0.txt",
            "com²",
        ] {
            assert!(reserved_on_windows(name), "{name}");
        }
        for name in [
            "con-1", "console", "com10", "lpt", "index", "nul-2.md", "acon",
        ] {
            assert!(!reserved_on_windows(name), "{name}");
        }
    }
}
