//! Test tokens for the payer and the pool's reward funding, topped up to the config's target
//! and never beyond.
use stakepool_client::amount::parse_ui_amount;
use stakepool_client::transport::Transport;
use stakepool_client::PoolKeys;

use super::mint::PlannedMint;
use super::{PlanError, Planning, Step};
use crate::config::MintChoice;

impl<T: Transport> Planning<'_, T> {
    /// Plans the funding of the pool at `keys`, of which `funded` is funded already.
    pub(super) async fn funding(
        &mut self,
        keys: &PoolKeys,
        mint: &PlannedMint,
        funded: u64,
    ) -> Result<(), PlanError> {
        let target = self
            .amount(&self.spec.reward_funding, "reward_funding", mint.decimals)?
            .unwrap_or(0);
        let funding = target.saturating_sub(funded);
        // Test tokens: mint what the funding and the payer's wallet target need.
        if mint.choice == MintChoice::CreateTestMint {
            let keep = self
                .amount(
                    &self.spec.payer_test_tokens,
                    "payer_test_tokens",
                    mint.decimals,
                )?
                .unwrap_or(0);
            let need = funding
                .checked_add(keep)
                .ok_or_else(|| self.fail("reward_funding + payer_test_tokens overflow".into()))?;
            let wallet = anchor_spl::associated_token::get_associated_token_address_with_program_id(
                &self.payer(),
                &mint.address,
                &mint.token_program,
            );
            let have = self.client.token_balance(&wallet).await?.unwrap_or(0);
            if have < need {
                self.steps.push(Step::MintToPayer {
                    mint: mint.address,
                    token_program: mint.token_program,
                    amount: need - have,
                    decimals: mint.decimals,
                });
            }
        }
        if funding > 0 {
            self.steps.push(Step::FundRewards {
                pool: keys.pool,
                amount: funding,
                funded,
                target,
                decimals: mint.decimals,
            });
        }
        Ok(())
    }

    /// An amount of the config in tokens, if given.
    fn amount(
        &self,
        text: &Option<String>,
        what: &str,
        decimals: u8,
    ) -> Result<Option<u64>, PlanError> {
        text.as_deref()
            .map(|t| parse_ui_amount(t, decimals).map_err(|e| self.fail(format!("{what}: {e}"))))
            .transpose()
    }
}
