//! The layers of `ssr` only point down. This test reads the source of every module in a layer and
//! fails on an import of a layer above it, or of the edges (the UI modules, `portal_auth`).

use std::path::{Path, PathBuf};

/// The layers from the bottom up; a module may import its own layer and those below.
const LAYERS: &[&str] = &["infra", "delivery", "store", "domain", "ops"];

/// Items re-exported at `crate::ssr::` and the layer each belongs to.
const REEXPORTS: &[(&str, &str)] = &[
    ("ServiceError", "infra"),
    ("AppState", "domain"),
    ("Settings", "domain"),
];

/// Top-level modules of the crate that are edges: nothing in a layer may use them.
const EDGES: &[&str] = &["portal", "admin", "pages", "components", "app"];

fn rank(layer: &str) -> Option<usize> {
    LAYERS.iter().position(|l| *l == layer)
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(rust_files(&p));
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    out
}

/// The first path segment after each `crate::ssr::` (groups expanded), and each `crate::<edge>`.
fn imports(text: &str) -> (Vec<String>, Vec<String>) {
    let mut ssr = Vec::new();
    let mut edges = Vec::new();
    let code: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut rest = code.as_str();
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(after) = rest.strip_prefix("ssr::") {
            if let Some(group) = after.strip_prefix('{') {
                let end = group.find('}').unwrap_or(group.len());
                for item in group[..end].split(',') {
                    let head = item.trim().split("::").next().unwrap_or("").trim();
                    if !head.is_empty() {
                        ssr.push(head.to_owned());
                    }
                }
            } else {
                let head: String = after
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                ssr.push(head);
            }
        } else {
            let head: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if EDGES.contains(&head.as_str()) {
                edges.push(head);
            }
        }
    }
    (ssr, edges)
}

fn violations(root: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for layer in LAYERS {
        let own = rank(layer).unwrap_or(0);
        for file in rust_files(&root.join(layer)) {
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            let (ssr, edges) = imports(&text);
            let name = file
                .strip_prefix(root)
                .unwrap_or(&file)
                .display()
                .to_string();
            for head in ssr {
                let target = REEXPORTS
                    .iter()
                    .find(|(item, _)| *item == head)
                    .map(|(_, l)| *l)
                    .unwrap_or(head.as_str());
                match rank(target) {
                    Some(r) if r > own => {
                        found.push(format!("{name}: {layer} imports {target} (above it)"))
                    }
                    Some(_) => {}
                    None => found.push(format!("{name}: {layer} imports ssr::{head} (an edge)")),
                }
            }
            for e in edges {
                found.push(format!("{name}: {layer} imports crate::{e} (an edge)"));
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

#[test]
fn no_layer_imports_a_layer_above_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ssr");
    let found = violations(&root);
    assert!(found.is_empty(), "upward imports:\n{}", found.join("\n"));
}

#[test]
fn the_check_catches_an_upward_import() {
    let dir = std::env::temp_dir().join(format!("herald-layering-{}", std::process::id()));
    let store = dir.join("store");
    std::fs::create_dir_all(&store).unwrap();
    std::fs::create_dir_all(dir.join("domain")).unwrap();
    std::fs::write(
        store.join("bad.rs"),
        "use crate::ssr::domain::intake;\nuse crate::ssr::{infra::db, AppState};\nuse crate::portal::PortalError;\n",
    )
    .unwrap();
    std::fs::write(dir.join("domain/fine.rs"), "use crate::ssr::store::x;\n").unwrap();
    let found = violations(&dir);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(
        found,
        vec![
            "store/bad.rs: store imports crate::portal (an edge)".to_owned(),
            "store/bad.rs: store imports domain (above it)".to_owned(),
        ]
    );
}
