//! Sets of bytes, and finding where a run of bytes in a set ends: the inner loop of pattern
//! matching (`[a-z0-9-]*`) and of JSON string scanning, 16 or 32 bytes a step where the CPU
//! has the instructions for it.

/// How many bytes must follow a run's start for the vector step to be worth setting up.
const WIDE_FROM: usize = 32;

/// A set of bytes.
#[derive(Debug, Clone)]
pub struct ByteSet {
    members: [bool; 256],
    /// The set as two 16-entry tables, when it fits them: `byte` is a member exactly when
    /// `low[byte & 15] & high[byte >> 4] != 0`. That is what a vector table lookup can test
    /// for 16 or 32 bytes at once.
    #[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
    nibbles: Option<Nibbles>,
    #[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
    wide: Wide,
}

#[derive(Debug, Clone, Copy)]
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
struct Nibbles {
    low: [u8; 16],
    high: [u8; 16],
}

/// The widest step the CPU running this can take, decided once per set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wide {
    Scalar,
    #[cfg(target_arch = "x86_64")]
    Ssse3,
    #[cfg(target_arch = "x86_64")]
    Avx2,
}

impl Wide {
    fn detect() -> Wide {
        #[cfg(target_arch = "x86_64")]
        {
            if std::arch::is_x86_feature_detected!("avx2") {
                return Wide::Avx2;
            }
            if std::arch::is_x86_feature_detected!("ssse3") {
                return Wide::Ssse3;
            }
        }
        Wide::Scalar
    }
}

impl Nibbles {
    /// The tables of `members`: each distinct non-empty row (the low nibbles present under
    /// one high nibble) gets a bit, so at most eight distinct rows fit. Every ASCII-only set
    /// fits, as ASCII has eight rows.
    fn of(members: &[bool; 256]) -> Option<Nibbles> {
        let row = |high: usize| -> u16 {
            (0..16).fold(0, |row, low| {
                row | u16::from(members[high << 4 | low]) << low
            })
        };
        let mut distinct: Vec<u16> = Vec::new();
        let mut high = [0u8; 16];
        for (nibble, bit) in high.iter_mut().enumerate() {
            let row = row(nibble);
            if row == 0 {
                continue;
            }
            let index = match distinct.iter().position(|r| *r == row) {
                Some(index) => index,
                None => {
                    distinct.push(row);
                    distinct.len() - 1
                }
            };
            *bit = 1u8.checked_shl(u32::try_from(index).ok()?)?;
        }
        let mut low = [0u8; 16];
        for (nibble, bits) in low.iter_mut().enumerate() {
            for (index, row) in distinct.iter().enumerate() {
                if row & 1 << nibble != 0 {
                    *bits |= 1 << index;
                }
            }
        }
        Some(Nibbles { low, high })
    }
}

impl ByteSet {
    pub fn from_fn(contains: impl Fn(u8) -> bool) -> ByteSet {
        let mut members = [false; 256];
        for byte in 0..=255u8 {
            members[usize::from(byte)] = contains(byte);
        }
        let nibbles = Nibbles::of(&members);
        ByteSet {
            members,
            nibbles,
            wide: Wide::detect(),
        }
    }

    #[inline]
    pub fn contains(&self, byte: u8) -> bool {
        self.members[usize::from(byte)]
    }

    /// Where the run of bytes in the set that starts at `at` ends (`bytes.len()` at most).
    #[inline]
    pub fn run_end(&self, bytes: &[u8], at: usize) -> usize {
        // Setting up a vector step costs more than stepping a short tail by bytes.
        #[cfg(target_arch = "x86_64")]
        if bytes.len().saturating_sub(at) >= WIDE_FROM {
            if let Some(nibbles) = &self.nibbles {
                // SAFETY (both calls): `wide` was detected on this CPU when the set was built,
                // and at least 32 bytes follow `at`.
                return match self.wide {
                    Wide::Avx2 => unsafe { x86::run_end_avx2(nibbles, bytes, at) },
                    Wide::Ssse3 => unsafe { x86::run_end_ssse3(nibbles, bytes, at) },
                    Wide::Scalar => self.run_end_scalar(bytes, at),
                };
            }
        }
        self.run_end_scalar(bytes, at)
    }

    /// Eight bytes a step: their tests do not wait on one another.
    #[inline]
    fn run_end_scalar(&self, bytes: &[u8], mut at: usize) -> usize {
        while let Some(chunk) = bytes.get(at..at + 8) {
            if chunk.iter().fold(true, |all, b| all & self.contains(*b)) {
                at += 8;
            } else {
                break;
            }
        }
        while at < bytes.len() && self.contains(bytes[at]) {
            at += 1;
        }
        at
    }
}

/// Bit `i` set where byte `i` of the first 64 of `bytes` is `byte`.
#[inline]
pub fn positions_of(byte: u8, bytes: &[u8]) -> u64 {
    let length = bytes.len().min(64);
    #[cfg(target_arch = "x86_64")]
    if length >= 16 {
        // SAFETY: SSE2 is part of x86_64, and 16 bytes or more are there to read.
        return unsafe { x86::positions_of_within(byte, &bytes[..length]) };
    }
    bytes[..length]
        .iter()
        .enumerate()
        .fold(0u64, |mask, (i, &b)| mask | u64::from(b == byte) << i)
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    //! The vector steps. Each loads whole vectors only: the last one overlaps the one before
    //! rather than reading past the end, and bytes before `at` are masked out.

    use std::arch::x86_64::*;

    use super::Nibbles;

    /// The lanes of `chunk` whose byte is not in the set, as a bit mask.
    #[inline]
    #[target_feature(enable = "ssse3")]
    fn outside_16(chunk: __m128i, low: __m128i, high: __m128i) -> u32 {
        let nibble = _mm_set1_epi8(0x0f);
        let low_bits = _mm_shuffle_epi8(low, _mm_and_si128(chunk, nibble));
        let high_bits = _mm_shuffle_epi8(high, _mm_and_si128(_mm_srli_epi16(chunk, 4), nibble));
        let hits = _mm_and_si128(low_bits, high_bits);
        _mm_movemask_epi8(_mm_cmpeq_epi8(hits, _mm_setzero_si128())) as u32
    }

    /// Per lane of `chunk`, non-zero exactly when its byte is in the set.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn hits_32(chunk: __m256i, low: __m256i, high: __m256i) -> __m256i {
        let nibble = _mm256_set1_epi8(0x0f);
        let low_bits = _mm256_shuffle_epi8(low, _mm256_and_si256(chunk, nibble));
        let high_bits =
            _mm256_shuffle_epi8(high, _mm256_and_si256(_mm256_srli_epi16(chunk, 4), nibble));
        _mm256_and_si256(low_bits, high_bits)
    }

    /// The lanes whose hits are zero, as a bit mask.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn zero_lanes_32(hits: __m256i) -> u32 {
        _mm256_movemask_epi8(_mm256_cmpeq_epi8(hits, _mm256_setzero_si256())) as u32
    }

    /// # Safety
    /// The CPU must have SSE2 (every x86_64 has); `bytes` holds 16 to 64 bytes.
    #[target_feature(enable = "sse2")]
    pub(super) unsafe fn positions_of_within(byte: u8, bytes: &[u8]) -> u64 {
        debug_assert!((16..=64).contains(&bytes.len()));
        let wanted = _mm_set1_epi8(byte as i8);
        // SAFETY: every load reads 16 bytes that end at or before the end of `bytes`.
        let at = |from: usize| -> u64 {
            let chunk = unsafe { _mm_loadu_si128(bytes.as_ptr().add(from).cast()) };
            u64::from(_mm_movemask_epi8(_mm_cmpeq_epi8(chunk, wanted)) as u16) << from
        };
        let whole = (0..bytes.len() / 16).fold(0u64, |mask, k| mask | at(k * 16));
        // The tail overlaps the last whole chunk: those places get the same bits again.
        whole | at(bytes.len() - 16)
    }

    /// # Safety
    /// The CPU must have SSSE3, and at least 16 bytes must follow `at`.
    #[target_feature(enable = "ssse3")]
    pub(super) unsafe fn run_end_ssse3(tables: &Nibbles, bytes: &[u8], mut at: usize) -> usize {
        debug_assert!(bytes.len() >= at + 16);
        // SAFETY (every load here): the tables are 16 bytes, and every chunk read ends at or
        // before the end of `bytes`.
        let (low, high) = unsafe {
            (
                _mm_loadu_si128(tables.low.as_ptr().cast()),
                _mm_loadu_si128(tables.high.as_ptr().cast()),
            )
        };
        let load = |from: usize| unsafe { _mm_loadu_si128(bytes.as_ptr().add(from).cast()) };
        while at + 16 <= bytes.len() {
            let outside = outside_16(load(at), low, high);
            if outside != 0 {
                return at + outside.trailing_zeros() as usize;
            }
            at += 16;
        }
        let last = bytes.len() - 16;
        end_in_tail(outside_16(load(last), low, high), last, at, bytes.len())
    }

    /// # Safety
    /// The CPU must have AVX2, and at least 32 bytes must follow `at`.
    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn run_end_avx2(tables: &Nibbles, bytes: &[u8], mut at: usize) -> usize {
        debug_assert!(bytes.len() >= at + 32);
        // SAFETY (every load here): the tables are 16 bytes, and every chunk read ends at or
        // before the end of `bytes`.
        let (low, high) = unsafe {
            (
                _mm256_broadcastsi128_si256(_mm_loadu_si128(tables.low.as_ptr().cast())),
                _mm256_broadcastsi128_si256(_mm_loadu_si128(tables.high.as_ptr().cast())),
            )
        };
        let load = |from: usize| unsafe { _mm256_loadu_si256(bytes.as_ptr().add(from).cast()) };
        // Long runs four vectors a step, with one test for all: the byte-wise minimum of the
        // hits is zero where any vector has a byte outside the set.
        while at + 128 <= bytes.len() {
            let hits = |from: usize| hits_32(load(from), low, high);
            let any = _mm256_min_epu8(
                _mm256_min_epu8(hits(at), hits(at + 32)),
                _mm256_min_epu8(hits(at + 64), hits(at + 96)),
            );
            if zero_lanes_32(any) != 0 {
                break;
            }
            at += 128;
        }
        while at + 32 <= bytes.len() {
            let outside = zero_lanes_32(hits_32(load(at), low, high));
            if outside != 0 {
                return at + outside.trailing_zeros() as usize;
            }
            at += 32;
        }
        let last = bytes.len() - 32;
        end_in_tail(
            zero_lanes_32(hits_32(load(last), low, high)),
            last,
            at,
            bytes.len(),
        )
    }

    /// Where a run ends, from the lanes outside the set in the last vector (which starts at
    /// `last`), less those before `at`: already known to be in the set.
    #[inline]
    fn end_in_tail(outside: u32, last: usize, at: usize, len: usize) -> usize {
        match outside.checked_shr((at - last) as u32).unwrap_or(0) {
            0 => len,
            rest => at + rest.trailing_zeros() as usize,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{ByteSet, Nibbles, Wide};

    /// Sets that fit the tables and sets that do not, every step width, starts and lengths
    /// over bytes with a non-member at each place.
    #[test]
    fn every_width_finds_the_first_byte_outside_the_set() {
        let sets = [
            ByteSet::from_fn(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
            ByteSet::from_fn(|b| b != b'"' && b != b'\\' && b >= 0x20),
            ByteSet::from_fn(|b| b != b'\n'),
            ByteSet::from_fn(|b| b.is_ascii_digit()),
            // Sixteen distinct rows: too many for the tables.
            ByteSet::from_fn(|b| (b & 15) != (b >> 4)),
        ];
        assert!(sets[..4].iter().all(|s| s.nibbles.is_some()));
        assert!(sets[4].nibbles.is_none());
        let mut widths = vec![Wide::Scalar];
        #[cfg(target_arch = "x86_64")]
        {
            if std::arch::is_x86_feature_detected!("ssse3") {
                widths.push(Wide::Ssse3);
            }
            if std::arch::is_x86_feature_detected!("avx2") {
                widths.push(Wide::Avx2);
            }
        }
        for set in &sets {
            let member = (0..=255u8).find(|b| set.contains(*b)).expect("a member");
            let outsiders: Vec<u8> = (0..=255u8).filter(|b| !set.contains(*b)).collect();
            for &width in &widths {
                let set = ByteSet {
                    wide: width,
                    ..set.clone()
                };
                // Every length through two vector steps of each kind, then a few longer ones
                // (from a few starts) for the four-vector step and its tails.
                for len in (0..80).chain([127, 128, 129, 200, 255, 256, 300]) {
                    let starts: Vec<usize> = if len < 80 {
                        (0..=len).collect()
                    } else {
                        vec![0, 1, 31, 32, 33, 100, len - 1, len]
                    };
                    for hole in 0..=len {
                        let mut bytes = vec![member; len];
                        if hole < len {
                            bytes[hole] = outsiders[(hole * 7 + len) % outsiders.len()];
                        }
                        for &at in &starts {
                            let expected = if hole >= at { hole } else { len };
                            assert_eq!(
                                set.run_end(&bytes, at),
                                expected,
                                "{width:?}, len {len}, non-member at {hole}, from {at}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn positions_of_marks_each_place_of_the_byte_in_the_first_64() {
        for length in 0..100 {
            for seed in 0..20usize {
                let bytes: Vec<u8> = (0..length)
                    .map(|i| [b':', b'a', 0, b'\xff'][(i * 7 + seed * 13 + i * i) % 4])
                    .collect();
                for byte in [b':', 0, b'a'] {
                    let expected = bytes
                        .iter()
                        .take(64)
                        .enumerate()
                        .fold(0u64, |mask, (i, &b)| mask | u64::from(b == byte) << i);
                    assert_eq!(
                        super::positions_of(byte, &bytes),
                        expected,
                        "{byte} in {bytes:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn tables_hold_exactly_the_set() {
        for set in [
            ByteSet::from_fn(|b| b != b'"' && b != b'\\' && b >= 0x20),
            ByteSet::from_fn(|b| b"azAZ09-_./:*+=@".contains(&b) || b >= 0xc2),
        ] {
            let Nibbles { low, high } = set.nibbles.expect("fits the tables");
            for byte in 0..=255u8 {
                let fits = low[usize::from(byte & 15)] & high[usize::from(byte >> 4)] != 0;
                assert_eq!(fits, set.contains(byte), "byte {byte:#04x}");
            }
        }
    }
}
