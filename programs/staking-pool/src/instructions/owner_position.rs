//! The accounts every instruction on a position starts with, and their constraints, written
//! once: the pool at its PDA (stored bump), the position at the PDA of (pool, owner) (stored
//! bump) belonging to both, and the owner signing; with `tokens`, also the pool's stake mint
//! and the token program that owns it, both pinned to the pool. The PDAs are recognised by
//! one hash each from the stored bumps (`Pool::is_at`, `Position::is_at`).
//!
//! Generated into each instruction's own flat `Accounts` struct rather than nested as an
//! Anchor composite group: each level of nesting cost ~1,300 compute units (vm/README.md).
//! The field names come from the call site so that the instruction's own constraints (and
//! Anchor's generated code) can name them.
//!
//! With `market: market, receipt, market_vault`, the pool's lending market, its receipt there
//! and the market's vault follow the instruction's own fields, optional and each pinned to the
//! pool: an instruction that moves principal reads the market through them, to recognise a
//! loss before it prices principal (`lending_books::recognise_loss_if_lent`).
//!
//! ```ignore
//! owner_position_accounts! {
//!     pub struct Deposit<'info> {
//!         pool, position, owner, tokens: stake_mint, token_program,
//!         market: market, receipt, market_vault;
//!         // optionally: `, require: <condition> => <error>` before the `;`
//!         #[account(mut, address = pool.vault @ StakingError::InvalidVault)]
//!         pub vault: Box<InterfaceAccount<'info, TokenAccount>>,
//!     }
//! }
//! ```
pub use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
pub use mock_lending::state::{Market, Receipt};

pub use crate::errors::StakingError;
pub use crate::state::{Pool, Position};

macro_rules! owner_position_accounts {
    (
        $(#[$meta:meta])*
        pub struct $name:ident<$info:lifetime> {
            $pool:ident, $position:ident, $owner:ident
            $(, tokens: $stake_mint:ident, $token_program:ident)?
            $(, market: $market:ident, $receipt:ident, $market_vault:ident)?
            $(, require: $condition:expr => $error:expr)?;
            $($rest:tt)*
        }
    ) => {
        $(#[$meta])*
        #[derive(Accounts)]
        pub struct $name<$info> {
            #[account(
                mut,
                constraint = $pool.is_at(&$pool.key())
                    @ anchor_lang::error::ErrorCode::ConstraintSeeds,
            )]
            pub $pool: Box<Account<$info, Pool>>,
            // In the order Anchor checked `seeds` and `has_one` before (raw constraints run
            // in the order written).
            #[account(
                mut,
                constraint = $position.is_at(&$position.key(), &$pool.key(), &$owner.key())
                    @ anchor_lang::error::ErrorCode::ConstraintSeeds,
                constraint = $position.owner == $owner.key() @ StakingError::Unauthorized,
                constraint = $position.pool == $pool.key()
                    @ anchor_lang::error::ErrorCode::ConstraintHasOne,
                // The instruction's own condition on the group, after all of its checks.
                $(constraint = $condition @ $error,)?
            )]
            pub $position: Box<Account<$info, Position>>,
            pub $owner: Signer<$info>,
            $(
                #[account(address = $pool.stake_mint @ StakingError::InvalidMint)]
                pub $stake_mint: Box<InterfaceAccount<$info, Mint>>,
                #[account(address = $pool.token_program @ StakingError::InvalidTokenProgram)]
                pub $token_program: Interface<$info, TokenInterface>,
            )?
            $($rest)*
            $(
                #[account(mut, address = $pool.lending_market @ StakingError::InvalidLendingMarket)]
                pub $market: Option<Box<Account<$info, Market>>>,
                #[account(
                    mut,
                    constraint = $receipt.is_at(&$receipt.key(), &$pool.lending_market, &$pool.key())
                        @ anchor_lang::error::ErrorCode::ConstraintSeeds,
                )]
                pub $receipt: Option<Box<Account<$info, Receipt>>>,
                #[account(
                    mut,
                    constraint = $market.as_ref().map(|m| m.liquidity_vault) == Some($market_vault.key())
                        @ StakingError::InvalidLendingVault,
                )]
                pub $market_vault: Option<Box<InterfaceAccount<$info, TokenAccount>>>,
            )?
        }
    };
}

pub(crate) use owner_position_accounts;
