//! The HTTP server loop.
//!
//! `axum::serve` reads request headers without a time limit and accepts any number of
//! connections: 20 clients sending a header line every 5 s held their connections well
//! past the request timeout (issue 20, finding 6). This loop serves the same router
//! through hyper's connection builder with a header read timeout (which also ends
//! keep-alive connections left idle that long) and at most `max_connections` at once.
//! Bodies are timed by the router (`router::limit_body`).

use std::future::Future;
use std::net::SocketAddr;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};
use tower::ServiceExt;

/// What one client may take of the server.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// How long a request's headers may take to arrive, and a kept-alive connection may
    /// stay idle.
    pub header_read_timeout: Duration,
    /// Connections served at once; more wait to be accepted.
    pub max_connections: usize,
}

/// How long open connections get to finish after the shutdown signal.
const DRAIN: Duration = Duration::from_secs(30);

/// Serves `app` on `listener` within `limits` until `shutdown` completes, then lets open
/// connections finish their requests (at most [`DRAIN`]).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) {
    let max = limits.max_connections.clamp(1, Semaphore::MAX_PERMITS);
    let permits = Arc::new(Semaphore::new(max));
    let (stop, stopped) = watch::channel(());
    let mut shutdown = pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = permits.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors, say: wait instead of spinning.
                    tracing::warn!("cannot accept a connection: {error}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let app = app.clone();
        let mut stopped = stopped.clone();
        let header_read_timeout = limits.header_read_timeout;
        tokio::spawn(async move {
            let _permit = permit;
            let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
                let mut request = request.map(Body::new);
                request
                    .extensions_mut()
                    .insert(ConnectInfo::<SocketAddr>(peer));
                app.clone().oneshot(request)
            });
            let mut builder = Builder::new(TokioExecutor::new());
            builder
                .http1()
                .timer(TokioTimer::new())
                .header_read_timeout(header_read_timeout);
            let mut connection =
                pin!(builder.serve_connection_with_upgrades(TokioIo::new(stream), service));
            let result = tokio::select! {
                result = connection.as_mut() => result,
                _ = stopped.changed() => {
                    connection.as_mut().graceful_shutdown();
                    connection.await
                }
            };
            if let Err(error) = result {
                tracing::debug!(%peer, "connection ended: {error}");
            }
        });
    }
    drop(stop);
    let all = u32::try_from(max).unwrap_or(u32::MAX);
    if tokio::time::timeout(DRAIN, permits.acquire_many(all))
        .await
        .is_err()
    {
        tracing::warn!(
            "connections still open {} s after the shutdown signal",
            DRAIN.as_secs()
        );
    }
}
