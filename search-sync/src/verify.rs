//! `edumarkt search verify [--repair]`: compares the database's projection with the index,
//! document by document in id order, and reports what is missing from the index, stale in it
//! (differs from the projection) or extra (no longer searchable). Repair queues those ids in
//! the outbox, so the one writer path (the worker) fixes them.

use std::cmp::Ordering;
use std::collections::VecDeque;

use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

use crate::engine::SearchEngine;
use crate::error::SearchResult;
use crate::kind::IndexKind;
use crate::outbox::{DbPool, search_outbox};

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    /// The index kind checked: repairs are queued for it.
    pub kind: &'static str,
    pub checked: usize,
    pub missing: Vec<Uuid>,
    pub stale: Vec<Uuid>,
    pub extra: Vec<Uuid>,
}

impl VerifyReport {
    pub fn is_clean(&self) -> bool {
        self.missing.is_empty() && self.stale.is_empty() && self.extra.is_empty()
    }

    pub fn differing(&self) -> Vec<Uuid> {
        self.missing
            .iter()
            .chain(&self.stale)
            .chain(&self.extra)
            .copied()
            .collect()
    }
}

/// Walks both sides in id order at once (a merge join), so memory stays at two pages however
/// large the index.
pub async fn verify<K: IndexKind>(
    pool: &DbPool,
    engine: &dyn SearchEngine<K>,
    index: &str,
    page_size: usize,
    progress: &(dyn Fn(usize) + Sync),
) -> SearchResult<VerifyReport> {
    let mut conn = pool.get().await?;
    let limit = i64::try_from(page_size).unwrap_or(1_000);
    let mut report = VerifyReport {
        kind: K::DESCRIPTOR.name,
        ..VerifyReport::default()
    };
    let (mut wanted, mut stored): (VecDeque<K::Document>, VecDeque<K::Document>) =
        (VecDeque::new(), VecDeque::new());
    let (mut db_after, mut db_done, mut offset, mut index_done) = (None, false, 0, false);
    loop {
        if wanted.is_empty() && !db_done {
            let page = K::page(&mut conn, db_after, limit).await?;
            db_done = page.len() < page_size;
            db_after = page.last().map(K::id);
            wanted.extend(page);
        }
        if stored.is_empty() && !index_done {
            let page = engine.documents(index, offset, page_size).await?;
            index_done = page.len() < page_size;
            offset += page.len();
            stored.extend(page);
        }
        let next = match (wanted.front(), stored.front()) {
            (None, None) => break,
            (Some(w), Some(s)) => K::id(w).cmp(&K::id(s)),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
        };
        match next {
            Ordering::Less => report
                .missing
                .extend(wanted.pop_front().as_ref().map(K::id)),
            Ordering::Greater => {
                report.checked += 1;
                report.extra.extend(stored.pop_front().as_ref().map(K::id));
            }
            Ordering::Equal => {
                report.checked += 1;
                if let (Some(w), Some(s)) = (wanted.pop_front(), stored.pop_front())
                    && w != s
                {
                    report.stale.push(K::id(&w));
                }
            }
        }
        if report.checked.is_multiple_of(1_000) {
            progress(report.checked);
        }
    }
    progress(report.checked);
    Ok(report)
}

/// Queues the differing documents for the worker of the report's kind.
pub async fn queue_repairs(pool: &DbPool, report: &VerifyReport) -> SearchResult<usize> {
    let ids = report.differing();
    if ids.is_empty() {
        return Ok(0);
    }
    let mut conn = pool.get().await?;
    let rows: Vec<_> = ids
        .iter()
        .map(|id| {
            (
                search_outbox::kind.eq(report.kind),
                search_outbox::document_id.eq(*id),
            )
        })
        .collect();
    Ok(diesel::insert_into(search_outbox::table)
        .values(rows)
        .execute(&mut conn)
        .await?)
}
