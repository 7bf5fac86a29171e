//! Sending: every transaction goes through `send`/`send_signed` (dry run or confirmed, refusals
//! named), and the checks and account set-up that come before a send.
use super::*;

impl<T: Transport> StakeClient<T> {
    pub(super) fn create_my_token_account(
        &self,
        mint: &Pubkey,
        token_program: &Pubkey,
    ) -> Instruction {
        create_associated_token_account_idempotent(&self.me(), &self.me(), mint, token_program)
    }

    /// Refuses early when `account` cannot pay `amount`.
    pub(super) async fn require_balance(
        &self,
        account: &Pubkey,
        mint: &Pubkey,
        amount: u64,
        decimals: u8,
    ) -> Result<(), ClientError> {
        if !self.preflight {
            return Ok(());
        }
        let have = self
            .token_balance(account)
            .await?
            .ok_or(ClientError::NoTokenAccount {
                account: *account,
                mint: *mint,
            })?;
        if have < amount {
            return Err(ClientError::InsufficientBalance {
                account: *account,
                have: format_ui_amount(have, decimals),
                need: format_ui_amount(amount, decimals),
            });
        }
        Ok(())
    }

    pub async fn send(
        &self,
        instructions: &[Instruction],
        notes: Vec<String>,
    ) -> Result<Outcome, ClientError> {
        self.send_signed(instructions, &[], notes).await
    }

    /// Sends with extra signers (a new account's keypair, say) beside the client's signer.
    pub async fn send_signed(
        &self,
        instructions: &[Instruction],
        extra: &[&Keypair],
        notes: Vec<String>,
    ) -> Result<Outcome, ClientError> {
        let blockhash = self
            .transport
            .latest_blockhash()
            .await
            .map_err(ClientError::Transport)?;
        let mut signers = vec![&self.signer];
        signers.extend_from_slice(extra);
        let transaction =
            Transaction::new_signed_with_payer(instructions, Some(&self.me()), &signers, blockhash);
        let sent = if self.dry_run {
            let simulation = self
                .transport
                .simulate(&transaction)
                .await
                .map_err(ClientError::Transport)?;
            if let Some(error) = &simulation.error {
                return Err(refusal(&transaction, error, &simulation.logs));
            }
            Sent::Simulated(simulation)
        } else {
            match self.transport.send(&transaction).await {
                Ok(signature) => Sent::Confirmed(signature),
                Err(TransportError::Refused(refused)) => {
                    return Err(refusal(&transaction, &refused.error, &refused.logs))
                }
                Err(other) => return Err(ClientError::Transport(other)),
            }
        };
        Ok(Outcome { sent, notes })
    }

    pub(super) async fn require_position(&self, ctx: &PoolContext) -> Result<(), ClientError> {
        if self.preflight && self.position(ctx, &self.me()).await?.is_none() {
            return Err(ClientError::NoPosition {
                pool: ctx.address,
                owner: self.me(),
            });
        }
        Ok(())
    }

    pub(super) async fn lending_pool(&self, pool: &Pubkey) -> Result<PoolContext, ClientError> {
        let ctx = self.pool(pool).await?;
        if ctx.keys.lending.is_none() {
            return Err(ClientError::NoLendingMarket(*pool));
        }
        Ok(ctx)
    }

    /// Where tokens paid out go: the given account, or the signer's associated token account
    /// (created in the same transaction if it does not exist).
    pub(super) fn destination(
        &self,
        ctx: &PoolContext,
        to: Option<Pubkey>,
    ) -> (Pubkey, Option<Instruction>) {
        match to {
            Some(to) => (to, None),
            None => (
                self.my_token_account(ctx),
                Some(self.create_my_token_account(&ctx.pool.stake_mint, &ctx.pool.token_program)),
            ),
        }
    }
}
