//! A self-contained crate's `[dependencies]`: what its copy of the runtime uses, read from
//! `runtime/Cargo.toml` itself, so the two lists cannot drift apart. The runtime's required
//! dependencies are always there; an optional part of the runtime (a Cargo feature such as
//! `webhooks = ["dep:hmac", …]` or `multipart = ["reqwest/multipart"]`) adds its dependencies
//! and their features when the spec needs that part.

use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The runtime crate's manifest.
const MANIFEST: &str = include_str!("../../../runtime/Cargo.toml");

/// A dependency as the runtime's manifest writes it, and the features its optional parts add.
#[derive(Debug, Clone)]
struct Dependency {
    spec: toml::Value,
    optional: bool,
}

struct Manifest {
    dependencies: BTreeMap<String, Dependency>,
    features: BTreeMap<String, Vec<String>>,
}

fn manifest() -> &'static Manifest {
    static MANIFEST_PARSED: OnceLock<Manifest> = OnceLock::new();
    MANIFEST_PARSED.get_or_init(|| {
        // The manifest is part of this crate's source; a test parses it.
        let parsed: toml::Table = MANIFEST.parse().unwrap_or_default();
        let table = |key: &str| {
            parsed
                .get(key)
                .and_then(toml::Value::as_table)
                .cloned()
                .unwrap_or_default()
        };
        let dependencies = table("dependencies")
            .into_iter()
            .map(|(name, spec)| {
                let optional = spec
                    .get("optional")
                    .and_then(toml::Value::as_bool)
                    .unwrap_or(false);
                (name, Dependency { spec, optional })
            })
            .collect();
        let features = table("features")
            .into_iter()
            .map(|(name, list)| {
                let entries = list
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect();
                (name, entries)
            })
            .collect();
        Manifest {
            dependencies,
            features,
        }
    })
}

/// `[dependencies]` lines for a crate that carries the runtime parts behind `features` (the
/// runtime's Cargo features its spec needs), in name order.
pub(crate) fn runtime_dependencies(features: &[&str]) -> BTreeMap<String, String> {
    let manifest = manifest();
    let mut chosen: BTreeMap<String, toml::Value> = manifest
        .dependencies
        .iter()
        .filter(|(_, d)| !d.optional)
        .map(|(name, d)| (name.clone(), d.spec.clone()))
        .collect();
    for feature in features {
        for entry in manifest.features.get(*feature).into_iter().flatten() {
            if let Some(name) = entry.strip_prefix("dep:") {
                if let Some(d) = manifest.dependencies.get(name) {
                    chosen.insert(name.to_string(), d.spec.clone());
                }
            } else if let Some((name, added)) = entry.split_once('/') {
                if let Some(spec) = chosen.get_mut(name) {
                    add_feature(spec, added);
                }
            }
        }
    }
    chosen
        .into_iter()
        .map(|(name, spec)| (name, written(spec)))
        .collect()
}

/// An optional dependency of the runtime as a generated crate lists it, behind a feature of
/// its own: the runtime manifest's entry with `optional = true`.
pub(crate) fn optional_dependency(name: &str) -> String {
    let manifest = manifest();
    let spec = manifest
        .dependencies
        .get(name)
        .map(|d| d.spec.clone())
        .unwrap_or_else(|| toml::Value::String("*".into()));
    let written = written(spec);
    match written.strip_suffix(" }") {
        Some(table) => format!("{table}, optional = true }}"),
        None => format!("{{ version = {written}, optional = true }}"),
    }
}

/// Adds a feature to a dependency's `features` (a bare version becomes a table).
fn add_feature(spec: &mut toml::Value, feature: &str) {
    if let toml::Value::String(version) = spec {
        let mut table = toml::Table::new();
        table.insert("version".into(), toml::Value::String(version.clone()));
        *spec = toml::Value::Table(table);
    }
    if let toml::Value::Table(table) = spec {
        let list = table
            .entry("features")
            .or_insert_with(|| toml::Value::Array(Vec::new()));
        if let toml::Value::Array(items) = list {
            let value = toml::Value::String(feature.to_string());
            if !items.contains(&value) {
                items.push(value);
                items.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
            }
        }
    }
}

/// The value as a generated `Cargo.toml` writes it: a bare version string, or an inline table
/// without `optional` (in the generated crate every listed dependency is used).
fn written(spec: toml::Value) -> String {
    match spec {
        toml::Value::Table(mut table) => {
            table.remove("optional");
            match (table.len(), table.get("version")) {
                (1, Some(version)) => version.to_string(),
                _ => {
                    // `version` first, as people write it.
                    let version = table.remove("version");
                    let fields: Vec<String> = version
                        .iter()
                        .map(|value| format!("version = {value}"))
                        .chain(table.iter().map(|(key, value)| format!("{key} = {value}")))
                        .collect();
                    format!("{{ {} }}", fields.join(", "))
                }
            }
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_runtime_manifest_parses_and_names_its_parts() {
        let parsed: toml::Table = MANIFEST.parse().expect("runtime/Cargo.toml parses");
        assert!(parsed.contains_key("dependencies"));
        let manifest = manifest();
        assert!(manifest.dependencies.contains_key("reqwest"));
        for part in ["multipart", "oauth", "pagination", "zoom", "webhooks"] {
            assert!(manifest.features.contains_key(part), "feature {part}");
        }
    }

    #[test]
    fn optional_parts_add_their_dependencies_and_features() {
        let plain = runtime_dependencies(&[]);
        assert!(!plain.contains_key("hmac"), "{plain:?}");
        assert!(plain.contains_key("serde"), "{plain:?}");
        assert!(!plain["reqwest"].contains("\"multipart\""), "{plain:?}");
        let full = runtime_dependencies(&["multipart", "webhooks"]);
        assert!(full["reqwest"].contains("\"multipart\""), "{full:?}");
        for name in ["hmac", "http", "sha2"] {
            assert!(full.contains_key(name), "{name}: {full:?}");
            assert!(!full[name].contains("optional"), "{name}: {full:?}");
        }
    }
}
