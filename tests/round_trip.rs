//! The round trip loses nothing: `export --include-private` → `import
//! --force` gives back the same registers, private fields included, and
//! every sheet of such a workbook is marked 内部资料; an import that would
//! drop private values is refused (nothing written) unless
//! `--drop-private`.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::*;
use nianbao::load::yaml::{self, Value};

/// The minimal fixture with private fields of every sort: named columns
/// (联系人, 联系电话, 备注), a key without a column name of its own, an
/// instructor's name.
fn site_with_private() -> tempfile::TempDir {
    let dir = site_copy("minimal");
    let orgs = dir.path().join("content/data/2016/organizations.yaml");
    edit(
        &orgs,
        "      contact: 内部联系人甲\n",
        "      contact: 内部联系人甲\n      phone: \"0797-8123456\"\n      note: 二〇一六年走访\n      wechat: abc_123\n",
    );
    edit(
        &orgs,
        "    instructor: true\n",
        "    instructor: true\n    private:\n      instructor: 李指导员\n      phone: \"13800000000\"\n",
    );
    dir
}

/// One record as compared: every field as text, a field at its default
/// (`in_park: false`, `instructor: false`, `status: active`) left out, as
/// the loader reads it; `private` as its own sorted mapping.
type Record = BTreeMap<String, String>;

fn text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Big(s) | Value::Str(s) => s.clone(),
        Value::Seq(_) => "[list]".into(),
        Value::Map(entries) => {
            let sorted: BTreeMap<String, String> = entries
                .iter()
                .map(|(k, v)| (text(&k.value), text(&v.value)))
                .collect();
            format!("{sorted:?}")
        }
    }
}

fn records(path: &Path, key: &str) -> Vec<Record> {
    let root = yaml::parse(path, &read(path), 0).unwrap();
    let Value::Map(top) = root.value else {
        panic!("{}", path.display())
    };
    let (_, list) = top.iter().find(|(k, _)| k.as_str() == Some(key)).unwrap();
    let Value::Seq(items) = &list.value else {
        panic!()
    };
    items
        .iter()
        .map(|item| {
            let Value::Map(fields) = &item.value else {
                panic!()
            };
            fields
                .iter()
                .map(|(k, v)| (text(&k.value), text(&v.value)))
                .filter(|(k, v)| {
                    !matches!(
                        (k.as_str(), v.as_str()),
                        ("in_park" | "instructor", "false") | ("status", "active")
                    )
                })
                .collect()
        })
        .collect()
}

fn registers(content: &Path) -> (Vec<Record>, Vec<Record>) {
    let year = content.join("data/2016");
    (
        records(&year.join("organizations.yaml"), "organizations"),
        records(&year.join("branches.yaml"), "branches"),
    )
}

fn import(dir: &Path, file: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "import",
        file.to_str().unwrap(),
        "--into",
        "content/data/2016",
        "--force",
    ];
    args.extend_from_slice(extra);
    nianbao(dir, &args)
}

#[test]
fn export_with_private_then_import_gives_the_same_registers() {
    let dir = site_with_private();
    let book = written(
        dir.path(),
        &["export", "--include-private", "-o", "internal.xlsx"],
    );
    let copy = tempfile::tempdir().unwrap();
    copy_dir(&dir.path().join("content"), &copy.path().join("content"));
    let out = import(copy.path(), &dir.path().join("internal.xlsx"), &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    // The fixture leaves 行业 blank, which import warns of at each cell;
    // nothing else may be warned of (a private value dropped would be).
    let warnings = stderr
        .lines()
        .filter(|l| l.contains(": warning: ") && !l.contains("行业 is empty"))
        .count();
    assert_eq!(warnings, 0, "{stderr}");
    let before = registers(&dir.path().join("content"));
    let after = registers(&copy.path().join("content"));
    assert_eq!(before.0, after.0, "organizations");
    assert_eq!(before.1, after.1, "party organizations");
    // The private fields are really there, not only equal in absence.
    let with_private = before
        .0
        .iter()
        .filter(|r| r.contains_key("private"))
        .count();
    assert_eq!(with_private, 2);
    assert!(
        read(&copy.path().join("content/data/2016/organizations.yaml")).contains("wechat: abc_123")
    );
    assert!(!book.is_empty());
}

#[test]
fn every_sheet_of_a_workbook_with_private_fields_is_marked() {
    use calamine::Reader;
    let dir = site_with_private();
    let internal = written(
        dir.path(),
        &["export", "--include-private", "-o", "internal.xlsx"],
    );
    let public = written(dir.path(), &["export", "-o", "public.xlsx"]);
    let mut wb = calamine::Xlsx::new(std::io::Cursor::new(internal.clone())).unwrap();
    let names = wb.sheet_names();
    assert_eq!(names.len(), 3);
    for name in &names {
        let range = wb.worksheet_range(name).unwrap();
        assert_eq!(
            range.get_value((0, 0)).map(|c| c.to_string()),
            Some("内部资料".to_string()),
            "{name}"
        );
    }
    let orgs = wb.worksheet_range("组织名录").unwrap();
    let headers: Vec<String> = orgs
        .rows()
        .nth(1)
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    for h in ["联系人", "联系电话", "备注", "private.wechat", "党建指导员"] {
        assert!(headers.contains(&h.to_string()), "{h} in {headers:?}");
    }
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(internal)).unwrap();
    for i in 1..=3 {
        let mut part = zip.by_name(&format!("xl/worksheets/sheet{i}.xml")).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut part, &mut xml).unwrap();
        assert!(
            xml.contains("<oddHeader>&amp;C内部资料</oddHeader>"),
            "sheet{i}"
        );
    }
    // Without the flag: no mark, no private value.
    let mut all = String::new();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(public)).unwrap();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        std::io::Read::read_to_string(&mut f, &mut all).unwrap();
    }
    for absent in [
        "内部资料",
        "内部联系人甲",
        "0797-8123456",
        "abc_123",
        "李指导员",
    ] {
        assert!(!all.contains(absent), "{absent} in the public export");
    }
}

#[test]
fn an_import_that_would_drop_private_values_is_refused_unless_asked() {
    let dir = site_with_private();
    written(dir.path(), &["export", "-o", "public.xlsx"]);
    let file = dir.path().join("public.xlsx");
    let year = dir.path().join("content/data/2016");
    let before = tree(&year);

    let out = import(dir.path(), &file, &[]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error: the import would lose 6 private values held in content/data/2016/organizations.yaml: contact (联系人): 1, phone (联系电话): 2, note (备注): 1, wechat (private.wechat): 1, instructor (private.instructor): 1"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing written"), "{stderr}");
    assert!(stderr.contains("run again with --drop-private"), "{stderr}");
    assert_eq!(tree(&year), before, "nothing written");

    let zh = nianbao(
        dir.path(),
        &[
            "--lang",
            "zh-CN",
            "import",
            file.to_str().unwrap(),
            "--into",
            "content/data/2016",
            "--force",
        ],
    );
    assert_eq!(zh.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&zh.stderr);
    assert!(
        stderr.contains("导入会丢掉 content/data/2016/organizations.yaml 中的 6 个内部字段值：联系人（contact）1 个、联系电话（phone）2 个"),
        "{stderr}"
    );
    assert!(stderr.contains("--drop-private"), "{stderr}");
    assert_eq!(tree(&year), before, "nothing written");

    let out = import(dir.path(), &file, &["--drop-private"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains(
            "warning: 6 private values of content/data/2016/organizations.yaml were not kept"
        ),
        "{stderr}"
    );
    let orgs = read(&year.join("organizations.yaml"));
    assert!(!orgs.contains("private:"), "{orgs}");
    // Nothing else was lost: the records are the same but for `private`.
    let strip = |mut rs: Vec<Record>| {
        rs.iter_mut().for_each(|r| {
            r.remove("private");
        });
        rs
    };
    let after = registers(&dir.path().join("content"));
    let original = site_with_private();
    let original = registers(&original.path().join("content"));
    assert_eq!(strip(after.0), strip(original.0));
}

#[test]
fn an_import_that_keeps_every_private_value_needs_no_flag() {
    // The registers hold no private field: nothing to lose.
    let dir = site_copy("minimal");
    let orgs = dir.path().join("content/data/2016/organizations.yaml");
    edit(&orgs, "    private:\n      contact: 内部联系人甲\n", "");
    written(dir.path(), &["export", "-o", "public.xlsx"]);
    let out = import(dir.path(), &dir.path().join("public.xlsx"), &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
