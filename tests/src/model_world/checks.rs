//! The checks after each step beyond equality with the model: the invariants (docs/invariants.md), principal on
//! its way out kept idle, a loss shared pro rata.
use anchor_lang::prelude::Pubkey;

use super::ops::{actor, Op};
use crate::model::Model;

/// Principal that has started to leave is never lent: a step that lends leaves idle principal
/// covering all unbonding principal, and after a crank it is short only as far as the market
/// cannot pay (its vault is empty, the pool's receipt is worth less, or nothing is lent).
pub(super) fn check_leaving_principal_is_idle(
    before: &Model,
    after: &Model,
    op: Op,
    context: &str,
) {
    let pool = &after.pool;
    let shortfall = after
        .value(pool.total_unbonding)
        .saturating_sub(after.principal().saturating_sub(pool.lent));
    if pool.lent > before.pool.lent {
        assert_eq!(shortfall, 0, "{context}: a lend took unbonding principal");
    }
    if matches!(op, Op::Rebalance) {
        assert!(
            shortfall == 0
                || after.tokens.market_vault == 0
                || after.receipt_value() < shortfall
                || pool.lent == 0,
            "{context}: unbonding principal {shortfall} left lent by a crank the market could pay"
        );
    }
}

/// The invariants of docs/invariants.md over the observed accounts (the pool as read, every position as last
/// read: a position no transaction since has referenced cannot have changed).
pub(super) fn check_invariants(
    pool: staking_pool::state::Pool,
    observed: &Model,
    supply: u64,
    receipt_value: u64,
    context: &str,
) -> usize {
    let positions = observed
        .positions
        .iter()
        .filter(|p| p.open)
        .map(|p| staking_pool::state::Position {
            owner: Pubkey::default(),
            pool: Pubkey::default(),
            staked_shares: p.staked,
            unbonding_shares: p.unbonding,
            unlock_ts: p.unlock_ts,
            index_snapshot: p.snapshot.into(),
            owed: p.owed.into(),
            total_claimed: p.claimed,
            bump: 0,
            padding: [0; 7],
            reserved: [0; 32],
        })
        .collect();
    let pending_loss = staking_pool::allocation::unrecognised_loss(
        pool.lent_principal,
        receipt_value,
        observed.rate(),
    );
    let books = stakepool_client::invariants::Books {
        pool,
        positions,
        vault: observed.tokens.vault,
        reward_vault: observed.tokens.reward_vault,
        receipt_value: Some(receipt_value),
        pending_loss,
        share_rounding: staking_pool::allocation::share_rounding(observed.rate()),
        tokens_total: observed.total_tokens(),
        supply,
        now: observed.clock,
    };
    let checks = stakepool_client::invariants::check_all(&books);
    for check in &checks {
        assert!(
            check.holds,
            "{context}: invariant broken: {}: {}",
            check.name, check.detail
        );
    }
    checks.len()
}

/// When `op` recognised a loss, every depositor it did not act for kept the same fraction of
/// their principal as the pool: `worth × (principal − loss) / principal`, within a base unit.
/// Returns how many depositors were checked.
pub(super) fn check_loss_shared_pro_rata(
    before: &Model,
    after: &Model,
    op: Op,
    context: &str,
) -> usize {
    let loss = after.pool.losses - before.pool.losses;
    if loss == 0 {
        return 0;
    }
    // The pool's principal as it was when the loss was recognised, before `op` moved any.
    let principal = u128::from(before.principal());
    let mut checked = 0;
    for u in (0..after.positions.len()).filter(|&u| Some(u) != actor(op)) {
        let was = u128::from(before.worth(u));
        if was == 0 {
            continue;
        }
        let fair = was * (principal - u128::from(loss)) / principal;
        let kept = u128::from(after.worth(u));
        assert!(
            fair.abs_diff(kept) <= 1,
            "{context}: depositor {u} kept {kept} of {was} after a loss of {loss} out of {principal}, fair {fair}"
        );
        checked += 1;
    }
    checked
}
