//! The content security policy. Pages get one with the nonce Leptos puts on the inline
//! scripts it writes (the hydration loader, resolved resources), so no other inline
//! script runs; every other response gets the same policy without a nonce.
//! `'wasm-unsafe-eval'` lets the wasm compile.

/// The policy; `nonce` allows the inline scripts that carry it.
pub fn policy(nonce: Option<&str>) -> String {
    let inline = nonce
        .map(|nonce| format!(" 'nonce-{nonce}'"))
        .unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self'{inline} 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
         frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
    )
}

/// Sets the page's policy with this render's nonce on the response (called by the
/// shell, once per rendered page).
pub fn set_for_page() {
    use axum::http::{HeaderValue, header::CONTENT_SECURITY_POLICY};
    let nonce = leptos::nonce::use_nonce();
    let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() else {
        return;
    };
    if let Ok(value) = HeaderValue::from_str(&policy(nonce.as_deref())) {
        response.insert_header(CONTENT_SECURITY_POLICY, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_need_the_nonce() {
        let page = policy(Some("abc123"));
        assert!(page.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval';"));
        for policy in [page, policy(None)] {
            let scripts = policy
                .split(';')
                .find(|directive| directive.trim().starts_with("script-src"))
                .unwrap_or_default()
                .to_string();
            assert!(!scripts.contains("unsafe-inline"), "{scripts}");
        }
    }
}
