//! The OpenAPI 3.1 document (`/openapi.json`) and interactive docs (`/docs`). Paths come from
//! the route registrations; the error responses every route shares are added here, once.

use actix_web::{HttpResponse, web};
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, ResponseBuilder};
use utoipa::{OpenApi as _, PartialSchema, ToSchema};

use crate::error::{FieldError, Problem};

#[derive(utoipa::OpenApi)]
#[openapi(
    info(title = "edumarkt API", description = "Search, compare and jointly procure educational services for Dutch schools."),
    tags(
        (name = "identity", description = "Accounts, sessions and the caller's data"),
        (name = "organizations", description = "School boards, schools, networks and providers"),
        (name = "networks", description = "Network membership of schools and boards"),
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
    ("428", "If-Match is required"),
    ("429", "Rate limited; see Retry-After"),
    ("500", "Internal error (logged, details not exposed)"),
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
    for item in doc.paths.paths.values_mut() {
        let operations: [&mut Option<Operation>; 5] = [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ];
        for operation in operations.into_iter().flatten() {
            for (status, description) in SHARED_ERRORS {
                operation
                    .responses
                    .responses
                    .entry((*status).to_owned())
                    .or_insert_with(|| {
                        ResponseBuilder::new()
                            .description(*description)
                            .content(
                                "application/problem+json",
                                ContentBuilder::new()
                                    .schema(Some(Ref::from_schema_name("Problem")))
                                    .build(),
                            )
                            .build()
                            .into()
                    });
            }
        }
    }
    doc
}

pub async fn openapi_json(doc: web::Data<OpenApi>) -> HttpResponse {
    HttpResponse::Ok().json(doc.get_ref())
}

/// Interactive docs rendered by Scalar from `/openapi.json`.
pub async fn docs() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(
            r#"<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>edumarkt API</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body>
<noscript>The API description is at <a href="/openapi.json">/openapi.json</a>.</noscript>
<script id="api-reference" data-url="/openapi.json"></script>
<script src="https://cdn.jsdelivr.net/npm/@scalar/api-reference"></script>
</body>
</html>"#,
        )
}
