// The model is not valid JSON (a comma is missing): the error names the line and column.
conform_macros::models!(
    model = "../../../../codegen/macros/tests/ui/models/bad_json.json",
    operations = [PutThing],
);

fn main() {}
