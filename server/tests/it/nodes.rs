//! Two `fleetdesk serve` processes on one PostgreSQL database, as a deployment behind a
//! load balancer runs them: exactly one syncs, a session made on one works on the other,
//! audit entries written by both at once form one chain that verifies, and when the
//! leader is killed the other takes the sync over within a minute.
//!
//! PostgreSQL only (SQLite is one process per file). The server is the one of
//! `FLEETDESK_TEST_POSTGRES` when set, else a throwaway cluster started here with
//! `scripts/postgres.sh` (Debian's postgresql, installed by `scripts/setup.sh --e2e`).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PASSWORD: &str = "two-nodes-demo-password";
const METRICS_TOKEN: &str = "two-nodes-metrics-token";

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port()
}

fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../scripts/postgres.sh")
}

/// A cluster of our own, stopped when dropped.
struct Cluster {
    dir: PathBuf,
    url: String,
}

impl Cluster {
    fn start(root: &Path) -> Self {
        let dir = root.join("pg");
        let output = Command::new(script())
            .arg("start")
            .arg(&dir)
            .arg(free_port().to_string())
            .output()
            .expect("scripts/postgres.sh runs");
        assert!(
            output.status.success(),
            "the PostgreSQL test cluster did not start: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let url = String::from_utf8_lossy(&output.stdout).trim().to_string();
        Self { dir, url }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new(script()).arg("stop").arg(&self.dir).status();
    }
}

/// One `fleetdesk serve` process, killed when dropped.
struct Node {
    base: String,
    child: Child,
}

impl Node {
    fn start(database: &str, key: &Path, data: &Path) -> Self {
        let port = free_port();
        let child = Command::new(env!("CARGO_BIN_EXE_fleetdesk"))
            .args(["serve", "--demo", "--addr", &format!("127.0.0.1:{port}")])
            .arg("--data-dir")
            .arg(data)
            .args(["--database-url", database])
            .arg("--audit-key-file")
            .arg(key)
            .args(["--metrics-token", METRICS_TOKEN])
            .env("FLEETDESK_DEMO_PASSWORD", PASSWORD)
            .env_remove("FLEETDESK_DATABASE_URL")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("fleetdesk starts");
        Self {
            base: format!("http://127.0.0.1:{port}"),
            child,
        }
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.kill();
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

async fn wait_until_up(http: &reqwest::Client, node: &Node) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        if let Ok(answer) = http.get(format!("{}/healthz", node.base)).send().await {
            if answer.status().is_success() {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("{} did not answer /healthz within 120 s", node.base);
}

/// The DescribeWorkspaces calls (operation `Workspaces`) the node at `base` made so far (its own metrics).
async fn describe_calls(http: &reqwest::Client, base: &str) -> u64 {
    let text = http
        .get(format!("{base}/metrics"))
        .bearer_auth(METRICS_TOKEN)
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("metrics body");
    text.lines()
        .filter(|line| {
            line.starts_with("fleetdesk_aws_calls_total")
                && line.contains("operation=\"Workspaces\"")
        })
        .filter_map(|line| line.rsplit(' ').next()?.parse::<u64>().ok())
        .sum()
}

/// Signs in on `node` through the login form; the session cookie.
async fn login(http: &reqwest::Client, base: &str, name: &str) -> String {
    let answer = http
        .post(format!("{base}/api/auth/login"))
        .header("origin", base)
        .header("accept", "text/html")
        .form(&[("username", name), ("password", PASSWORD), ("next", "/")])
        .send()
        .await
        .expect("login");
    let status = answer.status();
    let location = answer
        .headers()
        .get("location")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let cookie = answer
        .headers()
        .get("set-cookie")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .map(str::to_string);
    let body = answer.text().await.unwrap_or_default();
    assert!(
        status.is_redirection(),
        "login on {base} redirects, got {status}: {body}"
    );
    cookie.unwrap_or_else(|| panic!("no session cookie from {base}: {status} to {location}"))
}

async fn fleet_page(http: &reqwest::Client, base: &str, cookie: Option<&str>) -> u16 {
    let mut request = http.get(format!("{base}/"));
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.expect("fleet page").status().as_u16()
}

#[tokio::test]
async fn two_nodes_share_the_fleet_sessions_and_one_chain_and_the_sync_moves_on() {
    let root = tempfile::tempdir().expect("temp dir");
    let cluster = match crate::common::postgres_server() {
        Some(_) => None,
        None => Some(Cluster::start(root.path())),
    };
    let server = crate::common::postgres_server()
        .or_else(|| cluster.as_ref().map(|c| c.url.clone()))
        .expect("a PostgreSQL server");
    let database = crate::common::new_postgres_database(&server).await;
    let key = root.path().join("shared").join("audit.key");
    std::fs::create_dir_all(key.parent().expect("parent")).expect("key folder");
    let http = client();

    let mut first = Node::start(&database, &key, &root.path().join("a"));
    wait_until_up(&http, &first).await;
    let second = Node::start(&database, &key, &root.path().join("b"));
    wait_until_up(&http, &second).await;

    // Exactly one node syncs: the first leads and synced the demo fleet at its start.
    assert!(
        describe_calls(&http, &first.base).await > 0,
        "the leader syncs"
    );
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        describe_calls(&http, &second.base).await,
        0,
        "the other does not"
    );

    // A session made through one node works on the other; without it, login.
    let cookie = login(&http, &first.base, "helpdesk").await;
    assert_eq!(fleet_page(&http, &second.base, Some(&cookie)).await, 200);
    assert_eq!(fleet_page(&http, &second.base, None).await, 303);

    // Both nodes append to the audit chain at once (each sign-in is an entry; spread
    // over the three users so that no node's login throttle sees one name pile up).
    let mut logins = Vec::new();
    for n in 0..12 {
        let http = http.clone();
        let base = if n % 2 == 0 {
            first.base.clone()
        } else {
            second.base.clone()
        };
        let user = ["viewer", "helpdesk", "admin"][n % 3];
        logins.push(tokio::spawn(async move { login(&http, &base, user).await }));
    }
    for login in logins {
        login.await.expect("a login task");
    }
    let verify = Command::new(env!("CARGO_BIN_EXE_fleetdesk"))
        .args(["audit", "verify", "--database-url", &database])
        .arg("--audit-key-file")
        .arg(&key)
        .arg("--data-dir")
        .arg(root.path().join("a"))
        .output()
        .expect("audit verify runs");
    assert!(
        verify.status.success(),
        "the chain written by two nodes verifies: {}{}",
        String::from_utf8_lossy(&verify.stdout),
        String::from_utf8_lossy(&verify.stderr)
    );
    let pool = server::db::connect(&database).await.expect("database");
    let logins: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_entries WHERE action = 'login'")
            .fetch_one(&pool)
            .await
            .expect("count");
    assert_eq!(logins, 13, "every sign-in on either node is in the log");

    // The leader dies: the other takes the sync over within a minute.
    first.kill();
    let killed = Instant::now();
    let mut took_over = None;
    while killed.elapsed() < Duration::from_secs(60) {
        if describe_calls(&http, &second.base).await > 0 {
            took_over = Some(killed.elapsed());
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let took_over = took_over.expect("the second node synced within 60 s of the leader dying");
    eprintln!("the second node took the sync over {took_over:?} after the leader died");
    assert_eq!(fleet_page(&http, &second.base, Some(&cookie)).await, 200);
    drop(cluster);
}

/// Runs the `fleetdesk` binary with `args` (and `stdin`); its exit status and output.
fn fleetdesk(args: &[&str], stdin: &str) -> (bool, String) {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_fleetdesk"))
        .args(args)
        .env_remove("FLEETDESK_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("fleetdesk runs");
    if let Some(mut input) = child.stdin.take() {
        input.write_all(stdin.as_bytes()).expect("stdin");
    }
    let output = child.wait_with_output().expect("fleetdesk ends");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

#[tokio::test]
async fn db_copy_moves_users_and_a_verifying_audit_log_from_sqlite_to_postgres() {
    let root = tempfile::tempdir().expect("temp dir");
    let cluster = match crate::common::postgres_server() {
        Some(_) => None,
        None => Some(Cluster::start(root.path())),
    };
    let server = crate::common::postgres_server()
        .or_else(|| cluster.as_ref().map(|c| c.url.clone()))
        .expect("a PostgreSQL server");
    let sqlite = format!("sqlite://{}", root.path().join("old.db").display());
    let key = root.path().join("audit.key");
    let key = key.to_str().expect("path");
    for (name, role) in [("anna", "admin"), ("ben", "helpdesk"), ("cleo", "viewer")] {
        let (ok, out) = fleetdesk(
            &[
                "user",
                "add",
                name,
                "--role",
                role,
                "--password-stdin",
                "--database-url",
                &sqlite,
                "--audit-key-file",
                key,
            ],
            "a long enough password\n",
        );
        assert!(ok, "user add {name}: {out}");
    }
    let postgres = crate::common::new_postgres_database(&server).await;
    let (ok, out) = fleetdesk(
        &[
            "db",
            "copy",
            "--from",
            &sqlite,
            "--to",
            &postgres,
            "--audit-key-file",
            key,
        ],
        "",
    );
    assert!(ok, "db copy: {out}");
    assert!(out.contains("chain intact"), "{out}");

    let (ok, out) = fleetdesk(
        &[
            "audit",
            "verify",
            "--database-url",
            &postgres,
            "--audit-key-file",
            key,
        ],
        "",
    );
    assert!(ok, "the copied log verifies with the same key: {out}");
    let pool = server::db::connect(&postgres).await.expect("database");
    let names: Vec<String> = sqlx::query_scalar("SELECT name FROM users ORDER BY name")
        .fetch_all(&pool)
        .await
        .expect("users");
    assert_eq!(names, ["anna", "ben", "cleo"]);
    // New rows get new ids after the copied ones.
    let (ok, out) = fleetdesk(
        &[
            "user",
            "add",
            "dora",
            "--role",
            "viewer",
            "--password-stdin",
            "--database-url",
            &postgres,
            "--audit-key-file",
            key,
        ],
        "a long enough password\n",
    );
    assert!(ok, "a user added after the copy: {out}");
    let (ok, out) = fleetdesk(
        &[
            "audit",
            "verify",
            "--database-url",
            &postgres,
            "--audit-key-file",
            key,
        ],
        "",
    );
    assert!(ok, "the chain goes on after the copy: {out}");

    // A second copy into a database that has data is refused and changes nothing.
    let (ok, out) = fleetdesk(
        &[
            "db",
            "copy",
            "--from",
            &sqlite,
            "--to",
            &postgres,
            "--audit-key-file",
            key,
        ],
        "",
    );
    assert!(!ok, "copying into a used database is refused");
    assert!(out.contains("already holds users"), "{out}");
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(&pool)
        .await
        .expect("count");
    assert_eq!(count, 4);
    drop(cluster);
}
