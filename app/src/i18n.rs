//! The portal's languages. Every string a page shows comes from the Fluent files under
//! `app/locales/<tag>/`, built into both the server and the wasm, so the server renders a page in
//! the viewer's language and the browser hydrates the same text.
//!
//! Which language: the portal link's `locale`, then the browser's `Accept-Language`, then the
//! deployment's default (`HERALD_PORTAL_LOCALE`). The server decides once per request (see
//! `ssr::locale`) and writes it on `<html lang dir>`; the browser starts from that attribute.

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // Bidi isolation marks keep an English URL or e-mail from scrambling the order of an
        // Arabic sentence around it; in left-to-right languages they only get in the way of
        // copying and searching the text.
        customise: |bundle| {
            let rtl = bundle.locales.first().is_some_and(|l| l.language.as_str() == "ar");
            bundle.set_use_isolating(rtl);
        },
    };
}

/// A language the portal is written in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Locale {
    #[default]
    En,
    Fr,
    Ar,
}

static IDS: LazyLock<[LanguageIdentifier; 3]> = LazyLock::new(|| {
    [
        fluent_templates::langid!("en"),
        fluent_templates::langid!("fr"),
        fluent_templates::langid!("ar"),
    ]
});

impl Locale {
    pub const ALL: [Locale; 3] = [Locale::En, Locale::Fr, Locale::Ar];

    /// The BCP 47 tag, as `<html lang>` and the API write it.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Fr => "fr",
            Locale::Ar => "ar",
        }
    }

    /// The language's own name for itself, for a language menu.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::Fr => "Français",
            Locale::Ar => "العربية",
        }
    }

    pub fn is_rtl(self) -> bool {
        self == Locale::Ar
    }

    /// `dir` for the document.
    pub fn dir(self) -> &'static str {
        if self.is_rtl() {
            "rtl"
        } else {
            "ltr"
        }
    }

    /// A tag as a person or a browser writes it: any case, any region ("fr-CA", "AR").
    pub fn parse(tag: &str) -> Option<Locale> {
        let id: LanguageIdentifier = tag.trim().parse().ok()?;
        Locale::ALL
            .into_iter()
            .find(|l| l.id().language == id.language)
    }

    /// The best of ours for an `Accept-Language` header, or `None` when it names none of them.
    pub fn from_accept_language(header: &str) -> Option<Locale> {
        let wanted = fluent_langneg::accepted_languages::parse(header);
        let available: Vec<LanguageIdentifier> =
            Locale::ALL.iter().map(|l| l.id().clone()).collect();
        let chosen = fluent_langneg::negotiate_languages(
            &wanted,
            &available,
            None,
            fluent_langneg::NegotiationStrategy::Lookup,
        );
        chosen.first().and_then(|id| Locale::parse(&id.to_string()))
    }

    fn id(self) -> &'static LanguageIdentifier {
        &IDS[self as usize]
    }

    /// `key` in this language, whatever the page's context says.
    pub fn text(self, key: &str) -> String {
        LOCALES.lookup(self.id(), key)
    }

    /// `key` with its arguments (`{ $name }` in the Fluent file) in this language.
    pub fn text_with(self, key: &str, args: &[(&'static str, Arg)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue<'static>> = args
            .iter()
            .map(|(name, value)| (Cow::Borrowed(*name), value.to_fluent()))
            .collect();
        LOCALES.lookup_with_args(self.id(), key, &args)
    }

    /// Whether this language has its own text for `key` (not the English fallback) that formats
    /// with these arguments (a number each) without an error.
    pub fn has(self, key: &str, args: &[&str]) -> bool {
        let args: HashMap<&str, FluentValue> = args
            .iter()
            .map(|name| (*name, FluentValue::from(3)))
            .collect();
        LOCALES
            .lookup_single_language(self.id(), key, Some(&args))
            .is_ok()
    }
}

impl std::fmt::Display for Locale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.tag())
    }
}

/// An argument of a translated sentence: a number picks the plural form ("1 day", "3 days").
#[derive(Clone, Debug)]
pub enum Arg {
    Text(String),
    Number(f64),
}

impl Arg {
    fn to_fluent(&self) -> FluentValue<'static> {
        match self {
            Arg::Text(s) => FluentValue::from(s.clone()),
            Arg::Number(n) => FluentValue::from(*n),
        }
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Text(s)
    }
}

impl From<&String> for Arg {
    fn from(s: &String) -> Self {
        Arg::Text(s.clone())
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Text(s.to_owned())
    }
}

macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(n: $t) -> Self {
                Arg::Number(n as f64)
            }
        }
    )*};
}
number_arg!(i32, i64, u32, u64, usize, f64);

/// The page's language, as context: set once from what the server rendered, and changed when a
/// portal session brings its own.
#[derive(Clone, Copy, Debug)]
pub struct I18n(RwSignal<Locale>);

impl I18n {
    pub fn provide(initial: Locale) -> I18n {
        let i18n = I18n(RwSignal::new(initial));
        provide_context(i18n);
        i18n
    }

    pub fn get(self) -> Locale {
        self.0.get()
    }

    pub fn set(self, locale: Locale) {
        if self.0.get_untracked() != locale {
            self.0.set(locale);
        }
    }
}

/// The page's language (English outside an [`I18n`] context, as in unit tests).
pub fn locale() -> Locale {
    use_context::<I18n>().map(I18n::get).unwrap_or_default()
}

/// `key` in the page's language.
pub fn t(key: &str) -> String {
    locale().text(key)
}

/// `key` with arguments in the page's language.
pub fn t_with(key: &str, args: &[(&'static str, Arg)]) -> String {
    locale().text_with(key, args)
}

/// A view's text: `tr!("endpoints-add")`, or with arguments `tr!("endpoint-count", "count" => n)`.
///
/// A plain `String`, not a closure: a page's language is settled before it is drawn (the
/// request's on the server, the one the server wrote on `<html lang>` in the browser, the
/// session's before the portal frame), and a closure per text is a view type of its own for
/// the wasm to carry: 4.1 MB of wasm with closures, 3.4 MB without.
#[macro_export]
macro_rules! tr {
    ($key:literal) => {
        $crate::i18n::t($key)
    };
    ($key:literal, $($name:literal => $value:expr),+ $(,)?) => {
        $crate::i18n::t_with($key, &[$(($name, $crate::i18n::Arg::from($value.clone()))),+])
    };
}

/// The language the server rendered the page in, read back by the browser from `<html lang>`.
#[cfg(feature = "hydrate")]
pub fn rendered_locale() -> Locale {
    leptos::prelude::document()
        .document_element()
        .and_then(|html| html.get_attribute("lang"))
        .and_then(|tag| Locale::parse(&tag))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_accept_language_header_picks_the_best_of_ours() {
        assert_eq!(
            Locale::from_accept_language("fr-CA,fr;q=0.9,en;q=0.8"),
            Some(Locale::Fr)
        );
        assert_eq!(
            Locale::from_accept_language("de-DE,de;q=0.9,ar;q=0.5,en;q=0.4"),
            Some(Locale::Ar)
        );
        assert_eq!(Locale::from_accept_language("de-DE,de;q=0.9"), None);
        assert_eq!(Locale::from_accept_language(""), None);
        assert_eq!(Locale::from_accept_language("en-GB"), Some(Locale::En));
    }

    #[test]
    fn a_tag_is_read_in_any_case_and_with_a_region() {
        assert_eq!(Locale::parse("FR"), Some(Locale::Fr));
        assert_eq!(Locale::parse("ar-MA"), Some(Locale::Ar));
        assert_eq!(Locale::parse("de"), None);
        assert_eq!(Locale::parse("not a tag!"), None);
    }

    /// Message ids (and the `$variables` each uses) of one language's files.
    fn messages(
        tag: &str,
    ) -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("locales")
            .join(tag);
        let mut out: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> =
            std::collections::BTreeMap::new();
        let mut current: Option<String> = None;
        for entry in std::fs::read_dir(&dir).expect("locale dir") {
            let path = entry.expect("entry").path();
            let text = std::fs::read_to_string(&path).expect("ftl");
            for line in text.lines() {
                if line.starts_with('#') || line.trim().is_empty() {
                    continue;
                }
                if !line.starts_with(' ') {
                    if let Some((id, _)) = line.split_once('=') {
                        let id = id.trim().to_owned();
                        assert!(
                            out.insert(id.clone(), Default::default()).is_none(),
                            "{tag}: {id} is defined twice"
                        );
                        current = Some(id);
                    }
                }
                if let Some(id) = &current {
                    let vars = out.get_mut(id).expect("current");
                    let mut rest = line;
                    while let Some(i) = rest.find("{ $") {
                        rest = &rest[i + 3..];
                        let name: String = rest
                            .chars()
                            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                            .collect();
                        vars.insert(name);
                    }
                }
            }
        }
        out
    }

    #[test]
    fn every_message_is_written_in_every_language_with_the_same_arguments() {
        let en = messages("en");
        assert!(en.len() > 20);
        for tag in ["fr", "ar"] {
            let other = messages(tag);
            for (id, vars) in &en {
                let theirs = other
                    .get(id)
                    .unwrap_or_else(|| panic!("{tag} has no text for {id}"));
                assert_eq!(
                    theirs, vars,
                    "{tag}: {id} takes other arguments than in English"
                );
            }
            for id in other.keys() {
                assert!(
                    en.contains_key(id),
                    "{tag} has {id}, which English does not"
                );
            }
        }
        for locale in Locale::ALL {
            for (id, vars) in &en {
                let vars: Vec<&str> = vars.iter().map(String::as_str).collect();
                assert!(locale.has(id, &vars), "{locale}: {id} does not parse");
            }
        }
    }

    /// Every key the code asks for exists: a typo would show the raw key on the page.
    #[test]
    fn every_key_the_code_uses_is_written() {
        let en = messages("en");
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut stack = vec![src];
        let mut used = 0;
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("src dir") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                if path.extension().is_none_or(|e| e != "rs") || path.ends_with("i18n.rs") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).expect("source");
                for opener in ["tr!(\"", "t(\"", "t_with(\"", "text(\"", "text_with(\""] {
                    let mut rest = text.as_str();
                    while let Some(i) = rest.find(opener) {
                        let before = rest[..i].chars().next_back();
                        rest = &rest[i + opener.len()..];
                        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                            continue;
                        }
                        // `locale.text("…")`, not `validate::text("field", …)`.
                        if opener.starts_with("text") && before != Some('.') {
                            continue;
                        }
                        let key: String = rest.chars().take_while(|c| *c != '"').collect();
                        if key
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                            && !key.is_empty()
                        {
                            used += 1;
                            assert!(
                                en.contains_key(&key),
                                "{}: {key} is not in the English files",
                                path.display()
                            );
                        }
                    }
                }
            }
        }
        assert!(used > 20, "found only {used} uses");
    }

    #[test]
    fn arabic_is_written_right_to_left() {
        assert_eq!(Locale::Ar.dir(), "rtl");
        assert_eq!(Locale::Fr.dir(), "ltr");
    }
}
