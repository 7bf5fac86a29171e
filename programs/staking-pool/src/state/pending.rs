use anchor_lang::prelude::*;

use crate::state::PoolLimits;

/// A change an admin can make against depositors. With a notice period it is proposed first
/// and applies only once the period has passed (`propose_change` / `execute_change`).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// A new APR, in bps (against depositors when lower).
    Apr(u32),
    /// A new reserve ratio, in bps (against depositors when lower: more is lent).
    Reserve(u16),
    /// A new unbonding period, in seconds (against depositors when longer).
    UnbondingPeriod(i64),
    /// A new notice period, in seconds (against depositors when shorter).
    NoticePeriod(i64),
    /// A new lending market (always against depositors: their idle principal goes there).
    LendingMarket(Pubkey),
}

impl PoolLimits {
    /// The changes of the limits a notice period covers, as `limits` would make them: its
    /// reserve, unbonding period and notice period.
    pub fn noticed_changes(&self) -> [Change; 3] {
        [
            Change::Reserve(self.reserve_bps),
            Change::UnbondingPeriod(self.unbonding_period),
            Change::NoticePeriod(self.notice_period),
        ]
    }

    /// These limits with `change` made (the APR and the market are not limits: unchanged).
    pub fn with(mut self, change: Change) -> PoolLimits {
        match change {
            Change::Reserve(reserve) => self.reserve_bps = reserve,
            Change::UnbondingPeriod(period) => self.unbonding_period = period,
            Change::NoticePeriod(period) => self.notice_period = period,
            Change::Apr(_) | Change::LendingMarket(_) => {}
        }
        self
    }

    /// These limits with the field of `change`'s kind as it is in `current`: the change undone.
    pub fn without(self, change: Change, current: &PoolLimits) -> PoolLimits {
        match current
            .noticed_changes()
            .into_iter()
            .find(|c| c.kind() == change.kind())
        {
            Some(undo) => self.with(undo),
            None => self,
        }
    }
}

/// Which kind of change: one pending proposal per kind.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    Apr,
    Reserve,
    UnbondingPeriod,
    NoticePeriod,
    LendingMarket,
}

impl Change {
    /// Whether this change, from a pool at `apr_bps` with `limits` lending to
    /// `lending_market`, is against depositors: a lower APR or reserve, a longer unbonding
    /// period, a shorter notice period, a different lending market.
    pub fn is_against_depositors(
        &self,
        apr_bps: u32,
        limits: &PoolLimits,
        lending_market: &Pubkey,
    ) -> bool {
        match *self {
            Change::Apr(apr) => apr < apr_bps,
            Change::Reserve(reserve) => reserve < limits.reserve_bps,
            Change::UnbondingPeriod(period) => period > limits.unbonding_period,
            Change::NoticePeriod(period) => period < limits.notice_period,
            Change::LendingMarket(market) => market != *lending_market,
        }
    }

    pub fn kind(&self) -> ChangeKind {
        match self {
            Change::Apr(_) => ChangeKind::Apr,
            Change::Reserve(_) => ChangeKind::Reserve,
            Change::UnbondingPeriod(_) => ChangeKind::UnbondingPeriod,
            Change::NoticePeriod(_) => ChangeKind::NoticePeriod,
            Change::LendingMarket(_) => ChangeKind::LendingMarket,
        }
    }
}

/// The pool's pending proposals: for each kind, the proposed value and when it was proposed
/// (`None`: nothing pending of that kind). When it may be executed follows from the pool's
/// notice period *now* (`Pool::execution_window`), so raising the notice delays what is
/// pending too.
#[derive(
    AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, Default, PartialEq, Eq, InitSpace,
)]
pub struct PendingChanges {
    pub apr_bps: u32,
    pub apr_proposed_at: Option<i64>,
    pub reserve_bps: u16,
    pub reserve_proposed_at: Option<i64>,
    pub unbonding_period: i64,
    pub unbonding_proposed_at: Option<i64>,
    pub notice_period: i64,
    pub notice_proposed_at: Option<i64>,
    pub lending_market: Pubkey,
    pub lending_market_proposed_at: Option<i64>,
}

impl PendingChanges {
    /// Stores `change`, proposed at `at`; replaces any pending change of its kind.
    pub fn set(&mut self, change: Change, at: i64) {
        match change {
            Change::Apr(v) => (self.apr_bps, self.apr_proposed_at) = (v, Some(at)),
            Change::Reserve(v) => (self.reserve_bps, self.reserve_proposed_at) = (v, Some(at)),
            Change::UnbondingPeriod(v) => {
                (self.unbonding_period, self.unbonding_proposed_at) = (v, Some(at))
            }
            Change::NoticePeriod(v) => {
                (self.notice_period, self.notice_proposed_at) = (v, Some(at))
            }
            Change::LendingMarket(v) => {
                (self.lending_market, self.lending_market_proposed_at) = (v, Some(at))
            }
        }
    }

    /// The pending change of `kind` and when it was proposed.
    pub fn get(&self, kind: ChangeKind) -> Option<(Change, i64)> {
        match kind {
            ChangeKind::Apr => self
                .apr_proposed_at
                .map(|at| (Change::Apr(self.apr_bps), at)),
            ChangeKind::Reserve => self
                .reserve_proposed_at
                .map(|at| (Change::Reserve(self.reserve_bps), at)),
            ChangeKind::UnbondingPeriod => self
                .unbonding_proposed_at
                .map(|at| (Change::UnbondingPeriod(self.unbonding_period), at)),
            ChangeKind::NoticePeriod => self
                .notice_proposed_at
                .map(|at| (Change::NoticePeriod(self.notice_period), at)),
            ChangeKind::LendingMarket => self
                .lending_market_proposed_at
                .map(|at| (Change::LendingMarket(self.lending_market), at)),
        }
    }

    /// Removes the pending change of `kind`.
    pub fn clear(&mut self, kind: ChangeKind) {
        match kind {
            ChangeKind::Apr => (self.apr_bps, self.apr_proposed_at) = (0, None),
            ChangeKind::Reserve => (self.reserve_bps, self.reserve_proposed_at) = (0, None),
            ChangeKind::UnbondingPeriod => {
                (self.unbonding_period, self.unbonding_proposed_at) = (0, None)
            }
            ChangeKind::NoticePeriod => (self.notice_period, self.notice_proposed_at) = (0, None),
            ChangeKind::LendingMarket => {
                (self.lending_market, self.lending_market_proposed_at) = (Pubkey::default(), None)
            }
        }
    }

    /// Every pending change, with when it was proposed.
    pub fn all(&self) -> impl Iterator<Item = (Change, i64)> + '_ {
        [
            ChangeKind::Apr,
            ChangeKind::Reserve,
            ChangeKind::UnbondingPeriod,
            ChangeKind::NoticePeriod,
            ChangeKind::LendingMarket,
        ]
        .into_iter()
        .filter_map(|kind| self.get(kind))
    }
}
