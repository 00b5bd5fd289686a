//! The report's table of where one crate's check time goes, by kind of function body.

use std::fmt::Write as _;

use super::Context;

/// How many kinds of body the table lists.
const ROWS: usize = 14;

/// The functions of `types` that read JSON: `json_object!`'s and `string_enum!`'s `Deserialize`.
pub(super) const DESERIALIZE: &[&str] = &["visit_map", "read_field", "deserialize", "expecting"];

/// The functions of `types` that write JSON.
pub(super) const SERIALIZE: &[&str] = &["serialize"];

/// The functions of `types` of `Debug`, `Display` and the derived traits.
pub(super) const DERIVED: &[&str] = &[
    "fmt",
    "clone",
    "eq",
    "default",
    "cmp",
    "partial_cmp",
    "hash",
];

/// What the generated code a kind of body comes from is, by the body's module and function.
fn what(module: &str, function: &str) -> &'static str {
    match (module, function) {
        ("types", "visit_map") => {
            "`Deserialize` of a struct with a required field: `json_object!`'s visitor, each key into a local slot"
        }
        ("types", "read_field") => {
            "`Deserialize` of a struct of optional fields: `json_object!`'s match on the key, read in place"
        }
        ("types", "deserialize") => "`Deserialize::deserialize` of each struct and string enum (one call each)",
        ("types", "expecting") => "the message of a struct's visitor",
        ("types", "serialize") => "`Serialize` of each struct (`json_object!`) and string enum (`string_enum!`)",
        ("types", "fmt") => "`Debug` (derived) of each type, and `Display` of string enums",
        ("types", "new") => "a struct's constructor from its required fields",
        ("types", "clone") => "`Clone` (derived)",
        ("types", "eq") => "`PartialEq` (derived)",
        ("types", "default") => "`Default` (derived) of structs of optional fields",
        ("types", "cmp" | "partial_cmp" | "hash") => "`Ord`, `PartialOrd` and `Hash` (derived) of string enums",
        ("types", "from" | "from_str" | "as_str" | "listed") => "a string enum's conversions (`string_enum!`)",
        ("operations", "prepare") => "an operation's request: its URL, query, headers and body",
        ("operations", "pages") => "a paginated operation's page stream",
        ("operations", "fmt") => "a request builder's `Debug`, credentials left out",
        ("operations", "clone") => "a request builder's `Clone`",
        ("operations", "send" | "send_with_meta" | "send_streaming" | "into_future") => "an operation's `send` and its future",
        _ => "",
    }
}

/// One table per profiled crate.
pub(super) fn section(md: &mut String, cx: &Context<'_>) {
    for (slug, profile) in &cx.results.profiles {
        let label = cx
            .specs
            .iter()
            .find(|s| s.slug == *slug)
            .map_or("", |s| s.label.as_str());
        let in_bodies = profile.in_bodies();
        let _ = writeln!(
            md,
            "\n### Where check time goes, by function body: {label}\n\n`RUSTC_BOOTSTRAP=1 cargo \
             rustc --profile check -- -Z self-profile -Z self-profile-events=default,args` on \
             ours (default features), read with `analyzeme`: each event's own time (net of the \
             events inside it) charged to the function body whose type check (`typeck`) or \
             borrow check (`mir_borrowck`) it ran under, bodies grouped by module and function \
             name. The profiler slows rustc down, so the seconds are larger than the check's; \
             the shares are what to read. Type and borrow checking of bodies took {in_bodies:.2} s \
             of the run's {total:.2} s; the kinds of body that took the most of it:\n\n\
             | module | function | bodies | seconds | share of the bodies' time | what it is |\n\
             |---|---|---:|---:|---:|---|",
            total = profile.total,
        );
        for (kind, bodies) in profile.slowest().into_iter().take(ROWS) {
            let share = if in_bodies > 0.0 {
                bodies.seconds / in_bodies * 100.0
            } else {
                0.0
            };
            let (module, function) = (kind.module.as_str(), kind.function.as_str());
            let module = if module.is_empty() {
                "(crate root)"
            } else {
                module
            };
            let _ = writeln!(
                md,
                "| `{module}` | `{function}` | {} | {:.2} | {share:.0}% | {} |",
                bodies.count,
                bodies.seconds,
                what(module, function)
            );
        }
    }
}
