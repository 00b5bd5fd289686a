//! The pipeline run once: load (read, bundle, normalize) → lower (the model) → emit and format
//! each file on a few worker threads → the crate's files in memory, with the runtime's modules
//! copied in. The front door ([`crate::Generator`]) and the inspection API
//! ([`crate::inspect`]) call in here; nothing here writes to disk.

use crate::lower::auth;
use crate::{emit, error, format, load, lower, naming, workers};
use crate::{Config, Error, Generated, Provenance};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

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
pub fn model(input: &Input<'_>) -> Result<crate::model::Api, Error> {
    load_and_lower(input, &mut Vec::new()).map(|(_, api)| api)
}

/// Stages 1 and 2: the loaded spec and its model, with what was skipped in another file of the
/// spec moved to that file's pointer.
fn load_and_lower(
    input: &Input<'_>,
    timings: &mut Vec<(String, Duration)>,
) -> Result<(load::LoadedSpec, crate::model::Api), Error> {
    let start = Instant::now();
    // Lowering needs the names the runtime defines, which are read from its source once per
    // process (a parse of some 4,000 lines); the read starts beside loading instead of after
    // it, and lowering waits for it only if loading finished first.
    crate::runtime_source::read_reserved_in_background();
    let loaded = load::load_bytes(input.spec_path, input.spec_bytes)?;
    timings.push(("load".to_string(), start.elapsed()));
    let start = Instant::now();
    let mut api = lower::lower(
        &loaded.spec,
        &loaded.webhooks,
        input.spec_path,
        &input.config,
    )
    .map_err(|e| e.moved_to_origin(input.spec_path, &loaded.origins))?;
    for w in &mut api.skipped {
        w.pointer = error::origin_of(&w.pointer, &loaded.origins);
    }
    timings.push(("lower".to_string(), start.elapsed()));
    Ok((loaded, api))
}

/// Generates a client crate.
///
/// # Errors
///
/// An [`Error`] naming the file and JSON pointer of the first problem that stops generation.
pub fn generate(input: &Input<'_>) -> Result<Generated, Error> {
    generate_with_model(input).map(|generation| generation.generated)
}

/// How many types or operations go in one part of `src/types.rs` or `src/operations.rs`: parts
/// are emitted and printed by separate workers, and only one per worker is held as tokens and
/// a syntax tree at once.
pub const PART_ITEMS: usize = 100;

/// A generated crate with the model and the (bundled, normalized) spec it was emitted from, for
/// tools that need all three (`cargo xtask contract` writes a driver from the model and the
/// spec's schemas) without loading the spec again.
#[derive(Debug, Clone)]
pub struct Generation {
    /// The crate.
    pub generated: Generated,
    /// The model `emit` read.
    pub api: crate::model::Api,
    /// The spec as loaded: bundled into one document and normalized.
    pub spec: openapiv3::OpenAPI,
}

/// As [`generate`], keeping the model and the loaded spec.
///
/// # Errors
///
/// As [`generate`].
pub fn generate_with_model(input: &Input<'_>) -> Result<Generation, Error> {
    let mut timings = Vec::new();
    let (loaded, api) = load_and_lower(input, &mut timings)?;
    let (provenance, spec_files) = provenance(input, &loaded);
    let package = PackageNames::new(input, &api);
    let mut files = BTreeMap::new();
    files.insert(
        "Cargo.toml".to_string(),
        format::toml_file(
            &emit::krate::cargo_toml(&package.package(input), &api),
            &provenance,
        ),
    );
    files.insert(
        "rustfmt.toml".to_string(),
        format::toml_file(&emit::krate::rustfmt_toml(), &provenance),
    );
    let jobs = rust_files(&api, &package);
    let printed = workers::print(&api, &jobs);
    for (path, text, emitted, took) in workers::join_parts(&jobs, printed)? {
        timings.push((format!("emit {path}"), emitted));
        timings.push((format!("format {path}"), took));
        files.insert(path.to_string(), format::finish(path, &text, &provenance));
    }
    copy_runtime(&api, &provenance, &mut files);
    let mut warnings = loaded.warnings;
    warnings.extend(api.skipped.iter().cloned());
    for w in &mut warnings {
        w.pointer = error::origin_of(&w.pointer, &loaded.origins);
    }
    let generated = Generated {
        files,
        warnings,
        operations: api.operations.len(),
        events: api.webhooks.len(),
        types: api.types.len(),
        security: api.auth.schemes.iter().map(auth::label).collect(),
        spec_files,
        security_declared: loaded
            .spec
            .components
            .as_ref()
            .map_or(0, |c| c.security_schemes.len()),
        timings,
    };
    Ok(Generation {
        generated,
        api,
        spec: loaded.spec,
    })
}

/// The header's provenance, and every spec file with its SHA-256, named as the spec is
/// (`specs/pets.yaml` → `specs/pets/…`).
fn provenance(input: &Input<'_>, loaded: &load::LoadedSpec) -> (Provenance, Vec<(String, String)>) {
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
    (provenance, spec_files)
}

/// The crate's names: the package (the config's, or the API's title in kebab case), its
/// identifier, and the description.
struct PackageNames {
    name: String,
    ident: String,
    description: String,
    /// `None` when the spec names no server and the config no `base_url`: the client then
    /// needs one at build time.
    base_url: Option<String>,
}

impl PackageNames {
    fn new(input: &Input<'_>, api: &crate::model::Api) -> PackageNames {
        let name = input.config.krate.name.clone().unwrap_or_else(|| {
            let name = naming::snake_name(&api.title, "api-client")
                .trim_start_matches("r#")
                .trim_start_matches('_')
                .replace('_', "-");
            // A package name starts with a letter: a title such as "3.1 tuples" gets a prefix.
            if name.starts_with(|c: char| c.is_alphabetic()) {
                name
            } else {
                format!("api-{name}")
            }
        });
        let description = input
            .config
            .krate
            .description
            .clone()
            .unwrap_or_else(|| format!("Typed Rust client for the {} API", api.title.trim()));
        PackageNames {
            ident: name.replace('-', "_"),
            name,
            description,
            base_url: api.base_url.clone(),
        }
    }

    fn package<'a>(&'a self, input: &'a Input<'_>) -> emit::krate::Package<'a> {
        emit::krate::Package {
            name: &self.name,
            version: input.config.krate.version.as_deref().unwrap_or("0.1.0"),
            description: &self.description,
            dependencies: &input.config.dependencies,
        }
    }
}

/// Every Rust file to emit, the three large ones cut into parts of about [`PART_ITEMS`] types or
/// operations, in file order (parts of one file adjacent).
fn rust_files<'a>(api: &crate::model::Api, package: &'a PackageNames) -> Vec<workers::Job<'a>> {
    let parts_of = |items: usize| items.div_ceil(PART_ITEMS).max(2);
    let (type_parts, operation_parts) = (parts_of(api.types.len()), parts_of(api.operations.len()));
    let mut jobs: Vec<workers::Job<'a>> = Vec::new();
    for part in 0..type_parts {
        jobs.push((
            "src/types.rs",
            Box::new(move |api: &crate::model::Api| emit::types::types_part(api, part, type_parts)),
        ));
    }
    for part in 0..operation_parts {
        jobs.push((
            "src/operations.rs",
            Box::new(move |api: &crate::model::Api| {
                emit::operations::operations_part(api, part, operation_parts)
            }),
        ));
    }
    jobs.push((
        "src/lib.rs",
        Box::new(|api: &crate::model::Api| {
            emit::krate::lib_file(api, &package.ident, package.base_url.as_deref())
        }),
    ));
    jobs.push(("src/security.rs", Box::new(emit::security::security_file)));
    if !api.webhooks.is_empty() {
        jobs.push(("src/webhooks.rs", Box::new(emit::webhooks::webhooks_file)));
    }
    if !api.operations.is_empty() {
        for part in 0..operation_parts {
            jobs.push((
                "src/mock.rs",
                Box::new(move |api: &crate::model::Api| {
                    emit::mock::mock_part(api, part, operation_parts)
                }),
            ));
        }
    }
    if !api.servers.is_empty() {
        jobs.push(("src/servers.rs", Box::new(emit::servers::servers_file)));
    }
    jobs
}

/// The runtime's modules a self-contained crate carries, copied as they stand behind the
/// header.
fn copy_runtime(
    api: &crate::model::Api,
    provenance: &Provenance,
    files: &mut BTreeMap<String, String>,
) {
    if api.shared_runtime.is_some() {
        return;
    }
    for module in emit::krate::runtime_modules(api) {
        files.insert(
            format!("src/{}.rs", module.name),
            format!(
                "{}\n{}\n",
                provenance.short_header("//"),
                module.source.trim_end()
            ),
        );
    }
}
