//! Roles and policies a template defines, expanded into a function's declared statements:
//! an `AWS::IAM::Role`'s inline `Policies` and `ManagedPolicyArns`, and the `AWS::IAM::Policy` and
//! `AWS::IAM::ManagedPolicy` resources attached to it. Shared by the SAM / CloudFormation reader
//! and by serverless.yml's `resources.Resources`. A managed policy that is not defined in the
//! template (an AWS-managed one, an ARN from elsewhere) stays a name: its statements are unknown.

use super::variables::Resolver;
use super::yaml::Node;
use super::DeclaredStatement;
use slz_core::value::Part;

const MANAGED_POLICY: &str = "AWS::IAM::ManagedPolicy";

/// What a role grants, as far as the template tells.
#[derive(Clone, Debug, Default)]
pub struct RoleGrants {
    pub declared: Vec<DeclaredStatement>,
    /// Managed policies and roles defined elsewhere, by name: their statements are unknown.
    pub managed_policies: Vec<String>,
}

impl RoleGrants {
    pub fn add_to(self, f: &mut super::Function) {
        f.declared.extend(self.declared);
        f.managed_policies.extend(self.managed_policies);
    }
}

/// The logical id a `Ref` / `GetAtt` (or, in serverless.yml, a bare logical name) points at, when
/// the template defines it.
pub fn referenced_id(r: &Resolver<'_>, resources: &Node, node: &Node) -> Option<String> {
    let t = r.template(node);
    let id = t.0.iter().find_map(|p| match p {
        Part::Ref(id) | Part::GetAtt(id, _) => Some(id.clone()),
        _ => None,
    });
    id.or_else(|| node.as_str().map(str::to_string))
        .filter(|id| resources.get(id).is_some())
}

fn type_of<'n>(resources: &'n Node, id: &str) -> Option<&'n str> {
    resources
        .path(&format!("{id}.Type"))
        .and_then(|t| t.as_str())
}

/// The statements of a policy document's `Statement`, tagged with the managed policy they belong
/// to (None for inline policies).
fn document(r: &Resolver<'_>, doc: Option<&Node>, managed: Option<&str>, f: &mut RoleGrants) {
    let Some(doc) = doc else {
        return;
    };
    f.declared
        .extend(super::declared_statements(r, doc).into_iter().map(|mut d| {
            d.managed_policy = managed.map(str::to_string);
            d
        }));
}

/// One managed-policy reference (`ManagedPolicyArns` entry, SAM `Policies` entry, serverless
/// `managedPolicies` entry): expanded when the template defines it, else kept by name.
pub fn managed_policy(r: &Resolver<'_>, resources: &Node, node: &Node, f: &mut RoleGrants) {
    match referenced_id(r, resources, node) {
        Some(id) if type_of(resources, &id) == Some(MANAGED_POLICY) => {
            let res = resources.get(&id).map(|n| r.deref(n)).unwrap_or_default();
            document(
                r,
                res.path("Properties.PolicyDocument.Statement"),
                Some(&id),
                f,
            );
        }
        _ => f.managed_policies.push(r.template(node).to_string()),
    }
}

/// A role named by `node` (`Role: !GetAtt R.Arn`, serverless `role: R`): its policies when the
/// template defines it, else the role is external and its permissions unknown.
pub fn attach_role(r: &Resolver<'_>, resources: &Node, node: &Node, f: &mut RoleGrants) {
    let Some(role_id) = referenced_id(r, resources, node)
        .filter(|id| type_of(resources, id) == Some("AWS::IAM::Role"))
    else {
        f.managed_policies
            .push(format!("role {}", r.template(node)));
        return;
    };
    let role = resources
        .get(&role_id)
        .map(|n| r.deref(n))
        .unwrap_or_default();
    for p in role
        .path("Properties.Policies")
        .map(|p| r.deref(p))
        .unwrap_or_default()
        .items()
    {
        document(r, p.path("PolicyDocument.Statement"), None, f);
    }
    for m in role
        .path("Properties.ManagedPolicyArns")
        .map(|m| r.deref(m))
        .unwrap_or_default()
        .items()
    {
        managed_policy(r, resources, m, f);
    }
    // `AWS::IAM::Policy` and `AWS::IAM::ManagedPolicy` resources that name the role.
    for (id, res) in resources.entries() {
        let kind = res.get("Type").and_then(|t| t.as_str());
        if kind != Some("AWS::IAM::Policy") && kind != Some(MANAGED_POLICY) {
            continue;
        }
        let attached =
            res.path("Properties.Roles")
                .map(|roles| r.deref(roles))
                .is_some_and(|roles| {
                    roles.items().iter().any(|x| {
                        referenced_id(r, resources, x).as_deref() == Some(role_id.as_str())
                    })
                });
        if attached {
            let managed = (kind == Some(MANAGED_POLICY)).then_some(id.as_str());
            document(
                r,
                res.path("Properties.PolicyDocument.Statement"),
                managed,
                f,
            );
        }
    }
}
