//! `EXPLAIN` of a query built with diesel: the plan PostgreSQL would run for exactly that
//! query, binds included (the benchmarks show it, to see which index a list uses).

use diesel::pg::Pg;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::Text;
use diesel::QueryResult;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

pub struct Explain<Q>(pub Q);

impl<Q: QueryFragment<Pg>> QueryFragment<Pg> for Explain<Q> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_sql("EXPLAIN ");
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

/// The plan of `query`, one line per row of `EXPLAIN`.
pub async fn explain<Q>(conn: &mut AsyncPgConnection, query: Q) -> QueryResult<Vec<String>>
where
    Q: QueryFragment<Pg> + Send,
{
    Explain(query).load::<String>(conn).await
}
