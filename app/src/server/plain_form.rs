//! What a request sent by a plain HTML form (JavaScript off) needs beyond a server
//! function's answer: the browser asked for a page, so it gets one back.

use axum::http::{HeaderMap, header};

/// Whether the browser asked for HTML: a plain form post or a link, not the page's own
/// script (which asks server functions for data).
pub fn accepts_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

/// The local path and query of the page a request came from (`Referer`), if it is one
/// of this server's pages.
pub fn referer_path(headers: &HeaderMap) -> Option<String> {
    let referer = headers.get(header::REFERER)?.to_str().ok()?;
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let rest = referer
        .strip_prefix("https://")
        .or_else(|| referer.strip_prefix("http://"))?
        .strip_prefix(host)?;
    (rest.starts_with('/') && !rest.starts_with("//")).then(|| rest.to_string())
}

/// After a change sent by a plain form post, sends the browser back to the form's page
/// with `done=<audit entry id>`: that page says the change was sent and shows no armed
/// form, so reloading it sends nothing. Does nothing for the page's own script, which
/// shows the answer itself.
pub fn back_with_done(audit_id: i64) {
    let Some(parts) = leptos::prelude::use_context::<axum::http::request::Parts>() else {
        return;
    };
    if !accepts_html(&parts.headers) {
        return;
    }
    if let Some(page) = referer_path(&parts.headers) {
        leptos_axum::redirect(&with_done(&page, audit_id));
    }
}

/// `page` with its `done` parameter set to `audit_id`.
fn with_done(page: &str, audit_id: i64) -> String {
    let (path, query) = page.split_once('?').unwrap_or((page, ""));
    let mut pairs: Vec<&str> = query
        .split('&')
        .filter(|pair| !pair.is_empty() && !pair.starts_with("done="))
        .collect();
    let done = format!("done={audit_id}");
    pairs.push(&done);
    format!("{path}?{}", pairs.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_referer_must_be_this_server() {
        let headers = |referer: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::HOST, "fleet.example:3000".parse().unwrap());
            headers.insert(header::REFERER, referer.parse().unwrap());
            headers
        };
        assert_eq!(
            referer_path(&headers(
                "http://fleet.example:3000/bulk?action=reboot&ids=ws-1"
            )),
            Some("/bulk?action=reboot&ids=ws-1".to_string())
        );
        assert_eq!(referer_path(&headers("https://evil.example/bulk")), None);
        assert_eq!(
            referer_path(&headers("http://fleet.example:3000//evil.example/")),
            None
        );
        assert_eq!(
            referer_path(&headers("http://fleet.example:3000.evil/x")),
            None
        );
    }

    #[test]
    fn done_replaces_an_earlier_one() {
        assert_eq!(with_done("/workspaces/ws-1", 7), "/workspaces/ws-1?done=7");
        assert_eq!(
            with_done("/bulk?action=stop&ids=ws-1&done=3", 7),
            "/bulk?action=stop&ids=ws-1&done=7"
        );
    }
}
