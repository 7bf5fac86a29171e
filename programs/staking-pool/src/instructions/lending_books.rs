//! Book-keeping shared by every instruction that recalls lent principal.
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::errors::StakingError;
use crate::events::LendingCostCovered;
use crate::lending::{LendingMarket, PoolSide};
use crate::state::Pool;
use crate::transfers::transfer_out;

/// The pool's token accounts and program a recall moves tokens between.
pub struct PoolTokens<'a, 'info> {
    pub mint: &'a InterfaceAccount<'info, Mint>,
    pub token_program: &'a Interface<'info, TokenInterface>,
    pub vault: &'a mut InterfaceAccount<'info, TokenAccount>,
    pub reward_vault: &'a mut InterfaceAccount<'info, TokenAccount>,
}

/// Recalls `amount` of lent principal into the vault, then keeps lent principal fully backed.
/// Returns the lending cost covered (see `cover_rounding`).
pub fn recall_principal<'info>(
    pool: &mut Account<'info, Pool>,
    lending: &mut LendingMarket<'_, 'info>,
    tokens: &mut PoolTokens<'_, 'info>,
    amount: u64,
    now: i64,
) -> Result<u64> {
    {
        let side = PoolSide {
            pool,
            mint: tokens.mint,
            token_program: tokens.token_program,
        };
        lending.recall(&side, tokens.vault, amount, now)?;
    }
    pool.lent_principal = pool
        .lent_principal
        .checked_sub(amount)
        .ok_or(StakingError::MathOverflow)?;
    cover_rounding(pool, lending, tokens, now)
}

/// The market burns shares rounded up (in its favour), so a recall can leave the receipt worth
/// a unit or two less than the principal still booked as lent. That difference is a cost of
/// lending: it is paid from the reward books into the vault and written off lent principal,
/// so `vault + lent` always backs every depositor. If the reward books cannot cover it, what
/// is left stays booked as lent and is covered by a later recall or lend. Each call covers at
/// most one share's worth, so a real loss in the market is never hidden in the reward books.
pub fn cover_rounding<'info>(
    pool: &mut Account<'info, Pool>,
    lending: &LendingMarket<'_, 'info>,
    tokens: &mut PoolTokens<'_, 'info>,
    now: i64,
) -> Result<u64> {
    let (value, rate) = lending.receipt_value(now)?;
    let deficit = pool.lent_principal.saturating_sub(value);
    let available = pool.reward_balance().ok_or(StakingError::MathOverflow)?;
    // One operation's share rounding is worth at most a share: `rate` units, plus one for the
    // floor of the value. A larger gap is not rounding, and is not paid from rewards here.
    let one_share =
        u64::try_from(rate.div_ceil(mock_lending::constants::RATE_SCALE)).unwrap_or(u64::MAX);
    let covered = deficit.min(available).min(one_share.saturating_add(1));
    if covered == 0 {
        return Ok(0);
    }
    transfer_out(
        pool,
        tokens.token_program,
        tokens.mint,
        tokens.reward_vault,
        tokens.vault,
        covered,
    )?;
    tokens.vault.reload()?;
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
