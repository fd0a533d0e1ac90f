//! `EXPLAIN ANALYZE` of a query built with diesel: the plan PostgreSQL runs for exactly that
//! query, binds included, with the rows each step read (the benchmarks show it, to see which
//! index a list uses and how much of it a page reads). The query runs: only for reads.

use diesel::QueryResult;
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::Text;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

pub struct Explain<Q>(pub Q);

impl<Q: QueryFragment<Pg>> QueryFragment<Pg> for Explain<Q> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_sql("EXPLAIN ANALYZE ");
        self.0.walk_ast(out.reborrow())
    }
}

impl<Q> Query for Explain<Q> {
    type SqlType = Text;
}

impl<Q> QueryId for Explain<Q> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

/// The plan of `query` as it ran, one line per row of `EXPLAIN ANALYZE`.
pub async fn explain<Q>(conn: &mut AsyncPgConnection, query: Q) -> QueryResult<Vec<String>>
where
    Q: QueryFragment<Pg> + Send,
{
    Explain(query).load::<String>(conn).await
}
