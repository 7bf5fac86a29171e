use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenInterface};

use crate::constants::{POOL_SEED, REWARD_VAULT_SEED, VAULT_SEED};
use crate::errors::StakingError;
use crate::events::PoolInitialized;
use crate::state::{validate_apr, Pool, PoolLimits};
use program_accounts::mint_policy::is_supported_mint;
use program_accounts::pda_account::{
    create_pda_account, create_pda_token_account, write_zero_copy,
};

#[derive(Accounts)]
#[instruction(pool_id: u16)]
pub struct InitializePool<'info> {
    #[account(mut)]
    pub creator: Signer<'info>,
    #[account(
        mint::token_program = token_program,
        constraint = is_supported_mint(&stake_mint.to_account_info())
            @ StakingError::UnsupportedMintExtension,
    )]
    pub stake_mint: Box<InterfaceAccount<'info, Mint>>,
    /// The pool to create for `creator`, `stake_mint` and `pool_id`, at its PDA; the handler
    /// creates it, so lamports sent to the address first cannot block it.
    /// CHECK: the address is checked by `seeds`; creation fails if an account already exists.
    #[account(
        mut,
        seeds = [POOL_SEED, creator.key().as_ref(), stake_mint.key().as_ref(), &pool_id.to_le_bytes()],
        bump,
    )]
    pub pool: UncheckedAccount<'info>,
    /// The pool's vault, at its PDA, which holds the depositors' idle principal.
    /// CHECK: created by the handler as a token account of `stake_mint` owned by the pool.
    #[account(mut, seeds = [VAULT_SEED, pool.key().as_ref()], bump)]
    pub vault: UncheckedAccount<'info>,
    /// The pool's reward vault, at its PDA, from which rewards are paid.
    /// CHECK: created by the handler as a token account of `stake_mint` owned by the pool.
    #[account(mut, seeds = [REWARD_VAULT_SEED, pool.key().as_ref()], bump)]
    pub reward_vault: UncheckedAccount<'info>,
    pub token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
}

pub fn handler(
    ctx: Context<InitializePool>,
    pool_id: u16,
    apr_bps: u32,
    limits: PoolLimits,
) -> Result<()> {
    validate_apr(apr_bps)?;
    limits.validate()?;
    let now = Clock::get()?.unix_timestamp;
    let accounts = &ctx.accounts;
    let creator = accounts.creator.to_account_info();
    let system_program = accounts.system_program.to_account_info();
    let pool_info = accounts.pool.to_account_info();
    let mint_info = accounts.stake_mint.to_account_info();
    let token_program = accounts.token_program.to_account_info();
    let pool_key = pool_info.key();

    let creator_key = creator.key();
    let mint_key = mint_info.key();
    let id = pool_id.to_le_bytes();
    let pool_bump = [ctx.bumps.pool];
    let pool_seeds: [&[u8]; 5] = [
        POOL_SEED,
        creator_key.as_ref(),
        mint_key.as_ref(),
        &id,
        &pool_bump,
    ];
    create_pda_account(
        &creator,
        &pool_info,
        &system_program,
        Pool::SPACE,
        ctx.program_id,
        &pool_seeds,
    )?;

    for (vault, seed, bump) in [
        (&accounts.vault, VAULT_SEED, ctx.bumps.vault),
        (
            &accounts.reward_vault,
            REWARD_VAULT_SEED,
            ctx.bumps.reward_vault,
        ),
    ] {
        create_pda_token_account(
            &creator,
            &vault.to_account_info(),
            &mint_info,
            &pool_info,
            &token_program,
            &system_program,
            &[seed, pool_key.as_ref(), &[bump]],
        )?;
    }

    // Every amount, index, flag and pending change starts at zero; no admin transfer is
    // pending, no market is set.
    let pool = Pool {
        lending_market: Pool::NO_MARKET,
        receipt: Pool::NO_MARKET,
        market_vault: Pool::NO_MARKET,
        creator: creator_key,
        admin: creator_key,
        stake_mint: mint_key,
        token_program: token_program.key(),
        vault: accounts.vault.key(),
        reward_vault: accounts.reward_vault.key(),
        principal_index: crate::constants::SCALE.into(),
        checkpoint_ts: now,
        last_update_ts: now,
        limits: limits.into(),
        apr_bps,
        pool_id,
        bump: ctx.bumps.pool,
        vault_bump: ctx.bumps.vault,
        reward_vault_bump: ctx.bumps.reward_vault,
        ..bytemuck::Zeroable::zeroed()
    };
    write_zero_copy(&pool_info, &pool)?;
    emit!(PoolInitialized {
        pool: pool_key,
        creator: creator_key,
        pool_id,
        stake_mint: mint_key,
        apr_bps,
        limits,
    });
    Ok(())
}
