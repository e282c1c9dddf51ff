//! A typed, error-tolerant view of a template over its syntax tree. Every item keeps its node, so
//! a finding can point at the exact key or value.

use crate::source::Span;
use crate::syntax::{Entry, Node};

pub const SAM_TRANSFORM: &str = "AWS::Serverless-2016-10-31";

#[derive(Debug)]
pub struct Template<'a> {
    pub root: &'a Node,
    pub parameters: Vec<Parameter<'a>>,
    pub conditions: Vec<NamedNode<'a>>,
    pub mappings: Vec<NamedNode<'a>>,
    pub resources: Vec<Resource<'a>>,
    pub outputs: Vec<NamedNode<'a>>,
    /// SAM's `Globals` section, by resource kind (`Function`, `Api`, `SimpleTable` …).
    pub globals: Vec<NamedNode<'a>>,
    pub transforms: Vec<&'a str>,
}

/// An entry of a section: its name, where the name is, and its value.
#[derive(Debug, Clone, Copy)]
pub struct NamedNode<'a> {
    pub name: &'a str,
    pub name_span: Span,
    pub node: &'a Node,
}

#[derive(Debug, Clone, Copy)]
pub struct Parameter<'a> {
    pub name: &'a str,
    pub name_span: Span,
    pub node: &'a Node,
    pub default: Option<&'a Node>,
    pub allowed_values: Option<&'a [Node]>,
}

#[derive(Debug, Clone, Copy)]
pub struct Resource<'a> {
    pub logical_id: &'a str,
    pub id_span: Span,
    /// The resource's mapping (Type, Properties, Condition, Metadata …).
    pub node: &'a Node,
    pub type_name: Option<&'a str>,
    /// The `Properties` entry, when present.
    pub properties: Option<&'a Entry>,
    /// The name of the resource's `Condition`, when it has one.
    pub condition: Option<(&'a str, Span)>,
    pub metadata: Option<&'a Node>,
}

impl<'a> Resource<'a> {
    pub fn property(&self, name: &str) -> Option<&'a Node> {
        self.properties?.value.get(name)
    }

    /// Where a finding about a missing property points: the `Properties` key, else the logical id.
    pub fn anchor(&self) -> Span {
        self.properties.map_or(self.id_span, |entry| entry.key_span)
    }

    pub fn is_sam(&self) -> bool {
        self.type_name
            .is_some_and(|name| name.starts_with("AWS::Serverless::"))
    }
}

impl<'a> Template<'a> {
    /// Builds the view, or `None` when the document is not a CloudFormation template (no
    /// `Resources` and no `AWSTemplateFormatVersion` at the top level).
    pub fn new(root: &'a Node) -> Option<Template<'a>> {
        root.as_mapping()?;
        if root.get("Resources").is_none() && root.get("AWSTemplateFormatVersion").is_none() {
            return None;
        }
        let parameters = section(root, "Parameters")
            .map(|named| Parameter {
                name: named.name,
                name_span: named.name_span,
                node: named.node,
                default: named.node.get("Default"),
                allowed_values: named.node.get("AllowedValues").and_then(Node::as_sequence),
            })
            .collect();
        let resources = section(root, "Resources")
            .map(|named| Resource {
                logical_id: named.name,
                id_span: named.name_span,
                node: named.node,
                type_name: named.node.get("Type").and_then(Node::as_str),
                properties: named.node.entry("Properties"),
                condition: named
                    .node
                    .entry("Condition")
                    .and_then(|entry| entry.value.as_str().map(|name| (name, entry.value.span))),
                metadata: named.node.get("Metadata"),
            })
            .collect();
        let transforms = match root.get("Transform") {
            Some(node) => match node.as_sequence() {
                Some(items) => items.iter().filter_map(Node::as_str).collect(),
                None => node.as_str().into_iter().collect(),
            },
            None => Vec::new(),
        };
        Some(Template {
            root,
            parameters,
            conditions: section(root, "Conditions").collect(),
            mappings: section(root, "Mappings").collect(),
            resources,
            outputs: section(root, "Outputs").collect(),
            globals: section(root, "Globals").collect(),
            transforms,
        })
    }

    pub fn is_sam(&self) -> bool {
        self.transforms.contains(&SAM_TRANSFORM)
    }

    pub fn parameter(&self, name: &str) -> Option<&Parameter<'a>> {
        self.parameters
            .iter()
            .rev()
            .find(|parameter| parameter.name == name)
    }

    pub fn condition(&self, name: &str) -> Option<&NamedNode<'a>> {
        self.conditions
            .iter()
            .rev()
            .find(|condition| condition.name == name)
    }

    pub fn mapping(&self, name: &str) -> Option<&NamedNode<'a>> {
        self.mappings
            .iter()
            .rev()
            .find(|mapping| mapping.name == name)
    }

    pub fn resource(&self, logical_id: &str) -> Option<&Resource<'a>> {
        self.resources
            .iter()
            .rev()
            .find(|resource| resource.logical_id == logical_id)
    }

    /// SAM `Globals` for a resource type (`AWS::Serverless::Function` -> `Globals.Function`).
    pub fn globals_for(&self, type_name: &str) -> Option<&'a Node> {
        let kind = type_name.strip_prefix("AWS::Serverless::")?;
        self.globals
            .iter()
            .rev()
            .find(|global| global.name == kind)
            .map(|global| global.node)
    }
}

fn section<'a>(root: &'a Node, name: &str) -> impl Iterator<Item = NamedNode<'a>> {
    root.get(name)
        .and_then(Node::as_mapping)
        .unwrap_or_default()
        .iter()
        .map(|entry| NamedNode {
            name: entry.key.as_str(),
            name_span: entry.key_span,
            node: &entry.value,
        })
}
