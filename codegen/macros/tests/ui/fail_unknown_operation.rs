// `DeleteThing` is not an operation of the model: the error points at the name.
conform_macros::models!(
    model = "../../../../codegen/macros/tests/ui/models/tiny.json",
    operations = [PutThing, DeleteThing],
);

fn main() {}
