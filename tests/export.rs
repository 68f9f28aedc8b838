//! `nianbao export --format xlsx`: the registers as a workbook. The same
//! bytes from every run; headers, counts, frozen header row and widths as
//! openpyxl reads them (where installed: `.ci/run` installs it); export →
//! `nianbao import` → the same records; LibreOffice opens it where
//! installed.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;
use nianbao::diagnostics::Diagnostics;
use nianbao::model::Site;

fn export(dir: &Path, args: &[&str]) -> Vec<u8> {
    let mut all = vec!["export", "-c", "content", "--format", "xlsx"];
    all.extend_from_slice(args);
    written(dir, &all)
}

#[test]
fn the_same_bytes_from_every_run() {
    let dir = example();
    let a = export(dir.path(), &[]);
    assert!(dir.path().join("registers-2016.xlsx").is_file());
    let b = export(dir.path(), &["--year", "2016", "-o", "again.xlsx"]);
    assert!(a == b, "two exports differ");
    assert!(a.starts_with(b"PK"));
    let c = export(dir.path(), &["--year", "2015"]);
    assert!(dir.path().join("registers-2015.xlsx").is_file());
    assert!(a != c);
}

#[test]
fn private_fields_stay_out() {
    let dir = example();
    let bytes = export(dir.path(), &[]);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut all = String::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        std::io::Read::read_to_string(&mut f, &mut all).unwrap();
    }
    assert!(all.contains("示例企业 0001"), "the names are there");
    assert!(
        !all.contains("示例联系人") && !all.contains("内部备注"),
        "a private field was exported"
    );
}

#[test]
fn personal_numbers_are_refused_unless_allowed() {
    let dir = site_copy("minimal");
    let orgs = dir.path().join("content/data/2016/organizations.yaml");
    let text = read(&orgs);
    let name = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("name: "))
        .unwrap()
        .to_string();
    edit(&orgs, &name, &format!("{name} 13812345678"));
    let out = nianbao(dir.path(), &["export", "-c", "content"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("138****5678"));
    assert!(!dir.path().join("registers-2016.xlsx").exists());
    let site_yaml = dir.path().join("content/site.yaml");
    std::fs::write(
        &site_yaml,
        read(&site_yaml) + "allow_personal_numbers: true\n",
    )
    .unwrap();
    export(dir.path(), &[]);
}

#[test]
fn refuses_missing_or_broken_content() {
    let dir = tempfile::tempdir().unwrap();
    let out = nianbao(dir.path(), &["export", "-c", "nowhere"]);
    assert_eq!(out.status.code(), Some(2));
    let out = nianbao(dir.path(), &["export", "--format", "csv"]);
    assert_eq!(out.status.code(), Some(2), "only xlsx");
    let dir = site_copy("minimal");
    edit(
        &dir.path().join("content/data/2016/organizations.yaml"),
        "kind: enterprise",
        "kind: enterprize",
    );
    let out = nianbao(dir.path(), &["export", "-c", "content"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!dir.path().join("registers-2016.xlsx").exists());
}

fn python_has(module: &str) -> bool {
    let ok = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!(
            "note: python3 with {module} is not available; skipping the check by a reader nianbao did not write (pip install openpyxl)"
        );
    }
    ok
}

const READ_XLSX: &str = r#"
import json, sys, datetime, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = []
for ws in wb.worksheets:
    rows = [[(c.isoformat()[:10] if isinstance(c, datetime.datetime) else c) for c in r]
            for r in ws.iter_rows(values_only=True)]
    widths = [None] * ws.max_column
    for d in ws.column_dimensions.values():  # a <col> may span columns
        for i in range(d.min, d.max + 1):
            if i <= ws.max_column:
                widths[i - 1] = d.width
    out.append({"title": ws.title, "rows": rows, "freeze": ws.freeze_panes,
                "filter": ws.auto_filter.ref, "widths": widths})
print(json.dumps(out, ensure_ascii=False))
"#;

#[test]
fn openpyxl_reads_headers_counts_and_layout() {
    if !python_has("openpyxl") {
        return;
    }
    let dir = example();
    export(dir.path(), &[]);
    let out = Command::new("python3")
        .args(["-c", READ_XLSX, "registers-2016.xlsx"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "openpyxl: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sheets: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let sheets = sheets.as_array().unwrap();
    assert_eq!(sheets[0]["title"], "组织名录");
    assert_eq!(sheets[1]["title"], "党组织");
    let headers = |s: &serde_json::Value| -> Vec<String> {
        s["rows"][0]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        headers(&sheets[0]),
        [
            "标识",
            "单位名称",
            "类型",
            "所属乡镇/街道",
            "是否在园区",
            "行业",
            "从业人员",
            "党员人数",
            "状态",
            "党组织名称",
            "党建指导员",
            "纳入基数",
            "覆盖方式",
            "组织覆盖",
            "工作覆盖"
        ]
    );
    assert_eq!(
        headers(&sheets[1]),
        [
            "标识",
            "党组织名称",
            "层级",
            "上级党组织",
            "党组织类型",
            "成立时间",
            "党员人数",
            "直接覆盖组织数",
            "下辖覆盖组织数",
            "本年新建"
        ]
    );
    // One row per record: 855 organizations (814 in the base), 176 party
    // organizations in the 2016 register.
    let rows = |s: &serde_json::Value| s["rows"].as_array().unwrap().len() - 1;
    assert_eq!(rows(&sheets[0]), 855);
    assert_eq!(rows(&sheets[1]), 176);
    let org_rows = sheets[0]["rows"].as_array().unwrap();
    let in_base = org_rows.iter().filter(|r| r[11] == "是").count();
    assert_eq!(in_base, 814);
    let first = &org_rows[1];
    assert_eq!(first[0], "ent-0001");
    assert_eq!(first[2], "企业");
    assert!(first[6].is_number() && first[7].is_number(), "{first}");
    let branches = sheets[1]["rows"].as_array().unwrap();
    assert!(branches
        .iter()
        .any(|r| r[5].as_str().is_some_and(|d| d.starts_with("2016-"))));
    for s in &sheets[..2] {
        assert_eq!(s["freeze"], "A2", "the header row is frozen");
        assert!(s["filter"].as_str().is_some_and(|f| f.starts_with("A1:")));
        // Every column at least as wide as its header (a CJK character
        // takes two units).
        let widths = s["widths"].as_array().unwrap();
        for (h, w) in headers(s).iter().zip(widths) {
            let need = h
                .chars()
                .map(|c| if c.is_ascii() { 1.0 } else { 2.0 })
                .sum::<f64>();
            assert!(w.as_f64().unwrap() >= need, "{h}: {w}");
        }
    }
    // The name column fits "示例企业 0001" and the branches' long names.
    assert!(sheets[0]["widths"][1].as_f64().unwrap() >= 13.0);
}

/// The registers of `year` as the model holds them, with every reference
/// by id: what an import must give back.
fn records(content: &Path, year: i32) -> (Vec<String>, Vec<String>) {
    let mut diags = Diagnostics::default();
    let raw = nianbao::load::load(content, &mut diags);
    let site: Site = nianbao::resolve::resolve(&raw, Some(year), &mut diags)
        .unwrap_or_else(|| panic!("{}", diags.render()));
    let data = &site.years[&year];
    let branch_id = |b: Option<usize>| b.map(|i| data.branches[i].id.clone());
    let orgs = data
        .organizations
        .iter()
        .map(|o| {
            format!(
                "{} {} {:?} {:?} {} {:?} {:?} {:?} {:?} {:?} {}",
                o.id,
                o.name,
                o.kind,
                o.township,
                o.in_park,
                o.industry,
                o.employees,
                o.party_members,
                o.status,
                branch_id(o.branch),
                o.instructor
            )
        })
        .collect();
    let branches = data
        .branches
        .iter()
        .map(|b| {
            format!(
                "{} {} {:?} {:?} {:?} {:?} {:?}",
                b.id,
                b.name,
                b.level,
                branch_id(b.parent),
                b.form,
                b.formed.map(|d| d.to_string()),
                b.members
            )
        })
        .collect();
    (orgs, branches)
}

#[test]
fn export_then_import_gives_the_same_records() {
    let dir = example();
    for year in [2016, 2015] {
        let y = year.to_string();
        // With the private fields, which an import over registers that
        // hold them must not lose (tests/round_trip.rs).
        export(
            dir.path(),
            &["--year", &y, "-o", "registers.xlsx", "--include-private"],
        );
        // Import into a copy of the content, over that year's files.
        let copy = dir.path().join(format!("copy-{year}"));
        copy_dir(&dir.path().join("content"), &copy.join("content"));
        let into = format!("content/data/{year}");
        let file = dir.path().join("registers.xlsx");
        let out = nianbao(
            &copy,
            &["import", file.to_str().unwrap(), "--into", &into, "--force"],
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "import failed:\n{stderr}");
        assert!(
            !stderr.contains("warning"),
            "import warns about the export (its derived columns are to be ignored):\n{stderr}"
        );
        let before = records(&dir.path().join("content"), year);
        let after = records(&copy.join("content"), year);
        assert_eq!(before.0.len(), after.0.len());
        for (a, b) in before.0.iter().zip(&after.0) {
            assert_eq!(a, b, "organization of {year}");
        }
        assert_eq!(before.1.len(), after.1.len());
        for (a, b) in before.1.iter().zip(&after.1) {
            assert_eq!(a, b, "party organization of {year}");
        }
    }
}

/// A LibreOffice with Writer but not Calc (Debian's libreoffice-writer
/// alone) cannot open a workbook: the test of the .xlsx skips there.
#[cfg(unix)]
#[test]
fn libreoffice_without_calc_is_not_taken_for_a_spreadsheet_reader() {
    use common::office::{find, Component};
    let dir = tempfile::tempdir().unwrap();
    let program = dir.path().join("lib/libreoffice/program");
    let bin = dir.path().join("bin");
    std::fs::create_dir_all(&program).unwrap();
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::write(program.join("soffice"), "#!/bin/sh\nexit 0\n").unwrap();
    std::fs::write(program.join("libswlo.so"), "").unwrap();
    std::os::unix::fs::symlink(program.join("soffice"), bin.join("libreoffice")).unwrap();
    let path = bin.as_os_str();
    assert!(find(path, Component::Writer).is_ok());
    let why = find(path, Component::Calc).unwrap_err();
    assert_eq!(
        why,
        "LibreOffice is installed without Calc (libreoffice-calc)"
    );
    std::fs::write(program.join("libsclo.so"), "").unwrap();
    assert!(find(path, Component::Calc).is_ok());
    let empty = dir.path().join("nothing");
    assert_eq!(
        find(empty.as_os_str(), Component::Writer).unwrap_err(),
        "LibreOffice is not installed"
    );
}

#[test]
fn libreoffice_opens_the_workbook() {
    let Some(office) = common::office::libreoffice(
        common::office::Component::Calc,
        "the conversion of the workbook",
    ) else {
        return;
    };
    // A LibreOffice without Calc (e.g. only Writer and Impress) cannot
    // open a workbook.
    let calc = ["/usr/lib/libreoffice/program", "/opt/libreoffice/program"]
        .iter()
        .any(|p| Path::new(p).join("libsclo.so").exists());
    if !calc {
        eprintln!("note: LibreOffice has no Calc; skipping the conversion of the workbook");
        return;
    }
    let dir = example();
    export(dir.path(), &[]);
    let profile = dir.path().join("lo-profile");
    let out = Command::new(office)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            "pdf",
            "registers-2016.xlsx",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pdf = std::fs::read(dir.path().join("pdf/registers-2016.pdf")).expect("a PDF");
    assert!(pdf.starts_with(b"%PDF"));
}

#[test]
fn shared_branch_names_are_warned_of() {
    let dir = site_copy("minimal");
    edit(
        &dir.path().join("content/data/2016/branches.yaml"),
        "name: 甲街道党总支部",
        "name: 电子信息产业党总支部",
    );
    let out = nianbao(dir.path(), &["export", "-c", "content"]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("warning: more than one party organization is named `电子信息产业党总支部`:"),
        "{err}"
    );
}
