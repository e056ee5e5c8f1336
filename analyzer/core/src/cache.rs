//! Lowered modules, kept so that each file is parsed once: across the functions of one run
//! (whichever function asks first lowers it; a second asker waits for that result instead of
//! parsing again, also from another thread) and across runs of the language server, which
//! invalidates exactly the files that changed. Also what each Rust crate's `Cargo.toml` says
//! (library, dependencies, binaries), read once.

use crate::ir::ModuleIr;
use rustc_hash::FxHashMap as HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

type Slot = Arc<OnceLock<Arc<ModuleIr>>>;

#[derive(Default)]
pub struct ModuleCache {
    slots: Mutex<HashMap<PathBuf, Slot>>,
    /// What a crate's manifest says, by manifest path.
    crates: Mutex<HashMap<PathBuf, Option<Arc<CrateManifest>>>>,
    /// Other settings files a front-end reads (`tsconfig.json`, `package.json`), parsed once, by
    /// path.
    settings: Mutex<HashMap<PathBuf, Option<Setting>>>,
}

/// A parsed settings file, of the type its reader chose.
type Setting = Arc<dyn std::any::Any + Send + Sync>;

/// What a crate's `Cargo.toml` says that the analysis needs; names as Rust paths spell them (`-`
/// as `_`).
#[derive(Debug, Default)]
pub struct CrateManifest {
    /// `[lib] name`, else the package name.
    pub lib: Option<String>,
    /// The crates it depends on (`[dependencies]`, `[dev-dependencies]`, `[build-dependencies]`).
    pub dependencies: std::collections::BTreeSet<String>,
    /// `[[bin]]` tables, in order.
    pub bins: Vec<crate::cargo::BinTable>,
    /// `[package] name` as written (the name of the binary `src/main.rs` builds).
    pub package: Option<String>,
    /// `[workspace] members`: the member crates' folders, maybe with `*` patterns.
    pub members: Vec<String>,
}

impl ModuleCache {
    /// The module at `path`, lowered by `lower` if no one has done it yet.
    pub fn get_or_lower(&self, path: &Path, lower: impl FnOnce() -> ModuleIr) -> Arc<ModuleIr> {
        let slot = {
            let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
            slots.entry(path.to_path_buf()).or_default().clone()
        };
        slot.get_or_init(|| Arc::new(lower())).clone()
    }

    /// The crate whose manifest is `manifest`, read by `read` once.
    pub fn crate_manifest(
        &self,
        manifest: &Path,
        read: impl FnOnce() -> Option<CrateManifest>,
    ) -> Option<Arc<CrateManifest>> {
        if let Some(known) = self
            .crates
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(manifest)
        {
            return known.clone();
        }
        let names = read().map(Arc::new);
        self.crates
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(manifest.to_path_buf(), names.clone());
        names
    }

    /// The settings file at `path` as `read` parses it, read once (None when it is missing or
    /// does not parse). The same path must always be read as the same type.
    pub fn setting<T: std::any::Any + Send + Sync>(
        &self,
        path: &Path,
        read: impl FnOnce() -> Option<T>,
    ) -> Option<Arc<T>> {
        let known = self
            .settings
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(path)
            .cloned();
        let value = match known {
            Some(v) => v,
            None => {
                let v = read().map(|t| Arc::new(t) as Setting);
                self.settings
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(path.to_path_buf(), v.clone());
                v
            }
        };
        value?.downcast::<T>().ok()
    }

    /// Forgets `path`: the next run reads and lowers it again.
    pub fn invalidate(&self, path: &Path) {
        self.settings
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(path);
        self.slots
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(path);
        self.crates
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(path);
    }

    /// Forgets everything (a file was created or deleted: imports may resolve differently).
    pub fn clear(&self) {
        self.slots.lock().unwrap_or_else(|e| e.into_inner()).clear();
        self.settings
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        self.crates
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    /// Whether `path` has been lowered (or is being lowered) since it was last invalidated.
    pub fn is_lowered(&self, path: &Path) -> bool {
        self.slots
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains_key(path)
    }

    /// How many modules are held.
    pub fn len(&self) -> usize {
        self.slots.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn lowers_once_until_invalidated() {
        let cache = ModuleCache::default();
        let calls = AtomicUsize::new(0);
        let lower = || {
            calls.fetch_add(1, Ordering::SeqCst);
            ModuleIr::default()
        };
        let p = Path::new("a.js");
        let first = cache.get_or_lower(p, lower);
        let again = cache.get_or_lower(p, lower);
        assert!(Arc::ptr_eq(&first, &again));
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        cache.invalidate(p);
        cache.get_or_lower(p, lower);
        assert_eq!(calls.load(Ordering::SeqCst), 2);
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| cache.get_or_lower(Path::new("b.js"), lower));
            }
        });
        assert_eq!(calls.load(Ordering::SeqCst), 3);
        assert_eq!(cache.len(), 2);
    }
}
