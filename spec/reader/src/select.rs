//! Selects the closure of named operations: the operations, every shape they reach, and the
//! service narrowed to them.

use std::collections::HashSet;

use indexmap::IndexMap;

use crate::error::SpecError;
use crate::ir::*;

impl Model {
    /// A model holding only `operations` (bare names or shape ids), every shape they reach
    /// through inputs, outputs, errors and members, and the service narrowed to them.
    pub fn select<S: AsRef<str>>(&self, operations: &[S]) -> Result<Model, SpecError> {
        let mut keep: HashSet<String> = HashSet::new();
        let mut pending: Vec<String> = Vec::new();
        let mut selected_ops: Vec<String> = Vec::new();
        for name in operations {
            let (shape, _) = self
                .operation(name.as_ref())
                .map_err(|kind| SpecError::new(&self.origin, kind))?;
            // A name and its shape id may both be given; the service lists the operation once.
            if !selected_ops.contains(&shape.id) {
                selected_ops.push(shape.id.clone());
                pending.push(shape.id.clone());
            }
        }
        while let Some(id) = pending.pop() {
            if !keep.insert(id.clone()) {
                continue;
            }
            let Some(shape) = self.shapes.get(&id) else {
                continue;
            };
            let mut reach = |target: &String| {
                if !keep.contains(target) {
                    pending.push(target.clone());
                }
            };
            match &shape.kind {
                ShapeKind::Operation(op) => op
                    .input
                    .iter()
                    .chain(&op.output)
                    .chain(&op.errors)
                    .for_each(&mut reach),
                ShapeKind::List { member } => reach(&member.target),
                ShapeKind::Map { key, value } => {
                    reach(&key.target);
                    reach(&value.target);
                }
                ShapeKind::Structure { members } | ShapeKind::Union { members } => {
                    members.iter().for_each(|m| reach(&m.target))
                }
                _ => {}
            }
        }
        let mut shapes: IndexMap<String, Shape> = self
            .shapes
            .iter()
            .filter(|(id, _)| keep.contains(*id))
            .map(|(id, shape)| (id.clone(), shape.clone()))
            .collect();
        if let Some((service_shape, service)) = self.service() {
            let narrowed = Service {
                version: service.version.clone(),
                operations: selected_ops,
                resources: Vec::new(),
                errors: service
                    .errors
                    .iter()
                    .filter(|e| keep.contains(*e))
                    .cloned()
                    .collect(),
            };
            shapes.insert(
                service_shape.id.clone(),
                Shape {
                    id: service_shape.id.clone(),
                    kind: ShapeKind::Service(narrowed),
                    traits: service_shape.traits.clone(),
                },
            );
        }
        Ok(Model {
            origin: self.origin.clone(),
            shapes,
        })
    }

    /// Operations in service order when a service lists them (directly or via resources),
    /// else in model order.
    pub fn operation_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = Vec::new();
        if let Some((_, service)) = self.service() {
            let mut seen = HashSet::new();
            let mut seen_resources = HashSet::new();
            let mut stack: Vec<&String> = service.resources.iter().rev().collect();
            for op in &service.operations {
                if seen.insert(op.clone()) {
                    ids.push(op.clone());
                }
            }
            while let Some(resource) = stack.pop() {
                // A resource that lists itself (directly or not) would otherwise loop forever.
                if !seen_resources.insert(resource) {
                    continue;
                }
                if let Some(ShapeKind::Resource(r)) = self.shapes.get(resource).map(|s| &s.kind) {
                    for op in &r.operations {
                        if seen.insert(op.clone()) {
                            ids.push(op.clone());
                        }
                    }
                    stack.extend(r.resources.iter().rev());
                }
            }
        }
        for (shape, _) in self.operations() {
            if !ids.contains(&shape.id) {
                ids.push(shape.id.clone());
            }
        }
        ids
    }
}
