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
