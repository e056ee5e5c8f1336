//! Lowers one Python file to a [`ModuleIr`] with ruff_python_parser: a pre-pass builds each scope's
//! bindings (module, functions, with Python's rule that a name assigned in a function is local), then
//! a walk records each function's calls (keyword arguments become one trailing object), references
//! and return values, and the module's top-level names as exports.

use ruff_python_ast::visitor::{walk_expr, walk_stmt, Visitor};
use ruff_python_ast::{self as ast, Expr as PyExpr, Stmt};
use ruff_text_size::{Ranged, TextSize};
use rustc_hash::FxHashMap as HashMap;
use slz_core::diagnostics::Diagnostic;
use slz_core::ir::{
    BinOp, CallBudget, CallSite, Expr, FuncId, FunctionIr, Language, LineIndex, ModuleIr,
};
use std::path::Path;

mod text;

const MAX_DEPTH: usize = 96;

pub fn lower_file(path: &Path, source: &str) -> ModuleIr {
    let lines = LineIndex::new(source);
    let parsed = ruff_python_parser::parse_unchecked_source(source, ast::PySourceType::Python);
    let mut module = ModuleIr {
        path: path.to_path_buf(),
        language: Some(Language::Python),
        ..ModuleIr::default()
    };
    if let Some(err) = parsed.errors().first() {
        let (line, column) = lines.position(err.location.start().to_u32());
        module.diagnostics.push(Diagnostic::syntax_error(
            path,
            line,
            column,
            &err.error.to_string(),
        ));
        return module;
    }
    let body = &parsed.syntax().body;
    let mut scopes = Scopes::default();
    scopes.build(body, None, 0);
    let lw = Lowerer {
        scopes: &scopes,
        memo: Default::default(),
    };
    let mut walker = Walker {
        lw: &lw,
        lines: &lines,
        functions: vec![
            FunctionIr {
                name: "<module>".into(),
                line: 1,
                ..FunctionIr::default()
            };
            scopes.scopes.len()
        ],
        stack: vec![0],
        module: &mut module,
        budget: CallBudget::default(),
    };
    for (i, s) in scopes.scopes.iter().enumerate() {
        walker.functions[i].name = s.name.clone();
        walker.functions[i].line = s.line_offset.map(|o| lines.position(o).0).unwrap_or(1);
    }
    for stmt in body {
        walker.visit_stmt(stmt);
    }
    let too_complex = walker.budget.diagnostic(path);
    let functions = walker.functions;
    module.diagnostics.extend(too_complex);
    // What a module star-imports it also exports (`from a import *` re-exports a's names).
    module
        .star_exports
        .extend(scopes.star_imports.iter().cloned());
    let names: Vec<String> = scopes.scopes[0].bindings.keys().cloned().collect();
    for name in names {
        let value = lw.name_in(0, &name, 0);
        module.exports.insert(name, value);
    }
    module.functions = functions;
    module
}

/// Python's builtins: never taken from a star-imported module, so that `str(x)` and the like keep
/// their meaning beside `from m import *`.
const BUILTINS: &[&str] = &[
    "abs",
    "all",
    "any",
    "bool",
    "bytes",
    "callable",
    "chr",
    "dict",
    "dir",
    "divmod",
    "enumerate",
    "filter",
    "float",
    "format",
    "frozenset",
    "getattr",
    "hasattr",
    "hash",
    "hex",
    "id",
    "int",
    "isinstance",
    "issubclass",
    "iter",
    "len",
    "list",
    "map",
    "max",
    "min",
    "next",
    "object",
    "oct",
    "open",
    "ord",
    "pow",
    "print",
    "range",
    "repr",
    "reversed",
    "round",
    "set",
    "setattr",
    "sorted",
    "str",
    "sum",
    "super",
    "tuple",
    "type",
    "vars",
    "zip",
];

#[derive(Clone)]
enum Binding<'a> {
    Value(&'a PyExpr),
    /// `a, b = ...` and loop targets: not tracked.
    Opaque,
    Func(FuncId),
    Class(&'a ast::StmtClassDef),
    Import {
        module: String,
        name: String,
    },
    Param(FuncId, u32),
}

#[derive(Default)]
struct Scope<'a> {
    name: String,
    parent: Option<FuncId>,
    bindings: HashMap<String, Vec<Binding<'a>>>,
    /// `self.x = value` in the methods of a class, by attribute.
    self_attrs: HashMap<String, Vec<&'a PyExpr>>,
    line_offset: Option<u32>,
    decorated: bool,
}

#[derive(Default)]
struct Scopes<'a> {
    scopes: Vec<Scope<'a>>,
    /// Function id by the offset of its `def`.
    by_offset: HashMap<u32, FuncId>,
    /// Class methods by class offset.
    class_methods: HashMap<u32, Vec<(String, FuncId)>>,
    /// Class attributes and nested classes by class offset.
    class_attrs: HashMap<u32, Vec<(String, ClassAttr<'a>)>>,
    /// The class each method belongs to.
    method_class: HashMap<FuncId, &'a ast::StmtClassDef>,
    current_class: Option<&'a ast::StmtClassDef>,
    /// Modules of `from m import *`, in source order: a name bound nowhere is looked up in them.
    star_imports: Vec<String>,
}

#[derive(Clone, Copy)]
enum ClassAttr<'a> {
    Value(&'a PyExpr),
    Class(&'a ast::StmtClassDef),
}

fn module_name(from: &ast::StmtImportFrom) -> String {
    let dots = ".".repeat(from.level as usize);
    format!(
        "{dots}{}",
        from.module.as_ref().map(|m| m.as_str()).unwrap_or("")
    )
}

impl<'a> Scopes<'a> {
    fn new_scope(&mut self, name: String, parent: Option<FuncId>, offset: Option<u32>) -> FuncId {
        self.scopes.push(Scope {
            name,
            parent,
            line_offset: offset,
            ..Scope::default()
        });
        FuncId::try_from(self.scopes.len() - 1).unwrap_or(FuncId::MAX)
    }

    fn bind(&mut self, scope: FuncId, name: &str, b: Binding<'a>) {
        self.scopes[scope as usize]
            .bindings
            .entry(name.to_string())
            .or_default()
            .push(b);
    }

    fn bind_target(&mut self, scope: FuncId, target: &'a PyExpr, value: Option<&'a PyExpr>) {
        match target {
            PyExpr::Name(n) => {
                let b = value.map(Binding::Value).unwrap_or(Binding::Opaque);
                self.bind(scope, n.id.as_str(), b);
            }
            PyExpr::Tuple(t) => t.elts.iter().for_each(|e| self.bind_target(scope, e, None)),
            PyExpr::List(t) => t.elts.iter().for_each(|e| self.bind_target(scope, e, None)),
            PyExpr::Starred(s) => self.bind_target(scope, &s.value, None),
            _ => {}
        }
    }

    /// Builds the scope `scope` from `body`, recursing into nested functions and classes.
    fn build(&mut self, body: &'a [Stmt], class_of: Option<(FuncId, u32)>, scope: FuncId) {
        if self.scopes.is_empty() {
            self.new_scope("<module>".into(), None, None);
        }
        for stmt in body {
            self.build_stmt(stmt, class_of, scope);
        }
    }

    fn build_stmt(&mut self, stmt: &'a Stmt, class_of: Option<(FuncId, u32)>, scope: FuncId) {
        match stmt {
            Stmt::FunctionDef(f) => {
                let offset = f.range.start().to_u32();
                let id = self.new_scope(f.name.to_string(), Some(scope), Some(offset));
                self.by_offset.insert(offset, id);
                self.scopes[id as usize].decorated = !f.decorator_list.is_empty();
                match class_of {
                    Some((_, class_offset)) => {
                        self.class_methods
                            .entry(class_offset)
                            .or_default()
                            .push((f.name.to_string(), id));
                        if let Some(c) = self.current_class {
                            self.method_class.insert(id, c);
                        }
                    }
                    None => self.bind(scope, f.name.as_str(), Binding::Func(id)),
                }
                let params = &f.parameters;
                let all = params
                    .posonlyargs
                    .iter()
                    .chain(params.args.iter())
                    .chain(params.kwonlyargs.iter());
                for (i, p) in all.enumerate() {
                    let b = Binding::Param(id, u32::try_from(i).unwrap_or(0));
                    self.bind(id, p.parameter.name.as_str(), b);
                }
                self.build(&f.body, None, id);
                if let Some((class_scope, _)) = class_of {
                    // `self.x = ...` inside a method describes the instance.
                    let attrs: Vec<(String, &'a PyExpr)> = collect_self_attrs(&f.body);
                    for (k, v) in attrs {
                        self.scopes[class_scope as usize]
                            .self_attrs
                            .entry(k)
                            .or_default()
                            .push(v);
                    }
                }
            }
            Stmt::ClassDef(c) => {
                if class_of.is_none() {
                    self.bind(scope, c.name.as_str(), Binding::Class(c));
                }
                let offset = c.range.start().to_u32();
                self.class_methods.entry(offset).or_default();
                let outer = self.current_class.replace(c);
                for s in &c.body {
                    match s {
                        Stmt::FunctionDef(_) => self.build_stmt(s, Some((scope, offset)), scope),
                        // Class attributes and nested classes (`class Meta: table_name = ...`)
                        // belong to the class value, not to the enclosing scope.
                        Stmt::Assign(a) => {
                            for t in &a.targets {
                                if let PyExpr::Name(n) = t {
                                    self.class_attrs
                                        .entry(offset)
                                        .or_default()
                                        .push((n.id.to_string(), ClassAttr::Value(&a.value)));
                                }
                            }
                        }
                        Stmt::AnnAssign(a) => {
                            if let (PyExpr::Name(n), Some(v)) = (a.target.as_ref(), &a.value) {
                                self.class_attrs
                                    .entry(offset)
                                    .or_default()
                                    .push((n.id.to_string(), ClassAttr::Value(v)));
                            }
                        }
                        Stmt::ClassDef(inner) => {
                            self.class_attrs
                                .entry(offset)
                                .or_default()
                                .push((inner.name.to_string(), ClassAttr::Class(inner)));
                            self.build_stmt(s, Some((scope, offset)), scope);
                        }
                        other => self.build_stmt(other, None, scope),
                    }
                }
                self.current_class = outer;
            }
            Stmt::Assign(a) => {
                for t in &a.targets {
                    self.bind_target(scope, t, Some(&a.value));
                }
            }
            Stmt::AnnAssign(a) => self.bind_target(scope, &a.target, a.value.as_deref()),
            Stmt::AugAssign(a) => self.bind_target(scope, &a.target, None),
            Stmt::Import(i) => {
                for alias in &i.names {
                    let full = alias.name.to_string();
                    match &alias.asname {
                        Some(as_name) => self.bind(
                            scope,
                            as_name.as_str(),
                            Binding::Import {
                                module: full,
                                name: "*".into(),
                            },
                        ),
                        None => {
                            let top = full.split('.').next().unwrap_or(&full).to_string();
                            self.bind(
                                scope,
                                &top,
                                Binding::Import {
                                    module: top.clone(),
                                    name: "*".into(),
                                },
                            );
                        }
                    }
                }
            }
            Stmt::ImportFrom(i) => {
                let module = module_name(i);
                for alias in &i.names {
                    if alias.name.as_str() == "*" {
                        if !self.star_imports.contains(&module) {
                            self.star_imports.push(module.clone());
                        }
                        continue;
                    }
                    let local = alias.asname.as_ref().unwrap_or(&alias.name).to_string();
                    self.bind(
                        scope,
                        &local,
                        Binding::Import {
                            module: module.clone(),
                            name: alias.name.to_string(),
                        },
                    );
                }
            }
            Stmt::With(w) => {
                for item in &w.items {
                    if let Some(v) = &item.optional_vars {
                        self.bind_target(scope, v, Some(&item.context_expr));
                    }
                }
                self.build(&w.body, class_of, scope);
            }
            Stmt::For(f) => {
                self.bind_target(scope, &f.target, None);
                self.build(&f.body, class_of, scope);
                self.build(&f.orelse, class_of, scope);
            }
            Stmt::While(w) => {
                self.build(&w.body, class_of, scope);
                self.build(&w.orelse, class_of, scope);
            }
            Stmt::If(i) => {
                self.build(&i.body, class_of, scope);
                for c in &i.elif_else_clauses {
                    self.build(&c.body, class_of, scope);
                }
            }
            Stmt::Try(t) => {
                self.build(&t.body, class_of, scope);
                for h in &t.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    self.build(&h.body, class_of, scope);
                }
                self.build(&t.orelse, class_of, scope);
                self.build(&t.finalbody, class_of, scope);
            }
            Stmt::Match(m) => {
                for c in &m.cases {
                    self.build(&c.body, class_of, scope);
                }
            }
            _ => {}
        }
    }
}

fn collect_self_attrs(body: &[Stmt]) -> Vec<(String, &PyExpr)> {
    struct V<'a> {
        out: Vec<(String, &'a PyExpr)>,
    }
    impl<'a> Visitor<'a> for V<'a> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if let Stmt::Assign(a) = stmt {
                for t in &a.targets {
                    if let PyExpr::Attribute(at) = t {
                        if matches!(at.value.as_ref(), PyExpr::Name(n) if n.id.as_str() == "self") {
                            self.out.push((at.attr.to_string(), &a.value));
                        }
                    }
                }
            }
            if !matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
                walk_stmt(self, stmt);
            }
        }
    }
    let mut v = V { out: Vec::new() };
    for s in body {
        v.visit_stmt(s);
    }
    v.out
}

struct Lowerer<'s, 'a> {
    scopes: &'s Scopes<'a>,
    /// Each binding's value by (scope, name), and each class's, lowered once.
    memo: slz_lang::memo::Memo<(FuncId, String)>,
}

impl<'s, 'a> Lowerer<'s, 'a> {
    /// The scope that binds `name` as seen from `scope` (class bodies are skipped, as in Python).
    fn resolve_scope(&self, scope: FuncId, name: &str) -> Option<FuncId> {
        let mut s = Some(scope);
        while let Some(id) = s {
            if self.scopes.scopes[id as usize].bindings.contains_key(name) {
                return Some(id);
            }
            s = self.scopes.scopes[id as usize].parent;
        }
        None
    }

    /// A name no scope binds: from the last `from m import *` that exports it (a later star import
    /// shadows an earlier one, as in Python), else a global (a builtin).
    fn unbound(&self, name: &str) -> Expr {
        if self.scopes.star_imports.is_empty() || BUILTINS.contains(&name) {
            return Expr::Global(name.to_string());
        }
        let mut alts: Vec<Expr> = self
            .scopes
            .star_imports
            .iter()
            .rev()
            .map(|module| Expr::Import {
                module: module.clone(),
                name: name.to_string(),
            })
            .collect();
        alts.push(Expr::Global(name.to_string()));
        Expr::Or(alts)
    }

    fn name_in(&self, scope: FuncId, name: &str, depth: usize) -> Expr {
        let Some(owner) = self.resolve_scope(scope, name) else {
            return self.unbound(name);
        };
        self.memo.lower(
            (owner, name.to_string()),
            || Expr::Unknown(format!("`{name}` is defined in terms of itself")),
            || {
                let bindings = self.scopes.scopes[owner as usize]
                    .bindings
                    .get(name)
                    .cloned()
                    .unwrap_or_default();
                let mut alts: Vec<Expr> = bindings
                    .iter()
                    .map(|b| match b {
                        Binding::Value(v) => self.expr(v, owner, depth + 1),
                        Binding::Opaque => {
                            Expr::Unknown(format!("`{name}` is unpacked or a loop variable"))
                        }
                        Binding::Func(id) => Expr::Func(*id),
                        Binding::Class(c) => self.class_memo(c),
                        Binding::Import { module, name } => Expr::Import {
                            module: module.clone(),
                            name: name.clone(),
                        },
                        Binding::Param(f, i) => Expr::Param(*f, *i),
                    })
                    .collect();
                alts.dedup();
                let e = if alts.len() == 1 {
                    alts.pop().unwrap_or(Expr::Null)
                } else {
                    Expr::Either(alts)
                };
                e.bounded(name)
            },
        )
    }

    fn class_memo(&self, c: &ast::StmtClassDef) -> Expr {
        let key = (FuncId::MAX, format!("<class@{}>", c.range.start().to_u32()));
        self.memo.lower(key, || Expr::This, || self.class(c))
    }

    /// A class as an object: its methods, class attributes, nested classes, and `__bases__`.
    fn class(&self, c: &ast::StmtClassDef) -> Expr {
        let offset = c.range.start().to_u32();
        let methods = self
            .scopes
            .class_methods
            .get(&offset)
            .cloned()
            .unwrap_or_default();
        let mut fields: Vec<(String, Expr)> = methods
            .into_iter()
            .map(|(n, id)| (n, Expr::Func(id)))
            .collect();
        for (name, attr) in self.scopes.class_attrs.get(&offset).into_iter().flatten() {
            let v = match attr {
                ClassAttr::Value(v) => self.expr(v, 0, 1),
                ClassAttr::Class(inner) => self.class(inner),
            };
            fields.push((name.clone(), v));
        }
        // What its methods assign to `self.x` describes its instances (`w = Worker();
        // w.sns.publish(...)`), lowered in the method that assigns it; methods and class
        // attributes of the same name come first.
        let methods: HashMap<String, FuncId> = self
            .scopes
            .class_methods
            .get(&offset)
            .into_iter()
            .flatten()
            .cloned()
            .collect();
        let mut instance: Vec<(String, Vec<Expr>)> = Vec::new();
        for stmt in &c.body {
            let Stmt::FunctionDef(f) = stmt else {
                continue;
            };
            let Some(&scope) = methods.get(f.name.as_str()) else {
                continue;
            };
            for (name, value) in collect_self_attrs(&f.body) {
                if fields.iter().any(|(n, _)| *n == name) {
                    continue;
                }
                let v = self.expr(value, scope, 1);
                match instance.iter_mut().find(|(n, _)| *n == name) {
                    Some((_, vs)) => vs.push(v),
                    None => instance.push((name, vec![v])),
                }
            }
        }
        for (name, mut values) in instance {
            values.dedup();
            let v = if values.len() == 1 {
                values.pop().unwrap_or(Expr::Null)
            } else {
                Expr::Either(values)
            };
            fields.push((name, v));
        }
        if let Some(args) = &c.arguments {
            let bases = args.args.iter().map(|b| self.expr(b, 0, 1)).collect();
            fields.push(("__bases__".into(), Expr::Array(bases)));
        }
        fields.push(("__class__".into(), Expr::Str(c.name.to_string())));
        Expr::Object(fields)
    }

    fn call_args(&self, args: &ast::Arguments, scope: FuncId, depth: usize) -> Vec<Expr> {
        let mut out: Vec<Expr> = args
            .args
            .iter()
            .map(|a| match a {
                PyExpr::Starred(_) => Expr::Unknown("*args".into()),
                other => self.expr(other, scope, depth + 1),
            })
            .collect();
        if !args.keywords.is_empty() {
            let mut fields = Vec::new();
            for k in &args.keywords {
                match &k.arg {
                    Some(name) => {
                        fields.push((name.to_string(), self.expr(&k.value, scope, depth + 1)))
                    }
                    None => match self.expr(&k.value, scope, depth + 1) {
                        Expr::Object(inner) => fields.extend(inner),
                        _ => fields.push(("**".into(), Expr::Unknown("**kwargs".into()))),
                    },
                }
            }
            out.push(Expr::Object(fields));
        }
        out
    }

    fn expr(&self, e: &PyExpr, scope: FuncId, depth: usize) -> Expr {
        if depth > MAX_DEPTH {
            return Expr::Unknown("expression nested too deeply".into());
        }
        let d = depth + 1;
        match e {
            PyExpr::StringLiteral(s) => Expr::Str(s.value.to_str().to_string()),
            PyExpr::NumberLiteral(n) => match &n.value {
                ast::Number::Int(i) => Expr::Num(i.to_string()),
                // `{:?}` keeps the `.0` of a whole float: `5.0` stays a float.
                ast::Number::Float(f) => Expr::Num(format!("{f:?}")),
                ast::Number::Complex { .. } => Expr::Unknown("a complex number".into()),
            },
            PyExpr::BooleanLiteral(b) => Expr::Bool {
                value: b.value,
                text: if b.value { "True" } else { "False" }.into(),
            },
            PyExpr::NoneLiteral(_) => Expr::Nil("None".into()),
            PyExpr::FString(f) => {
                let mut parts = Vec::new();
                for part in f.value.iter() {
                    match part {
                        ast::FStringPart::Literal(l) => parts.push(Expr::Str(l.value.to_string())),
                        ast::FStringPart::FString(fs) => {
                            for el in fs.elements.iter() {
                                match el {
                                    ast::InterpolatedStringElement::Literal(l) => {
                                        parts.push(Expr::Str(l.value.to_string()))
                                    }
                                    ast::InterpolatedStringElement::Interpolation(i) => {
                                        parts.push(self.interpolation(i, scope, d))
                                    }
                                }
                            }
                        }
                    }
                }
                Expr::Concat(parts)
            }
            PyExpr::Name(n) => {
                if n.id.as_str() == "self" {
                    if let Some(owner) = self.resolve_scope(scope, "self") {
                        // `self` in a method is an instance of its class: the class object.
                        return match self.scopes.method_class.get(&owner) {
                            Some(c) => self.class_memo(c),
                            None => Expr::This,
                        };
                    }
                }
                self.name_in(scope, n.id.as_str(), d)
            }
            PyExpr::Attribute(a) => {
                if matches!(a.value.as_ref(), PyExpr::Name(n) if n.id.as_str() == "self") {
                    let values: Vec<Expr> = self
                        .scopes
                        .scopes
                        .iter()
                        .flat_map(|s| s.self_attrs.get(a.attr.as_str()).into_iter().flatten())
                        .map(|v| self.expr(v, scope, d))
                        .collect();
                    if !values.is_empty() {
                        return if values.len() == 1 {
                            values.into_iter().next().unwrap_or(Expr::Null)
                        } else {
                            Expr::Either(values)
                        };
                    }
                }
                let obj = self.expr(&a.value, scope, d);
                if is_os_environ(&obj) {
                    return Expr::Unknown("os.environ".into());
                }
                Expr::Member(Box::new(obj), a.attr.to_string())
            }
            PyExpr::Subscript(s) => {
                let obj = self.expr(&s.value, scope, d);
                let key = self.expr(&s.slice, scope, d);
                if let (true, Expr::Str(k)) = (is_os_environ_expr(&s.value), &key) {
                    return Expr::Env(k.clone());
                }
                match key {
                    Expr::Str(k) => Expr::Member(Box::new(obj), k),
                    other => Expr::Index(Box::new(obj), Box::new(other)),
                }
            }
            PyExpr::Call(c) => {
                // os.environ.get('X', d) / os.getenv('X', d)
                if let Some(env) = self.env_call(c, scope, d) {
                    return env;
                }
                if let Some(text) = self.text_call(c, scope, d) {
                    return text;
                }
                Expr::Call(
                    Box::new(self.expr(&c.func, scope, d)),
                    self.call_args(&c.arguments, scope, d),
                )
            }
            PyExpr::BinOp(b) => self.binary(b, scope, d),
            PyExpr::UnaryOp(u) if u.op == ast::UnaryOp::USub => Expr::Binary(
                BinOp::Sub,
                Box::new(Expr::Num("0".into())),
                Box::new(self.expr(&u.operand, scope, d)),
            ),
            PyExpr::BoolOp(b) => match b.op {
                ast::BoolOp::Or => {
                    Expr::Or(b.values.iter().map(|v| self.expr(v, scope, d)).collect())
                }
                ast::BoolOp::And => b
                    .values
                    .last()
                    .map(|v| self.expr(v, scope, d))
                    .unwrap_or(Expr::Null),
            },
            PyExpr::If(i) => Expr::Either(vec![
                self.expr(&i.body, scope, d),
                self.expr(&i.orelse, scope, d),
            ]),
            PyExpr::Dict(dict) => {
                let mut fields = Vec::new();
                for item in &dict.items {
                    match &item.key {
                        Some(k) => match self.expr(k, scope, d) {
                            Expr::Str(key) => fields.push((key, self.expr(&item.value, scope, d))),
                            _ => fields.push(("?".into(), self.expr(&item.value, scope, d))),
                        },
                        None => {
                            if let Expr::Object(inner) = self.expr(&item.value, scope, d) {
                                fields.extend(inner);
                            }
                        }
                    }
                }
                Expr::Object(fields)
            }
            PyExpr::List(l) => Expr::Array(l.elts.iter().map(|x| self.expr(x, scope, d)).collect()),
            PyExpr::Tuple(t) => {
                Expr::Array(t.elts.iter().map(|x| self.expr(x, scope, d)).collect())
            }
            PyExpr::Await(a) => self.expr(&a.value, scope, d),
            PyExpr::Named(n) => self.expr(&n.value, scope, d),
            _ => Expr::Unknown("a computed value".into()),
        }
    }

    fn env_call(&self, c: &ast::ExprCall, scope: FuncId, d: usize) -> Option<Expr> {
        let PyExpr::Attribute(a) = c.func.as_ref() else {
            return None;
        };
        let is_get = a.attr.as_str() == "get" && is_os_environ_expr(&a.value);
        let is_getenv = a.attr.as_str() == "getenv"
            && matches!(a.value.as_ref(), PyExpr::Name(n) if n.id.as_str() == "os");
        if !(is_get || is_getenv) {
            return None;
        }
        let args = self.call_args(&c.arguments, scope, d);
        let Some(Expr::Str(name)) = args.first() else {
            return Some(Expr::Unknown("an env var chosen at run time".into()));
        };
        let env = Expr::Env(name.clone());
        Some(match args.get(1) {
            Some(default @ (Expr::Str(_) | Expr::Concat(_) | Expr::Env(_))) => {
                Expr::Or(vec![env, default.clone()])
            }
            _ => env,
        })
    }
}

fn is_os_environ_expr(e: &PyExpr) -> bool {
    matches!(e, PyExpr::Attribute(a) if a.attr.as_str() == "environ" && matches!(a.value.as_ref(), PyExpr::Name(n) if n.id.as_str() == "os"))
        || matches!(e, PyExpr::Name(n) if n.id.as_str() == "environ")
}

fn is_os_environ(e: &Expr) -> bool {
    matches!(e, Expr::Member(obj, p) if p == "environ" && matches!(obj.as_ref(), Expr::Import { module, .. } if module == "os"))
}

struct Walker<'w, 's, 'a> {
    lw: &'w Lowerer<'s, 'a>,
    lines: &'w LineIndex,
    functions: Vec<FunctionIr>,
    stack: Vec<FuncId>,
    module: &'w mut ModuleIr,
    budget: CallBudget,
}

impl Walker<'_, '_, '_> {
    fn current(&self) -> FuncId {
        *self.stack.last().unwrap_or(&0)
    }

    fn func(&mut self) -> &mut FunctionIr {
        let id = self.current() as usize;
        &mut self.functions[id]
    }
}

impl<'a> Visitor<'a> for Walker<'_, '_, 'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(f) => {
                let Some(&id) = self.lw.scopes.by_offset.get(&f.range.start().to_u32()) else {
                    return;
                };
                for dec in &f.decorator_list {
                    self.visit_expr(&dec.expression);
                }
                // Decorated module-level functions (Flask/Chalice routes, framework handlers) run
                // when the framework dispatches to them: reachable with their module.
                // Methods are reached through their class (or, when the receiver is not known,
                // by name: see the evaluator).
                let scope = &self.lw.scopes.scopes[id as usize];
                let is_method = !self.lw.scopes.scopes[scope.parent.unwrap_or(0) as usize]
                    .bindings
                    .get(f.name.as_str())
                    .is_some_and(|bs| bs.iter().any(|b| matches!(b, Binding::Func(x) if *x == id)));
                if scope.decorated && !is_method {
                    self.func().refs.push(Expr::Func(id));
                }
                self.functions[id as usize].is_method = is_method;
                self.stack.push(id);
                for s in &f.body {
                    self.visit_stmt(s);
                }
                self.stack.pop();
            }
            Stmt::Return(r) => {
                if let Some(v) = &r.value {
                    let e = self.lw.expr(v, self.current(), 0);
                    self.func().returns.push(e);
                }
                walk_stmt(self, stmt);
            }
            Stmt::Import(i) => {
                let (line, _) = self.lines.position(i.range.start().to_u32());
                for a in &i.names {
                    self.module.imports.push((a.name.to_string(), line));
                }
            }
            Stmt::ImportFrom(i) => {
                let (line, _) = self.lines.position(i.range.start().to_u32());
                self.module.imports.push((module_name(i), line));
            }
            _ => walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'a PyExpr) {
        match expr {
            PyExpr::Call(c) => {
                let (at, _) = self.lines.position(c.range().start().to_u32());
                if !self.budget.take(c.range().len().to_usize(), at) {
                    return walk_expr(self, expr);
                }
                let scope = self.current();
                let callee = self.lw.expr(&c.func, scope, 0);
                let args = self.lw.call_args(&c.arguments, scope, 0);
                let start: TextSize = c.range().start();
                let (line, column) = self.lines.position(start.to_u32());
                self.func().calls.push(CallSite {
                    callee,
                    args,
                    is_new: false,
                    line,
                    column,
                });
            }
            PyExpr::Name(n) if self.stack.len() > 1 => {
                let e = self.lw.name_in(self.current(), n.id.as_str(), 0);
                if matches!(e, Expr::Func(_) | Expr::Import { .. } | Expr::Member(..)) {
                    self.func().refs.push(e);
                }
            }
            PyExpr::Lambda(_) => {}
            _ => {}
        }
        walk_expr(self, expr);
    }
}

#[cfg(test)]
mod tests {
    //! The Python front-end through [`lower_file`]: exports, imports, calls with their lines, and
    //! syntax errors.

    use super::*;

    #[test]
    fn functions_are_exports_and_imports_and_calls_keep_their_lines() {
        let m = lower_file(
            Path::new("app.py"),
            "import boto3\nfrom .helpers import table\n\ns3 = boto3.client(\"s3\")\n\n\ndef handler(event, context):\n    s3.get_object(Bucket=\"b\", Key=event[\"key\"])\n    return table.get_item(Key={})\n",
        );
        assert_eq!(m.language, Some(Language::Python));
        assert!(m.diagnostics.is_empty(), "{:?}", m.diagnostics);
        assert!(m.exports.contains_key("handler"));
        assert_eq!(m.import_line("boto3"), 1);
        assert!(
            m.imports
                .iter()
                .any(|(s, l)| s.contains("helpers") && *l == 2),
            "{:?}",
            m.imports
        );
        let c = m.call_lines();
        assert!(
            c.iter().any(|(l, c)| *l == 8 && c.contains("get_object")),
            "{c:?}"
        );
        assert!(
            c.iter().any(|(l, c)| *l == 9 && c.contains("get_item")),
            "{c:?}"
        );
    }

    #[test]
    fn a_syntax_error_is_one_diagnostic_and_nothing_is_exported() {
        let m = lower_file(
            Path::new("bad.py"),
            "import boto3\n\ndef handler(event:\n    pass\n",
        );
        let found: Vec<(&str, u32)> = m
            .diagnostics
            .iter()
            .map(|d| (d.code, d.location.line))
            .collect();
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "syntax-error");
        assert!(!m.exports.contains_key("handler"));
    }
}
