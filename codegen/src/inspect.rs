//! The generator's insides, opened on purpose for tools that need more than a crate: the
//! contract harness writes a driver from the [`Api`] model and the bundled spec, the corpus
//! runner and the benchmark read timings and part sizes, and the tests read the names the
//! runtime reserves. Nothing here is needed to generate a client; it may change with the
//! pipeline, so depend on it only from tools that move with this repository.

pub use crate::emit::resolve;
pub use crate::load::bundle::parse as parse_document;
pub use crate::lower::auth::CONSTRUCTORS;
pub use crate::lower::{essence, is_json_media};
pub use crate::model::*;
pub use crate::naming::ident;
pub use crate::pipeline::{generate, generate_with_model, model, Generation, Input, PART_ITEMS};
pub use crate::runtime_source::reserved;
