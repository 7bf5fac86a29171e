//! Fixed-layout forms of the values the pool's zero-copy accounts hold. The accounts are read
//! in place (`AccountLoader`), so their layout must be the same on the host, in the SBF VM and
//! to every client: no `u128` (its alignment is 16 bytes on this project's SBF target, 8 where
//! the runtime lays account data out, and differs again on the host), no `bool`, `Option` or
//! enum, and no implicit padding (the `Pod` derive refuses a struct with any). Each form
//! converts to and from the plain value type the code computes with.
use anchor_lang::prelude::*;

use crate::rewards::Owed;
use crate::state::PoolLimits;

/// A `u128` as 16 little-endian bytes (alignment 1).
#[zero_copy]
#[derive(Debug, Default, PartialEq, Eq)]
pub struct PodU128 {
    pub le_bytes: [u8; 16],
}

impl PodU128 {
    pub fn get(&self) -> u128 {
        u128::from_le_bytes(self.le_bytes)
    }
}

impl From<u128> for PodU128 {
    fn from(value: u128) -> Self {
        Self {
            le_bytes: value.to_le_bytes(),
        }
    }
}

/// An `Owed` amount: whole units and the fraction of one (see `rewards::Owed`).
#[zero_copy]
#[derive(Debug, Default, PartialEq, Eq)]
pub struct PodOwed {
    pub units: PodU128,
    pub frac: u64,
}

impl PodOwed {
    pub fn get(&self) -> Owed {
        Owed {
            units: self.units.get(),
            frac: self.frac,
        }
    }
}

impl From<Owed> for PodOwed {
    fn from(owed: Owed) -> Self {
        Self {
            units: owed.units.into(),
            frac: owed.frac,
        }
    }
}

/// `PoolLimits` with the same field names, widest first, and its padding written out.
#[zero_copy]
#[derive(Debug, Default, PartialEq, Eq)]
pub struct PodLimits {
    pub min_deposit: u64,
    pub deposit_cap: u64,
    pub unbonding_period: i64,
    pub notice_period: i64,
    pub reserve_bps: u16,
    pub padding: [u8; 6],
}

impl PodLimits {
    pub fn get(&self) -> PoolLimits {
        PoolLimits {
            reserve_bps: self.reserve_bps,
            min_deposit: self.min_deposit,
            deposit_cap: self.deposit_cap,
            unbonding_period: self.unbonding_period,
            notice_period: self.notice_period,
        }
    }
}

impl From<PoolLimits> for PodLimits {
    fn from(limits: PoolLimits) -> Self {
        Self {
            min_deposit: limits.min_deposit,
            deposit_cap: limits.deposit_cap,
            unbonding_period: limits.unbonding_period,
            notice_period: limits.notice_period,
            reserve_bps: limits.reserve_bps,
            padding: [0; 6],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_gives_back_its_value() {
        for value in [0, 1, u128::from(u64::MAX) + 7, u128::MAX] {
            assert_eq!(PodU128::from(value).get(), value);
        }
        let owed = Owed {
            units: u128::MAX - 3,
            frac: 999,
        };
        assert_eq!(PodOwed::from(owed).get(), owed);
        let limits = PoolLimits {
            reserve_bps: 2_500,
            min_deposit: 10,
            deposit_cap: u64::MAX - 1,
            unbonding_period: -5,
            notice_period: 86_400,
        };
        assert_eq!(PodLimits::from(limits).get(), limits);
    }
}
