//! Which column holds which field: the header row found under any title
//! rows, its Chinese headers recognised, or named in the mapping file.

use std::collections::BTreeMap;

use super::read::{Cell, Sheet};
use super::text;

/// A column of the organizations' sheet.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum OrgField {
    Id,
    Name,
    Kind,
    Township,
    InPark,
    Industry,
    Employees,
    PartyMembers,
    Status,
    Instructor,
    /// The party organization that covers the organization, by name.
    Branch,
    BranchForm,
    BranchParent,
    BranchFormed,
    BranchMembers,
    /// Kept under the organization's `private:` (never published).
    Private(String),
    Ignore,
}

/// A column of the party organizations' sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TreeField {
    Id,
    Name,
    Level,
    Parent,
    Form,
    Formed,
    Members,
    Ignore,
}

pub const ORG_FIELDS: &[&str] = &[
    "id",
    "name",
    "kind",
    "township",
    "in_park",
    "industry",
    "employees",
    "party_members",
    "status",
    "instructor",
    "branch",
    "branch_form",
    "branch_parent",
    "branch_formed",
    "branch_members",
    "private.<key>",
    "ignore",
];

pub const TREE_FIELDS: &[&str] = &[
    "id", "name", "level", "parent", "form", "formed", "members", "ignore",
];

impl OrgField {
    pub fn parse(s: &str) -> Option<OrgField> {
        Some(match s {
            "id" => OrgField::Id,
            "name" => OrgField::Name,
            "kind" => OrgField::Kind,
            "township" => OrgField::Township,
            "in_park" => OrgField::InPark,
            "industry" => OrgField::Industry,
            "employees" => OrgField::Employees,
            "party_members" => OrgField::PartyMembers,
            "status" => OrgField::Status,
            "instructor" => OrgField::Instructor,
            "branch" => OrgField::Branch,
            "branch_form" => OrgField::BranchForm,
            "branch_parent" => OrgField::BranchParent,
            "branch_formed" => OrgField::BranchFormed,
            "branch_members" => OrgField::BranchMembers,
            "ignore" => OrgField::Ignore,
            s => {
                let key = s.strip_prefix("private.")?;
                let ok = !key.is_empty()
                    && key
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
                return ok.then(|| OrgField::Private(key.to_string()));
            }
        })
    }

    pub fn name(&self) -> String {
        match self {
            OrgField::Id => "id",
            OrgField::Name => "name",
            OrgField::Kind => "kind",
            OrgField::Township => "township",
            OrgField::InPark => "in_park",
            OrgField::Industry => "industry",
            OrgField::Employees => "employees",
            OrgField::PartyMembers => "party_members",
            OrgField::Status => "status",
            OrgField::Instructor => "instructor",
            OrgField::Branch => "branch",
            OrgField::BranchForm => "branch_form",
            OrgField::BranchParent => "branch_parent",
            OrgField::BranchFormed => "branch_formed",
            OrgField::BranchMembers => "branch_members",
            OrgField::Private(k) => return format!("private.{k}"),
            OrgField::Ignore => "ignore",
        }
        .to_string()
    }
}

impl TreeField {
    pub fn parse(s: &str) -> Option<TreeField> {
        Some(match s {
            "id" => TreeField::Id,
            "name" => TreeField::Name,
            "level" => TreeField::Level,
            "parent" => TreeField::Parent,
            "form" => TreeField::Form,
            "formed" => TreeField::Formed,
            "members" => TreeField::Members,
            "ignore" => TreeField::Ignore,
            _ => return None,
        })
    }
}

/// A header as compared: full-width folded, no spaces, no punctuation
/// (`所属乡镇（街道）` → `所属乡镇街道`), Latin letters lowercased.
pub fn key(header: &str) -> String {
    text::normalize_token(header)
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace() && !"()（）[]【】/、\\*:：,，.。-_'\"“”".contains(*c))
        .collect()
}

/// The header without what stands in brackets (`从业人员（人）` → `从业人员`).
fn key_without_brackets(header: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in text::normalize_token(header).chars() {
        match c {
            '(' | '（' | '[' | '【' => depth += 1,
            ')' | '）' | ']' | '】' => depth = depth.saturating_sub(1),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    key(&out)
}

fn org_alias(k: &str) -> Option<OrgField> {
    use OrgField::*;
    let exact = match k {
        "id" | "标识" => Id,
        "单位名称"
        | "企业名称"
        | "组织名称"
        | "名称"
        | "单位全称"
        | "企业全称"
        | "社会组织名称"
        | "企业单位名称"
        | "非公企业名称"
        | "非公有制企业名称"
        | "经济组织名称"
        | "单位" => Name,
        "类型" | "组织类别" | "类别" | "单位类型" | "组织类型" | "单位类别" | "单位性质"
        | "组织性质" | "性质" | "企业类别" => Kind,
        "行业" | "所属行业" | "行业类别" | "行业分类" | "产业" | "所属产业" | "产业类别" => {
            Industry
        }
        "从业人员" | "从业人员数" | "从业人数" | "职工人数" | "员工人数" | "职工数" | "员工数"
        | "职工总数" | "从业人员总数" | "在职人数" | "在职职工" | "职工" | "员工" => {
            Employees
        }
        "党员人数" | "党员数" | "党员" | "党员总数" | "现有党员" | "正式党员" | "党员数量" => {
            PartyMembers
        }
        "状态" | "经营状态" | "企业状态" | "单位状态" | "登记状态" | "运营状态" | "存续状态"
        | "组织状态" => Status,
        "党组织名称" | "所属党组织" | "覆盖党组织" | "党组织" | "隶属党组织" | "党组织全称"
        | "所在党组织" | "覆盖的党组织" => Branch,
        "党组织类型"
        | "组建方式"
        | "组建形式"
        | "党组织组建方式"
        | "党组织组建形式"
        | "建立方式"
        | "党组织建立方式"
        | "党组织形式"
        | "党组织类别" => BranchForm,
        "上级党组织" | "上级党组织名称" | "上级" | "隶属上级党组织" | "上级党委" | "党组织上级" => {
            BranchParent
        }
        "成立时间"
        | "党组织成立时间"
        | "建立时间"
        | "组建时间"
        | "党组织建立时间"
        | "党组织组建时间"
        | "成立日期"
        | "党组织成立日期"
        | "建立日期"
        | "组建日期" => BranchFormed,
        "党组织党员人数" | "支部党员人数" | "党组织党员数" | "党组织党员" => {
            BranchMembers
        }
        // Whether a branch exists is what 党组织名称 says.
        "序号"
        | "编号"
        | "序"
        | "no"
        | "行号"
        | "是否建立党组织"
        | "是否建立"
        | "是否成立党组织"
        | "有无党组织" => Ignore,
        "联系人" | "联系人姓名" => Private("contact".into()),
        "联系电话" | "电话" | "手机" | "手机号码" | "联系方式" | "电话号码" => {
            Private("phone".into())
        }
        "备注" | "说明" => Private("note".into()),
        "地址" | "单位地址" | "注册地址" | "住所" | "详细地址" | "办公地址" => {
            Private("address".into())
        }
        "统一社会信用代码" | "信用代码" | "社会信用代码" => {
            Private("credit_code".into())
        }
        "法定代表人" | "法人代表" | "负责人" | "法人" => Private("legal_rep".into()),
        "党组织书记" | "书记" | "支部书记" => Private("secretary".into()),
        _ => {
            return if k.starts_with("所属乡镇")
                || k.starts_with("乡镇")
                || k.starts_with("所在乡镇")
                || k.starts_with("所属街道")
                || k == "街道"
                || k == "属地"
            {
                Some(Township)
            } else if k.contains("园区") && !k.contains("党") {
                Some(InPark)
            } else if k.contains("指导员") || k.contains("联络员") {
                Some(Instructor)
            } else if crate::vocabulary::ORG_DERIVED.iter().any(|h| key(h) == k) {
                // Derived columns of `nianbao export`: not data.
                Some(Ignore)
            } else {
                None
            };
        }
    };
    Some(exact)
}

fn tree_alias(k: &str) -> Option<TreeField> {
    use TreeField::*;
    Some(match k {
        "id" | "标识" => Id,
        "党组织名称" | "名称" | "组织名称" | "党组织全称" | "党组织" => Name,
        "层级" | "级别" | "党组织层级" | "组织层级" | "党组织级别" | "层次" => {
            Level
        }
        "上级党组织" | "上级" | "上级党组织名称" | "隶属关系" | "隶属上级党组织" | "上级党委" => {
            Parent
        }
        "党组织类型" | "类型" | "组建方式" | "组建形式" | "党组织类别" | "类别" => {
            Form
        }
        "成立时间" | "建立时间" | "组建时间" | "成立日期" | "建立日期" | "组建日期" => {
            Formed
        }
        "党员人数" | "党员数" | "党员" | "党员总数" => Members,
        "序号" | "编号" | "序" | "no" | "备注" | "说明" | "书记" | "党组织书记" | "联系人"
        | "联系电话" => Ignore,
        // Derived columns of `nianbao export`: not data.
        _ if crate::vocabulary::BRANCH_DERIVED
            .iter()
            .any(|h| key(h) == k) =>
        {
            Ignore
        }
        _ => return None,
    })
}

/// Recognises one header: as written, without bracketed units, then
/// under the header of its group (`党组织情况` over `名称`).
fn recognise<F>(header: &str, group: Option<&str>, alias: &dyn Fn(&str) -> Option<F>) -> Option<F> {
    if let Some(group) = group {
        let g = key_without_brackets(group);
        let g = g
            .trim_end_matches("基本情况")
            .trim_end_matches("情况")
            .trim_end_matches("信息")
            .trim_end_matches("基本");
        let h = key_without_brackets(header);
        if !g.is_empty() && !h.starts_with(g) {
            if let Some(f) = alias(&format!("{g}{h}")) {
                return Some(f);
            }
        }
    }
    alias(&key(header)).or_else(|| alias(&key_without_brackets(header)))
}

/// A header row: where it is and which column is which.
#[derive(Debug, Clone)]
pub struct Header<F> {
    /// 0-based row of the headers.
    pub row: u32,
    /// Per column: the header text and the field, if recognised.
    pub columns: Vec<(u32, String, Option<F>)>,
}

impl<F: Clone + PartialEq> Header<F> {
    pub fn find(&self, f: &F) -> Option<u32> {
        self.columns
            .iter()
            .find(|(_, _, g)| g.as_ref() == Some(f))
            .map(|(c, _, _)| *c)
    }

    pub fn recognised(&self) -> usize {
        self.columns.iter().filter(|(_, _, f)| f.is_some()).count()
    }
}

/// The rows looked at for the header: title rows above it rarely pass ten.
pub const HEADER_SEARCH_ROWS: u32 = 30;

/// Reads row `row` as the header row: each non-empty cell's text, and the
/// field the mapping (by header text) or the aliases give it.
fn header_at<F: Clone>(
    sheet: &Sheet,
    row: u32,
    mapping: &BTreeMap<String, F>,
    alias: &dyn Fn(&str) -> Option<F>,
) -> Header<F> {
    let mut columns = Vec::new();
    for col in 0..sheet.width() {
        let cell = sheet.cell(row, col);
        if cell.is_empty() {
            continue;
        }
        let header = cell.display();
        // The header of the group above, when it differs (a merged block
        // over several columns, or a two-row header).
        let group = (row > 0)
            .then(|| sheet.shown(row - 1, col))
            .filter(|c| !c.is_empty() && matches!(c, Cell::Text(_)))
            .map(Cell::display)
            .filter(|g| *g != header);
        let by_map = mapping
            .iter()
            .find(|(h, _)| key(h) == key(&header))
            .map(|(_, f)| f.clone());
        let field = by_map.or_else(|| recognise(&header, group.as_deref(), alias));
        columns.push((col, header, field));
    }
    Header { row, columns }
}

/// Finds the header row among the first rows: the one with the most
/// recognised headers, which must include `required`. `fixed` (from the
/// mapping file, 0-based) skips the search.
pub fn find_header<F: Clone + PartialEq>(
    sheet: &Sheet,
    fixed: Option<u32>,
    mapping: &BTreeMap<String, F>,
    alias: &dyn Fn(&str) -> Option<F>,
    required: &F,
) -> Option<Header<F>> {
    if let Some(row) = fixed {
        return Some(header_at(sheet, row, mapping, alias));
    }
    let last = (sheet.rows.len() as u32).min(HEADER_SEARCH_ROWS);
    let mut best: Option<Header<F>> = None;
    for row in 0..last {
        let h = header_at(sheet, row, mapping, alias);
        if h.find(required).is_none() || h.recognised() < 2 {
            continue;
        }
        if best
            .as_ref()
            .is_none_or(|b| h.recognised() > b.recognised())
        {
            best = Some(h);
        }
    }
    best
}

pub fn org_header(
    sheet: &Sheet,
    fixed: Option<u32>,
    mapping: &BTreeMap<String, OrgField>,
) -> Option<Header<OrgField>> {
    let mut header = find_header(sheet, fixed, mapping, &org_alias, &OrgField::Name)?;
    // `private.<key>`: a private field `export --include-private` wrote
    // under the name a mapping file gives it.
    for (_, text, field) in header.columns.iter_mut().filter(|c| c.2.is_none()) {
        *field = OrgField::parse(text.trim()).filter(|f| matches!(f, OrgField::Private(_)));
    }
    Some(header)
}

pub fn tree_header(
    sheet: &Sheet,
    fixed: Option<u32>,
    mapping: &BTreeMap<String, TreeField>,
) -> Option<Header<TreeField>> {
    find_header(sheet, fixed, mapping, &tree_alias, &TreeField::Name)
}

/// A sheet of party organizations has a level column (`层级`) or is named
/// for them (`党组织`), and no column that only organizations have.
pub fn looks_like_tree(sheet: &Sheet, header: &Header<TreeField>) -> bool {
    let org_only = org_header(sheet, Some(header.row), &BTreeMap::new()).is_some_and(|h| {
        h.columns.iter().any(|(_, _, f)| {
            matches!(
                f,
                Some(
                    OrgField::Kind
                        | OrgField::Township
                        | OrgField::Employees
                        | OrgField::Industry
                        | OrgField::InPark
                        | OrgField::Status
                )
            )
        })
    });
    !org_only
        && (header.find(&TreeField::Level).is_some()
            || sheet.name.contains("党组织")
            || sheet.name.contains("组织体系"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_common_headers() {
        let r = |h: &str| recognise(h, None, &org_alias);
        assert_eq!(r("单位名称"), Some(OrgField::Name));
        assert_eq!(r(" 企业 名称 "), Some(OrgField::Name));
        assert_eq!(r("所属乡镇（街道）"), Some(OrgField::Township));
        assert_eq!(r("所属乡镇/街道"), Some(OrgField::Township));
        assert_eq!(r("从业人员（人）"), Some(OrgField::Employees));
        assert_eq!(r("是否在园区"), Some(OrgField::InPark));
        assert_eq!(r("党建指导员"), Some(OrgField::Instructor));
        assert_eq!(r("经营范围"), None);
        assert_eq!(
            recognise("类型", Some("党组织情况"), &org_alias),
            Some(OrgField::BranchForm)
        );
        assert_eq!(
            recognise("名称", Some("单位基本情况"), &org_alias),
            Some(OrgField::Name)
        );
    }

    #[test]
    fn field_names_round_trip() {
        for name in ORG_FIELDS.iter().filter(|n| !n.contains('<')) {
            assert_eq!(OrgField::parse(name).unwrap().name(), *name);
        }
        assert_eq!(
            OrgField::parse("private.phone"),
            Some(OrgField::Private("phone".into()))
        );
    }
}
