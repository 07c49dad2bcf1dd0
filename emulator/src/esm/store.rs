//! The stored event-source mappings and their tags, with the lifecycle AWS shows: transitional
//! states (`Creating`, `Updating`, `Enabling`, `Disabling`, `Deleting`) that settle after the
//! configured delay.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use conform_models::EventSourceMappingConfiguration;

/// One mapping as stored.
#[derive(Debug, Clone)]
pub struct Mapping {
    pub config: EventSourceMappingConfiguration,
    /// The source type's id from the overlay (`sqs`, `kinesis`, ...).
    pub source: &'static str,
    /// The region the mapping lives in.
    pub region: String,
    /// Creation order, for listing.
    pub sequence: u64,
    /// The state the mapping settles into, and when.
    pub pending: Option<(Instant, Settle)>,
    pub tags: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settle {
    Enabled,
    Disabled,
    Gone,
}

impl Mapping {
    /// Applies a transition whose time has come; `false` when the mapping is gone.
    fn settle(&mut self, now: Instant) -> bool {
        match self.pending {
            Some((at, settle)) if at <= now => {
                self.pending = None;
                match settle {
                    Settle::Enabled => self.config.state = Some("Enabled".to_owned()),
                    Settle::Disabled => self.config.state = Some("Disabled".to_owned()),
                    Settle::Gone => return false,
                }
                true
            }
            _ => true,
        }
    }

    /// Enters a transitional `state` that settles into `settle` after `delay`.
    pub fn transition(&mut self, state: &str, settle: Settle, delay: Duration) {
        self.config.state = Some(state.to_owned());
        self.pending = Some((Instant::now() + delay, settle));
    }
}

#[derive(Debug, Default)]
pub struct Store {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
pub struct Inner {
    pub mappings: BTreeMap<String, Mapping>,
    next_sequence: u64,
    /// The region and creation sequence of every mapping a List answer gave as its NextMarker,
    /// so that the next page still starts at its place once that mapping is gone.
    markers: HashMap<String, (String, u64)>,
}

impl Inner {
    /// Settles every mapping whose transition is due, dropping deleted ones.
    fn settle(&mut self) {
        let now = Instant::now();
        self.mappings.retain(|_, mapping| mapping.settle(now));
    }

    pub fn next_sequence(&mut self) -> u64 {
        self.next_sequence += 1;
        self.next_sequence
    }

    /// Remembers the UUID of a mapping of `region` given out as a NextMarker.
    pub fn issue_marker(&mut self, uuid: &str, region: &str, sequence: u64) {
        self.markers
            .insert(uuid.to_owned(), (region.to_owned(), sequence));
    }

    /// The creation sequence a List Marker names in `region`: that of the mapping it names, or,
    /// once that mapping is gone, the one remembered when it was given out. `None` for a marker
    /// never given out nor naming a mapping here.
    pub fn marker_position(&self, region: &str, marker: &str) -> Option<u64> {
        let (owner, sequence) = match self.mappings.get(marker) {
            Some(mapping) => (mapping.region.as_str(), mapping.sequence),
            None => self
                .markers
                .get(marker)
                .map(|(owner, sequence)| (owner.as_str(), *sequence))?,
        };
        (owner == region).then_some(sequence)
    }

    /// Mappings in creation order.
    pub fn in_order(&self) -> Vec<&Mapping> {
        let mut all: Vec<&Mapping> = self.mappings.values().collect();
        all.sort_by_key(|m| m.sequence);
        all
    }
}

impl Store {
    /// The store, settled: transitions that are due have happened. Check-then-act sequences
    /// (duplicates, updates) hold this one guard throughout, so they are atomic.
    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        let mut guard = self
            .inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        guard.settle();
        guard
    }
}
