//! The resolved model: validated, typed values with references turned into
//! indices. Nothing downstream of `resolve` sees raw YAML.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use crate::diagnostics::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// Parses `YYYY-MM-DD`, checking the day exists in that month.
    pub fn parse(s: &str) -> Option<Date> {
        let mut it = s.trim().splitn(3, '-');
        let (y, m, d) = (it.next()?, it.next()?, it.next()?);
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        let date = Date {
            year: y.parse().ok()?,
            month: m.parse().ok()?,
            day: d.parse().ok()?,
        };
        let leap = date.year % 4 == 0 && (date.year % 100 != 0 || date.year % 400 == 0);
        let days = match date.month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days).contains(&date.day).then_some(date)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

macro_rules! keyword_enum {
    ($name:ident $label:literal { $($variant:ident = $text:literal),+ $(,)? }) => {
        keyword_enum!($name { $($variant = $text),+ });

        impl $name {
            /// The key of the value's name in the theme's i18n files.
            pub fn label_key(self) -> &'static str {
                match self { $($name::$variant => concat!($label, "_", $text)),+ }
            }
        }
    };
    ($name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub const NAMES: &'static [&'static str] = &[$($text),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(s: &str) -> Option<$name> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

keyword_enum!(Kind "kind" {
    Enterprise = "enterprise",
    SocialOrg = "social_org",
    Individual = "individual",
});

keyword_enum!(Status "status" {
    Active = "active",
    Shell = "shell",
    Zombie = "zombie",
    Duplicate = "duplicate",
});

// Declared from the top of the tree down: a parent's level must be lower in
// this order (higher in the hierarchy) than its child's.
keyword_enum!(Level "level" {
    WorkCommittee = "work_committee",
    Committee = "committee",
    GeneralBranch = "general_branch",
    Branch = "branch",
});

keyword_enum!(Form "form" {
    Single = "single",
    Joint = "joint",
});

keyword_enum!(Language {
    ZhCn = "zh-CN",
    En = "en",
});

// Scopes of derivable metric keys: `<scope>.<measure>`.
keyword_enum!(Scope "scope" {
    Enterprise = "enterprise",
    SocialOrg = "social_org",
    Individual = "individual",
    All = "all",
});

keyword_enum!(Measure "measure" {
    Base = "base",
    Covered = "covered",
    CoverageRate = "coverage_rate",
    WorkCovered = "work_covered",
    WorkCoverageRate = "work_coverage_rate",
    PartyOrgs = "party_orgs",
    JointBranches = "joint_branches",
    SingleBranches = "single_branches",
    GeneralBranches = "general_branches",
    NewPartyOrgs = "new_party_orgs",
    Members = "members",
});

impl Scope {
    pub fn includes(self, kind: Kind) -> bool {
        match self {
            Scope::Enterprise => kind == Kind::Enterprise,
            Scope::SocialOrg => kind == Kind::SocialOrg,
            Scope::Individual => kind == Kind::Individual,
            Scope::All => true,
        }
    }
}

impl Measure {
    pub fn is_rate(self) -> bool {
        matches!(self, Measure::CoverageRate | Measure::WorkCoverageRate)
    }
}

/// A derivable key such as `enterprise.coverage_rate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FigureKey {
    pub scope: Scope,
    pub measure: Measure,
}

impl fmt::Display for FigureKey {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}.{}", self.scope.as_str(), self.measure.as_str())
    }
}

#[derive(Debug, Clone)]
pub struct SiteConfig {
    pub title: String,
    pub language: Language,
    pub year: i32,
    /// The year site.yaml presents (`year` may be another, asked for on the
    /// command line): `pages/*.md` is this year's write-up.
    pub declared_year: i32,
    /// Where `year` is written, for "no data for year" errors.
    pub year_span: Span,
    pub theme: String,
    pub description: Option<String>,
    pub notice: Option<String>,
    /// Overrides of the theme's interface strings, by i18n key.
    pub labels: BTreeMap<String, String>,
    /// The output may hold what looks like resident ID or mobile numbers
    /// (`scan` refuses them otherwise).
    pub allow_personal_numbers: bool,
    /// The chart the home page shows, as written (checked against the
    /// charts when they are drawn), with where it is written.
    pub home_chart: Option<(String, Span)>,
    /// The issuing body and the issue number on the summary brief's header.
    pub issuer: Option<String>,
    pub brief_number: Option<String>,
    /// Rendering for the author (`serve`): pages also show the keys, ids
    /// and shortcodes that a published site keeps out of its text.
    pub preview: bool,
    /// The members of a roll-up site (empty for a site of registers).
    pub rollup: Vec<Member>,
}

/// A member of a roll-up: a site whose `summary.json` it adds up.
#[derive(Debug, Clone)]
pub struct Member {
    pub id: String,
    pub name: String,
    pub source: MemberSource,
    /// Where the member's site is published (`build --no-carry` links there).
    pub url: Option<String>,
    /// The member's entry in site.yaml, for its errors.
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MemberSource {
    /// A bag written by `archive` (absolute, or as written relative to the
    /// content folder).
    Snapshot(PathBuf),
    /// A live content folder, built in memory.
    Content(PathBuf),
}

#[derive(Debug, Clone)]
pub struct Organization {
    pub id: String,
    pub name: String,
    pub kind: Kind,
    pub township: Option<String>,
    pub in_park: bool,
    pub industry: Option<String>,
    pub employees: Option<u64>,
    pub party_members: Option<u64>,
    pub status: Status,
    /// Index into the year's branches.
    pub branch: Option<usize>,
    pub instructor: bool,
}

#[derive(Debug, Clone)]
pub struct Branch {
    pub id: String,
    pub name: String,
    pub level: Level,
    pub parent: Option<usize>,
    pub form: Option<Form>,
    pub formed: Option<Date>,
    pub members: Option<u64>,
    /// Children in file order.
    pub children: Vec<usize>,
    /// Organizations whose `branch` names this one, in file order.
    pub covers: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Metric {
    pub key: String,
    pub label: Option<String>,
    pub value: f64,
    pub unit: Option<String>,
    pub derivable: Option<FigureKey>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct YearData {
    pub year: i32,
    pub as_of: Date,
    pub organizations: Vec<Organization>,
    pub branches: Vec<Branch>,
    pub metrics: Vec<Metric>,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub slug: String,
    pub title: String,
    pub weight: i64,
    pub summary: Option<String>,
    pub body: String,
    pub source: PathBuf,
    /// Line of the file on which the body starts (1-based).
    pub body_line: usize,
    /// The year of a page of `pages/<year>/`; `None` for `pages/*.md`.
    pub year: Option<i32>,
}

#[derive(Debug, Clone)]
pub struct Site {
    pub config: SiteConfig,
    /// Shared: a long-running process (`serve`) keeps the years no save
    /// touched from one build to the next.
    pub years: BTreeMap<i32, std::sync::Arc<YearData>>,
    pub pages: Vec<Page>,
}

impl Site {
    pub fn current(&self) -> &YearData {
        &self.years[&self.config.year]
    }

    /// Year `year`'s write-up, in order: its folder `pages/<year>/`, and for
    /// the year site.yaml presents also `pages/*.md`.
    pub fn write_up(&self, year: i32) -> Vec<Page> {
        self.pages
            .iter()
            .filter(|p| {
                p.year == Some(year) || (p.year.is_none() && year == self.config.declared_year)
            })
            .cloned()
            .collect()
    }
}
