//! How the portal looks inside the host product: its name and logo, an accent colour and a
//! theme. Set for the deployment (configuration), overridden per company (API and console) and
//! per portal link; [`Branding::over`] layers them and [`Look`] is what a page is drawn with.
//!
//! Shared by the server and the browser (the portal frame draws it), like [`crate::ids`]: the
//! rules of a valid value live here once, for every door.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    Light,
    Dark,
    /// Follows the viewer's system setting (`prefers-color-scheme`).
    #[default]
    Auto,
}

impl Theme {
    pub const ALL: [Theme; 3] = [Theme::Light, Theme::Dark, Theme::Auto];

    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
            Theme::Auto => "auto",
        }
    }

    pub fn parse(s: &str) -> Option<Theme> {
        Theme::ALL.into_iter().find(|t| t.as_str() == s.trim())
    }
}

impl fmt::Display for Theme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A set of branding choices, each optional: a layer that overrides the one below it where it
/// says something. The JSON shape is the API's (`displayName`, `logoUrl`, `accentColor`,
/// `theme`) and the stored one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Branding {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accent_color: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme: Option<Theme>,
    /// Where the host product lets a company move to a larger plan: the portal links to it
    /// where a plan's limit stops something.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upgrade_url: Option<String>,
}

/// What is wrong with a branding value, and which field (the API's name for it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrandingError {
    pub field: &'static str,
    pub message: String,
}

impl fmt::Display for BrandingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// Longest logo given inline as a `data:` URL. A logo is a few kilobytes; this keeps a page
/// (which carries it on every load) from carrying a photograph.
pub const MAX_DATA_LOGO: usize = 64 * 1024;
const MAX_LOGO_URL: usize = 2048;
const MAX_NAME: usize = 80;
const DATA_LOGO_TYPES: &[&str] = &[
    "data:image/png;base64,",
    "data:image/jpeg;base64,",
    "data:image/gif;base64,",
    "data:image/webp;base64,",
    "data:image/svg+xml;base64,",
];

fn bad(field: &'static str, message: impl Into<String>) -> BrandingError {
    BrandingError {
        field,
        message: message.into(),
    }
}

impl Branding {
    /// Blank strings mean "not set", so a form's empty field and an absent API field agree.
    pub fn normalized(self) -> Branding {
        let clean = |v: Option<String>| {
            v.map(|s| s.trim().to_owned())
                .filter(|s: &String| !s.is_empty())
        };
        Branding {
            display_name: clean(self.display_name),
            logo_url: clean(self.logo_url),
            accent_color: clean(self.accent_color).map(|c| c.to_ascii_lowercase()),
            theme: self.theme,
            upgrade_url: clean(self.upgrade_url),
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == Branding::default()
    }

    /// Checks each field; the first problem found is returned, naming its field.
    pub fn validate(&self) -> Result<(), BrandingError> {
        if let Some(n) = &self.display_name {
            if n.chars().count() > MAX_NAME {
                return Err(bad(
                    "displayName",
                    format!("must be at most {MAX_NAME} characters"),
                ));
            }
            if n.chars().any(char::is_control) {
                return Err(bad("displayName", "must not contain control characters"));
            }
        }
        if let Some(u) = &self.logo_url {
            check_logo(u)?;
        }
        if let Some(u) = &self.upgrade_url {
            check_upgrade(u)?;
        }
        if let Some(c) = &self.accent_color {
            if parse_hex(c).is_none() {
                return Err(bad(
                    "accentColor",
                    "must be a colour in hex, such as #0a7c59 or #0a5",
                ));
            }
        }
        Ok(())
    }

    /// This layer over `below`: each field set here wins.
    pub fn over(&self, below: &Branding) -> Branding {
        Branding {
            display_name: self
                .display_name
                .clone()
                .or_else(|| below.display_name.clone()),
            logo_url: self.logo_url.clone().or_else(|| below.logo_url.clone()),
            accent_color: self
                .accent_color
                .clone()
                .or_else(|| below.accent_color.clone()),
            theme: self.theme.or(below.theme),
            upgrade_url: self
                .upgrade_url
                .clone()
                .or_else(|| below.upgrade_url.clone()),
        }
    }

    /// What a page is drawn with. A value that does not parse (stored before a rule changed)
    /// is left out rather than drawn.
    pub fn look(&self) -> Look {
        Look {
            display_name: self.display_name.clone(),
            logo_url: self.logo_url.clone().filter(|u| check_logo(u).is_ok()),
            theme: self.theme.unwrap_or_default(),
            upgrade_url: self
                .upgrade_url
                .clone()
                .filter(|u| check_upgrade(u).is_ok()),
            accent: self
                .accent_color
                .as_deref()
                .and_then(parse_hex)
                .map(Accent::from_rgb),
        }
    }
}

/// A page of the host product, opened from the portal: an `https://` address (or `http://`,
/// for a host product on a private network).
fn check_upgrade(u: &str) -> Result<(), BrandingError> {
    let lower = u.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    match rest {
        _ if u.len() > MAX_LOGO_URL => Err(bad(
            "upgradeUrl",
            format!("must be at most {MAX_LOGO_URL} characters"),
        )),
        Some(host)
            if !host.is_empty() && !u.chars().any(|c| c.is_whitespace() || c.is_control()) =>
        {
            Ok(())
        }
        _ => Err(bad(
            "upgradeUrl",
            "must be an address that starts with https://",
        )),
    }
}

fn check_logo(u: &str) -> Result<(), BrandingError> {
    if let Some(kind) = DATA_LOGO_TYPES.iter().find(|p| u.starts_with(**p)) {
        if u.len() > MAX_DATA_LOGO {
            return Err(bad(
                "logoUrl",
                format!(
                    "an inline logo must be at most {} KB; link to the image instead",
                    MAX_DATA_LOGO / 1024
                ),
            ));
        }
        let body = &u[kind.len()..];
        if body.is_empty()
            || !body
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
        {
            return Err(bad("logoUrl", "the inline image is not valid base64"));
        }
        return Ok(());
    }
    if u.starts_with("data:") {
        return Err(bad(
            "logoUrl",
            "an inline logo must be a base64 PNG, JPEG, GIF, WebP or SVG image",
        ));
    }
    let Some(rest) = u.strip_prefix("https://") else {
        return Err(bad(
            "logoUrl",
            "must be an https:// address (or a data:image/…;base64 URL)",
        ));
    };
    if u.len() > MAX_LOGO_URL {
        return Err(bad(
            "logoUrl",
            format!("must be at most {MAX_LOGO_URL} characters"),
        ));
    }
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() || host.contains('@') {
        return Err(bad(
            "logoUrl",
            "must name a host, without a user or password",
        ));
    }
    if u.chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | '\\'))
    {
        return Err(bad(
            "logoUrl",
            "must not contain spaces, quotes or angle brackets",
        ));
    }
    Ok(())
}

/// `#rgb` or `#rrggbb`.
pub fn parse_hex(s: &str) -> Option<[u8; 3]> {
    let h = s.strip_prefix('#')?;
    if !h.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let digit = |i: usize| u8::from_str_radix(&h[i..=i], 16).ok();
    match h.len() {
        3 => Some([digit(0)? * 17, digit(1)? * 17, digit(2)? * 17]),
        6 => {
            let byte = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).ok();
            Some([byte(0)?, byte(2)?, byte(4)?])
        }
        _ => None,
    }
}

/// The resolved branding of one page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Look {
    /// The host product's name; the portal says "Webhooks" alone without it.
    pub display_name: Option<String>,
    pub logo_url: Option<String>,
    pub theme: Theme,
    pub accent: Option<Accent>,
    /// Where a company moves to a larger plan, in the host product.
    pub upgrade_url: Option<String>,
}

impl Look {
    /// The CSS custom properties the stylesheet reads the accent from (empty: its defaults).
    pub fn style(&self) -> String {
        self.accent.as_ref().map(Accent::style).unwrap_or_default()
    }
}

/// The host's colour made readable on each theme: as given where it already has a 4.5:1
/// contrast (WCAG AA for text), otherwise darkened (light theme) or lightened (dark theme)
/// until it has. Buttons use it as their background with the paired text colour, links as
/// their colour.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accent {
    pub light: String,
    pub light_hover: String,
    pub dark: String,
    pub dark_hover: String,
}

/// The backgrounds of the two themes (`--color-bg` in the stylesheet).
const LIGHT_BG: [u8; 3] = [0xff, 0xff, 0xff];
const DARK_BG: [u8; 3] = [0x12, 0x14, 0x18];
const AA: f64 = 4.5;

impl Accent {
    pub fn from_rgb(rgb: [u8; 3]) -> Accent {
        let light = toward(rgb, [0, 0, 0], LIGHT_BG);
        let dark = toward(rgb, [0xff, 0xff, 0xff], DARK_BG);
        Accent {
            light: hex(light),
            light_hover: hex(mix(light, [0, 0, 0], 0.15)),
            dark: hex(dark),
            dark_hover: hex(mix(dark, [0xff, 0xff, 0xff], 0.2)),
        }
    }

    fn style(&self) -> String {
        format!(
            "--accent-light:{};--accent-light-hover:{};--accent-dark:{};--accent-dark-hover:{}",
            self.light, self.light_hover, self.dark, self.dark_hover
        )
    }
}

/// `rgb` mixed with `target` in steps of 5% until it stands out from `bg` by [`AA`].
fn toward(rgb: [u8; 3], target: [u8; 3], bg: [u8; 3]) -> [u8; 3] {
    (0..=20)
        .map(|i| mix(rgb, target, f64::from(i) * 0.05))
        .find(|c| contrast(*c, bg) >= AA)
        .unwrap_or(target)
}

fn mix(a: [u8; 3], b: [u8; 3], t: f64) -> [u8; 3] {
    let ch = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * t).round() as u8;
    [ch(a[0], b[0]), ch(a[1], b[1]), ch(a[2], b[2])]
}

fn hex(c: [u8; 3]) -> String {
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

/// WCAG 2 relative luminance.
fn luminance(c: [u8; 3]) -> f64 {
    let lin = |v: u8| {
        let s = f64::from(v) / 255.0;
        if s <= 0.039_28 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2])
}

/// WCAG 2 contrast ratio, 1 to 21.
pub fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dark_enough_accent_is_kept_as_given_on_the_light_theme() {
        let a = Accent::from_rgb(parse_hex("#0a7c59").unwrap());
        assert_eq!(a.light, "#0a7c59");
    }

    #[test]
    fn a_pale_accent_is_darkened_until_text_on_white_reads_at_aa() {
        let yellow = parse_hex("#ffd400").unwrap();
        let a = Accent::from_rgb(yellow);
        let light = parse_hex(&a.light).unwrap();
        assert!(contrast(light, LIGHT_BG) >= AA, "{}", a.light);
        assert_ne!(a.light, "#ffd400");
        let dark = parse_hex(&a.dark).unwrap();
        assert!(contrast(dark, DARK_BG) >= AA, "{}", a.dark);
    }

    #[test]
    fn a_navy_accent_is_lightened_for_the_dark_theme() {
        let a = Accent::from_rgb(parse_hex("#001f5b").unwrap());
        let dark = parse_hex(&a.dark).unwrap();
        assert!(contrast(dark, DARK_BG) >= AA, "{}", a.dark);
        assert_eq!(a.light, "#001f5b");
    }

    #[test]
    fn short_and_long_hex_colours_parse_and_anything_else_does_not() {
        assert_eq!(parse_hex("#0a5"), Some([0x00, 0xaa, 0x55]));
        assert_eq!(parse_hex("#0A7C59"), Some([0x0a, 0x7c, 0x59]));
        for bad in [
            "0a7c59",
            "#0a7c5",
            "#0a7c59ff",
            "red",
            "#ggg",
            "#0a7c5;}",
            "",
        ] {
            assert_eq!(parse_hex(bad), None, "{bad}");
        }
    }

    #[test]
    fn each_bad_field_is_named() {
        let cases = [
            (
                Branding {
                    accent_color: Some("blue".into()),
                    ..Default::default()
                },
                "accentColor",
            ),
            (
                Branding {
                    logo_url: Some("http://cdn.example.com/logo.png".into()),
                    ..Default::default()
                },
                "logoUrl",
            ),
            (
                Branding {
                    logo_url: Some("https://cdn.example.com/a\"b.png".into()),
                    ..Default::default()
                },
                "logoUrl",
            ),
            (
                Branding {
                    logo_url: Some("data:text/html;base64,PHNjcmlwdD4=".into()),
                    ..Default::default()
                },
                "logoUrl",
            ),
            (
                Branding {
                    display_name: Some("x".repeat(81)),
                    ..Default::default()
                },
                "displayName",
            ),
            (
                Branding {
                    upgrade_url: Some("javascript:alert(1)".into()),
                    ..Default::default()
                },
                "upgradeUrl",
            ),
            (
                Branding {
                    upgrade_url: Some("https://".into()),
                    ..Default::default()
                },
                "upgradeUrl",
            ),
        ];
        for (b, field) in cases {
            assert_eq!(b.validate().unwrap_err().field, field, "{b:?}");
        }
        let fine = Branding {
            display_name: Some("Fiskl".into()),
            logo_url: Some("https://cdn.fiskl.test/logo.svg?v=2".into()),
            upgrade_url: Some("https://app.fiskl.test/settings/billing".into()),
            accent_color: Some("#0a7c59".into()),
            theme: Some(Theme::Dark),
        };
        assert_eq!(fine.validate(), Ok(()));
    }

    #[test]
    fn a_layer_wins_where_it_says_something_and_blanks_say_nothing() {
        let deployment = Branding {
            display_name: Some("Fiskl".into()),
            theme: Some(Theme::Light),
            ..Default::default()
        };
        let link = Branding {
            display_name: Some("  ".into()),
            theme: Some(Theme::Dark),
            ..Default::default()
        }
        .normalized();
        let b = link.over(&deployment);
        assert_eq!(b.display_name.as_deref(), Some("Fiskl"));
        assert_eq!(b.theme, Some(Theme::Dark));
    }
}
