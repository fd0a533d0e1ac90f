//! An index kind: what one kind of searchable thing (offerings; open bundles) tells the
//! engines, the worker, reindex and verify, once. The engines hold no knowledge of any kind:
//! the embedded engine builds its tantivy schema and column tables from the descriptor, the
//! Meilisearch engine its settings, and both translate a search's filters and sort from the
//! kind's own types into the plain `Filter`s and `SortRule`s here. A kind is a type (usually a
//! unit struct), so everything is resolved at compile time or once per search, never per
//! document.

use std::fmt::{self, Debug};

use async_trait::async_trait;
use diesel::QueryResult;
use diesel_async::AsyncPgConnection;
use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;

/// A facet: the query parameter a client filters with, and the document field behind it (a
/// code or a list of codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Facet {
    pub param: &'static str,
    pub field: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberType {
    U64,
    I64,
    F64,
}

/// Where a number column's values come from.
#[derive(Clone, Copy)]
pub enum Source {
    /// The document's attribute of the same name (absent or `null`: no value).
    Document,
    /// Derived from the first code of a single-valued facet (`""` without one), for sorts that
    /// order by a code's rank (offerings' `price_group`). Meilisearch stores the value beside
    /// the document; the embedded index computes it per code of the facet's column.
    RankOf {
        facet: &'static str,
        rank: fn(&str) -> u64,
    },
}

impl Debug for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Document => f.write_str("Document"),
            Source::RankOf { facet, .. } => write!(f, "RankOf({facet})"),
        }
    }
}

/// A numeric attribute that filters or sorts read.
#[derive(Debug, Clone, Copy)]
pub struct Number {
    pub field: &'static str,
    pub ty: NumberType,
    pub source: Source,
}

/// Everything about an index that is data: both engines read only this and the kind's types.
#[derive(Debug)]
pub struct IndexDescriptor {
    /// The live index's name (before a deployment's prefix) and the outbox rows' `kind`.
    pub name: &'static str,
    /// Searched attributes (text or lists of text), most important first, with the boost the
    /// embedded index gives them. Dutch analysis, stop words, typo tolerance and synonyms
    /// (`settings`) apply to every kind: the market speaks one language.
    pub searchable: &'static [(&'static str, f32)],
    pub facets: &'static [Facet],
    /// Filterable text attributes that are not facets (ids): one value per document.
    pub keywords: &'static [&'static str],
    /// Numbers filters and sorts read.
    pub numbers: &'static [Number],
    /// Meilisearch's filterable attributes beyond the facets (keywords, numbers, flags).
    pub filterable: &'static [&'static str],
    /// Meilisearch's sortable attributes; every sort rule's field is one.
    pub sortable: &'static [&'static str],
}

impl IndexDescriptor {
    /// Every filterable attribute: the facet fields, then `filterable`.
    pub fn filterable(&self) -> Vec<&'static str> {
        let mut fields: Vec<&'static str> = self.facets.iter().map(|f| f.field).collect();
        fields.extend(self.filterable);
        fields
    }

    pub fn facet(&self, field: &str) -> Option<usize> {
        self.facets.iter().position(|f| f.field == field)
    }

    pub fn facet_by_param(&self, param: &str) -> Option<&'static Facet> {
        self.facets.iter().find(|f| f.param == param)
    }

    pub fn number(&self, field: &str) -> Option<usize> {
        self.numbers.iter().position(|n| n.field == field)
    }
}

/// A number in a filter, compared as the column's values are.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    U64(u64),
    I64(i64),
    F64(f64),
}

impl Value {
    pub fn as_f64(self) -> f64 {
        match self {
            Value::U64(v) => v as f64,
            Value::I64(v) => v as f64,
            Value::F64(v) => v,
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::U64(v) => write!(f, "{v}"),
            Value::I64(v) => write!(f, "{v}"),
            Value::F64(v) => write!(f, "{v}"),
        }
    }
}

/// A filter that is not a facet. Filters combine with AND, with the facets too.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    /// The keyword attribute is one of the values.
    AnyOf {
        field: &'static str,
        values: Vec<String>,
    },
    /// The number is at least the value; a document without one fails.
    AtLeast { field: &'static str, value: Value },
    /// The number is at most the value; a document without one fails.
    AtMost { field: &'static str, value: Value },
}

/// One step of an order; documents without the attribute come last either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SortRule {
    pub field: &'static str,
    pub descending: bool,
}

/// The most rules a sort may have (the embedded index keeps a fixed-size key per hit).
pub const MAX_SORT_RULES: usize = 2;

/// A kind of index. Implemented once per kind; the engines, the worker, reindex and verify are
/// generic over it.
#[async_trait]
pub trait IndexKind: Send + Sync + 'static {
    /// The stored document: what a search returns and verify compares. It serialises to a JSON
    /// object with a text `id` (a UUID) and the descriptor's attributes by name.
    type Document: Serialize + DeserializeOwned + Clone + PartialEq + Debug + Send + Sync + 'static;
    /// The kind's filters beyond facets, as a search receives them.
    type Filters: Clone + Debug + Default + PartialEq + Send + Sync + 'static;
    /// The kind's orders; the default is relevance.
    type Sort: Copy + Debug + Default + PartialEq + Send + Sync + 'static;
    /// Whom a tenant token is for (`()` when every document is public).
    type Tenant: Sync + ?Sized;

    const DESCRIPTOR: &'static IndexDescriptor;

    fn id(document: &Self::Document) -> Uuid;

    fn filters(filters: &Self::Filters) -> Vec<Filter>;

    /// The order's rules, at most `MAX_SORT_RULES`; none is relevance.
    fn sort_rules(sort: Self::Sort) -> &'static [SortRule];

    /// The filter (Meilisearch syntax) a tenant token for `tenant` is limited to; `None` lets it
    /// search the whole index.
    fn tenant_filter(tenant: &Self::Tenant) -> Option<String>;

    // The projection: the documents as the database has them now. An id without a document is
    // not (or no longer) searchable, and leaves the index.

    /// The current documents of `ids`.
    async fn load(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> QueryResult<Vec<Self::Document>>;

    /// A page of all documents in id order, after `after`.
    async fn page(
        conn: &mut AsyncPgConnection,
        after: Option<Uuid>,
        limit: i64,
    ) -> QueryResult<Vec<Self::Document>>;

    /// A page of the ids of all documents in id order, after `after`.
    async fn page_ids(
        conn: &mut AsyncPgConnection,
        after: Option<Uuid>,
        limit: i64,
    ) -> QueryResult<Vec<Uuid>>;

    async fn count(conn: &mut AsyncPgConnection) -> QueryResult<i64>;

    /// The largest id of any document now (`None` without documents): where a reindex's
    /// snapshot ends.
    async fn last_id(conn: &mut AsyncPgConnection) -> QueryResult<Option<Uuid>>;
}
