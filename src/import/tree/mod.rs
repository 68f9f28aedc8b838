//! The party organizations' tree, built from the party organizations'
//! sheet and the 党组织名称/类型/上级党组织 columns of the organizations'
//! rows, in phases: the sheet's nodes, the nodes the rows name, the
//! parents (with a top made when the ledger has no tree sheet), the forms,
//! the order and ids, the one top.

use std::collections::{BTreeMap, BTreeSet, HashMap};

mod merge;
mod slips;

use super::problem::{Place, Problem};
use super::records::{BranchNode, OrgRow, OrgSheets, SheetRef, TreeRow};
use super::text;
use crate::diagnostics::{Severity, Suggestions};
use crate::model::{Date, Form, Level};
use crate::msg;
use crate::vocabulary;
use merge::merge_row;
use slips::slips;

/// Where a node of the tree came from, for ordering and messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Origin {
    /// A row of the party organizations' sheet.
    Tree(u32),
    /// Named by 上级党组织 only, found nowhere else (no tree sheet):
    /// placed before the row that first names it.
    Implicit(u32),
    /// Named first by an organization's row.
    Org(u32),
    /// The work committee put over the parents of a ledger without a
    /// tree sheet.
    Top,
}

impl Origin {
    fn order(self) -> (u8, u32, u8) {
        match self {
            Origin::Top => (0, 0, 0),
            Origin::Tree(r) => (0, r, 0),
            Origin::Implicit(r) => (1, r, 0),
            Origin::Org(r) => (1, r, 1),
        }
    }
}

#[derive(Debug, Clone)]
struct Draft {
    name: String,
    origin: Origin,
    id: Option<String>,
    level: Level,
    /// The cell that gave each attribute, for "row 12 says otherwise".
    level_at: Option<(u32, u32)>,
    form: Option<(Form, Option<(u32, u32)>)>,
    parent: Option<(String, Option<(u32, u32)>)>,
    formed: Option<(Date, Option<(u32, u32)>)>,
    members: Option<u64>,
    members_at: Option<(u32, u32)>,
    /// Organization rows naming it, in order.
    covers: Vec<u32>,
    parent_index: Option<usize>,
}

impl Draft {
    fn new(name: &str, origin: Origin, level: Level) -> Draft {
        Draft {
            name: name.to_string(),
            origin,
            id: None,
            level,
            level_at: None,
            form: None,
            parent: None,
            formed: None,
            members: None,
            members_at: None,
            covers: Vec::new(),
            parent_index: None,
        }
    }
}

/// The outcome of assembling the tree from a set of rows.
pub struct Assembly {
    pub nodes: Vec<BranchNode>,
    /// Per organization row (by row key): its node.
    pub branch_of: HashMap<u32, usize>,
    /// Problems caused by a row of the organizations' sheet.
    pub row_problems: Vec<(u32, Problem)>,
    /// Problems of the tree sheet or of the tree as a whole.
    pub other_problems: Vec<Problem>,
    /// Nodes whose form was left out (partial imports only).
    pub dropped_forms: Vec<String>,
    /// Per node: the cell that names it first, for problems `check`
    /// would find in it.
    pub named_at: Vec<Place>,
}

fn party_word(f: Form) -> &'static str {
    vocabulary::word(vocabulary::FORMS, f)
}

fn level_word(l: Level) -> &'static str {
    vocabulary::word(vocabulary::LEVELS, l)
}

/// What the tree is built from.
pub struct TreeInput<'a> {
    pub orgs: &'a [&'a OrgRow],
    pub sheets: &'a OrgSheets<'a>,
    pub tree: &'a [TreeRow],
    pub tree_sheet: Option<SheetRef<'a>>,
    /// The work committee put over the parents when the ledger has no
    /// tree sheet (`--top`, else named from site.yaml).
    pub top: Option<&'a str>,
    /// Leaves out a form the rows no longer bear out (with `--partial`,
    /// after rows were dropped) instead of failing.
    pub lenient_forms: bool,
}

/// Builds the tree: the party organizations' sheet first, then each node
/// that rows of `orgs` name, with its form, parent, date and members from
/// those rows; then the parents, the top, the forms, the order and ids.
pub fn assemble(input: &TreeInput) -> Assembly {
    let mut b = Builder::new(input);
    b.tree_sheet_nodes();
    for o in input.orgs {
        b.org_row(o);
    }
    b.parents();
    if input.tree_sheet.is_none() {
        b.top();
    }
    b.forms();
    b.finish()
}

/// The tree as it is being built.
struct Builder<'a> {
    input: &'a TreeInput<'a>,
    drafts: Vec<Draft>,
    by_name: HashMap<String, usize>,
    branch_of: HashMap<u32, usize>,
    row_problems: Vec<(u32, Problem)>,
    other_problems: Vec<Problem>,
    dropped_forms: Vec<String>,
    /// `sheet 党组织`, in messages.
    tree_name: String,
}

fn err(place: Place, message: String, help: String) -> Problem {
    Problem {
        severity: Severity::Error,
        place,
        message,
        help: (!help.is_empty()).then_some(help),
    }
}

impl<'a> Builder<'a> {
    fn new(input: &'a TreeInput<'a>) -> Self {
        Builder {
            input,
            drafts: Vec::new(),
            by_name: HashMap::new(),
            branch_of: HashMap::new(),
            row_problems: Vec::new(),
            other_problems: Vec::new(),
            dropped_forms: Vec::new(),
            tree_name: input.tree_sheet.map(|s| s.describe()).unwrap_or_default(),
        }
    }

    fn tree_place(&self, row: u32, col: u32) -> Place {
        self.input
            .tree_sheet
            .map(|s| s.at(row, col))
            .unwrap_or_default()
    }

    /// Where a draft's attribute was given: a cell of the tree sheet or of
    /// an organizations' sheet.
    fn place(&self, at: Option<(u32, u32)>, origin: Origin) -> Place {
        match (origin, at) {
            (Origin::Tree(_), Some((r, c))) => self.tree_place(r, c),
            (_, Some((r, c))) => self.input.sheets.at(r, c),
            _ => self.input.sheets.place(None, None),
        }
    }

    /// A problem of a row of the organizations (which `--partial` may
    /// leave out), or of the tree as a whole.
    fn report(&mut self, origin: Origin, at: Option<(u32, u32)>, p: Problem) {
        match (origin, at) {
            (Origin::Org(_), Some((r, _))) => self.row_problems.push((r, p)),
            _ => self.other_problems.push(p),
        }
    }

    fn add(&mut self, d: Draft) -> usize {
        self.by_name.insert(d.name.clone(), self.drafts.len());
        self.drafts.push(d);
        self.drafts.len() - 1
    }

    /// The nodes of the party organizations' sheet, as it lists them.
    fn tree_sheet_nodes(&mut self) {
        for t in self.input.tree {
            let mut d = Draft::new(
                &t.name,
                Origin::Tree(t.row),
                t.level.as_ref().map_or(Level::Branch, |v| v.v),
            );
            d.id = t.id.as_ref().map(|v| v.v.clone());
            d.level_at = t.level.as_ref().map(|v| (t.row, v.col));
            d.form = t.form.as_ref().map(|v| (v.v, Some((t.row, v.col))));
            d.parent = t
                .parent
                .as_ref()
                .map(|v| (v.v.clone(), Some((t.row, v.col))));
            d.formed = t.formed.as_ref().map(|v| (v.v, Some((t.row, v.col))));
            d.members = t.members;
            self.add(d);
        }
    }

    /// The node an organization's row names, made when first named, with
    /// what the row says of it; a row that says otherwise than an earlier
    /// one is an error at its cell.
    fn org_row(&mut self, o: &OrgRow) {
        let Some(b) = &o.branch else { return };
        let row = o.row;
        let level_given = o.branch_kind.as_ref().and_then(|v| v.v.0);
        let i = match self.by_name.get(&b.v) {
            Some(&i) => i,
            None => {
                let level = level_given
                    .or_else(|| text::level_from_name(&b.v))
                    .unwrap_or(Level::Branch);
                let mut d = Draft::new(&b.v, Origin::Org(row), level);
                d.level_at = o
                    .branch_kind
                    .as_ref()
                    .filter(|_| level_given.is_some())
                    .map(|v| (row, v.col));
                self.add(d)
            }
        };
        self.drafts[i].covers.push(row);
        self.branch_of.insert(row, i);
        let conflicts = merge_row(&mut self.drafts[i], o, &self.tree_name);
        for (col, message, help) in conflicts {
            let p = err(self.input.sheets.at(row, col), message, help);
            self.row_problems.push((row, p));
        }
    }

    /// Each named parent found: a node of the tree sheet or one the rows
    /// name; without a tree sheet, a name found nowhere becomes a node at
    /// the level its name ends in, unless it is a slip of another name.
    fn parents(&mut self) {
        let names: Vec<String> = self.drafts.iter().map(|d| d.name.clone()).collect();
        let mut suggest = Suggestions::new(names.iter().map(String::as_str));
        let slips = if self.input.tree_sheet.is_none() {
            slips(self.input, &self.drafts)
        } else {
            HashMap::new()
        };
        let mut i = 0;
        while i < self.drafts.len() {
            if let Some((pname, at)) = self.drafts[i].parent.clone() {
                let p = self.parent_of(i, &pname, at, &mut suggest, &slips);
                if let Some(p) = p {
                    self.link(i, p, at);
                }
            }
            i += 1;
        }
    }

    fn parent_of(
        &mut self,
        i: usize,
        pname: &str,
        at: Option<(u32, u32)>,
        suggest: &mut Suggestions,
        slips: &HashMap<String, String>,
    ) -> Option<usize> {
        let origin = self.drafts[i].origin;
        if let Some(&p) = self.by_name.get(pname) {
            return Some(p);
        }
        let place = self.place(at, origin);
        if self.input.tree_sheet.is_some() {
            let hint = suggest
                .best(pname)
                .map(|s| msg!("import.did_you_mean", name = s))
                .unwrap_or_default();
            let p = err(
                place,
                msg!(
                    "import.tree.parent_not_in_sheet",
                    name = pname,
                    sheet = self.tree_name
                ),
                msg!(
                    "import.tree.parent_not_in_sheet.help",
                    hint = hint,
                    sheet = self.tree_name
                ),
            );
            self.report(origin, at, p);
            return None;
        }
        if let Some(right) = slips.get(pname) {
            let p = err(
                place,
                msg!("import.tree.parent_slip", name = pname, other = right),
                msg!("import.tree.parent_slip.help", other = right),
            );
            self.report(origin, at, p);
            return None;
        }
        let level = if self.input.top == Some(pname) {
            Some(Level::WorkCommittee)
        } else {
            text::level_from_name(pname)
        };
        let Some(level) = level else {
            let p = err(
                place,
                msg!("import.tree.parent_unknown_level", name = pname),
                msg!("import.tree.parent_unknown_level.help"),
            );
            self.report(origin, at, p);
            return None;
        };
        let first = self.drafts[i].covers.first().copied().unwrap_or(0);
        Some(self.add(Draft::new(pname, Origin::Implicit(first), level)))
    }

    /// Puts node `i` under `p` when `p` stands higher.
    fn link(&mut self, i: usize, p: usize, at: Option<(u32, u32)>) {
        let (d, up) = (&self.drafts[i], &self.drafts[p]);
        if up.level < d.level {
            self.drafts[i].parent_index = Some(p);
            return;
        }
        let message = msg!(
            "import.tree.parent_lower",
            name = d.name,
            level = level_word(d.level),
            parent = up.name,
            parent_level = level_word(up.level)
        );
        let origin = d.origin;
        let p = err(
            self.place(at, origin),
            message,
            msg!("import.tree.parent_lower.help"),
        );
        self.report(origin, at, p);
    }

    /// A ledger without a tree sheet: the nodes without a parent go under
    /// one work committee, the one the ledger names if it names one alone,
    /// else the one `--top` or site.yaml names.
    fn top(&mut self) {
        let roots: Vec<usize> = (0..self.drafts.len())
            .filter(|&i| self.drafts[i].parent.is_none())
            .collect();
        let committees: Vec<usize> = roots
            .iter()
            .copied()
            .filter(|&i| self.drafts[i].level == Level::WorkCommittee)
            .collect();
        let top = match committees.as_slice() {
            [one] => *one,
            [] if roots.is_empty() => return,
            [] => match self.input.top {
                Some(name) => self.add(Draft::new(name, Origin::Top, Level::WorkCommittee)),
                None => {
                    let p = err(
                        self.input.sheets.place(None, None),
                        msg!("import.tree.no_top"),
                        msg!("import.tree.no_top.help"),
                    );
                    self.other_problems.push(p);
                    return;
                }
            },
            // Several work committees: the check of one top says so.
            _ => return,
        };
        let top_name = self.drafts[top].name.clone();
        for i in roots {
            if i != top {
                self.drafts[i].parent = Some((top_name.clone(), None));
                self.drafts[i].parent_index = Some(top);
            }
        }
    }

    /// Forms: a single branch covers exactly one organization, a joint one
    /// two or more.
    fn forms(&mut self) {
        for i in 0..self.drafts.len() {
            let d = &self.drafts[i];
            let Some((form, at)) = d.form else { continue };
            let n = d.covers.len();
            let wrong = match form {
                Form::Single => n != 1,
                Form::Joint => n < 2,
            };
            if !wrong {
                continue;
            }
            if self.input.lenient_forms {
                self.dropped_forms.push(msg!(
                    "import.tree.form_dropped",
                    name = d.name,
                    form = party_word(form),
                    n = n
                ));
                self.drafts[i].form = None;
                continue;
            }
            self.wrong_form(i, form, at);
        }
    }

    fn wrong_form(&mut self, i: usize, form: Form, at: Option<(u32, u32)>) {
        let d = &self.drafts[i];
        let orgs = self.input.orgs;
        let sheets = self.input.sheets;
        let row_of = |r: u32| orgs.iter().find(|o| o.row == r);
        let rows: Vec<String> = d
            .covers
            .iter()
            .map(|&r| OrgSheets::row_no(r).to_string())
            .collect();
        match (form, d.covers.len()) {
            (Form::Single, n) if n > 1 => {
                for &r in &d.covers[1..] {
                    let col = row_of(r)
                        .and_then(|o| o.branch.as_ref())
                        .map_or(0, |b| b.col);
                    let p = err(
                        sheets.at(r, col),
                        msg!(
                            "import.tree.single_many",
                            name = d.name,
                            rows = rows.join(", ")
                        ),
                        msg!("import.tree.single_many.help"),
                    );
                    self.row_problems.push((r, p));
                }
            }
            (Form::Joint, 1) => {
                let r = d.covers[0];
                let col = row_of(r).map_or(0, |o| o.branch_col(|o| o.branch_kind.as_ref()));
                let p = err(
                    sheets.at(r, col),
                    msg!("import.tree.joint_one", name = d.name),
                    msg!("import.tree.joint_one.help"),
                );
                self.row_problems.push((r, p));
            }
            _ => {
                let place = match at {
                    Some((r, c)) if matches!(d.origin, Origin::Tree(_)) => self.tree_place(r, c),
                    _ => sheets.place(None, None),
                };
                let p = err(
                    place,
                    msg!(
                        "import.tree.form_unused",
                        name = d.name,
                        form = party_word(form)
                    ),
                    msg!("import.tree.form_unused.help"),
                );
                self.other_problems.push(p);
            }
        }
    }

    /// The nodes in order (the tree sheet's rows, then in order of first
    /// appearance), with their ids; then the check of one top.
    fn finish(mut self) -> Assembly {
        let drafts = &self.drafts;
        let mut order: Vec<usize> = (0..drafts.len()).collect();
        order.sort_by_key(|&i| drafts[i].origin.order());
        let mut new_index = vec![0; drafts.len()];
        for (n, &i) in order.iter().enumerate() {
            new_index[i] = n;
        }
        let ids = node_ids(&order.iter().map(|&i| &drafts[i]).collect::<Vec<_>>());
        let nodes: Vec<BranchNode> = order
            .iter()
            .zip(ids)
            .map(|(&i, id)| {
                let d = &drafts[i];
                BranchNode {
                    id,
                    name: d.name.clone(),
                    level: d.level,
                    parent: d.parent_index.map(|p| new_index[p]),
                    form: d.form.map(|f| f.0),
                    formed: d.formed.map(|f| f.0),
                    members: d.members,
                }
            })
            .collect();
        let branch_of = std::mem::take(&mut self.branch_of)
            .into_iter()
            .map(|(r, i)| (r, new_index[i]))
            .collect();
        self.one_top(&order, &nodes);
        let named_at = order.iter().map(|&i| self.named_at(i)).collect();
        Assembly {
            nodes,
            branch_of,
            named_at,
            row_problems: self.row_problems,
            other_problems: self.other_problems,
            dropped_forms: self.dropped_forms,
        }
    }

    fn named_at(&self, i: usize) -> Place {
        let d = &self.drafts[i];
        let sheets = self.input.sheets;
        match d.origin {
            Origin::Tree(r) => {
                let col = self
                    .input
                    .tree
                    .iter()
                    .find(|t| t.row == r)
                    .map_or(0, |t| t.name_col);
                self.tree_place(r, col)
            }
            Origin::Org(r) => {
                let o = self.input.orgs.iter().find(|o| o.row == r);
                let col = o.and_then(|o| o.branch.as_ref()).map(|b| b.col);
                sheets.place(Some(r), col)
            }
            Origin::Implicit(_) | Origin::Top => {
                // The first cell that names it as a parent.
                let child = self.drafts.iter().find(|c| c.parent_index == Some(i));
                match child.and_then(|c| c.parent.as_ref()).and_then(|p| p.1) {
                    Some((r, c)) => sheets.at(r, c),
                    None => sheets.place(None, None),
                }
            }
        }
    }

    /// One root: with a tree sheet its nodes decide, and a branch the rows
    /// name without a parent is an error at its row; without one, several
    /// work committees are an error of the sheet.
    fn one_top(&mut self, order: &[usize], nodes: &[BranchNode]) {
        let roots: Vec<usize> = order
            .iter()
            .enumerate()
            .filter(|(_, &i)| self.drafts[i].parent.is_none())
            .map(|(n, _)| n)
            .collect();
        if roots.len() < 2 {
            return;
        }
        let first_root = nodes[roots[0]].name.clone();
        if self.input.tree_sheet.is_none() {
            let names: Vec<&str> = roots
                .iter()
                .take(5)
                .map(|&n| nodes[n].name.as_str())
                .collect();
            let more = if roots.len() > 5 { ", …" } else { "" };
            let p = err(
                self.input.sheets.place(None, None),
                msg!(
                    "import.tree.several_tops",
                    n = roots.len(),
                    names = names.join(", "),
                    more = more
                ),
                msg!("import.tree.several_tops.help"),
            );
            self.other_problems.push(p);
            return;
        }
        for &n in &roots[1..] {
            let d = &self.drafts[order[n]];
            match d.origin {
                Origin::Tree(r) => {
                    let col = self
                        .input
                        .tree
                        .iter()
                        .find(|t| t.row == r)
                        .map_or(0, |t| t.name_col);
                    let p = err(
                        self.tree_place(r, col),
                        msg!("import.tree.second_top", name = d.name, first = first_root),
                        msg!("import.tree.second_top.help"),
                    );
                    self.other_problems.push(p);
                }
                Origin::Org(r) | Origin::Implicit(r) => {
                    let o = self.input.orgs.iter().find(|o| o.row == r);
                    let col = o.map_or(0, |o| o.branch_col(|o| o.branch_parent.as_ref()));
                    let p = err(
                        self.input.sheets.at(r, col),
                        msg!("import.tree.row_top", name = d.name, sheet = self.tree_name),
                        msg!("import.tree.row_top.help", sheet = self.tree_name),
                    );
                    self.row_problems.push((r, p));
                }
                Origin::Top => {}
            }
        }
    }
}

/// Ids of the nodes in order: an explicit id, else one from the level and
/// the order of appearance: `wc-1`, `cm-01`, `gb-01`, `br-0001`.
fn node_ids(drafts: &[&Draft]) -> Vec<String> {
    let taken: BTreeSet<&str> = drafts.iter().filter_map(|d| d.id.as_deref()).collect();
    let mut next: BTreeMap<Level, usize> = BTreeMap::new();
    drafts
        .iter()
        .map(|d| {
            if let Some(id) = &d.id {
                return id.clone();
            }
            let (prefix, width) = match d.level {
                Level::WorkCommittee => ("wc", 1),
                Level::Committee => ("cm", 2),
                Level::GeneralBranch => ("gb", 2),
                Level::Branch => ("br", 4),
            };
            loop {
                let n = next.entry(d.level).or_insert(0);
                *n += 1;
                let id = format!("{prefix}-{:0width$}", *n);
                if !taken.contains(id.as_str()) {
                    return id;
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::read::Sheet;
    use crate::import::records::Val;

    fn row(r: u32, branch: &str, parent: &str) -> OrgRow {
        OrgRow {
            row: r,
            name: Some(format!("企业{r}")),
            branch: Some(Val {
                v: branch.into(),
                col: 8,
            }),
            branch_parent: (!parent.is_empty()).then(|| Val {
                v: parent.into(),
                col: 10,
            }),
            ..OrgRow::default()
        }
    }

    fn assemble_rows(rows: &[OrgRow], top: Option<&str>) -> Assembly {
        let sheet = Sheet {
            name: "Sheet1".into(),
            ..Sheet::default()
        };
        let sheets = OrgSheets(vec![SheetRef {
            file: 0,
            sheet: &sheet,
            index: 0,
            csv: false,
        }]);
        let refs: Vec<&OrgRow> = rows.iter().collect();
        assemble(&TreeInput {
            orgs: &refs,
            sheets: &sheets,
            tree: &[],
            tree_sheet: None,
            top,
            lenient_forms: false,
        })
    }

    fn parent_of<'a>(a: &'a Assembly, name: &str) -> Option<&'a str> {
        let n = a.nodes.iter().find(|n| n.name == name)?;
        n.parent.map(|p| a.nodes[p].name.as_str())
    }

    const GB: &str = "蟠龙镇非公企业党总支";
    const CM: &str = "经开区非公企业综合党委";

    #[test]
    fn the_parents_go_under_one_top_at_the_level_their_names_end_in() {
        let rows = [
            row(2, "甲党支部", GB),
            row(3, "乙党支部", GB),
            row(4, "丙党支部", CM),
        ];
        let a = assemble_rows(&rows, Some("测试开发区党工委"));
        assert!(a.other_problems.is_empty() && a.row_problems.is_empty());
        assert_eq!(a.nodes[0].name, "测试开发区党工委");
        assert_eq!(a.nodes[0].level, Level::WorkCommittee);
        assert_eq!(a.nodes[0].id, "wc-1");
        let level = |n: &str| a.nodes.iter().find(|b| b.name == n).map(|b| b.level);
        assert_eq!(level(GB), Some(Level::GeneralBranch));
        assert_eq!(level(CM), Some(Level::Committee));
        assert_eq!(parent_of(&a, GB), Some("测试开发区党工委"));
        assert_eq!(parent_of(&a, CM), Some("测试开发区党工委"));
        assert_eq!(parent_of(&a, "甲党支部"), Some(GB));
    }

    #[test]
    fn a_parent_a_character_off_is_an_error_at_its_cell_not_a_new_top() {
        let rows = [
            row(2, "甲党支部", GB),
            row(3, "乙党支部", GB),
            row(4, "丙党支部", "蟠龙镇非公企业党总枝"),
        ];
        let a = assemble_rows(&rows, Some("测试开发区党工委"));
        assert_eq!(a.row_problems.len(), 1, "{:?}", a.row_problems);
        let (r, p) = &a.row_problems[0];
        assert_eq!((*r, p.place.row, p.place.col), (4, Some(4), Some(10)));
        assert!(p.message.contains(GB), "{}", p.message);
        assert!(!a.nodes.iter().any(|n| n.name.ends_with("党总枝")));
    }

    #[test]
    fn a_work_committee_the_ledger_names_is_the_top() {
        let rows = [row(2, "甲党支部", GB), row(3, GB, "经开区党工委")];
        let a = assemble_rows(&rows, Some("测试开发区党工委"));
        assert!(!a.nodes.iter().any(|n| n.name == "测试开发区党工委"));
        assert_eq!(parent_of(&a, GB), Some("经开区党工委"));
        let roots = a.nodes.iter().filter(|n| n.parent.is_none()).count();
        assert_eq!(roots, 1);
    }

    #[test]
    fn without_a_name_for_the_top_the_error_says_how_to_give_one() {
        let a = assemble_rows(&[row(2, "甲党支部", GB)], None);
        assert_eq!(a.other_problems.len(), 1);
        let help = a.other_problems[0].help.clone().unwrap_or_default();
        assert!(help.contains("--top"), "{help}");
    }
}
