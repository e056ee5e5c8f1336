//! Lowers one Rust file to a [`ModuleIr`] with syn: items (functions, `impl` methods, consts,
//! statics, `use` and `mod` declarations) become bindings and exports; each function's `let`
//! bindings and parameters are its scope. Closures and async blocks belong to the function that
//! contains them. Method calls lower to calls of members, so builder chains
//! (`client.get_object().bucket(b).send()`) reach the SDK model step by step.

use proc_macro2::Span;
use rustc_hash::FxHashMap as HashMap;
use slz_core::diagnostics::{Diagnostic, Location};
use slz_core::ir::{BinOp, CallBudget, CallSite, Expr, FuncId, FunctionIr, Language, ModuleIr};
use slz_lang::fmt::{self, Arg, Dialect};
use std::path::Path;
use syn::spanned::Spanned;
use syn::visit::{self, Visit};

const MAX_DEPTH: usize = 96;

/// Macros whose arguments are data or formatting, not code that could call AWS.
const DATA_MACROS: &[&str] = &[
    "json",
    "matches",
    "assert",
    "assert_eq",
    "assert_ne",
    "debug_assert",
    "write",
    "writeln",
    "print",
    "println",
    "eprint",
    "eprintln",
    "format",
    "format_args",
    "panic",
    "todo",
    "unimplemented",
    "unreachable",
    "include_str",
    "include_bytes",
    "concat",
    "env",
    "cfg",
    "trace",
    "debug",
    "info",
    "warn",
    "error",
    "event",
    "span",
    "vec",
    "macro_rules",
    "stringify",
    "line",
    "file",
    "column",
    "module_path",
    "compile_error",
];

/// Calls that return their receiver or first argument unchanged, for value purposes.
const TRANSPARENT_METHODS: &[&str] = &[
    "unwrap",
    "expect",
    "clone",
    "to_string",
    "to_owned",
    "as_str",
    "as_ref",
    "into",
    "unwrap_or_default",
    "borrow",
    "as_deref",
    "get_or_init",
    "get_or_try_init",
    "lock",
    "read",
    "write",
];
const TRANSPARENT_FUNCTIONS: &[&str] = &["Some", "Ok", "new", "from", "Box", "Arc", "Rc"];

/// The IR operator of a Rust arithmetic operator (`String + &str` concatenates; integer `/`
/// truncates).
fn arithmetic(op: &syn::BinOp) -> Option<BinOp> {
    Some(match op {
        syn::BinOp::Add(_) => BinOp::Add,
        syn::BinOp::Sub(_) => BinOp::Sub,
        syn::BinOp::Mul(_) => BinOp::Mul,
        syn::BinOp::Div(_) => BinOp::TruncDiv,
        syn::BinOp::Rem(_) => BinOp::Rem,
        _ => return None,
    })
}

pub fn lower_file(path: &Path, source: &str) -> ModuleIr {
    let module = lower_syntax(path, source);
    // Line and column of a span come from a per-thread copy of every file parsed on the thread,
    // kept until told otherwise: no span of this file is used past this point, so its copy goes.
    proc_macro2::extra::invalidate_current_thread_spans();
    module
}

fn lower_syntax(path: &Path, source: &str) -> ModuleIr {
    let mut module = ModuleIr {
        path: path.to_path_buf(),
        language: Some(Language::Rust),
        ..ModuleIr::default()
    };
    let file = match syn::parse_file(source) {
        Ok(f) => f,
        Err(e) => {
            let start = e.span().start();
            module.diagnostics.push(Diagnostic::syntax_error(
                path,
                u32::try_from(start.line).unwrap_or(1),
                u32::try_from(start.column + 1).unwrap_or(1),
                &e.to_string(),
            ));
            return module;
        }
    };
    let mut items = Items::default();
    items.collect(&file.items, None);
    let lw = Lowerer {
        items: &items,
        memo: Default::default(),
    };
    let mut walker = Walker {
        lw: &lw,
        path,
        diagnostics: Vec::new(),
        functions: vec![
            FunctionIr {
                name: "<module>".into(),
                line: 1,
                ..FunctionIr::default()
            };
            items.functions.len() + 1
        ],
        current: 0,
        budget: CallBudget::default(),
    };
    for (i, f) in items.functions.iter().enumerate() {
        let id = i + 1;
        walker.functions[id].name = f.name.clone();
        walker.functions[id].line = u32::try_from(f.block.span().start().line).unwrap_or(1);
        walker.functions[id].is_method = f.self_type.is_some();
        walker.functions[id].takes_self = f.has_self;
        walker.current = FuncId::try_from(id).unwrap_or(0);
        walker.visit_block(f.block);
        if let Some(tail) = tail_expr(f.block) {
            let ret = lw.expr(tail, walker.current, 0);
            walker.functions[id].returns.push(ret);
        }
    }
    walker.current = 0;
    for c in &items.consts {
        walker.visit_expr(c.1);
    }
    let too_complex = walker.budget.diagnostic(path);
    let functions = walker.functions;
    module.diagnostics.append(&mut walker.diagnostics);
    module.diagnostics.extend(too_complex);
    for (name, b) in items
        .module_bindings
        .iter()
        .filter(|(k, _)| !k.starts_with("*glob"))
    {
        let value = lw.binding(b, 0, 0);
        module.exports.insert(name.clone(), value);
    }
    // Types with methods: `store::DynamoDBStore::new(...)` from other modules.
    for ty in items.methods.keys() {
        module.exports.insert_if_absent(ty, || lw.type_value(ty));
    }
    for (spec, line) in &items.mods {
        module.imports.push((spec.clone(), *line));
        module.children.push(spec.clone());
    }
    module.functions = functions;
    module
}

trait Pipe: Sized {
    fn pipe<T>(self, f: impl FnOnce(Self) -> T) -> T {
        f(self)
    }
}
impl<T> Pipe for T {}

fn tail_expr(block: &syn::Block) -> Option<&syn::Expr> {
    match block.stmts.last() {
        Some(syn::Stmt::Expr(e, None)) => Some(e),
        _ => None,
    }
}

struct FnInfo<'a> {
    name: String,
    /// The `impl` type of a method, if any.
    self_type: Option<String>,
    has_self: bool,
    params: Vec<&'a syn::Pat>,
    block: &'a syn::Block,
}

#[derive(Clone)]
enum Binding<'a> {
    Expr(&'a syn::Expr),
    Func(FuncId),
    Import { module: String, name: String },
    Module(String),
}

#[derive(Default)]
struct Items<'a> {
    functions: Vec<FnInfo<'a>>,
    module_bindings: HashMap<String, Binding<'a>>,
    /// `impl Type { fn m() }`: type -> method -> function.
    methods: HashMap<String, Vec<(String, FuncId)>>,
    /// Struct literals by type name, for `self.field`.
    literals: HashMap<String, Vec<&'a syn::ExprStruct>>,
    consts: Vec<(String, &'a syn::Expr)>,
    /// `mod x;` declarations as import specifiers, with lines.
    mods: Vec<(String, u32)>,
}

fn use_tree<'a>(
    prefix: &mut Vec<String>,
    tree: &syn::UseTree,
    out: &mut HashMap<String, Binding<'a>>,
) {
    let spec = |p: &[String]| p.join("::");
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            use_tree(prefix, &p.tree, out);
            prefix.pop();
        }
        syn::UseTree::Name(n) => {
            let name = n.ident.to_string();
            if name == "self" {
                if let Some(last) = prefix.last() {
                    out.insert(
                        last.clone(),
                        Binding::Import {
                            module: spec(prefix),
                            name: "*".into(),
                        },
                    );
                }
            } else {
                out.insert(
                    name.clone(),
                    Binding::Import {
                        module: spec(prefix),
                        name,
                    },
                );
            }
        }
        syn::UseTree::Rename(r) => {
            let local = r.rename.to_string();
            if prefix.is_empty() {
                out.insert(
                    local,
                    Binding::Import {
                        module: r.ident.to_string(),
                        name: "*".into(),
                    },
                );
            } else {
                out.insert(
                    local,
                    Binding::Import {
                        module: spec(prefix),
                        name: r.ident.to_string(),
                    },
                );
            }
        }
        syn::UseTree::Group(g) => {
            for t in &g.items {
                use_tree(prefix, t, out);
            }
        }
        syn::UseTree::Glob(_) => {
            // Glob imports are looked up last, in order (`use crate::utils::*`).
            let n = out.keys().filter(|k| k.starts_with("*glob")).count();
            out.insert(
                format!("*glob{n}"),
                Binding::Import {
                    module: spec(prefix),
                    name: "*".into(),
                },
            );
        }
    }
}

impl<'a> Items<'a> {
    fn collect(&mut self, items: &'a [syn::Item], impl_type: Option<String>) {
        for item in items {
            match item {
                syn::Item::Fn(f) if is_cfg_test(&f.attrs) => {}
                syn::Item::Fn(f) => {
                    let id = self.add_fn(&f.sig, &f.block, None);
                    self.module_bindings
                        .insert(f.sig.ident.to_string(), Binding::Func(id));
                }
                syn::Item::Impl(i) => {
                    let ty = type_name(&i.self_ty);
                    for it in &i.items {
                        if let syn::ImplItem::Fn(m) = it {
                            let id = self.add_fn(&m.sig, &m.block, Some(ty.clone()));
                            self.methods
                                .entry(ty.clone())
                                .or_default()
                                .push((m.sig.ident.to_string(), id));
                        }
                    }
                }
                syn::Item::Const(c) => {
                    self.module_bindings
                        .insert(c.ident.to_string(), Binding::Expr(&c.expr));
                    self.consts.push((c.ident.to_string(), &c.expr));
                }
                syn::Item::Static(s) => {
                    self.module_bindings
                        .insert(s.ident.to_string(), Binding::Expr(&s.expr));
                    self.consts.push((s.ident.to_string(), &s.expr));
                }
                syn::Item::Use(u) => use_tree(&mut Vec::new(), &u.tree, &mut self.module_bindings),
                // Test code is not deployed: `#[cfg(test)] mod tests { ... }`.
                syn::Item::Mod(m) if is_cfg_test(&m.attrs) => {}
                syn::Item::Mod(m) => {
                    let name = m.ident.to_string();
                    match &m.content {
                        Some((_, inner)) => self.collect(inner, impl_type.clone()),
                        None => {
                            let line = u32::try_from(m.span().start().line).unwrap_or(1);
                            self.mods.push((format!("self::{name}"), line));
                            self.module_bindings
                                .insert(name.clone(), Binding::Module(format!("self::{name}")));
                        }
                    }
                }
                syn::Item::Struct(_)
                | syn::Item::Enum(_)
                | syn::Item::Trait(_)
                | syn::Item::Type(_) => {}
                _ => {}
            }
        }
    }

    fn add_fn(
        &mut self,
        sig: &'a syn::Signature,
        block: &'a syn::Block,
        self_type: Option<String>,
    ) -> FuncId {
        let mut params = Vec::new();
        let mut has_self = false;
        for input in &sig.inputs {
            match input {
                syn::FnArg::Receiver(_) => has_self = true,
                syn::FnArg::Typed(t) => params.push(t.pat.as_ref()),
            }
        }
        self.functions.push(FnInfo {
            name: sig.ident.to_string(),
            self_type,
            has_self,
            params,
            block,
        });
        let mut lits = StructLits {
            out: &mut self.literals,
            self_ty: self.functions.last().and_then(|f| f.self_type.clone()),
        };
        lits.visit_block(block);
        FuncId::try_from(self.functions.len()).unwrap_or(FuncId::MAX)
    }
}

struct StructLits<'o, 'a> {
    out: &'o mut HashMap<String, Vec<&'a syn::ExprStruct>>,
    self_ty: Option<String>,
}

impl<'a> Visit<'a> for StructLits<'_, 'a> {
    fn visit_expr_struct(&mut self, s: &'a syn::ExprStruct) {
        let mut ty = last_segment(&s.path);
        if ty == "Self" {
            ty = self.self_ty.clone().unwrap_or(ty);
        }
        self.out.entry(ty).or_default().push(s);
        visit::visit_expr_struct(self, s);
    }
}

fn is_cfg_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        let text = quote::quote!(#a).to_string().replace(' ', "");
        text == "#[cfg(test)]" || text == "#[test]" || text.ends_with("::test]")
    })
}

fn type_name(ty: &syn::Type) -> String {
    match ty {
        syn::Type::Path(p) => last_segment(&p.path),
        syn::Type::Reference(r) => type_name(&r.elem),
        _ => String::new(),
    }
}

fn pat_ident(p: &syn::Pat) -> Option<String> {
    match p {
        syn::Pat::Ident(i) => Some(i.ident.to_string()),
        syn::Pat::Type(t) => pat_ident(&t.pat),
        syn::Pat::Reference(r) => pat_ident(&r.pat),
        _ => None,
    }
}

struct Lowerer<'s, 'a> {
    items: &'s Items<'a>,
    /// Each binding's value by (function, name), lowered once.
    memo: slz_lang::memo::Memo<(FuncId, String)>,
}

impl<'s, 'a> Lowerer<'s, 'a> {
    fn binding(&self, b: &Binding<'a>, scope: FuncId, depth: usize) -> Expr {
        match b {
            Binding::Expr(e) => self.expr(e, scope, depth + 1),
            Binding::Func(id) => Expr::Func(*id),
            Binding::Import { module, name } => Expr::Import {
                module: module.clone(),
                name: name.clone(),
            },
            Binding::Module(spec) => Expr::Import {
                module: spec.clone(),
                name: "*".into(),
            },
        }
    }

    /// A local `let` binding or parameter of function `scope`, else a module item.
    fn name(&self, scope: FuncId, name: &str, depth: usize) -> Expr {
        if scope > 0 {
            let f = &self.items.functions[scope as usize - 1];
            if name == "self" && f.has_self {
                return self.self_value(scope, f);
            }
            let key = (scope, name.to_string());
            if let Some(e) = self.memo.get(&key) {
                return e;
            }
            if let Some(i) = f
                .params
                .iter()
                .position(|p| pat_ident(p).as_deref() == Some(name))
            {
                let offset = u32::from(f.has_self);
                return Expr::Param(scope, u32::try_from(i).unwrap_or(0) + offset);
            }
            let mut lets = LetFinder {
                name,
                found: Vec::new(),
            };
            lets.visit_block(f.block);
            if !lets.found.is_empty() {
                let e = self.memo.lower(
                    key,
                    || Expr::Unknown(format!("`{name}` is defined in terms of itself")),
                    || {
                        let mut alts: Vec<Expr> = lets
                            .found
                            .iter()
                            .map(|e| match e {
                                Some(e) => self.expr(e, scope, depth + 1),
                                None => Expr::Unknown(format!("`{name}` is bound by a pattern")),
                            })
                            .collect();
                        // Shadowing: the last `let` is what later code sees; keep the last one.
                        alts.pop().unwrap_or(Expr::Null).bounded(name)
                    },
                );
                return e;
            }
        }
        match self.items.module_bindings.get(name) {
            Some(b) => self.memo.guarded(
                (0, name.to_string()),
                || Expr::Unknown(format!("`{name}` is defined in terms of itself")),
                || self.binding(b, 0, depth),
            ),
            None if name.starts_with("aws_sdk_") || name == "aws_config" => Expr::Import {
                module: name.to_string(),
                name: "*".into(),
            },
            None => {
                let mut globs: Vec<(&String, &Binding<'a>)> = self
                    .items
                    .module_bindings
                    .iter()
                    .filter(|(k, _)| k.starts_with("*glob"))
                    .collect();
                globs.sort_by(|a, b| a.0.cmp(b.0));
                let alts: Vec<Expr> = globs
                    .into_iter()
                    .filter_map(|(_, b)| match b {
                        Binding::Import { module, .. } => Some(Expr::Import {
                            module: module.clone(),
                            name: name.to_string(),
                        }),
                        _ => None,
                    })
                    .collect();
                if alts.is_empty() {
                    Expr::Global(name.to_string())
                } else {
                    alts.into_iter()
                        .chain([Expr::Global(name.to_string())])
                        .collect::<Vec<_>>()
                        .pipe(Expr::Or)
                }
            }
        }
    }

    /// `self` in a method: the receiver the call passed, else the struct literals of the type.
    fn self_value(&self, scope: FuncId, f: &FnInfo<'a>) -> Expr {
        let ty = f.self_type.clone().unwrap_or_default();
        let key = (FuncId::MAX, format!("self:{ty}"));
        let lexical = self.memo.lower(
            key,
            || Expr::Unknown("self".into()),
            || {
                let lits = self.items.literals.get(&ty).cloned().unwrap_or_default();
                let mut alts: Vec<Expr> = lits.iter().map(|s| self.struct_lit(s, 0, 1)).collect();
                match alts.len() {
                    0 => Expr::Unknown(format!("an instance of {ty}")),
                    1 => alts.pop().unwrap_or(Expr::Null),
                    _ => Expr::Either(alts),
                }
            },
        );
        Expr::Or(vec![Expr::Param(scope, 0), lexical])
    }

    fn struct_lit(&self, s: &syn::ExprStruct, scope: FuncId, depth: usize) -> Expr {
        let ty = last_segment(&s.path);
        let mut fields: Vec<(String, Expr)> = s
            .fields
            .iter()
            .filter_map(|f| match &f.member {
                syn::Member::Named(n) => {
                    Some((n.to_string(), self.expr(&f.expr, scope, depth + 1)))
                }
                syn::Member::Unnamed(_) => None,
            })
            .collect();
        for (m, id) in self.items.methods.get(&ty).into_iter().flatten() {
            fields.push((m.clone(), Expr::Func(*id)));
        }
        fields.push(("__class__".into(), Expr::Str(ty)));
        Expr::Object(fields)
    }

    fn path(&self, p: &syn::Path, scope: FuncId, depth: usize) -> Expr {
        let segs: Vec<String> = segment_names(p);
        let Some(first) = segs.first() else {
            return Expr::Unknown("an empty path".into());
        };
        let (mut e, rest) = match first.as_str() {
            "crate" | "super" | "self" if segs.len() > 1 => {
                let module = format!("{first}::{}", segs[1..segs.len() - 1].join("::"));
                let module = module.trim_end_matches("::").to_string();
                return Expr::Import {
                    module,
                    name: segs.last().cloned().unwrap_or_default(),
                };
            }
            "Self" => {
                let ty = scope
                    .checked_sub(1)
                    .and_then(|i| self.items.functions.get(i as usize))
                    .and_then(|f| f.self_type.clone())
                    .unwrap_or_default();
                (self.type_value(&ty), &segs[1..])
            }
            _ if segs.len() > 1 && self.items.methods.contains_key(first) => {
                (self.type_value(first), &segs[1..])
            }
            _ => (self.name(scope, first, depth), &segs[1..]),
        };
        for s in rest {
            e = Expr::Member(Box::new(e), s.clone());
        }
        e
    }

    /// A type of this file as an object of its associated functions (`Store::new`).
    fn type_value(&self, ty: &str) -> Expr {
        let mut fields: Vec<(String, Expr)> = self
            .items
            .methods
            .get(ty)
            .into_iter()
            .flatten()
            .map(|(m, id)| (m.clone(), Expr::Func(*id)))
            .collect();
        fields.push(("__class__".into(), Expr::Str(ty.to_string())));
        Expr::Object(fields)
    }

    fn args(
        &self,
        args: &syn::punctuated::Punctuated<syn::Expr, syn::token::Comma>,
        scope: FuncId,
        depth: usize,
    ) -> Vec<Expr> {
        args.iter()
            .map(|a| self.expr(a, scope, depth + 1))
            .collect()
    }

    fn expr(&self, e: &syn::Expr, scope: FuncId, depth: usize) -> Expr {
        if depth > MAX_DEPTH {
            return Expr::Unknown("expression nested too deeply".into());
        }
        let d = depth + 1;
        match e {
            syn::Expr::Lit(l) => match &l.lit {
                syn::Lit::Str(s) => Expr::Str(s.value()),
                syn::Lit::Int(i) => Expr::Num(i.base10_digits().to_string()),
                syn::Lit::Float(f) => Expr::Num(f.base10_digits().to_string()),
                syn::Lit::Bool(b) => Expr::Bool {
                    value: b.value,
                    text: b.value.to_string(),
                },
                _ => Expr::Unknown("a literal".into()),
            },
            syn::Expr::Path(p) => self.path(&p.path, scope, d),
            syn::Expr::Reference(r) => self.expr(&r.expr, scope, d),
            syn::Expr::Paren(p) => self.expr(&p.expr, scope, d),
            syn::Expr::Group(g) => self.expr(&g.expr, scope, d),
            syn::Expr::Try(t) => self.expr(&t.expr, scope, d),
            syn::Expr::Await(a) => self.expr(&a.base, scope, d),
            syn::Expr::Cast(c) => self.expr(&c.expr, scope, d),
            syn::Expr::Field(f) => {
                let base = self.expr(&f.base, scope, d);
                match &f.member {
                    syn::Member::Named(n) => Expr::Member(Box::new(base), n.to_string()),
                    syn::Member::Unnamed(_) => Expr::Unknown("a tuple field".into()),
                }
            }
            syn::Expr::MethodCall(m) => {
                let method = m.method.to_string();
                let recv = self.expr(&m.receiver, scope, d);
                if TRANSPARENT_METHODS.contains(&method.as_str()) {
                    return match (method.as_str(), m.args.first()) {
                        ("get_or_init" | "get_or_try_init", Some(init)) => {
                            self.expr(init, scope, d)
                        }
                        _ => recv,
                    };
                }
                match method.as_str() {
                    // `[a, b].join("-")`, `vec![a, b].join("-")`.
                    "join" if matches!(recv, Expr::Array(_)) && m.args.len() == 1 => {
                        Expr::Join(Box::new(self.expr(&m.args[0], scope, d)), Box::new(recv))
                    }
                    "unwrap_or" | "unwrap_or_else" => {
                        let alt = m
                            .args
                            .first()
                            .map(|a| self.expr(a, scope, d))
                            .unwrap_or(Expr::Null);
                        Expr::Or(vec![recv, alt])
                    }
                    _ => Expr::Call(
                        Box::new(Expr::Member(Box::new(recv), method)),
                        self.args(&m.args, scope, d),
                    ),
                }
            }
            syn::Expr::Call(c) => {
                if let syn::Expr::Path(p) = c.func.as_ref() {
                    let segs: Vec<String> = segment_names(&p.path);
                    let tail: Vec<&str> = segs
                        .iter()
                        .rev()
                        .take(2)
                        .rev()
                        .map(String::as_str)
                        .collect();
                    let is_env_var = matches!(tail.as_slice(), ["env", "var"] | ["env", "var_os"])
                        || (segs.len() == 1
                            && segs[0] == "var"
                            && matches!(self.items.module_bindings.get("var"), Some(Binding::Import { module, .. }) if module == "std::env"));
                    if is_env_var {
                        return match c.args.first().map(|a| self.expr(a, scope, d)) {
                            Some(Expr::Str(name)) => Expr::Env(name),
                            _ => Expr::Unknown("an env var chosen at run time".into()),
                        };
                    }
                    let last = segs.last().map(String::as_str).unwrap_or("");
                    let wrapper = matches!(last, "Some" | "Ok")
                        || (segs.len() == 2
                            && TRANSPARENT_FUNCTIONS.contains(&last)
                            && matches!(
                                segs[0].as_str(),
                                "Box" | "Arc" | "Rc" | "String" | "Mutex" | "RwLock"
                            ));
                    if wrapper && c.args.len() == 1 {
                        return self.expr(&c.args[0], scope, d);
                    }
                }
                Expr::Call(
                    Box::new(self.expr(&c.func, scope, d)),
                    self.args(&c.args, scope, d),
                )
            }
            syn::Expr::Macro(m) => self.macro_value(&m.mac, scope, d),
            syn::Expr::Struct(s) => self.struct_lit(s, scope, d),
            syn::Expr::Closure(c) => self.expr(&c.body, scope, d),
            syn::Expr::Async(a) => tail_expr(&a.block)
                .map(|t| self.expr(t, scope, d))
                .unwrap_or(Expr::Null),
            syn::Expr::Block(b) => tail_expr(&b.block)
                .map(|t| self.expr(t, scope, d))
                .unwrap_or(Expr::Null),
            syn::Expr::Binary(b) => match arithmetic(&b.op) {
                Some(op) => Expr::Binary(
                    op,
                    Box::new(self.expr(&b.left, scope, d)),
                    Box::new(self.expr(&b.right, scope, d)),
                ),
                None => Expr::Unknown("a computed value".into()),
            },
            syn::Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)) => Expr::Binary(
                BinOp::Sub,
                Box::new(Expr::Num("0".into())),
                Box::new(self.expr(&u.expr, scope, d)),
            ),
            syn::Expr::Array(a) => {
                Expr::Array(a.elems.iter().map(|x| self.expr(x, scope, d)).collect())
            }
            _ => Expr::Unknown("a computed value".into()),
        }
    }

    /// `format!("{:02}-{x}", a, x = b)`: literal text and each field's argument with its spec;
    /// a field names a positional argument, a named one, or a variable in scope.
    fn format_macro(
        &self,
        args: &syn::punctuated::Punctuated<syn::Expr, syn::token::Comma>,
        scope: FuncId,
        d: usize,
    ) -> Expr {
        let mut it = args.iter();
        let Some(syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(template),
            ..
        })) = it.next()
        else {
            return Expr::Unknown("format! with a computed format".into());
        };
        let mut positional = Vec::new();
        let mut named = Vec::new();
        for a in it {
            match a {
                syn::Expr::Assign(x) => {
                    let value = self.expr(&x.right, scope, d);
                    if let syn::Expr::Path(p) = x.left.as_ref() {
                        if let Some(id) = p.path.get_ident() {
                            named.push((id.to_string(), value.clone()));
                        }
                    }
                    // Named arguments can be named by position too.
                    positional.push(value);
                }
                other => positional.push(self.expr(other, scope, d)),
            }
        }
        let Some(pieces) = fmt::braces(&template.value(), Dialect::Rust) else {
            return Expr::Unknown("a format string the analyzer does not follow".into());
        };
        fmt::braces_expr(pieces, |arg| match arg {
            Arg::Index(n) => positional.get(*n).cloned(),
            Arg::Name(n) => Some(
                named
                    .iter()
                    .find(|(k, _)| k == n)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_else(|| self.name(scope, n, d)),
            ),
            Arg::Next => None,
        })
    }

    /// `format!("{}-{x}", a)` and `concat!(...)`; other macros are opaque.
    fn macro_value(&self, mac: &syn::Macro, scope: FuncId, d: usize) -> Expr {
        let name = last_segment(&mac.path);
        let parsed: Option<syn::punctuated::Punctuated<syn::Expr, syn::token::Comma>> = mac
            .parse_body_with(syn::punctuated::Punctuated::parse_terminated)
            .ok();
        let Some(args) = parsed else {
            return Expr::Unknown(format!("{name}!(...)"));
        };
        match name.as_str() {
            "format" => self.format_macro(&args, scope, d),
            "vec" => Expr::Array(args.iter().map(|a| self.expr(a, scope, d)).collect()),
            "concat" => Expr::Concat(args.iter().map(|a| self.expr(a, scope, d)).collect()),
            "env" => match args.first() {
                Some(syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                })) => Expr::Unknown(format!("build-time env var {}", s.value())),
                _ => Expr::Unknown("env!(...)".into()),
            },
            other => Expr::Unknown(format!("{other}!(...)")),
        }
    }
}

struct LetFinder<'n, 'a> {
    name: &'n str,
    found: Vec<Option<&'a syn::Expr>>,
}

impl<'a> Visit<'a> for LetFinder<'_, 'a> {
    fn visit_local(&mut self, l: &'a syn::Local) {
        if pat_ident(&l.pat).as_deref() == Some(self.name) {
            self.found.push(l.init.as_ref().map(|i| i.expr.as_ref()));
        } else if pat_binds(&l.pat, self.name) {
            self.found.push(None);
        }
        visit::visit_local(self, l);
    }

    fn visit_item(&mut self, _: &'a syn::Item) {}
}

fn pat_binds(p: &syn::Pat, name: &str) -> bool {
    match p {
        syn::Pat::Ident(i) => i.ident == name,
        syn::Pat::Tuple(t) => t.elems.iter().any(|e| pat_binds(e, name)),
        syn::Pat::TupleStruct(t) => t.elems.iter().any(|e| pat_binds(e, name)),
        syn::Pat::Struct(s) => s.fields.iter().any(|f| pat_binds(&f.pat, name)),
        syn::Pat::Type(t) => pat_binds(&t.pat, name),
        syn::Pat::Reference(r) => pat_binds(&r.pat, name),
        _ => false,
    }
}

/// The name a path ends with (`Client` in `aws_sdk_s3::Client`).
fn last_segment(path: &syn::Path) -> String {
    path.segments
        .last()
        .map(|s| s.ident.to_string())
        .unwrap_or_default()
}

/// Every name of a path, in order.
fn segment_names(path: &syn::Path) -> Vec<String> {
    path.segments.iter().map(|s| s.ident.to_string()).collect()
}

/// The expression a chain of calls, fields and `?`/`.await` starts from (`client` in
/// `client.get_item().send().await?`), without recursion.
fn leftmost(mut e: &syn::Expr) -> &syn::Expr {
    loop {
        e = match e {
            syn::Expr::MethodCall(m) => &m.receiver,
            syn::Expr::Call(c) => &c.func,
            syn::Expr::Field(f) => &f.base,
            syn::Expr::Index(i) => &i.expr,
            syn::Expr::Await(a) => &a.base,
            syn::Expr::Try(t) => &t.expr,
            _ => return e,
        };
    }
}

struct Walker<'w, 's, 'a> {
    lw: &'w Lowerer<'s, 'a>,
    path: &'w Path,
    diagnostics: Vec<Diagnostic>,
    functions: Vec<FunctionIr>,
    current: FuncId,
    budget: CallBudget,
}

impl Walker<'_, '_, '_> {
    fn site(&mut self, span: Span, callee: Expr, args: Vec<Expr>) {
        let start = span.start();
        let line = u32::try_from(start.line).unwrap_or(1);
        let column = u32::try_from(start.column + 1).unwrap_or(1);
        self.functions[self.current as usize].calls.push(CallSite {
            callee,
            args,
            is_new: false,
            line,
            column,
        });
    }
}

impl Walker<'_, '_, '_> {
    /// Whether a call spanning `span` fits the module's budget (see [`CallBudget`]).
    /// `receiver` is the call's innermost receiver or callee and `close` its closing parenthesis:
    /// the call spans from one to the other. (`Spanned::span` would print the whole expression.)
    fn fits(&mut self, receiver: &syn::Expr, close: proc_macro2::Span) -> bool {
        let start = leftmost(receiver).span();
        let line = u32::try_from(start.start().line).unwrap_or(1);
        let bytes = close
            .byte_range()
            .end
            .saturating_sub(start.byte_range().start);
        self.budget.take(bytes, line)
    }

    fn method_call(&mut self, m: &syn::ExprMethodCall) {
        if !self.fits(&m.receiver, m.paren_token.span.close()) {
            return;
        }
        let recv = self.lw.expr(&m.receiver, self.current, 0);
        let args = self.lw.args(&m.args, self.current, 0);
        self.site(
            m.method.span(),
            Expr::Member(Box::new(recv), m.method.to_string()),
            args,
        );
    }

    fn fn_call(&mut self, c: &syn::ExprCall) {
        if !self.fits(&c.func, c.paren_token.span.close()) {
            return;
        }
        let callee = self.lw.expr(&c.func, self.current, 0);
        let args = self.lw.args(&c.args, self.current, 0);
        self.site(c.span(), callee, args);
    }

    fn path_ref(&mut self, p: &syn::ExprPath) {
        if self.current != 0 {
            let e = self.lw.path(&p.path, self.current, 0);
            if matches!(e, Expr::Func(_) | Expr::Import { .. } | Expr::Member(..)) {
                self.functions[self.current as usize].refs.push(e);
            }
        }
    }

    /// Code inside macro calls (`tokio::spawn(...)`, `info!(...)`) is still code: lower what parses.
    fn macro_body(&mut self, mac: &syn::Macro) {
        let parsed = mac.parse_body_with(
            syn::punctuated::Punctuated::<syn::Expr, syn::token::Comma>::parse_terminated,
        );
        match parsed {
            Ok(args) => {
                let mut inner = MacroBody { w: self };
                for a in &args {
                    inner.visit_expr(a);
                }
            }
            Err(_) => {
                let name = last_segment(&mac.path);
                if !DATA_MACROS.contains(&name.as_str()) && !mac.tokens.is_empty() {
                    let start = mac.path.span().start();
                    let line = u32::try_from(start.line).unwrap_or(1);
                    let column = u32::try_from(start.column + 1).unwrap_or(1);
                    self.diagnostics.push(Diagnostic::new(
                        "opaque-macro",
                        Location::new(self.path, line, column),
                        format!("`{name}!` takes arguments that are not Rust expressions; AWS calls inside it are not analysed"),
                    ));
                }
            }
        }
    }
}

impl<'a> Visit<'a> for Walker<'_, '_, 'a> {
    fn visit_expr_method_call(&mut self, m: &'a syn::ExprMethodCall) {
        self.method_call(m);
        visit::visit_expr_method_call(self, m);
    }

    fn visit_expr_call(&mut self, c: &'a syn::ExprCall) {
        self.fn_call(c);
        visit::visit_expr_call(self, c);
    }

    fn visit_expr_path(&mut self, p: &'a syn::ExprPath) {
        self.path_ref(p);
        visit::visit_expr_path(self, p);
    }

    fn visit_macro(&mut self, mac: &'a syn::Macro) {
        self.macro_body(mac);
    }

    fn visit_item(&mut self, _: &'a syn::Item) {}
}

/// Walks expressions parsed out of a macro's tokens (they live only as long as the parse).
struct MacroBody<'x, 'w, 's, 'a> {
    w: &'x mut Walker<'w, 's, 'a>,
}

impl<'m> Visit<'m> for MacroBody<'_, '_, '_, '_> {
    fn visit_expr_method_call(&mut self, m: &'m syn::ExprMethodCall) {
        self.w.method_call(m);
        visit::visit_expr_method_call(self, m);
    }

    fn visit_expr_call(&mut self, c: &'m syn::ExprCall) {
        self.w.fn_call(c);
        visit::visit_expr_call(self, c);
    }

    fn visit_expr_path(&mut self, p: &'m syn::ExprPath) {
        self.w.path_ref(p);
        visit::visit_expr_path(self, p);
    }

    fn visit_macro(&mut self, mac: &'m syn::Macro) {
        self.w.macro_body(mac);
    }

    fn visit_item(&mut self, _: &'m syn::Item) {}
}

#[cfg(test)]
mod tests {
    //! The Rust front-end through [`lower_file`]: calls with their lines, test code left out,
    //! child modules, and syntax errors.

    use super::*;

    const MAIN: &str = "mod store;

async fn handler(client: &aws_sdk_s3::Client) {
    client.get_object().bucket(\"inbox\").key(\"k\").send().await.unwrap();
}

#[cfg(test)]
mod tests {
    async fn only_in_tests(client: &aws_sdk_s3::Client) {
        client.delete_object().bucket(\"inbox\").send().await.unwrap();
    }
}
";

    #[test]
    fn calls_keep_their_lines_and_test_code_is_left_out() {
        let m = lower_file(Path::new("src/main.rs"), MAIN);
        assert_eq!(m.language, Some(Language::Rust));
        assert!(m.diagnostics.is_empty(), "{:?}", m.diagnostics);
        let c = m.call_lines();
        assert!(
            c.iter().any(|(l, c)| *l == 4 && c.contains("get_object")),
            "{c:?}"
        );
        assert!(!c.iter().any(|(_, c)| c.contains("delete_object")), "{c:?}");
    }

    #[test]
    fn a_module_declared_by_name_is_a_child() {
        let m = lower_file(Path::new("src/main.rs"), MAIN);
        assert_eq!(m.children, ["self::store"]);
        assert_eq!(m.import_line("self::store"), 1);
    }

    #[test]
    fn a_syntax_error_is_one_diagnostic_at_its_line() {
        let m = lower_file(Path::new("src/main.rs"), "fn main() {}\n\nfn broken( {\n");
        let found: Vec<(&str, u32)> = m
            .diagnostics
            .iter()
            .map(|d| (d.code, d.location.line))
            .collect();
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "syntax-error");
        assert!(m.functions.iter().all(|f| f.calls.is_empty()));
    }
}
