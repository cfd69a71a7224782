//! `@/path.md` links between content files: resolved to the linked content in the reader's
//! language when it has a translation there, else to the file the link names.

use super::Site;
use crate::markdown::LinkResolver;
use std::collections::HashMap;

/// `@/path.md` links: the linked content in the reader's language, else the file it names.
pub struct Links {
    by_path: HashMap<(String, String), String>,
    key_of_path: HashMap<String, String>,
    by_key: HashMap<(String, String), String>,
    any_by_path: HashMap<String, String>,
}

impl Links {
    pub fn new(site: &Site) -> Links {
        let mut links =
            Links { by_path: HashMap::new(), key_of_path: HashMap::new(), by_key: HashMap::new(), any_by_path: HashMap::new() };
        for p in &site.pages {
            links.by_path.insert((p.content_path.clone(), p.lang.clone()), p.url.clone());
            links.key_of_path.insert(p.content_path.clone(), p.translation_key.clone());
            links.by_key.insert((p.translation_key.clone(), p.lang.clone()), p.url.clone());
            links.any_by_path.entry(p.content_path.clone()).or_insert_with(|| p.url.clone());
        }
        for s in &site.sections {
            links.by_path.insert(
                (format!("{}/_index", s.content_path).trim_start_matches('/').to_string(), s.lang.clone()),
                s.url.clone(),
            );
            links
                .any_by_path
                .entry(format!("{}/_index", s.content_path).trim_start_matches('/').to_string())
                .or_insert_with(|| s.url.clone());
        }
        links
    }
}

impl LinkResolver for Links {
    fn resolve(&self, path: &str, lang: &str) -> Option<String> {
        // A link may name a language file (`news/visit.ar`); it still follows the reader's language.
        let path = super::split_language_suffix(path).0;
        self.by_path
            .get(&(path.to_string(), lang.to_string()))
            .or_else(|| self.key_of_path.get(path).and_then(|k| self.by_key.get(&(k.clone(), lang.to_string()))))
            .or_else(|| self.any_by_path.get(path))
            .cloned()
    }
}
