// The pattern `([a-z]` compiles on neither regex engine: the error names the shape.
conform_macros::models!(
    model = "../../../../codegen/macros/tests/ui/models/bad_pattern.json",
    operations = [PutThing],
);

fn main() {}
