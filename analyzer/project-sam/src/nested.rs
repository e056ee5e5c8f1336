//! Nested stacks whose template is a file of the project: `AWS::Serverless::Application` with a
//! local `Location` and `AWS::CloudFormation::Stack` with a local `TemplateURL`. Their functions
//! are the project's too, named `<Stack>/<Function>`, read in the child template's own context
//! (its parameters stay references, its resources resolve by their ids), with diagnostics at the
//! child's lines. An application from the Serverless Application Repository, or a template
//! behind a URL, is not part of the project's code.

use slz_core::diagnostics::{Diagnostic, Location};
use slz_core::fs::{normalize, SourceFs};
use slz_project::yaml::Node;
use slz_project::{Framework, Project};
use std::path::{Path, PathBuf};

/// Deepest nesting of stacks followed.
const MAX_DEPTH: usize = 4;

/// Most nested templates read for one project.
const MAX_TEMPLATES: usize = 32;

/// Reads the local nested stacks of the template `root` (the config of `project`) into `project`.
pub fn read(project: &mut Project, root: &Node, fs: &dyn SourceFs) {
    let mut seen = vec![project.config.clone()];
    read_at(project, root, fs, 0, "", &mut seen);
}

fn read_at(
    project: &mut Project,
    root: &Node,
    fs: &dyn SourceFs,
    depth: usize,
    prefix: &str,
    seen: &mut Vec<PathBuf>,
) {
    let Some(resources) = root.get("Resources") else {
        return;
    };
    let config = seen.last().cloned().unwrap_or_default();
    let dir = config.parent().unwrap_or(Path::new("")).to_path_buf();
    for (id, node) in resources.entries() {
        let key = match node.get("Type").and_then(|t| t.as_str()) {
            Some("AWS::Serverless::Application") => "Location",
            Some("AWS::CloudFormation::Stack") => "TemplateURL",
            _ => continue,
        };
        // A repository application (`{ApplicationId, SemanticVersion}`) or an intrinsic.
        let Some(location) = node.path(&format!("Properties.{key}")) else {
            continue;
        };
        let Some(location) = location.as_str() else {
            continue;
        };
        if location.contains("://") || location.starts_with("s3") {
            continue;
        }
        let at = Location::new(&config, location_line(node, key), 1);
        let Some(path) = normalize(&dir.join(location)) else {
            project.diagnostics.push(Diagnostic::new(
                "path-outside-project",
                at,
                format!("nested stack `{id}`: its template {location} is outside the project folder; its functions are not read"),
            ));
            continue;
        };
        if seen.contains(&path) {
            continue;
        }
        if depth >= MAX_DEPTH || seen.len() > MAX_TEMPLATES {
            project.diagnostics.push(Diagnostic::new(
                "config-part-omitted",
                at,
                format!("nested stack `{id}` is deeper than {MAX_DEPTH} stacks or past {MAX_TEMPLATES} templates; its functions are not read"),
            ));
            continue;
        }
        let text = match fs.read(&path) {
            Ok(text) => text,
            Err(e) => {
                project.diagnostics.push(Diagnostic::new(
                    "missing-module",
                    at,
                    format!("nested stack `{id}`: its template {} cannot be read ({e}); its functions are not read", path.display()),
                ));
                continue;
            }
        };
        let mut child = Project::new(Framework::Sam, &path);
        let Some(child_root) = child.parse_yaml(&text) else {
            project.diagnostics.append(&mut child.diagnostics);
            continue;
        };
        let mut child = crate::from_tree(child, &child_root);
        seen.push(path);
        let name = format!("{prefix}{id}/");
        read_at(&mut child, &child_root, fs, depth + 1, &name, seen);
        seen.pop();
        for mut f in child.functions {
            // Functions of deeper stacks are named in full already.
            if !f.name.contains('/') {
                f.name = format!("{name}{}", f.name);
            }
            project.functions.push(f);
        }
        for (rid, r) in child.resources {
            project.resources.entry(rid).or_insert(r);
        }
        project.diagnostics.append(&mut child.diagnostics);
    }
}

/// The line of a nested stack's template property.
fn location_line(node: &Node, key: &str) -> u32 {
    node.path(&format!("Properties.{key}"))
        .map_or(node.line, |n| n.line)
}

#[cfg(test)]
mod tests {
    use super::*;
    use slz_core::fs::MemFs;
    use slz_project::reader::ProjectReader;

    fn read_project(files: &[(&str, &str)]) -> Project {
        let fs = MemFs::new(files.iter().copied());
        let reader = crate::reader::Template {
            framework: Framework::Sam,
        };
        reader.read(Path::new(files[0].0), files[0].1, &fs)
    }

    const FUNCTION: &str = "    Type: AWS::Serverless::Function\n    Properties:\n      Handler: app.handler\n      Runtime: nodejs20.x\n      CodeUri: src/\n";

    #[test]
    fn local_nested_stacks_bring_their_functions() {
        let parent = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n    Type: AWS::Serverless::Application\n    Properties:\n      Location: stacks/api.yaml\n  Repo:\n    Type: AWS::Serverless::Application\n    Properties:\n      Location:\n        ApplicationId: arn:aws:serverlessrepo:us-east-1:1:applications/x\n        SemanticVersion: 1.0.0\n  Remote:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: https://example.com/t.yaml\n";
        let api = format!("Transform: AWS::Serverless-2016-10-31\nResources:\n  Get:\n{FUNCTION}  Deep:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: ../deep.yaml\n");
        let deep = format!("Resources:\n  Worker:\n{FUNCTION}");
        let p = read_project(&[
            ("template.yaml", parent),
            ("stacks/api.yaml", &api),
            ("deep.yaml", &deep),
        ]);
        let names: Vec<&str> = p.functions.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["Api/Get", "Api/Deep/Worker"]);
        assert_eq!(p.functions[0].location.file, Path::new("stacks/api.yaml"));
        assert!(
            matches!(&p.functions[0].code, slz_project::Code::Module { module, .. } if module == Path::new("stacks/src/app"))
        );
    }

    #[test]
    fn cycles_missing_and_outside_templates_are_diagnosed_not_followed() {
        let parent = "Resources:\n  A:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: a.yaml\n  Gone:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: gone.yaml\n  Out:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: ../../out.yaml\n";
        let a = "Resources:\n  Back:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: template.yaml\n";
        let p = read_project(&[("template.yaml", parent), ("a.yaml", a)]);
        assert!(p.functions.is_empty());
        let codes: Vec<&str> = p.diagnostics.iter().map(|d| d.code).collect();
        assert!(codes.contains(&"missing-module"), "{codes:?}");
        assert!(codes.contains(&"path-outside-project"), "{codes:?}");
    }
}
