//! The pool's mint: an existing one, or a test mint created at its seeded address.
use anchor_lang::prelude::Pubkey;
use stakepool_client::client::ClientError;
use stakepool_client::transport::Transport;
use stakepool_client::{accounts, token_setup};

use super::{PlanError, Planning, Step};
use crate::config::MintChoice;

/// Test mints are classic SPL Token mints.
pub const TEST_MINT_PROGRAM: Pubkey = anchor_spl::token::ID;

/// The mint as planned: where it is (or will be), its token program and decimals.
pub(super) struct PlannedMint {
    pub choice: MintChoice,
    pub address: Pubkey,
    pub token_program: Pubkey,
    pub decimals: u8,
}

impl<T: Transport> Planning<'_, T> {
    /// Finds the config's mint, or plans its creation (test mints).
    pub(super) async fn mint(&mut self) -> Result<PlannedMint, PlanError> {
        let choice = self.spec.mint_choice().map_err(|e| self.fail(e))?;
        let (address, token_program, decimals) = match choice {
            MintChoice::CreateTestMint => {
                let seed = self.spec.mint_seed();
                let mint =
                    token_setup::seeded_mint_address(&self.payer(), &seed, &TEST_MINT_PROGRAM);
                match self.client.raw(&mint).await? {
                    Some(account) => {
                        let decimals =
                            accounts::mint_decimals(&account.data).map_err(ClientError::from)?;
                        if decimals != self.spec.decimals {
                            return Err(self.fail(format!(
                                "the test mint {mint} has {decimals} decimals, the config says {}; \
                                 a mint's decimals never change (rename the pool for a new mint)",
                                self.spec.decimals
                            )));
                        }
                        (mint, account.owner, decimals)
                    }
                    None => {
                        self.steps.push(Step::CreateTestMint {
                            seed,
                            mint,
                            decimals: self.spec.decimals,
                        });
                        (mint, TEST_MINT_PROGRAM, self.spec.decimals)
                    }
                }
            }
            MintChoice::Existing(mint) => {
                let account = self.client.raw(&mint).await?.ok_or_else(|| {
                    self.fail(format!(
                        "mint {mint} does not exist on {}",
                        self.client.transport.endpoint()
                    ))
                })?;
                let decimals = accounts::mint_decimals(&account.data).map_err(ClientError::from)?;
                (mint, account.owner, decimals)
            }
        };
        Ok(PlannedMint {
            choice,
            address,
            token_program,
            decimals,
        })
    }
}
