//! Version 1 resources, one folder each: `model.rs` holds the request and response shapes and
//! their conversions, `mod.rs` the handlers and the resource's `router()`.
//!
//! A resource never imports another resource's module (the test at the bottom fails the build
//! when one does): the few shapes two resources share are re-exported here, from the model of
//! the resource that owns them.

pub mod application;
pub mod attempt;
pub mod audit;
pub mod auth;
pub mod endpoint;
pub mod event_type;
pub mod health;
pub mod message;
pub mod plan;

pub use application::model::{ApplicationIn, BrandingIn};
pub use endpoint::model::EndpointOut;
pub use message::model::MessageOut;

use super::ApiState;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

#[derive(OpenApi)]
#[openapi(
    info(title = "Herald API", description = "Svix-compatible webhook delivery API"),
    components(schemas(
        super::error::HttpErrorOut,
        super::error::HttpValidationError,
        super::error::ValidationErrorItem
    )),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

struct BearerAuth;

/// The name Svix's document gives the scheme; its SDK generators expect it.
const BEARER: &str = "HTTPBearer";

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            BEARER,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("An API key, passed as `Authorization: Bearer <key>`"))
                    .build(),
            ),
        );
    }
}

pub fn router() -> OpenApiRouter<ApiState> {
    let mut router = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(application::router())
        .merge(event_type::router())
        .merge(endpoint::router())
        .merge(message::router())
        .merge(attempt::router())
        .merge(auth::router())
        .merge(plan::router())
        .merge(audit::router())
        .merge(health::router());
    document_auth_and_errors(router.get_openapi_mut());
    router
}

/// Every route but health takes an API key and can fail the same ways; writing that on each of
/// forty handlers would drift, so it is derived here from what each operation has: a path
/// parameter can be unknown (404), a body can be malformed (400), too large (413) or of the
/// wrong shape (422), and so can query parameters (422). Answers a handler documents itself
/// (409, …) are kept.
fn document_auth_and_errors(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::path::ParameterIn;
    use utoipa::openapi::security::SecurityRequirement;
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};

    let error = |description: &str, schema: &str| -> RefOr<Response> {
        RefOr::T(
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name(schema)))
                        .build(),
                )
                .build(),
        )
    };
    for (path, item) in doc.paths.paths.iter_mut() {
        if path.starts_with("/api/v1/health") {
            continue;
        }
        let has_path_params = path.contains('{');
        for op in [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.patch,
            &mut item.delete,
        ]
        .into_iter()
        .flatten()
        {
            op.security = Some(vec![SecurityRequirement::new(BEARER, Vec::<String>::new())]);
            let has_body = op.request_body.is_some();
            let has_query = op
                .parameters
                .iter()
                .flatten()
                .any(|p| p.parameter_in == ParameterIn::Query);
            let mut wanted = vec![
                ("401", error("Missing or invalid API key", "HttpErrorOut")),
                (
                    "500",
                    error(
                        "Internal error (its cause is logged, not sent)",
                        "HttpErrorOut",
                    ),
                ),
            ];
            if has_path_params {
                wanted.push(("404", error("Not found", "HttpErrorOut")));
            }
            if has_body {
                wanted.push(("400", error("The body is not valid JSON", "HttpErrorOut")));
                wanted.push(("413", error("The body is too large", "HttpErrorOut")));
            }
            if has_body || has_query || has_path_params {
                wanted.push((
                    "422",
                    error("Validation error, naming the field", "HttpValidationError"),
                ));
            }
            for (status, response) in wanted {
                op.responses
                    .responses
                    .entry(status.to_owned())
                    .or_insert(response);
            }
        }
    }
}

/// The rule of the header: a resource module never names another resource module.
#[cfg(test)]
mod layering {
    use std::path::{Path, PathBuf};

    /// A reference from one resource's file to another resource.
    #[derive(Debug, PartialEq)]
    struct Violation {
        file: PathBuf,
        line: usize,
        names: String,
    }

    /// Every `.rs` file under `v1`, with its module path below `v1` (`["endpoint", "secret"]`).
    fn modules(v1: &Path) -> Vec<(PathBuf, Vec<String>)> {
        fn walk(dir: &Path, prefix: &[String], out: &mut Vec<(PathBuf, Vec<String>)>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
            entries.sort();
            for path in entries {
                let Some(name) = path.file_stem().and_then(|n| n.to_str()) else {
                    continue;
                };
                let mut module = prefix.to_vec();
                if path.is_dir() {
                    module.push(name.to_owned());
                    walk(&path, &module, out);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    if name != "mod" {
                        module.push(name.to_owned());
                    }
                    out.push((path, module));
                }
            }
        }
        let mut out = Vec::new();
        walk(v1, &[], &mut out);
        out
    }

    /// The names a path continues with after `rest`'s start: `a::…` gives `a`, `{a, b::c}`
    /// gives `a` and `b`.
    fn next_names(rest: &str) -> Vec<String> {
        let ident = |s: &str| -> String {
            s.trim_start()
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect()
        };
        let rest = rest.trim_start();
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut items = Vec::new();
            let mut start = 0;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        items.push(&group[start..i]);
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        items.push(&group[start..i]);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            items.into_iter().map(ident).collect()
        } else {
            vec![ident(rest)]
        }
    }

    /// Which `v1`-level names each line of `text` reaches, for a file at `module` below `v1`.
    fn v1_names(text: &str, module: &[String]) -> Vec<(usize, String)> {
        let mut found = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            let mut i = 0;
            while i < code.len() {
                let rest = &code[i..];
                let boundary = code[..i]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'));
                if boundary && rest.starts_with("crate::api::v1::") {
                    for name in next_names(&rest["crate::api::v1::".len()..]) {
                        found.push((n + 1, name));
                    }
                    i += "crate::api::v1::".len();
                    continue;
                }
                if boundary && rest.starts_with("super::") {
                    let mut ups = 0;
                    let mut after = rest;
                    while let Some(r) = after.strip_prefix("super::") {
                        ups += 1;
                        after = r;
                    }
                    // `super` from a file at depth d reaches v1 after d ups.
                    if ups == module.len() {
                        for name in next_names(after) {
                            found.push((n + 1, name));
                        }
                    }
                    i += rest.len() - after.len();
                    continue;
                }
                i += rest.chars().next().map_or(1, char::len_utf8);
            }
        }
        found
    }

    fn violations(v1: &Path) -> Vec<Violation> {
        let files = modules(v1);
        let resources: Vec<String> = files
            .iter()
            .filter_map(|(_, m)| m.first().cloned())
            .collect();
        let mut out = Vec::new();
        for (file, module) in &files {
            let Some(own) = module.first() else {
                continue; // v1/mod.rs itself assembles the resources.
            };
            let text = std::fs::read_to_string(file).unwrap_or_default();
            for (line, name) in v1_names(&text, module) {
                if &name != own && resources.contains(&name) {
                    out.push(Violation {
                        file: file.clone(),
                        line,
                        names: name,
                    });
                }
            }
        }
        out
    }

    #[test]
    fn no_resource_module_imports_another() {
        let v1 = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/api/v1");
        assert!(
            modules(&v1).len() > 10,
            "the v1 sources were not found under {}",
            v1.display()
        );
        let found = violations(&v1);
        assert!(
            found.is_empty(),
            "resource modules name other resources; share the type through api/v1/mod.rs \
             instead: {found:#?}"
        );
    }

    #[test]
    fn the_check_catches_a_planted_sibling_import() {
        let dir = tempfile::tempdir().expect("temp dir");
        let v1 = dir.path();
        let write = |rel: &str, text: &str| {
            let path = v1.join(rel);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, text).expect("write");
        };
        write("mod.rs", "pub use message::model::MessageOut;\n");
        write("message/mod.rs", "pub mod model;\n");
        write("message/model.rs", "pub struct MessageOut;\n");
        write(
            "attempt/mod.rs",
            "use crate::api::v1::MessageOut;\nmod nested;\n",
        );
        write(
            "endpoint/mod.rs",
            "// use super::message::gone; (a comment is not an import)\n\
             use super::message::model::MessageOut;\n",
        );
        write(
            "endpoint/nested.rs",
            "use super::super::{attempt, MessageOut};\n",
        );
        write(
            "plan/mod.rs",
            "fn f() { let _ = crate::api::v1::message::model::MessageOut; }\n",
        );
        write(
            "attempt/nested.rs",
            "use super::super::super::api::Other;\n",
        );
        let mut found: Vec<(String, usize, String)> = violations(v1)
            .into_iter()
            .map(|v| {
                let rel = v
                    .file
                    .strip_prefix(v1)
                    .expect("inside")
                    .display()
                    .to_string();
                (rel, v.line, v.names)
            })
            .collect();
        found.sort();
        assert_eq!(
            found,
            [
                ("endpoint/mod.rs".to_owned(), 2, "message".to_owned()),
                ("endpoint/nested.rs".to_owned(), 1, "attempt".to_owned()),
                ("plan/mod.rs".to_owned(), 1, "message".to_owned()),
            ]
        );
    }
}
