// The model file does not exist: the error names the path the macro tried.
conform_macros::models!(
    model = "../../../../codegen/macros/tests/ui/models/no_such_model.json",
    operations = [PutThing],
);

fn main() {}
