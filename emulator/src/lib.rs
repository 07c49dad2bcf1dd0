//! The reference emulator.
