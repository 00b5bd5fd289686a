//! The small config file that sits beside a spec and says what the spec cannot: the crate's name,
//! the real base URL, better names for types and operations, OAuth grants the spec cannot
//! describe, and a vendor profile.

use crate::Error;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// Generation settings for one spec. Every field is optional.
///
/// ```
/// let config: openapi_rs_codegen::Config = toml::from_str(
///     r#"
///     [crate]
///     name = "my-client"
///
///     [rename.operations]
///     listPets = "pets"
///     "#,
/// )
/// .expect("a valid config");
/// assert_eq!(config.krate.name.as_deref(), Some("my-client"));
/// // An unknown key is an error that names it.
/// let typo = toml::from_str::<openapi_rs_codegen::Config>("[crate]\nnmae = \"x\"\n");
/// assert!(typo.is_err_and(|e| e.to_string().contains("nmae")));
/// ```
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The generated crate.
    #[serde(default, rename = "crate")]
    pub krate: CrateConfig,
    /// Where `cargo xtask regen` writes the crate, relative to the workspace root.
    #[serde(default)]
    pub output: Option<String>,
    /// Use the `openapi-rs-runtime` crate at this path (relative to the generated crate's
    /// directory, as Cargo reads it) instead of copying the runtime's modules into the crate: ten
    /// clients in one workspace then compile the runtime once.
    #[serde(default)]
    pub runtime: Option<String>,
    /// Client defaults.
    #[serde(default)]
    pub client: ClientConfig,
    /// Renames.
    #[serde(default)]
    pub rename: Renames,
    /// Fail on unsupported constructs instead of skipping them with a warning.
    #[serde(default)]
    pub strict: bool,
    /// Config entries that name nothing in the spec (a renamed operation or schema, a
    /// pagination entry) are warnings instead of errors. Not a key of the file: set when a
    /// config is applied to another version of its spec, as [`crate::Generator::changes_since`]
    /// does, where a dropped operation is a change to report, not a mistake in the config.
    #[serde(skip)]
    pub stale_entries_warn: bool,
    /// How token pagination is recognised.
    #[serde(default)]
    pub pagination: PaginationConfig,
    /// Cargo features of the generated crate.
    #[serde(default)]
    pub features: FeaturesConfig,
    /// Authentication beyond what the spec's `securitySchemes` say.
    #[serde(default)]
    pub auth: AuthConfig,
    /// Vendor-specific runtime parts.
    #[serde(default)]
    pub profile: ProfileConfig,
    /// Your own Rust type for a schema: JSON pointer of the schema → type path (e.g.
    /// `"/components/schemas/Money" = "rust_decimal::Decimal"`). A schema can also say so itself
    /// with `x-rust-type`. The type must implement serde's traits, `Debug`, `Clone`, `PartialEq`,
    /// and `Default` when a required field has it.
    #[serde(default)]
    pub types: BTreeMap<String, String>,
    /// Real Rust types for string formats (all `string` unless set).
    #[serde(default)]
    pub formats: FormatsConfig,
    /// Extra dependencies of the generated crate, as Cargo writes them (for the crates of your
    /// own types): `rust_decimal = { version = "1", features = ["serde"] }`.
    #[serde(default)]
    pub dependencies: BTreeMap<String, toml::Value>,
}

/// `[formats]`: the Rust type of strings with a `format`.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FormatsConfig {
    /// `date-time`: `"chrono"` (`chrono::DateTime<chrono::Utc>`) or `"string"`.
    #[serde(default)]
    pub date_time: FormatChoice,
    /// `date`: `"chrono"` (`chrono::NaiveDate`) or `"string"`.
    #[serde(default)]
    pub date: FormatChoice,
    /// `uuid`: `"uuid"` (`uuid::Uuid`) or `"string"`.
    #[serde(default)]
    pub uuid: FormatChoice,
    /// `byte`: `"base64"` (the runtime's `Base64`, bytes sent as base64 text) or `"string"`.
    #[serde(default)]
    pub byte: FormatChoice,
}

/// What a format becomes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FormatChoice {
    /// A plain `String` (the default).
    #[default]
    String,
    /// `chrono`'s type (date-time, date).
    Chrono,
    /// `uuid::Uuid`.
    Uuid,
    /// The runtime's `Base64`.
    Base64,
}

/// `[profile]`: vendor-specific parts of the runtime, off unless named.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileConfig {
    /// `"zoom"`: Zoom's tracking-id and rate-limit headers, its `{code, message, errors}` error
    /// body, and `use_api_url` for the `api_url` its token endpoint names.
    #[serde(default)]
    pub vendor: Option<Vendor>,
}

/// A vendor profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Vendor {
    /// Zoom.
    Zoom,
}

/// `[auth]`: authentication the spec cannot describe.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthConfig {
    /// OAuth token grants the client runs itself, by the name of the `Client` constructor each
    /// becomes (`[auth.grants.server_to_server]` gives `Client::server_to_server(…)`).
    #[serde(default)]
    pub grants: BTreeMap<String, GrantConfig>,
}

/// One OAuth token grant: `POST token_url` with `grant_type`, the named parameters (each an
/// argument of the constructor, before `client_id` and `client_secret`), and the client's
/// credentials.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrantConfig {
    /// The security scheme of the spec whose token it provides.
    pub scheme: String,
    /// The token endpoint.
    pub token_url: String,
    /// `grant_type` (default `client_credentials`).
    #[serde(default = "default_grant_type")]
    pub grant_type: String,
    /// Further parameters, by wire name (Zoom's `account_id`).
    #[serde(default)]
    pub params: Vec<String>,
    /// Send the parameters in the query string instead of a form body (Zoom does).
    #[serde(default)]
    pub params_in_query: bool,
    /// How the client authenticates: `"basic"` (default, HTTP Basic) or `"body"` (form fields).
    #[serde(default)]
    pub client_auth: ClientAuthConfig,
    /// Docs for the constructor.
    #[serde(default)]
    pub description: Option<String>,
}

/// How a client authenticates to a token endpoint.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClientAuthConfig {
    /// HTTP Basic `client_id:client_secret`.
    #[default]
    Basic,
    /// `client_id` and `client_secret` as form fields.
    Body,
}

fn default_grant_type() -> String {
    "client_credentials".to_string()
}

/// `[features]`: Cargo features of the generated crate.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeaturesConfig {
    /// One feature per tag (the operation's first tag), gating its operations and the types only
    /// they use, so that users of a large API compile only the parts they call. All are on by
    /// default (through the `full` feature); operations without a tag are always compiled.
    #[serde(default)]
    pub by_tag: bool,
    /// With `by_tag`: group tags by the part before this separator (Microsoft Graph's
    /// `users.user` and `users.calendar` both go to `users` with `"."`).
    #[serde(default)]
    pub tag_separator: Option<String>,
}

/// `[pagination]`: an operation is token-paginated when it has an optional string query
/// parameter `token_param` and its response object has a string field `token_field` and one
/// array field (or the one named in `items`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaginationConfig {
    /// The request's token parameter (default `next_page_token`).
    #[serde(default = "default_token")]
    pub token_param: String,
    /// The response's token field (default `next_page_token`).
    #[serde(default = "default_token")]
    pub token_field: String,
    /// operationId → the response field holding the items, for responses with several arrays.
    #[serde(default)]
    pub items: BTreeMap<String, String>,
    /// operationIds that are not to be paginated even though they have the shape.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// operationIds whose next page is in the `Link` header even where the spec does not
    /// document the header (the items: the body, when it is an array, or its one array field).
    #[serde(default)]
    pub link_header: Vec<String>,
}

fn default_token() -> String {
    "next_page_token".to_string()
}

impl Default for PaginationConfig {
    fn default() -> Self {
        PaginationConfig {
            token_param: default_token(),
            token_field: default_token(),
            items: BTreeMap::new(),
            exclude: Vec::new(),
            link_header: Vec::new(),
        }
    }
}

/// `[crate]`: the generated package.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrateConfig {
    /// Package name (default: from the spec's title).
    pub name: Option<String>,
    /// Package version (default `0.1.0`).
    pub version: Option<String>,
    /// Package description (default: from the spec's title).
    pub description: Option<String>,
}

/// `[client]`: defaults of the generated client.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientConfig {
    /// Default base URL (default: the spec's first server).
    pub base_url: Option<String>,
}

/// `[rename]`: better names than the spec's.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Renames {
    /// operationId → client method name (snake_case).
    #[serde(default)]
    pub operations: BTreeMap<String, String>,
    /// JSON pointer of a schema → type name (UpperCamelCase).
    #[serde(default)]
    pub types: BTreeMap<String, String>,
}

impl Config {
    /// Reads a TOML config file.
    pub fn load(path: &Path) -> Result<Config, Error> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::at(path, "", format!("cannot read the config file: {e}")))?;
        let config: Config = toml::from_str(&text).map_err(|e| {
            Error::at(path, "", format!("invalid config: {}", e.message().trim())).hint(
                match e.span() {
                    Some(span) => format!(
                        "see line {}; the keys are documented in codegen/src/config.rs",
                        text.as_bytes()[..span.start.min(text.len())]
                            .iter()
                            .filter(|&&b| b == b'\n')
                            .count()
                            + 1
                    ),
                    None => "the keys are documented in codegen/src/config.rs".to_string(),
                },
            )
        })?;
        if config.features.tag_separator.is_some() && !config.features.by_tag {
            return Err(Error::at(
                path,
                "",
                "`[features] tag_separator` is set but `by_tag` is not, so it would do nothing",
            )
            .hint("add `by_tag = true` under `[features]`, or remove `tag_separator`"));
        }
        Ok(config)
    }
}
