//! Instruction builders for the mock lending program.
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::{system_program, InstructionData, ToAccountMetas};
use mock_lending::{accounts, instruction};

use crate::pda;

/// The addresses every market instruction refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MarketKeys {
    pub market: Pubkey,
    pub mint: Pubkey,
    pub token_program: Pubkey,
    pub liquidity_vault: Pubkey,
}

impl MarketKeys {
    pub fn derive(mint: &Pubkey, market_id: u16, token_program: &Pubkey) -> Self {
        let market = pda::market(mint, market_id).0;
        Self {
            market,
            mint: *mint,
            token_program: *token_program,
            liquidity_vault: pda::liquidity_vault(&market).0,
        }
    }

    pub fn receipt(&self, owner: &Pubkey) -> Pubkey {
        pda::receipt(&self.market, owner).0
    }
}

fn build(accounts: impl ToAccountMetas, data: impl InstructionData) -> Instruction {
    Instruction {
        program_id: crate::program_ids::lending(),
        accounts: accounts.to_account_metas(None),
        data: data.data(),
    }
}

pub fn init_market(
    keys: &MarketKeys,
    authority: &Pubkey,
    market_id: u16,
    supply_apr_bps: u32,
) -> Instruction {
    build(
        accounts::InitMarket {
            authority: *authority,
            mint: keys.mint,
            market: keys.market,
            liquidity_vault: keys.liquidity_vault,
            token_program: keys.token_program,
            system_program: system_program::ID,
        },
        instruction::InitMarket {
            market_id,
            supply_apr_bps,
        },
    )
}

pub fn open_receipt(keys: &MarketKeys, owner: &Pubkey, payer: &Pubkey) -> Instruction {
    build(
        accounts::OpenReceipt {
            market: keys.market,
            receipt: keys.receipt(owner),
            owner: *owner,
            payer: *payer,
            system_program: system_program::ID,
        },
        instruction::OpenReceipt {},
    )
}

fn move_liquidity(
    keys: &MarketKeys,
    owner: &Pubkey,
    owner_token: &Pubkey,
) -> accounts::MoveLiquidity {
    accounts::MoveLiquidity {
        market: keys.market,
        receipt: keys.receipt(owner),
        liquidity_vault: keys.liquidity_vault,
        owner_token: *owner_token,
        owner: *owner,
        mint: keys.mint,
        token_program: keys.token_program,
    }
}

pub fn deposit(
    keys: &MarketKeys,
    owner: &Pubkey,
    owner_token: &Pubkey,
    amount: u64,
) -> Instruction {
    build(
        move_liquidity(keys, owner, owner_token),
        instruction::Deposit { amount },
    )
}

pub fn withdraw(
    keys: &MarketKeys,
    owner: &Pubkey,
    owner_token: &Pubkey,
    amount: u64,
) -> Instruction {
    build(
        move_liquidity(keys, owner, owner_token),
        instruction::Withdraw { amount },
    )
}

fn authority_move(
    keys: &MarketKeys,
    authority: &Pubkey,
    authority_token: &Pubkey,
) -> accounts::AuthorityMove {
    accounts::AuthorityMove {
        market: keys.market,
        liquidity_vault: keys.liquidity_vault,
        authority_token: *authority_token,
        authority: *authority,
        mint: keys.mint,
        token_program: keys.token_program,
    }
}

pub fn fund_interest(
    keys: &MarketKeys,
    authority: &Pubkey,
    authority_token: &Pubkey,
    amount: u64,
) -> Instruction {
    build(
        authority_move(keys, authority, authority_token),
        instruction::FundInterest { amount },
    )
}

pub fn simulate_borrow(
    keys: &MarketKeys,
    authority: &Pubkey,
    authority_token: &Pubkey,
    amount: u64,
) -> Instruction {
    build(
        authority_move(keys, authority, authority_token),
        instruction::SimulateBorrow { amount },
    )
}

pub fn simulate_repay(
    keys: &MarketKeys,
    authority: &Pubkey,
    authority_token: &Pubkey,
    amount: u64,
) -> Instruction {
    build(
        authority_move(keys, authority, authority_token),
        instruction::SimulateRepay { amount },
    )
}

/// The authority's lever that makes the market pay its index rate unbacked (`true`) or capped
/// by its assets again (`false`): a simulated unsound market, for testing the pool's defences.
pub fn simulate_unbacked_index(
    keys: &MarketKeys,
    authority: &Pubkey,
    unbacked: bool,
) -> Instruction {
    build(
        accounts::MarketAuthority {
            market: keys.market,
            authority: *authority,
        },
        instruction::SimulateUnbackedIndex { unbacked },
    )
}

/// Hands the market to `new_authority` (signed by the current one).
pub fn transfer_authority(
    keys: &MarketKeys,
    authority: &Pubkey,
    new_authority: Pubkey,
) -> Instruction {
    build(
        accounts::MarketAuthority {
            market: keys.market,
            authority: *authority,
        },
        instruction::TransferAuthority { new_authority },
    )
}

/// Writes `amount` of outstanding loans off as bad debt: every share of the market is worth
/// less (a simulated default).
pub fn simulate_default(keys: &MarketKeys, authority: &Pubkey, amount: u64) -> Instruction {
    build(
        accounts::MarketAuthority {
            market: keys.market,
            authority: *authority,
        },
        instruction::SimulateDefault { amount },
    )
}

/// Puts back `amount` of loans written off (a simulated recovery), from `authority_token`.
pub fn simulate_recovery(
    keys: &MarketKeys,
    authority: &Pubkey,
    authority_token: &Pubkey,
    amount: u64,
) -> Instruction {
    build(
        authority_move(keys, authority, authority_token),
        instruction::SimulateRecovery { amount },
    )
}

/// Moves `shares` from `owner`'s receipt to the receipt at `to` (same market), signed by `owner`.
pub fn transfer_shares(keys: &MarketKeys, owner: &Pubkey, to: &Pubkey, shares: u64) -> Instruction {
    build(
        accounts::TransferShares {
            market: keys.market,
            from: keys.receipt(owner),
            to: *to,
            owner: *owner,
        },
        instruction::TransferShares { shares },
    )
}
