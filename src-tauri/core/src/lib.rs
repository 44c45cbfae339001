//! Kizuna's core: the domain rules, the local database and its one write
//! path, and the API that the CLI and the desktop shell both call.

pub mod api;
pub mod cell;
pub mod dates;
pub mod error;
pub mod exchange;
pub mod files;
pub mod fold;
pub mod hlc;
pub mod model;
pub mod money;
pub mod municipality;
mod parallel;
pub mod prefecture;
pub mod report;
pub mod schema;
pub mod secret;
pub mod seed;
pub mod store;
pub mod sync;

pub use api::{Kizuna, default_data_dir};
pub use error::{ApiError, Error, Result};
