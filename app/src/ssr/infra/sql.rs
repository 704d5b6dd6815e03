//! SQL assembled at run time, and the paging every list shares.

use crate::ssr::infra::db::Backend;
use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::Any;

/// Most items one page may hold, whatever the client asks for.
pub const MAX_PAGE: i64 = 250;

#[derive(Debug, Clone)]
pub struct ListQuery {
    pub limit: i64,
    pub iterator: Option<String>,
    pub descending: bool,
}

impl ListQuery {
    pub fn new(limit: Option<i64>, iterator: Option<String>, descending: bool) -> Self {
        ListQuery {
            limit: limit.unwrap_or(50).clamp(1, MAX_PAGE),
            iterator: iterator.filter(|s| !s.is_empty()),
            descending,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Page<T> {
    pub data: Vec<T>,
    pub iterator: Option<String>,
    pub done: bool,
}

impl<T> Page<T> {
    /// `rows` was fetched with `limit + 1` so one extra row tells whether more remain.
    pub fn from_rows(mut rows: Vec<T>, limit: i64, key: impl Fn(&T) -> String) -> Page<T> {
        let done = rows.len() as i64 <= limit;
        rows.truncate(limit as usize);
        let iterator = rows.last().map(&key);
        Page {
            data: rows,
            iterator,
            done,
        }
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            data: self.data.into_iter().map(f).collect(),
            iterator: self.iterator,
            done: self.done,
        }
    }
}

/// A bind value for SQL assembled at run time (optional filters).
#[derive(Debug, Clone)]
pub enum Arg {
    Int(i64),
    Text(String),
}

/// SQL text with positional binds, built piece by piece.
///
/// Placeholders are `$n` on PostgreSQL and a bare `?` on SQLite. sqlx asks SQLite for each
/// parameter's name to find its position, and SQLite answers by a linear scan of the statement's
/// named parameters: with `$n` binding is quadratic in a statement's parameters (8.6% of all CPU
/// in a profile of 10-endpoint fan-out, in the multi-row INSERTs and `IN (...)` lists). A bare
/// `?` has no name, so the lookup returns at once and binding follows the text order, which is
/// the order `bind` appends in. Pieces passed to `new` and `push` must not hold placeholders.
#[derive(Debug)]
pub struct Sql {
    pub text: String,
    pub args: Vec<Arg>,
    backend: Backend,
}

impl Sql {
    pub fn new(backend: Backend, text: &str) -> Self {
        Sql {
            text: text.to_owned(),
            args: Vec::new(),
            backend,
        }
    }

    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends `(v1, v2, …)`, one placeholder per value, for `IN` lists.
    pub fn bind_list(&mut self, values: impl IntoIterator<Item = Arg>) -> &mut Self {
        self.text.push('(');
        for (i, v) in values.into_iter().enumerate() {
            if i > 0 {
                self.text.push_str(", ");
            }
            self.bind(v);
        }
        self.text.push(')');
        self
    }

    /// Appends a placeholder for `arg`.
    pub fn bind(&mut self, arg: Arg) -> &mut Self {
        self.args.push(arg);
        match self.backend {
            Backend::Sqlite => self.text.push('?'),
            Backend::Postgres => {
                let n = self.args.len();
                self.text.push_str(&format!("${n}"));
            }
        }
        self
    }

    pub fn query(&self) -> Query<'_, Any, AnyArguments<'_>> {
        let mut q = sqlx::query(&self.text);
        for a in &self.args {
            q = match a {
                Arg::Int(i) => q.bind(*i),
                Arg::Text(s) => q.bind(s.as_str()),
            };
        }
        q
    }

    pub fn query_as<T>(&self) -> sqlx::query::QueryAs<'_, Any, T, AnyArguments<'_>>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
    {
        let mut q = sqlx::query_as::<_, T>(&self.text);
        for a in &self.args {
            q = match a {
                Arg::Int(i) => q.bind(*i),
                Arg::Text(s) => q.bind(s.as_str()),
            };
        }
        q
    }
}

/// Parses stored JSON text, treating damage as empty rather than failing a whole list.
pub fn json_or_default<T: serde::de::DeserializeOwned + Default>(text: Option<&str>) -> T {
    text.and_then(|t| serde_json::from_str(t).ok())
        .unwrap_or_default()
}
