//! Book-keeping shared by every instruction that recalls lent principal.
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::allocation::{harvest_amount, harvestable_interest, share_rounding, unrecognised_loss};
use crate::errors::StakingError;
use crate::events::{LendingCostCovered, LossRecognised};
use crate::lending::{LendingMarket, PoolSide};
use crate::state::{LoadedPool, Pool};
use mock_lending::state::{Market, Receipt};
use program_accounts::token_moves::transfer_between_vaults;

/// The pool's token accounts and program a recall moves tokens between.
pub struct PoolTokens<'a, 'info> {
    pub mint: &'a InterfaceAccount<'info, Mint>,
    pub token_program: &'a Interface<'info, TokenInterface>,
    pub vault: &'a mut InterfaceAccount<'info, TokenAccount>,
    pub reward_vault: &'a mut InterfaceAccount<'info, TokenAccount>,
}

impl<'a, 'info> PoolTokens<'a, 'info> {
    /// The pool's side of a lending CPI: the pool signing, with this mint and token program.
    pub fn side<'p>(&self, pool: &'p LoadedPool<'p, 'info>) -> PoolSide<'p, 'info>
    where
        'a: 'p,
    {
        PoolSide {
            pool,
            mint: self.mint,
            token_program: self.token_program,
        }
    }
}

/// Lends `amount` of idle principal from the vault, then keeps lent principal fully backed
/// (shares are bought rounded down: the receipt can be worth a unit less than lent). Returns
/// the lending cost covered (see `cover_rounding`).
pub fn lend_principal<'info>(
    pool: &mut LoadedPool<'_, 'info>,
    lending: &mut LendingMarket<'_, 'info>,
    tokens: &mut PoolTokens<'_, 'info>,
    amount: u64,
    now: i64,
) -> Result<u64> {
    let side = tokens.side(pool);
    lending.lend(&side, tokens.vault, amount, now)?;
    pool.lent_principal = pool
        .lent_principal
        .checked_add(amount)
        .ok_or(StakingError::MathOverflow)?;
    cover_rounding(pool, lending, tokens, now)
}

/// Recalls `amount` of lent principal into the vault, then keeps lent principal fully backed.
/// Returns the lending cost covered (see `cover_rounding`).
pub fn recall_principal<'info>(
    pool: &mut LoadedPool<'_, 'info>,
    lending: &mut LendingMarket<'_, 'info>,
    tokens: &mut PoolTokens<'_, 'info>,
    amount: u64,
    now: i64,
) -> Result<u64> {
    recall_into_vault(pool, lending, tokens, amount, now)?;
    cover_rounding(pool, lending, tokens, now)
}

/// Recalls `amount` of lent principal into the vault and books it as no longer lent.
fn recall_into_vault<'info>(
    pool: &mut LoadedPool<'_, 'info>,
    lending: &mut LendingMarket<'_, 'info>,
    tokens: &mut PoolTokens<'_, 'info>,
    amount: u64,
    now: i64,
) -> Result<()> {
    let side = tokens.side(pool);
    lending.recall(&side, tokens.vault, amount, now)?;
    pool.lent_principal = pool
        .lent_principal
        .checked_sub(amount)
        .ok_or(StakingError::MathOverflow)?;
    Ok(())
}

/// Recalls `amount` of lent principal into the vault for a withdrawal, and charges the
/// withdrawer the share rounding of that recall: the market burns shares rounded up, so the
/// receipt can lose up to one share's worth more than `amount`. That extra is kept in the
/// vault out of the withdrawal (written off lent principal), so the withdrawer pays the cost of
/// the recall they caused, not the reward books; otherwise a wallet cycling deposit and
/// withdraw could drain the books a unit at a time. Returns the amount charged (at most one
/// share's worth plus one, and never more than `amount` nor the withdrawal, `withdrawn`).
pub fn recall_for_withdrawal<'info>(
    pool: &mut LoadedPool<'_, 'info>,
    lending: &mut LendingMarket<'_, 'info>,
    tokens: &mut PoolTokens<'_, 'info>,
    amount: u64,
    withdrawn: u64,
    now: i64,
) -> Result<u64> {
    let shortfall_before = backing_shortfall(pool, lending, now)?;
    recall_into_vault(pool, lending, tokens, amount, now)?;
    let (_, rate) = lending.receipt_value(now)?;
    let charged = backing_shortfall(pool, lending, now)?
        .saturating_sub(shortfall_before)
        .min(share_rounding(rate))
        .min(amount)
        .min(withdrawn);
    pool.lent_principal -= charged;
    // Nothing older is covered here: a shortfall this withdrawal did not cause is either a
    // lend's rounding (covered when it was lent) or a market's loss, which the reward books
    // never pay, and repeated small withdrawals must not make them.
    Ok(charged)
}

/// Lent principal the receipt is not worth now (share rounding, or a market's loss).
fn backing_shortfall(pool: &Pool, lending: &LendingMarket<'_, '_>, now: i64) -> Result<u64> {
    let (value, _) = lending.receipt_value(now)?;
    Ok(pool.lent_principal.saturating_sub(value))
}

/// Moves interest the market has backed and can pay (see `allocation::harvest_amount`) from
/// the receipt into the reward vault, leaving the receipt worth at least lent principal.
/// Returns the amount taken; what cannot be taken now stays in the receipt.
pub fn take_interest<'info>(
    pool: &mut LoadedPool<'_, 'info>,
    lending: &mut LendingMarket<'_, 'info>,
    tokens: &mut PoolTokens<'_, 'info>,
    now: i64,
) -> Result<u64> {
    let (_, rate) = lending.receipt_value(now)?;
    let safe = harvestable_interest(lending.receipt.shares, rate, pool.lent_principal)
        .ok_or(StakingError::MathOverflow)?;
    let amount = harvest_amount(
        safe,
        lending.deficit(now)?,
        lending.liquidity(),
        pool.lent_principal,
    );
    if amount > 0 {
        let side = tokens.side(pool);
        lending.recall(&side, tokens.reward_vault, amount, now)?;
        pool.total_interest_harvested = pool
            .total_interest_harvested
            .checked_add(amount)
            .ok_or(StakingError::MathOverflow)?;
    }
    Ok(amount)
}

/// The market burns shares rounded up (in its favour), so a recall can leave the receipt worth
/// a unit or two less than the principal still booked as lent. That difference is a cost of
/// lending: it is paid from the reward books into the vault and written off lent principal,
/// so `vault + lent` always backs every depositor. If the reward books cannot cover it, what
/// is left stays booked as lent and is covered by a later recall or lend. Each call covers at
/// most one share's worth, so a real loss in the market is never hidden in the reward books.
pub fn cover_rounding<'info>(
    pool: &mut LoadedPool<'_, 'info>,
    lending: &LendingMarket<'_, 'info>,
    tokens: &mut PoolTokens<'_, 'info>,
    now: i64,
) -> Result<u64> {
    let (value, rate) = lending.receipt_value(now)?;
    let deficit = pool.lent_principal.saturating_sub(value);
    let available = pool.reward_balance().ok_or(StakingError::MathOverflow)?;
    // A larger gap than one share's rounding is not rounding, and is not paid from rewards.
    let covered = deficit.min(available).min(share_rounding(rate));
    if covered == 0 {
        return Ok(0);
    }
    transfer_between_vaults(
        pool,
        tokens.token_program,
        tokens.mint,
        tokens.reward_vault,
        tokens.vault,
        covered,
    )?;
    pool.lent_principal -= covered;
    pool.total_lending_costs = pool
        .total_lending_costs
        .checked_add(covered)
        .ok_or(StakingError::MathOverflow)?;
    emit!(LendingCostCovered {
        pool: pool.key(),
        amount: covered,
        total_lending_costs: pool.total_lending_costs,
    });
    Ok(covered)
}

/// Recognises a market loss: when the pool's receipt, valued at what the market pays per share
/// now, is worth less than lent principal by more than one share's rounding (which the reward
/// books cover, `cover_rounding`), the whole gap is a loss. It is written off lent principal
/// and off every share of principal pro rata, at once (`Pool::write_down`), and reported.
/// Returns the loss (zero when there is none). Every instruction that reads the market calls
/// this before anything else, so nobody is paid, or buys in, at a price the market no longer
/// backs.
///
/// The receipt is valued at the pool's clock, which never runs backwards: a cluster clock a
/// few seconds behind the pool's prices shares a little lower without anything being lost
/// (the market's own moves still use its clock, `LendingMarket::recall`).
pub fn recognise_loss(
    pool: &mut LoadedPool<'_, '_>,
    lending: &LendingMarket<'_, '_>,
    now: i64,
) -> Result<u64> {
    let (value, rate) = lending.receipt_value(now.max(pool.last_update_ts))?;
    let gap = unrecognised_loss(pool.lent_principal, value, rate);
    if gap == 0 {
        return Ok(0);
    }
    let principal_before = pool.total_principal().ok_or(StakingError::MathOverflow)?;
    pool.write_down(gap, now)?;
    emit!(LossRecognised {
        pool: pool.key(),
        loss: gap,
        principal_before,
        principal_after: pool.total_principal().ok_or(StakingError::MathOverflow)?,
        principal_index: pool.principal_index(),
        lent_principal: pool.lent_principal,
        total_losses: pool.total_losses,
    });
    Ok(gap)
}

/// For an instruction that moves principal in or out: while principal is lent, the market must
/// be read first (`recognise_loss`), so its accounts are required; with nothing lent there is
/// nothing to lose and they may be left out. Returns the market, when given.
pub fn recognise_loss_if_lent<'a, 'info>(
    pool: &mut LoadedPool<'_, 'info>,
    market: Option<&'a mut Box<Account<'info, Market>>>,
    receipt: Option<&'a mut Box<Account<'info, Receipt>>>,
    market_vault: Option<&'a mut Box<InterfaceAccount<'info, TokenAccount>>>,
    now: i64,
) -> Result<Option<LendingMarket<'a, 'info>>> {
    let lending = match (market, receipt, market_vault) {
        (Some(market), Some(receipt), Some(market_vault)) => {
            Some(LendingMarket::new(market, receipt, market_vault))
        }
        _ => None,
    };
    match &lending {
        Some(lending) => {
            recognise_loss(pool, lending, now)?;
        }
        None => require!(
            pool.lent_principal == 0,
            StakingError::LendingAccountsMissing
        ),
    }
    Ok(lending)
}
