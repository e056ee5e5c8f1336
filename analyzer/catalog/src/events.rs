//! How functions are triggered and where their asynchronous results go (`rules/events.toml`):
//! the kind of source each configured event reads from, the actions that send to a source or
//! start a function directly (the call graph's edges), and each destination kind with the action
//! the role needs to deliver there.

use serde::Deserialize;
use std::collections::BTreeMap;

/// An asynchronous source a function reads from.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventSource {
    pub doc: String,
    /// serverless.yml event keys and SAM event `Type`s that read from it.
    pub event_kinds: Vec<String>,
    /// Actions whose grant on the source's resource sends it something.
    pub triggered_by: Vec<String>,
}

/// An event key that reads from more than one kind of source (serverless.yml `stream`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SharedEventKind {
    pub doc: String,
    /// The source kind when no marker matches.
    pub default: String,
    /// Source kind -> texts whose presence in the configured source says it is that kind.
    pub markers: BTreeMap<String, Vec<String>>,
}

/// What a direct invocation starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InvocationTarget {
    /// The function the resource names.
    Function,
    /// The functions a state machine the resource names mentions.
    StateMachine,
}

/// Actions that start a function without an event source.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Invocation {
    pub doc: String,
    pub target: InvocationTarget,
    pub actions: Vec<String>,
    /// The CloudFormation types of the targets the template defines (state machines).
    #[serde(default)]
    pub resource_types: Vec<String>,
}

/// Where an asynchronous invocation's result can go.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DestinationKind {
    /// The action the function's role needs to send there.
    pub action: String,
    /// SAM's `DestinationConfig` `Type`.
    pub sam_type: String,
    /// The CloudFormation type of a template resource the destination refers to.
    pub resource_type: String,
    /// The service of a destination given as an ARN.
    pub arn_service: String,
}

/// Everything `rules/events.toml` says.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventRules {
    pub default_destination: String,
    pub sources: BTreeMap<String, EventSource>,
    pub shared_event_kinds: BTreeMap<String, SharedEventKind>,
    pub invocations: BTreeMap<String, Invocation>,
    pub destinations: BTreeMap<String, DestinationKind>,
}

impl EventRules {
    /// The kind of source an event of `event_kind` reads from (`sqs`, `dynamodb-stream`), or
    /// None for events that are not an asynchronous source (`http`, `schedule`). `source_text`
    /// gives the configured source as text, asked for only when the event key is shared.
    pub fn source_kind(
        &self,
        event_kind: &str,
        source_text: impl FnOnce() -> String,
    ) -> Option<&str> {
        if let Some(shared) = self.shared_event_kinds.get(event_kind) {
            let text = source_text();
            let marked = shared
                .markers
                .iter()
                .find(|(_, markers)| markers.iter().any(|m| text.contains(m.as_str())));
            return Some(marked.map_or(shared.default.as_str(), |(kind, _)| kind.as_str()));
        }
        self.sources
            .iter()
            .find(|(_, s)| s.event_kinds.iter().any(|k| k == event_kind))
            .map(|(kind, _)| kind.as_str())
    }

    /// The source kind a grant of `action` sends to (`sqs:SendMessage` -> `sqs`).
    pub fn triggered_source(&self, action: &str) -> Option<&str> {
        self.sources
            .iter()
            .find(|(_, s)| s.triggered_by.iter().any(|a| a == action))
            .map(|(kind, _)| kind.as_str())
    }

    /// The direct invocation a grant of `action` makes, with its edge name.
    pub fn invocation(&self, action: &str) -> Option<(&str, &Invocation)> {
        self.invocations
            .iter()
            .find(|(_, i)| i.actions.iter().any(|a| a == action))
            .map(|(via, i)| (via.as_str(), i))
    }

    /// The destination of this kind (`sqs`, `eventBus`).
    pub fn destination(&self, kind: &str) -> Option<&DestinationKind> {
        self.destinations.get(kind)
    }

    /// The action delivering to a destination of this kind; a kind not listed is the default's.
    pub fn destination_action_or_default(&self, kind: &str) -> Option<&str> {
        self.destination(kind)
            .or_else(|| self.destination(&self.default_destination))
            .map(|d| d.action.as_str())
    }

    /// The destination kind SAM's `Type` names.
    pub fn destination_by_sam_type(&self, sam_type: &str) -> Option<&str> {
        self.destinations
            .iter()
            .find(|(_, d)| d.sam_type == sam_type)
            .map(|(kind, _)| kind.as_str())
    }

    /// The destination kind of a template resource of this CloudFormation type.
    pub fn destination_by_resource_type(&self, resource_type: &str) -> Option<&str> {
        self.destinations
            .iter()
            .find(|(_, d)| d.resource_type == resource_type)
            .map(|(kind, _)| kind.as_str())
    }

    /// The destination kind of an ARN (`arn:aws:sqs:...` -> `sqs`).
    pub fn destination_by_arn(&self, arn: &str) -> Option<&str> {
        let (service, _) = arn.strip_prefix("arn:aws:")?.split_once(':')?;
        self.destinations
            .iter()
            .find(|(_, d)| d.arn_service == service)
            .map(|(kind, _)| kind.as_str())
    }
}
