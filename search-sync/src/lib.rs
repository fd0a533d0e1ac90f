//! The search index of edumarkt: the offering document, the index settings, the outbox worker
//! and the sinks (Meilisearch and the embedded index). It knows nothing of actix or of the
//! server: it reads the outbox and the projection the database provides.
