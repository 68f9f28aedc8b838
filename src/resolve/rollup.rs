//! The `rollup:` list of site.yaml: the members a roll-up site adds up,
//! each checked here for what can be known without opening it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::fields::{Record, What};
use crate::diagnostics::Diagnostic;
use crate::load::{Node, Value};
use crate::model::{Member, MemberSource};

const MEMBER_FIELDS: &[&str] = &["id", "name", "snapshot", "content", "url"];

pub fn members(file: &Path, node: &Node, out: &mut Vec<Diagnostic>) -> Vec<Member> {
    let Value::Seq(items) = &node.value else {
        out.push(
            Diagnostic::error(
                node.span(file),
                crate::msg!("rollup.not_list", found = node.value.describe()),
            )
            .help(crate::msg!("rollup.not_list.help")),
        );
        return Vec::new();
    };
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut members = Vec::new();
    for item in items {
        let Some(m) = member(file, item, out) else {
            continue;
        };
        if let Some(line) = seen.get(&m.id) {
            out.push(
                Diagnostic::error(
                    m.span.clone(),
                    crate::msg!("rollup.duplicate_id", id = m.id, line = line),
                )
                .help(crate::msg!("rollup.duplicate_id.help")),
            );
            continue;
        }
        seen.insert(m.id.clone(), m.span.line);
        members.push(m);
    }
    members
}

fn member(file: &Path, node: &Node, out: &mut Vec<Diagnostic>) -> Option<Member> {
    let mut rec = match Record::open(file, node, What::RollupMember) {
        Ok(r) => r,
        Err(d) => {
            out.push(d);
            return None;
        }
    };
    let id = rec.required_string("id", "zhanggong");
    if let Some((id, n)) = &id {
        let ok = id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !ok {
            rec.error(
                n,
                crate::msg!("rollup.id_chars", id = id),
                crate::msg!("rollup.id_chars.help"),
            );
        }
    }
    let name = rec.required_string("name", "章贡区");
    let snapshot = rec.string("snapshot");
    let content = rec.string("content");
    let url = rec.string("url").map(|(u, _)| u);
    let source = match (snapshot, content) {
        (Some((s, _)), None) => Some(MemberSource::Snapshot(PathBuf::from(s))),
        (None, Some((c, _))) => Some(MemberSource::Content(PathBuf::from(c))),
        (Some(_), Some((_, n))) => {
            rec.error(
                n,
                crate::msg!("rollup.both_sources"),
                crate::msg!("rollup.both_sources.help"),
            );
            None
        }
        (None, None) => {
            let span = rec.span();
            rec.diags.push(
                Diagnostic::error(span, crate::msg!("rollup.no_source"))
                    .help(crate::msg!("rollup.no_source.help")),
            );
            None
        }
    };
    let span = rec.span();
    let problems = rec.finish(MEMBER_FIELDS);
    let ok = problems.is_empty();
    out.extend(problems);
    match (ok, id, name, source) {
        (true, Some((id, _)), Some((name, _)), Some(source)) => Some(Member {
            id,
            name,
            source,
            url,
            span,
        }),
        _ => None,
    }
}
