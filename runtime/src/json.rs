//! How the data types of `types` are read and written as JSON: the `json_object!` macro that
//! implements `Serialize` and `Deserialize` for each struct, the few generic helpers it calls,
//! and the `string_enum!` macro that gives each string enum its conversions and serde impls.
//! Identical in every generated client.
//!
//! Written out rather than derived: serde's derive writes a field enum with its own visitor and
//! a sequence visitor no JSON API sends, and rustc checks all of it for every struct; in a large
//! API that was most of the crate's check time. What can be generic is generic here, where rustc
//! checks it once, and what a struct's impls keep is one call per field.

/// Deserializes a string enum of `types` from a borrowed string where the format allows, so
/// that only a value the spec does not list is copied.
#[doc(hidden)]
pub struct WireStr<T>(std::marker::PhantomData<T>);

impl<T> WireStr<T> {
    #[doc(hidden)]
    pub fn new() -> Self {
        WireStr(std::marker::PhantomData)
    }
}

impl<T: From<String> + for<'a> From<&'a str>> serde::de::Visitor<'_> for WireStr<T> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
        Ok(T::from(value))
    }

    fn visit_string<E: serde::de::Error>(self, value: String) -> Result<T, E> {
        Ok(T::from(value))
    }
}

/// A JSON object's key, borrowed from the input where the format allows (the generated
/// `Deserialize` impls of `types` match on it).
#[doc(hidden)]
pub struct Key<'de>(std::borrow::Cow<'de, str>);

impl Key<'_> {
    #[doc(hidden)]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;

        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object key")
            }

            fn visit_borrowed_str<E: serde::de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Borrowed(key)))
            }

            fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(key.to_string())))
            }

            fn visit_string<E: serde::de::Error>(self, key: String) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(key)))
            }
        }

        deserializer.deserialize_str(Visitor)
    }
}

/// Reads the next value of a map into a field's slot (for [`json_object!`]; a repeated key
/// keeps the last value).
#[allow(dead_code)] // An API without object schemas has no structs.
#[doc(hidden)]
pub fn next_slot<'de, A: serde::de::MapAccess<'de>, T: serde::Deserialize<'de>>(
    access: &mut A,
    slot: &mut Option<T>,
) -> Result<(), A::Error> {
    *slot = Some(access.next_value()?);
    Ok(())
}

/// Reads the next value of a map into a field of a struct being read in place (for
/// [`json_object!`]; a repeated key keeps the last value).
#[allow(dead_code)] // An API without object schemas has no structs.
#[doc(hidden)]
pub fn next_field<'de, A: serde::de::MapAccess<'de>, T: serde::Deserialize<'de>>(
    access: &mut A,
    field: &mut T,
) -> Result<(), A::Error> {
    *field = access.next_value()?;
    Ok(())
}

/// Skips the next value of a map: a key the struct does not have (for [`json_object!`]).
#[allow(dead_code)] // An API without object schemas has no structs.
#[doc(hidden)]
pub fn skip_value<'de, A: serde::de::MapAccess<'de>>(access: &mut A) -> Result<(), A::Error> {
    access.next_value::<serde::de::IgnoredAny>().map(|_| ())
}

/// A struct whose fields are all `Option`s, read in place: it starts as its `Default` (every
/// field `None`) and each key the object has sets one field (for [`json_object!`]).
#[allow(dead_code)] // An API without object schemas has no structs.
#[doc(hidden)]
pub trait ReadInPlace: Default {
    /// The type's name, for the message when the value is not an object.
    const NAME: &'static str;

    /// Reads the value of `key` into its field, or skips it when the struct has no such key.
    fn read_field<'de, A: serde::de::MapAccess<'de>>(
        &mut self,
        key: &str,
        access: &mut A,
    ) -> Result<(), A::Error>;
}

/// The visitor of every [`ReadInPlace`] struct: one generic loop over the object's keys, which
/// rustc checks once for the crate rather than once per struct.
#[doc(hidden)]
pub struct InPlaceVisitor<T>(std::marker::PhantomData<T>);

#[allow(dead_code)] // An API without object schemas has no structs.
impl<T> InPlaceVisitor<T> {
    #[doc(hidden)]
    pub fn new() -> Self {
        InPlaceVisitor(std::marker::PhantomData)
    }
}

impl<'de, T: ReadInPlace> serde::de::Visitor<'de> for InPlaceVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a JSON object ({})", T::NAME)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut access: A) -> Result<T, A::Error> {
        let mut value = T::default();
        while let Some(key) = access.next_key::<Key<'de>>()? {
            value.read_field(key.as_str(), &mut access)?;
        }
        Ok(value)
    }
}

/// Writes a struct's fields as a JSON object (for [`json_object!`]): one plain call per field,
/// named after its kind. The first error is kept and the fields after it are not written; with
/// a `?` per field, each its own branch and early return, rustc took about a quarter longer
/// and 0.6 GB more to check GitHub's crate (59.7 s and 3.74 GB against 47.2 s and 3.09 GB).
#[doc(hidden)]
pub struct MapWriter<M: serde::ser::SerializeMap> {
    map: M,
    failed: Option<M::Error>,
}

#[allow(dead_code)] // An API without object schemas has no structs.
impl<M: serde::ser::SerializeMap> MapWriter<M> {
    /// Starts the object.
    #[doc(hidden)]
    pub fn new<S>(serializer: S) -> Result<Self, M::Error>
    where
        S: serde::Serializer<SerializeMap = M, Error = M::Error>,
    {
        Ok(MapWriter {
            map: serializer.serialize_map(None)?,
            failed: None,
        })
    }

    /// An optional field: left out when `None`.
    #[doc(hidden)]
    pub fn optional<T: serde::Serialize>(&mut self, key: &'static str, value: &Option<T>) {
        if let Some(value) = value {
            self.required(key, value);
        }
    }

    /// An optional and nullable field, `Option<Option<T>>`: left out when `None`, written as
    /// `null` when `Some(None)`.
    #[doc(hidden)]
    pub fn optional_nullable<T: serde::Serialize>(
        &mut self,
        key: &'static str,
        value: &Option<Option<T>>,
    ) {
        if let Some(value) = value {
            self.required(key, value);
        }
    }

    /// A required but nullable field: written as `null` when `None`.
    #[doc(hidden)]
    pub fn nullable<T: serde::Serialize>(&mut self, key: &'static str, value: &Option<T>) {
        self.required(key, value);
    }

    /// A required field.
    #[doc(hidden)]
    pub fn required<T: serde::Serialize>(&mut self, key: &'static str, value: &T) {
        if self.failed.is_none() {
            if let Err(e) = self.map.serialize_entry(key, value) {
                self.failed = Some(e);
            }
        }
    }

    /// Ends the object, or returns the first error.
    #[doc(hidden)]
    pub fn end(self) -> Result<M::Ok, M::Error> {
        match self.failed {
            Some(e) => Err(e),
            None => self.map.end(),
        }
    }
}

/// `Serialize` and `Deserialize` for a struct of `types`, from each field's Rust name, wire
/// name and kind: `json_object!(Clip { clip_id = "clip_id" optional, … })`.
///
/// - `optional`: `Option<T>`; left out when `None`; `None` when absent or `null`.
/// - `optional_nullable`: `Option<Option<T>>`, three states: left out when `None`, `null` when
///   `Some(None)`; `None` when absent, `Some(None)` when `null`.
/// - `nullable`: required but nullable, `Option<T>`; written as `null` when `None`; `None`
///   when absent or `null`.
/// - `required`: `T`; a missing key is an error naming it.
///
/// A struct with no `required` field is written `json_object!(in_place Clip { … })`: it
/// derives `Default` and is read in place through [`ReadInPlace`], so that all it has of its
/// own is one match on the key. Otherwise each field is read into a local slot, and the struct
/// is built from the slots at the end.
///
/// For JSON objects it behaves as serde's derive does: unknown keys are skipped and a repeated
/// key keeps the last value.
///
/// Exported at the crate root under a hidden name, so that crates sharing the runtime crate can
/// call it as `json::json_object!`; its own paths go through `$crate`.
#[doc(hidden)]
#[macro_export]
macro_rules! __json_object {
    (in_place $name:ident { $($field:ident = $wire:literal $kind:ident),* $(,)? }) => {
        $crate::json::json_object!(@serialize $name { $($field = $wire $kind),* });

        impl $crate::json::ReadInPlace for $name {
            const NAME: &'static str = stringify!($name);

            #[allow(deprecated)]
            fn read_field<'de, __A: serde::de::MapAccess<'de>>(
                &mut self,
                key: &str,
                access: &mut __A,
            ) -> Result<(), __A::Error> {
                match key {
                    $($wire => $crate::json::json_object!(@field $kind access self.$field),)*
                    _ => $crate::json::skip_value(access),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<__D: serde::Deserializer<'de>>(
                deserializer: __D,
            ) -> Result<Self, __D::Error> {
                deserializer.deserialize_map($crate::json::InPlaceVisitor::<$name>::new())
            }
        }
    };
    ($name:ident { $($field:ident = $wire:literal $kind:ident),* $(,)? }) => {
        $crate::json::json_object!(@serialize $name { $($field = $wire $kind),* });

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<__D: serde::Deserializer<'de>>(
                deserializer: __D,
            ) -> Result<Self, __D::Error> {
                // Underscored names, as serde's derive has them: a spec's type may be called
                // `Visitor` or `A`, and these would shadow it inside the impl.
                struct __Visitor;

                impl<'de> serde::de::Visitor<'de> for __Visitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("a JSON object (", stringify!($name), ")"))
                    }

                    // The locals take the fields' names, which come from the spec: `foo` and
                    // `baz` are real property names there, however clippy sees them.
                    #[allow(deprecated, clippy::disallowed_names)]
                    fn visit_map<__A: serde::de::MapAccess<'de>>(
                        self,
                        mut access: __A,
                    ) -> Result<$name, __A::Error> {
                        // Locals named after the fields; hygiene keeps them apart from
                        // `access` and `key` even when a field has one of those names. Their
                        // types are inferred from the struct literal at the end: giving them
                        // up front (from a never-built value of the struct) cost GitHub's crate
                        // 0.1 GB more to check.
                        $(let mut $field = None;)*
                        // One helper call per field and one `?` per key: with a `?` in
                        // every arm (each its own `Try` call and early return), type and
                        // borrow checking of GitHub's crate took about 40% longer and 1 GB
                        // more (`-Z time-passes`).
                        while let Some(key) = access.next_key::<$crate::json::Key<'de>>()? {
                            let step = match key.as_str() {
                                $($wire => $crate::json::next_slot(&mut access, &mut $field),)*
                                _ => $crate::json::skip_value(&mut access),
                            };
                            step?;
                        }
                        Ok($name {
                            $($field: $crate::json::json_object!(@read $kind $field $wire),)*
                        })
                    }
                }

                deserializer.deserialize_map(__Visitor)
            }
        }
    };
    (@serialize $name:ident { $($field:ident = $wire:literal $kind:ident),* }) => {
        impl serde::Serialize for $name {
            #[allow(deprecated)]
            fn serialize<__S: serde::Serializer>(
                &self,
                serializer: __S,
            ) -> Result<__S::Ok, __S::Error> {
                #[allow(unused_mut)]
                let mut map = $crate::json::MapWriter::new(serializer)?;
                $(map.$kind($wire, &self.$field);)*
                map.end()
            }
        }
    };
    // Read in place: a three-state field keeps `null` as `Some(None)`.
    (@field optional_nullable $access:ident $target:expr) => {
        $crate::json::next_slot($access, &mut $target)
    };
    (@field $kind:ident $access:ident $target:expr) => {
        $crate::json::next_field($access, &mut $target)
    };
    (@read optional_nullable $slot:ident $wire:literal) => {
        $slot
    };
    (@read required $slot:ident $wire:literal) => {
        match $slot {
            Some(value) => value,
            None => return Err(serde::de::Error::missing_field($wire)),
        }
    };
    (@read $kind:ident $slot:ident $wire:literal) => {
        $slot.flatten()
    };
}
#[allow(unused_imports)]
#[doc(hidden)]
pub use crate::__json_object as json_object;

/// The impls of a string enum of `types`, from its name, its fallback variant and each listed
/// variant's wire value: `string_enum!(ClipStatus(Unknown) { RecordStart = "RECORD_START", … })`.
///
/// The enum itself is written out beside the call, with a unit variant per listed value and
/// the fallback variant holding any other value as a `String`. The call adds `as_str` (the
/// value as it is on the wire), `Display` (the same), `From<String>`, `From<&str>` and
/// `FromStr` (a listed value's variant, or the fallback with the value), and `Serialize` and
/// `Deserialize` as that string. Reading borrows the string where the format allows, so only
/// a value the spec does not list is copied.
///
/// Exported at the crate root under a hidden name, so that crates sharing the runtime crate can
/// call it as `json::string_enum!`; its own paths go through `$crate`.
#[doc(hidden)]
#[macro_export]
macro_rules! __string_enum {
    ($name:ident($fallback:ident) { $($variant:ident = $wire:literal),* $(,)? }) => {
        impl $name {
            /// The value exactly as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::$fallback(value) => value.as_str(),
                }
            }

            /// The variant of a value the spec lists.
            fn listed(value: &str) -> Option<Self> {
                match value {
                    $($wire => Some(Self::$variant),)*
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                match Self::listed(&value) {
                    Some(listed) => listed,
                    None => Self::$fallback(value),
                }
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::listed(value).unwrap_or_else(|| Self::$fallback(value.to_string()))
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl serde::Serialize for $name {
            fn serialize<__S: serde::Serializer>(
                &self,
                serializer: __S,
            ) -> Result<__S::Ok, __S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<__D: serde::Deserializer<'de>>(
                deserializer: __D,
            ) -> Result<Self, __D::Error> {
                deserializer.deserialize_str($crate::json::WireStr::new())
            }
        }
    };
}
#[allow(unused_imports)]
#[doc(hidden)]
pub use crate::__string_enum as string_enum;
