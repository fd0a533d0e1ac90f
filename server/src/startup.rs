//! Building and running the application: the HTTP server on its listener, and the background
//! workers beside it.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, web};
use utoipa_actix_web::AppExt;

use crate::auth::jwt::JwtKeys;
use crate::auth::throttle::LoginThrottle;
use crate::clock::SharedClock;
use crate::config::Config;
use crate::http::json::BodyLimit;
use crate::mail::Mailer;
use crate::metrics::Metrics;
use crate::search::{Prepare, Search};
use crate::state::AppState;
use crate::{db, http, limits, metrics, routes};

pub struct Application {
    server: Server,
    port: u16,
    state: web::Data<AppState>,
    shutdown: tokio::sync::watch::Sender<bool>,
    /// The workers this process started, awaited when it stops.
    workers: Vec<tokio::task::JoinHandle<()>>,
}

impl Application {
    /// Connects to the database and binds `config.listen` (port 0 picks a free port). Does not
    /// migrate: `edumarkt migrate` (or `up`) does that. Applies the search settings to
    /// Meilisearch (the embedded index is always prepared by its holder).
    pub async fn build(config: Config, clock: SharedClock) -> anyhow::Result<Application> {
        Self::build_with(config, clock, Prepare::Settings).await
    }

    /// Like [`Application::build`]; `prepare` says whether this process applies Meilisearch's
    /// settings (`serve --no-workers` leaves that to the worker).
    pub async fn build_with(
        config: Config,
        clock: SharedClock,
        prepare: Prepare,
    ) -> anyhow::Result<Application> {
        let state = web::Data::new(state(config, clock, prepare).await?);
        let listener = TcpListener::bind(state.config.listen)
            .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", state.config.listen))?;
        let port = listener.local_addr()?.port();
        let server = serve(listener, state.clone())?;
        let (shutdown, _) = tokio::sync::watch::channel(false);
        Ok(Application {
            server,
            port,
            state,
            shutdown,
            workers: Vec::new(),
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn state(&self) -> web::Data<AppState> {
        self.state.clone()
    }

    /// Starts the job (mail) and search sync workers; they stop with the server.
    pub fn spawn_workers(&mut self) {
        self.spawn_job_worker();
        self.spawn_search_worker();
    }

    pub fn spawn_job_worker(&mut self) {
        let worker = tokio::spawn(job_worker(&self.state, self.shutdown.subscribe()));
        self.workers.push(worker);
    }

    pub fn spawn_search_worker(&mut self) {
        let workers = spawn_search_worker(&self.state, &self.shutdown);
        self.workers.extend(workers);
    }

    /// Stops the server from elsewhere (graceful: requests in hand finish), as a signal does.
    pub fn server_handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    /// Serves until the server is stopped (SIGINT or SIGTERM), then stops the workers and
    /// waits for the batch or job each has in hand (at most `WORKER_GRACE`), so that whoever
    /// stops the database next does not pull it from under them.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let result = self.server.await;
        let _ = self.shutdown.send(true);
        for worker in self.workers {
            if tokio::time::timeout(WORKER_GRACE, worker).await.is_err() {
                tracing::warn!("a worker did not stop within {WORKER_GRACE:?}");
            }
        }
        result
    }
}

/// How long a stopping process waits for each worker's batch or job in hand.
const WORKER_GRACE: std::time::Duration = std::time::Duration::from_secs(10);

/// What the server and the workers share: the pool, the mailer, the search engine, the clock.
pub async fn state(
    config: Config,
    clock: SharedClock,
    prepare: Prepare,
) -> anyhow::Result<AppState> {
    let pool = db::pool(config.database_url.expose(), config.db_pool_size)?;
    let mailer = Arc::new(Mailer::new(&config.mail)?);
    let search = Search::connect(&config.search, prepare).await?;
    search.rebuild_if_outdated(&pool).await?;
    Ok(AppState {
        pool,
        jwt: JwtKeys::new(&config.jwt),
        throttle: LoginThrottle::new(config.login_throttle),
        mailer,
        metrics: Metrics::new()?,
        search,
        clock,
        config,
    })
}

/// The job worker of this process (polling every five seconds besides LISTEN). The returned
/// future ends when `shutdown` fires, after the job in hand is done.
pub fn job_worker(
    state: &AppState,
    shutdown: tokio::sync::watch::Receiver<bool>,
) -> impl std::future::Future<Output = ()> + use<> {
    let worker = crate::jobs::worker::Worker {
        pool: state.pool.clone(),
        clock: state.clock.clone(),
        mailer: state.mailer.clone(),
        public_url: state.config.public_url.clone(),
    };
    let listen_url = Some(state.config.database_url.expose().to_owned());
    worker.run(listen_url, std::time::Duration::from_secs(5), shutdown)
}

/// The search sync (outbox to index) and the reindex requests of `edumarkt search reindex`.
pub fn spawn_search_worker(
    state: &AppState,
    shutdown: &tokio::sync::watch::Sender<bool>,
) -> Vec<tokio::task::JoinHandle<()>> {
    let syncer = state.search.syncer(state.pool.clone(), state.clock.clone());
    let listen_url = Some(state.config.database_url.expose().to_owned());
    let sync = tokio::spawn(syncer.run(
        listen_url.clone(),
        std::time::Duration::from_secs(2),
        shutdown.subscribe(),
    ));
    // The open bundles' index: the same outbox, rows of its own kind.
    let bundles = state
        .search
        .bundles_syncer(state.pool.clone(), state.clock.clone());
    let sync_bundles = tokio::spawn(bundles.run(
        listen_url.clone(),
        std::time::Duration::from_secs(2),
        shutdown.subscribe(),
    ));
    // `edumarkt search reindex` asks this process when it holds the embedded index.
    let requests = tokio::spawn(edumarkt_search_sync::reindex_requests::serve(
        state.pool.clone(),
        state.search.engine.clone(),
        state.search.index.to_owned(),
        listen_url.clone(),
        std::time::Duration::from_secs(2),
        shutdown.subscribe(),
    ));
    let bundle_requests = tokio::spawn(edumarkt_search_sync::reindex_requests::serve(
        state.pool.clone(),
        state.search.bundles.clone(),
        state.search.bundles_index.to_owned(),
        listen_url,
        std::time::Duration::from_secs(2),
        shutdown.subscribe(),
    ));
    vec![sync, sync_bundles, requests, bundle_requests]
}

fn serve(listener: TcpListener, state: web::Data<AppState>) -> anyhow::Result<Server> {
    let limit = web::Data::new(BodyLimit {
        bytes: state.config.body_limit_bytes,
        timeout: state.config.body_timeout,
    });
    // Collect the document once; every worker serves the same copy.
    let (_, collected) = App::new()
        .into_utoipa_app()
        .configure(routes::configure)
        .split_for_parts();
    let document = web::Data::new(routes::openapi::document(collected));
    let server = HttpServer::new(move || {
        let (app, _) = App::new()
            .into_utoipa_app()
            .app_data(state.clone())
            .app_data(limit.clone())
            .app_data(document.clone())
            .configure(routes::configure)
            .split_for_parts();
        app.configure(routes::extractor_errors)
            .route(
                "/openapi.json",
                web::get().to(routes::openapi::openapi_json),
            )
            .route("/docs", web::get().to(routes::openapi::docs))
            .configure(http::assets::configure)
            .configure(crate::web::configure)
            .default_service(web::to(routes::not_found))
            // Inside the edge, so their refusals get its headers; the timeout around the rate
            // limit, so a count waiting for a connection is bounded too.
            .wrap(from_fn(limits::rate::middleware))
            .wrap(from_fn(limits::timeout::middleware))
            .wrap(from_fn(http::edge::middleware))
            .wrap(from_fn(metrics::middleware))
            .wrap(from_fn(http::request_id::middleware))
            // Outermost, so every answer leaves compressed when the client takes it (pages and
            // their stylesheets shrink about tenfold); the CSRF tokens in pages are masked
            // afresh per page for this reason (`web::csrf`).
            .wrap(actix_web::middleware::Compress::default())
    })
    // Without TCP_NODELAY a response written in several pieces (a compressed page is) waits
    // for the client's delayed acknowledgement before its last piece: 40 ms added to every
    // compressed page (measured with `edumarkt bench pages`).
    .on_connect(|connection, _| {
        if let Some(tcp) = connection.downcast_ref::<actix_web::rt::net::TcpStream>()
            && let Err(e) = tcp.set_nodelay(true)
        {
            tracing::warn!(error = %e, "could not set TCP_NODELAY");
        }
    })
    .listen(listener)?
    .shutdown_timeout(10)
    .run();
    Ok(server)
}
