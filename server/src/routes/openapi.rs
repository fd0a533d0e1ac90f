//! The OpenAPI 3.1 document (`/openapi.json`) and interactive docs (`/docs`). Paths come from
//! the route registrations; the error responses every route shares are added here, once.

use actix_web::{HttpResponse, web};
use utoipa::openapi::Required;
use utoipa::openapi::path::{
    HttpMethod, Operation, OperationBuilder, ParameterBuilder, ParameterIn, PathItem,
};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, Response, ResponseBuilder};
use utoipa::{OpenApi as _, PartialSchema, ToSchema};

use crate::error::{FieldError, Problem};
use crate::http::assets::ASSETS;
use crate::routes::search::params;

#[derive(utoipa::OpenApi)]
#[openapi(
    info(title = "edumarkt API", description = "Search, compare and jointly procure educational services for Dutch schools."),
    tags(
        (name = "identity", description = "Accounts, sessions and the caller's data"),
        (name = "organizations", description = "School boards, schools, networks and providers"),
        (name = "networks", description = "Network membership of schools and boards"),
        (name = "reviews", description = "Teachers' experiences of offerings, the providers' replies and the figures computed from them"),
        (name = "bundles", description = "Demand bundles: networks and boards bundle their schools' demand into one tender"),
        (name = "system", description = "Health, metrics and this description"),
    )
)]
struct ApiDoc;

const SHARED_ERRORS: &[(&str, &str)] = &[
    ("400", "Malformed request (e.g. invalid JSON)"),
    ("401", "No valid access token"),
    ("403", "Authenticated but not allowed"),
    ("404", "Unknown, or not visible to the caller"),
    ("409", "Conflicts with the current state"),
    ("412", "If-Match does not match the current version"),
    ("413", "Body too large"),
    ("415", "Body is not JSON"),
    ("422", "Well-formed but invalid; `errors` names the fields"),
    ("405", "The path exists, not with this method; see Allow"),
    ("408", "The body did not arrive in time"),
    ("428", "If-Match is required"),
    ("429", "Rate limited; see Retry-After"),
    ("431", "Request header fields too large"),
    ("500", "Internal error (logged, details not exposed)"),
    (
        "503",
        "Overloaded (no database connection free in time, or the request took too long); see Retry-After",
    ),
];

/// Completes the document collected from the routes.
pub fn document(collected: OpenApi) -> OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.merge(collected);
    doc.openapi = utoipa::openapi::OpenApiVersion::Version31;
    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "bearer",
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .bearer_format("JWT")
                .build(),
        ),
    );
    components
        .schemas
        .insert(Problem::name().into(), Problem::schema());
    components
        .schemas
        .insert(FieldError::name().into(), FieldError::schema());
    describe_routes_outside_the_macros(&mut doc);
    for (path, item) in doc.paths.paths.iter_mut() {
        let operations: [&mut Option<Operation>; 5] = [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ];
        for operation in operations.into_iter().flatten() {
            declare_path_parameters(path, operation);
            for (status, description) in SHARED_ERRORS {
                operation
                    .responses
                    .responses
                    .entry((*status).to_owned())
                    .or_insert_with(|| problem_response(description));
            }
        }
    }
    doc
}

/// What the route macros cannot say: the search route reads its query string itself (facets
/// repeat), so its parameters come from the parser's definitions; the tenant-token route
/// answers 501 where no Meilisearch is configured; this document and the docs page are
/// registered outside utoipa.
fn describe_routes_outside_the_macros(doc: &mut OpenApi) {
    if let Some(search) = doc
        .paths
        .paths
        .get_mut("/v1/search/offerings")
        .and_then(|item| item.get.as_mut())
    {
        search
            .parameters
            .get_or_insert_with(Vec::new)
            .extend(params::openapi_parameters());
    }
    if let Some(search) = doc
        .paths
        .paths
        .get_mut("/v1/search/bundles")
        .and_then(|item| item.get.as_mut())
    {
        search
            .parameters
            .get_or_insert_with(Vec::new)
            .extend(crate::routes::search::bundle_params::openapi_parameters());
    }
    if let Some(token) = doc
        .paths
        .paths
        .get_mut("/v1/search/tenant-token")
        .and_then(|item| item.post.as_mut())
    {
        token.responses.responses.insert(
            "501".into(),
            problem_response("No Meilisearch in this deployment"),
        );
    }
    for (path, description) in [
        ("/openapi.json", "This description"),
        ("/docs", "Interactive documentation of this API"),
    ] {
        let operation = OperationBuilder::new()
            .tag("system")
            .description(Some(description))
            .response(
                "200",
                ResponseBuilder::new().description(description).build(),
            )
            .build();
        doc.paths
            .paths
            .insert(path.into(), PathItem::new(HttpMethod::Get, operation));
    }
}

/// Every `{name}` segment of the path as a required path parameter, where the route's macro
/// did not declare it (utoipa-actix-web does not read `web::Path<(BundleId, OfferId)>`):
/// every path segment of this API is a typed id, a UUID, and one that does not parse answers
/// 404 (`extractor_errors`).
fn declare_path_parameters(path: &str, operation: &mut Operation) {
    let parameters = operation.parameters.get_or_insert_with(Vec::new);
    for name in path
        .split('/')
        .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
    {
        let declared = parameters
            .iter()
            .any(|p| p.name == name && p.parameter_in == ParameterIn::Path);
        if !declared {
            parameters.push(
                ParameterBuilder::new()
                    .name(name)
                    .parameter_in(ParameterIn::Path)
                    .required(Required::True)
                    .schema(Some(
                        ObjectBuilder::new()
                            .schema_type(Type::String)
                            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Uuid))),
                    ))
                    .build(),
            );
        }
    }
}

fn problem_response(description: &str) -> RefOr<Response> {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/problem+json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build()
        .into()
}

pub async fn openapi_json(doc: web::Data<OpenApi>) -> HttpResponse {
    HttpResponse::Ok().json(doc.get_ref())
}

/// Interactive docs: Swagger UI, served from the binary (`http::assets`) with its start-up in
/// a file of its own, so the page needs no other host and no inline script.
pub async fn docs() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(concat!(
            r#"<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>edumarkt API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href=""#,
            crate::swagger_ui_dir!(),
            r#"/swagger-ui.css"></head>
<body>
<noscript>The API description is at <a href="/openapi.json">/openapi.json</a>.</noscript>
<div id="swagger-ui"></div>
<script src=""#,
            crate::swagger_ui_dir!(),
            r#"/swagger-ui-bundle.js"></script>
<script src="/docs/assets/init.js"></script>
</body>
</html>"#
        ))
}

/// The methods a path supports, by the document's path templates (`{id}` matches any one
/// segment) and the embedded assets; empty for a path that does not exist.
pub fn methods_at(doc: &OpenApi, path: &str) -> Vec<&'static str> {
    if ASSETS.iter().any(|asset| asset.path == path) {
        return vec!["GET"];
    }
    let Some(item) = doc
        .paths
        .paths
        .iter()
        .find(|(template, _)| matches_template(template, path))
        .map(|(_, item)| item)
    else {
        return Vec::new();
    };
    [
        ("GET", &item.get),
        ("POST", &item.post),
        ("PUT", &item.put),
        ("PATCH", &item.patch),
        ("DELETE", &item.delete),
    ]
    .into_iter()
    .filter(|(_, operation)| operation.is_some())
    .map(|(method, _)| method)
    .collect()
}

fn matches_template(template: &str, path: &str) -> bool {
    let (mut template, mut path) = (template.split('/'), path.split('/'));
    loop {
        match (template.next(), path.next()) {
            (None, None) => return true,
            (Some(t), Some(p)) if t.starts_with('{') && t.ends_with('}') && !p.is_empty() => {}
            (Some(t), Some(p)) if t == p => {}
            _ => return false,
        }
    }
}
