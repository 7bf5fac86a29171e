use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenAccount;

use crate::errors::StakingError;
use crate::events::Claimed;
use crate::instructions::owner_position::*;
use crate::state::{Pool, Position};
use crate::transfers::transfer_out;

owner_position_accounts! {
    pub struct Claim<'info> {
        pool, position, owner, tokens: stake_mint, token_program;
        #[account(mut, address = pool.reward_vault @ StakingError::InvalidRewardVault)]
        pub reward_vault: Box<InterfaceAccount<'info, TokenAccount>>,
        /// Where the rewards go: any account of the stake mint the owner chooses.
        #[account(
            mut,
            token::mint = stake_mint,
            token::token_program = token_program,
        )]
        pub owner_token: Box<InterfaceAccount<'info, TokenAccount>>,
    }
}

/// Settles the position and returns what can be paid now: everything owed, or what the
/// reward books hold if that is less. The rest stays owed.
pub fn settle_payable(pool: &mut Pool, position: &mut Position, now: i64) -> Result<u64> {
    let index = pool.accrue(now)?;
    position.settle(index)?;
    let available = pool.reward_balance().ok_or(StakingError::MathOverflow)?;
    Ok(position.owed_units().min(available))
}

pub fn handler(ctx: Context<Claim>) -> Result<()> {
    let accounts = &mut *ctx.accounts;
    let (pool, position) = (&mut accounts.pool, &mut accounts.position);
    let (stake_mint, token_program) = (&accounts.stake_mint, &accounts.token_program);
    let amount = settle_payable(pool, position, Clock::get()?.unix_timestamp)?;
    pool.record_payout(amount)?;
    position.record_payout(amount)?;
    if amount > 0 {
        transfer_out(
            pool,
            token_program,
            stake_mint,
            &mut accounts.reward_vault,
            &accounts.owner_token,
            amount,
        )?;
    }
    emit!(Claimed {
        pool: pool.key(),
        owner: position.owner,
        amount,
        still_owed: position.owed_units(),
        total_rewards_paid: pool.total_rewards_paid,
    });
    Ok(())
}
