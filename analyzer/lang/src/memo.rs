//! The memoised lowering of a name's value, with its cycle guard, that every front-end's lowering
//! needs: each binding is lowered once per file, and a binding defined in terms of itself (`a = a
//! + 1`, a class naming itself) ends with the front-end's answer instead of recursing.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use slz_core::ir::Expr;
use std::cell::RefCell;
use std::hash::Hash;

/// Lowered values by key, and the keys being lowered.
pub struct Memo<K> {
    done: RefCell<HashMap<K, Expr>>,
    busy: RefCell<HashSet<K>>,
}

impl<K> Default for Memo<K> {
    fn default() -> Self {
        Memo {
            done: RefCell::new(HashMap::default()),
            busy: RefCell::new(HashSet::default()),
        }
    }
}

impl<K: Eq + Hash + Clone> Memo<K> {
    /// The value of `key`, when it was lowered already.
    pub fn get(&self, key: &K) -> Option<Expr> {
        self.done.borrow().get(key).cloned()
    }

    /// The value of `key`: the one lowered before, else `lower`'s, kept; `on_cycle`'s when `key`
    /// is asked for while `lower` runs for it (not kept).
    pub fn lower(
        &self,
        key: K,
        on_cycle: impl FnOnce() -> Expr,
        lower: impl FnOnce() -> Expr,
    ) -> Expr {
        if let Some(e) = self.get(&key) {
            return e;
        }
        if !self.busy.borrow_mut().insert(key.clone()) {
            return on_cycle();
        }
        let e = lower();
        self.busy.borrow_mut().remove(&key);
        self.done.borrow_mut().insert(key, e.clone());
        e
    }

    /// `lower`'s value for `key`, guarded against cycles like [`Memo::lower`] but not kept (for
    /// a value that depends on where it is asked for).
    pub fn guarded(
        &self,
        key: K,
        on_cycle: impl FnOnce() -> Expr,
        lower: impl FnOnce() -> Expr,
    ) -> Expr {
        if !self.busy.borrow_mut().insert(key.clone()) {
            return on_cycle();
        }
        let e = lower();
        self.busy.borrow_mut().remove(&key);
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn lowers_once_and_ends_cycles() {
        let memo: Memo<&str> = Memo::default();
        let calls = Cell::new(0);
        let lower_a = || {
            calls.set(calls.get() + 1);
            // `a` asks for itself while it is being lowered.
            let inner = memo.lower("a", || Expr::Unknown("cycle".into()), || Expr::Null);
            assert_eq!(inner, Expr::Unknown("cycle".into()));
            Expr::Str("a".into())
        };
        assert_eq!(
            memo.lower("a", || Expr::Null, lower_a),
            Expr::Str("a".into())
        );
        assert_eq!(
            memo.lower("a", || Expr::Null, || Expr::Null),
            Expr::Str("a".into())
        );
        assert_eq!(calls.get(), 1);
        assert_eq!(memo.get(&"b"), None);
    }
}
