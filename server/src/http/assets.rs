//! Static files served from the binary: no CDN, so pages work without internet and under a
//! Content-Security-Policy that allows this origin only. The files are vendored into
//! `server/assets/` (see `server/assets/update.sh`) and embedded at build time.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::Digest;

use crate::error::ApiError;

/// Where the vendored Swagger UI is served: the folder names its npm version (the one in
/// `server/assets/package.json`, checked by a test), so a new version is a new URL and cached
/// copies of the old one never mix with it.
#[macro_export]
macro_rules! swagger_ui_dir {
    () => {
        "/docs/assets/swagger-ui-5.35.0"
    };
}

/// Where the pages' vendored NL Design System files are served, naming their npm versions
/// (checked against `server/assets/package.json` by a test), as for Swagger UI.
#[macro_export]
macro_rules! nlds_components_dir {
    () => {
        "/assets/utrecht-component-library-css-9.0.4"
    };
}

#[macro_export]
macro_rules! nlds_tokens_dir {
    () => {
        "/assets/voorbeeld-design-tokens-7.4.1"
    };
}

/// The URLs the pages' layout links to.
pub const NLDS_COMPONENTS_CSS: &str = concat!(nlds_components_dir!(), "/index.css");
pub const NLDS_TOKENS_CSS: &str = concat!(nlds_tokens_dir!(), "/theme.css");
/// The pages' own stylesheet: unversioned, so it is revalidated on every use.
pub const SITE_CSS: &str = "/assets/edumarkt.css";

/// One embedded file, served at `path`.
pub struct Asset {
    pub path: &'static str,
    pub content_type: &'static str,
    pub bytes: &'static [u8],
    /// Whether the path names a version (a vendored package's), so the file behind it never
    /// changes and may be cached for a year; our own files are revalidated on every use.
    pub versioned: bool,
}

const fn stylesheet(path: &'static str, bytes: &'static [u8], versioned: bool) -> Asset {
    Asset {
        path,
        content_type: "text/css; charset=utf-8",
        bytes,
        versioned,
    }
}

/// Every asset, by the URL it is served at.
pub const ASSETS: &[Asset] = &[
    Asset {
        path: concat!(swagger_ui_dir!(), "/swagger-ui-bundle.js"),
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../../assets/vendor/swagger-ui-dist/swagger-ui-bundle.js"),
        versioned: true,
    },
    Asset {
        path: concat!(swagger_ui_dir!(), "/swagger-ui.css"),
        content_type: "text/css; charset=utf-8",
        bytes: include_bytes!("../../assets/vendor/swagger-ui-dist/swagger-ui.css"),
        versioned: true,
    },
    Asset {
        path: "/docs/assets/init.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../../assets/docs/init.js"),
        versioned: false,
    },
    stylesheet(
        NLDS_COMPONENTS_CSS,
        include_bytes!("../../assets/vendor/utrecht-component-library-css/index.css"),
        true,
    ),
    stylesheet(
        NLDS_TOKENS_CSS,
        include_bytes!("../../assets/vendor/voorbeeld-design-tokens/theme.css"),
        true,
    ),
    stylesheet(
        SITE_CSS,
        include_bytes!("../../assets/web/edumarkt.css"),
        false,
    ),
];

/// Registers a GET route for every asset.
pub fn configure(cfg: &mut web::ServiceConfig) {
    for asset in ASSETS {
        cfg.route(
            asset.path,
            web::get().to(move |req: HttpRequest| serve(req, asset)),
        );
    }
}

/// The entity tag of an asset: a digest of its bytes, so it changes exactly when they do.
fn etag(asset: &Asset) -> String {
    let digest = sha2::Sha256::digest(asset.bytes);
    format!("\"{}\"", URL_SAFE_NO_PAD.encode(&digest[..12]))
}

async fn serve(req: HttpRequest, asset: &'static Asset) -> Result<HttpResponse, ApiError> {
    if asset.versioned {
        return Ok(HttpResponse::Ok()
            .content_type(asset.content_type)
            .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
            .body(asset.bytes));
    }
    // Our own files keep their URL across versions, so the browser asks again on every use;
    // the tag lets it keep its copy with a 304 instead of fetching the file again. Hashing a
    // few kilobytes per request costs microseconds.
    let tag = etag(asset);
    let unchanged = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag || t.trim() == "*"));
    let mut response = if unchanged {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header((header::CACHE_CONTROL, "public, no-cache"))
        .insert_header((header::ETAG, tag));
    Ok(if unchanged {
        response.finish()
    } else {
        response.content_type(asset.content_type).body(asset.bytes)
    })
}

#[cfg(test)]
mod tests {
    fn pinned(package: &str) -> String {
        let manifest: serde_json::Value =
            serde_json::from_str(include_str!("../../assets/package.json")).unwrap();
        manifest["dependencies"][package]
            .as_str()
            .unwrap()
            .to_owned()
    }

    #[test]
    fn the_served_swagger_ui_folder_names_the_pinned_npm_version() {
        let version = pinned("swagger-ui-dist");
        assert_eq!(
            swagger_ui_dir!(),
            format!("/docs/assets/swagger-ui-{version}")
        );
    }

    #[test]
    fn the_served_nl_design_system_folders_name_the_pinned_npm_versions() {
        let components = pinned("@utrecht/component-library-css");
        let tokens = pinned("@nl-design-system-unstable/voorbeeld-design-tokens");
        assert_eq!(
            nlds_components_dir!(),
            format!("/assets/utrecht-component-library-css-{components}")
        );
        assert_eq!(
            nlds_tokens_dir!(),
            format!("/assets/voorbeeld-design-tokens-{tokens}")
        );
    }
}
