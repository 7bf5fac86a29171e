//! What the signer does as a mint's authority (a deployment's or a demo's own test token): create
//! a mint at an address derived from the signer and a seed (so a second run finds it), and mint
//! to the signer's own token account.
use anchor_lang::prelude::Pubkey;
use solana_signer::Signer;

use crate::client::{ClientError, Outcome, StakeClient};
use crate::transport::Transport;
use crate::{accounts, token_setup};

impl<T: Transport> StakeClient<T> {
    /// Rent-exempt minimum for `space` bytes, from the cluster's Rent sysvar.
    pub async fn rent_exempt(&self, space: usize) -> Result<u64, ClientError> {
        let rent = self
            .raw(&anchor_lang::solana_program::rent::ID)
            .await?
            .ok_or_else(|| ClientError::Failed("the cluster has no Rent sysvar".into()))?;
        Ok(accounts::rent_exempt_minimum(&rent.data, space)?)
    }

    /// Creates a mint at `seeded_mint_address(signer, seed)` with the signer as mint authority.
    pub async fn create_seeded_mint(
        &self,
        seed: &str,
        decimals: u8,
        token_program: &Pubkey,
    ) -> Result<(Pubkey, Outcome), ClientError> {
        let rent = self.rent_exempt(token_setup::MINT_SPACE).await?;
        let me = self.signer.pubkey();
        let instructions =
            token_setup::create_seeded_mint(&me, seed, &me, decimals, token_program, rent);
        let outcome = self.send(&instructions, vec![]).await?;
        Ok((
            token_setup::seeded_mint_address(&me, seed, token_program),
            outcome,
        ))
    }

    /// Mints `amount` to the signer's associated token account (created if missing); the
    /// signer must be the mint authority.
    pub async fn mint_to_me(
        &self,
        mint: &Pubkey,
        token_program: &Pubkey,
        amount: u64,
    ) -> Result<Outcome, ClientError> {
        let decimals = self.mint_decimals(mint).await?;
        let me = self.signer.pubkey();
        let (account, create) = token_setup::associated_account(&me, &me, mint, token_program);
        let mint_to = token_setup::mint_to(mint, &account, &me, amount, decimals, token_program);
        self.send(&[create, mint_to], vec![]).await
    }
}
