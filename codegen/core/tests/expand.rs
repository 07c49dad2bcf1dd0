//! The expansion of the project's spec, kept as an insta snapshot: a change to
//! `spec/model/lambda.json` or its overlay shows up here as a reviewable diff of the generated
//! code (`cargo insta review`).
//!
//! The snapshot is byte for byte what `conform codegen expand` prints (modulo the trailing
//! newline insta trims): the CLI loads the same two files (embedded by `conform-models`),
//! selects every operation of the model with `Model::operation_ids()`, and generates with
//! `Options::default()` (runtime `::conform_runtime`, no `include_bytes!` sources), as here.

use std::path::PathBuf;

use conform_codegen::{expand, generate, Options};
use conform_spec::{Model, Overlay};

fn spec_file(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../spec/model")
        .join(name)
}

fn project_expansion() -> String {
    let model = Model::load(spec_file("lambda.json")).expect("the project's model loads");
    let operations = model.operation_ids();
    let selected = model.select(&operations).expect("the operations select");
    let overlay =
        Overlay::load(spec_file("lambda.overlay.toml"), &selected).expect("the overlay loads");
    let tokens =
        generate(&selected, Some(&overlay), &Options::default()).expect("the spec generates");
    expand(&tokens).expect("the generated code parses")
}

#[test]
fn project_spec_selects_the_eight_operations() {
    let model = Model::load(spec_file("lambda.json")).expect("the project's model loads");
    let names: Vec<String> = model
        .operation_ids()
        .iter()
        .map(|id| conform_spec::shape_name(id).to_owned())
        .collect();
    assert_eq!(
        names,
        [
            "CreateEventSourceMapping",
            "GetEventSourceMapping",
            "UpdateEventSourceMapping",
            "DeleteEventSourceMapping",
            "ListEventSourceMappings",
            "TagResource",
            "UntagResource",
            "ListTags",
        ]
    );
}

#[test]
fn project_spec_expansion() {
    let code = project_expansion();
    // The expansion is a whole Rust file.
    syn::parse_file(&code).expect("the expansion parses as a Rust file");
    insta::assert_snapshot!("lambda_expansion", code);
}

/// A narrower selection generates too: the overlay is checked against the whole model, then
/// keeps the rules of the operations selected (a rule of another operation names members the
/// narrowed model may lack).
#[test]
fn each_operation_alone_generates_with_the_project_overlay() {
    let model = Model::load(spec_file("lambda.json")).expect("the project's model loads");
    let overlay =
        Overlay::load(spec_file("lambda.overlay.toml"), &model).expect("the overlay loads");
    // Every operation by full id, as `operation_ids` names them, keeps every rule.
    assert_eq!(overlay.select(&model.operation_ids()), overlay);
    for operation in model.operation_ids() {
        let name = conform_spec::shape_name(&operation).to_owned();
        let selected = model.select(&[&name]).expect("the operation selects");
        let narrowed = overlay.select(&[&name]);
        assert_eq!(
            overlay.select(&[&operation]),
            narrowed,
            "{operation}: by full id"
        );
        assert!(
            narrowed
                .rules
                .iter()
                .all(|rule| rule.operations == [name.clone()]),
            "{name}: only its own rules, naming only it"
        );
        assert_eq!(
            narrowed.rules.len(),
            overlay.rules_for(&name).count(),
            "{name}: every rule of its own"
        );
        let tokens = generate(&selected, Some(&narrowed), &Options::default())
            .unwrap_or_else(|e| panic!("{name} alone: {e}"));
        let code = expand(&tokens).expect("the generated code parses");
        syn::parse_file(&code).expect("the expansion parses as a Rust file");
    }
}
