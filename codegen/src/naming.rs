//! The one place that turns names from a spec into Rust identifiers: casing, keyword escaping,
//! leading digits, symbols, non-ASCII text and collisions. Every identifier in generated code
//! comes from here, so a spec can never produce code that does not parse.

use heck::{ToKebabCase, ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeSet;

/// Words that cannot be plain identifiers in Rust 2021 (strict and reserved keywords).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot even be raw identifiers (`r#self` is rejected by rustc).
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// Type names the generated crate itself uses (prelude and crate root); a spec type with one of
/// these names gets a suffix so it can never shadow them.
const RESERVED_TYPES: &[&str] = &[
    // Prelude traits the generated impls name (`impl From<&str> for …`, derives).
    "From",
    "Into",
    "Clone",
    "Copy",
    "Debug",
    "PartialEq",
    "Eq",
    "Hash",
    "PartialOrd",
    "Ord",
    "Send",
    "Sync",
    "Sized",
    "Drop",
    "Fn",
    "Iterator",
    "ToString",
    "AsRef",
    "Box",
    "Client",
    "ClientBuilder",
    "Default",
    "Deserialize",
    "Deserializer",
    "Err",
    "Error",
    "ErrorBody",
    "ApiError",
    "FieldError",
    "None",
    "Ok",
    "Option",
    "Result",
    "Serialize",
    "Serializer",
    "Some",
    "String",
    "Value",
    "Vec",
    "BTreeMap",
    "Map",
];

/// Splits `raw` into ASCII words: anything that is not an ASCII letter or digit separates words,
/// and a few symbols that carry meaning on their own are spelled out so that `+1` and `-1` stay
/// distinct.
fn ascii_words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for ch in raw.chars() {
        if ch.is_ascii_alphanumeric() {
            out.push(ch);
        } else if let Some(ascii) = fold_latin(ch) {
            out.push_str(ascii);
        } else {
            let spelled = match ch {
                '+' => " plus ",
                '-' if out.trim().is_empty() => " minus ",
                '*' => " star ",
                '@' => " at ",
                '&' => " and ",
                '=' => " eq ",
                '<' => " lt ",
                '>' => " gt ",
                '!' => " not ",
                '.' if out.trim().is_empty() => " dot ",
                _ => " ",
            };
            out.push_str(spelled);
        }
    }
    out
}

/// The ASCII letters a Latin-1 letter with a diacritic is usually written as.
fn fold_latin(ch: char) -> Option<&'static str> {
    Some(match ch {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => "a",
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => "A",
        'ç' => "c",
        'Ç' => "C",
        'è' | 'é' | 'ê' | 'ë' => "e",
        'È' | 'É' | 'Ê' | 'Ë' => "E",
        'ì' | 'í' | 'î' | 'ï' => "i",
        'Ì' | 'Í' | 'Î' | 'Ï' => "I",
        'ñ' => "n",
        'Ñ' => "N",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => "o",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => "O",
        'ù' | 'ú' | 'û' | 'ü' => "u",
        'Ù' | 'Ú' | 'Û' | 'Ü' => "U",
        'ý' | 'ÿ' => "y",
        'Ý' => "Y",
        'ß' => "ss",
        'æ' => "ae",
        'Æ' => "Ae",
        _ => return None,
    })
}

/// An `UpperCamelCase` name for a type, or `fallback` when `raw` has no usable characters.
pub fn type_name(raw: &str, fallback: &str) -> String {
    let mut name = ascii_words(raw).to_upper_camel_case();
    if name.is_empty() {
        name = fallback.to_upper_camel_case();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, "Type");
    }
    if name == "Self" || RESERVED_TYPES.contains(&name.as_str()) {
        name.push_str("Model");
    }
    name
}

/// An `UpperCamelCase` name for an enum variant.
pub fn variant_name(raw: &str) -> String {
    let mut name = ascii_words(raw).to_upper_camel_case();
    if name.is_empty() {
        name = if raw.is_empty() {
            "Empty".into()
        } else {
            "Symbol".into()
        };
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    if name == "Self" {
        name.push('_');
    }
    name
}

/// A `snake_case` name for a field, argument or method. Keywords become raw identifiers
/// (`r#type`), except those that cannot be raw, which get a trailing underscore.
pub fn snake_name(raw: &str, fallback: &str) -> String {
    let mut name = ascii_words(raw).to_snake_case();
    if name.is_empty() {
        name = fallback.to_snake_case();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    escape_keyword(name)
}

/// A `SCREAMING_SNAKE_CASE` name for a constant, or `fallback` when `raw` has no usable
/// characters.
pub fn const_name(raw: &str, fallback: &str) -> String {
    let mut name = ascii_words(raw).to_shouty_snake_case();
    if name.is_empty() {
        name = fallback.to_shouty_snake_case();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    name
}

/// The method of a mock's `Then` that answers with HTTP status `code`: its reason phrase in
/// snake case (`ok`, `not_found`), or `status_{code}` for a status without a common one.
pub fn status_method(code: u16) -> String {
    let phrase = match code {
        200 => "ok",
        201 => "created",
        202 => "accepted",
        203 => "non_authoritative_information",
        204 => "no_content",
        205 => "reset_content",
        206 => "partial_content",
        400 => "bad_request",
        401 => "unauthorized",
        402 => "payment_required",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        406 => "not_acceptable",
        408 => "request_timeout",
        409 => "conflict",
        410 => "gone",
        412 => "precondition_failed",
        413 => "content_too_large",
        415 => "unsupported_media_type",
        422 => "unprocessable_entity",
        429 => "too_many_requests",
        500 => "internal_server_error",
        501 => "not_implemented",
        502 => "bad_gateway",
        503 => "service_unavailable",
        504 => "gateway_timeout",
        _ => return format!("status_{code}"),
    };
    phrase.to_string()
}

/// A `kebab-case` Cargo feature name for a tag; `tag-…` when it would start with a digit.
pub fn feature_name(raw: &str) -> String {
    let name = ascii_words(raw).to_kebab_case();
    if name.is_empty() {
        "tag".to_string()
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("tag-{name}")
    } else {
        name
    }
}

fn escape_keyword(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// Turns an identifier made by this module into a token, raw when it needs to be.
pub fn ident(name: &str) -> proc_macro2::Ident {
    match name.strip_prefix("r#") {
        Some(raw) => proc_macro2::Ident::new_raw(raw, proc_macro2::Span::call_site()),
        None => proc_macro2::Ident::new(name, proc_macro2::Span::call_site()),
    }
}

/// Hands out names that are unique within one scope (a module's types, a struct's fields, an
/// enum's variants), adding `2`, `3`, … to a name that is already taken.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// A scope in which `reserved` names are already taken.
    pub fn with_reserved<'a>(reserved: impl IntoIterator<Item = &'a str>) -> Self {
        Scope {
            taken: reserved.into_iter().map(|s| s.to_lowercase()).collect(),
        }
    }

    /// Whether `name` is taken (compared as [`Scope::claim`] compares).
    pub fn is_taken(&self, name: &str) -> bool {
        self.taken
            .contains(&name.trim_start_matches("r#").to_lowercase())
    }

    /// Claims `candidate`, or the first free `candidate2`, `candidate3`, …
    ///
    /// Names are compared ignoring case and a leading `r#`, because `Foo`/`foo` or `type`/`r#type`
    /// would still clash once converted.
    pub fn claim(&mut self, candidate: &str) -> String {
        let key = |s: &str| s.trim_start_matches("r#").to_lowercase();
        if self.taken.insert(key(candidate)) {
            return candidate.to_string();
        }
        let base = candidate.trim_start_matches("r#").trim_end_matches('_');
        let sep = if base.contains('_') || base.chars().next().is_some_and(char::is_lowercase) {
            "_"
        } else {
            ""
        };
        (2..)
            .map(|n| format!("{base}{sep}{n}"))
            .find(|name| self.taken.insert(key(name)))
            .unwrap_or_else(|| unreachable!("an unbounded range always yields a free name"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feature_names_are_kebab_and_valid() {
        assert_eq!(feature_name("Cloud Recording"), "cloud-recording");
        assert_eq!(feature_name("users.user"), "users-user");
        assert_eq!(feature_name("core_v1"), "core-v1");
        assert_eq!(feature_name("3D printing"), "tag-3d-printing");
        assert_eq!(feature_name("Größe"), "grosse");
        assert_eq!(feature_name("💥"), "tag");
        let mut scope = Scope::with_reserved(["default", "full"]);
        assert_eq!(scope.claim(&feature_name("Default")), "default_2");
        assert_eq!(scope.claim(&feature_name("Users")), "users");
        assert_eq!(scope.claim(&feature_name("users")), "users_2");
    }

    #[test]
    fn types_are_upper_camel_and_valid() {
        assert_eq!(type_name("share_link_settings", "T"), "ShareLinkSettings");
        assert_eq!(
            type_name("list subAccount clips", "T"),
            "ListSubAccountClips"
        );
        assert_eq!(type_name("2fa-status", "T"), "Type2faStatus");
        assert_eq!(type_name("Self", "T"), "SelfModel");
        assert_eq!(type_name("Error", "T"), "ErrorModel");
        assert_eq!(type_name("Option", "T"), "OptionModel");
        assert_eq!(type_name("from", "T"), "FromModel");
        assert_eq!(type_name("日本", "fallback name"), "FallbackName");
        assert_eq!(type_name("", "x"), "X");
        assert_eq!(type_name("café-au-lait", "x"), "CafeAuLait");
        assert_eq!(snake_name("üsername", "x"), "username");
        assert_eq!(type_name("r#type", "x"), "RType");
    }

    #[test]
    fn snake_names_escape_keywords_and_digits() {
        assert_eq!(snake_name("accountId", "a"), "account_id");
        assert_eq!(snake_name("type", "a"), "r#type");
        assert_eq!(snake_name("async", "a"), "r#async");
        assert_eq!(snake_name("self", "a"), "self_");
        assert_eq!(snake_name("Self", "a"), "self_");
        assert_eq!(snake_name("crate", "a"), "crate_");
        assert_eq!(snake_name("super", "a"), "super_");
        assert_eq!(snake_name("_", "a"), "a");
        assert_eq!(snake_name("24h", "a"), "_24h");
        assert_eq!(snake_name("$filter", "a"), "filter");
        assert_eq!(snake_name("X-Request-ID", "a"), "x_request_id");
        assert_eq!(snake_name("ключ", "param"), "param");
        assert_eq!(snake_name("page[size]", "a"), "page_size");
    }

    #[test]
    fn variants_keep_symbols_distinct() {
        assert_eq!(variant_name("SAME_ORGANIZATON"), "SameOrganizaton");
        assert_eq!(variant_name("+1"), "Plus1");
        assert_eq!(variant_name("-1"), "Minus1");
        assert_eq!(variant_name("Etc/GMT+1"), "EtcGmtPlus1");
        assert_eq!(variant_name("Etc/GMT-1"), "EtcGmt1");
        assert_eq!(variant_name(""), "Empty");
        assert_eq!(variant_name("*"), "Star");
        assert_eq!(variant_name("1"), "V1");
        assert_eq!(variant_name("ü"), "U");
        assert_eq!(variant_name("日"), "Symbol");
        assert_eq!(variant_name(".pdf"), "DotPdf");
    }

    #[test]
    fn every_output_is_a_valid_identifier() {
        let nasty = [
            "type", "fn", "Self", "self", "super", "crate", "_", "", "0", "9lives", "a b", "a-b",
            "über", "💥", "r#type", "__", "--", "Option", "None", "yield", "gen", "try",
        ];
        for raw in nasty {
            for name in [
                type_name(raw, "fallback"),
                variant_name(raw),
                snake_name(raw, "fallback"),
            ] {
                let parsed = syn::parse_str::<syn::Ident>(&name);
                assert!(
                    parsed.is_ok(),
                    "{raw:?} became {name:?}, which is not an identifier"
                );
                let _ = ident(&name);
            }
        }
    }

    #[test]
    fn scope_resolves_collisions() {
        let mut scope = Scope::with_reserved(["Client"]);
        assert_eq!(scope.claim("Clip"), "Clip");
        assert_eq!(scope.claim("Clip"), "Clip2");
        assert_eq!(scope.claim("clip"), "clip_2");
        assert_eq!(scope.claim("Client"), "Client2");
        let mut fields = Scope::default();
        assert_eq!(fields.claim("r#type"), "r#type");
        assert_eq!(fields.claim("type"), "type_2");
        assert_eq!(fields.claim("page_size"), "page_size");
        assert_eq!(fields.claim("page_size"), "page_size_2");
    }
}
