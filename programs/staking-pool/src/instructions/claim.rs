use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::errors::StakingError;
use crate::events::Claimed;
use crate::state::{LoadedPool, Pool, Position};
use program_accounts::token_moves::transfer_out_of_vault;

/// Accounts as `Deposit` declares them (docs/accounts.md), with the reward vault the rewards
/// come from; no lending accounts (rewards never touch principal).
#[derive(Accounts)]
pub struct Claim<'info> {
    #[account(mut, constraint = pool.load()?.is_at(&pool.key()) @ StakingError::InvalidPoolAddress)]
    pub pool: AccountLoader<'info, Pool>,
    #[account(mut, constraint = position.load()?.is_at(&position.key(), &pool.key(), &owner.key()) @ StakingError::InvalidPositionAddress)]
    pub position: AccountLoader<'info, Position>,
    pub owner: Signer<'info>,
    #[account(address = pool.load()?.stake_mint @ StakingError::InvalidMint)]
    pub stake_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(address = pool.load()?.token_program @ StakingError::InvalidTokenProgram)]
    pub token_program: Interface<'info, TokenInterface>,
    #[account(mut, address = pool.load()?.reward_vault @ StakingError::InvalidRewardVault)]
    pub reward_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    /// Receives the rewards: any token account of the stake mint the owner chooses.
    #[account(mut, token::mint = stake_mint, token::token_program = token_program)]
    pub owner_token: Box<InterfaceAccount<'info, TokenAccount>>,
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
    let mut pool = LoadedPool::load(&accounts.pool)?;
    let mut position = accounts.position.load_mut()?;
    let (stake_mint, token_program) = (&accounts.stake_mint, &accounts.token_program);
    let amount = settle_payable(&mut pool, &mut position, Clock::get()?.unix_timestamp)?;
    pool.record_payout(amount)?;
    position.record_payout(amount)?;
    if amount > 0 {
        transfer_out_of_vault(
            &pool,
            token_program,
            stake_mint,
            &mut accounts.reward_vault,
            &accounts.owner_token,
            amount,
        )?;
    }
    pool.save()?;
    emit!(Claimed {
        pool: pool.key(),
        owner: position.owner,
        amount,
        still_owed: position.owed_units(),
        total_rewards_paid: pool.total_rewards_paid,
    });
    Ok(())
}
