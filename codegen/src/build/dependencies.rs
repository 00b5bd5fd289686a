//! The crates a build script's client needs besides `openapi-rs-runtime`. The generated code
//! reaches serde, reqwest and the rest through the runtime crate, but the crates of the format
//! types the config chooses (`[formats] date-time = "chrono"`: `chrono`; `uuid`) and the
//! config's own `[dependencies]` (for `x-rust-type` and `[types]`) are named directly, so the
//! user's crate must depend on them. [`warn_missing`] names, as Cargo warnings, those its
//! manifest does not list ([`missing`]), with the line to add, before rustc reports the paths it
//! cannot resolve.

/// Tells the user, through Cargo, of each crate the client names directly (a format type's, or
/// one of the config's `[dependencies]`) that their `Cargo.toml` does not depend on, with the
/// line to add. Run from a build script only (it reads `$CARGO_MANIFEST_DIR/Cargo.toml`, and
/// asks to run again when that changes).
pub(crate) fn warn_missing(generated: &crate::Generated, file_name: &str) {
    let Some(dir) = std::env::var_os("CARGO_MANIFEST_DIR") else {
        return;
    };
    let manifest = std::path::Path::new(&dir).join("Cargo.toml");
    let Ok(user) = std::fs::read_to_string(&manifest) else {
        return;
    };
    println!("cargo:rerun-if-changed={}", manifest.display());
    let wanted = generated.files.get("Cargo.toml").map_or("", String::as_str);
    for (name, line) in missing(wanted, &user) {
        println!(
            "cargo:warning=the generated client ({file_name}) uses the `{name}` crate, which {} does not depend on: add `{line}` under [dependencies]",
            manifest.display()
        );
    }
}

/// The dependencies the generated crate's manifest (`generated`) requires, other than the
/// runtime and the generated crate's own optional ones, that the user's manifest (`user`) does
/// not list: each as its name and the line to add under `[dependencies]`.
pub(crate) fn missing(generated_text: &str, user: &str) -> Vec<(String, String)> {
    let Ok(generated) = generated_text.parse::<toml::Table>() else {
        return Vec::new();
    };
    // A manifest that cannot be read: Cargo reports it; nothing to compare with.
    let Ok(user) = user.parse::<toml::Table>() else {
        return Vec::new();
    };
    let listed = listed(&user);
    let needed = generated
        .get("dependencies")
        .and_then(toml::Value::as_table)
        .into_iter()
        .flatten()
        .filter(|(name, spec)| {
            name.as_str() != "openapi-rs-runtime"
                && !spec
                    .get("optional")
                    .and_then(toml::Value::as_bool)
                    .unwrap_or(false)
        });
    needed
        .filter(|(name, _)| !listed.iter().any(|l| l == *name))
        .map(|(name, spec)| {
            let line =
                dependency_line(generated_text, name).unwrap_or_else(|| format!("{name} = {spec}"));
            (name.clone(), line)
        })
        .collect()
}

/// The line of `[dependencies]` that names `name`, as the generator wrote it (one line per
/// dependency, its keys in the order a person writes them: `version` first).
fn dependency_line(manifest: &str, name: &str) -> Option<String> {
    let mut section = "";
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            section = line;
        } else if section == "[dependencies]"
            && line
                .strip_prefix(name)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        {
            return Some(line.to_string());
        }
    }
    None
}

/// The crates a manifest depends on, by package name: its `[dependencies]`, and those of each
/// `[target.….dependencies]` (a renamed dependency counts by its `package`).
fn listed(manifest: &toml::Table) -> Vec<String> {
    let tables = manifest
        .get("dependencies")
        .into_iter()
        .chain(
            manifest
                .get("target")
                .and_then(toml::Value::as_table)
                .into_iter()
                .flat_map(|targets| targets.values())
                .filter_map(|target| target.get("dependencies")),
        )
        .filter_map(toml::Value::as_table);
    tables
        .flat_map(|table| table.iter())
        .map(|(name, spec)| {
            spec.get("package")
                .and_then(toml::Value::as_str)
                .unwrap_or(name)
                .to_string()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::missing;

    const GENERATED: &str = r#"
[dependencies]
chrono = { version = "0.4", default-features = false, features = ["serde", "std"] }
httpmock = { version = "0.9", optional = true, default-features = false }
ipnet = "2"
openapi-rs-runtime = { path = ".", version = "0.1.0" }
uuid = { version = "1", features = ["serde"] }
"#;

    #[test]
    fn names_each_crate_the_users_manifest_lacks_with_its_line() {
        let user = r#"
[package]
name = "app"

[dependencies]
openapi-rs-runtime = { path = "../openapi-rs/runtime" }
time-crate = { package = "chrono", version = "0.4" }

[target.'cfg(unix)'.dependencies]
ipnet = "2"
"#;
        let missing = missing(GENERATED, user);
        assert_eq!(
            missing,
            vec![(
                "uuid".to_string(),
                r#"uuid = { version = "1", features = ["serde"] }"#.to_string()
            )]
        );
    }

    #[test]
    fn nothing_is_missing_when_the_client_needs_only_the_runtime() {
        let generated = "[dependencies]\nopenapi-rs-runtime = { path = \".\" }\n";
        assert!(missing(generated, "[dependencies]\n").is_empty());
    }
}
