//! What the maintainers' tools (`corpus`, `fuzz`, `contract`, `bench`) share: where the workspace
//! is, which specs a named set holds, the generator's version for a report, generating a crate
//! through the library's front door, counting messages by kind, and a scratch workspace checked
//! with clippy. `cargo xtask` dispatches to each tool; none of them reaches into another.

pub mod scratch;

use codegen::{Generated, Generator};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace root, found from this crate's manifest directory (`tools/shared`), not the
/// working directory.
pub fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .nth(2)
        .unwrap_or(manifest)
        .to_path_buf()
}

/// Generates one crate in memory, through the library's front door.
pub fn generate_crate(
    spec: &Path,
    config: Option<&Path>,
    label: String,
    command: String,
) -> Result<Generated, String> {
    let mut generator = Generator::new(spec).spec_label(label).command(command);
    if let Some(path) = config {
        generator = generator.config_file(path).map_err(|e| e.to_string())?;
    }
    generator.generate().map_err(|e| e.to_string())
}

/// A message without what differs between its instances (names, pointers, values in quotes
/// or backticks), so that messages can be counted by kind.
pub fn message_kind(message: &str) -> String {
    let mut rest = message.lines().next().unwrap_or("");
    let mut kind = String::new();
    // Each quoted part, up to the same quote that opened it (a JSON string in double quotes
    // may hold backticks), is one `…`.
    while let Some(start) = rest.find(['`', '"']) {
        kind.push_str(&rest[..start]);
        let quote = &rest[start..=start];
        match rest[start + 1..].find(quote) {
            Some(end) => {
                kind.push('…');
                rest = &rest[start + 1 + end + 1..];
            }
            None => {
                kind.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    kind.push_str(rest);
    // At most 120 characters; `String::truncate` takes bytes and panics inside a character
    // (the fuzzer found it: a message quoting a Markdown description, cut inside an `…`).
    if let Some((end, _)) = kind.char_indices().nth(120) {
        kind.truncate(end);
    }
    kind
}

/// The specs of a set: (display name, path).
pub fn specs_of(root: &Path, set: &str) -> Result<Vec<(String, PathBuf)>, String> {
    let shared = root.join("../shared");
    match set {
        "zoom" | "webhooks" => {
            let folder = if set == "zoom" {
                "zoom-specs"
            } else {
                "zoom-webhooks"
            };
            let dir = shared.join(folder);
            let mut specs: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
                .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "json"))
                .map(|p| {
                    (
                        format!(
                            "{folder}/{}",
                            p.file_name()
                                .map(|n| n.to_string_lossy())
                                .unwrap_or_default()
                        ),
                        p,
                    )
                })
                .collect();
            specs.sort();
            Ok(specs)
        }
        "sample" | "large" | "openapi31" | "all" => {
            let fetch = shared.join("corpus/fetch");
            let out = Command::new("bash")
                .arg(&fetch)
                .output()
                .map_err(|e| format!("cannot run {}: {e}", fetch.display()))?;
            if !out.status.success() {
                return Err(format!(
                    "{} failed:\n{}",
                    fetch.display(),
                    String::from_utf8_lossy(&out.stderr)
                ));
            }
            let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()).join("api");
            if set == "all" {
                return every_spec_under(&dir);
            }
            // The 3.1 list is this repository's own; the others come with the corpus.
            let list = if set == "openapi31" {
                root.join("tools/corpus/openapi31.txt")
            } else {
                shared.join(format!("corpus/{set}.txt"))
            };
            let text = std::fs::read_to_string(&list)
                .map_err(|e| format!("cannot read {}: {e}", list.display()))?;
            Ok(text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(|id| (id.to_string(), dir.join(format!("{id}.json"))))
                .collect())
        }
        file => {
            let text = std::fs::read_to_string(file).map_err(|e| format!("`--set {file}`: not zoom, webhooks, sample, large or openapi31, and not a readable list of spec paths: {e}"))?;
            Ok(text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(|p| (p.to_string(), PathBuf::from(p)))
                .collect())
        }
    }
}

/// Every `.json` spec under the corpus's `api` folder, named by its path there without `.json`
/// (as the lists of the other sets name them), sorted.
fn every_spec_under(dir: &Path) -> Result<Vec<(String, PathBuf)>, String> {
    let mut specs = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let entries = std::fs::read_dir(&folder)
            .map_err(|e| format!("cannot read {}: {e}", folder.display()))?;
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                let id = path
                    .strip_prefix(dir)
                    .unwrap_or(&path)
                    .with_extension("")
                    .to_string_lossy()
                    .into_owned();
                specs.push((id, path));
            }
        }
    }
    specs.sort();
    Ok(specs)
}

/// A file- and package-friendly name for a spec: lower case, runs of other characters as one `-`.
pub fn slug(name: &str) -> String {
    let mut s: String = name
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    s = s
        .trim_end_matches(".json")
        .trim_end_matches("-json")
        .to_string();
    while s.contains("--") {
        s = s.replace("--", "-");
    }
    s.trim_matches('-').to_string()
}

/// The commit the generator was built from, `+changes` when the work tree differs from it.
pub fn generator_version(root: &Path) -> String {
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(root)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    let commit = git(&["rev-parse", "--short", "HEAD"]).unwrap_or_else(|| "unknown".into());
    let dirty = git(&[
        "status",
        "--porcelain",
        "--",
        "codegen",
        "runtime",
        "tools",
        "xtask",
    ])
    .is_some_and(|s| !s.is_empty());
    if dirty {
        format!("{commit}+changes")
    } else {
        commit
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_long_kind_is_cut_between_characters() {
        // `…` (3 bytes) stands for each quoted part, so byte 120 falls inside one here.
        let message = format!("{}`a`é`b`{}", "x".repeat(118), "y".repeat(200));
        let kind = super::message_kind(&message);
        assert_eq!(kind.chars().count(), 120);
        assert!(kind.ends_with("x…é"), "{kind}");
    }

    #[test]
    fn a_quoted_part_ends_at_its_own_quote() {
        assert_eq!(
            super::message_kind(
                r#"invalid type: string "see `a:b` and `c`", expected struct Schema"#
            ),
            "invalid type: string …, expected struct Schema"
        );
        assert_eq!(
            super::message_kind("an `unclosed quote"),
            "an `unclosed quote"
        );
    }

    #[test]
    fn messages_differing_only_in_names_are_one_kind() {
        let a = super::message_kind("response `$ref` points at the schema `#/a`; read as a body");
        let b = super::message_kind("response `$ref` points at the schema `#/b`; read as a body");
        assert_eq!(a, b);
        assert_eq!(a, "response … points at the schema …; read as a body");
        assert_ne!(
            a,
            super::message_kind("`enum` on an array; read as the enum of its items")
        );
    }

    #[test]
    fn the_workspace_root_holds_the_workspace_manifest() {
        let root = super::workspace_root();
        let manifest = std::fs::read_to_string(root.join("Cargo.toml")).expect("root manifest");
        assert!(manifest.contains("[workspace]"));
    }
}
