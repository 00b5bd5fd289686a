//! A build-time OpenAPI 3 → Rust client generator.
//!
//! [`generate`] takes a spec and its [`Config`] and returns every file of a client crate, in
//! memory; callers (the `xtask` binary) decide what to write. The pipeline, one module a stage:
//!
//! 1. [`load`]: read JSON or YAML into `openapiv3`, with errors that carry a JSON pointer;
//! 2. [`lower`]: build the generator's own [`model`] of the API, every name decided there
//!    through [`naming`]; optionally [`features`] then gates operations and types by tag;
//! 3. [`emit`]: turn the model into token trees with `quote!`;
//! 4. [`format`]: print them with prettyplease and add the generated-file header.
#![deny(missing_docs)]

pub mod bundle;
pub mod config;
pub mod diff;
pub mod docs;
pub mod emit;
mod error;
pub mod features;
pub mod format;
pub mod load;
pub mod lower;
pub mod model;
pub mod naming;
pub mod normalize;
pub mod runtime;
pub mod security;

pub use config::Config;
pub use error::{pointer_push, Error, Warning};
pub use format::Provenance;

use std::collections::BTreeMap;
use std::path::Path;

/// A generated crate: relative paths (with `/`) to file contents.
#[derive(Debug, Clone)]
pub struct Generated {
    /// Every file the generator owns in the crate's directory.
    pub files: BTreeMap<String, String>,
    /// What was skipped or tolerated.
    pub warnings: Vec<Warning>,
    /// Number of operations generated.
    pub operations: usize,
    /// Number of webhook events generated.
    pub events: usize,
    /// Number of named types generated.
    pub types: usize,
    /// The spec's security schemes the client supports, one label each (`bearer`, `basic`,
    /// `apiKey(header)`, `oauth2`, `oauth2+client-credentials`, `openIdConnect`).
    pub security: Vec<String>,
    /// How many security schemes the spec declares.
    pub security_declared: usize,
    /// Every file the spec spans, as the header names it, with its SHA-256; the root first.
    pub spec_files: Vec<(String, String)>,
}

/// Everything [`generate`] needs.
#[derive(Debug, Clone)]
pub struct Input<'a> {
    /// The spec file (for messages and the format; the bytes are in `spec_bytes`).
    pub spec_path: &'a Path,
    /// The spec's bytes.
    pub spec_bytes: &'a [u8],
    /// How the header names the spec (e.g. `specs/master.json`).
    pub spec_label: String,
    /// The config beside the spec.
    pub config: Config,
    /// The command that regenerates the crate, for the header.
    pub command: String,
}

/// The model `generate` would emit for `input`: the same loading and lowering, no emitting.
///
/// # Errors
///
/// As [`generate`].
pub fn model(input: &Input<'_>) -> Result<model::Api, Error> {
    load_and_lower(input).map(|(_, api)| api)
}

/// Stages 1 and 2: the loaded spec and its model, with what was skipped in another file of the
/// spec moved to that file's pointer.
fn load_and_lower(input: &Input<'_>) -> Result<(load::LoadedSpec, model::Api), Error> {
    let loaded = load::load_bytes(input.spec_path, input.spec_bytes)?;
    let mut api = lower::lower(
        &loaded.spec,
        &loaded.webhooks,
        input.spec_path,
        &input.config,
    )
    .map_err(|e| e.from_origin(input.spec_path, &loaded.origins))?;
    for w in &mut api.skipped {
        w.pointer = error::origin_of(&w.pointer, &loaded.origins);
    }
    Ok((loaded, api))
}

/// Generates a client crate.
///
/// # Errors
///
/// An [`Error`] naming the file and JSON pointer of the first problem that stops generation.
pub fn generate(input: &Input<'_>) -> Result<Generated, Error> {
    let (loaded, api) = load_and_lower(input)?;
    // Files of a multi-file spec, named as the spec is (`specs/pets.yaml` → `specs/pets/…`).
    let folder = input
        .spec_label
        .rsplit_once('/')
        .map_or(String::new(), |(dir, _)| format!("{dir}/"));
    let mut spec_files: Vec<(String, String)> = loaded
        .files
        .iter()
        .map(|f| (format!("{folder}{}", f.label), f.sha256.clone()))
        .collect();
    if let Some(root) = spec_files.first_mut() {
        root.0 = input.spec_label.clone();
    }
    let provenance = Provenance {
        spec: input.spec_label.clone(),
        sha256: loaded.sha256.clone(),
        files: if spec_files.len() > 1 {
            spec_files.clone()
        } else {
            Vec::new()
        },
        command: input.command.clone(),
    };
    let package_name = input.config.krate.name.clone().unwrap_or_else(|| {
        naming::snake_name(&api.title, "api-client")
            .trim_start_matches("r#")
            .replace('_', "-")
    });
    let crate_ident = package_name.replace('-', "_");
    // No server and no `base_url` in the config: the client then needs one at build time.
    let base_url = api.base_url.clone();
    let description = input
        .config
        .krate
        .description
        .clone()
        .unwrap_or_else(|| format!("Typed Rust client for the {} API", api.title.trim()));
    let package = emit::krate::Package {
        name: &package_name,
        version: input.config.krate.version.as_deref().unwrap_or("0.1.0"),
        description: &description,
        dependencies: &input.config.dependencies,
    };

    let mut files = BTreeMap::new();
    files.insert(
        "Cargo.toml".to_string(),
        format::toml_file(&emit::krate::cargo_toml(&package, &api), &provenance),
    );
    files.insert(
        "rustfmt.toml".to_string(),
        format::toml_file(&emit::krate::rustfmt_toml(), &provenance),
    );
    let rust_files = [
        (
            "src/lib.rs",
            emit::krate::lib_file(&api, &crate_ident, base_url.as_deref()),
        ),
        ("src/security.rs", emit::security::security_file(&api)),
        ("src/types.rs", emit::types::types_file(&api)),
        ("src/operations.rs", emit::operations::operations_file(&api)),
    ];
    let webhooks = (!api.webhooks.is_empty())
        .then(|| ("src/webhooks.rs", emit::webhooks::webhooks_file(&api)));
    for (path, tokens) in rust_files.into_iter().chain(webhooks) {
        files.insert(
            path.to_string(),
            format::rust_file(path, tokens, &provenance)?,
        );
    }
    // The runtime's modules, verbatim (comments included) behind the header.
    for module in emit::krate::runtime_modules(&api) {
        files.insert(
            format!("src/{}.rs", module.name),
            format!("{}\n{}", provenance.header("//"), module.source),
        );
    }
    let mut warnings = loaded.warnings;
    warnings.extend(api.skipped.iter().cloned());
    for w in &mut warnings {
        w.pointer = error::origin_of(&w.pointer, &loaded.origins);
    }
    Ok(Generated {
        files,
        warnings,
        operations: api.operations.len(),
        events: api.webhooks.len(),
        types: api.types.len(),
        security: api.auth.schemes.iter().map(security::label).collect(),
        spec_files,
        security_declared: loaded
            .spec
            .components
            .as_ref()
            .map_or(0, |c| c.security_schemes.len()),
    })
}
