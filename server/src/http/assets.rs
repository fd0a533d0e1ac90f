//! Static files served from the binary: no CDN, so pages work without internet and under a
//! Content-Security-Policy that allows this origin only. The files are vendored into
//! `server/assets/` (see `server/assets/update.sh`) and embedded at build time.

use actix_web::http::header;
use actix_web::{HttpResponse, web};

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
        cfg.route(asset.path, web::get().to(move || serve(asset)));
    }
}

async fn serve(asset: &'static Asset) -> Result<HttpResponse, ApiError> {
    let cache = if asset.versioned {
        "public, max-age=31536000, immutable"
    } else {
        "public, no-cache"
    };
    Ok(HttpResponse::Ok()
        .content_type(asset.content_type)
        .insert_header((header::CACHE_CONTROL, cache))
        .body(asset.bytes))
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
