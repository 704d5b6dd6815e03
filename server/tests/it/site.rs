//! The portal's first visit (issue 14, part 4): pages link the built assets by their content
//! hash; those are served precompressed and kept by browsers for good; pages are compressed.
//! The site is built here by hand (what `scripts/build-site.sh` writes), so these run without
//! the wasm build. Nothing here touches the database, so SQLite only.

use crate::common::{Backend, TestApp};
use std::path::Path;

const JS: &str = "0123456789abcdef";
const WASM: &str = "fedcba9876543210";
const CSS: &str = "00112233aabbccdd";

fn write(root: &Path, name: &str, bytes: &[u8]) {
    let path = root.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// A site as the build writes it: plain and hashed names, a brotli and a gzip beside the hashed
/// wasm (any bytes: the server sends them as they are), and `hash.txt` when `hashed`.
fn site(hashed: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for ext in ["js", "wasm", "css"] {
        write(root, &format!("pkg/herald.{ext}"), b"plain");
    }
    write(root, &format!("pkg/herald.{JS}.js"), b"export default 1;");
    write(
        root,
        &format!("pkg/herald.{WASM}.wasm"),
        b"\0asm-uncompressed",
    );
    write(root, &format!("pkg/herald.{WASM}.wasm.br"), b"brotli-bytes");
    write(root, &format!("pkg/herald.{WASM}.wasm.gz"), b"gzip-bytes");
    write(root, &format!("pkg/herald.{CSS}.css"), b"body{}");
    write(root, "favicon.svg", b"<svg/>");
    if hashed {
        write(
            root,
            "hash.txt",
            format!("js: {JS}\nwasm: {WASM}\ncss: {CSS}\n").as_bytes(),
        );
    }
    dir
}

async fn spawn_with(site: &tempfile::TempDir) -> TestApp {
    let root = site.path().display().to_string();
    TestApp::spawn(Backend::Sqlite, &[("SITE_ROOT", root.as_str())]).await
}

fn header<'a>(r: &'a crate::common::Resp, name: &str) -> &'a str {
    r.headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_link_the_hashed_assets_and_those_are_kept_for_a_year() {
    let site = site(true);
    let app = spawn_with(&site).await;

    let page = app.raw("GET", "/login", &[], Vec::new()).await;
    assert_eq!(page.status, 200);
    let html = String::from_utf8_lossy(&page.bytes);
    assert!(html.contains(&format!("/pkg/herald.{CSS}.css")), "{html}");
    assert!(html.contains(&format!("/pkg/herald.{JS}.js")), "{html}");
    assert!(html.contains(&format!("/pkg/herald.{WASM}.wasm")), "{html}");
    assert_eq!(header(&page, "cache-control"), "no-store");

    for (name, ext) in [(JS, "js"), (WASM, "wasm"), (CSS, "css")] {
        let r = app
            .raw("GET", &format!("/pkg/herald.{name}.{ext}"), &[], Vec::new())
            .await;
        assert_eq!(r.status, 200, "{ext}");
        assert_eq!(
            header(&r, "cache-control"),
            "public, max-age=31536000, immutable",
            "{ext}"
        );
    }
    // A plain name may change with the next build: checked before each use.
    let plain = app.raw("GET", "/pkg/herald.js", &[], Vec::new()).await;
    assert_eq!(plain.status, 200);
    assert_eq!(header(&plain, "cache-control"), "no-cache");
    let icon = app.raw("GET", "/favicon.svg", &[], Vec::new()).await;
    assert_eq!(header(&icon, "cache-control"), "no-cache");
    // What is not there is not cached.
    let missing = app
        .raw("GET", "/pkg/herald.0000000000000000.js", &[], Vec::new())
        .await;
    assert_eq!(missing.status, 404);
    assert_eq!(header(&missing, "cache-control"), "no-store");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wasm_goes_precompressed_in_the_encoding_the_browser_accepts() {
    let site = site(true);
    let app = spawn_with(&site).await;
    let path = format!("/pkg/herald.{WASM}.wasm");

    let br = app
        .raw(
            "GET",
            &path,
            &[("accept-encoding", "gzip, deflate, br")],
            Vec::new(),
        )
        .await;
    assert_eq!(br.status, 200);
    assert_eq!(header(&br, "content-encoding"), "br");
    assert_eq!(br.bytes, b"brotli-bytes");
    assert_eq!(header(&br, "content-type"), "application/wasm");
    assert!(header(&br, "vary").contains("accept-encoding"), "{br:?}");

    let gz = app
        .raw("GET", &path, &[("accept-encoding", "gzip")], Vec::new())
        .await;
    assert_eq!(header(&gz, "content-encoding"), "gzip");
    assert_eq!(gz.bytes, b"gzip-bytes");

    let identity = app.raw("GET", &path, &[], Vec::new()).await;
    assert_eq!(header(&identity, "content-encoding"), "");
    assert_eq!(identity.bytes, b"\0asm-uncompressed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_are_compressed_for_browsers_that_accept_it() {
    let site = site(true);
    let app = spawn_with(&site).await;
    let gz = app
        .raw("GET", "/login", &[("accept-encoding", "gzip")], Vec::new())
        .await;
    assert_eq!(gz.status, 200);
    assert_eq!(header(&gz, "content-encoding"), "gzip");
    assert_eq!(&gz.bytes[..2], &[0x1f, 0x8b], "a gzip stream");
    let br = app
        .raw("GET", "/login", &[("accept-encoding", "br")], Vec::new())
        .await;
    assert_eq!(header(&br, "content-encoding"), "br");
    let plain = app.raw("GET", "/login", &[], Vec::new()).await;
    assert_eq!(header(&plain, "content-encoding"), "");
    assert!(String::from_utf8_lossy(&plain.bytes).contains("<html"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_site_built_without_hashes_is_linked_by_its_plain_names() {
    let site = site(false);
    let app = spawn_with(&site).await;
    let page = app.raw("GET", "/login", &[], Vec::new()).await;
    let html = String::from_utf8_lossy(&page.bytes);
    assert!(html.contains("/pkg/herald.css"), "{html}");
    assert!(html.contains("/pkg/herald.js"), "{html}");
    assert!(!html.contains(JS), "{html}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hash_file_that_does_not_parse_falls_back_to_the_plain_names() {
    let site = site(true);
    // Hand-edited or cut short: no wasm line, a js "hash" that is not hex.
    write(site.path(), "hash.txt", b"js: ../../etc/passwd\ncss 1234\n");
    let app = spawn_with(&site).await;
    let page = app.raw("GET", "/login", &[], Vec::new()).await;
    assert_eq!(page.status, 200);
    let html = String::from_utf8_lossy(&page.bytes);
    assert!(html.contains("/pkg/herald.css"), "{html}");
    assert!(html.contains("/pkg/herald.js"), "{html}");
    assert!(!html.contains("passwd"), "{html}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_encoding_the_server_does_not_have_gets_the_plain_bytes() {
    let site = site(true);
    let app = spawn_with(&site).await;
    let path = format!("/pkg/herald.{WASM}.wasm");
    for accept in ["zstd", "x-unknown;q=1, *;q=0.1", ";;;", "br;q=0"] {
        let r = app
            .raw("GET", &path, &[("accept-encoding", accept)], Vec::new())
            .await;
        assert_eq!(r.status, 200, "{accept}");
        assert_eq!(header(&r, "content-encoding"), "", "{accept}");
        assert_eq!(r.bytes, b"\0asm-uncompressed", "{accept}");
    }
}
