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

/// When an announced change may be executed: from `executable_at` until `lapses_at`, both fixed
/// when it is announced (by the notice period then). Nothing moves them later: a change of the
/// notice period drops every pending proposal instead (`Pool::set_limits`), so a lapsed
/// announcement stays lapsed and every `ChangeProposed` stays true.
#[derive(
    AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, Default, PartialEq, Eq, InitSpace,
)]
pub struct Window {
    pub executable_at: i64,
    pub lapses_at: i64,
}

/// Why a pending proposal was dropped without being executed (`ChangeCancelled`).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CancelReason {
    /// The admin withdrew it (`cancel_change`).
    ByAdmin,
    /// A new proposal of its kind took its place.
    Replaced,
    /// A direct change of its kind (for depositors, or with no notice) set another value.
    Superseded,
    /// The notice period changed: announcements made under the old one no longer stand.
    NoticeChanged,
}

/// The pool's pending proposals: for each kind, the proposed value and its window, stored in
/// the pool's fixed layout (see `pod.rs`). A kind is pending when its bit (`1 << kind`) is set
/// in `proposed`; the value and window of a kind not pending are zero. A proposed lending
/// market also records the market's authority when it was proposed; execution refuses the
/// market if it changed.
#[zero_copy]
#[derive(Debug, Default, PartialEq, Eq)]
pub struct PendingChanges {
    /// `Window::executable_at` of each kind's proposal, indexed by `ChangeKind`.
    pub executable_at: [i64; 5],
    /// `Window::lapses_at` of each kind's proposal, indexed by `ChangeKind`.
    pub lapses_at: [i64; 5],
    pub unbonding_period: i64,
    pub notice_period: i64,
    pub lending_market: Pubkey,
    pub lending_market_authority: Pubkey,
    pub apr_bps: u32,
    pub reserve_bps: u16,
    /// Bit `1 << kind` set: a proposal of that `ChangeKind` is pending.
    pub proposed: u8,
    pub padding: u8,
}

impl PendingChanges {
    /// Stores `change` with its window; the caller has taken any pending change of its kind.
    pub fn set(&mut self, change: Change, window: Window) {
        match change {
            Change::Apr(v) => self.apr_bps = v,
            Change::Reserve(v) => self.reserve_bps = v,
            Change::UnbondingPeriod(v) => self.unbonding_period = v,
            Change::NoticePeriod(v) => self.notice_period = v,
            Change::LendingMarket(v) => self.lending_market = v,
        }
        let kind = change.kind();
        self.executable_at[kind as usize] = window.executable_at;
        self.lapses_at[kind as usize] = window.lapses_at;
        self.proposed |= kind.bit();
    }

    /// The pending change of `kind` and its window.
    pub fn get(&self, kind: ChangeKind) -> Option<(Change, Window)> {
        if self.proposed & kind.bit() == 0 {
            return None;
        }
        let change = match kind {
            ChangeKind::Apr => Change::Apr(self.apr_bps),
            ChangeKind::Reserve => Change::Reserve(self.reserve_bps),
            ChangeKind::UnbondingPeriod => Change::UnbondingPeriod(self.unbonding_period),
            ChangeKind::NoticePeriod => Change::NoticePeriod(self.notice_period),
            ChangeKind::LendingMarket => Change::LendingMarket(self.lending_market),
        };
        let window = Window {
            executable_at: self.executable_at[kind as usize],
            lapses_at: self.lapses_at[kind as usize],
        };
        Some((change, window))
    }

    /// Removes the pending change of `kind` and returns it.
    pub fn take(&mut self, kind: ChangeKind) -> Option<Change> {
        let (change, _) = self.get(kind)?;
        match kind {
            ChangeKind::Apr => self.apr_bps = 0,
            ChangeKind::Reserve => self.reserve_bps = 0,
            ChangeKind::UnbondingPeriod => self.unbonding_period = 0,
            ChangeKind::NoticePeriod => self.notice_period = 0,
            ChangeKind::LendingMarket => {
                self.lending_market = Pubkey::default();
                self.lending_market_authority = Pubkey::default();
            }
        }
        self.executable_at[kind as usize] = 0;
        self.lapses_at[kind as usize] = 0;
        self.proposed &= !kind.bit();
        Some(change)
    }

    /// Every pending change, with its window.
    pub fn all(&self) -> impl Iterator<Item = (Change, Window)> + '_ {
        ChangeKind::ALL
            .into_iter()
            .filter_map(|kind| self.get(kind))
    }
}

impl ChangeKind {
    /// This kind's bit in `PendingChanges::proposed`.
    pub fn bit(self) -> u8 {
        1 << self as u8
    }

    pub const ALL: [ChangeKind; 5] = [
        ChangeKind::Apr,
        ChangeKind::Reserve,
        ChangeKind::UnbondingPeriod,
        ChangeKind::NoticePeriod,
        ChangeKind::LendingMarket,
    ];
}

/// The pending proposals one change dropped, and why (each gets a `ChangeCancelled`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dropped {
    pub reason: CancelReason,
    pub changes: [Option<Change>; 5],
}

impl Dropped {
    pub fn new(reason: CancelReason) -> Self {
        Self {
            reason,
            changes: [None; 5],
        }
    }

    /// Adds `change`, if there was one (at most one per kind).
    pub fn add(&mut self, change: Option<Change>) {
        if let Some(change) = change {
            self.changes[change.kind() as usize] = Some(change);
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = Change> + '_ {
        self.changes.iter().flatten().copied()
    }
}
