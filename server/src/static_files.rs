//! The site's static files under `/pkg/` (wasm, JavaScript, stylesheet) and the
//! compression of everything else.
//!
//! `scripts/build-site.sh --release` writes each file with a hash in its name and a
//! brotli and a gzip copy beside it, once; `ServeDir` sends the copy the browser accepts
//! (`Accept-Encoding`), so no request compresses a file. Hashed names are cached for good
//! (`immutable`: a new build has new names); an unhashed name (a debug build, cargo-leptos
//! without hash-files) is revalidated each time. Pages and server function answers are
//! gzipped on the fly; the wasm never is (a debug wasm is 40 MB), nor the streamed CSV.

use std::path::Path;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::services::ServeDir;

use app::server::state::AppState;

/// `/pkg/…` from `pkg_dir`, precompressed copies preferred, with their cache headers.
pub fn pkg_routes(pkg_dir: &Path) -> Router<AppState> {
    let files = ServeDir::new(pkg_dir)
        .precompressed_br()
        .precompressed_gzip();
    Router::new()
        .nest_service("/pkg", files)
        .layer(middleware::from_fn(cache_headers))
}

/// `immutable` for hashed names, `no-cache` (revalidate) for the others.
async fn cache_headers(request: Request, next: Next) -> Response {
    let hashed = app::server::assets::is_hashed(request.uri().path());
    let mut response = next.run(request).await;
    if response.status().is_success() || response.status().as_u16() == 304 {
        let value = if hashed {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    response
}

/// Gzip for what is not compressed already, except wasm and what tower-http's default
/// predicate leaves alone (images, small bodies, event streams).
pub fn compression() -> CompressionLayer<impl Predicate> {
    CompressionLayer::new()
        .quality(CompressionLevel::Precise(5))
        .compress_when(
            DefaultPredicate::new()
                .and(NotForContentType::new("application/wasm"))
                // Streamed CSV exports end with a reset connection when gzipped (seen in
                // accounts.spec.ts); they are sent as they are until that is understood.
                .and(NotForContentType::new("text/csv")),
        )
}
