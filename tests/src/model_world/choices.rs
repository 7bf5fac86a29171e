//! Where a world's decisions come from: a seeded generator (the model-based test) or the bytes
//! of a fuzz input, read one decision at a time so that a fuzzer's byte edits map onto
//! choices. A seeded run can record its decisions as the bytes that replay it.

/// The source of every decision a world makes.
pub struct Choices {
    source: Source,
    /// The bytes that replay the decisions made so far, when recording.
    recorded: Option<Vec<u8>>,
}

enum Source {
    /// xorshift64*: small, seeded, reproducible.
    Seeded(u64),
    /// A fuzz input; decisions stop when it runs out.
    Bytes { data: Vec<u8>, at: usize },
}

impl Choices {
    /// Seed 0 is refused: xorshift stays at zero from it, and every decision would be 0.
    pub fn seeded(seed: u64) -> Self {
        assert_ne!(seed, 0, "xorshift needs a non-zero seed");
        Self {
            source: Source::Seeded(seed),
            recorded: None,
        }
    }

    /// Seeded, and keeping the bytes that make `from_bytes` take the same decisions.
    pub fn recording(seed: u64) -> Self {
        Self {
            recorded: Some(Vec::new()),
            ..Self::seeded(seed)
        }
    }

    pub fn from_bytes(data: &[u8]) -> Self {
        Self {
            source: Source::Bytes {
                data: data.to_vec(),
                at: 0,
            },
            recorded: None,
        }
    }

    /// The bytes recorded so far (empty unless `recording`).
    pub fn recorded(&self) -> &[u8] {
        self.recorded.as_deref().unwrap_or_default()
    }

    /// True once a byte source has been read to its end: the run stops drawing operations.
    pub fn exhausted(&self) -> bool {
        matches!(&self.source, Source::Bytes { data, at } if *at >= data.len())
    }

    /// A value below `n` (0 when `n` is 0). A byte source reads one byte for `n` ≤ 256 and
    /// eight little-endian bytes above (0 past its end), so one decision is one field of the
    /// input.
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        let width = if n <= 256 { 1 } else { 8 };
        let value = match &mut self.source {
            Source::Seeded(state) => {
                *state ^= *state >> 12;
                *state ^= *state << 25;
                *state ^= *state >> 27;
                state.wrapping_mul(0x2545_F491_4F6C_DD1D) % n
            }
            Source::Bytes { data, at } => {
                let mut bytes = [0u8; 8];
                let end = (*at + width).min(data.len());
                let taken = end.saturating_sub(*at);
                bytes[..taken].copy_from_slice(&data[(*at).min(end)..end]);
                *at += width;
                u64::from_le_bytes(bytes) % n
            }
        };
        if let Some(recorded) = &mut self.recorded {
            recorded.extend_from_slice(&value.to_le_bytes()[..width]);
        }
        value
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// Mostly a share of `max`, sometimes an edge: 0, max, max + 1.
    pub fn amount(&mut self, max: u64) -> u64 {
        match self.below(20) {
            0 => 0,
            1 => max,
            2 => max + 1,
            _ => self.below(max.max(1)) + 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Choices;

    #[test]
    fn recorded_bytes_replay_the_same_decisions() {
        let mut seeded = Choices::recording(7);
        let bounds = [2, 100, 256, 257, 1 << 40, 0, 3];
        let drawn: Vec<u64> = bounds.iter().map(|&n| seeded.below(n)).collect();
        let mut replay = Choices::from_bytes(seeded.recorded());
        let replayed: Vec<u64> = bounds.iter().map(|&n| replay.below(n)).collect();
        assert_eq!(drawn, replayed);
        assert!(replay.exhausted());
        assert_eq!(seeded.recorded().len(), 1 + 1 + 1 + 8 + 8 + 1);
    }

    #[test]
    fn a_byte_source_reads_zero_past_its_end() {
        let mut choices = Choices::from_bytes(&[5]);
        assert!(!choices.exhausted());
        assert_eq!(choices.below(10), 5);
        assert!(choices.exhausted());
        assert_eq!(choices.below(10), 0);
        assert_eq!(choices.below(1 << 20), 0);
    }
}
