//! Program-derived addresses of the staking pool, from the seeds in `staking_pool::constants`.
use anchor_lang::prelude::Pubkey;
use staking_pool::constants::{POOL_SEED, POSITION_SEED, REWARD_VAULT_SEED, VAULT_SEED};

pub fn pool(creator: &Pubkey, stake_mint: &Pubkey, pool_id: u16) -> (Pubkey, u8) {
    Pubkey::find_program_address(
        &[
            POOL_SEED,
            creator.as_ref(),
            stake_mint.as_ref(),
            &pool_id.to_le_bytes(),
        ],
        &crate::program_ids::staking_pool(),
    )
}

pub fn vault(pool: &Pubkey) -> (Pubkey, u8) {
    Pubkey::find_program_address(
        &[VAULT_SEED, pool.as_ref()],
        &crate::program_ids::staking_pool(),
    )
}

pub fn reward_vault(pool: &Pubkey) -> (Pubkey, u8) {
    Pubkey::find_program_address(
        &[REWARD_VAULT_SEED, pool.as_ref()],
        &crate::program_ids::staking_pool(),
    )
}

pub fn position(pool: &Pubkey, owner: &Pubkey) -> (Pubkey, u8) {
    Pubkey::find_program_address(
        &[POSITION_SEED, pool.as_ref(), owner.as_ref()],
        &crate::program_ids::staking_pool(),
    )
}

/// A mock lending market for `mint` under `market_id`.
pub fn market(mint: &Pubkey, market_id: u16) -> (Pubkey, u8) {
    Pubkey::find_program_address(
        &[
            mock_lending::constants::MARKET_SEED,
            mint.as_ref(),
            &market_id.to_le_bytes(),
        ],
        &crate::program_ids::lending(),
    )
}

pub fn liquidity_vault(market: &Pubkey) -> (Pubkey, u8) {
    Pubkey::find_program_address(
        &[mock_lending::constants::LIQUIDITY_SEED, market.as_ref()],
        &crate::program_ids::lending(),
    )
}

/// `owner`'s deposit receipt in `market` (for a pool, the owner is the pool address).
pub fn receipt(market: &Pubkey, owner: &Pubkey) -> (Pubkey, u8) {
    Pubkey::find_program_address(
        &[
            mock_lending::constants::RECEIPT_SEED,
            market.as_ref(),
            owner.as_ref(),
        ],
        &crate::program_ids::lending(),
    )
}
