//! The floor the benchmark compares the staking pool's deposit with: what any Anchor program
//! pays to take tokens into a PDA vault (account validation, one `transfer_checked` CPI and
//! one state write), and nothing else. Built by scripts/build-sbf.sh with the same compiler,
//! linker and flags as the pool, so the ratio measures the pool's own work.
use anchor_lang::prelude::*;

// The same libcalls the pool links (see scripts/build-sbf.sh).
use anchor_spl::token_interface::{self, Mint, TokenAccount, TokenInterface, TransferChecked};
#[cfg(target_arch = "bpf")]
use sbf_libcalls as _;

declare_id!("HNriRY83GpL4JRNreBgCaVVsPj9a4iJEPij2twyoGZGc");

#[program]
pub mod floor_vault {
    use super::*;

    pub fn initialize(ctx: Context<Initialize>) -> Result<()> {
        let state = &mut ctx.accounts.state;
        state.mint = ctx.accounts.mint.key();
        state.total = 0;
        state.bump = ctx.bumps.state;
        state.vault_bump = ctx.bumps.vault;
        Ok(())
    }

    pub fn deposit(ctx: Context<Deposit>, amount: u64) -> Result<()> {
        token_interface::transfer_checked(
            CpiContext::new(
                ctx.accounts.token_program.key(),
                TransferChecked {
                    from: ctx.accounts.user_token.to_account_info(),
                    mint: ctx.accounts.mint.to_account_info(),
                    to: ctx.accounts.vault.to_account_info(),
                    authority: ctx.accounts.user.to_account_info(),
                },
            ),
            amount,
            ctx.accounts.mint.decimals,
        )?;
        let state = &mut ctx.accounts.state;
        state.total = state
            .total
            .checked_add(amount)
            .ok_or(ProgramError::ArithmeticOverflow)?;
        Ok(())
    }
}

#[account]
pub struct VaultState {
    pub mint: Pubkey,
    pub total: u64,
    pub bump: u8,
    pub vault_bump: u8,
}

#[derive(Accounts)]
pub struct Initialize<'info> {
    #[account(mut)]
    pub payer: Signer<'info>,
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(init, payer = payer, space = 8 + 32 + 8 + 2, seeds = [b"state", mint.key().as_ref()], bump)]
    pub state: Box<Account<'info, VaultState>>,
    #[account(
        init, payer = payer, seeds = [b"vault", mint.key().as_ref()], bump,
        token::mint = mint, token::authority = state, token::token_program = token_program
    )]
    pub vault: Box<InterfaceAccount<'info, TokenAccount>>,
    pub token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
}

#[derive(Accounts)]
pub struct Deposit<'info> {
    pub user: Signer<'info>,
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(mut, token::mint = mint, token::authority = user, token::token_program = token_program)]
    pub user_token: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut, seeds = [b"state", mint.key().as_ref()], bump = state.bump, has_one = mint)]
    pub state: Box<Account<'info, VaultState>>,
    #[account(mut, seeds = [b"vault", mint.key().as_ref()], bump = state.vault_bump)]
    pub vault: Box<InterfaceAccount<'info, TokenAccount>>,
    pub token_program: Interface<'info, TokenInterface>,
}
