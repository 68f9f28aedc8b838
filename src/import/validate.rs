//! Phase 5 of an import: the registers about to be written go through the
//! same load → resolve → build that `check` runs, in memory (the files
//! there are left alone), and each error is reported at the cell it came
//! from: what import writes passes `check` with no hand editing.

use std::path::{Path, PathBuf};

use super::headers::OrgField;
use super::problem::{Place, Problem};
use super::sources::OrgSheet;
use super::write::{self, Texts};
use super::{Read, Records};
use crate::build::{self, Options, Source};
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::layout::Discard;
use crate::load::{self, yaml, RawYear, YamlFile};
use crate::msg;

/// Errors of other files shown at most (they were there before).
const OTHER_ERRORS_SHOWN: usize = 10;

/// The content folder of a year folder (`content/data/2016` → `content`),
/// when it is one.
pub fn content_of(into: &Path) -> Option<PathBuf> {
    let data = into.parent()?;
    if data.file_name()? != "data" {
        return None;
    }
    let content = match data.parent()? {
        p if p.as_os_str().is_empty() => Path::new("."),
        p => p,
    };
    content
        .join("site.yaml")
        .is_file()
        .then(|| content.to_path_buf())
}

fn year_of(into: &Path) -> Option<i32> {
    let name = into.file_name()?.to_string_lossy().to_string();
    name.parse().ok().filter(|_| name.len() == 4)
}

/// The work committee site.yaml names: `issuer:`, else the place its
/// `title:` begins with and 党工委 (`测试开发区党建工作报告` → 测试开发区党工委).
pub fn top_from_site(into: &Path) -> Option<String> {
    let path = content_of(into)?.join("site.yaml");
    let text = std::fs::read_to_string(&path).ok()?;
    let root = yaml::parse(&path, &text, 0).ok()?;
    let yaml::Value::Map(entries) = root.value else {
        return None;
    };
    let get = |key: &str| {
        entries
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .and_then(|(_, v)| v.as_str().map(str::to_string))
    };
    if let Some(issuer) = get("issuer").filter(|s| !s.trim().is_empty()) {
        return Some(issuer.trim().to_string());
    }
    top_from_title(&get("title")?)
}

fn top_from_title(title: &str) -> Option<String> {
    let t = title.trim();
    // A year in front (`2019年…`) is no part of the place.
    let t = match t.find('年') {
        Some(i) if i > 0 && t[..i].chars().all(|c| c.is_ascii_digit()) => &t[i + '年'.len_utf8()..],
        _ => t,
    };
    let cut = [
        "非公",
        "社会组织",
        "两新",
        "党工委",
        "工委",
        "党建",
        "工作报告",
        "报告",
    ]
    .iter()
    .filter_map(|w| t.find(w))
    .min()?;
    let place = t[..cut].trim();
    (!place.is_empty()).then(|| format!("{place}党工委"))
}

/// What `check` would say of the site with these registers in the year
/// folder: its errors, each at the cell it came from where it can be
/// traced. Empty when the folder is not a year of a site.
pub(super) fn registers(
    into: &Path,
    texts: &Texts,
    records: &Records,
    read: &Read,
    sheets: &[OrgSheet],
) -> Vec<Problem> {
    let (Some(content), Some(year)) = (content_of(into), year_of(into)) else {
        return Vec::new();
    };
    let mut diags = Diagnostics::default();
    let mut raw = load::load(&content, &mut diags);
    let org_path = into.join("organizations.yaml");
    let branch_path = into.join("branches.yaml");
    let metrics_path = into.join("metrics.yaml");
    let mut written = vec![
        (org_path.clone(), texts.organizations.clone()),
        (branch_path.clone(), texts.branches.clone()),
    ];
    if !metrics_path.exists() {
        written.push((metrics_path.clone(), write::metrics_yaml(year)));
    }
    let ry = raw.years.entry(year).or_insert_with(|| RawYear {
        dir: into.to_path_buf(),
        ..RawYear::default()
    });
    for (path, text) in &written {
        diags.forget_file(path);
        diags.add_source(path, text);
        let file = match yaml::parse(path, text, 0) {
            Ok(root) => Some(YamlFile::new(path.clone(), root)),
            Err(d) => {
                diags.push(d);
                None
            }
        };
        match path.file_name().and_then(|n| n.to_str()) {
            Some("organizations.yaml") => ry.organizations = file,
            Some("branches.yaml") => ry.branches = file,
            _ => ry.metrics = file,
        }
    }
    let options = Options {
        sink: Some(&Discard),
        ..Options::site()
    };
    let built = build::run(Source::Loaded(&raw, &diags), &options);
    let trace = Trace {
        orgs: line_records(&texts.organizations),
        nodes: line_records(&texts.branches),
        records,
        read,
        sheets,
    };
    let mut out = Vec::new();
    let mut others = 0;
    for d in built.diagnostics.items() {
        if d.severity != Severity::Error {
            continue;
        }
        let ours = written.iter().any(|(p, _)| *p == d.span.file);
        if ours {
            out.push(trace.problem(d, &org_path, &branch_path));
        } else {
            others += 1;
            if others <= OTHER_ERRORS_SHOWN {
                out.push(other_file(d, read));
            }
        }
    }
    out
}

/// An error of a file import does not write: shown, not blocking.
fn other_file(d: &Diagnostic, read: &Read) -> Problem {
    Problem {
        severity: Severity::Warning,
        place: read.sheets.place(None, None),
        message: msg!(
            "import.validate.elsewhere",
            file = d.span.file.display(),
            line = d.span.line,
            message = d.message
        ),
        help: d.help.clone(),
    }
}

/// Per line of a register written (1-based, index 0 unused): the record
/// it belongs to and the field it gives.
fn line_records(text: &str) -> Vec<Option<(usize, String)>> {
    let mut out = vec![None];
    let mut rec: Option<usize> = None;
    let mut field = String::new();
    for line in text.lines() {
        if let Some(first) = line.strip_prefix("  - ") {
            rec = Some(rec.map_or(0, |r| r + 1));
            field = first.split(':').next().unwrap_or("").to_string();
        } else if let Some(rest) = line.strip_prefix("    ") {
            if !rest.starts_with(' ') {
                field = rest.split(':').next().unwrap_or("").to_string();
            }
        }
        out.push(rec.map(|r| (r, field.clone())));
    }
    out
}

/// How a line of a register written leads back to its cell.
struct Trace<'a> {
    orgs: Vec<Option<(usize, String)>>,
    nodes: Vec<Option<(usize, String)>>,
    records: &'a Records,
    read: &'a Read<'a>,
    sheets: &'a [OrgSheet],
}

impl Trace<'_> {
    fn problem(&self, d: &Diagnostic, org_path: &Path, branch_path: &Path) -> Problem {
        let file = d
            .span
            .file
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let place = if d.span.file == org_path {
            self.org_place(d.span.line)
        } else if d.span.file == branch_path {
            self.node_place(d.span.line)
        } else {
            None
        };
        Problem {
            severity: Severity::Error,
            place: place.unwrap_or_else(|| self.read.sheets.place(None, None)),
            message: msg!(
                "import.validate.message",
                message = d.message,
                file = file,
                line = d.span.line
            ),
            help: d.help.clone(),
        }
    }

    fn org_place(&self, line: usize) -> Option<Place> {
        let (rec, field) = self.orgs.get(line)?.as_ref()?;
        let org = self.records.orgs.get(*rec)?;
        let (sheet, _) = self.read.sheets.split(org.row);
        let nth = self
            .read
            .sheets
            .0
            .iter()
            .position(|s| s.file == sheet.file && s.index == sheet.index)?;
        let col = OrgField::parse(field).and_then(|f| self.sheets[nth].header.find(&f));
        Some(self.read.sheets.place(Some(org.row), col))
    }

    fn node_place(&self, line: usize) -> Option<Place> {
        let (rec, _) = self.nodes.get(line)?.as_ref()?;
        self.records.assembly.named_at.get(*rec).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_top_is_the_place_of_the_title_and_党工委() {
        let t = |s: &str| top_from_title(s);
        assert_eq!(
            t("测试开发区党建工作报告").as_deref(),
            Some("测试开发区党工委")
        );
        assert_eq!(
            t("赣州经开区非公有制经济组织和社会组织党建工作报告").as_deref(),
            Some("赣州经开区党工委")
        );
        assert_eq!(
            t("2019年经开区党建工作报告").as_deref(),
            Some("经开区党工委")
        );
        assert_eq!(t("党建工作报告"), None);
    }

    #[test]
    fn each_line_of_a_register_leads_to_its_record_and_field() {
        let text = "# header\norganizations:\n  - id: ent-0001\n    name: 甲\n    private:\n      phone: 1\n  - id: ent-0002\n    employees: 3\n";
        let lines = line_records(text);
        assert_eq!(lines[1], None);
        assert_eq!(lines[3], Some((0, "id".into())));
        assert_eq!(lines[4], Some((0, "name".into())));
        assert_eq!(lines[6], Some((0, "private".into())));
        assert_eq!(lines[8], Some((1, "employees".into())));
    }
}
