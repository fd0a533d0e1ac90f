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
use crate::search::Search;
use crate::state::AppState;
use crate::{db, http, metrics, routes};

pub struct Application {
    server: Server,
    port: u16,
    state: web::Data<AppState>,
    shutdown: tokio::sync::watch::Sender<bool>,
}

impl Application {
    /// Connects to the database and binds `config.listen` (port 0 picks a free port). Does not
    /// migrate: `edumarkt migrate` (or `up`) does that.
    pub async fn build(config: Config, clock: SharedClock) -> anyhow::Result<Application> {
        let pool = db::pool(config.database_url.expose(), config.db_pool_size)?;
        let mailer = Arc::new(Mailer::new(&config.mail)?);
        let search = Search::connect(&config.search).await?;
        let state = web::Data::new(AppState {
            pool,
            jwt: JwtKeys::new(&config.jwt),
            throttle: LoginThrottle::new(config.login_throttle),
            mailer,
            metrics: Metrics::new()?,
            search,
            clock,
            config,
        });
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
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn state(&self) -> web::Data<AppState> {
        self.state.clone()
    }

    /// Starts the mail delivery and search sync workers; they stop with the server.
    pub fn spawn_workers(&self) {
        self.spawn_mail_worker();
        self.spawn_search_worker();
    }

    pub fn spawn_mail_worker(&self) {
        let state = self.state.clone();
        tokio::spawn(crate::mail::outbox::run_worker(
            state.pool.clone(),
            state.mailer.clone(),
            state.clock.clone(),
            self.shutdown.subscribe(),
        ));
    }

    pub fn spawn_search_worker(&self) {
        let state = self.state.clone();
        let syncer = state.search.syncer(state.pool.clone(), state.clock.clone());
        let listen_url = Some(state.config.database_url.expose().to_owned());
        tokio::spawn(syncer.run(
            listen_url.clone(),
            std::time::Duration::from_secs(2),
            self.shutdown.subscribe(),
        ));
        // `edumarkt search reindex` asks this process when it holds the embedded index.
        tokio::spawn(edumarkt_search_sync::reindex_requests::serve(
            state.pool.clone(),
            state.search.engine.clone(),
            state.search.index.to_owned(),
            listen_url,
            std::time::Duration::from_secs(2),
            self.shutdown.subscribe(),
        ));
    }

    /// Serves until the server is stopped (SIGINT or SIGTERM), then stops the workers.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let result = self.server.await;
        let _ = self.shutdown.send(true);
        result
    }
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
            .default_service(web::to(routes::not_found))
            .wrap(from_fn(http::edge::middleware))
            .wrap(from_fn(metrics::middleware))
            .wrap(from_fn(http::request_id::middleware))
    })
    .listen(listener)?
    .shutdown_timeout(10)
    .run();
    Ok(server)
}
