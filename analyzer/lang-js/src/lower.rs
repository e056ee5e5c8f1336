//! Lowers one JavaScript/TypeScript file to a [`ModuleIr`] with oxc: parse, build scopes
//! (oxc_semantic resolves every identifier to its declaration), then record each function's calls,
//! references and return values, and the module's exports, as language-neutral [`Expr`]s.

use oxc_allocator::Allocator;
use oxc_ast::ast::*;
use oxc_ast_visit::{walk, Visit};
use oxc_parser::Parser;
use oxc_semantic::{Scoping, SemanticBuilder, SymbolId};
use oxc_span::{GetSpan, SourceType, Span};
use rustc_hash::FxHashMap as HashMap;
use slz_core::diagnostics::Diagnostic;
use slz_core::ir::{
    Align, BinOp, CallBudget, CallSite, Expr, FmtSpec, FuncId, FunctionIr, Language, LineIndex,
    ModuleIr, Width,
};
use std::cell::RefCell;
use std::path::Path;

/// Deepest expression nesting lowered; deeper parts become `Unknown` instead of overflowing.
const MAX_DEPTH: usize = 96;

/// Parses and lowers `source` (the text of `path`, relative to the project root).
pub fn lower_file(path: &Path, source: &str) -> ModuleIr {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("js");
    let source_type = match ext {
        "ts" | "mts" | "cts" => SourceType::ts(),
        "tsx" => SourceType::tsx(),
        "jsx" => SourceType::jsx(),
        "cjs" => SourceType::cjs(),
        "mjs" => SourceType::mjs(),
        _ => SourceType::unambiguous().with_jsx(true),
    };
    let language = if matches!(ext, "ts" | "mts" | "cts" | "tsx") {
        Language::TypeScript
    } else {
        Language::JavaScript
    };
    let allocator = Allocator::default();
    let ret = Parser::new(&allocator, source, source_type).parse();
    let lines = LineIndex::new(source);
    let mut module = ModuleIr {
        path: path.to_path_buf(),
        language: Some(language),
        ..ModuleIr::default()
    };
    if ret.panicked || ret.diagnostics.has_errors() {
        let (line, column, msg) = match ret.diagnostics.errors().next() {
            Some(e) => {
                let offset = e.labels.first().map(|l| l.offset()).unwrap_or(0);
                let (line, col) = lines.position(offset);
                (line, col, e.message.to_string())
            }
            None => (1, 1, "the parser gave up".to_string()),
        };
        module
            .diagnostics
            .push(Diagnostic::syntax_error(path, line, column, &msg));
        if ret.panicked {
            return module;
        }
    }
    let semantic = SemanticBuilder::new().build(&ret.program).semantic;
    let scoping = semantic.scoping();
    let mut decls = Declarations::default();
    decls.visit_program(&ret.program);
    // Indexes built once, so each lookup while lowering is constant time (a file may hold tens
    // of thousands of functions, parameters and assignments).
    let mut span_order: HashMap<u32, usize> = HashMap::default();
    for (i, &start) in decls.function_spans.iter().enumerate() {
        span_order.entry(start).or_insert(i);
    }
    let mut param_index: HashMap<SymbolId, (u32, u32, Vec<String>)> = HashMap::default();
    for (&start, params) in &decls.params {
        for (i, p) in params.iter().enumerate() {
            let mut out = Vec::new();
            pattern_bindings(p, &mut Vec::new(), &mut out);
            for (sym, path) in out {
                param_index
                    .entry(sym)
                    .or_insert((start, u32::try_from(i).unwrap_or(0), path));
            }
        }
    }
    let mut assigned_by_sym: HashMap<SymbolId, Vec<&Expression<'_>>> = HashMap::default();
    for (r, e) in &decls.assigned_by_ref {
        if let Some(sym) = scoping.get_reference(*r).symbol_id() {
            assigned_by_sym.entry(sym).or_default().push(*e);
        }
    }
    let lowerer = Lowerer {
        scoping,
        decls: &decls,
        span_order,
        param_index,
        assigned_by_sym,
        source,
        func_ids: RefCell::new(HashMap::default()),
        symbols: Default::default(),
    };
    let mut walker = Walker {
        lw: &lowerer,
        lines: &lines,
        functions: vec![FunctionIr {
            name: "<module>".into(),
            line: 1,
            ..FunctionIr::default()
        }],
        stack: vec![0],
        top_level_binding_init: 0,
        module: &mut module,
        budget: CallBudget::default(),
    };
    walker.visit_program(&ret.program);
    walker.exports(&ret.program);
    let too_complex = walker.budget.diagnostic(path);
    let mut functions = walker.functions;
    module.diagnostics.extend(too_complex);
    // Functions allocated while lowering values but never walked (none in valid code) stay empty.
    let n = lowerer.func_ids.borrow().len() + 1;
    if functions.len() < n {
        functions.resize(n, FunctionIr::default());
    }
    module.functions = functions;
    module
}

/// What a symbol was declared as.
enum Decl<'a> {
    /// `const x = init`, with the destructuring path to the binding (`const { a: { b } } = init`).
    Var {
        init: Option<&'a Expression<'a>>,
        path: Vec<String>,
    },
    Function(&'a Function<'a>),
    Import {
        module: String,
        name: String,
    },
    Class(&'a Class<'a>),
}

#[derive(Default)]
struct Declarations<'a> {
    decls: HashMap<SymbolId, Decl<'a>>,
    /// Later assignments `x = value`, by the reference assigned to.
    assigned_by_ref: Vec<(oxc_semantic::ReferenceId, &'a Expression<'a>)>,
    /// `this.prop = value` and class fields `prop = value`, by property name.
    this_props: HashMap<String, Vec<&'a Expression<'a>>>,
    /// Span starts of functions in declaration order, so ids are stable.
    function_spans: Vec<u32>,
    /// For each parameter list (by function span start), parameters in order.
    params: HashMap<u32, Vec<&'a BindingPattern<'a>>>,
}

fn pattern_bindings<'a>(
    pat: &'a BindingPattern<'a>,
    path: &mut Vec<String>,
    out: &mut Vec<(SymbolId, Vec<String>)>,
) {
    match pat {
        BindingPattern::BindingIdentifier(id) => {
            if let Some(s) = id.symbol_id.get() {
                out.push((s, path.clone()));
            }
        }
        BindingPattern::ObjectPattern(obj) => {
            for p in &obj.properties {
                let key = p
                    .key
                    .static_name()
                    .map(|k| k.to_string())
                    .unwrap_or_else(|| "?".into());
                path.push(key);
                pattern_bindings(&p.value, path, out);
                path.pop();
            }
            if let Some(rest) = &obj.rest {
                pattern_bindings(&rest.argument, path, out);
            }
        }
        BindingPattern::ArrayPattern(arr) => {
            for (i, el) in arr.elements.iter().enumerate() {
                if let Some(el) = el {
                    path.push(format!("[{i}]"));
                    pattern_bindings(el, path, out);
                    path.pop();
                }
            }
        }
        BindingPattern::AssignmentPattern(a) => pattern_bindings(&a.left, path, out),
    }
}

impl<'a> Visit<'a> for Declarations<'a> {
    fn visit_variable_declarator(&mut self, it: &VariableDeclarator<'a>) {
        let mut out = Vec::new();
        pattern_bindings(&it.id, &mut Vec::new(), &mut out);
        // SAFETY of lifetimes: `it` lives in the arena for 'a; the visitor hands out shorter borrows.
        let init: Option<&'a Expression<'a>> = it.init.as_ref().map(unsafe_extend);
        for (sym, path) in out {
            self.decls.insert(sym, Decl::Var { init, path });
        }
        walk::walk_variable_declarator(self, it);
    }

    fn visit_function(&mut self, it: &Function<'a>, flags: oxc_semantic::ScopeFlags) {
        let f: &'a Function<'a> = unsafe_extend(it);
        self.function_spans.push(it.span.start);
        if let Some(id) = &it.id {
            if let Some(s) = id.symbol_id.get() {
                self.decls.insert(s, Decl::Function(f));
            }
        }
        self.params.insert(
            it.span.start,
            f.params.items.iter().map(|p| &p.pattern).collect(),
        );
        walk::walk_function(self, it, flags);
    }

    fn visit_arrow_function_expression(&mut self, it: &ArrowFunctionExpression<'a>) {
        let f: &'a ArrowFunctionExpression<'a> = unsafe_extend(it);
        self.function_spans.push(it.span.start);
        self.params.insert(
            it.span.start,
            f.params.items.iter().map(|p| &p.pattern).collect(),
        );
        walk::walk_arrow_function_expression(self, it);
    }

    fn visit_class(&mut self, it: &Class<'a>) {
        if let Some(id) = &it.id {
            if let Some(s) = id.symbol_id.get() {
                let c: &'a Class<'a> = unsafe_extend(it);
                self.decls.insert(s, Decl::Class(c));
            }
        }
        for el in &it.body.body {
            if let ClassElement::PropertyDefinition(p) = el {
                if let (Some(name), Some(v)) = (p.key.static_name(), &p.value) {
                    let v: &'a Expression<'a> = unsafe_extend(v);
                    self.this_props.entry(name.to_string()).or_default().push(v);
                }
            }
        }
        walk::walk_class(self, it);
    }

    fn visit_import_declaration(&mut self, it: &ImportDeclaration<'a>) {
        let module = it.source.value.to_string();
        for spec in it.specifiers.iter().flatten() {
            let (local, name) = match spec {
                ImportDeclarationSpecifier::ImportSpecifier(s) => {
                    (&s.local, s.imported.name().to_string())
                }
                ImportDeclarationSpecifier::ImportDefaultSpecifier(s) => {
                    (&s.local, "default".to_string())
                }
                ImportDeclarationSpecifier::ImportNamespaceSpecifier(s) => {
                    (&s.local, "*".to_string())
                }
            };
            if let Some(sym) = local.symbol_id.get() {
                self.decls.insert(
                    sym,
                    Decl::Import {
                        module: module.clone(),
                        name,
                    },
                );
            }
        }
    }

    fn visit_assignment_expression(&mut self, it: &AssignmentExpression<'a>) {
        let right: &'a Expression<'a> = unsafe_extend(&it.right);
        match &it.left {
            AssignmentTarget::AssignmentTargetIdentifier(id) => {
                if let Some(r) = id.reference_id.get() {
                    self.assigned_by_ref.push((r, right));
                }
            }
            AssignmentTarget::StaticMemberExpression(m)
                if matches!(m.object, Expression::ThisExpression(_)) =>
            {
                self.this_props
                    .entry(m.property.name.to_string())
                    .or_default()
                    .push(right);
            }
            _ => {}
        }
        walk::walk_assignment_expression(self, it);
    }
}

/// `base.prop`, with `process.env.X` read as the env var (`const { X } = process.env`).
/// The IR operator of a JavaScript arithmetic operator (`+` adds numbers, concatenates text).
fn arithmetic(op: BinaryOperator) -> Option<BinOp> {
    Some(match op {
        BinaryOperator::Addition => BinOp::Add,
        BinaryOperator::Subtraction => BinOp::Sub,
        BinaryOperator::Multiplication => BinOp::Mul,
        BinaryOperator::Division => BinOp::Div,
        BinaryOperator::Remainder => BinOp::Rem,
        BinaryOperator::Exponential => BinOp::Pow,
        _ => return None,
    })
}

/// Methods that turn a value into text: `n.toString()`, `s.padStart(2, '0')`, `s.padEnd(n)`,
/// `[a, b].join('-')` (on an array literal or a name bound to one). None for any other call.
fn string_method(
    method: &str,
    recv: impl FnOnce() -> Expr,
    args: impl FnOnce() -> Vec<Expr>,
) -> Option<Expr> {
    match method {
        "toString" => {
            let args = args();
            let decimal = match args.as_slice() {
                [] => true,
                [Expr::Num(radix)] => radix == "10",
                _ => false,
            };
            decimal.then(|| Expr::Format(Box::new(recv()), Box::default()))
        }
        "padStart" | "padEnd" => {
            let args = args();
            let width = match args.first() {
                Some(Expr::Num(n)) => n.parse::<u32>().map_or(Width::Unknown, Width::Fixed),
                _ => Width::Unknown,
            };
            let fill = match args.get(1) {
                None => " ".to_string(),
                Some(Expr::Str(f)) => f.clone(),
                // A fill not known: the padding is not either.
                Some(_) if width == Width::Fixed(0) => String::new(),
                Some(_) => {
                    return Some(Expr::Format(
                        Box::new(recv()),
                        Box::new(FmtSpec {
                            kind: slz_core::ir::FmtKind::Unsupported,
                            ..FmtSpec::default()
                        }),
                    ))
                }
            };
            let spec = FmtSpec {
                fill,
                align: if method == "padStart" {
                    Align::Right
                } else {
                    Align::Left
                },
                width,
                ..FmtSpec::default()
            };
            Some(Expr::Format(Box::new(recv()), Box::new(spec)))
        }
        "join" => match recv() {
            items @ Expr::Array(_) => {
                let sep = args().into_iter().next().unwrap_or(Expr::Str(",".into()));
                Some(Expr::Join(Box::new(sep), Box::new(items)))
            }
            _ => None,
        },
        _ => None,
    }
}

fn member_of(base: Expr, prop: &str) -> Expr {
    if let Expr::Member(obj, env) = &base {
        if env == "env" && matches!(obj.as_ref(), Expr::Global(g) if g == "process") {
            return Expr::Env(prop.to_string());
        }
    }
    Expr::Member(Box::new(base), prop.to_string())
}

/// The AST lives in the arena for `'a`; oxc's visitor hands out borrows with the same lifetime
/// parameter but an anonymous borrow. This re-attaches `'a` to a node that is owned by the arena.
fn unsafe_extend<'a, T: ?Sized>(r: &T) -> &'a T {
    // SAFETY: every node visited is allocated in the `Allocator` that outlives the lowering, and
    // nothing is mutated while lowering.
    unsafe { &*(r as *const T) }
}

struct Lowerer<'s, 'a> {
    scoping: &'s Scoping,
    decls: &'s Declarations<'a>,
    /// The declaration order of each function, by span start (the first function there).
    span_order: HashMap<u32, usize>,
    /// Each parameter binding: its function's span start, its position and its destructuring
    /// path.
    param_index: HashMap<SymbolId, (u32, u32, Vec<String>)>,
    /// The later assignments of each symbol, in source order.
    assigned_by_sym: HashMap<SymbolId, Vec<&'a Expression<'a>>>,
    source: &'s str,
    func_ids: RefCell<HashMap<u32, FuncId>>,
    /// Each symbol's value, lowered once.
    symbols: slz_lang::memo::Memo<SymbolId>,
}

impl<'s, 'a> Lowerer<'s, 'a> {
    fn func_id(&self, span_start: u32) -> FuncId {
        let mut ids = self.func_ids.borrow_mut();
        if let Some(&id) = ids.get(&span_start) {
            return id;
        }
        // Ids follow declaration order, so they are stable for a given file.
        let order = self
            .span_order
            .get(&span_start)
            .copied()
            .unwrap_or(ids.len());
        let id = u32::try_from(order + 1).unwrap_or(u32::MAX);
        ids.insert(span_start, id);
        id
    }

    fn symbol(&self, sym: SymbolId, depth: usize) -> Expr {
        self.symbols.lower(
            sym,
            || {
                Expr::Unknown(format!(
                    "`{}` is defined in terms of itself",
                    self.scoping.symbol_name(sym)
                ))
            },
            || self.symbol_value(sym, depth),
        )
    }

    /// [`Self::symbol`]'s value, lowered once.
    fn symbol_value(&self, sym: SymbolId, depth: usize) -> Expr {
        let mut e = match self.decls.decls.get(&sym) {
            Some(Decl::Var { init, path }) => {
                let mut base = match init {
                    Some(init) => self.expr(init, depth + 1),
                    None => Expr::Unknown(format!(
                        "`{}` has no initial value",
                        self.scoping.symbol_name(sym)
                    )),
                };
                for seg in path {
                    base = match seg.strip_prefix('[') {
                        Some(_) => Expr::Unknown("array destructuring".into()),
                        None => member_of(base, seg),
                    };
                }
                base
            }
            Some(Decl::Function(f)) => Expr::Func(self.func_id(f.span.start)),
            Some(Decl::Import { module, name }) => Expr::Import {
                module: module.clone(),
                name: name.clone(),
            },
            Some(Decl::Class(c)) => self.class(c),
            None => self
                .param_of(sym)
                .unwrap_or_else(|| Expr::Unknown(format!("`{}`", self.scoping.symbol_name(sym)))),
        };
        let assigned: &[&Expression<'a>] =
            self.assigned_by_sym.get(&sym).map_or(&[], |v| v.as_slice());
        if !assigned.is_empty() {
            let mut alts = Vec::new();
            if !matches!(e, Expr::Unknown(_)) {
                alts.push(e);
            }
            alts.extend(assigned.iter().map(|a| self.expr(a, depth + 1)));
            e = if alts.len() == 1 {
                alts.pop().unwrap_or(Expr::Null)
            } else {
                Expr::Either(alts)
            };
        }
        e.bounded(self.scoping.symbol_name(sym))
    }

    /// A parameter of a function (first-level binding identifiers only).
    fn param_of(&self, sym: SymbolId) -> Option<Expr> {
        let (start, i, path) = self.param_index.get(&sym)?;
        let mut e = Expr::Param(self.func_id(*start), *i);
        for seg in path {
            e = Expr::Member(Box::new(e), seg.clone());
        }
        Some(e)
    }

    fn ident(&self, id: &IdentifierReference<'a>, depth: usize) -> Expr {
        let sym = id
            .reference_id
            .get()
            .and_then(|r| self.scoping.get_reference(r).symbol_id());
        match sym {
            Some(s) => self.symbol(s, depth),
            None if id.name == "undefined" => Expr::Nil("undefined".into()),
            None => Expr::Global(id.name.to_string()),
        }
    }

    fn args(&self, args: &[Argument<'a>], depth: usize) -> Vec<Expr> {
        args.iter()
            .map(|a| match a {
                Argument::SpreadElement(_) => Expr::Unknown("spread argument".into()),
                other => self.expr(other.to_expression(), depth + 1),
            })
            .collect()
    }

    fn expr(&self, e: &Expression<'a>, depth: usize) -> Expr {
        if depth > MAX_DEPTH {
            return Expr::Unknown("expression nested too deeply".into());
        }
        let d = depth + 1;
        match e {
            Expression::StringLiteral(s) => Expr::Str(s.value.to_string()),
            Expression::NumericLiteral(n) => Expr::Num(n.value.to_string()),
            Expression::BooleanLiteral(b) => Expr::Bool {
                value: b.value,
                text: b.value.to_string(),
            },
            Expression::NullLiteral(_) => Expr::Nil("null".into()),
            Expression::TemplateLiteral(t) => {
                let mut parts = Vec::new();
                for (i, q) in t.quasis.iter().enumerate() {
                    let text = q
                        .value
                        .cooked
                        .as_ref()
                        .map(|c| c.to_string())
                        .unwrap_or_else(|| q.value.raw.to_string());
                    if !text.is_empty() {
                        parts.push(Expr::Str(text));
                    }
                    if let Some(x) = t.expressions.get(i) {
                        parts.push(self.expr(x, d));
                    }
                }
                Expr::Concat(parts)
            }
            Expression::Identifier(id) => self.ident(id, d),
            Expression::ThisExpression(_) => Expr::This,
            Expression::StaticMemberExpression(m) => {
                self.member(&m.object, m.property.name.as_str(), d)
            }
            Expression::ComputedMemberExpression(m) => match &m.expression {
                Expression::StringLiteral(s) => self.member(&m.object, s.value.as_str(), d),
                key => Expr::Index(
                    Box::new(self.expr(&m.object, d)),
                    Box::new(self.expr(key, d)),
                ),
            },
            Expression::PrivateFieldExpression(_) => Expr::Unknown("private field".into()),
            Expression::CallExpression(c) => {
                if let Expression::Identifier(id) = &c.callee {
                    if id.name == "require" && matches!(self.ident(id, d), Expr::Global(_)) {
                        if let Some(Argument::StringLiteral(s)) = c.arguments.first() {
                            return Expr::Import {
                                module: s.value.to_string(),
                                name: "*".into(),
                            };
                        }
                    }
                    // `String(x)`: x as text.
                    if id.name == "String"
                        && c.arguments.len() == 1
                        && matches!(self.ident(id, d), Expr::Global(_))
                    {
                        let value = self.args(&c.arguments, d).remove(0);
                        return Expr::Format(Box::new(value), Box::default());
                    }
                }
                if let Expression::StaticMemberExpression(m) = &c.callee {
                    let args = || self.args(&c.arguments, d);
                    let recv = || self.expr(&m.object, d);
                    if let Some(e) = string_method(m.property.name.as_str(), recv, args) {
                        return e;
                    }
                }
                Expr::Call(
                    Box::new(self.expr(&c.callee, d)),
                    self.args(&c.arguments, d),
                )
            }
            Expression::NewExpression(n) => Expr::New(
                Box::new(self.expr(&n.callee, d)),
                self.args(&n.arguments, d),
            ),
            Expression::ImportExpression(i) => match &i.source {
                Expression::StringLiteral(s) => Expr::Import {
                    module: s.value.to_string(),
                    name: "*".into(),
                },
                _ => Expr::Unknown("dynamic import of a computed path".into()),
            },
            Expression::AwaitExpression(a) => self.expr(&a.argument, d),
            Expression::ParenthesizedExpression(p) => self.expr(&p.expression, d),
            Expression::TSAsExpression(x) => self.expr(&x.expression, d),
            Expression::TSSatisfiesExpression(x) => self.expr(&x.expression, d),
            Expression::TSNonNullExpression(x) => self.expr(&x.expression, d),
            Expression::TSTypeAssertion(x) => self.expr(&x.expression, d),
            Expression::TSInstantiationExpression(x) => self.expr(&x.expression, d),
            Expression::ChainExpression(c) => match &c.expression {
                ChainElement::CallExpression(call) => Expr::Call(
                    Box::new(self.expr(&call.callee, d)),
                    self.args(&call.arguments, d),
                ),
                ChainElement::TSNonNullExpression(x) => self.expr(&x.expression, d),
                other => match other.as_member_expression() {
                    Some(MemberExpression::StaticMemberExpression(m)) => {
                        self.member(&m.object, m.property.name.as_str(), d)
                    }
                    _ => Expr::Unknown("optional chain".into()),
                },
            },
            Expression::LogicalExpression(l) => match l.operator {
                LogicalOperator::And => self.expr(&l.right, d),
                _ => Expr::Or(vec![self.expr(&l.left, d), self.expr(&l.right, d)]),
            },
            Expression::ConditionalExpression(c) => Expr::Either(vec![
                self.expr(&c.consequent, d),
                self.expr(&c.alternate, d),
            ]),
            Expression::BinaryExpression(b) => match arithmetic(b.operator) {
                Some(op) => Expr::Binary(
                    op,
                    Box::new(self.expr(&b.left, d)),
                    Box::new(self.expr(&b.right, d)),
                ),
                None => Expr::Unknown(format!("`{}`", self.snippet(b.span))),
            },
            Expression::UnaryExpression(u) => match u.operator {
                UnaryOperator::UnaryNegation => Expr::Binary(
                    BinOp::Sub,
                    Box::new(Expr::Num("0".into())),
                    Box::new(self.expr(&u.argument, d)),
                ),
                _ => Expr::Unknown(format!("`{}`", self.snippet(u.span))),
            },
            Expression::ObjectExpression(o) => {
                let mut fields = Vec::new();
                for p in &o.properties {
                    match p {
                        ObjectPropertyKind::ObjectProperty(p) => {
                            let key = match &p.key {
                                PropertyKey::StaticIdentifier(id) => Some(id.name.to_string()),
                                PropertyKey::StringLiteral(s) => Some(s.value.to_string()),
                                k if p.computed => match self.expr(k.to_expression(), d) {
                                    Expr::Str(s) => Some(s),
                                    _ => None,
                                },
                                k => k.static_name().map(|s| s.to_string()),
                            };
                            if let Some(key) = key {
                                fields.push((key, self.expr(&p.value, d)));
                            }
                        }
                        ObjectPropertyKind::SpreadProperty(s) => {
                            if let Expr::Object(inner) = self.expr(&s.argument, d) {
                                fields.extend(inner);
                            }
                        }
                    }
                }
                Expr::Object(fields)
            }
            Expression::ArrayExpression(a) => Expr::Array(
                a.elements
                    .iter()
                    .map(|el| match el {
                        ArrayExpressionElement::SpreadElement(_)
                        | ArrayExpressionElement::Elision(_) => {
                            Expr::Unknown("spread element".into())
                        }
                        other => self.expr(other.to_expression(), d),
                    })
                    .collect(),
            ),
            Expression::FunctionExpression(f) => Expr::Func(self.func_id(f.span.start)),
            Expression::ClassExpression(c) => self.class(c),
            Expression::ArrowFunctionExpression(f) => Expr::Func(self.func_id(f.span.start)),
            Expression::AssignmentExpression(a) => self.expr(&a.right, d),
            Expression::SequenceExpression(s) => s
                .expressions
                .last()
                .map(|x| self.expr(x, d))
                .unwrap_or(Expr::Null),
            other => Expr::Unknown(format!("`{}`", self.snippet(other.span()))),
        }
    }

    /// A class as the object of its methods: `new C().m()` and `C.m()` reach `m`.
    fn class(&self, c: &Class<'a>) -> Expr {
        let mut methods = Vec::new();
        for el in &c.body.body {
            if let ClassElement::MethodDefinition(m) = el {
                if let Some(name) = m.key.static_name() {
                    methods.push((
                        name.to_string(),
                        Expr::Func(self.func_id(m.value.span.start)),
                    ));
                }
            }
        }
        let name =
            c.id.as_ref()
                .map(|i| i.name.to_string())
                .unwrap_or_default();
        methods.push(("__class__".into(), Expr::Str(name)));
        Expr::Object(methods)
    }

    fn member(&self, object: &Expression<'a>, prop: &str, depth: usize) -> Expr {
        if let Expression::StaticMemberExpression(inner) = object {
            if inner.property.name == "env" {
                if let Expression::Identifier(id) = &inner.object {
                    if id.name == "process" && matches!(self.ident(id, depth), Expr::Global(_)) {
                        return Expr::Env(prop.to_string());
                    }
                }
            }
        }
        if matches!(object, Expression::ThisExpression(_)) {
            if let Some(values) = self.decls.this_props.get(prop) {
                let mut alts: Vec<Expr> = values.iter().map(|v| self.expr(v, depth + 1)).collect();
                return if alts.len() == 1 {
                    alts.pop().unwrap_or(Expr::Null)
                } else {
                    Expr::Either(alts)
                };
            }
        }
        Expr::Member(Box::new(self.expr(object, depth)), prop.to_string())
    }

    fn snippet(&self, span: Span) -> String {
        let s = self
            .source
            .get(span.start as usize..span.end as usize)
            .unwrap_or("");
        let s: String = s.chars().take(40).collect();
        s.replace('\n', " ")
    }
}

/// Walks the program, attributing calls, references and returns to the enclosing function.
struct Walker<'w, 's, 'a> {
    lw: &'w Lowerer<'s, 'a>,
    lines: &'w LineIndex,
    functions: Vec<FunctionIr>,
    stack: Vec<FuncId>,
    /// Non-zero while inside the initializer of a top-level binding, whose inline functions are
    /// reached through the binding, not by loading the module.
    top_level_binding_init: usize,
    module: &'w mut ModuleIr,
    budget: CallBudget,
}

impl<'w, 's, 'a> Walker<'w, 's, 'a> {
    fn current(&mut self) -> &mut FunctionIr {
        let id = *self.stack.last().unwrap_or(&0) as usize;
        if self.functions.len() <= id {
            self.functions.resize(id + 1, FunctionIr::default());
        }
        &mut self.functions[id]
    }

    fn enter(&mut self, span: Span, name: String, bound: bool) {
        let id = self.lw.func_id(span.start);
        let in_top_level_init = self.stack.len() == 1 && self.top_level_binding_init > 0;
        let inline = !(bound || in_top_level_init);
        if inline {
            self.current().refs.push(Expr::Func(id));
        }
        let (line, _) = self.lines.position(span.start);
        self.stack.push(id);
        let f = self.current();
        f.name = name;
        f.line = line;
    }

    /// Whether the call at `span` fits the module's budget (see [`CallBudget`]).
    fn fits(&mut self, span: Span) -> bool {
        let (line, _) = self.lines.position(span.start);
        self.budget.take(span.size() as usize, line)
    }

    fn call_site(&mut self, span: Span, callee: Expr, args: Vec<Expr>, is_new: bool) {
        let (line, column) = self.lines.position(span.start);
        self.current().calls.push(CallSite {
            callee,
            args,
            is_new,
            line,
            column,
        });
    }

    /// Records the module's exports (ESM and CommonJS).
    fn exports(&mut self, program: &Program<'a>) {
        let lw = self.lw;
        for stmt in &program.body {
            match stmt {
                Statement::ExportDeclaration(ex) => match &ex.declaration {
                    Declaration::VariableDeclaration(v) => {
                        for d in &v.declarations {
                            let mut out = Vec::new();
                            pattern_bindings(&d.id, &mut Vec::new(), &mut out);
                            for (sym, _) in out {
                                let name = lw.scoping.symbol_name(sym).to_string();
                                self.module.exports.insert(name, lw.symbol(sym, 0));
                            }
                        }
                    }
                    Declaration::FunctionDeclaration(f) => {
                        if let Some(id) = &f.id {
                            self.module
                                .exports
                                .insert(id.name.to_string(), Expr::Func(lw.func_id(f.span.start)));
                        }
                    }
                    Declaration::ClassDeclaration(c) => {
                        if let Some(id) = &c.id {
                            self.module.exports.insert(id.name.to_string(), lw.class(c));
                        }
                        self.decorators(c);
                    }
                    _ => {}
                },
                Statement::ExportNamedDeclaration(ex) => {
                    for spec in &ex.specifiers {
                        let value = match &spec.local {
                            ModuleExportName::IdentifierReference(id) => lw.ident(id, 0),
                            other => Expr::Unknown(format!("export {}", other.name())),
                        };
                        self.module
                            .exports
                            .insert(spec.exported.name().to_string(), value);
                    }
                }
                Statement::ExportFromDeclaration(ex) => {
                    for spec in &ex.specifiers {
                        let value = Expr::Import {
                            module: ex.source.value.to_string(),
                            name: spec.local.name().to_string(),
                        };
                        self.module
                            .exports
                            .insert(spec.exported.name().to_string(), value);
                    }
                }
                Statement::ExportDefaultDeclaration(ex) => {
                    let value = match &ex.declaration {
                        ExportDefaultDeclarationKind::FunctionDeclaration(f) => {
                            Expr::Func(lw.func_id(f.span.start))
                        }
                        ExportDefaultDeclarationKind::ClassDeclaration(c) => {
                            self.decorators(c);
                            lw.class(c)
                        }
                        ExportDefaultDeclarationKind::TSInterfaceDeclaration(_) => continue,
                        other => lw.expr(other.to_expression(), 0),
                    };
                    self.module.exports.insert("default".into(), value);
                }
                Statement::ExportAllDeclaration(ex) => match &ex.exported {
                    Some(name) => {
                        self.module.exports.insert(
                            name.name().to_string(),
                            Expr::Import {
                                module: ex.source.value.to_string(),
                                name: "*".into(),
                            },
                        );
                    }
                    None => self.module.star_exports.push(ex.source.value.to_string()),
                },
                Statement::ExpressionStatement(es) => self.commonjs_export(&es.expression),
                _ => {}
            }
        }
    }

    /// Class decorators with an argument (`@function({...})`) are exported as `@function`, for
    /// frameworks that configure functions that way.
    fn decorators(&mut self, c: &Class<'a>) {
        for d in &c.decorators {
            if let Expression::CallExpression(call) = &d.expression {
                if let (Expression::Identifier(id), Some(arg)) =
                    (&call.callee, call.arguments.first())
                {
                    if let Some(e) = arg.as_expression() {
                        let value = self.lw.expr(e, 0);
                        self.module.exports.insert(format!("@{}", id.name), value);
                    }
                }
            }
        }
    }

    /// `module.exports = x`, `module.exports.a = x`, `exports.a = x` (also chained `a = b = x`).
    fn commonjs_export(&mut self, e: &Expression<'a>) {
        let Expression::AssignmentExpression(a) = e else {
            return;
        };
        let lw = self.lw;
        let target = match &a.left {
            AssignmentTarget::StaticMemberExpression(m) => {
                let obj = &m.object;
                let prop = m.property.name.as_str();
                if is_global_ident(lw, obj, "module") && prop == "exports" {
                    Some("*".to_string())
                } else if is_global_ident(lw, obj, "exports") || is_module_exports(lw, obj) {
                    Some(prop.to_string())
                } else {
                    None
                }
            }
            AssignmentTarget::ComputedMemberExpression(m) => match &m.expression {
                Expression::StringLiteral(s)
                    if is_module_exports(lw, &m.object)
                        || is_global_ident(lw, &m.object, "exports") =>
                {
                    Some(s.value.to_string())
                }
                _ => None,
            },
            _ => None,
        };
        if let Some(name) = target {
            let value = lw.expr(&a.right, 0);
            if name == "*" {
                if let Expr::Object(fields) = &value {
                    for (k, v) in fields {
                        self.module.exports.insert(k.clone(), v.clone());
                    }
                }
            }
            self.module.exports.insert(name, value);
        }
        self.commonjs_export(&a.right);
    }
}

fn is_global_ident(lw: &Lowerer<'_, '_>, e: &Expression<'_>, name: &str) -> bool {
    match e {
        Expression::Identifier(id) => {
            id.name == name
                && id
                    .reference_id
                    .get()
                    .and_then(|r| lw.scoping.get_reference(r).symbol_id())
                    .is_none()
        }
        _ => false,
    }
}

fn is_module_exports(lw: &Lowerer<'_, '_>, e: &Expression<'_>) -> bool {
    matches!(e, Expression::StaticMemberExpression(m) if m.property.name == "exports" && is_global_ident(lw, &m.object, "module"))
}

impl<'w, 's, 'a> Visit<'a> for Walker<'w, 's, 'a> {
    fn visit_function(&mut self, it: &Function<'a>, flags: oxc_semantic::ScopeFlags) {
        let bound = it.id.is_some() && matches!(it.r#type, FunctionType::FunctionDeclaration);
        let name = it
            .id
            .as_ref()
            .map(|i| i.name.to_string())
            .unwrap_or_else(|| "<function>".into());
        let saved = std::mem::take(&mut self.top_level_binding_init);
        self.enter(it.span, name, bound);
        walk::walk_function(self, it, flags);
        self.stack.pop();
        self.top_level_binding_init = saved;
    }

    fn visit_arrow_function_expression(&mut self, it: &ArrowFunctionExpression<'a>) {
        let saved_init = self.top_level_binding_init;
        self.enter(it.span, "<arrow>".into(), false);
        self.top_level_binding_init = 0;
        if let Some(body) = it.body.as_expression() {
            let ret = self.lw.expr(body, 0);
            self.current().returns.push(ret);
        }
        walk::walk_arrow_function_expression(self, it);
        self.stack.pop();
        self.top_level_binding_init = saved_init;
    }

    fn visit_variable_declarator(&mut self, it: &VariableDeclarator<'a>) {
        let top = self.stack.len() == 1;
        if top {
            self.top_level_binding_init += 1;
        }
        walk::walk_variable_declarator(self, it);
        if top {
            self.top_level_binding_init -= 1;
        }
    }

    fn visit_assignment_expression(&mut self, it: &AssignmentExpression<'a>) {
        let top = self.stack.len() == 1;
        if top {
            self.top_level_binding_init += 1;
        }
        walk::walk_assignment_expression(self, it);
        if top {
            self.top_level_binding_init -= 1;
        }
    }

    fn visit_export_default_declaration(&mut self, it: &ExportDefaultDeclaration<'a>) {
        self.top_level_binding_init += 1;
        walk::walk_export_default_declaration(self, it);
        self.top_level_binding_init -= 1;
    }

    fn visit_return_statement(&mut self, it: &ReturnStatement<'a>) {
        if let Some(arg) = &it.argument {
            let ret = self.lw.expr(arg, 0);
            self.current().returns.push(ret);
        }
        walk::walk_return_statement(self, it);
    }

    fn visit_import_declaration(&mut self, it: &ImportDeclaration<'a>) {
        let (line, _) = self.lines.position(it.span.start);
        self.module
            .imports
            .push((it.source.value.to_string(), line));
    }

    fn visit_call_expression(&mut self, it: &CallExpression<'a>) {
        if let (Expression::Identifier(id), Some(Argument::StringLiteral(s))) =
            (&it.callee, it.arguments.first())
        {
            if id.name == "require" {
                let (line, _) = self.lines.position(it.span.start);
                self.module.imports.push((s.value.to_string(), line));
            }
        }
        if self.fits(it.span) {
            let callee = self.lw.expr(&it.callee, 0);
            let args = self.lw.args(&it.arguments, 0);
            self.call_site(it.span, callee, args, false);
        }
        walk::walk_call_expression(self, it);
    }

    fn visit_new_expression(&mut self, it: &NewExpression<'a>) {
        if self.fits(it.span) {
            let callee = self.lw.expr(&it.callee, 0);
            let args = self.lw.args(&it.arguments, 0);
            self.call_site(it.span, callee, args, true);
        }
        walk::walk_new_expression(self, it);
    }

    fn visit_identifier_reference(&mut self, it: &IdentifierReference<'a>) {
        // At the top level only call sites run code; a name listed in `module.exports = {...}`
        // does not make its function reachable.
        if self.stack.len() == 1 {
            return;
        }
        let e = self.lw.ident(it, 0);
        if matches!(e, Expr::Func(_) | Expr::Import { .. } | Expr::Member(..)) {
            self.current().refs.push(e);
        }
    }
}

#[cfg(test)]
mod tests {
    //! The JavaScript and TypeScript front-end through [`lower_file`]: exports, imports, calls
    //! with their lines, and syntax errors.

    use super::*;

    #[test]
    fn commonjs_exports_imports_and_calls_keep_their_lines() {
        let m = lower_file(
            Path::new("src/h.js"),
            "const { S3Client, GetObjectCommand } = require('@aws-sdk/client-s3');\nconst s3 = new S3Client({});\nexports.handler = async (e) =>\n  s3.send(new GetObjectCommand({ Bucket: 'b', Key: e.key }));\n",
        );
        assert_eq!(m.language, Some(Language::JavaScript));
        assert!(m.diagnostics.is_empty(), "{:?}", m.diagnostics);
        assert!(m.exports.contains_key("handler"));
        assert_eq!(m.import_line("@aws-sdk/client-s3"), 1);
        let sends: Vec<u32> = m
            .call_lines()
            .into_iter()
            .filter(|(_, c)| c.contains("\"send\""))
            .map(|(l, _)| l)
            .collect();
        assert_eq!(sends, [4]);
    }

    #[test]
    fn esm_typescript_exports_and_re_exports() {
        let m = lower_file(
            Path::new("src/h.ts"),
            "import { helper } from './helper';\nexport * from './more';\nexport const handler = async (e: unknown): Promise<number> => helper(e);\nexport default handler;\n",
        );
        assert_eq!(m.language, Some(Language::TypeScript));
        assert!(m.diagnostics.is_empty(), "{:?}", m.diagnostics);
        assert!(m.exports.contains_key("handler") && m.exports.contains_key("default"));
        assert_eq!(m.star_exports, ["./more"]);
        assert_eq!(m.import_line("./helper"), 1);
        assert!(m
            .call_lines()
            .iter()
            .any(|(l, c)| *l == 3 && c.contains("helper")));
    }

    #[test]
    fn a_syntax_error_is_one_diagnostic_at_its_line() {
        let m = lower_file(
            Path::new("bad.js"),
            "const a = 1;\nconst b = (;\nexports.handler = () => a;\n",
        );
        let found: Vec<(&str, u32)> = m
            .diagnostics
            .iter()
            .map(|d| (d.code, d.location.line))
            .collect();
        assert_eq!(found, [("syntax-error", 2)]);
    }
}
