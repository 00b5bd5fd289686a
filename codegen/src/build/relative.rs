//! Build-script mode's paths. A generated crate names its own items from the crate root
//! (`crate::types::Pet`, `use crate::client::Client;`), which in an included file would be the
//! user's crate root, wherever the `include!` is. [`make_relative`] rewrites each such path
//! relative to the module it is in: `self::` at the file's top level, `super::` once per module
//! below it. The file then works at the crate root and inside a module of the user's
//! (`mod api { include!(…); }`) alike.
//!
//! Rewritten: paths in code (types, expressions, patterns, macro paths), `use` trees, the
//! tokens of macro calls, and intra-doc links in doc comments (`[`crate::X`]`,
//! `[…](crate::X)`). Left alone: `pub(crate)`, which means the same wherever the file is.

use proc_macro2::{Group, Ident, Punct, Spacing, TokenStream, TokenTree};
use syn::visit_mut::{self, VisitMut};

/// Rewrites the crate-rooted paths of `file`, a generated crate inlined into one file, relative
/// to the module each is in.
pub(crate) fn make_relative(file: &mut syn::File) {
    Relative { depth: 0 }.visit_file_mut(file);
}

/// How many modules deep the visit is, below the file's top level.
struct Relative {
    depth: usize,
}

impl Relative {
    /// What stands for the crate root here: `self` at the top level, else `super` once per
    /// module.
    fn root(&self) -> Vec<&'static str> {
        if self.depth == 0 {
            vec!["self"]
        } else {
            vec!["super"; self.depth]
        }
    }

    /// A macro call's tokens, each `crate::` (but not `$crate::`) rewritten, groups included.
    fn tokens(&self, stream: TokenStream) -> TokenStream {
        let trees: Vec<TokenTree> = stream.into_iter().collect();
        let mut out: Vec<TokenTree> = Vec::with_capacity(trees.len());
        for (i, tree) in trees.iter().enumerate() {
            match tree {
                TokenTree::Ident(ident)
                    if ident == "crate"
                        && starts_path_separator(&trees[i + 1..])
                        && !matches!(i.checked_sub(1).map(|j| &trees[j]),
                                     Some(TokenTree::Punct(p)) if p.as_char() == '$') =>
                {
                    for (n, segment) in self.root().into_iter().enumerate() {
                        if n > 0 {
                            out.push(Punct::new(':', Spacing::Joint).into());
                            out.push(Punct::new(':', Spacing::Alone).into());
                        }
                        out.push(Ident::new(segment, ident.span()).into());
                    }
                }
                TokenTree::Group(group) => {
                    let mut inner = Group::new(group.delimiter(), self.tokens(group.stream()));
                    inner.set_span(group.span());
                    out.push(inner.into());
                }
                other => out.push(other.clone()),
            }
        }
        out.into_iter().collect()
    }
}

/// Whether `rest` starts with `::`.
fn starts_path_separator(rest: &[TokenTree]) -> bool {
    matches!(rest, [TokenTree::Punct(a), TokenTree::Punct(b), ..]
        if a.as_char() == ':' && a.spacing() == Spacing::Joint && b.as_char() == ':')
}

impl VisitMut for Relative {
    fn visit_item_mod_mut(&mut self, module: &mut syn::ItemMod) {
        // A module's own (outer) docs are read in the scope it is declared in.
        for attr in &mut module.attrs {
            self.visit_attribute_mut(attr);
        }
        self.depth += 1;
        if let Some((_, items)) = &mut module.content {
            for item in items {
                self.visit_item_mut(item);
            }
        }
        self.depth -= 1;
    }

    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        let rooted = path.leading_colon.is_none()
            && path.segments.len() > 1
            && path.segments.first().is_some_and(|s| s.ident == "crate");
        if rooted {
            let span = path.segments[0].ident.span();
            let rest: Vec<syn::PathSegment> = path.segments.iter().skip(1).cloned().collect();
            path.segments = self
                .root()
                .into_iter()
                .map(|segment| syn::PathSegment::from(Ident::new(segment, span)))
                .chain(rest)
                .collect();
        }
        visit_mut::visit_path_mut(self, path);
    }

    fn visit_use_tree_mut(&mut self, tree: &mut syn::UseTree) {
        if let syn::UseTree::Path(path) = tree {
            if path.ident == "crate" {
                let span = path.ident.span();
                let rest = (*path.tree).clone();
                *tree = self.root().into_iter().rev().fold(rest, |inner, segment| {
                    syn::UseTree::Path(syn::UsePath {
                        ident: Ident::new(segment, span),
                        colon2_token: Default::default(),
                        tree: Box::new(inner),
                    })
                });
                return;
            }
        }
        visit_mut::visit_use_tree_mut(self, tree);
    }

    fn visit_visibility_mut(&mut self, _: &mut syn::Visibility) {}

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        visit_mut::visit_macro_mut(self, mac);
        mac.tokens = self.tokens(std::mem::take(&mut mac.tokens));
    }

    fn visit_attribute_mut(&mut self, attr: &mut syn::Attribute) {
        let syn::Meta::NameValue(doc) = &mut attr.meta else {
            return;
        };
        if !doc.path.is_ident("doc") {
            return;
        }
        let syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(text),
            ..
        }) = &mut doc.value
        else {
            return;
        };
        let value = text.value();
        if value.contains("crate::") {
            let root = self.root().join("::");
            let value = value
                .replace("`crate::", &format!("`{root}::"))
                .replace("(crate::", &format!("({root}::"));
            *text = syn::LitStr::new(&value, text.span());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::make_relative;

    fn relative(code: &str) -> String {
        let mut file: syn::File = syn::parse_str(code).expect("parses");
        make_relative(&mut file);
        prettyplease::unparse(&file)
    }

    #[test]
    fn crate_paths_become_relative_to_their_module() {
        let out = relative(
            r#"
            /// See [`crate::Client`] and [the types](crate::types).
            pub const BASE: &str = crate::consts::URL;
            use crate::client::Client;
            mod operations {
                use crate::{types, send::{self, RequestOptions}};
                pub(crate) fn pages() -> crate::Paged<crate::types::Page> {
                    crate::pagination::pages(format!("{}", crate::BASE))
                }
                mod deeper {
                    /// [`crate::Error`]
                    fn f(_: crate::Error) {}
                    macro_rules! m { () => { $crate::x() }; }
                }
            }
            crate::json::json_object!(Pet { id = "id" required });
            "#,
        );
        for expected in [
            "/// See [`self::Client`] and [the types](self::types).",
            "pub const BASE: &str = self::consts::URL;",
            "use self::client::Client;",
            "use super::{types, send::{self, RequestOptions}};",
            "pub(crate) fn pages() -> super::Paged<super::types::Page>",
            "super::pagination::pages(format!(\"{}\", super::BASE))",
            "/// [`super::super::Error`]",
            "fn f(_: super::super::Error) {}",
            "$crate::x()",
            "self::json::json_object!",
        ] {
            assert!(out.contains(expected), "no `{expected}` in:\n{out}");
        }
        assert!(!out.replace("$crate::", "").contains("crate::"), "{out}");
    }
}
