//! The command line (clap derive; the `///` comments are the --help text).

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Compiles YAML registers and a Markdown write-up into a static annual
/// report site with coverage charts.
#[derive(Parser, Debug)]
#[command(name = "nianbao", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// The language of messages: zh-CN or en (default: the locale, else the site's language).
    #[arg(long, global = true, value_name = "LANG")]
    pub lang: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build the site: content/ → output/ (the last good site stays if the build fails).
    Build {
        /// The content folder.
        #[arg(short, long, default_value = "content")]
        content: PathBuf,
        /// The folder the site is written to.
        #[arg(short, long, default_value = "output")]
        output: PathBuf,
        /// Present this year instead of site.yaml's `year`.
        #[arg(long)]
        year: Option<i32>,
        /// Print nothing but problems.
        #[arg(short, long)]
        quiet: bool,
        /// For a roll-up site: link each member where its `url:` says
        /// instead of carrying its site under members/<id>/.
        #[arg(long)]
        no_carry: bool,
    },
    /// Freeze year Y's site and its source into content/archive/Y/ as a BagIt bag (never rewritten).
    Archive {
        /// The content folder.
        #[arg(short, long, default_value = "content")]
        content: PathBuf,
        /// The year to freeze; data/<year>/ must exist.
        #[arg(long)]
        year: i32,
    },
    /// Check an archived snapshot (a BagIt bag) against its manifests; exit 1 on any problem.
    Verify {
        /// The snapshot folder, e.g. content/archive/2016.
        dir: PathBuf,
    },
    /// Write one chart for a briefing (SVG, PNG at 2x or CSV) without building the site.
    Chart {
        /// The chart id, e.g. coverage-by-kind; an unknown id lists the known ones.
        id: String,
        /// The form to write.
        #[arg(long, value_enum, default_value_t = ChartFormat::Svg)]
        format: ChartFormat,
        /// The content folder.
        #[arg(short, long, default_value = "content")]
        content: PathBuf,
        /// Draw the chart for this year instead of site.yaml's `year`.
        #[arg(long)]
        year: Option<i32>,
        /// The file to write (default: <id>.<format> in the current folder).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Replace the file even when it exists and nianbao did not write it.
        #[arg(long)]
        force: bool,
    },
    /// Preview the site on 127.0.0.1 with live reload: rebuilt in memory on every save.
    Serve {
        /// The content folder.
        #[arg(short, long, default_value = "content")]
        content: PathBuf,
        /// The port (default 1111; the next free one when it is in use). `127.0.0.1:P` also works.
        #[arg(short, long)]
        port: Option<String>,
        /// Listen on this address instead of 127.0.0.1 (e.g. 0.0.0.0 lets other machines read the site).
        #[arg(long)]
        bind: Option<String>,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Present this year instead of site.yaml's `year`.
        #[arg(long)]
        year: Option<i32>,
    },
    /// Scaffold a new site in DIR (which must be empty or not exist): site.yaml, a small register, two pages.
    New {
        /// The folder to create the site in.
        dir: PathBuf,
        /// The interface language of the new site.
        #[arg(long, default_value = "zh-CN", value_parser = ["zh-CN", "en"])]
        language: String,
        /// The year the site presents: site.yaml's `year` and data/<year>/ (default: the current year).
        #[arg(long, value_parser = clap::value_parser!(i32).range(1900..=2999))]
        year: Option<i32>,
    },
    /// Validate everything and write nothing; exit 1 on errors.
    Check {
        /// The content folder.
        #[arg(short, long, default_value = "content")]
        content: PathBuf,
        /// Check the site as it presents this year instead of site.yaml's `year`.
        #[arg(long)]
        year: Option<i32>,
    },
    /// Write the annual summary as an editable Word document (.docx): key figures, charts, write-up, data quality.
    Brief {
        /// The content folder.
        #[arg(short, long, default_value = "content")]
        content: PathBuf,
        /// The year of the summary instead of site.yaml's `year`.
        #[arg(long)]
        year: Option<i32>,
        /// What to write: the whole report, or the two-page summary brief.
        #[arg(long, value_enum, default_value_t = BriefKind::Report)]
        kind: BriefKind,
        /// The form to write: a Word document, or a 16:9 slide deck (the
        /// deck is the same for both kinds).
        #[arg(long, value_enum, default_value_t = BriefFormat::Docx)]
        format: BriefFormat,
        /// The file to write (default: brief-<year>.docx, brief-<year>-summary.docx or brief-<year>.pptx in the current folder).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Replace the file even when it exists and nianbao did not write it.
        #[arg(long)]
        force: bool,
    },
    /// Write a year's registers as a spreadsheet that `import` reads back (two sheets, Chinese headers).
    Export {
        /// The content folder.
        #[arg(short, long, default_value = "content")]
        content: PathBuf,
        /// The year of the registers instead of site.yaml's `year`.
        #[arg(long)]
        year: Option<i32>,
        /// The form to write.
        #[arg(long, value_enum, default_value_t = ExportFormat::Xlsx)]
        format: ExportFormat,
        /// The file to write (default: registers-<year>.xlsx in the current folder).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Replace the file even when it exists and nianbao did not write it.
        #[arg(long)]
        force: bool,
        /// Also write the organizations' private fields (联系人, 联系电话 …), so that
        /// importing the workbook again loses nothing; every sheet is marked 内部资料.
        #[arg(long)]
        include_private: bool,
    },
    /// Import a register kept as a spreadsheet (.xlsx, .xls, .ods, .csv) into organizations.yaml and branches.yaml.
    Import {
        /// The spreadsheets: .xlsx, .xls, .ods, or .csv in UTF-8 or GB18030; several are read as one register.
        #[arg(value_name = "FILE", required = true, num_args = 1..)]
        files: Vec<PathBuf>,
        /// The year folder to write to, e.g. content/data/2016/.
        #[arg(long, value_name = "DIR")]
        into: PathBuf,
        /// The sheet of the organizations (default: every sheet with a recognised header row that is not a sheet 党组织).
        #[arg(long, value_name = "NAME")]
        sheet: Option<String>,
        /// A mapping file: sheet, header row, column → field, value spellings, defaults.
        #[arg(long, value_name = "MAP.yaml")]
        map: Option<PathBuf>,
        /// Replace organizations.yaml and branches.yaml when they exist (the changes are listed).
        #[arg(long)]
        force: bool,
        /// With errors, write the good rows anyway, and the rest into import-report.txt.
        #[arg(long)]
        partial: bool,
        /// The party organizations' tree from another file (default: a sheet 党组织 of FILE).
        #[arg(long, value_name = "FILE")]
        tree: Option<PathBuf>,
        /// The kind of every row without a 类型 cell: enterprise, social_org or individual (企业, 社会组织, 个体工商户); default: what the title row, sheet name or file name says.
        #[arg(long, value_name = "KIND")]
        kind: Option<String>,
        /// The work committee over the parents named in 上级党组织, when there is no sheet 党组织 (default: site.yaml's issuer, or its title's place + 党工委).
        #[arg(long, value_name = "NAME")]
        top: Option<String>,
        /// With --force: replace the registers even though private fields they hold
        /// (联系人, 联系电话 …) are not in the spreadsheet and would be lost.
        #[arg(long)]
        drop_private: bool,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum BriefFormat {
    Docx,
    Pptx,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum BriefKind {
    Report,
    Summary,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Xlsx,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartFormat {
    Svg,
    Png,
    Csv,
}

impl ChartFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ChartFormat::Svg => "svg",
            ChartFormat::Png => "png",
            ChartFormat::Csv => "csv",
        }
    }
}

impl From<ChartFormat> for nianbao::present::charts::Format {
    fn from(f: ChartFormat) -> Self {
        use nianbao::present::charts::Format;
        match f {
            ChartFormat::Svg => Format::Svg,
            ChartFormat::Png => Format::Png,
            ChartFormat::Csv => Format::Csv,
        }
    }
}
