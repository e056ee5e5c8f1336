//! The evaluator: links modules, evaluates IR expressions to abstract values ([`Val`]), and walks
//! the code reachable from a handler, asking the language's [`SdkModel`] which calls are AWS SDK
//! calls. Language-neutral: everything SDK-specific is behind the `SdkModel` trait.

use crate::compute;
use crate::diagnostics::{Diagnostic, Location};
use crate::ir::{Expr, FuncId, ModuleIr};
use crate::value::Template;
use rustc_hash::FxHashMap as HashMap;
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

mod unresolved;
pub use slz_lang::sdk::*;

/// Deepest evaluation nesting (calls into local functions included).
const MAX_DEPTH: usize = 48;
/// Calling contexts analysed per function (each with its own argument values).
const MAX_CONTEXTS: usize = 6;
/// Summaries kept per function while one function is analysed (see [`Summary`]).
const MAX_SUMMARIES: usize = 64;

/// What one call of a local function returned, kept while one function is analysed so that the
/// same call is evaluated once, not once per call path (helpers calling helpers would otherwise
/// cost exponential time). A summary is reused only where evaluating again would give the same
/// value: the same arguments, the same functions on the call stack (the recursion cut and the
/// parameters not found depend on them), no parameter read from a caller's frame, and a depth
/// at which the nesting limit cuts nothing more or less.
struct Summary {
    stack: Vec<(ModId, FuncId)>,
    args: Vec<Val>,
    /// The depth it was evaluated at, and the deepest nesting the evaluation reached.
    base: usize,
    deepest: usize,
    value: Val,
}

impl Summary {
    fn fits(&self, stack: &[(ModId, FuncId)], args: &[Val], depth: usize) -> bool {
        let same_cuts = depth == self.base
            || (self.deepest <= MAX_DEPTH && depth + (self.deepest - self.base) <= MAX_DEPTH);
        same_cuts && self.stack == stack && self.args == args
    }
}

/// Finds and lowers modules on demand.
pub trait ModuleLoader {
    /// The file an import in `from` names, if it is a file of the project.
    fn resolve(&self, from: &Path, specifier: &str) -> Option<PathBuf>;
    fn load(&self, path: &Path) -> std::sync::Arc<ModuleIr>;
    /// A module inside the package `package` (Python `from . import name`).
    fn submodule(&self, _package: &Path, _name: &str) -> Option<PathBuf> {
        None
    }
}

/// The modules one function's analysis has loaded so far (lowered modules themselves are shared
/// through the loader's cache).
pub struct Program<'l> {
    loader: &'l dyn ModuleLoader,
    modules: RefCell<Vec<std::sync::Arc<ModuleIr>>>,
    by_path: RefCell<HashMap<PathBuf, ModId>>,
    /// Relative imports that name no file: (importing file, line, specifier).
    pub missing: RefCell<BTreeSet<(PathBuf, u32, String)>>,
    /// Imports already resolved, by importing module and specifier.
    imports: RefCell<HashMap<ModId, HashMap<String, Option<ModId>>>>,
}

impl<'l> Program<'l> {
    pub fn new(loader: &'l dyn ModuleLoader) -> Self {
        Program {
            loader,
            modules: RefCell::new(Vec::new()),
            by_path: RefCell::new(HashMap::default()),
            missing: RefCell::new(BTreeSet::new()),
            imports: RefCell::new(HashMap::default()),
        }
    }

    pub fn module_id(&self, path: &Path) -> ModId {
        if let Some(&id) = self.by_path.borrow().get(path) {
            return id;
        }
        let ir = self.loader.load(path);
        let mut modules = self.modules.borrow_mut();
        modules.push(ir);
        let id = modules.len() - 1;
        self.by_path.borrow_mut().insert(path.to_path_buf(), id);
        id
    }

    pub fn with_module<R>(&self, id: ModId, f: impl FnOnce(&ModuleIr) -> R) -> R {
        f(&self.modules.borrow()[id])
    }

    /// A shared handle on a loaded module, to read its functions without copying them while
    /// more modules load.
    pub fn module(&self, id: ModId) -> std::sync::Arc<ModuleIr> {
        self.modules.borrow()[id].clone()
    }

    /// The files of the modules loaded.
    pub fn paths(&self) -> Vec<PathBuf> {
        self.by_path.borrow().keys().cloned().collect()
    }

    /// Every diagnostic the front-ends reported, for the modules loaded.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        self.modules
            .borrow()
            .iter()
            .flat_map(|m| m.diagnostics.iter().cloned())
            .collect()
    }

    fn resolve_import(&self, from: ModId, spec: &str) -> Option<ModId> {
        if let Some(known) = self
            .imports
            .borrow()
            .get(&from)
            .and_then(|specs| specs.get(spec))
        {
            return *known;
        }
        let resolved = self.resolve_import_uncached(from, spec);
        self.imports
            .borrow_mut()
            .entry(from)
            .or_default()
            .insert(spec.to_string(), resolved);
        resolved
    }

    fn resolve_import_uncached(&self, from: ModId, spec: &str) -> Option<ModId> {
        let (from_path, line) = self.with_module(from, |m| (m.path.clone(), m.import_line(spec)));
        match self.loader.resolve(&from_path, spec) {
            Some(p) => Some(self.module_id(&p)),
            None => {
                if is_relative(spec) {
                    self.missing
                        .borrow_mut()
                        .insert((from_path, line, spec.to_string()));
                }
                None
            }
        }
    }
}

/// An SDK operation found in reachable code, with where it is.
#[derive(Clone, Debug)]
pub struct Found {
    pub op: SdkOp,
    pub location: Location,
}

/// Evaluates and walks one Lambda function's reachable code.
pub struct Evaluator<'p, 'l> {
    program: &'p Program<'l>,
    sdk: &'p dyn SdkModel,
    env: &'p crate::project::Environment,
    frames: RefCell<Vec<(ModId, FuncId, Vec<Val>)>>,
    touched: RefCell<BTreeSet<ModId>>,
    /// Calls already evaluated while analysing the current function, per callee.
    summaries: RefCell<HashMap<(ModId, FuncId), Vec<Summary>>>,
    /// The deepest nesting reached by the evaluation under way.
    deepest: Cell<usize>,
    /// The lowest frame a parameter was read from by the evaluation under way.
    lowest_read: Cell<usize>,
    pub diagnostics: Vec<Diagnostic>,
    /// HTTP requests found by [`Evaluator::run`].
    pub http: Vec<HttpCall>,
    /// IAM policy documents the reachable code returns or passes on (custom authorizers' results).
    pub policies: Vec<(Val, Location)>,
}

impl<'p, 'l> Evaluator<'p, 'l> {
    pub fn new(
        program: &'p Program<'l>,
        sdk: &'p dyn SdkModel,
        env: &'p crate::project::Environment,
    ) -> Self {
        Evaluator {
            program,
            sdk,
            env,
            frames: RefCell::new(Vec::new()),
            touched: RefCell::new(BTreeSet::new()),
            summaries: RefCell::new(HashMap::default()),
            deepest: Cell::new(0),
            lowest_read: Cell::new(usize::MAX),
            diagnostics: Vec::new(),
            http: Vec::new(),
            policies: Vec::new(),
        }
    }

    /// The SDK operations reachable from export `export` of the module at `entry`. The handler is
    /// called with an unknown event and a Lambda context whose function name is `function_name`.
    pub fn run(&mut self, entry: &Path, export: &str, context: Val) -> Vec<Found> {
        let m = self.program.module_id(entry);
        let handler = self.export(m, export, 0);
        let mut roots = BTreeSet::new();
        handler.funcs(&mut roots);
        if roots.is_empty() {
            let has_export = self.program.with_module(m, |mi| {
                mi.exports.contains_key(export)
                    || mi.exports.contains_key("*")
                    || mi.exports.contains_key("default")
                    || mi.diagnostics.iter().any(|d| {
                        matches!(
                            d.code,
                            "syntax-error"
                                | "nesting-too-deep"
                                | "file-too-large"
                                | "non-utf8-file"
                        )
                    })
            });
            if !has_export {
                let path = self.program.with_module(m, |mi| mi.path.clone());
                self.diagnostics.push(Diagnostic::new(
                    "missing-handler",
                    Location::new(path.clone(), 1, 1),
                    format!(
                        "{} has no export `{export}`; only its top level is analysed",
                        path.display()
                    ),
                ));
            }
        }
        let handler_args = vec![Val::Unknown("the event".into()), context];
        let root_funcs = roots.clone();
        let mut queue: Vec<(ModId, FuncId, Option<Vec<Val>>)> = vec![(m, 0, None)];
        queue.extend(
            roots
                .into_iter()
                .map(|(m, f)| (m, f, Some(handler_args.clone()))),
        );
        let mut contexts: HashMap<(ModId, FuncId), Vec<Option<Vec<Val>>>> = HashMap::default();
        // Methods called on receivers that are not known: reached by name once the rest is done,
        // with the receiver and arguments of each such call (receiver first).
        let mut unresolved_methods: BTreeMap<String, Vec<(Vec<Val>, Location)>> = BTreeMap::new();
        // Findings per (function, whether it ran with known call arguments).
        let mut found: Vec<(ModId, FuncId, bool, Found)> = Vec::new();
        // Operations sent through values not resolved to a client.
        let mut unresolved_ops = unresolved::Pending::default();
        loop {
            let Some((m, f, args)) = queue.pop() else {
                self.load_children();
                let names: BTreeSet<String> = unresolved_methods.keys().cloned().collect();
                let more = self.methods_named(&names, &contexts);
                if more.is_empty() {
                    break;
                }
                for (mm, ff, name, takes_self) in more {
                    let calls = unresolved_methods.get(&name).cloned().unwrap_or_default();
                    if takes_self && !calls.is_empty() {
                        queue.extend(
                            calls
                                .into_iter()
                                .take(MAX_CONTEXTS)
                                .map(|(a, _)| (mm, ff, Some(a))),
                        );
                    } else {
                        queue.push((mm, ff, None));
                    }
                }
                continue;
            };
            // Summaries hold within one function's analysis (what it touches is recorded once
            // per analysis).
            self.summaries.borrow_mut().clear();
            let with_args = args.is_some();
            let seen = contexts.entry((m, f)).or_default();
            if seen.contains(&args) || seen.len() >= MAX_CONTEXTS {
                continue;
            }
            seen.push(args.clone());
            let module = self.program.module(m);
            let Some(func) = module.function(f) else {
                continue;
            };
            let path = module.path.clone();
            let mut http_here: Vec<HttpCall> = Vec::new();
            let mut signed_here = false;
            self.frames
                .borrow_mut()
                .push((m, f, args.unwrap_or_default()));
            for call in &func.calls {
                let callee = self.eval(m, &call.callee, 0);
                let argv: Vec<Val> = call.args.iter().map(|a| self.eval(m, a, 0)).collect();
                let classified = self.sdk.classify(&callee, &argv, call.is_new);
                // A method of something not resolved to a client (unknown, or an import the
                // analysis does not follow) may still carry an SDK operation.
                let unresolved_receiver = !call.is_new
                    && classified.is_empty()
                    && (is_unknownish(&callee) || matches!(callee, Val::Package { .. }));
                if let (Expr::Member(recv, name), true) = (&call.callee, unresolved_receiver) {
                    let ops = self
                        .sdk
                        .unresolved_call(name, &self.eval(m, recv, 0), &argv);
                    if !ops.is_empty() {
                        let at = unresolved::Call {
                            location: Location::new(path.clone(), call.line, call.column),
                            method: name.clone(),
                            func: (m, f),
                            with_args,
                        };
                        unresolved_ops.add(&at, ops);
                    }
                }
                for c in classified {
                    let location = Location::new(path.clone(), call.line, call.column);
                    match c {
                        Classified::Op(op) => found.push((m, f, with_args, Found { op, location })),
                        Classified::Diag { code, message } => {
                            self.diagnostics
                                .push(Diagnostic::new(code, location, message));
                        }
                        Classified::Http {
                            method,
                            url,
                            api_key,
                        } => {
                            http_here.push(HttpCall {
                                method,
                                url: url.as_template(),
                                signed: false,
                                api_key,
                                location,
                            });
                        }
                        Classified::Signer => signed_here = true,
                    }
                }
                if let (Expr::Member(recv, name), true) = (&call.callee, is_unknownish(&callee)) {
                    let mut with_recv = vec![self.eval(m, recv, 0)];
                    with_recv.extend(argv.iter().cloned());
                    let location = Location::new(path.clone(), call.line, call.column);
                    let calls = unresolved_methods.entry(name.clone()).or_default();
                    if calls.len() < MAX_CONTEXTS && !calls.iter().any(|(a, _)| *a == with_recv) {
                        calls.push((with_recv, location));
                    }
                }
                // A called function runs with these arguments; a constructed class only makes its
                // methods reachable (they run later, with arguments seen at their own call sites).
                let mut direct = BTreeSet::new();
                match &callee {
                    Val::Func(..) | Val::Either(_) if !call.is_new => callee.funcs(&mut direct),
                    // Calling a class without `new` (Python) makes an instance; its methods are
                    // reached when called.
                    Val::Object(_) if !call.is_new => {}
                    other => {
                        let mut methods = BTreeSet::new();
                        other.funcs(&mut methods);
                        queue.extend(methods.into_iter().map(|(cm, cf)| (cm, cf, None)));
                    }
                }
                for (cm, cf) in direct {
                    let args = self.with_receiver(m, &call.callee, cm, cf, &argv);
                    queue.push((cm, cf, Some(args)));
                }
                // Functions passed as arguments may be called back; an instance of a class passed
                // along (`log(asset)`) does not run its methods.
                for a in argv.iter().filter(|a| is_policy_result(a)) {
                    for a in alternatives(a.clone()).into_iter().filter(is_policy_result) {
                        self.policies
                            .push((a, Location::new(path.clone(), call.line, call.column)));
                    }
                }
                let mut passed = BTreeSet::new();
                argv.iter()
                    .filter(|a| a.field("__class__").is_none())
                    .for_each(|a| a.funcs(&mut passed));
                queue.extend(passed.into_iter().map(|(cm, cf)| (cm, cf, None)));
            }
            // Authorizer results: objects with a `policyDocument` the handler returns (or passes
            // to its callback, below).
            if root_funcs.contains(&(m, f)) {
                for r in &func.returns {
                    for v in alternatives(self.eval(m, r, 0)) {
                        if v.field("policyDocument").is_some() {
                            self.policies
                                .push((v, Location::new(path.clone(), func.line, 1)));
                        }
                    }
                }
            }
            for mut h in http_here {
                h.signed = signed_here;
                self.http.push(h);
            }
            // A reference reaches the functions it names, not every function stored in an object
            // it names (`db.call(...)` reaches `call`, through the call site, not `db.unused`).
            for r in &func.refs {
                let mut fs = BTreeSet::new();
                match self.eval(m, r, 0) {
                    Val::Object(_) => {}
                    v => v.funcs(&mut fs),
                }
                queue.extend(fs.into_iter().map(|(cm, cf)| (cm, cf, None)));
            }
            self.frames.borrow_mut().pop();
            for t in std::mem::take(&mut *self.touched.borrow_mut()) {
                queue.push((t, 0, None));
            }
        }
        self.unknown_sdk_methods(&unresolved_methods);
        let defined = self.defined_methods();
        let analysed_with_args = |func| {
            contexts
                .get(&func)
                .is_some_and(|c| c.iter().any(Option::is_some))
        };
        let diagnostics = unresolved_ops.finish(
            analysed_with_args,
            &defined,
            found.iter().map(|(_, _, _, fd)| &fd.op),
        );
        self.diagnostics.extend(diagnostics);
        // A function seen called with its arguments is analysed with those; its analysis without
        // arguments (reached only by reference, e.g. as a class method) adds nothing then.
        let called: BTreeSet<(ModId, FuncId)> = found
            .iter()
            .filter(|(_, _, w, _)| *w)
            .map(|(m, f, _, _)| (*m, *f))
            .collect();
        found
            .into_iter()
            .filter(|(m, f, w, _)| *w || !called.contains(&(*m, *f)))
            .map(|(_, _, _, fd)| fd)
            .collect()
    }

    /// Methods of loaded modules with one of `names`, not analysed yet.
    fn methods_named(
        &self,
        names: &BTreeSet<String>,
        seen: &HashMap<(ModId, FuncId), Vec<Option<Vec<Val>>>>,
    ) -> Vec<(ModId, FuncId, String, bool)> {
        let modules = self.program.modules.borrow();
        let mut out = Vec::new();
        for (mid, module) in modules.iter().enumerate() {
            for (fid, func) in module.functions.iter().enumerate() {
                let fid = FuncId::try_from(fid).unwrap_or(FuncId::MAX);
                if func.is_method && names.contains(&func.name) && !seen.contains_key(&(mid, fid)) {
                    out.push((mid, fid, func.name.clone(), func.takes_self));
                }
            }
        }
        out
    }

    /// Loads the child modules of every loaded module (transitively), so their methods can be
    /// reached by name.
    fn load_children(&self) {
        let mut i = 0;
        loop {
            let n = self.program.modules.borrow().len();
            if i >= n {
                break;
            }
            let children = self.program.with_module(i, |m| m.children.clone());
            for c in children {
                let _ = self.program.resolve_import(i, &c);
            }
            i += 1;
        }
    }

    /// The names of the methods of the loaded modules.
    fn defined_methods(&self) -> BTreeSet<String> {
        self.program
            .modules
            .borrow()
            .iter()
            .flat_map(|m| {
                m.functions
                    .iter()
                    .filter(|f| f.is_method)
                    .map(|f| f.name.clone())
            })
            .collect()
    }

    /// Methods called on an SDK client that are neither operations nor methods of the project.
    fn unknown_sdk_methods(&mut self, unresolved: &BTreeMap<String, Vec<(Vec<Val>, Location)>>) {
        let defined = self.defined_methods();
        for (name, calls) in unresolved {
            if defined.contains(name.as_str()) {
                continue;
            }
            for (args, location) in calls {
                if let Some(Val::Sdk(SdkVal::Client { service, .. })) = args.first() {
                    self.diagnostics.push(Diagnostic::new(
                        "unknown-operation",
                        location.clone(),
                        slz_lang::model::unknown_operation_message(service, name),
                    ));
                }
            }
        }
    }

    /// Arguments for calling `cm.cf` through `callee`: with the receiver first when the function
    /// takes it (`store.put(x)` -> `put(store, x)`).
    fn with_receiver(
        &self,
        m: ModId,
        callee: &Expr,
        cm: ModId,
        cf: FuncId,
        args: &[Val],
    ) -> Vec<Val> {
        let takes_self = self
            .program
            .with_module(cm, |mi| mi.function(cf).is_some_and(|f| f.takes_self));
        match (takes_self, callee) {
            (true, Expr::Member(recv, _)) => {
                let mut out = vec![self.eval(m, recv, 1)];
                out.extend(args.iter().cloned());
                out
            }
            (true, _) => {
                let mut out = vec![Val::Unknown("the receiver".into())];
                out.extend(args.iter().cloned());
                out
            }
            _ => args.to_vec(),
        }
    }

    fn param(&self, m: ModId, f: FuncId, i: u32) -> Val {
        let frames = self.frames.borrow();
        let at = frames.iter().rposition(|(fm, ff, _)| *fm == m && *ff == f);
        if let Some(at) = at {
            self.lowest_read.set(self.lowest_read.get().min(at));
        }
        at.and_then(|at| frames[at].2.get(i as usize).cloned())
            .unwrap_or_else(|| Val::Unknown("a function parameter".into()))
    }

    pub fn export(&self, m: ModId, name: &str, depth: usize) -> Val {
        self.deepest.set(self.deepest.get().max(depth));
        if depth > MAX_DEPTH {
            return Val::Unknown("export chain too deep".into());
        }
        self.touched.borrow_mut().insert(m);
        let (direct, star, stars) = self.program.with_module(m, |mi| {
            (
                mi.exports.get(name).cloned(),
                mi.exports.get("*").cloned(),
                mi.star_exports.clone(),
            )
        });
        if let Some(e) = direct {
            return self.eval(m, &e, depth + 1);
        }
        if name == "*" {
            return Val::Module(m);
        }
        if let Some(e) = star {
            let whole = self.eval(m, &e, depth + 1);
            if name == "default" {
                return whole;
            }
            return self.member(&whole, name, depth + 1);
        }
        if let Some(v) = self.star_export(m, stars, name, depth) {
            return v;
        }
        if name == "default" {
            return Val::Module(m);
        }
        let path = self.program.with_module(m, |mi| mi.path.clone());
        if let Some(sub) = self.program.loader.submodule(&path, name) {
            return Val::Module(self.program.module_id(&sub));
        }
        Val::Unknown(format!("no export `{name}`"))
    }

    /// `name` through the `export * from` (Python: `from m import *`) modules of `m`, breadth
    /// first and each module once: a chain of any length is followed without deepening the
    /// evaluation, and a cycle of star exports ends instead of being walked once per path.
    fn star_export(&self, m: ModId, stars: Vec<String>, name: &str, depth: usize) -> Option<Val> {
        let mut seen = BTreeSet::from([m]);
        let mut queue: std::collections::VecDeque<(ModId, String)> =
            stars.into_iter().map(|spec| (m, spec)).collect();
        while let Some((from, spec)) = queue.pop_front() {
            let Some(t) = self.program.resolve_import(from, &spec) else {
                continue;
            };
            if !seen.insert(t) {
                continue;
            }
            self.touched.borrow_mut().insert(t);
            let (direct, whole, stars) = self.program.with_module(t, |mi| {
                (
                    mi.exports.get(name).cloned(),
                    mi.exports.get("*").cloned(),
                    mi.star_exports.clone(),
                )
            });
            let v = match (direct, whole) {
                (Some(e), _) => Some(self.eval(t, &e, depth + 1)),
                (None, Some(e)) if name != "default" => {
                    let whole = self.eval(t, &e, depth + 1);
                    Some(self.member(&whole, name, depth + 1))
                }
                _ => None,
            };
            if let Some(v) = v.filter(|v| !matches!(v, Val::Unknown(_))) {
                return Some(v);
            }
            queue.extend(stars.into_iter().map(|spec| (t, spec)));
        }
        None
    }

    pub fn eval(&self, m: ModId, e: &Expr, depth: usize) -> Val {
        self.deepest.set(self.deepest.get().max(depth));
        if depth > MAX_DEPTH {
            return Val::Unknown("evaluation too deep".into());
        }
        let d = depth + 1;
        match e {
            Expr::Str(s) => Val::text(s),
            Expr::Num(s) => Val::Num(crate::number::Number::parse(s)),
            Expr::Bool { value, text } => Val::Bool {
                value: *value,
                text: text.clone(),
            },
            Expr::Nil(text) => Val::Nil(text.clone()),
            Expr::Null => Val::Unknown("null".into()),
            Expr::Env(name) => match self.env.get(name) {
                Some(t) => Val::Text(t.clone()),
                None => Val::Text(Template::unknown(format!(
                    "env var {name} is not set in the function's configuration"
                ))),
            },
            Expr::Concat(parts) => {
                let mut t = Template::default();
                // Counted as it grows: many large parts must not be joined first and cut after.
                let mut size = 0;
                for p in parts {
                    let v = self.eval(m, p, d);
                    size += compute::growth(&v);
                    if size > MAX_VALUE_PARTS {
                        return Val::Unknown(too_large());
                    }
                    t.extend(compute::to_text(&v));
                }
                Val::Text(t).bounded()
            }
            Expr::Binary(op, l, r) => {
                compute::binary(*op, self.eval(m, l, d), self.eval(m, r, d)).bounded()
            }
            Expr::Format(v, spec) => compute::format(&self.eval(m, v, d), spec),
            Expr::Join(sep, seq) => compute::join(&self.eval(m, sep, d), &self.eval(m, seq, d)),
            Expr::Object(fields) => Val::Object(
                fields
                    .iter()
                    .map(|(k, v)| (k.clone(), self.eval(m, v, d)))
                    .collect(),
            )
            .bounded(),
            Expr::Array(items) => {
                Val::Array(items.iter().map(|v| self.eval(m, v, d)).collect()).bounded()
            }
            Expr::Import { module, name } => match self.program.resolve_import(m, module) {
                Some(t) => self.export(t, name, d),
                None if is_relative(module) => {
                    Val::Unknown(format!("module `{module}` is not in the project"))
                }
                None => {
                    let path = if name == "*" || name == "default" {
                        Vec::new()
                    } else {
                        vec![name.clone()]
                    };
                    Val::Package {
                        name: module.clone(),
                        path,
                    }
                }
            },
            Expr::Global(name) => Val::Package {
                name: "<global>".into(),
                path: vec![name.clone()],
            },
            Expr::Member(obj, prop) => {
                let o = self.eval(m, obj, d);
                self.member(&o, prop, d)
            }
            Expr::Index(obj, key) => {
                let o = self.eval(m, obj, d);
                match self.eval(m, key, d).as_template().as_literal() {
                    Some(k) => self.member(&o, &k, d),
                    None => Val::Unknown("a member chosen at run time".into()),
                }
            }
            Expr::Call(callee, args) => {
                let c = self.eval(m, callee, d);
                let a: Vec<Val> = args.iter().map(|x| self.eval(m, x, d)).collect();
                let a = match &c {
                    Val::Func(cm, cf) => self.with_receiver(m, callee, *cm, *cf, &a),
                    _ => a,
                };
                self.call(&c, a, d)
            }

            Expr::New(callee, args) => {
                let c = self.eval(m, callee, d);
                let a: Vec<Val> = args.iter().map(|x| self.eval(m, x, d)).collect();
                match self.sdk.construct(&c, &a) {
                    Some(v) => v,
                    // A class of the project: its instance is the object of its methods.
                    None if matches!(c, Val::Object(_)) => c,
                    None => Val::Unknown(format!("a new {}", describe(&c))),
                }
            }
            Expr::Func(f) => Val::Func(m, *f),
            Expr::Param(f, i) => self.param(m, *f, *i),
            Expr::This => Val::Unknown("`this`".into()),
            Expr::Either(alts) => {
                let mut out: Vec<Val> = Vec::new();
                for a in alts {
                    match self.eval(m, a, d) {
                        Val::Either(inner) => out.extend(inner),
                        v => out.push(v),
                    }
                }
                out.dedup();
                // `process.env.X || 'default'`: a set variable wins; an unset one falls back.
                if out.len() > 1 {
                    let known: Vec<Val> =
                        out.iter().filter(|v| !is_unknownish(v)).cloned().collect();
                    if !known.is_empty() {
                        out = known;
                    }
                }
                if out.len() == 1 {
                    out.pop().unwrap_or(Val::Unknown(String::new()))
                } else {
                    Val::Either(out).bounded()
                }
            }
            Expr::Or(alts) => {
                let vals: Vec<Val> = alts.iter().map(|a| self.eval(m, a, d)).collect();
                let first_known = vals.iter().position(|v| !is_unknownish(v)).unwrap_or(0);
                vals.into_iter()
                    .nth(first_known)
                    .unwrap_or(Val::Unknown(String::new()))
            }
            Expr::Unknown(why) => Val::Unknown(why.clone()),
        }
    }

    fn member(&self, o: &Val, prop: &str, depth: usize) -> Val {
        if let Some(v) = self.sdk.member(o, prop) {
            return v;
        }
        match o {
            Val::Object(_) => o
                .field(prop)
                .cloned()
                .unwrap_or_else(|| Val::Unknown(format!("no field `{prop}`"))),
            Val::Module(id) => self.export(*id, prop, depth + 1),
            Val::Package { name, path } => {
                let mut path = path.clone();
                path.push(prop.to_string());
                Val::Package {
                    name: name.clone(),
                    path,
                }
            }
            Val::Either(alts) => {
                let vals: Vec<Val> = alts
                    .iter()
                    .map(|a| self.member(a, prop, depth + 1))
                    .collect();
                Val::Either(vals)
            }
            _ => Val::Unknown(format!("`.{prop}` of {}", describe(o))),
        }
    }

    fn call(&self, callee: &Val, args: Vec<Val>, depth: usize) -> Val {
        if let Some(v) = self.sdk.call(callee, &args) {
            return v;
        }
        match callee {
            Val::Func(fm, ff) => {
                let (fm, ff) = (*fm, *ff);
                let stack: Vec<(ModId, FuncId)> = self
                    .frames
                    .borrow()
                    .iter()
                    .map(|(a, b, _)| (*a, *b))
                    .collect();
                let known = self.summaries.borrow().get(&(fm, ff)).and_then(|list| {
                    list.iter()
                        .find(|s| s.fits(&stack, &args, depth))
                        .map(|s| (s.value.clone(), s.deepest - s.base))
                });
                if let Some((value, reach)) = known {
                    // As deep as evaluating it again would reach.
                    self.deepest.set(self.deepest.get().max(depth + reach));
                    return value;
                }
                let value = self.call_local(fm, ff, args.clone(), depth);
                let mut all = self.summaries.borrow_mut();
                let list = all.entry((fm, ff)).or_default();
                if let (Some((deepest, true)), true) = (value.1, list.len() < MAX_SUMMARIES) {
                    list.push(Summary {
                        stack,
                        args,
                        base: depth,
                        deepest,
                        value: value.0.clone(),
                    });
                }
                value.0
            }
            Val::Either(alts) => Val::Either(
                alts.iter()
                    .map(|a| self.call(a, args.clone(), depth + 1))
                    .collect(),
            ),
            // Calling a class of the project (Python) makes an instance: the object of its methods.
            Val::Object(_) => callee.clone(),
            _ => Val::Unknown(format!("the result of {}", describe(callee))),
        }
    }

    /// Evaluates a call of local function `ff` of module `fm`: its value, and, when its
    /// returns were evaluated, the deepest nesting reached and whether no parameter was read
    /// from a caller's frame (then the value depends only on the arguments, the functions on the
    /// stack and the depth).
    fn call_local(
        &self,
        fm: ModId,
        ff: FuncId,
        args: Vec<Val>,
        depth: usize,
    ) -> (Val, Option<(usize, bool)>) {
        {
            {
                if self
                    .frames
                    .borrow()
                    .iter()
                    .filter(|(a, b, _)| *a == fm && *b == ff)
                    .count()
                    > 1
                {
                    return (Val::Unknown("recursive call".into()), None);
                }
                let returns = self
                    .program
                    .with_module(fm, |mi| mi.function(ff).map(|f| f.returns.clone()));
                let returns = returns.unwrap_or_default();
                let own = {
                    let mut frames = self.frames.borrow_mut();
                    frames.push((fm, ff, args));
                    frames.len() - 1
                };
                let outer_deepest = self.deepest.replace(depth);
                let outer_lowest = self.lowest_read.replace(usize::MAX);
                let mut vals: Vec<Val> = returns
                    .iter()
                    .map(|r| self.eval(fm, r, depth + 1))
                    .collect();
                self.frames.borrow_mut().pop();
                let (deepest, lowest) = (self.deepest.get(), self.lowest_read.get());
                self.deepest.set(outer_deepest.max(deepest));
                self.lowest_read.set(outer_lowest.min(lowest));
                vals.dedup();
                let value = match vals.len() {
                    0 => Val::Unknown("a function returning nothing".into()),
                    1 => vals.pop().unwrap_or(Val::Unknown(String::new())),
                    _ => Val::Either(vals),
                };
                (value, Some((deepest, lowest >= own)))
            }
        }
    }
}

/// An authorizer's result (an object with a `policyDocument`), or alternatives one of which is.
fn is_policy_result(v: &Val) -> bool {
    match v {
        Val::Either(alts) => alts.iter().any(is_policy_result),
        other => other.field("policyDocument").is_some(),
    }
}

/// The values a value may be: the alternatives of an `Either`, else itself.
fn alternatives(v: Val) -> Vec<Val> {
    match v {
        Val::Either(alts) => alts.into_iter().flat_map(alternatives).collect(),
        other => vec![other],
    }
}

fn is_unknownish(v: &Val) -> bool {
    match v {
        Val::Unknown(_) | Val::Nil(_) | Val::Num(crate::number::Number::Unknown(_)) => true,
        Val::Text(t) => t.is_fully_unknown(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    //! The evaluator through [`Evaluator::run`], over JavaScript lowered by the JS front-end and
    //! the JS SDK model: values followed across modules, parameters, the environment and the
    //! Lambda context.

    use super::*;
    use crate::lang::js::{frontend::Js, lower::lower_file, sdk::JsSdk};
    use crate::project::{Environment, Variables};
    use slz_lang::frontend::Frontend;

    /// Modules from source texts, lowered when loaded; `./x` names `x.js` beside the importer.
    struct Texts(Vec<(&'static str, &'static str)>);

    impl ModuleLoader for Texts {
        fn resolve(&self, from: &Path, specifier: &str) -> Option<PathBuf> {
            let base = from.parent().unwrap_or(Path::new(""));
            let want = crate::analyze::normalize(&base.join(format!("{specifier}.js")))?;
            self.0
                .iter()
                .any(|(p, _)| Path::new(p) == want)
                .then_some(want)
        }

        fn load(&self, path: &Path) -> std::sync::Arc<ModuleIr> {
            let text = self
                .0
                .iter()
                .find(|(p, _)| Path::new(p) == path)
                .map_or("", |(_, t)| *t);
            std::sync::Arc::new(lower_file(path, text))
        }
    }

    /// Runs export `handler` of the first file, with `env` as the function's environment.
    fn run(
        files: &[(&'static str, &'static str)],
        env: &[(&str, &str)],
    ) -> (Vec<Found>, Vec<Diagnostic>) {
        let loader = Texts(files.to_vec());
        let program = Program::new(&loader);
        let vars: Variables = env
            .iter()
            .map(|(k, v)| (k.to_string(), Template::lit(*v)))
            .collect();
        let env = Environment::from(vars);
        let sdk = JsSdk::default();
        let mut ev = Evaluator::new(&program, &sdk, &env);
        let context = Js::default().lambda_context(&Template::lit("shop-dev-fn"));
        let found = ev.run(Path::new(files[0].0), "handler", context);
        (found, ev.diagnostics)
    }

    /// `operation input.field` of each operation found, described.
    fn ops(found: &[Found], field: &str) -> Vec<String> {
        let mut out: Vec<String> = found
            .iter()
            .map(|f| {
                let v =
                    f.op.input
                        .field(field)
                        .map_or_else(|| "-".to_string(), describe);
                format!("{} {v}", f.op.operation)
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn a_call_in_an_imported_helper_is_found_where_it_is_written_with_the_environment() {
        let (found, diags) = run(
            &[
                (
                    "src/handler.js",
                    "const db = require('./db');\nexports.handler = async (e) => db.save(e);\n",
                ),
                (
                    "src/db.js",
                    "const { DynamoDBClient, PutItemCommand } = require('@aws-sdk/client-dynamodb');\nconst client = new DynamoDBClient({});\nexports.save = (item) =>\n  client.send(new PutItemCommand({ TableName: process.env.TABLE, Item: item }));\n",
                ),
            ],
            &[("TABLE", "orders")],
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(ops(&found, "TableName"), ["PutItem `orders`"]);
        let at = &found[0].location;
        assert_eq!((at.file.as_path(), at.line), (Path::new("src/db.js"), 4));
    }

    #[test]
    fn a_parameter_takes_the_value_of_each_call() {
        let (found, _) = run(
            &[(
                "h.js",
                "const { S3Client, GetObjectCommand } = require('@aws-sdk/client-s3');\nconst s3 = new S3Client({});\nconst read = (bucket) => s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' }));\nexports.handler = async () => { await read('inbox'); await read('archive'); };\n",
            )],
            &[],
        );
        let buckets = ops(&found, "Bucket");
        assert!(
            buckets.contains(&"GetObject `inbox`".to_string())
                && buckets.contains(&"GetObject `archive`".to_string()),
            "{buckets:?}"
        );
    }

    #[test]
    fn the_context_names_the_function_and_an_unset_variable_is_unknown() {
        let (found, _) = run(
            &[(
                "h.js",
                "const { LambdaClient, InvokeCommand } = require('@aws-sdk/client-lambda');\nconst l = new LambdaClient({});\nexports.handler = async (event, context) => {\n  await l.send(new InvokeCommand({ FunctionName: context.functionName }));\n  await l.send(new InvokeCommand({ FunctionName: process.env.TARGET }));\n};\n",
            )],
            &[],
        );
        let names = ops(&found, "FunctionName");
        assert_eq!(names.len(), 2, "{names:?}");
        assert!(
            names.contains(&"Invoke `shop-dev-fn`".to_string()),
            "{names:?}"
        );
        assert!(
            names
                .iter()
                .any(|n| n != "Invoke `shop-dev-fn`" && !n.contains("shop-dev-fn")),
            "{names:?}"
        );
    }

    #[test]
    fn a_missing_export_is_a_diagnostic_and_the_top_level_is_still_read() {
        let (found, diags) = run(
            &[(
                "h.js",
                "const { SNSClient, PublishCommand } = require('@aws-sdk/client-sns');\nnew SNSClient({}).send(new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:1:t', Message: 'm' }));\nexports.main = async () => 1;\n",
            )],
            &[],
        );
        assert_eq!(
            diags.iter().map(|d| d.code).collect::<Vec<_>>(),
            ["missing-handler"]
        );
        assert_eq!(
            ops(&found, "TopicArn"),
            ["Publish `arn:aws:sns:us-east-1:1:t`"]
        );
    }

    #[test]
    fn values_are_described_for_messages() {
        assert_eq!(describe(&Val::text("orders")), "`orders`");
        assert_eq!(describe(&Val::Unknown("the event".into())), "the event");
        assert_eq!(describe(&Val::Array(Vec::new())), "an array");
        assert!(is_relative("./db") && is_relative("..x") && !is_relative("boto3"));
    }
}
