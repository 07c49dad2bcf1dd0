//! What the tests holding the rules' fast paths to the general ones share: a seeded random
//! source for drawing requests, and a request read by name only.

use conform_runtime::rules::PathSeg;
use conform_runtime::{Inspect, Scalar};

/// The request read by name only: no presence bits, no members by position, so evaluation
/// takes the general path.
pub struct ByName<'a>(pub &'a dyn Inspect);

impl Inspect for ByName<'_> {
    fn inspect(&self, path: &[PathSeg], found: &mut dyn FnMut(Scalar<'_>)) {
        self.0.inspect(path, found)
    }
}

/// splitmix64, seeded: the same requests on every run.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())].clone()
    }
}
