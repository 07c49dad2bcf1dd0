//! Starting and stopping the emulator's HTTP server.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::response::Response;
use axum::Router;
use http::Request;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::config::EmulatorConfig;
use crate::routing;
use crate::state::EmulatorState;

/// The emulator's entry point.
pub struct Emulator;

impl Emulator {
    /// Binds `config.host:config.port` and serves in the background until
    /// [`RunningEmulator::shutdown`] (or until the handle is dropped).
    pub async fn start(config: EmulatorConfig) -> io::Result<RunningEmulator> {
        let listener = TcpListener::bind((config.host, config.port)).await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(EmulatorState::new(config, addr));
        // One fallback sees every request, so the router alone decides what a path means.
        let app = Router::new()
            .fallback(serve_request)
            .with_state(Arc::clone(&state));
        let (stop, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    // A dropped sender stops the server too.
                    let _ = stopped.await;
                })
                .await
        });
        Ok(RunningEmulator {
            addr,
            state,
            stop: Some(stop),
            server: Some(server),
        })
    }
}

async fn serve_request(
    State(state): State<Arc<EmulatorState>>,
    request: Request<Body>,
) -> Response {
    routing::handle(state, request).await
}

/// A serving emulator. Dropping it stops the server without waiting.
#[derive(Debug)]
pub struct RunningEmulator {
    addr: SocketAddr,
    state: Arc<EmulatorState>,
    stop: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<io::Result<()>>>,
}

impl RunningEmulator {
    /// The address the server is bound to.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://HOST:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The emulator's resources, shared with the server.
    pub fn state(&self) -> &Arc<EmulatorState> {
        &self.state
    }

    /// Stops accepting requests and waits for those in flight to finish.
    pub async fn shutdown(mut self) -> io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.server.take() {
            Some(server) => server.await.map_err(io::Error::other)?,
            None => Ok(()),
        }
    }
}

impl Drop for RunningEmulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
