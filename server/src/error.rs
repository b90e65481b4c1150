//! Errors that stop the server binary from starting or a command from finishing.

/// Why a command of the `fleetdesk` binary failed; printed to the user as is.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("configuration: {0}")]
    Config(String),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("demo fleet: {0}")]
    Demo(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// A command that was understood but cannot be done (unknown user, last admin, …).
    #[error("{0}")]
    Refused(String),
}
