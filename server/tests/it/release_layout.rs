//! The release folder's layout (`scripts/release.sh`, the Dockerfile): the `fleetdesk`
//! binary with `hash.txt` and `site/` beside it, started from another directory, finds its
//! site and serves the hashed, precompressed files. The real binary runs as its own
//! process, as an admin would start it; the site's files are small stand-ins.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const CSS_HASH: &str = "0123456789abcdef0123";
const JS_HASH: &str = "1123456789abcdef0123";
const WASM_HASH: &str = "2123456789abcdef0123";

/// The server process, stopped when dropped.
struct Served(Child);

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A release folder at `folder`: the binary under test, hash.txt and site/ with one file of
/// each kind (the wasm also as its brotli copy).
fn release_folder(folder: &Path) {
    let pkg = folder.join("site/pkg");
    std::fs::create_dir_all(&pkg).expect("pkg folder");
    std::fs::copy(env!("CARGO_BIN_EXE_fleetdesk"), folder.join("fleetdesk")).expect("binary");
    std::fs::write(
        folder.join("hash.txt"),
        format!("js: {JS_HASH}\nwasm: {WASM_HASH}\ncss: {CSS_HASH}\n"),
    )
    .expect("hash.txt");
    std::fs::write(
        pkg.join(format!("fleetdesk.{CSS_HASH}.css")),
        "body { margin: 0 }",
    )
    .expect("css");
    std::fs::write(
        pkg.join(format!("fleetdesk.{JS_HASH}.js")),
        "export default 1;",
    )
    .expect("js");
    std::fs::write(
        pkg.join(format!("fleetdesk.{WASM_HASH}.wasm")),
        b"\0asm plain",
    )
    .expect("wasm");
    std::fs::write(
        pkg.join(format!("fleetdesk.{WASM_HASH}.wasm.br")),
        b"brotli copy",
    )
    .expect("wasm.br");
    std::fs::write(folder.join("site/favicon.svg"), "<svg/>").expect("favicon");
}

#[tokio::test]
async fn the_release_folder_serves_its_site_from_any_directory() {
    let root = tempfile::tempdir().expect("temp dir");
    let folder = root.path().join("fleetdesk");
    release_folder(&folder);
    let elsewhere = root.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).expect("working directory");
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port();
    let child = Command::new(folder.join("fleetdesk"))
        .args(["serve", "--demo", "--addr", &format!("127.0.0.1:{port}")])
        .arg("--data-dir")
        .arg(root.path().join("data"))
        .current_dir(&elsewhere)
        .env_remove("LEPTOS_SITE_ROOT")
        .env("FLEETDESK_DEMO_PASSWORD", "release-layout-password")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the copied binary starts");
    let _served = Served(child);
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();

    let mut up = false;
    for _ in 0..600 {
        if let Ok(answer) = http.get(format!("{base}/healthz")).send().await {
            up = answer.status().is_success();
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(up, "the server answered /healthz within 60 s");

    let login = http
        .get(format!("{base}/login"))
        .send()
        .await
        .expect("login page")
        .text()
        .await
        .expect("login page body");
    assert!(
        login.contains(&format!("/pkg/fleetdesk.{CSS_HASH}.css")),
        "the page links the hashed stylesheet read from hash.txt beside the binary"
    );
    assert!(
        login.contains(&format!("fleetdesk.{JS_HASH}")),
        "the hydration script loads the hashed JavaScript"
    );

    let css = http
        .get(format!("{base}/pkg/fleetdesk.{CSS_HASH}.css"))
        .send()
        .await
        .expect("stylesheet");
    assert_eq!(
        css.status(),
        200,
        "the stylesheet is served from site/ beside the binary"
    );
    let cache = css.headers()["cache-control"]
        .to_str()
        .expect("header")
        .to_string();
    assert!(
        cache.contains("immutable"),
        "hashed names are cached for good: {cache}"
    );
    assert_eq!(css.text().await.expect("css body"), "body { margin: 0 }");

    let wasm = http
        .get(format!("{base}/pkg/fleetdesk.{WASM_HASH}.wasm"))
        .header("accept-encoding", "br, gzip")
        .send()
        .await
        .expect("wasm");
    assert_eq!(wasm.status(), 200);
    assert_eq!(wasm.headers()["content-encoding"], "br");
    assert_eq!(wasm.headers()["content-type"], "application/wasm");
    assert_eq!(
        wasm.bytes().await.expect("wasm body").as_ref(),
        b"brotli copy",
        "the precompressed copy is sent as it is"
    );

    let plain = http
        .get(format!("{base}/pkg/fleetdesk.{WASM_HASH}.wasm"))
        .send()
        .await
        .expect("wasm without compression");
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.bytes().await.expect("body").as_ref(), b"\0asm plain");

    let missing = http
        .get(format!("{base}/pkg/fleetdesk.ffffffffffffffffffff.wasm"))
        .send()
        .await
        .expect("unknown file");
    assert_eq!(missing.status(), 404);
}
