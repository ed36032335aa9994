//! The whole database as one portable document, and back: the municipality export (the supported
//! way to move from SQLite to PostgreSQL) and PostgreSQL's logical backup.
//!
//! The document is written from the schema itself, not from a hand-kept list: every table the
//! migrations made (read from the database's catalogue) with every column, rows sorted by their
//! primary key. Values are portable because the schema is: text, 64-bit integers and doubles
//! only (ids are text, dates and times ISO text). Nothing in the document depends on the
//! database it came from or on the moment of export, so SQLite -> document -> PostgreSQL ->
//! document gives the same bytes.
//!
//! Loading goes into an empty database only: it migrates it to the document's schema version,
//! inserts every table in the order its foreign keys need, in one transaction, then migrates to
//! this program's version. The audit log travels as it is, so `audit verify` holds afterwards
//! and the load adds no entry of its own.

use crate::{Db, Store, StoreError, migrations, on_db};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::{AssertSqlSafe, Row};
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

/// The `format` field of every document.
pub const FORMAT: &str = "stedenband-export";
/// The version of the document's own shape (not the schema's).
pub const FORMAT_VERSION: u32 = 1;

/// Tables left out of a municipality export: logins in progress and recent login failures
/// belong to the installation, not to the municipality's records. A backup keeps them.
const TRANSIENT_TABLES: &[&str] = &["sessions", "login_failures"];

/// Tables a trigger fills when other rows arrive: a new municipality takes over (or adds) its
/// town in the world register. Loading clears what the trigger made before inserting the
/// document's own rows, which already hold the links.
const TRIGGER_FILLED_TABLES: &[&str] = &["world_towns"];

/// At most this many bound values per insert statement (SQLite allows 32,766).
const MAX_BINDS: usize = 8_000;

/// What a document holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DocumentKind {
    /// A municipality's register and everything around it, without transient login state.
    Municipality,
    /// Every table: PostgreSQL's backup.
    Backup,
}

/// One row: column name to value (null, integer, double or text).
pub type DumpRow = BTreeMap<String, Value>;

/// The whole database as one document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub format: String,
    pub format_version: u32,
    pub kind: DocumentKind,
    /// The migration version of the database it was read from.
    pub schema_version: i64,
    /// The municipalities whose twinnings these are (those holding partnerships or a
    /// foundation), by name: for a person looking at the file.
    pub municipalities: Vec<String>,
    /// Every table by name, rows sorted by primary key.
    pub tables: BTreeMap<String, Vec<DumpRow>>,
}

/// Why a document cannot be read or loaded, naming the place in the document; carried by
/// [`StoreError::Document`].
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum DumpError {
    #[error("not a Stedenband export: {0}")]
    Malformed(String),
    #[error(
        "the document has schema version {found}, newer than this program's {latest}: \
         load it with a newer Stedenband"
    )]
    NewerSchema { found: i64, latest: i64 },
    #[error("the target database is not empty: {0}; load into an empty database")]
    NotEmpty(String),
    #[error("table {table}: {message}")]
    Table { table: String, message: String },
    #[error("table {table}, row {row}: {message}")]
    Row {
        table: String,
        row: usize,
        message: String,
    },
    /// The database refused a row: a check, a duplicate key, a missing parent.
    #[error("table {table}: the database refused a row: {message}")]
    Refused { table: String, message: String },
}

/// What a load wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadSummary {
    pub tables: usize,
    pub rows: usize,
}

/// What an integrity check found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IntegrityReport {
    pub tables: usize,
    pub rows: u64,
    /// Problems found; empty when the database is sound.
    pub problems: Vec<String>,
}

impl IntegrityReport {
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ColumnType {
    Integer,
    Real,
    Text,
}

impl ColumnType {
    /// From a declared type: SQLite's as written in the migration, PostgreSQL's `data_type`.
    fn from_declared(declared: &str) -> Self {
        let d = declared.to_ascii_uppercase();
        if d.contains("INT") {
            ColumnType::Integer
        } else if d.contains("REAL") || d.contains("DOUB") || d.contains("FLOA") {
            ColumnType::Real
        } else {
            ColumnType::Text
        }
    }
}

#[derive(Clone, Debug)]
struct Table {
    name: String,
    columns: Vec<(String, ColumnType)>,
    primary_key: Vec<String>,
    /// Foreign keys: (columns, parent table, parent columns).
    foreign_keys: Vec<(Vec<String>, String, Vec<String>)>,
}

impl Table {
    fn column_type(&self, name: &str) -> Option<ColumnType> {
        self.columns
            .iter()
            .find(|(c, _)| c == name)
            .map(|(_, t)| *t)
    }
}

/// Names from a document go into SQL only after this check (and quoted as well).
fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && name.len() <= 63
}

fn quote(name: &str) -> String {
    format!("\"{name}\"")
}

impl Document {
    /// Reads a document, checking its shape: the format, known kinds, identifiers as table and
    /// column names, and only null, integers, doubles and text as values. Does no I/O.
    pub fn from_slice(bytes: &[u8]) -> Result<Document, StoreError> {
        Ok(Self::parse(bytes)?)
    }

    fn parse(bytes: &[u8]) -> Result<Document, DumpError> {
        let doc: Document =
            serde_json::from_slice(bytes).map_err(|e| DumpError::Malformed(format!("{e}")))?;
        if doc.format != FORMAT {
            return Err(DumpError::Malformed(format!(
                "the format is {:?}, not {FORMAT:?}",
                doc.format
            )));
        }
        if doc.format_version != FORMAT_VERSION {
            return Err(DumpError::Malformed(format!(
                "format version {} is not supported (this program reads {FORMAT_VERSION})",
                doc.format_version
            )));
        }
        if doc.schema_version < 1 {
            return Err(DumpError::Malformed(format!(
                "schema version {} is not a migration version",
                doc.schema_version
            )));
        }
        let latest = migrations::latest_version();
        if doc.schema_version > latest {
            return Err(DumpError::NewerSchema {
                found: doc.schema_version,
                latest,
            });
        }
        for (table, rows) in &doc.tables {
            if !is_identifier(table) {
                return Err(DumpError::Malformed(format!(
                    "{table:?} is not a table name"
                )));
            }
            let Some(first) = rows.first() else { continue };
            for (i, row) in rows.iter().enumerate() {
                let row_error = |message: String| DumpError::Row {
                    table: table.clone(),
                    row: i + 1,
                    message,
                };
                if row.len() != first.len() || row.keys().ne(first.keys()) {
                    return Err(row_error(
                        "its columns differ from the table's first row".to_owned(),
                    ));
                }
                for (column, value) in row {
                    if !is_identifier(column) {
                        return Err(row_error(format!("{column:?} is not a column name")));
                    }
                    match value {
                        Value::Null | Value::String(_) => {}
                        Value::Number(n) if n.is_i64() || n.is_f64() => {}
                        _ => {
                            return Err(row_error(format!(
                                "column {column} holds {value}: only null, a number or text \
                                 can be stored"
                            )));
                        }
                    }
                }
            }
        }
        Ok(doc)
    }

    /// Writes the document as JSON: one row per line, so that a diff or `grep` reads it.
    pub fn write_to(&self, mut out: impl Write) -> std::io::Result<()> {
        writeln!(out, "{{")?;
        writeln!(out, "  \"format\": {},", json(&self.format))?;
        writeln!(out, "  \"format_version\": {},", self.format_version)?;
        writeln!(out, "  \"kind\": {},", json(&self.kind))?;
        writeln!(out, "  \"schema_version\": {},", self.schema_version)?;
        writeln!(out, "  \"municipalities\": {},", json(&self.municipalities))?;
        write!(out, "  \"tables\": {{")?;
        for (t, (table, rows)) in self.tables.iter().enumerate() {
            let sep = if t == 0 { "" } else { "," };
            write!(out, "{sep}\n    {}: [", json(table))?;
            for (r, row) in rows.iter().enumerate() {
                let sep = if r == 0 { "" } else { "," };
                write!(out, "{sep}\n      {}", json(row))?;
            }
            if rows.is_empty() {
                write!(out, "]")?;
            } else {
                write!(out, "\n    ]")?;
            }
        }
        writeln!(out, "\n  }}\n}}")?;
        Ok(())
    }

    /// The document as bytes, as [`Document::write_to`] writes it.
    pub fn to_vec(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write_to(&mut out).expect("writing to memory");
        out
    }

    /// Rows in all tables.
    pub fn row_count(&self) -> usize {
        self.tables.values().map(Vec::len).sum()
    }
}

/// One piece of the document as JSON. Strings, lists of strings and rows (maps of names to
/// null, numbers and text) always serialise.
fn json<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned())
}

/// Orders values as the document sorts rows: null, then numbers, then text (bytewise), so the
/// order is the same whichever database's collation the rows came from.
fn compare_values(a: &Value, b: &Value) -> Ordering {
    fn rank(v: &Value) -> u8 {
        match v {
            Value::Null => 0,
            Value::Number(_) => 1,
            _ => 2,
        }
    }
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(x), Some(y)) => x.cmp(&y),
            _ => {
                let (x, y) = (x.as_f64().unwrap_or(0.0), y.as_f64().unwrap_or(0.0));
                x.total_cmp(&y)
            }
        },
        (Value::String(x), Value::String(y)) => x.as_bytes().cmp(y.as_bytes()),
        _ => rank(a).cmp(&rank(b)),
    }
}

fn sort_rows(rows: &mut [DumpRow], key: &[String]) {
    rows.sort_by(|a, b| {
        key.iter()
            .map(|k| compare_values(&a[k], &b[k]))
            .chain(
                a.values()
                    .zip(b.values())
                    .map(|(x, y)| compare_values(x, y)),
            )
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
    });
}

/// Tables in an order in which every parent comes before its children; ties by name.
fn insertion_order(tables: &[Table]) -> Result<Vec<&Table>, StoreError> {
    let names: BTreeSet<&str> = tables.iter().map(|t| t.name.as_str()).collect();
    let mut done: BTreeSet<&str> = BTreeSet::new();
    let mut order = Vec::with_capacity(tables.len());
    while order.len() < tables.len() {
        let ready: Vec<&Table> = tables
            .iter()
            .filter(|t| !done.contains(t.name.as_str()))
            .filter(|t| {
                t.foreign_keys.iter().all(|(_, parent, _)| {
                    parent == &t.name
                        || done.contains(parent.as_str())
                        || !names.contains(parent.as_str())
                })
            })
            .collect();
        if ready.is_empty() {
            return Err(StoreError::Corrupt(
                "the tables' foreign keys form a cycle".to_owned(),
            ));
        }
        for t in ready {
            done.insert(&t.name);
            order.push(t);
        }
    }
    Ok(order)
}

impl Store {
    /// The tables of the schema with their columns, keys and foreign keys, from the catalogue.
    async fn schema_tables(&self) -> Result<Vec<Table>, StoreError> {
        let mut tables = Vec::new();
        match self.db() {
            Db::Sqlite(pool) => {
                let names: Vec<String> = sqlx::query_scalar(
                    "SELECT name FROM sqlite_master WHERE type = 'table' \
                     AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name",
                )
                .fetch_all(pool)
                .await?;
                for name in names {
                    let cols = sqlx::query(
                        "SELECT name, type, pk FROM pragma_table_info(?1) ORDER BY cid",
                    )
                    .bind(&name)
                    .fetch_all(pool)
                    .await?;
                    let mut pk: Vec<(i64, String)> = Vec::new();
                    let mut columns = Vec::new();
                    for c in cols {
                        let col: String = c.try_get(0)?;
                        let declared: String = c.try_get(1)?;
                        let pk_pos: i64 = c.try_get(2)?;
                        if pk_pos > 0 {
                            pk.push((pk_pos, col.clone()));
                        }
                        columns.push((col, ColumnType::from_declared(&declared)));
                    }
                    pk.sort();
                    let fk_rows = sqlx::query(
                        "SELECT id, \"table\", \"from\", \"to\" FROM pragma_foreign_key_list(?1) \
                         ORDER BY id, seq",
                    )
                    .bind(&name)
                    .fetch_all(pool)
                    .await?;
                    let mut fks: BTreeMap<i64, (Vec<String>, String, Vec<String>)> =
                        BTreeMap::new();
                    for f in fk_rows {
                        let id: i64 = f.try_get(0)?;
                        let parent: String = f.try_get(1)?;
                        let from: String = f.try_get(2)?;
                        let to: Option<String> = f.try_get(3)?;
                        let entry = fks.entry(id).or_insert_with(|| (vec![], parent, vec![]));
                        entry.0.push(from);
                        entry.2.push(to.unwrap_or_else(|| "id".to_owned()));
                    }
                    tables.push(Table {
                        name,
                        columns,
                        primary_key: pk.into_iter().map(|(_, c)| c).collect(),
                        foreign_keys: fks.into_values().collect(),
                    });
                }
            }
            Db::Postgres(pool) => {
                let names: Vec<String> = sqlx::query_scalar(
                    "SELECT table_name::text FROM information_schema.tables \
                     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
                     AND table_name <> '_sqlx_migrations' ORDER BY table_name",
                )
                .fetch_all(pool)
                .await?;
                for name in names {
                    let cols = sqlx::query(
                        "SELECT column_name::text, data_type::text FROM information_schema.columns \
                         WHERE table_schema = current_schema() AND table_name = $1 \
                         ORDER BY ordinal_position",
                    )
                    .bind(&name)
                    .fetch_all(pool)
                    .await?;
                    let mut columns = Vec::new();
                    for c in cols {
                        let col: String = c.try_get(0)?;
                        let declared: String = c.try_get(1)?;
                        columns.push((col, ColumnType::from_declared(&declared)));
                    }
                    let primary_key: Vec<String> = sqlx::query_scalar(
                        "SELECT a.attname::text FROM pg_index i \
                         JOIN unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) ON true \
                         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum \
                         WHERE i.indrelid = (quote_ident(current_schema()) || '.' || quote_ident($1))::regclass \
                         AND i.indisprimary ORDER BY k.n",
                    )
                    .bind(&name)
                    .fetch_all(pool)
                    .await?;
                    let fk_rows = sqlx::query(
                        "SELECT c.oid::bigint, p.relname::text, \
                                (SELECT array_agg(a.attname::text ORDER BY k.n) \
                                   FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, n) \
                                   JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum), \
                                (SELECT array_agg(a.attname::text ORDER BY k.n) \
                                   FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, n) \
                                   JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum) \
                         FROM pg_constraint c JOIN pg_class p ON p.oid = c.confrelid \
                         WHERE c.contype = 'f' \
                         AND c.conrelid = (quote_ident(current_schema()) || '.' || quote_ident($1))::regclass \
                         ORDER BY c.conname",
                    )
                    .bind(&name)
                    .fetch_all(pool)
                    .await?;
                    let mut foreign_keys = Vec::new();
                    for f in fk_rows {
                        let parent: String = f.try_get(1)?;
                        let from: Vec<String> = f.try_get(2)?;
                        let to: Vec<String> = f.try_get(3)?;
                        foreign_keys.push((from, parent, to));
                    }
                    tables.push(Table {
                        name,
                        columns,
                        primary_key,
                        foreign_keys,
                    });
                }
            }
        }
        Ok(tables)
    }

    /// The schema version the database is at (0 when it has none).
    pub async fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(self
            .db()
            .applied_versions()
            .await?
            .into_iter()
            .max()
            .unwrap_or(0))
    }

    /// Reads the whole database as one document, from one consistent snapshot: writes that
    /// commit while it reads are either wholly in it or not at all.
    pub async fn export_document(&self, kind: DocumentKind) -> Result<Document, StoreError> {
        let schema_version = self.schema_version().await?;
        if schema_version == 0 {
            return Err(StoreError::Setup(
                "the database has no schema: nothing to export".to_owned(),
            ));
        }
        let tables: Vec<Table> = self
            .schema_tables()
            .await?
            .into_iter()
            .filter(|t| {
                kind == DocumentKind::Backup || !TRANSIENT_TABLES.contains(&t.name.as_str())
            })
            .collect();
        let mut out: BTreeMap<String, Vec<DumpRow>> = BTreeMap::new();
        on_db!(self.db(), pool => {
            let mut tx = pool.begin().await?;
            if matches!(self.db(), Db::Postgres(_)) {
                // One snapshot for every table, and nothing written through this transaction.
                sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    .execute(&mut *tx)
                    .await?;
            }
            // On SQLite (WAL) a read transaction sees one snapshot from its first read on.
            for table in &tables {
                let cols: Vec<String> = table.columns.iter().map(|(c, _)| quote(c)).collect();
                let sql = format!("SELECT {} FROM {}", cols.join(", "), quote(&table.name));
                let rows = sqlx::query(AssertSqlSafe(sql)).fetch_all(&mut *tx).await?;
                let mut dumped = Vec::with_capacity(rows.len());
                for row in rows {
                    let mut map = DumpRow::new();
                    for (i, (col, ty)) in table.columns.iter().enumerate() {
                        let value = match ty {
                            ColumnType::Integer => row
                                .try_get::<Option<i64>, _>(i)?
                                .map_or(Value::Null, Value::from),
                            ColumnType::Real => match row.try_get::<Option<f64>, _>(i)? {
                                None => Value::Null,
                                Some(x) => serde_json::Number::from_f64(x)
                                    .map(Value::Number)
                                    .ok_or_else(|| {
                                        StoreError::Corrupt(format!(
                                            "{}.{col} holds {x}, which JSON cannot carry",
                                            table.name
                                        ))
                                    })?,
                            },
                            ColumnType::Text => row
                                .try_get::<Option<String>, _>(i)?
                                .map_or(Value::Null, Value::from),
                        };
                        map.insert(col.clone(), value);
                    }
                    dumped.push(map);
                }
                sort_rows(&mut dumped, &table.primary_key);
                out.insert(table.name.clone(), dumped);
            }
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        Ok(Document {
            format: FORMAT.to_owned(),
            format_version: FORMAT_VERSION,
            kind,
            schema_version,
            municipalities: home_municipalities(&out),
            tables: out,
        })
    }

    /// Loads a document into this database, which must be empty (no schema, or the document's
    /// schema with no rows). One transaction: on any error nothing is written. Afterwards the
    /// database is migrated to this program's version.
    pub async fn load_document(&self, doc: &Document) -> Result<LoadSummary, StoreError> {
        let latest = migrations::latest_version();
        if doc.schema_version > latest {
            return Err(DumpError::NewerSchema {
                found: doc.schema_version,
                latest,
            }
            .into());
        }
        let current = self.schema_version().await?;
        if current > doc.schema_version {
            return Err(DumpError::NotEmpty(format!(
                "it is at schema version {current}, the document at {}",
                doc.schema_version
            ))
            .into());
        }
        self.db().migrate_to(doc.schema_version).await?;
        let tables = self.schema_tables().await?;
        // Every table must be empty, and every table and column of the document known.
        for table in &tables {
            let sql = format!("SELECT count(*) FROM {}", quote(&table.name));
            let n: i64 = on_db!(self.db(), pool =>
                sqlx::query_scalar(AssertSqlSafe(sql)).fetch_one(pool).await)?;
            if n > 0 {
                return Err(
                    DumpError::NotEmpty(format!("table {} holds {n} rows", table.name)).into(),
                );
            }
        }
        for (name, rows) in &doc.tables {
            let Some(table) = tables.iter().find(|t| &t.name == name) else {
                return Err(DumpError::Table {
                    table: name.clone(),
                    message: format!("no such table at schema version {}", doc.schema_version),
                }
                .into());
            };
            if let Some(first) = rows.first() {
                for column in first.keys() {
                    if table.column_type(column).is_none() {
                        return Err(DumpError::Table {
                            table: name.clone(),
                            message: format!("no such column: {column}"),
                        }
                        .into());
                    }
                }
            }
        }
        let order = insertion_order(&tables)?;
        let backend = self.db().backend();
        let mut written = LoadSummary { tables: 0, rows: 0 };
        on_db!(self.db(), pool => {
            let mut tx = pool.begin().await?;
            for table in &order {
                let Some(rows) = doc.tables.get(&table.name) else { continue };
                if TRIGGER_FILLED_TABLES.contains(&table.name.as_str()) {
                    let sql = format!("DELETE FROM {}", quote(&table.name));
                    sqlx::query(AssertSqlSafe(sql)).execute(&mut *tx).await?;
                }
                written.tables += 1;
                let Some(first) = rows.first() else { continue };
                let columns: Vec<(&String, ColumnType)> = first
                    .keys()
                    .map(|c| (c, table.column_type(c).unwrap_or(ColumnType::Text)))
                    .collect();
                let per_statement = (MAX_BINDS / columns.len().max(1)).max(1);
                for (chunk_no, chunk) in rows.chunks(per_statement).enumerate() {
                    let mut sql = format!(
                        "INSERT INTO {} ({}) VALUES ",
                        quote(&table.name),
                        columns.iter().map(|(c, _)| quote(c)).collect::<Vec<_>>().join(", ")
                    );
                    let mut n = 0;
                    for (r, _) in chunk.iter().enumerate() {
                        sql.push_str(if r == 0 { "(" } else { ", (" });
                        for c in 0..columns.len() {
                            n += 1;
                            if c > 0 {
                                sql.push_str(", ");
                            }
                            match backend {
                                crate::Backend::Sqlite => sql.push('?'),
                                crate::Backend::Postgres => sql.push_str(&format!("${n}")),
                            }
                        }
                        sql.push(')');
                    }
                    let mut q = sqlx::query(AssertSqlSafe(sql));
                    for (r, row) in chunk.iter().enumerate() {
                        let row_no = chunk_no * per_statement + r + 1;
                        for (column, ty) in &columns {
                            let value = row.get(*column).unwrap_or(&Value::Null);
                            let bad = |what: &str| DumpError::Row {
                                table: table.name.clone(),
                                row: row_no,
                                message: format!("column {column} must be {what}, not {value}"),
                            };
                            q = match (ty, value) {
                                (ColumnType::Integer, Value::Null) => q.bind(None::<i64>),
                                (ColumnType::Real, Value::Null) => q.bind(None::<f64>),
                                (ColumnType::Text, Value::Null) => q.bind(None::<String>),
                                (ColumnType::Integer, Value::Number(x)) => {
                                    q.bind(x.as_i64().ok_or_else(|| bad("a whole number"))?)
                                }
                                (ColumnType::Real, Value::Number(x)) => {
                                    q.bind(x.as_f64().ok_or_else(|| bad("a number"))?)
                                }
                                (ColumnType::Text, Value::String(s)) => q.bind(s.as_str()),
                                (ColumnType::Integer, _) => {
                                    return Err(bad("a whole number").into());
                                }
                                (ColumnType::Real, _) => return Err(bad("a number").into()),
                                (ColumnType::Text, _) => return Err(bad("text").into()),
                            };
                        }
                    }
                    q.execute(&mut *tx).await.map_err(|e| DumpError::Refused {
                        table: table.name.clone(),
                        message: match &e {
                            sqlx::Error::Database(d) => d.message().to_owned(),
                            other => other.to_string(),
                        },
                    })?;
                    written.rows += chunk.len();
                }
            }
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        self.db().migrate().await?;
        self.world_list_changed();
        Ok(written)
    }

    /// Checks the database: SQLite's own `integrity_check`, and on both databases that every
    /// foreign key holds (a query per key, as `PRAGMA foreign_key_check` does on SQLite).
    pub async fn integrity_check(&self) -> Result<IntegrityReport, StoreError> {
        let tables = self.schema_tables().await?;
        let mut problems = Vec::new();
        if let Db::Sqlite(pool) = self.db() {
            let lines: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
                .fetch_all(pool)
                .await?;
            if lines != ["ok"] {
                problems.extend(lines.into_iter().map(|l| format!("integrity_check: {l}")));
            }
        }
        let mut rows = 0u64;
        for table in &tables {
            let sql = format!("SELECT count(*) FROM {}", quote(&table.name));
            let n: i64 = on_db!(self.db(), pool => sqlx::query_scalar(AssertSqlSafe(sql)).fetch_one(pool).await)?;
            rows += n as u64;
            for (from, parent, to) in &table.foreign_keys {
                let not_null: Vec<String> = from
                    .iter()
                    .map(|c| format!("c.{} IS NOT NULL", quote(c)))
                    .collect();
                let joined: Vec<String> = from
                    .iter()
                    .zip(to)
                    .map(|(f, t)| format!("p.{} = c.{}", quote(t), quote(f)))
                    .collect();
                let sql = format!(
                    "SELECT count(*) FROM {} c WHERE {} AND NOT EXISTS \
                     (SELECT 1 FROM {} p WHERE {})",
                    quote(&table.name),
                    not_null.join(" AND "),
                    quote(parent),
                    joined.join(" AND ")
                );
                let orphans: i64 = on_db!(self.db(), pool =>
                    sqlx::query_scalar(AssertSqlSafe(sql)).fetch_one(pool).await)?;
                if orphans > 0 {
                    problems.push(format!(
                        "{orphans} rows of {} name a missing {parent} ({})",
                        table.name,
                        from.join(", ")
                    ));
                }
            }
        }
        Ok(IntegrityReport {
            tables: tables.len(),
            rows,
            problems,
        })
    }

    /// A consistent copy of a SQLite database into `path`, which must not exist or be empty
    /// (SQLite's `VACUUM INTO`: one read transaction, so the server can keep writing).
    pub async fn backup_sqlite_into(&self, path: &std::path::Path) -> Result<(), StoreError> {
        let Db::Sqlite(pool) = self.db() else {
            return Err(StoreError::Setup(
                "VACUUM INTO is SQLite's; PostgreSQL is backed up as a document".to_owned(),
            ));
        };
        let path = path.to_str().ok_or_else(|| {
            StoreError::Setup(format!("the path {} is not UTF-8", path.display()))
        })?;
        sqlx::query("VACUUM INTO ?1")
            .bind(path)
            .execute(pool)
            .await?;
        Ok(())
    }
}

/// The municipalities holding partnerships or a foundation, by name, sorted.
fn home_municipalities(tables: &BTreeMap<String, Vec<DumpRow>>) -> Vec<String> {
    let mut ids: BTreeSet<&str> = BTreeSet::new();
    for (table, column) in [
        ("partnerships", "home_id"),
        ("foundations", "municipality_id"),
    ] {
        for row in tables.get(table).into_iter().flatten() {
            if let Some(Value::String(id)) = row.get(column) {
                ids.insert(id);
            }
        }
    }
    let mut names: Vec<String> = tables
        .get("municipalities")
        .into_iter()
        .flatten()
        .filter(|m| matches!(m.get("id"), Some(Value::String(id)) if ids.contains(id.as_str())))
        .filter_map(|m| m.get("name").and_then(Value::as_str).map(str::to_owned))
        .collect();
    names.sort();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(tables: &str) -> Vec<u8> {
        format!(
            r#"{{"format":"stedenband-export","format_version":1,"kind":"municipality",
               "schema_version":1,"municipalities":[],"tables":{tables}}}"#
        )
        .into_bytes()
    }

    #[test]
    fn a_document_of_the_right_shape_is_read() {
        let d = Document::from_slice(&doc(
            r#"{"municipalities":[{"id":"a","population":5,"latitude":52.1,"region":null}]}"#,
        ))
        .unwrap();
        assert_eq!(d.row_count(), 1);
        // Written and read back, it is the same document.
        assert_eq!(Document::from_slice(&d.to_vec()).unwrap(), d);
    }

    #[test]
    fn wrong_shapes_are_refused_with_their_place() {
        let cases: &[(&[u8], &str)] = &[
            (b"", "EOF"),
            (b"[]", "expected struct"),
            (br#"{"format":"other","format_version":1,"kind":"backup","schema_version":1,"municipalities":[],"tables":{}}"#, "not \"stedenband-export\""),
            (&doc(r#"{"x; DROP TABLE y":[]}"#), "not a table name"),
            (&doc(r#"{"t":[{"a":1},{"b":1}]}"#), "row 2"),
            (&doc(r#"{"t":[{"a":[1]}]}"#), "only null, a number or text"),
            (&doc(r#"{"t":[{"a":true}]}"#), "only null, a number or text"),
            (&doc(r#"{"t":[{"A b":1}]}"#), "not a column name"),
        ];
        for (input, expected) in cases {
            let err = Document::from_slice(input).unwrap_err().to_string();
            assert!(err.contains(expected), "{err} should contain {expected}");
        }
        let newer = format!(
            r#"{{"format":"stedenband-export","format_version":1,"kind":"backup","schema_version":{},"municipalities":[],"tables":{{}}}}"#,
            migrations::latest_version() + 1
        );
        assert!(matches!(
            Document::from_slice(newer.as_bytes()),
            Err(StoreError::Document(DumpError::NewerSchema { .. }))
        ));
    }

    #[test]
    fn rows_sort_the_same_whatever_the_collation() {
        let row = |id: &str| DumpRow::from([("id".to_owned(), Value::from(id))]);
        let mut rows = vec![row("b"), row("B"), row("é"), row("a")];
        sort_rows(&mut rows, &["id".to_owned()]);
        let ids: Vec<&str> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["B", "a", "b", "é"]);
    }
}
