//! What lets one repository layer speak to both databases: which backend a pool or
//! connection is ([`Backend`]), the few SQL fragments that differ between SQLite and
//! PostgreSQL, and [`Sql`], a query built piece by piece whose placeholders are `$1, $2, …`
//! (both backends read those; sqlx's own `QueryBuilder` writes `?` for the `Any` driver,
//! which PostgreSQL refuses).
//!
//! Conventions the repository keeps so one SQL text serves both: placeholders `$N`,
//! timestamps as RFC 3339 text computed in Rust, flags as integers 0/1 (decoded as `i64`:
//! SQLite has no boolean type to decode), `CAST(… AS BIGINT)` around sums, and upserts as
//! `INSERT … ON CONFLICT … DO …`.

use sqlx::AnyConnection;
use sqlx::any::AnyArguments;
use sqlx::{Any, AnyPool, Arguments, Encode, FromRow, Type};

/// The database behind a pool or a connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The backend of `pool`, read from the URL it was opened with.
    pub fn of(pool: &AnyPool) -> Self {
        Self::from_scheme(pool.connect_options().database_url.scheme())
    }

    /// The backend of an open connection (inside a transaction).
    pub fn of_connection(conn: &AnyConnection) -> Self {
        if conn.backend_name().eq_ignore_ascii_case("PostgreSQL") {
            Self::Postgres
        } else {
            Self::Sqlite
        }
    }

    /// `postgres`/`postgresql` or anything else (SQLite, the default).
    pub fn from_scheme(scheme: &str) -> Self {
        if scheme.starts_with("postgres") {
            Self::Postgres
        } else {
            Self::Sqlite
        }
    }

    /// The case-insensitive LIKE: SQLite's LIKE already is (for ASCII), PostgreSQL's is not.
    pub fn ilike(self) -> &'static str {
        match self {
            Self::Sqlite => "LIKE",
            Self::Postgres => "ILIKE",
        }
    }

    /// `column` ordered without regard to case: SQLite's NOCASE collation (which its
    /// indexes use), PostgreSQL's `lower()`.
    pub fn nocase(self, column: &str) -> String {
        match self {
            Self::Sqlite => format!("{column} COLLATE NOCASE"),
            Self::Postgres => format!("lower({column})"),
        }
    }

    /// The text of `key` in the JSON object stored (as text) in `column`, NULL without it.
    pub fn json_text(self, column: &str, key: &str) -> String {
        match self {
            Self::Sqlite => format!("json_extract({column}, '$.{key}')"),
            Self::Postgres => format!("(({column})::jsonb ->> '{key}')"),
        }
    }

    /// The JSON text of `column` with `key` set to the text `value_sql` when it holds an
    /// object (anything else is left as it is, as SQLite's `json_set` does).
    pub fn json_with(self, column: &str, key: &str, value_sql: &str) -> String {
        match self {
            Self::Sqlite => format!("json_set({column}, '$.{key}', {value_sql})"),
            Self::Postgres => format!(
                "CASE WHEN jsonb_typeof(({column})::jsonb) = 'object' \
                 THEN jsonb_set(({column})::jsonb, '{{{key}}}', to_jsonb({value_sql}))::text \
                 ELSE {column} END"
            ),
        }
    }

    /// A table of the texts in the JSON array at `key` of `column`, one per row in a
    /// column named `value` (none when the key is missing).
    pub fn json_array_values(self, column: &str, key: &str) -> String {
        match self {
            Self::Sqlite => format!("json_each({column}, '$.{key}')"),
            Self::Postgres => {
                format!("jsonb_array_elements_text(({column})::jsonb -> '{key}') AS items (value)")
            }
        }
    }

    /// What follows a sort direction so that NULLs sort as SQLite sorts them (smallest:
    /// first going up, last going down); PostgreSQL sorts them largest.
    pub fn nulls_smallest(self, descending: bool) -> &'static str {
        match (self, descending) {
            (Self::Sqlite, _) => "",
            (Self::Postgres, false) => " NULLS FIRST",
            (Self::Postgres, true) => " NULLS LAST",
        }
    }

    /// The ASCII unit separator as an SQL expression.
    pub fn unit_separator(self) -> &'static str {
        match self {
            Self::Sqlite => "char(31)",
            Self::Postgres => "chr(31)",
        }
    }

    /// `timestamp_column` (RFC 3339 text) lies at least the next bound value, a number
    /// of days (`f64`), in the past; push the value right after.
    pub fn at_least_days_ago(self, timestamp_column: &str) -> String {
        match self {
            Self::Sqlite => {
                format!("julianday('now') - julianday({timestamp_column}) >= ")
            }
            Self::Postgres => {
                format!("({timestamp_column})::timestamptz <= now() - interval '1 day' * ")
            }
        }
    }
}

/// A query built piece by piece: text pushed as is, values (owned) bound as `$N`.
pub struct Sql {
    backend: Backend,
    text: String,
    arguments: AnyArguments<'static>,
    count: usize,
    error: Option<sqlx::error::BoxDynError>,
}

impl Sql {
    /// A query for `backend` starting with `text`.
    pub fn new(backend: Backend, text: impl AsRef<str>) -> Self {
        Self {
            backend,
            text: text.as_ref().to_string(),
            arguments: AnyArguments::default(),
            count: 0,
            error: None,
        }
    }

    /// The backend the query is for (the fragments that differ ask it).
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Appends SQL text (never a value from input: bind those).
    pub fn push(&mut self, text: impl AsRef<str>) -> &mut Self {
        self.text.push_str(text.as_ref());
        self
    }

    /// Appends a placeholder for `value`.
    pub fn push_bind<T>(&mut self, value: T) -> &mut Self
    where
        T: 'static + Encode<'static, Any> + Type<Any>,
    {
        if let Err(error) = self.arguments.add(value) {
            self.error.get_or_insert(error);
        }
        self.count += 1;
        self.text.push('$');
        self.text.push_str(&self.count.to_string());
        self
    }

    /// Appends `$a, $b, …`, one placeholder per value (nothing for none).
    pub fn push_list<T, I>(&mut self, values: I) -> &mut Self
    where
        I: IntoIterator<Item = T>,
        T: 'static + Encode<'static, Any> + Type<Any>,
    {
        for (i, value) in values.into_iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.push_bind(value);
        }
        self
    }

    /// Appends `column = value` compared without regard to case (on SQLite through the
    /// NOCASE collation its indexes use).
    pub fn push_eq_nocase(&mut self, column: &str, value: String) -> &mut Self {
        match self.backend {
            Backend::Sqlite => self
                .push(format!("{column} = "))
                .push_bind(value)
                .push(" COLLATE NOCASE"),
            Backend::Postgres => self
                .push(format!("lower({column}) = lower("))
                .push_bind(value)
                .push(")"),
        }
    }

    /// The SQL text so far.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The bound values; an encoding error (none of the types the repository binds has
    /// one) comes back as the query's error.
    fn take_arguments(&mut self) -> Result<AnyArguments<'static>, sqlx::Error> {
        match self.error.take() {
            Some(error) => Err(sqlx::Error::Encode(error)),
            None => Ok(std::mem::take(&mut self.arguments)),
        }
    }

    /// The query, to execute or fetch rows from.
    pub fn build(&mut self) -> Result<sqlx::query::Query<'_, Any, AnyArguments<'_>>, sqlx::Error> {
        let arguments = self.take_arguments()?;
        Ok(sqlx::query_with(&self.text, arguments))
    }

    /// The query, each row read as `T`.
    pub fn build_query_as<T>(
        &mut self,
    ) -> Result<sqlx::query::QueryAs<'_, Any, T, AnyArguments<'_>>, sqlx::Error>
    where
        T: for<'r> FromRow<'r, sqlx::any::AnyRow>,
    {
        let arguments = self.take_arguments()?;
        Ok(sqlx::query_as_with(&self.text, arguments))
    }

    /// The query, each row's first column read as `T`.
    pub fn build_query_scalar<T>(
        &mut self,
    ) -> Result<sqlx::query::QueryScalar<'_, Any, T, AnyArguments<'_>>, sqlx::Error>
    where
        (T,): for<'r> FromRow<'r, sqlx::any::AnyRow>,
    {
        let arguments = self.take_arguments()?;
        Ok(sqlx::query_scalar_with(&self.text, arguments))
    }
}

/// A flag read from either backend: a stored 0/1 integer, or the boolean of an
/// expression such as `x IS NOT NULL` (an integer on SQLite, a boolean on PostgreSQL).
/// Read it in a row struct with `#[sqlx(try_from = "Flag")] field: bool`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Flag(pub bool);

impl Type<Any> for Flag {
    fn type_info() -> sqlx::any::AnyTypeInfo {
        <bool as Type<Any>>::type_info()
    }

    fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
        <bool as Type<Any>>::compatible(ty) || <i64 as Type<Any>>::compatible(ty)
    }
}

impl<'r> sqlx::Decode<'r, Any> for Flag {
    fn decode(value: sqlx::any::AnyValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        match <bool as sqlx::Decode<Any>>::decode(value.clone()) {
            Ok(flag) => Ok(Flag(flag)),
            Err(_) => Ok(Flag(<i64 as sqlx::Decode<Any>>::decode(value)? != 0)),
        }
    }
}

impl From<Flag> for bool {
    fn from(flag: Flag) -> bool {
        flag.0
    }
}
