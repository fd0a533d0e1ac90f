//! `cfg(meilisearch)` when `MEILISEARCH_URL` is set at build time: the tests that need a real
//! Meilisearch run then, and show as ignored otherwise instead of passing without running.
fn main() {
    println!("cargo::rustc-check-cfg=cfg(meilisearch)");
    println!("cargo::rerun-if-env-changed=MEILISEARCH_URL");
    if std::env::var_os("MEILISEARCH_URL").is_some_and(|url| !url.is_empty()) {
        println!("cargo::rustc-cfg=meilisearch");
    }
}
