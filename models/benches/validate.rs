//! Criterion benchmark: generated `validate()` against the jsonschema crate (filled in below).

fn main() {}
